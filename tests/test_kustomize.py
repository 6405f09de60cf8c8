"""Native kustomize builds: a base with overlays (tests/kustomize/app), the positions of
built fields, kustomize's errors at their lines, and the parts (strategic merge, JSON
patch, hash) on their own."""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import pytest

from k8slint.api import check, check_text
from k8slint.config import Config
from k8slint.kustomize import build
from k8slint.kustomize.generators import content_hash, encode_base64
from k8slint.kustomize.inputs import plan
from k8slint.kustomize.positions import Positions, Rec
from k8slint.kustomize.smp import merge_object, root_definition
from k8slint.kustomize.transformers import split_image, update_image

APP = Path(__file__).parent / "kustomize" / "app"
BASE = str(APP / "base")
PROD = str(APP / "overlays" / "prod")


def _by_kind(result, kind):
    return next(r for r in result.resources if r.kind == kind)


@pytest.fixture(scope="module")
def prod():
    return build(PROD)


def test_prod_overlay_objects_as_kubectl_kustomize_builds_them(prod):
    # Names, order and the hash suffix were checked against `kubectl kustomize
    # overlays/prod` (kustomize v5.5.0): the ConfigMap is prod-web-settings-c589bgtc96.
    assert [(r.kind, r.name, r.namespace) for r in prod.resources] == [
        ("ConfigMap", "prod-web-settings-c589bgtc96", "prod"),
        ("Service", "prod-web", "prod"),
        ("Deployment", "prod-web", "prod")]
    deployment = _by_kind(prod, "Deployment").data
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "web", "tier": "frontend"}
    assert _by_kind(prod, "Service").data["spec"]["selector"] == {"app": "web", "tier": "frontend"}
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["web", "log-shipper"]      # the component's sidecar
    assert containers[0]["image"] == "registry.example.com/web:2.1.0"     # the JSON patch
    assert containers[0]["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "metrics"}
    assert containers[0]["envFrom"][0]["configMapRef"]["name"] == "prod-web-settings-c589bgtc96"
    assert prod.hits == []


def test_every_field_points_where_it_was_written(prod):
    deployment = _by_kind(prod, "Deployment")
    kustomization = str(Path(PROD) / "kustomization.yaml")
    base = str(APP / "base" / "deployment.yaml")
    container = ("spec", "template", "spec", "containers", 0)

    def at(path, where="value"):
        file, line, column = prod.locate(deployment, path, where)
        return (Path(file).name if file != kustomization else "kustomization", line, column)

    assert at(("metadata", "namespace")) == ("kustomization", 5, 12)        # namespace: prod
    assert at(("metadata", "name")) == ("kustomization", 6, 13)             # namePrefix: prod-
    assert at(("spec", "selector", "matchLabels", "tier"), "key") == ("kustomization", 9, 7)
    assert at(("spec", "replicas")) == ("kustomization", 19, 12)            # replicas count
    assert at((*container, "image")) == ("image-patch.yaml", 3, 10)         # JSON patch value
    assert at((*container, "readinessProbe", "httpGet", "port")) == ("probe-patch.yaml", 12, 21)
    assert prod.locate(deployment, (*container, "readinessProbe", "httpGet", "path")) == (base, 28, 15)
    assert at(("spec", "template", "spec", "containers", 1, "image")) == ("kustomization.yaml", 11, 18)
    assert prod.locate(deployment, ()) == (base, 1, 1)
    configmap = _by_kind(prod, "ConfigMap")
    base_kustomization = str(APP / "base" / "kustomization.yaml")
    assert prod.locate(configmap, ("data", "MODE"), "key") == (base_kustomization, 7, 9)
    assert prod.locate(configmap, ()) == (base_kustomization, 5, 5)


@pytest.fixture(scope="module")
def app_findings():
    return check([str(APP)], Config()).findings


def _where(findings, rule):
    return [(Path(f.file).relative_to(APP).as_posix(), f.line, f.column, str(f.severity))
            for f in findings if f.rule == rule]


def test_a_patch_that_breaks_a_probe_is_reported_in_the_patch(app_findings):
    found = [f for f in app_findings if f.rule == "probe-named-port-missing"]
    assert [(Path(f.file).name, f.line, f.column, str(f.object)) for f in found] == [
        ("probe-patch.yaml", 12, 21, "Deployment/prod-web")]


def test_base_findings_are_reported_once_for_all_overlays(app_findings):
    # base/deployment.yaml's image web:latest reaches staging and broken (prod replaces it).
    assert _where(app_findings, "image-latest-tag") == [("base/deployment.yaml", 19, 18, "warning")]


def test_hashed_configmap_names_resolve(app_findings):
    assert [f for f in app_findings if f.rule == "configmap-ref-missing"] == []


def test_kustomize_errors_at_their_lines(app_findings):
    assert _where(app_findings, "kustomize-build") == [
        ("overlays/broken/kustomization.yaml", 3, 5, "error"),     # missing.yaml
        ("overlays/broken/kustomization.yaml", 4, 5, "error"),     # Service web twice
        ("overlays/mispatched/wrong-name.yaml", 4, 9, "error")]    # no Deployment webb
    assert _where(app_findings, "kustomize-patch-unmatched") == [
        ("overlays/mispatched/kustomization.yaml", 5, 5, "warning")]   # target kind StatefulSet


def test_a_patch_is_not_judged_when_the_build_misses_objects(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "resources:\n  - https://github.com/example/app//base?ref=v1\npatches:\n"
        "  - target: {kind: Deployment, name: web}\n    patch: |\n"
        "      - {op: replace, path: /spec/replicas, value: 2}\n")
    found = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.line, str(f.severity)) for f in found] == [
        ("kustomize-not-built", 2, "info"),          # the remote base is not fetched
        ("kustomize-not-built", 4, "info")]          # so the patch target is not decided


