"""One line per finding, `file:line:col: severity [rule] message`: for editors' error
parsers (vim's errorformat, VS Code problem matchers) and grep."""

from __future__ import annotations

from ..model import Finding
from . import Options, Report, sorted_findings


def render_compact(report: Report, options: Options) -> str:
    lines = [compact_line(f) for f in report.findings]
    if options.show_suppressed:
        lines += [compact_line(f) + " (suppressed)" for f in sorted_findings(report.suppressed)]
    return "".join(line + "\n" for line in lines)


def compact_line(finding: Finding) -> str:
    message = " ".join(finding.message.split())      # one line, whatever the message holds
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} [{finding.rule}] {message}"
