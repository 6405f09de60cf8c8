"""GitHub Actions workflow commands: one `::error file=...::message` line per finding,
which the runner turns into annotations on the pull request's diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Finding, Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(findings: Sequence[Finding], summary: Mapping[str, int], **_: Any) -> str:
    return "".join(github_line(f) + "\n" for f in findings)


def github_line(finding: Finding) -> str:
    props = {"file": finding.file, "line": str(finding.line), "col": str(finding.column),
             "title": finding.rule}
    text = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    message = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
    return f"::{COMMAND[finding.severity]} {text}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The runner's escaping of a command's message (actions/toolkit, command.ts)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also escape `:` and `,`, which separate the command's parts."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
