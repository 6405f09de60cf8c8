"""The machine report formats, pinned where mutation testing (docs/mutation.md) found them
loose: the GitHub step summary's Markdown, SARIF artifact locations and regions, and the
JUnit texts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from k8slint.model import Finding, ObjectRef, Severity
from k8slint.report import Options, Report
from k8slint.report.github import SUMMARY_BYTES, SUMMARY_ROWS, render_step_summary
from k8slint.report.junit import render_junit
from k8slint.report.sarif import render_sarif

REF = ObjectRef("v1", "ConfigMap", "default", "x")


def _finding(rule: str, severity: Severity, message: str = "m", file: str = "a.yaml", line: int = 1,
             column: int = 1, fix: str | None = None) -> Finding:
    return Finding(rule, "syntax", severity, message, file, line, column, object=REF, fix=fix)


# --- GitHub step summary: GitHub-flavoured Markdown (a heading, a table with a header row
# and a delimiter row, `|` escaped as `\|` inside a cell, a <details> block).

def test_step_summary_without_findings_is_a_heading_and_one_sentence():
    out = render_step_summary(Report([]), Options())
    assert out == "### k8slint: PASSED · 0 errors · 0 warnings · 0 infos\n\nNo findings.\n"


def test_step_summary_is_a_heading_a_table_per_rule_and_the_findings():
    findings = [_finding("b-rule", Severity.ERROR, "first | second\n  line", "k8s/a.yaml", 3, 5),
                _finding("a-rule", Severity.ERROR, "one", "k8s/a.yaml", 4, 1),
                _finding("b-rule", Severity.ERROR, "again", "k8s/b.yaml", 1, 1),
                _finding("w-rule", Severity.WARNING, "w", "k8s/b.yaml", 2, 1)]
    out = render_step_summary(Report(findings), Options())
    # Written by hand: counts per severity (singular for one), rules by severity, then by
    # count (b-rule's 2 before a-rule's 1), then by name; the pipe in a message escaped.
    assert out == (
        "### k8slint: FAILED · 3 errors · 1 warning · 0 infos\n"
        "\n"
        "| severity | rule | findings |\n"
        "|---|---|---:|\n"
        "| error | `b-rule` | 2 |\n"
        "| error | `a-rule` | 1 |\n"
        "| warning | `w-rule` | 1 |\n"
        "\n"
        "<details><summary>Findings</summary>\n"
        "\n"
        "| severity | where | rule | message |\n"
        "|---|---|---|---|\n"
        "| error | `k8s/a.yaml:3:5` | `b-rule` | first \\| second line |\n"
        "| error | `k8s/a.yaml:4:1` | `a-rule` | one |\n"
        "| error | `k8s/b.yaml:1:1` | `b-rule` | again |\n"
        "| warning | `k8s/b.yaml:2:1` | `w-rule` | w |\n"
        "\n"
        "</details>\n")


@pytest.mark.parametrize(("fail_on", "verdict"), [(Severity.ERROR, "PASSED"), (Severity.WARNING, "FAILED"),
                                                  (None, "PASSED")])
def test_step_summary_verdict_follows_fail_on(fail_on, verdict):
    findings = [_finding("w", Severity.WARNING), _finding("w", Severity.WARNING), _finding("i", Severity.INFO)]
    head = render_step_summary(Report(findings), Options(fail_on=fail_on)).splitlines()[0]
    assert head == f"### k8slint: {verdict} · 0 errors · 2 warnings · 1 info"


def test_step_summary_infos_come_after_warnings_and_errors():
    findings = [_finding("i", Severity.INFO), _finding("w", Severity.WARNING), _finding("e", Severity.ERROR)]
    rows = [line for line in render_step_summary(Report(findings), Options()).splitlines()
            if line.endswith(" | 1 |")]
    assert rows == ["| error | `e` | 1 |", "| warning | `w` | 1 |", "| info | `i` | 1 |"]


def test_step_summary_says_when_it_lists_only_the_first_findings():
    findings = [_finding("r", Severity.ERROR, line=n) for n in range(1, SUMMARY_ROWS + 2)]
    out = render_step_summary(Report(findings), Options())
    assert f"<details><summary>Findings (first {SUMMARY_ROWS} of {SUMMARY_ROWS + 1})</summary>" in out
    assert out.count("| error | `a.yaml:") == SUMMARY_ROWS
    exact = render_step_summary(Report(findings[:SUMMARY_ROWS]), Options())
    assert "<details><summary>Findings</summary>" in exact


def _row(message: str) -> str:
    return f"| error | `a.yaml:1:1` | `r` | {message} |"


@pytest.mark.parametrize(("over", "rows"), [(0, 100), (1, 99)])
def test_step_summary_stops_at_the_byte_cap(over, rows):
    """GitHub refuses a step summary over 1 MiB: the findings stop at SUMMARY_BYTES, the
    row that reaches it exactly is shown, the one that would pass it is not."""
    total = 150
    plain = render_step_summary(Report([_finding("r", Severity.ERROR)] * total), Options())
    header = plain.split("\n")[:10]
    assert header[-1] == "|---|---|---|---|"
    # The header lines are counted in characters with their newlines (they are ASCII but
    # for the title's three "·"; the 4 KiB left under GitHub's 1 MiB covers that), the
    # rows in UTF-8 bytes with theirs.
    used = sum(len(line) + 1 for line in header)
    width = 10_400
    per_row = len(_row("x" * width)) + 1
    first = SUMMARY_BYTES + over - used - per_row * (rows - 1 + over) - len(_row("")) - 1
    assert 0 < first < SUMMARY_BYTES
    findings = ([_finding("r", Severity.ERROR, "x" * first)]
                + [_finding("r", Severity.ERROR, "x" * width)] * (total - 1))
    out = render_step_summary(Report(findings), Options())
    assert out.count("| error | `a.yaml:1:1` |") == rows
    assert out.endswith("|\n\n</details>\n")


# --- SARIF 2.1.0: artifactLocation.uri relative to the uriBaseId %SRCROOT% (the folder
# given as root), a region's startLine/startColumn 1-based (sarif-v2.1.0 §3.30.5).

def _locations(findings: list[Finding], options: Options, suppressed: list[Finding] | None = None):
    report = Report(findings, suppressed=suppressed or [])
    results = json.loads(render_sarif(report, options))["runs"][0]["results"]
    return [r["locations"][0]["physicalLocation"] for r in results]


def test_sarif_uris_are_relative_to_the_root_option_not_the_current_folder(tmp_path: Path):
    inside = str(tmp_path / "k8s" / "app.yaml")
    options = Options(root=str(tmp_path), show_suppressed=True)
    found, suppressed = _locations([_finding("r", Severity.ERROR, file=inside)], options,
                                   [_finding("s", Severity.ERROR, file=inside)])
    for location in (found, suppressed):
        assert location["artifactLocation"] == {"uri": "k8s/app.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_stdin_and_line_one():
    [location] = _locations([_finding("r", Severity.ERROR, file="-", line=1, column=1)], Options())
    assert location["artifactLocation"] == {"uri": "stdin"}
    assert location["region"] == {"startLine": 1, "startColumn": 1}
    [zero] = _locations([_finding("r", Severity.ERROR, line=0, column=0)], Options())
    assert zero["region"] == {"startLine": 1, "startColumn": 1}


# --- JUnit: failure and system-out texts.

def test_junit_texts_and_suites_for_files_not_listed():
    findings = [_finding("e", Severity.ERROR, "bad", "b.yaml", 2, 3),
                _finding("f", Severity.ERROR, "fixable", "b.yaml", 4, 1, fix="quote it"),
                _finding("i", Severity.INFO, "odd \x07 text", "c.yaml", 1, 1)]
    # A Report built without `files` or `objects` (the API's default): a suite per file
    # that has findings.
    root = ET.fromstring(render_junit(Report(findings), Options()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["b.yaml", "c.yaml"]
    failures = suites["b.yaml"].findall("testcase/failure")
    assert [f.text for f in failures] == ["b.yaml:2:3 error e: bad", "b.yaml:4:1 error f: fixable\nfix: quote it"]
    # XML 1.0 cannot carry U+0007: it becomes U+FFFD, the replacement character.
    assert suites["c.yaml"].find("testcase/system-out").text == "c.yaml:1:1 info i: odd \ufffd text"
    listed = Report(findings, objects=[("d.yaml", REF)])
    suites = {s.get("name"): s for s in ET.fromstring(render_junit(listed, Options())).findall("testsuite")}
    assert suites["d.yaml"].find("testcase").get("name") == "ConfigMap/x in default"
