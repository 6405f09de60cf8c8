"""Human output: quiet by default, detail on demand.

Errors and warnings are listed by file, each with its source line and a caret; the first
sentence of a message stays on the finding's line and the rest (what happens at run time)
follows on its own line. A rule's fix is printed once per file, not once per container.
Infos are counted per rule unless `--show-infos`. The last lines name the most frequent
rules and give the verdict.

Plain text when not on a terminal (no rich import at all: fast for hooks and CI logs);
with colour, rich styles the same segments.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby

from ..model import Finding, Severity
from . import Options, Report, sorted_findings

Segment = tuple[str, str]          # (text, rich style)
Line = list[Segment]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
TOP_RULES = 3
# Words after which a period does not end a sentence.
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "approx")
_OPEN, _CLOSE = "([{", ")]}"


def render_human(report: Report, options: Options) -> str:
    lines = list(_lines(report, options))
    if not options.color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    out = StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", highlight=False,
                      soft_wrap=True, width=10_000)
    for line in lines:
        console.print(Text.assemble(*line))
    return out.getvalue()


def split_message(message: str) -> tuple[str, str]:
    """(first sentence, the rest): the split is the first `. `, `: `, `; ` or ` - ` outside
    brackets and double quotes whose head has two words or more (so that `spec.replicas:
    expected integer` stays whole)."""
    depth, quoted = 0, False
    for i, char in enumerate(message):
        if char == '"' or char == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and message[i + 1:i + 2] == " " and char in ".:;":
            head = message[:i]
            if char == "." and head.endswith(_ABBREVIATIONS):
                continue
            if " " in head.strip():
                return head, message[i + 2:].strip()
        elif depth == 0 and message.startswith(" - ", i) and " " in message[:i].strip():
            return message[:i], message[i + 3:].strip()
    return message, ""


def _shown(report: Report, options: Options) -> tuple[list[Finding], Counter[str]]:
    """The findings listed one by one, and the hidden infos counted per rule."""
    if options.show_infos:
        return list(report.findings), Counter()
    hidden = Counter(f.rule for f in report.findings if f.severity == Severity.INFO)
    return [f for f in report.findings if f.severity != Severity.INFO], hidden


def _lines(report: Report, options: Options) -> Iterator[Line]:
    shown, hidden = _shown(report, options)
    yield from _listing(shown, report.texts)
    if options.show_suppressed and report.suppressed:
        yield [("suppressed:", "bold")]
        yield from _listing(sorted_findings(report.suppressed), report.texts, report)
    for rule, count in sorted(hidden.items(), key=lambda item: (-item[1], item[0])):
        yield [(f"{count} × {rule} (info)", _STYLE[Severity.INFO]), (": --show-infos to list", "dim")]
    serious = [f for f in report.findings if f.severity > Severity.INFO]
    top = Counter(f.rule for f in serious).most_common(TOP_RULES)
    if len(serious) > TOP_RULES:        # with three or fewer, they are all just above
        names = ", ".join(f"{rule} ({count})" for rule, count in top)
        yield [("most frequent: ", "bold"), (names, ""),
               (" · why and how to fix: k8slint rules show RULE", "dim")]
    if report.baselined:
        yield [(f"{report.baselined} finding(s) in the baseline not shown", "dim")]
    summary = report.summary
    yield [(f"checked {_count(summary.get('files', 0), 'file')}, "
            f"{_count(summary.get('objects', 0), 'object')}", "dim")]
    yield _verdict(report, options, hidden)


def _listing(findings: Sequence[Finding], texts: Mapping[str, str | None],
             report: Report | None = None) -> Iterator[Line]:
    """Findings by file with excerpts; `report` given: these are suppressed (show reasons)."""
    for file, grouped in groupby(findings, key=lambda f: f.file):
        group = list(grouped)
        yield [(file, "bold underline"), *_units_note(file, group)]
        source = (texts.get(file) or "").splitlines()
        advised: set[tuple[str, str | None]] = set()      # (rule, fix) printed in this file
        for f in group:
            yield from _finding(f, source)
            if report is not None:
                reason = report.reason(f)
                yield [("   suppressed: ", "dim"), (reason or "no reason given", "")]
                continue
            if f.fix and (f.rule, f.fix) not in advised:
                yield [("   fix: ", "green"), (f.fix, "")]
            if (f.rule, None) not in advised:
                yield [(f"   see: k8slint rules show {f.rule}", "dim")]
            advised.update(((f.rule, f.fix), (f.rule, None)))
        yield []


def _units_note(file: str, findings: Sequence[Finding]) -> Line:
    """The apply units these findings were judged in, when that is not simply the file's
    own folder (a kustomize build, a `tree` or `file` unit, `--one-unit`)."""
    folder = os.path.dirname(file)
    own = (folder + "/") if folder else "./"
    units = sorted({f.unit for f in findings if f.unit and f.unit not in (own, folder)})
    if not units:
        return []
    return [(f"  (apply unit {', '.join(units)})", "dim")]


def _finding(f: Finding, source: list[str]) -> Iterator[Line]:
    style = _STYLE[f.severity]
    head, tail = split_message(f.message)
    yield [(f"{f.file}:{f.line}:{f.column} ", "bold"), (f"{f.severity}", style),
           (f" {f.rule} ", "dim"), (head, "")]
    if tail:
        yield [("   ", ""), (tail, "")]
    if 0 < f.line <= len(source):
        if f.line > 1 and source[f.line - 2].strip():
            yield [(f"{f.line - 1:>6} | ", "dim"), (source[f.line - 2], "dim")]
        yield [(f"{f.line:>6} | ", "dim"), (source[f.line - 1], "")]
        yield [("       | ", "dim"), (" " * (f.column - 1) + "^", style)]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _verdict(report: Report, options: Options, hidden: Counter[str]) -> Line:
    """`FAILED: 3 errors (fail-on error) · 5 warnings · 12 infos hidden · 4 fixable with
    k8slint fix`: what failed the run, what was left out, what a command can repair."""
    threshold = options.fail_on
    failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        n = sum(1 for f in report.findings if f.severity == severity)
        text = _count(n, str(severity))
        if severity == Severity.INFO and hidden:
            text += " hidden"
        if severity == threshold:
            text += f" (fail-on {severity})"
        parts.append(text)
    if threshold is None:
        parts[-1] += " (fail-on never)"
    suppressed = report.summary.get("suppressed", len(report.suppressed))
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    fixable = sum(1 for f in report.findings if getattr(report.rules.get(f.rule), "fixable", False))
    if fixable:
        parts.append(f"{fixable} fixable with k8slint fix")
    word, style = ("FAILED", "bold red") if failed else ("PASSED", "bold green")
    return [(f"{word}: ", style), (" · ".join(parts), "bold")]
