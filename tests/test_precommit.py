"""The pre-commit hook, run for real: `pre-commit try-repo` against a copy of this checkout,
and a `git commit` in a temporary repository with the README's snippet installed (its `repo:`
pointed at that copy, tagged with the release the snippet names)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from k8slint import HOMEPAGE, __version__
from tests.conftest import ROOT, TRAP_CONFIGMAP

BROKEN = TRAP_CONFIGMAP
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return [sys.executable, "-m", "pre_commit"]


def _run(args: list[str], cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _git(cwd, env, *args: str) -> str:
    done = _run(["git", *args], cwd, env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _hook_repo(tmp_path, env):
    """The working tree (committed or not: the lead commits at intervals) as a git repo."""
    copy = tmp_path / "k8slint-src"
    listed = _run(["git", "ls-files", "-co", "--exclude-standard", "-z"], ROOT, env)
    if listed.returncode == 0:
        files = [f for f in listed.stdout.split("\0") if f and (ROOT / f).is_file()]
    else:                                  # not a git checkout: take the package sources
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
                 and not {".venv", ".git", "__pycache__"} & set(p.relative_to(ROOT).parts)]
    for name in files:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    _git(copy, env, "init", "-q")
    _git(copy, env, "add", "-A")
    _git(copy, env, "commit", "-q", "-m", "snapshot")
    # The release tag the README's snippets name (the real one is made on main at release).
    _git(copy, env, "tag", f"v{__version__}")
    return copy, _git(copy, env, "rev-parse", "HEAD")


def readme_block(heading: str, language: str) -> str:
    """The first ```language block under a README heading."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    return section.split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [{**hooks[0], "id": "k8slint", "entry": "k8slint check", "language": "python",
                      "types_or": ["yaml", "json"], "require_serial": True}]


def test_pre_commit_blocks_a_broken_manifest(tmp_path):
    pre_commit = _pre_commit()
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    source, _ = _hook_repo(tmp_path, env)

    project = tmp_path / "project"
    (project / "k8s").mkdir(parents=True)
    (project / "k8s" / "app.yaml").write_text(BROKEN)
    _git(project, env, "init", "-q")
    _git(project, env, "add", "-A")

    tried = _run([*pre_commit, "try-repo", str(source), "k8slint", "--color", "never"], project, env)
    output = tried.stdout + tried.stderr
    assert tried.returncode == 1, output
    assert "k8s/app.yaml:6:14 error yaml-string-trap unquoted 1.10" in output, output

    # The README's snippet, pointed at the local clone, installed in the repository at the
    # tag it names, stops a real commit.
    snippet = readme_block("pre-commit", "yaml").replace(HOMEPAGE, str(source))
    config = yaml.safe_load(snippet)
    assert config["repos"][0]["rev"] == f"v{__version__}" and config["repos"][0]["repo"] == str(source)
    (project / ".pre-commit-config.yaml").write_text(snippet)
    _git(project, env, "add", "-A")
    installed = _run([*pre_commit, "install"], project, env)
    assert installed.returncode == 0, installed.stderr
    commit = _run(["git", "commit", "-m", "add app"], project, env)
    assert commit.returncode != 0, commit.stdout
    assert "yaml-string-trap" in commit.stdout + commit.stderr
    assert _run(["git", "rev-parse", "HEAD"], project, env).returncode != 0   # nothing committed

    (project / "k8s" / "app.yaml").write_text(BROKEN.replace("1.10", '"1.10"'))
    _git(project, env, "add", "-A")
    fixed = _run(["git", "commit", "-m", "add app"], project, env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
