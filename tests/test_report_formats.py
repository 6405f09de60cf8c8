"""SARIF, JUnit, GitHub and compact output: valid against their schemas and syntax."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from k8slint.api import check_text, render
from k8slint.cli import main
from k8slint.model import Finding, ObjectRef, Severity
from k8slint.report import Options, Report
from k8slint.report.github import escape_property, github_line
from k8slint.rules import builtin_rules
from tests.conftest import CORPUS, ROOT, SCHEMAS, TRAP_CONFIGMAP

BROKEN = TRAP_CONFIGMAP + """\
data:
  enabled: yes
---
apiVersion: v1
kind: ConfigMap
metadata: {name: clean}
data: {mode: "0755"}
"""


def _result():
    return check_text(BROKEN, name="k8s/app.yaml")


def test_sarif_validates_and_has_one_result_per_finding():
    from jsonschema import Draft4Validator

    result = _result()
    sarif = json.loads(render(result, "sarif"))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    errors = [e.message for e in Draft4Validator(schema).iter_errors(sarif)]
    assert errors == []
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "k8slint" and driver["version"] and driver["informationUri"]
    assert {r["id"] for r in driver["rules"]} == set(builtin_rules())
    rule = next(r for r in driver["rules"] if r["id"] == "yaml-string-trap")
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    assert len(run["results"]) == len(result.findings) == 2
    first = run["results"][0]
    assert first["ruleId"] == "yaml-string-trap" and first["level"] == "error"
    assert driver["rules"][first["ruleIndex"]]["id"] == "yaml-string-trap"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "k8s/app.yaml"
    assert location["region"] == {"startLine": 6, "startColumn": 14}


def test_sarif_levels_and_suppressed_results():
    text = BROKEN.replace("    version: 1.10", "    version: 1.10  # k8slint: ignore[yaml-string-trap]")
    result = check_text(text, name="app.yaml")
    sarif = json.loads(render(result, "sarif", show_suppressed=True))
    results = sarif["runs"][0]["results"]
    assert [r.get("suppressions") for r in results] == [None, [{"kind": "inSource"}]]
    assert json.loads(render(result, "sarif"))["runs"][0]["results"][0]["ruleId"] == "yaml-string-trap"
    info = Finding("not-kubernetes", "syntax", Severity.INFO, "m", "a.yaml", 1, 1)
    from k8slint.report.sarif import render_sarif
    report = Report([info], rules=builtin_rules())
    level = json.loads(render_sarif(report, Options()))["runs"][0]["results"][0]["level"]
    assert level == "note"


def test_junit_validates_against_the_xsd():
    import xmlschema

    xml = render(_result(), "junit")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
    schema.validate(xml)
    import xml.etree.ElementTree as ET
    root = ET.fromstring(xml)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["k8s/app.yaml"]
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    assert set(cases) == {"ConfigMap/settings in default", "ConfigMap/clean in default"}
    assert len(cases["ConfigMap/settings in default"].findall("failure")) == 2
    assert cases["ConfigMap/clean in default"].findall("failure") == []
    assert root.get("tests") == "2" and root.get("failures") == "1"


def test_junit_keeps_infos_out_of_failures_and_survives_control_characters():
    import xml.etree.ElementTree as ET

    from k8slint.report.junit import render_junit
    ref = ObjectRef("v1", "ConfigMap", "default", "x")
    findings = [Finding("not-kubernetes", "syntax", Severity.INFO, "odd \x07 text", "a.yaml", 1, 1, object=ref),
                Finding("yaml-syntax", "syntax", Severity.ERROR, "broken <&>", "b.yaml", 2, 3)]
    root = ET.fromstring(render_junit(Report(findings, files=["a.yaml", "b.yaml", "empty.yaml"]), Options()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert suites["a.yaml"].find("testcase/failure") is None
    assert "odd" in suites["a.yaml"].find("testcase/system-out").text
    assert suites["b.yaml"].find("testcase").get("name") == "(file)"
    assert suites["empty.yaml"].get("tests") == "0"


GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,:\r\n]*,line=\d+,col=\d+,title=[^,:\r\n]+::[^\r\n]*$")


def test_github_lines_follow_the_workflow_command_syntax():
    out = render(_result(), "github")
    lines = out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert GITHUB_LINE.match(line), line
    assert lines[0].startswith("::error file=k8s/app.yaml,line=6,col=14,title=yaml-string-trap::unquoted 1.10")


def test_github_escaping_and_severities():
    ref = ObjectRef("v1", "ConfigMap", "default", "x")
    finding = Finding("r", "syntax", Severity.WARNING, "50% done\r\nnext: a, b", "dir,x/a:b.yaml", 3, 4,
                      object=ref, fix=None)
    line = github_line(finding)
    assert line == "::warning file=dir%2Cx/a%3Ab.yaml,line=3,col=4,title=r::50%25 done%0D%0Anext: a, b"
    assert github_line(Finding("r", "syntax", Severity.INFO, "m", "a", 1, 1)).startswith("::notice ")
    assert escape_property("%:,\n") == "%25%3A%2C%0A"


def test_compact_is_one_line_per_finding():
    lines = render(_result(), "compact").splitlines()
    assert lines[0].startswith("k8s/app.yaml:6:14: error [yaml-string-trap] unquoted 1.10")
    assert re.match(r"^k8s/app.yaml:8:\d+: error \[yaml-string-trap\] ", lines[1])
    finding = Finding("r", "syntax", Severity.ERROR, "two\nlines", "a.yaml", 1, 2)
    from k8slint.report.compact import compact_line
    assert compact_line(finding) == "a.yaml:1:2: error [r] two lines"


def test_several_formats_and_outputs_in_one_run(tmp_path):
    manifest = tmp_path / "app.yaml"
    manifest.write_text(BROKEN)
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--no-config", "--format", "sarif", "--output", str(sarif),
                                  "--format", "compact", "--format", "junit", "-o", str(junit),
                                  str(manifest)])
    assert result.exit_code == 1, result.output
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith("<?xml")
    assert result.output.count(": error [yaml-string-trap]") == 2


@pytest.mark.parametrize("args, message", [
    (["--format", "json", "--format", "compact"], "only one --format can go to stdout"),
    (["--format", "json", "-o", "a", "-o", "b"], "give a --format before each --output"),
])
def test_bad_format_and_output_pairs_are_usage_errors(tmp_path, args, message):
    manifest = tmp_path / "app.yaml"
    manifest.write_text(BROKEN)
    result = CliRunner().invoke(main, ["check", "--no-config", *args, str(manifest)])
    assert result.exit_code == 2 and message in result.output


def test_output_before_format_and_default_human(tmp_path):
    manifest = tmp_path / "app.yaml"
    manifest.write_text(BROKEN)
    out = tmp_path / "report.txt"
    result = CliRunner().invoke(main, ["check", "--no-config", "-o", str(out), str(manifest)])
    assert result.exit_code == 1 and result.output == ""
    assert "see: k8slint rules show yaml-string-trap" in out.read_text()


def test_rules_json_lists_the_contract_fields():
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    rules = json.loads(result.output)
    assert {tuple(sorted(r)) for r in rules} == {("category", "fixable", "id", "severity", "summary")}
    assert {r["id"] for r in rules} == set(builtin_rules())


def test_sarif_paths_outside_the_folder_are_file_uris(tmp_path):
    from k8slint.report.sarif import render_sarif
    finding = Finding("r", "syntax", Severity.ERROR, "m", str(tmp_path / "x y.yaml"), 1, 1)
    out = json.loads(render_sarif(Report([finding]), Options(root=str(ROOT))))
    uri = out["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("x%20y.yaml")


def test_corpus_reports_validate():
    import xmlschema
    from jsonschema import Draft4Validator

    from k8slint.api import check
    result = check([str(CORPUS / "real")])
    sarif = json.loads(render(result, "sarif"))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    assert not list(Draft4Validator(schema).iter_errors(sarif))
    assert len(sarif["runs"][0]["results"]) == len(result.findings)
    xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(render(result, "junit"))
    for line in render(result, "github").splitlines():
        assert GITHUB_LINE.match(line) or re.match(r"^k8slint: \d+ more (error|warning|info) ", line), line
