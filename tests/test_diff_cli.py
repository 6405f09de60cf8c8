"""`k8slint diff` and `k8slint explain --diff` end to end: paths, git revisions, formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BEFORE = ROOT / "fixtures" / "diff" / "before"
AFTER = ROOT / "fixtures" / "diff" / "after"


def k8slint(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "k8slint", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, **(env or {})})


def test_refused_changes_exit_1_and_name_the_changed_lines():
    done = k8slint("diff", str(BEFORE), str(AFTER))
    assert done.returncode == 1, done.stderr
    assert "app.yaml:45:3: error [change-statefulset-forbidden]" in done.stdout      # volumeClaimTemplates
    assert "app.yaml:55:3: error [change-job-immutable]" in done.stdout              # the Job's template
    assert "2 refused; 5 modified, 1 removed" in done.stdout
    assert "Traceback" not in done.stderr


def test_fail_on_never_and_warning():
    assert k8slint("diff", str(BEFORE), str(AFTER), "--fail-on", "never").returncode == 0
    same = k8slint("diff", str(BEFORE), str(BEFORE), "--fail-on", "info")
    assert same.returncode == 0 and "no change; 6 unchanged" in same.stdout


def test_disabled_rule_no_longer_fails():
    done = k8slint("diff", str(BEFORE), str(AFTER), "--disable", "change-statefulset-forbidden",
                   "--disable", "change-job-immutable")
    assert done.returncode == 0 and "change-statefulset-forbidden" not in done.stdout


def test_json_report():
    done = k8slint("diff", str(BEFORE), str(AFTER), "--format", "json")
    payload = json.loads(done.stdout)
    assert payload["summary"]["refused"] == 2 and payload["summary"]["removed"] == 1
    first = payload["changes"][0]                        # riskiest first
    assert first["risk"] == "refused" and first["statements"][0]["severity"] == "error"
    web = next(c for c in payload["changes"] if c["object"]["kind"] == "Deployment")
    assert web["fields"] == [{"path": "spec.template.spec.containers[web].image", "change": "changed",
                              "old": "registry.example.com/shop/web:2.3.0",
                              "new": "registry.example.com/shop/web:2.4.0"}]


def test_markdown_comment_and_github_step_summary(tmp_path: Path):
    done = k8slint("diff", str(BEFORE), str(AFTER), "--format", "markdown")
    lines = done.stdout.splitlines()
    assert "| Object | Change | Consequence | Risk |" in lines
    assert done.stdout.count("<details>") == done.stdout.count("</details>") >= 3
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    gh = k8slint("diff", str(BEFORE), str(AFTER), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert "::error file=" in gh.stdout and "title=change-statefulset-forbidden" in gh.stdout
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "| Object | Change | Consequence | Risk |" in text


def test_sarif_report_names_the_change_rules():
    done = k8slint("diff", str(BEFORE), str(AFTER), "--format", "sarif")
    run = json.loads(done.stdout)["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(r.startswith("change-") for r in rules) and "change-job-immutable" in rules
    levels = sorted(r["level"] for r in run["results"])
    assert levels.count("error") == 2 and done.returncode == 1


def test_usage_errors_exit_2():
    assert k8slint("diff", str(BEFORE)).returncode == 2
    assert k8slint("diff", str(BEFORE), str(AFTER), "--kubernetes-version", "0.1").returncode == 2


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git("init", "-q", cwd=tmp_path)
    git("config", "user.email", "t@example.com", cwd=tmp_path)
    git("config", "user.name", "t", cwd=tmp_path)
    (tmp_path / "deploy").mkdir()
    shutil.copy(BEFORE / "app.yaml", tmp_path / "deploy" / "app.yaml")
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "before", cwd=tmp_path)
    shutil.copy(AFTER / "app.yaml", tmp_path / "deploy" / "app.yaml")
    return tmp_path


def test_git_revision_against_the_working_tree(repo: Path):
    done = k8slint("diff", "--git", "HEAD", "deploy", cwd=repo)
    assert done.returncode == 1, done.stderr
    assert "deploy/app.yaml:45:3: error [change-statefulset-forbidden]" in done.stdout
    # The removed claim is reported at its line in the old revision, under the working-tree path.
    assert "deploy/app.yaml:64:18: warning [change-removed]" in done.stdout
    assert git("status", "--porcelain", cwd=repo).strip() == "M deploy/app.yaml"     # working tree untouched


def test_git_range_and_a_subfolder(repo: Path):
    git("commit", "-qam", "after", cwd=repo)
    done = k8slint("diff", "--git", "HEAD~1..HEAD", cwd=repo / "deploy")
    assert done.returncode == 1 and "app.yaml:55:3: error [change-job-immutable]" in done.stdout
    nothing = k8slint("diff", "--git", "HEAD", cwd=repo)
    assert nothing.returncode == 0 and "no change" in nothing.stdout


def test_git_errors_are_one_line_and_exit_2(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    done = k8slint("diff", "--git", "no-such-ref", cwd=repo)
    assert done.returncode == 2 and "no-such-ref: not a git revision" in done.stderr
    outside = tmp_path_factory.mktemp("plain")
    done = k8slint("diff", "--git", "HEAD", cwd=outside)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_path_added_since_the_revision_is_all_new(repo: Path):
    (repo / "extra").mkdir()
    (repo / "extra" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\n")
    done = k8slint("diff", "--git", "HEAD", "extra", cwd=repo)
    assert done.returncode == 0 and "1 added" in done.stdout


def test_explain_diff_shows_old_and_new_pods_side_by_side(repo: Path):
    done = k8slint("explain", "--diff", "HEAD", "deploy", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "Deployment/shop/web: old pods -> new pods" in done.stdout
    assert "  images before: registry.example.com/shop/web:2.3.0\n  images after:  registry.example.com/shop/web:2.4.0\n" \
        in done.stdout                                          # 80 columns when not on a terminal
    assert "rejects the update of StatefulSet/shop/db" in done.stdout
    data = json.loads(k8slint("explain", "--diff", "HEAD", "deploy", "--format", "json", cwd=repo).stdout)
    web = next(p for p in data["diff"]["pods"] if p["object"] == "Deployment/shop/web")
    assert len(web["old"]) == len(web["new"]) == 10
    assert {tuple(p["images"]) for p in web["new"]} == {("registry.example.com/shop/web:2.4.0",)}


def test_kustomize_overlays_through_git_name_the_base_line(tmp_path: Path):
    # Both sides are built as `check` builds kustomizations; a finding in a built object points
    # at the working-tree path of the file that wrote the field, never at the exported copy.
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / "base").mkdir()
    (tmp_path / "prod").mkdir()
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [job.yaml]\n")
    (tmp_path / "base" / "job.yaml").write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers: [{name: m, image: 'm:1'}]\n")
    (tmp_path / "prod" / "kustomization.yaml").write_text("namespace: prod\nnamePrefix: prod-\nresources: [../base]\n")
    git("init", "-q", cwd=tmp_path)
    git("config", "user.email", "t@example.com", cwd=tmp_path)
    git("config", "user.name", "t", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "one", cwd=tmp_path)
    job = tmp_path / "base" / "job.yaml"
    job.write_text(job.read_text().replace("m:1", "m:2"))
    git("commit", "-qam", "two", cwd=tmp_path)
    done = k8slint("diff", "--git", "HEAD~1..HEAD", "prod", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Job/prod/prod-migrate  modified  risk refused" in done.stdout     # kustomize's name and namespace
    assert "base/job.yaml:5:3: error [change-job-immutable]" in done.stdout
    assert "k8slint-diff-" not in done.stdout
