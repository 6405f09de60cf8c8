"""The CLI end to end: exit codes, stdin, the JSON contract, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from tests.conftest import ROOT

CONTRACT = {
    "type": "object",
    "required": ["version", "findings", "summary"],
    "properties": {
        "version": {"const": 1},
        "findings": {"type": "array", "items": {
            "type": "object",
            "required": ["rule", "category", "severity", "message", "file", "line", "column",
                         "path", "object", "fix"],
            "properties": {
                "rule": {"type": "string"},
                "category": {"enum": ["syntax", "schema", "api-version", "naming", "selector",
                                      "reference", "probe", "lifecycle", "controller", "availability",
                                      "resources", "security", "image", "custom"]},
                "severity": {"enum": ["error", "warning", "info"]},
                "message": {"type": "string"},
                "file": {"type": "string"},
                "line": {"type": "integer", "minimum": 1},
                "column": {"type": "integer", "minimum": 1},
                "path": {"type": ["string", "null"]},
                "object": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["apiVersion", "kind", "namespace", "name"],
                    "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                   "namespace": {"type": ["string", "null"]}, "name": {"type": "string"}}}]},
                "fix": {"type": ["string", "null"]},
            }}},
        "summary": {"type": "object",
                    "required": ["files", "documents", "objects", "errors", "warnings", "infos"],
                    "additionalProperties": {"type": "integer"}},
    },
}

BROKEN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {v: 1.10}\n"
CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: \"1\"}\n"


def k8slint(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "k8slint", *args], input=data, capture_output=True,
                          cwd=ROOT, timeout=60)


def test_json_output_follows_the_contract_and_sorts_findings():
    done = k8slint("check", "--format", "json", "fixtures/")
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    jsonschema.validate(payload, CONTRACT)
    keys = [(f["file"], f["line"], f["column"], f["rule"]) for f in payload["findings"]]
    assert keys == sorted(keys) and keys


def test_stdin_is_file_dash_and_exit_codes():
    broken = k8slint("check", "--format", "json", "-", stdin=BROKEN)
    assert broken.returncode == 1
    [finding] = [f for f in json.loads(broken.stdout)["findings"] if f["rule"] == "yaml-string-trap"]
    assert (finding["file"], finding["line"], finding["object"]["namespace"]) == ("-", 5, "default")
    assert k8slint("check", "-", stdin=CLEAN).returncode == 0
    assert k8slint("check", "--fail-on", "never", "-", stdin=BROKEN).returncode == 0


def test_fail_on_threshold():
    info_only = "name: not-an-object\n"          # one info finding (not-kubernetes)
    assert k8slint("check", "-", stdin=info_only).returncode == 0
    assert k8slint("check", "--fail-on", "info", "-", stdin=info_only).returncode == 1


def test_missing_path_exits_2_with_one_line():
    done = k8slint("check", "missing.yaml")
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == ["k8slint: missing.yaml: no such file or directory"]


@pytest.mark.parametrize("args", [["check"], ["check", "--kubernetes-version", "9.9", "-"],
                                  ["check", "--disable", "no-such-rule", "-"], ["nonsense"]])
def test_usage_errors_exit_2(args):
    done = k8slint(*args, stdin=CLEAN)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr


# Bad input is a finding (exit 1 when it is an error, 0 for a warning or an info), never a
# usage error (2) and never a crash (3): each payload's expected finding, by hand.
@pytest.mark.parametrize("payload, code, rule", [
    (b"\x00\xff\xfe binary", 1, "yaml-syntax"),                      # binary data
    (b"\xff\xfeb\x00a\x00d\x00", 0, "not-kubernetes"),              # UTF-16 "bad": a scalar
    (b"\xc3\x28 bad utf-8", 1, "yaml-syntax"),
    (b"- just\n- a list\n", 0, "not-kubernetes"),
    (b"42\n", 0, "not-kubernetes"),
    (b"", 0, None),
    (b"kind: ConfigMap\napiVersion: v1\ndata: !!python/object:os.system {}\n", 1, "yaml-syntax"),  # never constructed
    (b"a: !!python/object:os.system {}\n", 0, "not-kubernetes"),       # no object: its tags are no manifest error
    (b"{{ template }}: [", 0, "helm-template"),                        # a warning
    (b"key: \"unterminated\n", 1, "yaml-syntax"),
])
def test_bad_input_is_a_finding_not_a_crash(payload, code, rule):
    done = k8slint("check", "--format", "json", "-", stdin=payload)
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr + done.stdout and not done.stderr
    rules = [f["rule"] for f in json.loads(done.stdout)["findings"]]
    assert rule in rules if rule else rules == []


def test_a_crash_is_an_internal_error_exit_3_not_a_usage_error(monkeypatch):
    """A bug anywhere outside the rules (here: the reporter) reaches the CLI's guard."""
    from click.testing import CliRunner

    from k8slint import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("k8slint.api.check", broken)
    runner = CliRunner()
    with pytest.raises(SystemExit) as exit_info:
        with runner.isolation(input=CLEAN) as (_out, err, *_):
            cli.run(lambda standalone_mode: cli.main(["check", "-"], standalone_mode=standalone_mode))
    assert exit_info.value.code == cli.EXIT_INTERNAL_ERROR == 3
    message = err.getvalue().decode()
    assert "internal error" in message and "ZeroDivisionError: a bug" in message
    assert "report" in message and "/issues" in message and "Traceback" not in message
    assert message.count("\n") == 1 and "K8SLINT_DEBUG=1" in message       # one line


