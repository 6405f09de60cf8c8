"""Everyday use (issue 20): quiet output with a verdict, the CLI conventions users of
ruff, yamllint and kubeconform expect, suppression reasons, and the version in step."""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib

import pytest
from click.testing import CliRunner

import k8slint
from k8slint.cli import main
from k8slint.model import Finding, Severity
from k8slint.report import Options, Report
from k8slint.report.human import split_message
from tests.conftest import ROOT, TRAP_CONFIGMAP, workload

TRAP = TRAP_CONFIGMAP
# Three containers with a moving tag: image-pull-policy (info) once per container, same fix.
THREE_CONTAINERS = workload("containers:\n" + "".join(
    f'  - {{name: {c}, image: "nginx:1.27", resources: {{requests: {{cpu: 1, memory: 1Gi}}, limits: {{memory: 1Gi}}}}}}\n'
    for c in "abc"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(args: list[str], input: str | bytes | None = None, env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=input, env={"NO_COLOR": None, "FORCE_COLOR": None,
                                                                  **(env or {})})
    finally:
        os.chdir(old)


def _write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- quiet by default --------------------------------------------------------------------
def test_infos_are_collapsed_per_rule_and_listed_with_show_infos(tmp_path):
    path = _write(tmp_path, "web.yaml", THREE_CONTAINERS)
    quiet = run(["check", "--no-config", str(path)])
    assert quiet.exit_code == 0
    assert "3 × image-pull-policy (info): --show-infos to list" in quiet.output
    assert " info image-pull-policy " not in quiet.output
    listed = run(["check", "--no-config", "--show-infos", str(path)])
    assert listed.output.count(" info image-pull-policy ") == 3
    # The same fix text once per rule per file, not once per container.
    assert listed.output.count("   fix: Pin a full version") == 1
    assert listed.output.count("see: k8slint rules show image-pull-policy") == 1


def test_min_severity_filters_every_format_and_json_keeps_infos_by_default(tmp_path):
    path = _write(tmp_path, "web.yaml", THREE_CONTAINERS)
    everything = json.loads(run(["check", "--no-config", "--format", "json", str(path)]).output)
    assert any(f["severity"] == "info" for f in everything["findings"])
    for fmt in ("json", "compact", "github", "human"):
        out = run(["check", "--no-config", "--min-severity", "warning", "--format", fmt, str(path)]).output
        assert "image-pull-policy" not in out, fmt
    filtered = json.loads(run(["check", "--no-config", "--min-severity", "warning", "--format", "json",
                               str(path)]).output)
    assert filtered["summary"]["infos"] == 0


def test_first_sentence_on_the_finding_line_and_the_consequence_below():
    result = run(["check", "--no-config", "-"], input=TRAP)
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("-:6:14 error yaml-string-trap "))
    assert lines[at].endswith("but this field must be a string")
    assert lines[at + 1] == '   the API server rejects the object; quote it: "1.10"'


@pytest.mark.parametrize("message, head, tail", [
    ("selector app=web matches no pod: the Service has no endpoints", "selector app=web matches no pod",
     "the Service has no endpoints"),
    ("spec.replicas: expected integer, got string \"3\"", "spec.replicas: expected integer, got string \"3\"", ""),
    ("uses tag 1.27 (e.g. moved: see docs). Nodes keep the old copy", "uses tag 1.27 (e.g. moved: see docs)",
     "Nodes keep the old copy"),
    ('value "a: b" is odd; fix it', 'value "a: b" is odd', "fix it"),
    ("one sentence only", "one sentence only", ""),
    # Korean: the first sentence ends with a sentence ending (...다, ...요), not at the colon
    # after a subject or a field
    ("extensions/v1beta1 Deployment: Kubernetes 1.16에서 제거되었습니다: apps/v1을 사용하세요",
     "extensions/v1beta1 Deployment: Kubernetes 1.16에서 제거되었습니다", "apps/v1을 사용하세요"),
    ("Service web: 이 백엔드로 가는 요청이 실패합니다(503). 이름을 확인하세요",
     "Service web: 이 백엔드로 가는 요청이 실패합니다(503)", "이름을 확인하세요"),
    ("progressDeadlineSeconds 600 (기본값): API 서버가 거부합니다", "progressDeadlineSeconds 600 (기본값): API 서버가 거부합니다", ""),
])
def test_split_message(message, head, tail):
    assert split_message(message) == (head, tail)


def test_verdict_line_and_most_frequent_rules():
    findings = [Finding("a-rule", "probe", Severity.ERROR, "m", "f.yaml", i, 1) for i in range(1, 4)]
    findings += [Finding("b-rule", "probe", Severity.WARNING, "m", "f.yaml", 9, 1),
                 Finding("c-rule", "probe", Severity.INFO, "m", "f.yaml", 10, 1),
                 Finding("c-rule", "probe", Severity.INFO, "m", "f.yaml", 11, 1)]
    from k8slint.report import render
    from k8slint.rules import builtin_rules

    rules = {"a-rule": builtin_rules()["yaml-string-trap"]}        # a fixable rule's metadata
    text = render(Report(findings, summary={"files": 1, "objects": 2, "suppressed": 1}, rules=rules),
                  "human", Options())
    *_, top, checked, verdict = text.splitlines()
    assert verdict == ("FAILED: 3 errors (fail-on error) · 1 warning · 2 infos hidden · 1 suppressed"
                       " · 3 fixable with k8slint fix")
    assert top.startswith("most frequent: a-rule (3), b-rule (1) ") and "k8slint rules show RULE" in top
    assert checked == "checked 1 file, 2 objects"
    passed = render(Report(findings[3:], summary={}), "human", Options(fail_on=None)).splitlines()[-1]
    assert passed == "PASSED: 0 errors · 1 warning · 2 infos hidden (fail-on never)"
    warn = render(Report(findings[3:], summary={}), "human", Options(fail_on=Severity.WARNING))
    assert warn.splitlines()[-1].startswith("FAILED: 0 errors · 1 warning (fail-on warning)")


# --- conventions ---------------------------------------------------------------------------
def test_bare_command_prints_help_and_exits_0():
    result = run([])
    assert result.exit_code == 0 and "Usage:" in result.output and "check" in result.output


def test_help_is_not_truncated_and_check_help_has_examples_and_exit_codes():
    listing = run(["--help"]).output
    commands = listing.split("Commands:")[1]
    assert "..." not in commands and "lsp" in commands
    check_help = run(["check", "--help"]).output
    assert "Examples:" in check_help and "Exit codes:" in check_help
    for code in ("0  no finding", "1  a finding", "2  a usage"):
        assert code in check_help


def test_config_and_file_errors_have_no_usage_block(tmp_path):
    _write(tmp_path, ".k8slint.yaml", "kubernetes_version: '1.30'\n")
    manifest = _write(tmp_path, "a.yaml", TRAP)
    bad_config = run(["check", str(manifest)], cwd=tmp_path)
    assert bad_config.exit_code == 2
    assert "Usage:" not in bad_config.output and "did you mean 'kubernetes-version'" in bad_config.output
    bad_baseline = run(["check", "--no-config", "--baseline", str(_write(tmp_path, "b.json", "{")),
                        str(manifest)])
    assert bad_baseline.exit_code == 2 and "Usage:" not in bad_baseline.output
    unknown = run(["check", "--no-config", "--disable", "probe-livenes", str(manifest)])
    assert unknown.exit_code == 2 and "Usage:" not in unknown.output
    assert "did you mean probe-liveness-missing?" in unknown.output


def test_a_folder_without_manifests_is_a_warning_and_exit_2_alone(tmp_path):
    empty = tmp_path / "k8s"
    (empty / "docs").mkdir(parents=True)
    _write(empty, "README.md", "# not a manifest\n")
    alone = run(["check", "--no-config", str(empty)])
    assert alone.exit_code == 2
    assert f"k8slint: warning: {empty}: no YAML or JSON files under it" in alone.output
    clean = _write(tmp_path, "ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
    with_other = run(["check", "--no-config", str(empty), str(clean)])
    assert with_other.exit_code == 0 and "no YAML or JSON files under it" in with_other.output


def test_stdin_filename_names_findings_and_config_globs_apply(tmp_path):
    named = run(["check", "--no-config", "--format", "compact", "--stdin-filename", "k8s/app.yaml", "-"],
                input=TRAP)
    assert named.output.startswith("k8s/app.yaml:6:14: error [yaml-string-trap]")
    _write(tmp_path, ".k8slint.yaml", 'ignore: {"legacy/**": [yaml-string-trap]}\n')
    ignored = run(["check", "--format", "compact", "--stdin-filename", "legacy/app.yaml", "-"], input=TRAP,
                  cwd=tmp_path)
    assert ignored.exit_code == 0 and "yaml-string-trap" not in ignored.output
    assert run(["check", "--stdin-filename", "x.yaml", "a.yaml"]).exit_code == 2


@pytest.mark.parametrize("args, env, coloured", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {}, False),                                   # not a terminal
    ([], {"FORCE_COLOR": "1"}, True),                  # CI logs that render colour
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
])
def test_color_flag_and_environment(args, env, coloured):
    result = run(["check", "--no-config", *args, "-"], input=TRAP, env=env)
    assert bool(ANSI.search(result.output)) is coloured


