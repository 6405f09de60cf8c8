"""Files a kustomization does not list, and two build details real repositories showed
(kubeflow/manifests): an empty replacement source and an unknown generator behavior."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check
from k8slint.config import Config

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n"
# kubebuilder's config/default keeps patches that its kustomization.yaml lists only in
# comments; as objects they lack selector and image (errors if they were applied).
SPARE_PATCH = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager}\n"
               "spec:\n  template:\n    spec:\n      containers:\n        - name: manager\n"
               "          args: [--metrics-addr=127.0.0.1:8080]\n")


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _seen(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    found = check([str(tmp_path)], Config()).findings
    return [(Path(f.file).name, f.rule, str(f.severity), f.message) for f in found]


def test_a_file_the_kustomization_does_not_list_is_one_info_and_not_checked(tmp_path):
    _write(tmp_path, {"kustomization.yaml": "resources: [settings.yaml]\n#- manager_patch.yaml\n",
                      "settings.yaml": CONFIGMAP, "manager_patch.yaml": SPARE_PATCH})
    seen = _seen(tmp_path)
    assert [(file, rule, severity) for file, rule, severity, __ in seen] == [
        ("manager_patch.yaml", "not-kubernetes", "info")]
    assert "is not listed by" in seen[0][3] and "does not apply it" in seen[0][3]


def test_a_file_beside_the_patches_a_kustomization_reads_is_one_info(tmp_path):
    # kubebuilder's config/crd/patches: one patch enabled, the others left commented out
    _write(tmp_path, {
        "kustomization.yaml": "resources: [settings.yaml]\npatches:\n  - path: patches/mode.yaml\n",
        "settings.yaml": CONFIGMAP,
        "patches/mode.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: slow}\n",
        "patches/spare.yaml": SPARE_PATCH})
    seen = _seen(tmp_path)
    assert [(file, rule, severity) for file, rule, severity, __ in seen] == [("spare.yaml", "not-kubernetes", "info")]
    assert "no kustomization reads it" in seen[0][3]


def test_a_failed_build_keeps_the_plain_check_of_its_folder(tmp_path):
    # the build stopped at the missing file: what it lists after it was never read
    _write(tmp_path, {"kustomization.yaml": "resources: [missing.yaml, manager.yaml]\n", "manager.yaml": SPARE_PATCH})
    rules = {(file, rule) for file, rule, __, __ in _seen(tmp_path)}
    assert ("kustomization.yaml", "kustomize-build") in rules
    assert ("manager.yaml", "image-invalid") in rules


def test_an_empty_string_is_a_replacement_source(tmp_path):
    # kyaml RNode.IsNilOrEmpty (kustomize api/filters/replacement getReplacement): only a
    # missing or null field, an empty map or list fail the build; "" is copied
    _write(tmp_path, {
        "kustomization.yaml": (
            "resources: [app.yaml]\nconfigMapGenerator:\n  - {name: params, envs: [params.env]}\n"
            "generatorOptions: {disableNameSuffixHash: true}\nreplacements:\n"
            "  - source: {kind: ConfigMap, name: params, fieldPath: data.PREFIX}\n"
            "    targets:\n      - select: {kind: ConfigMap, name: settings}\n        fieldPaths: [data.mode]\n"),
        "params.env": "PREFIX=\n", "app.yaml": CONFIGMAP})
    result = check([str(tmp_path)], Config())
    assert not [f for f in result.findings if f.rule == "kustomize-build"]
    [settings] = [o for o in result.graph.objects if o.name == "settings"]
    assert settings.data["data"]["mode"] == ""


def test_an_unknown_generator_behavior_is_read_as_create(tmp_path):
    # kustomize api/types/generationbehavior.go NewGenerationBehavior: another word is
    # BehaviorUnspecified, which the accumulator treats as create (kubectl kustomize builds)
    _write(tmp_path, {"kustomization.yaml": "configMapGenerator:\n  - name: extra\n    behavior: add\n"
                                            "    literals: [a=b]\n"})
    result = check([str(tmp_path)], Config())
    assert [(f.rule, str(f.severity), f.line) for f in result.findings] == [("kustomize-build", "warning", 3)]
    assert [o.kind for o in result.graph.objects] == ["ConfigMap"]
