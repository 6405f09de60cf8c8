"""GitHub Actions workflow commands: `::error file=...::message` lines, which the runner
turns into annotations on the pull request's diff, and a step summary table.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and drops
the rest silently (actions/toolkit, docs/problem-matchers.md, "Limitations"): each
severity is capped at that many, and one log line says how many more there are. The full
list goes to the step summary (`$GITHUB_STEP_SUMMARY`, Markdown, at most 1 MiB per step).
"""

from __future__ import annotations

from collections import Counter

from ..i18n import _, ngettext
from ..model import Finding, Severity
from . import Options, Report

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
ANNOTATIONS_PER_SEVERITY = 10
SUMMARY_ROWS = 200
SUMMARY_BYTES = 1024 * 1024 - 4096     # GitHub's cap per step, with room for other tools


def render_github(report: Report, options: Options) -> str:
    lines: list[str] = []
    annotated: Counter[Severity] = Counter()
    left: Counter[Severity] = Counter()
    for finding in report.findings:
        if annotated[finding.severity] < ANNOTATIONS_PER_SEVERITY:
            annotated[finding.severity] += 1
            lines.append(github_line(finding))
        else:
            left[finding.severity] += 1
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        if left[severity]:
            lines.append(_("k8slint: {count} more {severity} finding(s) not annotated "
                           "(GitHub shows {limit} per severity and step): see the step summary").format(
                count=left[severity], severity=_(str(severity)), limit=ANNOTATIONS_PER_SEVERITY))
    return "".join(line + "\n" for line in lines)


def github_line(finding: Finding) -> str:
    props = {"file": finding.file, "line": str(finding.line), "col": str(finding.column),
             "title": finding.rule}
    text = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    message = finding.message + ("\n" + _("fix: {fix}").format(fix=finding.fix) if finding.fix else "")
    return f"::{COMMAND[finding.severity]} {text}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The runner's escaping of a command's message (actions/toolkit, command.ts)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also escape `:` and `,`, which separate the command's parts."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_step_summary(report: Report, options: Options) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: counts per rule, then the findings (capped)."""
    findings = report.findings
    threshold = options.fail_on
    failed = threshold is not None and any(f.severity >= threshold for f in findings)
    counts = Counter(f.severity for f in findings)
    head = " · ".join(_severity_count(s, counts[s]) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    verdict = _("FAILED") if failed else _("PASSED")
    lines = [f"### k8slint: {verdict} · {head}", ""]
    if not findings:
        return "\n".join(lines + [_("No findings."), ""])
    per_rule = Counter((f.severity, f.rule) for f in findings)
    heads = {"severity": _("severity"), "rule": _("rule"), "findings": _("findings"), "where": _("where"),
             "message": _("message")}
    lines += ["| {severity} | {rule} | {findings} |".format(**heads), "|---|---|---:|"]
    lines += [f"| {severity} | `{rule}` | {n} |" for (severity, rule), n in
              sorted(per_rule.items(), key=lambda item: (-item[0][0], -item[1], item[0][1]))]
    shown = findings[:SUMMARY_ROWS]
    if len(shown) < len(findings):
        title = _("Findings (first {shown} of {total})").format(shown=len(shown), total=len(findings))
    else:
        title = _("Findings")
    lines += ["", f"<details><summary>{title}</summary>", "",
              "| {severity} | {where} | {rule} | {message} |".format(**heads), "|---|---|---|---|"]
    size = sum(len(line) + 1 for line in lines)
    for f in shown:
        row = f"| {f.severity} | `{f.file}:{f.line}:{f.column}` | `{f.rule}` | {_cell(f.message)} |"
        size += len(row.encode("utf-8")) + 1
        if size > SUMMARY_BYTES:
            break
        lines.append(row)
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _severity_count(severity: Severity, n: int) -> str:
    if severity == Severity.ERROR:
        text = ngettext("{count} error", "{count} errors", n)
    elif severity == Severity.WARNING:
        text = ngettext("{count} warning", "{count} warnings", n)
    else:
        text = ngettext("{count} info", "{count} infos", n)
    return text.format(count=n)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
