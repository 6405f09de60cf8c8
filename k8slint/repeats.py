"""One finding for several identical objects: variants of one app (dev.yaml, prod.yaml)
define the same object in several files, and each copy would repeat the same findings."""

from __future__ import annotations

from dataclasses import replace

from .model import Finding

_SHOWN = 3


def merge_repeats(findings: list[Finding]) -> list[Finding]:
    """Findings equal in rule, severity, message, field path and object identity, on objects
    in different places, become the first of them, naming the others."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        if finding.object is not None:
            groups.setdefault(_key(finding), []).append(finding)
    if all(len(group) == 1 for group in groups.values()):
        return findings
    merged: list[Finding] = []
    for finding in findings:
        group = groups.get(_key(finding)) if finding.object is not None else None
        if group is None or len(group) == 1:
            merged.append(finding)
        elif finding is group[0]:
            others = [f"{f.file}:{f.line}" for f in group[1:]]
            assert finding.object is not None
            more = f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else ""
            obj = finding.object
            merged.append(replace(finding, message=f"{finding.message} (the same for {obj.kind}/{obj.name} "
                                  f"at {', '.join(others[:_SHOWN])}{more})"))
    return merged


def _key(finding: Finding) -> tuple:
    obj = finding.object
    assert obj is not None
    return (finding.rule, finding.severity, finding.message, finding.path, obj.kind, obj.namespace,
            obj.name)