def _rollout_app(tmp_path, configurations="configurations: [transform.yaml]\n"):
    # argo-rollouts' docs/features/kustomize: `configurations:` adds field specs of kind
    # Rollout to the replicas transformer and to the name references of ConfigMaps
    # (builtinconfig.MakeTransformerConfig merges them into the defaults; the replicas
    # transformer and the name reference transformer read the merged config).
    (tmp_path / "transform.yaml").write_text(
        "replicas:\n- {path: spec/replicas, create: true, kind: Rollout}\n"
        "nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n"
        "  - {path: spec/template/spec/volumes/configMap/name, kind: Rollout}\n")
    (tmp_path / "rollout.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: guestbook}\n"
        "spec:\n  replicas: 1\n  template:\n    spec:\n"
        "      volumes: [{name: config, configMap: {name: guestbook-cm}}]\n"
        "      containers: [{name: web, image: 'web:1.0'}]\n")
    (tmp_path / "kustomization.yaml").write_text(
        configurations + "resources: [rollout.yaml]\n"
        "configMapGenerator:\n- {name: guestbook-cm, literals: [FOO=BAR]}\n"
        "replicas:\n- {name: guestbook, count: 3}\n")


def test_configurations_add_field_specs_for_custom_kinds(tmp_path):
    _rollout_app(tmp_path)
    built = build(str(tmp_path))
    assert [h for h in built.hits] == []
    rollout = next(r.data for r in built.resources if r.data["kind"] == "Rollout")
    configmap = next(r.data for r in built.resources if r.data["kind"] == "ConfigMap")
    assert rollout["spec"]["replicas"] == 3
    assert configmap["metadata"]["name"].startswith("guestbook-cm-")
    assert rollout["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"] == configmap["metadata"]["name"]


def test_without_configurations_a_custom_kind_has_no_replicas_field(tmp_path):
    _rollout_app(tmp_path, configurations="")
    found = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.line, str(f.severity)) for f in found if f.rule.startswith("kustomize")] == [
        ("kustomize-build", 5, "error")]             # replicas: no Deployment ... is named guestbook


