"""k8slint.gitignore against gitignore(5): which missing files a repository means to be made
before building (kustomize generator inputs, patches, resources)."""

from __future__ import annotations

import os

import pytest

from k8slint import gitignore
from k8slint.api import check
from k8slint.config import Config


def repo(tmp_path, files: dict[str, str]) -> str:
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path)


@pytest.mark.parametrize(("patterns", "path", "expected"), [
    ("params.env\n", "a/b/params.env", "params.env"),                 # no slash: any depth
    ("/params.env\n", "a/params.env", None),                          # leading slash: top only
    ("/params.env\n", "params.env", "/params.env"),
    ("overlays/*/params.env\n", "overlays/prod/params.env", "overlays/*/params.env"),
    ("overlays/*/params.env\n", "x/overlays/prod/params.env", None),  # a middle slash anchors
    ("*.env\n!keep.env\n", "keep.env", None),                         # the last match decides
    ("*.env\n!keep.env\n", "drop.env", "*.env"),
    ("secrets/\n", "secrets/db.env", "secrets/"),                     # an ignored folder
    ("secrets/\n!secrets/db.env\n", "secrets/db.env", "secrets/"),    # cannot be re-included
    ("secrets\n", "secrets", "secrets"),
    ("db.env/\n", "db.env", None),                                    # a trailing slash: folders only
    ("**/gen/*.yaml\n", "a/b/gen/x.yaml", "**/gen/*.yaml"),
    ("gen/**\n", "gen/a/b.yaml", "gen/**"),
    ("a/**/b.env\n", "a/b.env", "a/**/b.env"),
    ("a/**/b.env\n", "a/x/y/b.env", "a/**/b.env"),
    ("# params.env\n\n", "params.env", None),                         # a comment
    ("\\#x\n", "#x", "\\#x"),
    ("param?.[ey]nv\n", "params.env", "param?.[ey]nv"),
    ("*.env\n", "a/b.yaml", None),
])
def test_patterns(tmp_path, patterns, path, expected):
    root = repo(tmp_path, {".gitignore": patterns})
    found = gitignore.ignored(os.path.join(root, path))
    assert (found.pattern if found else None) == expected


def test_a_deeper_gitignore_decides_after_the_top_one(tmp_path):
    root = repo(tmp_path, {".gitignore": "*.env\n", "app/.gitignore": "!public.env\n"})
    assert gitignore.ignored(os.path.join(root, "app", "public.env")) is None
    found = gitignore.ignored(os.path.join(root, "app", "private.env"))
    assert found is not None and found.gitignore == os.path.join(root, ".gitignore")


def test_outside_a_repository_nothing_is_ignored(tmp_path):
    (tmp_path / ".gitignore").write_text("*.env\n")
    assert gitignore.ignored(str(tmp_path / "x.env")) is None


OVERLAY = """\
resources:
  - deployment.yaml
  - secret.yaml
configMapGenerator:
  - name: settings
    envs: [params.env]
    literals: [MODE=fast]
patches:
  - path: params.yaml
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom: [{configMapRef: {name: settings}}]
"""


def kustomize_hits(root: str) -> list[tuple[str, str, int]]:
    result = check([os.path.join(root, "app")], Config(jobs=1))
    return sorted((f.rule, str(f.severity), f.line) for f in result.findings if f.rule.startswith("kustomize"))


def test_missing_inputs_that_git_ignores_are_made_before_building(tmp_path):
    """Each missing file git ignores is one info at the kustomization line naming it; the
    generated ConfigMap still exists (from its literals), so the Deployment's reference holds."""
    root = repo(tmp_path, {".gitignore": "app/params.*\nsecret.yaml\n", "app/kustomization.yaml": OVERLAY,
                           "app/deployment.yaml": DEPLOYMENT})
    assert kustomize_hits(root) == [("kustomize-not-built", "info", 3), ("kustomize-not-built", "info", 6),
                                    ("kustomize-not-built", "info", 9)]
    result = check([os.path.join(root, "app")], Config(jobs=1))
    assert not [f for f in result.findings if f.rule == "configmap-ref-missing"]
    message = next(f.message for f in result.findings if f.line == 6)
    assert "params.env is not in the repository (app/params.* in " in message and ".gitignore ignores it)" in message


def test_missing_inputs_git_does_not_ignore_fail_the_build(tmp_path):
    root = repo(tmp_path, {".gitignore": "other\n", "app/kustomization.yaml": OVERLAY,
                           "app/deployment.yaml": DEPLOYMENT})
    assert kustomize_hits(root) == [("kustomize-build", "error", 3), ("kustomize-build", "error", 6),
                                    ("kustomize-build", "error", 9)]


def test_a_changed_gitignore_is_read_again(tmp_path):
    root = repo(tmp_path, {".gitignore": "a.env\n"})
    assert gitignore.ignored(os.path.join(root, "b.env")) is None
    (tmp_path / ".gitignore").write_text("a.env\nb.env\n")
    found = gitignore.ignored(os.path.join(root, "b.env"))
    assert found is not None and found.pattern == "b.env"
