"""Baselines: record the current findings, then report only new ones."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from k8slint.api import check
from k8slint.baseline import BaselineError, read_baseline, write_baseline
from k8slint.cli import main
from k8slint.config import Config
from tests.conftest import TRAP_CONFIGMAP

APP = TRAP_CONFIGMAP + "data:\n  enabled: yes\n"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / "app.yaml").write_text(APP)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(main, ["check", "--no-config", "--format", "compact", *args])


def test_write_then_check_reports_nothing_old(project):
    written = invoke("--write-baseline", "baseline.json", "app.yaml")
    assert written.exit_code == 0
    data = json.loads((project / "baseline.json").read_text())
    assert data["version"] == 1
    assert {(e["rule"], e["file"], e["object"], e["path"]) for e in data["findings"]} == {
        ("yaml-string-trap", "app.yaml", "ConfigMap/default/settings", "metadata.labels.version"),
        ("yaml-string-trap", "app.yaml", "ConfigMap/default/settings", "data.enabled")}
    again = invoke("--baseline", "baseline.json", "app.yaml")
    assert again.exit_code == 0 and again.output == ""


def test_lines_moving_do_not_resurrect_findings_but_new_ones_show(project):
    invoke("--write-baseline", "baseline.json", "app.yaml")
    moved = "# a comment\n# and another\n" + APP + "  debug: on\n"
    (project / "app.yaml").write_text(moved)
    result = invoke("--baseline", "baseline.json", "app.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        line for line in result.output.splitlines() if "data.debug" in line or ":11:" in line]
    assert len(result.output.splitlines()) == 1


def test_counts_matter(project):
    invoke("--write-baseline", "baseline.json", "app.yaml")
    (project / "app.yaml").write_text(APP + "---\n" + APP)        # the same object twice
    result = check(["app.yaml"], Config(only=["yaml-string-trap"]), baseline="baseline.json")
    assert len(result.findings) == 2 and len(result.baselined) == 2


def test_baseline_paths_are_relative_to_the_baseline_file(project):
    (project / "ci").mkdir()
    invoke("--write-baseline", "ci/baseline.json", "app.yaml")
    entries = json.loads((project / "ci" / "baseline.json").read_text())["findings"]
    assert {e["file"] for e in entries} == {"../app.yaml"}
    os.chdir(project / "ci")
    assert invoke("--baseline", "baseline.json", "../app.yaml").output == ""


def test_writing_is_atomic_and_leaves_no_temp_files(project, monkeypatch):
    (project / "baseline.json").write_text("old")
    real_replace = os.replace

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_baseline(project / "baseline.json", check(["app.yaml"]).findings)
    assert (project / "baseline.json").read_text() == "old"
    assert sorted(p.name for p in project.iterdir()) == ["app.yaml", "baseline.json"]
    monkeypatch.setattr(os, "replace", real_replace)


@pytest.mark.parametrize("content", ["not json", '{"version": 9, "findings": []}', "[]"])
def test_bad_baseline_is_a_usage_error(project, content):
    (project / "baseline.json").write_text(content)
    result = invoke("--baseline", "baseline.json", "app.yaml")
    assert result.exit_code == 2 and "baseline" in result.output
    with pytest.raises(BaselineError):
        read_baseline(project / "baseline.json")


def test_human_output_says_how_many_are_in_the_baseline(project):
    invoke("--write-baseline", "baseline.json", "app.yaml")
    result = CliRunner().invoke(main, ["check", "--no-config", "--baseline", "baseline.json", "app.yaml"])
    assert "2 finding(s) in the baseline not shown" in result.output
