"""Built-in transformers configured under `transformers:` (k8slint.kustomize.transformers
Transformers.configured): PrefixTransformer, SuffixTransformer, PrefixSuffixTransformer and
PatchTransformer run as kustomize runs them, and a field they set points at the line of
their configuration. Upstream cases: tests/kustomize/upstream/legacyprefixsuffixtransformer-*
and nameupdateinroleref-*."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.kustomize import RULE_ERROR, RULE_NOT_BUILT, build

HEADER = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

BINDING = """\
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: auth-reader
      namespace: kube-system
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
    subjects:
      - kind: ServiceAccount
        name: controller-manager
        namespace: system
    """


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_prefix_suffix_transformer_on_subjects(tmp_path: Path) -> None:
    # builtinhelpers/builtins.go: PrefixSuffixTransformer runs PrefixTransformer and
    # SuffixTransformer with the same configuration; filters/prefix sets prefix+value at
    # each field spec (kubernetes-sigs/kueue config/components/visibility)
    _write(tmp_path, {
        "kustomization.yaml": HEADER + "resources: [binding.yaml]\ntransformers: [subjects.yaml]\n",
        "binding.yaml": BINDING,
        "subjects.yaml": """\
            apiVersion: builtin
            kind: PrefixSuffixTransformer
            metadata: {name: add-prefix-to-subject-name}
            prefix: kueue-
            fieldSpecs:
              - {kind: RoleBinding, group: rbac.authorization.k8s.io, path: subjects/name}
              - {kind: RoleBinding, group: rbac.authorization.k8s.io, path: subjects/namespace}
            """})
    result = build(str(tmp_path))
    assert not result.hits
    (binding,) = result.resources
    assert binding.data["metadata"]["name"] == "auth-reader"          # not among the field specs
    assert binding.data["subjects"] == [{"kind": "ServiceAccount", "name": "kueue-controller-manager",
                                         "namespace": "kueue-system"}]
    subject = binding.data["subjects"][0]
    where = result.positions.value(subject, "name", ("", 0, 0))
    assert (Path(where[0]).name, where[1]) == ("subjects.yaml", 4)    # the prefix: line


def test_name_prefix_follows_configured_name_prefix_field_specs(tmp_path: Path) -> None:
    # kusttarget_configplugin.go: namePrefix runs PrefixTransformer with the configuration's
    # namePrefix field specs, those of `configurations:` files included
    _write(tmp_path, {
        "kustomization.yaml": HEADER + textwrap.dedent("""\
            namePrefix: dev-
            resources: [binding.yaml]
            configurations: [prefix.yaml]
            """),
        "binding.yaml": BINDING,
        "prefix.yaml": """\
            namePrefix:
              - {kind: RoleBinding, path: subjects/name}
            """})
    (binding,) = build(str(tmp_path)).resources
    assert binding.data["metadata"]["name"] == "dev-auth-reader"
    assert binding.data["subjects"][0]["name"] == "dev-controller-manager"


def test_patch_transformer_in_a_file_of_its_own(tmp_path: Path) -> None:
    # builtins/PatchTransformer.go, configured under `transformers:` (kueue
    # config/default/role_binding_visibility_transformer.yaml): it runs after the built-in
    # transformers, its target matches the name before namePrefix (an original id), and the
    # value it sets points at its patch in its own file
    _write(tmp_path, {
        "kustomization.yaml": HEADER + textwrap.dedent("""\
            namespace: kueue-system
            namePrefix: kueue-
            resources: [binding.yaml]
            transformers: [fix-namespace.yaml]
            """),
        "binding.yaml": BINDING,
        "fix-namespace.yaml": """\
            # keeps the binding in kube-system
            apiVersion: builtin
            kind: PatchTransformer
            metadata: {name: fix-namespace}
            patch: '[{"op": "replace", "path": "/metadata/namespace", "value": "kube-system"}]'
            target: {kind: RoleBinding, name: auth-reader}
            """})
    result = build(str(tmp_path))
    assert not result.hits
    (binding,) = result.resources
    assert (binding.data["metadata"]["name"], binding.data["metadata"]["namespace"]) == \
        ("kueue-auth-reader", "kube-system")
    where = result.positions.value(binding.data["metadata"], "namespace", ("", 0, 0))
    assert (Path(where[0]).name, where[1]) == ("fix-namespace.yaml", 5)


def test_two_patch_transformers_in_one_file_each_apply_their_own_patch(tmp_path: Path) -> None:
    # two documents with an inline patch at the same field: each is its own configuration
    _write(tmp_path, {
        "kustomization.yaml": HEADER + "resources: [binding.yaml]\ntransformers: [patches.yaml]\n",
        "binding.yaml": BINDING,
        "patches.yaml": """\
            apiVersion: builtin
            kind: PatchTransformer
            metadata: {name: one}
            patch: '[{"op": "add", "path": "/metadata/labels", "value": {"a": "1"}}]'
            target: {kind: RoleBinding}
            ---
            apiVersion: builtin
            kind: PatchTransformer
            metadata: {name: two}
            patch: '[{"op": "add", "path": "/metadata/annotations", "value": {"b": "2"}}]'
            target: {kind: RoleBinding}
            """})
    result = build(str(tmp_path))
    assert not result.hits
    (binding,) = result.resources
    assert binding.data["metadata"]["labels"] == {"a": "1"}
    assert binding.data["metadata"]["annotations"] == {"b": "2"}


def test_a_prefix_transformer_without_field_specs_fails(tmp_path: Path) -> None:
    # builtins/PrefixTransformer.go Config: "fieldSpecs is not expected to be nil"
    _write(tmp_path, {
        "kustomization.yaml": HEADER + "resources: [binding.yaml]\ntransformers: [prefix.yaml]\n",
        "binding.yaml": BINDING,
        "prefix.yaml": """\
            apiVersion: builtin
            kind: PrefixTransformer
            metadata: {name: p}
            prefix: x-
            """})
    result = build(str(tmp_path))
    assert [(h.rule, Path(h.file or "").name, h.line) for h in result.hits] == [(RULE_ERROR, "prefix.yaml", 1)]
    assert result.resources[0].data["metadata"]["name"] == "auth-reader"


def test_other_configured_transformers_are_still_not_run(tmp_path: Path) -> None:
    _write(tmp_path, {
        "kustomization.yaml": HEADER + "resources: [binding.yaml]\ntransformers: [ns.yaml]\n",
        "binding.yaml": BINDING,
        "ns.yaml": """\
            apiVersion: example.com/v1
            kind: MyTransformer
            metadata: {name: mine}
            """})
    assert [h.rule for h in build(str(tmp_path)).hits] == [RULE_NOT_BUILT]
