"""Baselines: record today's findings once, then report only new ones.

A finding is matched by rule, file, object and field path, not by line or message, so
edits above it (or a changed number in its message) do not bring it back. Keys are
counted: two identical findings in the baseline excuse two today. File paths are stored
relative to the baseline file's folder, so the run's current folder does not matter.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from .i18n import _
from .model import Finding

FORMAT_VERSION = 1
Key = tuple[str, str, str, str]


class BaselineError(ValueError):
    pass


def finding_key(finding: Finding, folder: str) -> Key:
    file = finding.file
    if file != "-":
        file = Path(os.path.relpath(os.path.abspath(file), folder)).as_posix()
    ref = finding.object
    who = f"{ref.kind}/{ref.namespace or ''}/{ref.name}" if ref else ""
    return (finding.rule, file, who, finding.path or "")


def _folder(path: str | os.PathLike[str]) -> str:
    return os.path.dirname(os.path.abspath(path))


def write_baseline(path: str | os.PathLike[str], findings: Sequence[Finding]) -> int:
    """Write the findings' keys atomically (temp file beside it, then os.replace)."""
    folder = _folder(path)
    counts = Counter(finding_key(f, folder) for f in findings)
    entries = [{"rule": r, "file": f, "object": o or None, "path": p or None, "count": n}
               for (r, f, o, p), n in sorted(counts.items())]
    text = json.dumps({"version": FORMAT_VERSION, "tool": "k8slint", "findings": entries},
                      indent=2, ensure_ascii=False) + "\n"
    import tempfile

    fd, temp = tempfile.mkstemp(prefix=".k8slint-baseline-", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates 0600; a baseline is committed and shared like any file open() makes.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):          # not replaced: an error on the way
            os.unlink(temp)
    return len(findings)


def read_baseline(path: str | os.PathLike[str]) -> Counter[Key]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(_("{path}: cannot read the baseline: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    except ValueError as exc:
        raise BaselineError(_("{path}: not a k8slint baseline (invalid JSON: {error})").format(
            path=path, error=exc)) from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise BaselineError(_("{path}: not a k8slint baseline (version {version})").format(
            path=path, version=FORMAT_VERSION))
    counts: Counter[Key] = Counter()
    for entry in data["findings"]:
        if not isinstance(entry, dict):
            continue
        rule, file, obj, field_path = (str(entry.get(k) or "") for k in ("rule", "file", "object", "path"))
        key = (rule, file, obj, field_path)
        counts[key] += int(entry.get("count", 1)) if isinstance(entry.get("count", 1), int) else 1
    return counts


def split(findings: Iterable[Finding], path: str | os.PathLike[str]) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings already in the baseline)."""
    remaining = read_baseline(path)
    folder = _folder(path)
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        key = finding_key(finding, folder)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(finding)
        else:
            new.append(finding)
    return new, known

