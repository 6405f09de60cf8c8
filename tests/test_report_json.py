"""The JSON reporter writes finding by finding the text json.dumps(indent=2) gives for
the whole payload (the contract's exact bytes)."""

from __future__ import annotations

import json

import pytest

from k8slint.model import Finding, ObjectRef, Severity
from k8slint.report import Options, Report
from k8slint.report.json import render_json

REF = ObjectRef("apps/v1", "Deployment", "default", "web")
FINDINGS = [
    Finding("probe-liveness-missing", "probe", Severity.WARNING, "no probe \u2192 \"quoted\"\nsecond line",
            "a.yaml", 3, 5, path="spec.template", object=REF, fix="add one"),
    Finding("yaml-syntax", "syntax", Severity.ERROR, "bad\ttab \\ back\u00e9", "b.yaml", 1, 1),
]


def _whole(report: Report, show_suppressed: bool) -> str:
    """The payload dumped in one call, as the reporter did before it streamed."""
    payload = {"version": 1, "findings": [f.as_dict() for f in report.findings],
               "summary": dict(report.summary)}
    if show_suppressed:
        payload["suppressed"] = [{**f.as_dict(), "suppression": {"reason": report.reason(f)}}
                                 for f in sorted(report.suppressed, key=Finding.sort_key)]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("findings", [[], FINDINGS[:1], FINDINGS])
@pytest.mark.parametrize("show_suppressed", [False, True])
def test_json_is_the_whole_payload_dumped_at_once(findings: list[Finding], show_suppressed: bool) -> None:
    report = Report(findings, summary={"files": 2, "errors": 1}, suppressed=list(reversed(findings)),
                    reasons={FINDINGS[0].sort_key(): "why: \u00fcber"})
    text = render_json(report, Options(show_suppressed=show_suppressed))
    assert text == _whole(report, show_suppressed)
    assert json.loads(text)["findings"] == [f.as_dict() for f in findings]


def test_empty_summary_and_no_findings() -> None:
    assert render_json(Report([]), Options()) == _whole(Report([]), False)
