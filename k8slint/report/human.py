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

from ..i18n import N_, _, ngettext
from ..lazyre import lazy_compile
from ..model import Finding, Severity
from . import Options, Out, Report, sorted_findings

Segment = tuple[str, str]          # (text, rich style)
Line = list[Segment]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEVERITY_NAME = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}
TOP_RULES = 3
# Words after which a period does not end a sentence.
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "approx")
_OPEN, _CLOSE = "([{", ")]}"
# A Korean message's first sentence ends with a sentence ending (합니다체: ...다, ...요);
# a colon after a subject ("extensions/v1beta1 Deployment: ...") is no sentence end.
_HANGUL = lazy_compile("[\uac00-\ud7a3]")
_KOREAN_SENTENCE_END = lazy_compile(r"[다요음함됨임?](?:\s*\([^()]*\))?\s*$")


def write_human(report: Report, options: Options, out: Out) -> None:
    """render_human() line by line into `out`."""
    if options.color:
        out.write(render_human(report, options))
        return
    for line in _lines(report, options):
        out.write("".join(text for text, __ in line) + "\n")


def render_human(report: Report, options: Options) -> str:
    lines = list(_lines(report, options))
    if not options.color:
        return "".join("".join(text for text, __ in line) + "\n" for line in lines)
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
    korean = _HANGUL.search(message) is not None
    for token in _SPLIT_TOKENS.finditer(message):      # only the characters that matter
        i = token.start()
        char = message[i]
        if char == '"' or char == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth != 0:
            continue
        elif char == " ":                                # ` - `
            if " " in message[:i].strip():
                return message[:i], message[i + 3:].strip()
        else:                                            # `. `, `: ` or `; `
            head = message[:i]
            if char == "." and head.endswith(_ABBREVIATIONS):
                continue
            if korean and _KOREAN_SENTENCE_END.search(head) is None:
                continue
            if " " in head.strip():
                return head, message[i + 2:].strip()
    return message, ""


# Quotes, brackets, `.`/`:`/`;` before a space, and the space of ` - `: one character each.
_SPLIT_TOKENS = lazy_compile(r'["`(\[{)\]}]|[.:;](?= )| (?=- )')


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
        yield [(_("suppressed:"), "bold")]
        yield from _listing(sorted_findings(report.suppressed), report.texts, report)
    for rule, count in sorted(hidden.items(), key=lambda item: (-item[1], item[0])):
        yield [(_("{count} × {rule} (info)").format(count=count, rule=rule), _STYLE[Severity.INFO]),
               (_(": --show-infos to list"), "dim")]
    serious = [f for f in report.findings if f.severity > Severity.INFO]
    top = Counter(f.rule for f in serious).most_common(TOP_RULES)
    if len(serious) > TOP_RULES:        # with three or fewer, they are all just above
        names = ", ".join(f"{rule} ({count})" for rule, count in top)
        yield [(_("most frequent: "), "bold"), (names, ""),
               (_(" · why and how to fix: k8slint rules show RULE"), "dim")]
    if report.baselined:
        yield [(_("{count} finding(s) in the baseline not shown").format(count=report.baselined), "dim")]
    summary = report.summary
    files, objects = summary.get("files", 0), summary.get("objects", 0)
    yield [(_("checked {files}, {objects}").format(
        files=ngettext("{count} file", "{count} files", files).format(count=files),
        objects=ngettext("{count} object", "{count} objects", objects).format(count=objects)), "dim")]
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
                yield [(_("   suppressed: "), "dim"), (reason or _("no reason given"), "")]
                continue
            if f.fix and (f.rule, f.fix) not in advised:
                yield [(_("   fix: "), "green"), (f.fix, "")]
            if (f.rule, None) not in advised:
                yield [(_("   see: k8slint rules show {rule}").format(rule=f.rule), "dim")]
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
    return [(_("  (apply unit {units})").format(units=", ".join(units)), "dim")]


def _finding(f: Finding, source: list[str]) -> Iterator[Line]:
    style = _STYLE[f.severity]
    head, tail = split_message(f.message)
    yield [(f"{f.file}:{f.line}:{f.column} ", "bold"), (severity_name(f.severity), style),
           (f" {f.rule} ", "dim"), (head, "")]
    if tail:
        yield [("   ", ""), (tail, "")]
    if 0 < f.line <= len(source):
        if f.line > 1 and source[f.line - 2].strip():
            yield [(f"{f.line - 1:>6} | ", "dim"), (source[f.line - 2], "dim")]
        yield [(f"{f.line:>6} | ", "dim"), (source[f.line - 1], "")]
        yield [("       | ", "dim"), (" " * (f.column - 1) + "^", style)]


def severity_name(severity: Severity) -> str:
    """"error", "warning", "info" in the output's language."""
    return _(_SEVERITY_NAME[severity])


def text_width(text: str) -> int:
    """Columns a text takes in a terminal: Hangul and other wide characters take two."""
    from unicodedata import east_asian_width

    if text.isascii():
        return len(text)
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def _severity_count(severity: Severity, n: int, hidden: bool) -> str:
    if severity == Severity.ERROR:
        text = ngettext("{count} error", "{count} errors", n)
    elif severity == Severity.WARNING:
        text = ngettext("{count} warning", "{count} warnings", n)
    elif hidden:
        text = ngettext("{count} info hidden", "{count} infos hidden", n)
    else:
        text = ngettext("{count} info", "{count} infos", n)
    return text.format(count=n)


def _verdict(report: Report, options: Options, hidden: Counter[str]) -> Line:
    """`FAILED: 3 errors (fail-on error) · 5 warnings · 12 infos hidden · 4 fixable with
    k8slint fix`: what failed the run, what was left out, what a command can repair."""
    threshold = options.fail_on
    failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        n = sum(1 for f in report.findings if f.severity == severity)
        text = _severity_count(severity, n, severity == Severity.INFO and bool(hidden))
        if severity == threshold:
            text += f" (fail-on {severity})"
        parts.append(text)
    if threshold is None:
        parts[-1] += " (fail-on never)"
    suppressed = report.summary.get("suppressed", len(report.suppressed))
    if suppressed:
        parts.append(_("{count} suppressed").format(count=suppressed))
    fixable = sum(1 for f in report.findings if getattr(report.rules.get(f.rule), "fixable", False))
    if fixable:
        parts.append(_("{count} fixable with k8slint fix").format(count=fixable))
    word, style = (_("FAILED"), "bold red") if failed else (_("PASSED"), "bold green")
    return [(f"{word}: ", style), (" · ".join(parts), "bold")]