def test_load_restrictor_none_allows_files_outside_the_folder(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "common.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [../common.yaml]\n")
    strict = check([str(tmp_path / "app")], Config()).findings
    assert [(f.rule, str(f.severity)) for f in strict] == [("kustomize-build", "error")]
    assert "kustomize-load-restrictor: LoadRestrictionsNone" in strict[0].message
    config = Config()
    config.kustomize_load_restrictor = "LoadRestrictionsNone"
    assert [f.rule for f in check([str(tmp_path / "app")], config).findings] == []


def test_patch_files_are_never_objects(app_findings):
    patches = {"probe-patch.yaml", "image-patch.yaml", "wrong-name.yaml", "grace.yaml"}
    rules = {f.rule for f in app_findings if Path(f.file).name in patches}
    assert rules <= {"probe-named-port-missing", "kustomize-build"}


def test_a_base_used_by_overlays_is_built_only_through_them():
    files = [str(p) for p in APP.rglob("*.yaml")]
    built = plan(files)
    assert sorted(Path(b.folder).relative_to(APP).as_posix() for b in built.builds) == [
        "overlays/broken", "overlays/mispatched", "overlays/prod", "overlays/staging"]
    assert built.remaining(files) == []
    # named with -k, the base is built on its own
    alone = plan([str(APP / "base" / "deployment.yaml")], [BASE])
    assert [Path(b.folder).name for b in alone.builds] == ["base"]


def test_kustomization_as_text():
    text = "namePrefix: dev-\nresources:\n  - no-such-file-k8slint.yaml\n"
    result = check_text(text, Config(), name="kustomization.yaml")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("kustomize-build", 3, 5)]


def test_unknown_field_and_typed_values_fail_as_kustomize_fails():
    # kustomize decodes with DisallowUnknownFields into string fields
    # (api/types/kustomization.go Unmarshal): both lines below fail `kustomize build`.
    text = "commonLabel:\n  app: web\nimages:\n  - name: web\n    newTag: 1.2\n"
    result = check_text(text, Config(), name="kustomization.yaml")
    assert [(f.rule, f.line) for f in result.findings] == [("kustomize-build", 1), ("kustomize-build", 5)]


# --- the parts ------------------------------------------------------------------------------

def test_strategic_merge_keys_and_directives():
    positions = Positions()
    dest = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {
        "containers": [{"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}]},
                       {"name": "b", "image": "y"}],
        "tolerations": [{"key": "k1"}, {"key": "k2"}]}}}}
    patch = {"spec": {"template": {"spec": {
        "containers": [{"name": "b", "$patch": "delete"},
                       {"name": "a", "env": [{"name": "B", "value": "2"}]},
                       {"name": "c", "image": "z"}],
        "tolerations": [{"key": "k3"}]}}}}
    merge_object(positions, dest, patch, root_definition("apps/v1", "Deployment"))
    spec = dest["spec"]["template"]["spec"]
    # merged by name; the patch's items first (kyaml MergeOptionsListPrepend); $patch: delete
    assert spec["containers"] == [{"name": "a", "image": "x", "env": [{"name": "B", "value": "2"},
                                                                      {"name": "A", "value": "1"}]},
                                  {"name": "c", "image": "z"}]
    # tolerations have no merge key in the OpenAPI document: the patch's list replaces
    assert spec["tolerations"] == [{"key": "k3"}]


def test_strategic_merge_replace_and_null():
    positions = Positions()
    dest = {"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}},
                     "paused": True}}
    patch = {"spec": {"template": {"spec": {"containers": [{"$patch": "replace"}, {"name": "c"}]}},
                      "paused": None}}
    merge_object(positions, dest, patch, root_definition("apps/v1", "Deployment"))
    assert dest == {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}