def test_junit_failures_follow_fail_on(tmp_path):
    import xml.etree.ElementTree as ET

    # BestEffort pods (no requests or limits): a warning, no error.
    warning_only = _write(tmp_path, "web.yaml", re.sub(r", resources: [^\n]*", "}", THREE_CONTAINERS))
    default = ET.fromstring(run(["check", "--no-config", "--format", "junit", str(warning_only)]).output)
    assert default.get("failures") == "0"
    assert "resource-best-effort" in default.find("testsuite/testcase/system-out").text
    strict = ET.fromstring(run(["check", "--no-config", "--fail-on", "warning", "--format", "junit",
                                str(warning_only)]).output)
    assert strict.get("failures") == "1"


def test_github_annotations_are_capped_per_severity_with_a_step_summary(tmp_path):
    # 12 ConfigMaps, each with one yaml-string-trap error: GitHub shows 10 errors per step
    # (actions/toolkit docs/problem-matchers.md, "Limitations").
    text = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}, labels: {{v: 1.10}}}}\n"
                   for i in range(12))
    path = _write(tmp_path, "many.yaml", text)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run(["check", "--no-config", "--format", "github", str(path)],
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = result.output.splitlines()
    assert sum(1 for line in lines if line.startswith("::error ")) == 10
    assert "k8slint: 2 more error finding(s) not annotated" in result.output
    table = summary.read_text()
    assert table.startswith("earlier step\n### k8slint: FAILED · 12 errors · 0 warnings")
    assert "| error | `yaml-string-trap` | 12 |" in table
    assert table.count(f"| error | `{path}:") == 12


def test_baseline_is_written_0644(tmp_path):
    path = _write(tmp_path, "a.yaml", TRAP)
    baseline = tmp_path / "baseline.json"
    old = os.umask(0o022)
    try:
        assert run(["check", "--no-config", "--write-baseline", str(baseline), str(path)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o644


def test_show_suppressed_is_sorted_and_reasons_reach_json_and_sarif(tmp_path):
    _write(tmp_path, "b.yaml", TRAP.replace("name: settings", "name: other").replace("    version: 1.10", "    version: 1.10  # k8slint: ignore[yaml-string-trap] tracked in JIRA-1"))
    _write(tmp_path, "a.yaml", TRAP.replace("  name: settings\n", "  name: settings\n  annotations:\n"
                                            '    k8slint.io/ignore: "yaml-string-trap: legacy chart; all"\n'))
    args = ["check", "--no-config", "--show-suppressed", str(tmp_path)]
    payload = json.loads(run([*args, "--format", "json"]).output)
    assert [(s["file"].rpartition("/")[2], s["suppression"]["reason"]) for s in payload["suppressed"]] == \
        [("a.yaml", "legacy chart"), ("b.yaml", "tracked in JIRA-1")]
    compact = [line for line in run([*args, "--format", "compact"]).output.splitlines() if "(suppressed)" in line]
    assert compact == sorted(compact) and len(compact) == 2
    sarif = json.loads(run([*args, "--format", "sarif"]).output)
    reasons = [r["suppressions"][0].get("justification") for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert reasons == ["legacy chart", "tracked in JIRA-1"]
    human = run(args).output
    assert human.index("a.yaml:") < human.index("b.yaml:") and "   suppressed: legacy chart" in human


def test_rules_table_category_listing_and_how_to_silence():
    table = run(["rules"]).output.splitlines()
    assert table[0].split() == ["RULE", "CATEGORY", "SEVERITY", "DEFAULT", "FIX", "SUMMARY"]
    trap = next(line for line in table if line.startswith("yaml-string-trap "))
    assert trap.split()[1:5] == ["syntax", "error", "on", "yes"]
    assert "on by default" in table[-1]
    probes = run(["rules", "show", "probe"]).output.splitlines()
    assert probes[0].startswith("RULE") and all(" probe " in line for line in probes[1:])
    shown = run(["rules", "show", "probe-liveness-missing"]).output
    assert "--disable probe-liveness-missing" in shown
    assert 'k8slint.io/ignore: "probe-liveness-missing: the reason"' in shown
    assert "# k8slint: ignore[probe-liveness-missing]" in shown


# --- the version in step -------------------------------------------------------------------
def test_version_pyproject_readme_and_urls_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == k8slint.__version__ == "0.2.0"
    assert project["urls"]["Homepage"] == project["urls"]["Source"] == k8slint.HOMEPAGE
    readme = (ROOT / "README.md").read_text()
    assert f"rev: v{k8slint.__version__}" in readme
    assert f"pip install git+{k8slint.HOMEPAGE}@v{k8slint.__version__}" in readme
    assert f"pipx install git+{k8slint.HOMEPAGE}" in readme
    assert re.findall(r"rev: v\d+\.\d+\.\d+", readme) == [f"rev: v{k8slint.__version__}"]
