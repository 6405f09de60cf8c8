"""The JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from typing import Any

from ..model import Finding
from . import Options, Report, sorted_findings

CONTRACT_VERSION = 1


def render_json(report: Report, options: Options) -> str:
    payload: dict[str, Any] = {"version": CONTRACT_VERSION,
                               "findings": [f.as_dict() for f in report.findings],
                               "summary": dict(report.summary)}
    if options.show_suppressed:
        payload["suppressed"] = [_suppressed(f, report) for f in sorted_findings(report.suppressed)]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _suppressed(finding: Finding, report: Report) -> dict[str, Any]:
    """A suppressed finding, with the reason its suppression gives (null when none)."""
    return {**finding.as_dict(), "suppression": {"reason": report.reason(finding)}}