def test_custom_resource_lists_are_replaced():
    positions = Positions()
    dest = {"spec": {"items": [{"name": "a"}, {"name": "b"}]}}
    merge_object(positions, dest, {"spec": {"items": [{"name": "b", "x": 1}]}},
                 root_definition("example.com/v1", "Widget"))
    assert dest == {"spec": {"items": [{"name": "b", "x": 1}]}}


def test_hash_matches_kustomizes_own_test_values():
    # api/hasher/hasher_test.go TestConfigMapHash and TestSecretHash
    assert content_hash({"apiVersion": "v1", "kind": "ConfigMap"}) == "6ct58987ht"
    assert content_hash({"kind": "ConfigMap", "data": {"one": ""}}) == "9g67k2htb6"
    assert content_hash({"kind": "ConfigMap", "data": {"two": 2, "one": "", "three": 3}}) == "7757f9kkct"
    assert content_hash({"kind": "ConfigMap", "binaryData": {"one": ""}}) == "6mtk2m274t"
    assert content_hash({"kind": "Secret", "type": "my-type"}) == "5gmgkf8578"
    assert content_hash({"kind": "Secret", "type": "my-type", "data": {"one": ""}}) == "74bd68bm66"


def test_secret_values_wrap_at_70_characters():
    # kyaml/yaml/datamap.go encodeBase64: 70-character lines, each ended when there are several
    assert encode_base64("a") == "YQ=="
    wrapped = encode_base64("x" * 60)
    assert wrapped.split("\n")[0] == "eHh4" * 17 + "eH" and wrapped.endswith("\n")


@pytest.mark.parametrize("image, entry, expected", [
    ("nginx", {"newTag": "1.27"}, "nginx:1.27"),
    ("nginx:1.25", {"newName": "registry.local/nginx"}, "registry.local/nginx:1.25"),
    ("localhost:5000/app:1", {"digest": "sha256:abc"}, "localhost:5000/app@sha256:abc"),
    ("app@sha256:abc", {"newTag": "2"}, "app:2"),
])
def test_image_updates(image, entry, expected):
    # api/filters/imagetag/updater.go SetImageValue
    assert update_image(image, entry) == expected


def test_image_split_keeps_a_registry_port():
    assert split_image("localhost:5000/app:1.2") == ("localhost:5000/app", "1.2", "")


# --- the command line: check -k, explain -k, fix beside an overlay --------------------------

def test_check_and_explain_take_a_kustomization_folder():
    from click.testing import CliRunner

    from k8slint.cli import main

    runner = CliRunner()
    checked = runner.invoke(main, ["check", "-k", PROD, "--format", "compact"])
    assert checked.exit_code == 1
    assert "probe-patch.yaml:12:21: error [probe-named-port-missing]" in checked.output
    explained = runner.invoke(main, ["explain", "-k", PROD, "--format", "json"])
    assert explained.exit_code == 0, explained.output
    assert "stores /registry/deployments/prod/prod-web" in explained.output


GRACE_BASE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          lifecycle:
            preStop:
              exec: {command: [sh, -c, sleep 60]}
"""
GRACE_PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          lifecycle:
            preStop:
              exec: {command: [sh, -c, sleep 90]}
"""


def test_fix_on_a_base_file_says_when_an_overlay_patch_overrides_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from k8slint.cli import main

    (tmp_path / ".git").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "overlays" / "prod").mkdir(parents=True)
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")
    (tmp_path / "base" / "deployment.yaml").write_text(GRACE_BASE)
    (tmp_path / "overlays" / "prod" / "kustomization.yaml").write_text(
        "resources: [../../base]\nnamePrefix: prod-\npatches:\n  - path: grace.yaml\n")
    (tmp_path / "overlays" / "prod" / "grace.yaml").write_text(GRACE_PATCH)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "base/deployment.yaml"])
    assert result.exit_code == 0, result.output
    assert "terminationGracePeriodSeconds: 90" in (tmp_path / "base" / "deployment.yaml").read_text()
    assert "note: overlays/prod/grace.yaml:12 patches this field in the build of overlays/prod/" \
        in result.output
    # the patch file is not an object of its own: fixing the overlay folder leaves it alone
    again = CliRunner().invoke(main, ["fix", "overlays/prod"])
    assert again.exit_code == 0 and (tmp_path / "overlays" / "prod" / "grace.yaml").read_text() == GRACE_PATCH


