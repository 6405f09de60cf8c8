"""Fixing files: one fast check finds the files with fixable findings; only those are
loaded with ruamel, fixed, and (unless only a diff is wanted) written back atomically."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..config import Config
from ..loader import Stdin
from ..rules import RuleMeta, builtin_rules
from .apply import TextFix, fix_config, fix_text
from .files import WriteError, write_atomic


@dataclass
class FixRun:
    files: list[TextFix] = field(default_factory=list)      # every file that had fixable findings
    io_errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[TextFix]:
        return [f for f in self.files if f.changed]


def fix_paths(paths: Iterable[str], config: Config | None = None, *, write: bool = True,
              stdin: Stdin | None = None, rules: dict[str, RuleMeta] | None = None) -> FixRun:
    """Fix the files (folders, or "-" for stdin). With write=False nothing is written.
    stdin is never written: the caller prints its fixed text."""
    from ..api import check

    rules = rules if rules is not None else builtin_rules()
    config = fix_config(config, rules)
    run = FixRun()
    # Objects are fixed where they are written; kustomize patches are not objects.
    result = check(paths, config, stdin=stdin, rules=rules, build_kustomizations=False)
    run.io_errors.extend(result.io_errors)
    known: list[Any] | None = None           # kustomize patches overriding fixed fields
    by_file: dict[str, list[Any]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append(finding)
    for source in result.sources:
        findings = by_file.get(source.name)
        if source.text is None or (not findings and source.name != "-"):
            continue
        fixed = fix_text(source.text, source.name, config, rules=rules, findings=findings or [])
        run.files.append(fixed)
        if fixed.changes and source.name != "-":
            from .kustomize import notes_for, overrides
            if known is None:
                known = overrides([s.name for s in result.sources if s.name != "-"])
            fixed.notes = notes_for(source.name, findings or [], {c.line for c in fixed.changes}, known)
        if write and fixed.changed and source.name != "-":
            try:
                write_atomic(source.name, fixed.text)
            except WriteError as exc:
                run.io_errors.append(str(exc))
                fixed.text = fixed.original          # report it as not changed
                fixed.changes.clear()
    return run


def unified_diff(fixed: TextFix) -> str:
    name = fixed.name
    lines = difflib.unified_diff(fixed.original.splitlines(keepends=True),
                                 fixed.text.splitlines(keepends=True),
                                 name if name != "-" else "stdin",
                                 f"{name} (fixed)" if name != "-" else "stdin (fixed)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
