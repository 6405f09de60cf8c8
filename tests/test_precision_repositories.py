"""What kubeflow/manifests and argo-workflows showed: spare patches a kustomization does not
list, an empty replacement source, an unknown generator behavior, a JSON patch replace of a
missing key, a kustomize var in a name, a controller-runtime configuration file, and JSON
files that are no manifests."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check, check_text
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


def test_a_patch_the_kustomization_does_not_list_is_one_info_and_not_checked(tmp_path):
    _write(tmp_path, {"kustomization.yaml": "resources: [settings.yaml]\n#- manager_patch.yaml\n",
                      "settings.yaml": CONFIGMAP, "manager_patch.yaml": SPARE_PATCH})
    seen = _seen(tmp_path)
    assert [(file, rule, severity) for file, rule, severity, __ in seen] == [
        ("manager_patch.yaml", "not-kubernetes", "info")]
    assert "does not list" in seen[0][3] and "does not apply it" in seen[0][3]


def test_another_unlisted_file_is_checked_as_written(tmp_path):
    # microservices-demo: skaffold applies kubernetes-manifests/loadgenerator.yaml as rawYaml
    # beside the folder's kustomization, which does not list it
    _write(tmp_path, {"kustomization.yaml": "resources: [settings.yaml]\n", "settings.yaml": CONFIGMAP,
                      "manager.yaml": SPARE_PATCH})
    rules = {(file, rule) for file, rule, __, __ in _seen(tmp_path)}
    assert ("manager.yaml", "image-invalid") in rules
    assert not any(rule == "not-kubernetes" for __, rule in rules)


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


def test_a_failed_build_reads_what_it_lists_and_leaves_the_rest_spare(tmp_path):
    # the build goes on past the missing file and reads the patch it lists (matching nothing in
    # an incomplete build); a file it names nowhere (the scaffold's line commented out) is a
    # spare patch all the same (precision13: scheduler-plugins' config/default). A build that
    # stops before reading what it lists: test_precision_session11.
    _write(tmp_path, {"kustomization.yaml": "resources: [missing.yaml]\npatches:\n- path: manager_patch.yaml\n"
                                            "#- path: other_patch.yaml\n",
                      "manager_patch.yaml": SPARE_PATCH, "other_patch.yaml": SPARE_PATCH})
    rules = {(file, rule) for file, rule, __, __ in _seen(tmp_path)}
    assert ("kustomization.yaml", "kustomize-build") in rules
    assert {rule for file, rule in rules if file == "manager_patch.yaml"} == {"kustomize-not-built"}
    assert {rule for file, rule in rules if file == "other_patch.yaml"} == {"not-kubernetes"}


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


def test_a_patches_folder_whose_entries_are_all_commented_out_holds_spare_patches(tmp_path):
    # kubeflow's tensorboard-controller config/crd: every `patches:` line commented out
    _write(tmp_path, {"kustomization.yaml": "resources: [settings.yaml]\n#patches:\n#- path: patches/webhook.yaml\n",
                      "settings.yaml": CONFIGMAP, "patches/webhook.yaml": SPARE_PATCH})
    assert [(file, rule) for file, rule, __, __ in _seen(tmp_path)] == [("webhook.yaml", "not-kubernetes")]


def test_a_json_patch_replace_sets_a_missing_key_of_an_object(tmp_path):
    # evanphx/json-patch v4 Patch.replace: partialDoc.get never fails, so only a missing
    # parent (or list item) fails; kubectl kustomize builds kubeflow's oauth2-proxy overlay
    _write(tmp_path, {"kustomization.yaml": (
        "resources: [settings.yaml]\npatches:\n  - target: {kind: ConfigMap, name: settings}\n    patch: |-\n"
        "      - {op: replace, path: /data/extra, value: added}\n"), "settings.yaml": CONFIGMAP})
    result = check([str(tmp_path)], Config())
    assert not result.findings
    [settings] = result.graph.objects
    assert settings.data["data"] == {"mode": "fast", "extra": "added"}


def test_a_json_patch_replace_of_a_missing_parent_fails(tmp_path):
    _write(tmp_path, {"kustomization.yaml": (
        "resources: [settings.yaml]\npatches:\n  - target: {kind: ConfigMap, name: settings}\n    patch: |-\n"
        "      - {op: replace, path: /spec/extra, value: added}\n"), "settings.yaml": CONFIGMAP})
    assert [(f.rule, str(f.severity)) for f in check([str(tmp_path)], Config()).findings] == [("kustomize-build", "error")]


def test_a_kustomize_var_in_a_name_is_a_placeholder():
    # kubeflow pipeline's application.yaml: `name: $(kfp-app-name)`, a kustomize var
    result = check_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: $(kfp-app-name)\n")
    assert [(f.rule, str(f.severity)) for f in result.findings] == [("template-placeholder", "info")]


def test_a_controller_runtime_configuration_file_is_no_object():
    result = check_text("apiVersion: controller-runtime.sigs.k8s.io/v1alpha1\nkind: ControllerManagerConfig\n"
                        "health: {healthProbeBindAddress: ':8081'}\n")
    assert [(f.rule, f.message) for f in result.findings] == [
        ("not-kubernetes", "ControllerManagerConfig (controller-runtime.sigs.k8s.io/v1alpha1) is a "
                           "controller-runtime manager configuration file, not a Kubernetes object: not checked")]


def test_json_that_names_no_api_version_is_no_manifest_whatever_its_syntax(tmp_path):
    # argo-workflows' ui/tsconfig.json has comments (not JSON, nor YAML a flow mapping accepts)
    _write(tmp_path, {"tsconfig.json": '{\n  // the compiler\n  "compilerOptions": {"strict": true,}\n}\n',
                      "broken.json": '{"apiVersion": "v1", "kind": ConfigMap\n'})
    seen = {(file, rule, severity) for file, rule, severity, __ in _seen(tmp_path)}
    assert seen == {("tsconfig.json", "not-kubernetes", "info"), ("broken.json", "yaml-syntax", "error")}


def test_one_object_in_two_versions_builds_and_the_later_apply_wins(tmp_path):
    # kubebuilder testdata/project-v4/config/samples lists crew_v1_firstmate.yaml and
    # crew_v2_firstmate.yaml (one name): kustomize's ids differ by version, so `kubectl
    # kustomize` builds both; the cluster stores one object and keeps the later apply
    first = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: sample}\n"
    _write(tmp_path, {"kustomization.yaml": "resources: [v1.yaml, v2.yaml]\n", "v1.yaml": first,
                      "v2.yaml": first.replace("/v1", "/v2")})
    found = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "object-duplicate"]
    assert [(Path(f.file).name, str(f.severity)) for f in found] == [("v2.yaml", "warning")]
    assert "the later silently replaces the earlier" in found[0].message


def test_one_object_twice_in_one_version_fails_the_build(tmp_path):
    first = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sample}\n"
    _write(tmp_path, {"kustomization.yaml": "resources: [a.yaml, b.yaml]\n", "a.yaml": first, "b.yaml": first})
    # the native build refuses it as kustomize does (reswrangler.go Append), at the kustomization
    found = check([str(tmp_path)], Config()).findings
    assert [(f.rule, str(f.severity), Path(f.file).name) for f in found] == [
        ("kustomize-build", "error", "kustomization.yaml")]


def test_a_clusterctl_metadata_file_is_no_object_but_its_provider_kind_is():
    # cluster-api's metadata.yaml is read by clusterctl from release files
    # (cmd/clusterctl/api/v1alpha3 metadata_type.go); Provider is a CRD clusterctl installs
    metadata = check_text("apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3\nkind: Metadata\n"
                          "releaseSeries:\n  - {major: 1, minor: 12, contract: v1beta2}\n")
    assert [(f.rule, f.message) for f in metadata.findings] == [
        ("not-kubernetes", "Metadata (clusterctl.cluster.x-k8s.io/v1alpha3) is a clusterctl provider metadata "
                           "file, not a Kubernetes object: not checked")]
    provider = check_text("apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3\nkind: Provider\n"
                          "metadata: {name: cluster-api, namespace: capi-system}\n")
    assert not [f for f in provider.findings if f.rule == "not-kubernetes"]
