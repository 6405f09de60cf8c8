"""kustomize `vars` (k8slint.kustomize.variables): the errors kustomize's own tests expect,
refvar's replacement rules, and findings on a filled value point where $(NAME) was written.
The builds that succeed are upstream cases (tests/kustomize/upstream/variableref-*)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8slint.api import check
from k8slint.config import Config
from k8slint.kustomize import RULE_ERROR, build
from k8slint.kustomize.variables import field_value, go_format, replace

HEADER = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _pod(name: str) -> str:
    return f"""\
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          containers:
            - name: c
              image: c
              env:
                - name: POD_NAME
                  value: $(POD_NAME)
        """


def _base(prefix: str, pod: str) -> str:
    return HEADER + textwrap.dedent(f"""\
        namePrefix: {prefix}
        resources: [pod.yaml]
        vars:
          - name: POD_NAME
            objref: {{apiVersion: v1, kind: Pod, name: {pod}}}
            fieldref: {{fieldpath: metadata.name}}
        """)


def _errors(folder: Path) -> list[str]:
    return [h.message for h in build(str(folder)).hits if h.rule == RULE_ERROR]


def test_two_bases_with_one_var_name_fail(tmp_path: Path) -> None:
    # api/krusty/variableref_test.go TestBasicVarCollision: types/var.go VarSet.Merge
    _write(tmp_path, {"base1/kustomization.yaml": _base("base1-", "kelley"), "base1/pod.yaml": _pod("kelley"),
                      "base2/kustomization.yaml": _base("base2-", "grimaldi"), "base2/pod.yaml": _pod("grimaldi"),
                      "overlay/kustomization.yaml": HEADER + "resources: [../base1, ../base2]\n"})
    assert any("var 'POD_NAME' already encountered" in m for m in _errors(tmp_path / "overlay"))


def test_one_base_used_twice_fails_too(tmp_path: Path) -> None:
    # api/krusty/variableref_test.go TestBug506 (`nameprefix`, lower-case, as the test writes it)
    _write(tmp_path, {"base/kustomization.yaml": _base("base-", "myServerPod"), "base/pod.yaml": _pod("myServerPod"),
                      "o1/kustomization.yaml": HEADER + "nameprefix: p1-\nresources: [../base]\n",
                      "o2/kustomization.yaml": HEADER + "nameprefix: p2-\nresources: [../base]\n",
                      "top/kustomization.yaml": HEADER + "resources: [../o1, ../o2]\n"})
    assert any("var 'POD_NAME' already encountered" in m for m in _errors(tmp_path / "top"))


def test_a_var_that_names_no_object_fails(tmp_path: Path) -> None:
    # accumulator.ResAccumulator findVarValueFromResources: "cannot be mapped to a field"
    _write(tmp_path, {"kustomization.yaml": _base("", "nobody"), "pod.yaml": _pod("somebody")})
    result = build(str(tmp_path))
    errors = [h for h in result.hits if h.rule == RULE_ERROR]
    assert [(h.line, "POD_NAME" in h.message) for h in errors] == [(6, True)]   # the var's entry
    # nothing is filled when the build fails
    pod = result.resources[0].data
    assert pod["spec"]["containers"][0]["env"][0]["value"] == "$(POD_NAME)"


@pytest.mark.parametrize("text, expected", [
    ("$(A)", 8080),                 # a whole-string reference keeps the value's type
    ("port-$(A)", "port-8080"),
    ("$(B)/$(A)", "ns/8080"),
    ("$$(A)", "$(A)"),              # `$$` is an escaped `$`
    ("$(UNKNOWN)", "$(UNKNOWN)"),   # an unknown var stays as written
    ("$(A", "$(A"),                 # an incomplete reference too
    ("cost $5 $(C)", "cost $5 true"),
    ("$(D)x", "1.5x"),
    ("no vars", "no vars"),
])
def test_replace_follows_refvar(text: str, expected: object) -> None:
    # api/filters/refvar/expand.go DoReplacements, tryReadVariableName; fmt %v in the middle
    assert replace(text, {"A": 8080, "B": "ns", "C": True, "D": 1.5}) == expected


def test_go_format_and_field_paths() -> None:
    assert [go_format(v) for v in (True, 3, 100000.0, 0.25, "x")] == ["true", "3", "100000", "0.25", "x"]
    data = {"spec": {"ports": [{"port": 80}, {"port": 443}]}, "metadata": {"name": "web"}}
    assert field_value(data, "spec.ports[1].port") == (True, 443)   # kyaml convertSliceIndex
    assert field_value(data, "metadata.name") == (True, "web")
    assert field_value(data, "metadata.namespace") == (False, None)


def test_a_finding_on_a_filled_value_points_at_the_reference(tmp_path: Path) -> None:
    # the Service's targetPort is $(PORT), filled from a ConfigMap's data: the string "8080"
    # (refvar keeps the value's type), which the API server reads as a port name and rejects
    # (validateServicePort, IsValidPortName): the finding is at the line that wrote $(PORT)
    _write(tmp_path, {
        "kustomization.yaml": HEADER + textwrap.dedent("""\
            resources: [app.yaml]
            vars:
              - name: PORT
                objref: {apiVersion: v1, kind: ConfigMap, name: settings}
                fieldref: {fieldpath: data.port}
            """),
        "app.yaml": """\
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {port: "8080"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: web:1.0
                  args: ["--port=$(PORT)"]
                  ports: [{containerPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports:
                - port: 80
                  targetPort: $(PORT)
            """})
    result = check([str(tmp_path)], Config())
    assert not [f for f in result.findings if f.rule.startswith("kustomize")]
    port = [f for f in result.findings if f.rule == "port-name"]
    assert [(Path(f.file).name, f.line, '"8080"' in f.message) for f in port] == [("app.yaml", 25, True)]
    built = {r.kind: r.data for r in build(str(tmp_path)).resources}
    assert built["Pod"]["spec"]["containers"][0]["args"] == ["--port=8080"]
    assert built["Service"]["spec"]["ports"][0]["targetPort"] == "8080"


def test_a_generator_merge_keeps_the_vars_of_the_object_it_replaces(tmp_path: Path) -> None:
    # resource.go CopyMergeMetaDataFieldsFrom -> copyKustomizeSpecificFields: the merged
    # object takes over refVarNames (kubeflow pipelines' env/gcp merges pipeline-install-config)
    _write(tmp_path, {
        "base/kustomization.yaml": HEADER + textwrap.dedent("""\
            resources: [settings.yaml, pod.yaml]
            vars:
              - name: MODE
                objref: {apiVersion: v1, kind: ConfigMap, name: settings}
                fieldref: {fieldpath: data.mode}
            """),
        "base/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: slow}\n",
        "base/pod.yaml": _pod("web").replace("$(POD_NAME)", "$(MODE)"),
        "overlay/kustomization.yaml": HEADER + textwrap.dedent("""\
            resources: [../base]
            configMapGenerator:
              - name: settings
                behavior: merge
                literals: [mode=fast]
            """),
    })
    result = build(str(tmp_path / "overlay"))
    assert [h.message for h in result.hits if h.rule == RULE_ERROR] == []
    pod = next(r.data for r in result.resources if r.kind == "Pod")
    assert pod["spec"]["containers"][0]["env"][0]["value"] == "fast"
