"""The CLI end to end: exit codes, stdin, the JSON contract, no tracebacks."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("payload", [b"\x00\xff\xfe binary", b"\xff\xfeb\x00a\x00d\x00", b"\xc3\x28 bad utf-8",
                                     b"- just\n- a list\n", b"42\n", b"", b"a: !!python/object:os.system {}\n",
                                     b"{{ template }}: [", b"key: \"unterminated\n"])
def test_bad_input_never_tracebacks(payload):
    done = k8slint("check", "-", stdin=payload)
    assert done.returncode in (0, 1, 2)
    assert b"Traceback" not in done.stderr + done.stdout


def test_unreadable_file_exits_2(tmp_path, monkeypatch):
    """Permissions do not stop root, so the read itself is made to fail."""
    from click.testing import CliRunner

    from k8slint.cli import main

    good, bad = tmp_path / "ok.yaml", tmp_path / "locked.yaml"
    good.write_text(CLEAN)
    bad.write_text(CLEAN)
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
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