def test_an_ignore_annotation_set_by_the_overlay_covers_findings_in_its_patches(tmp_path):
    import shutil

    shutil.copytree(APP / "base", tmp_path / "base")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    shutil.copy(APP / "overlays" / "prod" / "probe-patch.yaml", overlay / "probe-patch.yaml")
    (overlay / "kustomization.yaml").write_text(
        "resources: [../base]\npatches:\n  - path: probe-patch.yaml\n"
        "commonAnnotations:\n  k8slint.io/ignore: probe-named-port-missing\n")
    result = check([str(overlay)], Config())
    assert [f.rule for f in result.findings if f.rule == "probe-named-port-missing"] == []
    assert [(Path(f.file).name, f.line) for f in result.suppressed
            if f.rule == "probe-named-port-missing"] == [("probe-patch.yaml", 12)]


def test_a_patch_for_an_empty_resource_file_is_not_judged(tmp_path):
    """flux bootstrap writes gotk-components.yaml later; the repository holds a comment.
    kustomize builds an empty file as no objects, so a patch target matches nothing: with
    the objects still to come, that is an info (not decided), not a warning."""
    (tmp_path / "gotk-components.yaml").write_text("# generated by flux bootstrap\n")
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [gotk-components.yaml]\n"
        "patches:\n"
        "  - patch: |\n"
        "      - {op: add, path: /spec/replicas, value: 2}\n"
        "    target: {kind: Deployment, name: kustomize-controller}\n")
    found = [(f.rule, str(f.severity), f.line) for f in check([str(tmp_path)], Config(jobs=1)).findings
             if f.rule.startswith("kustomize")]
    assert found == [("kustomize-not-built", "info", 5)]
    (tmp_path / "gotk-components.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    found = [(f.rule, str(f.severity), f.line) for f in check([str(tmp_path)], Config(jobs=1)).findings
             if f.rule.startswith("kustomize")]
    assert found == [("kustomize-patch-unmatched", "warning", 5)]


def test_a_remote_patch_is_not_fetched(tmp_path):
    """kustomize's examples/loadHttp: a patch path may be a URL (api/loader fileloader.go
    fetches it); k8slint never uses the network, so it says what it did not apply."""
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [cm.yaml]\npatches:\n  - path: https://example.com/patch.yaml\n")
    found = [(f.rule, str(f.severity), f.line) for f in check([str(tmp_path)], Config(jobs=1)).findings
             if f.rule.startswith("kustomize")]
    assert found == [("kustomize-not-built", "info", 3)]


def test_a_copy_keeps_positions_set_while_the_marks_were_unread():
    """A list whose items were replaced (set_items) while its record still held the loader's
    marks is copied with the new positions (kserve config/overlays/all: a container added by
    a patch was reported at the line of the base's first container)."""
    pos = Positions()
    items: list[Any] = [{"name": "manager"}]
    pos.recs[id(items)] = Rec(items, ("base.yaml", 29, 7), ("base.yaml", array("i", [28, 6, 29, 6]), None))
    pos.set_items(items, [{"name": "manager"}, {"name": "proxy"}],
                  [("base.yaml", 30, 7), ("patch.yaml", 12, 9)], ("base.yaml", 29, 7))
    copied = pos.copy(items)
    assert pos.item(copied, 1, ("none", 0, 0)) == ("patch.yaml", 12, 9)
    assert pos.item(copied, 0, ("none", 0, 0)) == ("base.yaml", 30, 7)
