"""Config files: discovery, validation with the shipped schema, and their effect on a run."""

from __future__ import annotations

import json
import os
import textwrap

import pytest
from click.testing import CliRunner

from k8slint.api import check
from k8slint.cli import main
from k8slint.config import Config, ConfigError, find_config, from_mapping, path_matches
from k8slint.config_schema import config_schema
from k8slint.model import Severity
from tests.conftest import TRAP_CONFIGMAP, workload

TRAPS = TRAP_CONFIGMAP + 'data:\n  mode: "a"\n  mode: "b"\n'


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project folder with one manifest, as the current folder."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "app.yaml").write_text(TRAPS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, ["check", "--format", "compact", *args])


def rules_of(output: str) -> list[str]:
    return [line.split("[")[1].split("]")[0] for line in output.splitlines() if "[" in line]


def test_no_config_reports_both_rules(project):
    result = run("k8s")
    assert rules_of(result.output) == ["yaml-string-trap", "yaml-duplicate-key"]
    assert result.exit_code == 1


def test_k8slint_yaml_in_a_parent_disables_exactly_one_rule(project, monkeypatch):
    (project / ".k8slint.yaml").write_text("disable: [yaml-string-trap]\n")
    monkeypatch.chdir(project / "k8s")
    result = run("app.yaml")
    assert rules_of(result.output) == ["yaml-duplicate-key"]
    assert find_config() == project / ".k8slint.yaml"


def test_pyproject_tool_table(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.k8slint]\n'
                                            'disable = ["yaml-duplicate-key"]\nfail-on = "never"\n')
    result = run("k8s")
    assert rules_of(result.output) == ["yaml-string-trap"]
    assert result.exit_code == 0


