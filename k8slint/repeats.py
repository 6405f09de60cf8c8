"""One finding for several identical objects: samples and variants often copy the same
manifest into several folders, and each copy would repeat the same findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .i18n import _
from .model import Finding, ObjectRef, Severity

# What makes two findings the same: rule, severity, message, path and the object's identity.
_Key = tuple[str, Severity, str, str | None, str, str | None, str]

_SHOWN = 3


def merge_repeats(findings: list[Finding], objects: Iterable[Any]) -> list[Finding]:
    """Findings equal in rule, severity, message and field path, on identical objects (same
    identity, same content) in different files, become the first of them, naming the others
    (twins in one file are duplicates: object-duplicate reports them).

    `objects`: the graph's objects (anything with `file`, `ref` and `data`)."""
    groups: dict[_Key, list[Finding]] = {}
    for finding in findings:
        if finding.object is not None:
            groups.setdefault(_key(finding), []).append(finding)
    repeated = [group for group in groups.values() if len(group) > 1]
    if not repeated:
        return findings
    index: dict[tuple[str, ObjectRef], Any] = {}
    for obj in objects:
        index.setdefault((obj.file, obj.ref), obj)
    keep: dict[int, str] = {}                      # id(first finding) -> the others, shown
    dropped: set[int] = set()
    for group in repeated:
        while group:
            first, rest = group[0], group[1:]
            data = _data(index, first)
            same = [f for f in rest if data is not None and f.file != first.file
                    and _data(index, f) == data]
            if same:
                others = [f"{f.file}:{f.line}" for f in same]
                more = f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else ""
                keep[id(first)] = ", ".join(others[:_SHOWN]) + more
                dropped.update(id(f) for f in same)
            group = [f for f in rest if not any(f is s for s in same)]
    merged = []
    for finding in findings:
        if id(finding) in dropped:
            continue
        if id(finding) in keep:
            obj = finding.object
            assert obj is not None
            finding = replace(finding, message=_("{message} (the same for the identical {kind}/{name} at "
                                                 "{places})").format(message=finding.message, kind=obj.kind,
                                                                     name=obj.name, places=keep[id(finding)]))
        merged.append(finding)
    return merged


def _key(finding: Finding) -> _Key:
    obj = finding.object
    assert obj is not None
    return (finding.rule, finding.severity, finding.message, finding.path, obj.kind, obj.namespace,
            obj.name)


def _data(index: dict[tuple[str, ObjectRef], Any], finding: Finding) -> Any:
    assert finding.object is not None
    obj = index.get((finding.file, finding.object))
    return None if obj is None else obj.data


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per file, line, column, rule and message: a base checked through two
    overlays reports its own problems once."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for finding in findings:
        key = (finding.file, finding.line, finding.column, finding.rule, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
