"""Where kyaml drops null and empty fields while building, as `kubectl kustomize` v5.5.0
(kustomize v5.5.0) gives on these inputs (run by hand, outputs copied below)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.kustomize import build

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: s
  annotations: {annotations}
  labels:
  finalizers:
spec:
  ports: [{{port: 80}}]
  selector:
"""


def _build(root: Path, files: dict[str, str]) -> list[dict]:
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    return [r.data for r in build(str(root)).resources]


def test_empty_annotations_are_dropped_on_reading(tmp_path: Path) -> None:
    # kio.ByteReader sets its index annotation and removes it again; kyaml clears a map
    # left empty (RNode.SetAnnotations): `annotations:` null or {} is gone, other null
    # fields stay (kubectl kustomize prints finalizers: null, labels: null, selector: null)
    for value in ("", "{}", "null"):
        data = _build(tmp_path, {"kustomization.yaml": "resources: [svc.yaml]\n",
                                 "svc.yaml": SERVICE.format(annotations=value)})
        assert data[0]["metadata"] == {"name": "s", "labels": None, "finalizers": None}, value
        assert data[0]["spec"] == {"ports": [{"port": 80}], "selector": None}


def test_a_strategic_merge_patch_clears_empty_fields_but_keeps_written_nulls(tmp_path: Path) -> None:
    # kyaml/yaml/fns.go FieldSetter.Filter clears a null field as the merge writes every
    # field back; merge2.go Merger.VisitMap keeps a null written as a word (null, ~)
    data = _build(tmp_path, {
        "kustomization.yaml": """\
            resources: [app.yaml]
            patches:
            - patch: |
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          image: web:2
            """,
        "app.yaml": """\
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              creationTimestamp: null
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                  tolerations:
                  containers:
                    - name: web
                      image: web:1
                      args:
                  volumes:
                    - name: data
                      emptyDir: ~
            """})
    assert data == [{
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "creationTimestamp": None},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"affinity": {"nodeAffinity": {}}, "containers": [{"name": "web", "image": "web:2"}],
                     "volumes": [{"name": "data", "emptyDir": None}]}}}}]


def test_annotation_values_become_their_text(tmp_path: Path) -> None:
    # resource.go RemoveBuildAnnotations sets every object's annotations again from
    # GetAnnotations (each value the scalar's text): kubectl kustomize prints
    # e: "", i: "1", "n": "null", t: "~" (cloudnative-pg's CSV has `createdAt:` empty)
    data = _build(tmp_path, {"kustomization.yaml": "resources: [a.yaml]\n", "a.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
          annotations:
            e:
            t: ~
            n: null
            i: 1
        """})
    assert data[0]["metadata"]["annotations"] == {"e": "", "t": "~", "n": "null", "i": "1"}


def test_yes_no_on_off_are_strings_in_a_build(tmp_path: Path) -> None:
    # kustomize reads with go-yaml v3 (YAML 1.2 core schema, resolve.go): `yes` is a
    # string, where kubectl apply -f (go-yaml v2, YAML 1.1) reads a boolean; kubectl
    # kustomize prints valid: "yes", "on": "ON", and keeps flag: true and invalid: 0 (both
    # refused: label values and ConfigMap data are strings)
    # (fluxcd/flux2 internal/build/testdata/invalid-labels)
    from k8slint.api import check
    from k8slint.config import Config

    files = {"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
          labels:
            invalid: 0
            valid: yes
            on: ON
        data:
          flag: true
        """}
    data = _build(tmp_path, files)
    assert data[0]["metadata"]["labels"] == {"invalid": 0, "valid": "yes", "on": "ON"}
    traps = [(f.line, f.message.split(" is ")[0]) for f in check([str(tmp_path)], Config()).findings
             if f.rule == "yaml-string-trap"]
    assert traps == [(6, "unquoted 0"), (10, "unquoted true")]
    (tmp_path / "kustomization.yaml").unlink()            # the same file applied with -f
    traps = [f.line for f in check([str(tmp_path)], Config()).findings if f.rule == "yaml-string-trap"]
    assert traps == [6, 7, 8, 10]


def test_a_strategic_merge_keeps_one_item_per_key_in_lists_it_does_not_patch(tmp_path: Path) -> None:
    # kyaml's walker visits the fields a patch does not have too, and a list merged by key
    # keeps one item per key, the later taking the earlier's place (ElementSetter); kubectl
    # kustomize prints env A=3, B=2 and the one volumeMount w. opentelemetry-operator's
    # openshift overlay appends METRICS_ADDR a second time with a JSON patch, then patches
    # the Deployment by strategic merge: the built object has it once.
    files = {"kustomization.yaml": "resources: [d.yaml]\npatches:\n  - path: p.yaml\n", "d.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: m}
        spec:
          template:
            spec:
              containers:
                - name: manager
                  image: x
                  env:
                    - {name: A, value: "1"}
                    - {name: B, value: "2"}
                    - {name: A, value: "3"}
                  volumeMounts:
                    - {name: v, mountPath: /a}
                    - {name: w, mountPath: /a}
        """, "p.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: m}
        spec:
          template:
            spec:
              containers:
                - {name: manager, image: y}
        """}
    (container,) = _build(tmp_path, files)[0]["spec"]["template"]["spec"]["containers"]
    assert container["env"] == [{"name": "A", "value": "3"}, {"name": "B", "value": "2"}]
    assert container["volumeMounts"] == [{"name": "w", "mountPath": "/a"}]
    assert container["image"] == "y"
