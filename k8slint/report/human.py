"""Human output: grouped by file, each finding with its source line and a caret.

Plain text when not on a terminal (no rich import at all: fast for hooks and CI logs);
on a terminal, rich colours the same segments. NO_COLOR is honoured by rich.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, Mapping, Sequence

from ..model import Finding, Severity

Segment = tuple[str, str]          # (text, rich style)
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_human(findings: Sequence[Finding], summary: Mapping[str, int],
                 texts: Mapping[str, str | None] | None = None, color: bool = False,
                 suppressed: int = 0, **_: Any) -> str:
    lines = list(_lines(findings, summary, texts or {}, suppressed))
    if not color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    out = StringIO()
    console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*line))
    return out.getvalue()


def _lines(findings: Sequence[Finding], summary: Mapping[str, int],
           texts: Mapping[str, str | None], suppressed: int):
    cache: dict[str, list[str]] = {}
    for file, group in groupby(findings, key=lambda f: f.file):
        yield [(file, "bold underline")]
        source = cache.setdefault(file, (texts.get(file) or "").splitlines())
        for f in group:
            style = _STYLE[f.severity]
            yield [(f"{f.file}:{f.line}:{f.column} ", "bold"), (f"{f.severity}", style),
                   (f" {f.rule} ", "dim"), (f.message, "")]
            if 0 < f.line <= len(source):
                if f.line > 1 and source[f.line - 2].strip():
                    yield [(f"{f.line - 1:>6} | ", "dim"), (source[f.line - 2], "dim")]
                yield [(f"{f.line:>6} | ", "dim"), (source[f.line - 1], "")]
                yield [("       | ", "dim"), (" " * (f.column - 1) + "^", style)]
            if f.fix:
                yield [("   fix: ", "green"), (f.fix, "")]
            yield [(f"   see: k8slint rules show {f.rule}", "dim")]
        yield []
    counts = (f"{summary.get('errors', 0)} error(s), {summary.get('warnings', 0)} warning(s), "
              f"{summary.get('infos', 0)} info(s)")
    tail = f", {suppressed} suppressed" if suppressed else ""
    yield [(f"{summary.get('files', 0)} file(s), {summary.get('objects', 0)} object(s): ", "bold"),
           (counts + tail, "bold")]
