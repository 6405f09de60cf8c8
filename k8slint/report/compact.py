"""One line per finding, `file:line:col: severity [rule] message`: for editors' error
parsers (vim's errorformat, VS Code problem matchers) and grep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Finding


def render_compact(findings: Sequence[Finding], summary: Mapping[str, int], *,
                   suppressed: Sequence[Finding] = (), **_: Any) -> str:
    lines = [compact_line(f) for f in findings]
    lines += [compact_line(f) + " (suppressed)" for f in suppressed]
    return "".join(line + "\n" for line in lines)


def compact_line(finding: Finding) -> str:
    message = " ".join(finding.message.split())      # one line, whatever the message holds
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} [{finding.rule}] {message}"
