"""A folder several builds list under `resources:` is built once per process and the other
builds take copies of what it accumulated (k8slint.kustomize.build Builder.nested): each
build must still be what building it alone gives, field positions included. And YAML
aliases in resources are copies of their anchors, as kustomize reads them."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

import pytest

from k8slint.kustomize import build
from k8slint.kustomize.inputs import plan

# the module, which the package's build() function hides
Builder = importlib.import_module("k8slint.kustomize.build").Builder

BASE_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: registry.example.com/web:1.0
          envFrom:
            - configMapRef: {name: settings}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    _write(tmp_path, {
        "base/app.yaml": BASE_APP,
        "base/kustomization.yaml": """\
            resources: [app.yaml]
            configMapGenerator:
              - name: settings
                literals: [MODE=fast]
            """,
        "mid-a/kustomization.yaml": "resources: [../base]\nnamePrefix: a-\n",
        "mid-b/kustomization.yaml": "resources: [../base]\nnamePrefix: b-\n",
        "both/kustomization.yaml": "resources: [../mid-a, ../mid-b]\n",
        "prod/kustomization.yaml": """\
            resources: [../base]
            namespace: prod
            labels:
              - pairs: {env: prod}
                includeSelectors: true
            patches:
              - patch: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata:
                    name: web
                    labels:
                      patched: "yes"
            images:
              - name: registry.example.com/web
                newTag: "2.0"
            """,
        "staging/kustomization.yaml": "resources: [../base]\nnamespace: staging\nnamePrefix: staging-\n",
        "broken/kustomization.yaml": "resources: [../base, missing.yaml]\n",
    })
    return tmp_path


def _fields(result: Any, res: Any) -> list[tuple[Any, ...]]:
    """Every path of a built object with the positions of its key and of its value."""
    out: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        out.append((path, result.locate(res, path, "key"), result.locate(res, path, "value")))
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            walk(value, (*path, key))

    walk(res.data, ())
    return out


def _summary(result: Any) -> list[Any]:
    return [result.files, result.kustomizations, sorted(result.patch_files), sorted(result.resource_files),
            [(h.rule, h.file, h.line, h.column, h.message) for h in result.hits],
            [(r.data, r.origin, r.file, r.line, _fields(result, r)) for r in result.resources]]


def test_each_build_is_what_building_it_alone_gives(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reused: list[str] = []
    reuse = Builder._reuse

    def counting(self: Any, real: str, kept: Any) -> Any:
        reused.append(real)
        return reuse(self, real, kept)

    monkeypatch.setattr(Builder, "_reuse", counting)
    folders = sorted(str(p.parent) for p in tree.glob("*/kustomization.yaml"))
    files = [str(p) for p in sorted(tree.rglob("*.yaml"))]
    planned = {b.folder: b for b in plan(files, jobs=1).builds}
    assert sorted(planned) == [f for f in folders if not f.endswith(("base", "mid-a", "mid-b"))]
    assert str(tree / "base") in reused           # the base was built once for several builds
    for folder, result in planned.items():
        assert _summary(result) == _summary(build(folder)), folder


def test_a_base_whose_build_says_something_is_built_again_for_each_user(tree: Path) -> None:
    (tree / "base" / "kustomization.yaml").write_text("resources: [app.yaml, gone.yaml]\n")
    files = [str(p) for p in sorted(tree.rglob("*.yaml"))]
    planned = {b.folder: b for b in plan(files, jobs=1).builds}
    for folder, result in planned.items():
        assert any("gone.yaml" in h.message for h in result.hits), folder
        assert _summary(result) == _summary(build(folder)), folder


def test_an_alias_is_a_copy_of_its_anchor(tree: Path) -> None:
    # kustomize reads resources with kio.FromBytes (kyaml/kio/byteio_reader.go,
    # AnchorsAweigh: true): RNode.DeAnchor replaces every alias with a copy of its anchor,
    # so the patch that labels the Deployment leaves its selector and template alone.
    for result in (build(str(tree / "prod")), *(b for b in plan([str(tree / "prod" / "kustomization.yaml"),
                                                                 str(tree / "staging" / "kustomization.yaml")],
                                                                jobs=1).builds if b.folder.endswith("prod"))):
        deployment = next(r for r in result.resources if r.kind == "Deployment").data
        assert deployment["metadata"]["labels"] == {"app": "web", "env": "prod", "patched": "yes"}
        assert deployment["spec"]["selector"]["matchLabels"] == {"app": "web", "env": "prod"}
        assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "web", "env": "prod"}
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.com/web:2.0"



def test_a_build_missing_objects_reuses_a_kept_base(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "early" cannot read gone.yaml before it reaches ../base, so its build is incomplete
    # when it lists the base: it still takes the base that "both" kept (one parse of
    # app.yaml in the whole plan), and still equals building it alone.
    _write(tree, {"early/kustomization.yaml": "resources: [gone.yaml, ../base]\n"})
    module = importlib.import_module("k8slint.kustomize.build")
    parsed: list[str] = []
    parse_text = module.parse_text

    def counting(path: str, text: str) -> Any:
        parsed.append(path)
        return parse_text(path, text)

    monkeypatch.setattr(module, "parse_text", counting)
    files = [str(p) for p in sorted(tree.rglob("*.yaml"))]
    planned = {b.folder: b for b in plan(files, jobs=1).builds}
    assert parsed.count(str(tree / "base" / "app.yaml")) == 1
    assert any("gone.yaml" in h.message for h in planned[str(tree / "early")].hits)
    monkeypatch.undo()
    for folder, result in planned.items():
        assert _summary(result) == _summary(build(folder)), folder