def test_pyproject_without_the_table_is_not_a_config(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(project) is None


def test_explicit_config_and_no_config(project):
    (project / ".k8slint.yaml").write_text("disable: [syntax]\n")
    other = project / "strict.yaml"
    other.write_text("fail-on: info\n")
    assert run("k8s").exit_code == 0                               # the whole category is off
    assert rules_of(run("--config", str(other), "k8s").output) == ["yaml-string-trap", "yaml-duplicate-key"]
    assert rules_of(run("--no-config", "k8s").output) == ["yaml-string-trap", "yaml-duplicate-key"]


def test_flags_win_over_the_file(project):
    (project / ".k8slint.yaml").write_text("disable: [yaml-string-trap]\nfail-on: never\n")
    result = run("--enable", "yaml-string-trap", "--fail-on", "error", "k8s")
    assert rules_of(result.output) == ["yaml-string-trap", "yaml-duplicate-key"]
    assert result.exit_code == 1


def test_severity_override_changes_findings_and_exit_code(project):
    (project / ".k8slint.yaml").write_text("severity: {yaml-string-trap: info, yaml-duplicate-key: warning}\n")
    result = run("k8s")
    assert ": info [yaml-string-trap]" in result.output and ": warning [yaml-duplicate-key]" in result.output
    assert result.exit_code == 0
    sarif = CliRunner().invoke(main, ["check", "--format", "sarif", "k8s"]).output
    rules = {r["id"]: r for r in json.loads(sarif)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["yaml-string-trap"]["defaultConfiguration"]["level"] == "note"


def test_exclude_and_per_path_ignore(project):
    (project / "legacy").mkdir()
    # Another object than k8s/app.yaml's: identical objects share one report (k8slint.repeats).
    (project / "legacy" / "old.yaml").write_text(TRAPS.replace("settings", "old-settings"))
    (project / "vendor").mkdir()
    (project / "vendor" / "x.yaml").write_text(TRAPS)
    (project / ".k8slint.yaml").write_text(textwrap.dedent("""\
        exclude: [vendor/]
        ignore:
          "legacy/**": [yaml-duplicate-key]
        """))
    result = run(".")
    files = sorted({line.split(":")[0].removeprefix("./") for line in result.output.splitlines()})
    assert files == ["k8s/app.yaml", "legacy/old.yaml"]
    assert "legacy/old.yaml:9:3:" not in result.output and "k8s/app.yaml:9:3:" in result.output
    # Explicit files are excluded too: pre-commit passes changed files one by one.
    assert run("vendor/x.yaml").output == ""


@pytest.mark.parametrize("text, message", [
    ("kubernetes_version: '1.30'\n", "unknown key 'kubernetes_version'; did you mean 'kubernetes-version'?"),
    ("disabel: [x]\n", "did you mean 'disable'?"),
    ("disable: [yaml-strng-trap]\n", "unknown rule or category 'yaml-strng-trap' in disable; did you mean 'yaml-string-trap'?"),
    ("severity: {yaml-string-trap: fatal}\n", "severity.yaml-string-trap"),
    ("severity: {syntax: info}\n", "unknown rule 'syntax' in severity"),
    ("kubernetes-version: 1.30\n", 'kubernetes-version must be quoted ("1.30")'),
    ("kubernetes-version: '1.99'\n", "unknown Kubernetes version '1.99'"),
    ("fail-on: sometimes\n", "fail-on"),
    ("rule-options: {yaml-string-trap: {max: 1}}\n", "unknown option 'max' of rule yaml-string-trap (the rule has no options)"),
    ("ignore: {'a/**': [nope]}\n", "unknown rule or category 'nope'"),
    ("- a\n- b\n", "must be a mapping"),
    ("disable: [\n", "invalid YAML"),
    ("custom-rules: [{id: x, severity: error, summary: s, message: m, condition: {}, matchh: {}}]\n",
     "unknown key 'matchh' in custom-rules[0]; did you mean 'match'?"),
])
def test_bad_config_is_a_usage_error_naming_the_closest_key(project, text, message):
    (project / ".k8slint.yaml").write_text(text)
    result = run("k8s")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert ".k8slint.yaml" in result.output
    assert "Traceback" not in result.output


def test_missing_config_file_is_a_usage_error(project):
    result = run("--config", "nope.yaml", "k8s")
    assert result.exit_code == 2 and "cannot read" in result.output


WIKI = workload("""
containers: [{name: wiki, image: requarks/wiki:2.5}]
volumes: [{name: data, persistentVolumeClaim: {claimName: wiki-data}}]
""", name="wiki")


def test_rule_options_in_a_config_file_change_what_the_rule_reports(project):
    """deployment-rwo-volume reports a claim that is not in the input unless its option
    unknown-claims is false (rules/deployment-rwo-volume.yaml)."""
    (project / "k8s" / "app.yaml").write_text(WIKI)
    (project / "quiet.yaml").write_text("rule-options:\n  deployment-rwo-volume: {unknown-claims: false}\n")
    default = [(f.rule, f.line) for f in check(["k8s"]).findings if f.rule == "deployment-rwo-volume"]
    assert default == [("deployment-rwo-volume", 10)]      # the volumes line
    quiet = check(["k8s"], "quiet.yaml")
    assert [f for f in quiet.findings if f.rule == "deployment-rwo-volume"] == []


def test_every_config_key_is_in_the_schema_and_readme():
    readme = (os.path.dirname(__file__) + "/../README.md")
    text = open(readme, encoding="utf-8").read()
    for key in config_schema()["properties"]:
        assert f"{key}:" in text or f"{key} =" in text, f"README does not document {key}"


def test_api_accepts_a_mapping_a_path_or_a_config(project):
    assert [f.rule for f in check(["k8s"], {"disable": ["yaml-duplicate-key"]}).findings] == ["yaml-string-trap"]
    (project / "c.yaml").write_text("disable: [yaml-string-trap]\n")
    assert [f.rule for f in check(["k8s"], "c.yaml").findings] == ["yaml-duplicate-key"]
    assert len(check(["k8s"], Config(disable=["syntax"])).findings) == 0
    with pytest.raises(ConfigError):
        check(["k8s"], {"nope": 1})


def test_from_mapping_sets_all_simple_keys():
    config = from_mapping({"kubernetes-version": "1.30", "namespace": "shop", "fail-on": "warning",
                           "pod-security-level": "restricted"})
    assert config.kubernetes_version == (1, 30) and config.namespace == "shop"
    assert config.fail_on == Severity.WARNING and config.pod_security_level == "restricted"
    assert from_mapping({"fail-on": "never"}).fail_on is None


@pytest.mark.parametrize("path, pattern, expected", [
    ("k8s/app.yaml", "k8s/*.yaml", True),
    ("k8s/deep/app.yaml", "k8s/*.yaml", False),
    ("k8s/deep/app.yaml", "k8s/**/*.yaml", True),
    ("k8s/app.yaml", "**/app.yaml", True),
    ("a/vendor/b/x.yaml", "vendor", True),
    ("a/vendor/b/x.yaml", "vendor/", True),
    ("a/vendored/x.yaml", "vendor", False),
    ("./k8s/app.yaml", "k8s/app.yaml", True),
    ("-", "*", False),
])
def test_path_globs(path, pattern, expected):
    assert path_matches(path, pattern) is expected


def test_globs_are_relative_to_the_config_folder(project, monkeypatch):
    monkeypatch.chdir(project / "k8s")
    assert path_matches("app.yaml", "k8s/app.yaml", str(project))


def _keywords(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, found)
            elif key not in ("enum", "const", "required"):
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


SAMPLES = [
    {}, {"kubernetes-version": "1.30", "fail-on": "warning", "enable": ["security"]},
    {"severity": {"a": "info"}}, {"severity": {"a": "fatal"}}, {"enable": "security"},
    {"namespace": ""}, {"kubernetes-version": 1.3}, {"ignore": {"a/**": ["x"]}}, {"ignore": {"a": "x"}},
    {"rule-options": {"r": {"n": 1}}}, {"rule-options": {"r": 1}}, {"exclude": [1]},
    {"custom-rules": [{"id": "a-b", "severity": "info", "summary": "s", "message": "m", "condition": {}}]},
    {"custom-rules": [{"id": "A_b", "severity": "info", "summary": "s", "message": "m", "condition": {}}]},
    {"custom-rules": [{"id": "a", "severity": "info", "summary": "s", "message": "m", "condition": True,
                       "match": {"labelSelector": {"matchExpressions": [{"key": "k", "operator": "Is"}]}}}]},
    {"custom-rules": [{"id": "a", "severity": "info", "summary": "s", "message": "m", "condition": {},
                       "examples": [{"name": "n", "manifest": "x", "expect": None}]}]},
    {"pod-security-level": "baseline"}, {"pod-security-level": "strict"}, {"unknown": 1},
]


@pytest.mark.parametrize("sample", SAMPLES, ids=range(len(SAMPLES)))
def test_built_in_validator_agrees_with_jsonschema(sample):
    from jsonschema import Draft202012Validator

    from k8slint.config_schema import _errors
    schema = config_schema()
    expected = Draft202012Validator(schema).is_valid(sample)
    assert (not list(_errors(sample, schema, schema, ()))) is expected


def test_config_schema_is_valid_and_uses_only_supported_keywords():
    from jsonschema import Draft202012Validator

    from k8slint.config_schema import KEYWORDS
    Draft202012Validator.check_schema(config_schema())
    assert _keywords(config_schema(), set()) <= KEYWORDS