# A bug that raises ValueError inside explain (the simulator) or explain --diff: the
# commands print their own input problems (InputError) with exit 2, nothing else.
@pytest.mark.parametrize("target, args", [
    ("k8slint.simulate.explain", ["explain", "fixtures/explain/rollout.yaml"]),
    ("k8slint.diff.explain.explain_diff", ["explain", "--diff", "HEAD", "fixtures/explain/rollout.yaml"]),
    ("k8slint.api.check", ["check", "fixtures/explain/rollout.yaml"]),
])
def test_a_value_error_from_a_bug_is_exit_3_in_every_command(monkeypatch, target, args):
    from click.testing import CliRunner

    from k8slint import cli

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(target, broken)
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_info:
        with CliRunner().isolation() as (_out, err, *_):
            cli.run(lambda standalone_mode: cli.main(args, standalone_mode=standalone_mode))
    assert exit_info.value.code == 3, err.getvalue()
    assert "internal error" in err.getvalue().decode()


def test_an_input_problem_in_explain_is_exit_2_not_an_internal_error():
    done = k8slint("explain", "--scenario", "rollout", "--object", "Deployment/nope",
                   "fixtures/explain/rollout.yaml")
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip() == "k8slint: --object Deployment/nope: no such object in the input"


def test_k8slint_debug_prints_the_traceback_of_an_internal_error():
    """The real process: exit 3, and with K8SLINT_DEBUG the traceback for the report."""
    import os

    crash = ("import k8slint.api, sys; k8slint.api.check = lambda *a, **k: 1 // 0; "
             "sys.argv = ['k8slint', 'check', '-']; from k8slint.cli import run; run()")
    for debug, traceback in (("", False), ("1", True)):
        env = {**os.environ, "K8SLINT_DEBUG": debug}
        done = subprocess.run([sys.executable, "-c", crash], input=CLEAN.encode(), capture_output=True,
                              cwd=ROOT, timeout=60, env=env)
        stderr = done.stderr.decode()
        assert done.returncode == 3, stderr
        assert ("Traceback (most recent call last)" in stderr) is traceback, stderr
        assert stderr.splitlines()[-1].startswith("k8slint: internal error (a bug in k8slint ")


@pytest.mark.parametrize("raised, code, said", [
    (OSError(28, "No space left on device"), 2, "k8slint: [Errno 28] No space left on device"),
    (KeyboardInterrupt(), 130, ""),                  # 128 + SIGINT, as shells report Ctrl-C
])
def test_io_errors_exit_2_and_interrupts_130(monkeypatch, raised, code, said):
    from click.testing import CliRunner

    from k8slint import cli

    def broken(*args, **kwargs):
        raise raised

    monkeypatch.setattr("k8slint.api.check", broken)
    with pytest.raises(SystemExit) as exit_info:
        with CliRunner().isolation(input=CLEAN) as (_out, err, *_):
            cli.run(lambda standalone_mode: cli.main(["check", "-"], standalone_mode=standalone_mode))
    assert exit_info.value.code == code
    assert err.getvalue().decode().strip() == said


def test_check_does_not_crash_on_the_fixtures():
    """Every fixture folder through every format: exit 0 or 1 only (3 would be a crash)."""
    for fmt in ("human", "json", "sarif", "junit", "github", "compact"):
        done = k8slint("check", "--format", fmt, "fixtures/")
        assert done.returncode == 1, (fmt, done.stderr)
        assert not done.stderr, (fmt, done.stderr)


def test_unreadable_file_exits_2(tmp_path, monkeypatch):
    """Permissions do not stop root, so the read itself is made to fail."""
    from click.testing import CliRunner

    from k8slint.cli import main

    good, bad = tmp_path / "ok.yaml", tmp_path / "locked.yaml"
    good.write_text(CLEAN)
    bad.write_text(CLEAN)
    real_open, real_os_open = open, os.open

    def refuse(path):
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied")

    def guarded_open(path, *args, **kwargs):
        refuse(path)
        return real_open(path, *args, **kwargs)

    def guarded_os_open(path, *args, **kwargs):
        refuse(path)
        return real_os_open(path, *args, **kwargs)

    # the loader reads with os.open (loader.read_bytes), other readers with open()
    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr("os.open", guarded_os_open)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"k8slint: {bad}: cannot read: Permission denied" in result.output


def test_rules_list_and_show():
    listing = json.loads(k8slint("rules", "--format", "json").stdout)
    assert {"id", "category", "severity", "summary", "fixable"} <= set(listing[0])
    shown = k8slint("rules", "show", "yaml-string-trap")
    assert shown.returncode == 0 and b"Why:" in shown.stdout
    assert k8slint("rules", "show", "yaml-strng-trap").returncode == 2


def test_human_output_has_position_excerpt_and_caret():
    done = k8slint("check", "-", stdin=BROKEN)
    text = done.stdout.decode()
    assert "-:5:15 error yaml-string-trap" in text
    assert "     5 |   labels: {v: 1.10}" in text
    assert "       | " + " " * 14 + "^" in text


def test_version():
    done = k8slint("--version")
    assert done.returncode == 0 and b"k8slint" in done.stdout


def test_a_folder_with_only_a_kustomize_component_is_read_not_empty(tmp_path):
    """A Component that no kustomization of the input lists is not built on its own, and
    its files are not objects: the folder was read (exit 0, one info), it is not a folder
    without manifests (which would exit 2, as a typo'd CI path must)."""
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        "patches:\n- path: patch.yaml\n  target: {kind: Deployment}\n")
    (tmp_path / "patch.yaml").write_text(
        "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: A, value: b}\n")
    done = k8slint("check", "--no-config", "--format", "json", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert b"no YAML or JSON files" not in done.stderr
    report = json.loads(done.stdout)
    assert [f["rule"] for f in report["findings"]] == ["kustomize-not-built"]
    assert report["summary"]["files"] == 2 and report["summary"]["objects"] == 0
