"""Precision on repositories no earlier round read (session 10, precision12): dapr, karmada,
kubevela, sealed-secrets and others. Each test is a finding that was not true of what gets
applied, reduced to a small input written here; docs/real-repositories.md lists them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _findings(root: Path) -> list[tuple[str, str, str, str]]:
    result = check([str(root)], Config())
    return [(Path(f.file).name, f.rule, f.severity.name, f.message) for f in result.findings]


def _rules(root: Path, severity: str | None = None) -> list[str]:
    return sorted(f[1] for f in _findings(root) if severity is None or f[2] == severity)


# --- placeholders: `YOUR ID` in an image -------------------------------------------------------

def test_your_words_in_an_image_are_a_placeholder(tmp_path: Path) -> None:
    # dapr/dapr tests/apps/*/service.yaml: `image: docker.io/YOUR ID/e2e-runtime:dev` and
    # `docker.io/[YOUR ALIAS]/e2e-middleware:dev`, the reader's registry account
    _write(tmp_path, {"app.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: runtime}
        spec:
          selector: {matchLabels: {app: runtime}}
          template:
            metadata: {labels: {app: runtime}}
            spec:
              containers:
              - {name: a, image: "docker.io/YOUR ID/e2e-runtime:dev"}
              - {name: b, image: "docker.io/[YOUR ALIAS]/e2e-middleware:dev"}
        """})
    found = _findings(tmp_path)
    assert [f for f in found if f[1] == "image-invalid"] == []
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        "2 template placeholders (YOUR ID, YOUR ALIAS) would be applied literally: substitute them "
        "before applying (envsubst, sed, kustomize, ko or your CI)"]


def test_an_image_with_spaces_is_still_invalid(tmp_path: Path) -> None:
    _write(tmp_path, {"pod.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec: {containers: [{name: a, image: "docker.io/my org/app:1"}]}
        """})
    assert "image-invalid" in _rules(tmp_path, "ERROR")


# --- placeholders: a capital word that a script nearby replaces with sed ------------------------

APP_TEMPLATE = """\
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: app-ID
      namespace: load-test-SHARD
    data: {a: b}
    """
DEPLOY_SCRIPT = """\
    #!/bin/bash
    for i in $(seq 0 9); do
      cat app-templates/light.yaml | sed 's/ID/'$i'/g' | sed "s/SHARD/$((i % 3))/g" | kubectl apply -f -
    done
    """


def test_a_capital_word_replaced_by_a_script_is_a_placeholder(tmp_path: Path) -> None:
    # kubevela hack/load-test: app-templates/*.yaml name `app-ID` in `load-test-SHARD`, which
    # deploy.sh (one folder up) fills in with sed before kubectl apply
    _write(tmp_path, {"app-templates/light.yaml": APP_TEMPLATE, "deploy.sh": DEPLOY_SCRIPT})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] == "ERROR"] == []
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        "2 template placeholders (ID, SHARD) would be applied literally: substitute them before "
        "applying (envsubst, sed, kustomize, ko or your CI)"]


def test_a_capital_word_without_such_a_script_is_a_mistake(tmp_path: Path) -> None:
    # traefik's Go fixtures name a Service `whoami-HTTPS`: no script replaces HTTPS
    _write(tmp_path, {"app-templates/light.yaml": APP_TEMPLATE,
                      "deploy.sh": DEPLOY_SCRIPT.replace("s/ID/", "s/NAME/").replace("s/SHARD/", "s/NS/")})
    assert _rules(tmp_path, "ERROR") == ["object-name", "object-name"]


# --- secret-ref-missing: a Secret made from a template of the input ----------------------------

def test_a_secret_made_from_a_template_is_an_info(tmp_path: Path) -> None:
    # karmada artifacts/deploy: karmada-config-secret.yaml names its Secret
    # `${component}-config`; hack/deploy-karmada.sh fills in each component with sed
    _write(tmp_path, {
        "config-secret.yaml": """\
            apiVersion: v1
            kind: Secret
            metadata: {name: "${component}-config", namespace: karmada-system}
            stringData: {karmada.config: "${config}"}
            """,
        "webhook.yaml": """\
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: karmada-webhook, namespace: karmada-system}
            spec:
              selector: {matchLabels: {app: w}}
              template:
                metadata: {labels: {app: w}}
                spec:
                  containers: [{name: w, image: "karmada/webhook:v1.14.0"}]
                  volumes:
                  - {name: config, secret: {secretName: karmada-webhook-config}}
                  - {name: cert, secret: {secretName: karmada-webhook-cert}}
            """})
    found = {(f[2], f[3].split(" does not")[0]) for f in _findings(tmp_path) if f[1] == "secret-ref-missing"}
    assert found == {("INFO", "Secret karmada-webhook-config"), ("WARNING", "Secret karmada-webhook-cert")}
    info = next(f[3] for f in _findings(tmp_path) if f[1] == "secret-ref-missing" and f[2] == "INFO")
    assert info.endswith("unless it is made from Secret ${component}-config of the input, whose "
                         "placeholders are filled in before applying")


# --- files that are no manifests ----------------------------------------------------------------

def test_duplicate_keys_of_a_tool_configuration_are_not_reported(tmp_path: Path) -> None:
    # sealed-secrets site/config.yaml (Hugo): `name:` and `url:` twice in a menu entry
    _write(tmp_path, {"config.yaml": """\
        baseURL: /
        menu:
          main:
          - name: Docs
            url: /docs
            name: Blog
            url: /blog
        """, "cm.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        data: {a: b, a: c}
        """})
    found = [(f[0], f[1]) for f in _findings(tmp_path) if f[1] == "yaml-duplicate-key"]
    assert found == [("cm.yaml", "yaml-duplicate-key")]


def test_broken_yaml_that_names_no_api_version_is_no_manifest(tmp_path: Path) -> None:
    # dapr/quickstarts tutorials/workflow/csharp/versioning/Versioning/dapr.yaml, a multi-app
    # run file with a stray comma after a flow sequence
    _write(tmp_path, {"dapr.yaml": """\
        version: 1
        apps:
          - appId: workflow-versioning
            command: ["dotnet", "run"],
            appLogDestination: console
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path)] == [("not-kubernetes", "INFO")]


def test_broken_yaml_of_a_manifest_is_still_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {"cm.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        data:
          a: ["x"],
        """})
    assert _rules(tmp_path, "ERROR") == ["yaml-syntax"]


# --- kustomize: the patches of a build that failed -------------------------------------------

def test_unlisted_patch_beside_the_patches_of_a_failed_build(tmp_path: Path) -> None:
    # kubevela config/crd: its resource base/core.oam.dev_applications.yaml is written by
    # `make manifests`; the build fails on a checkout, and patches/webhook_in_applications.yaml,
    # commented out in kustomization.yaml, is a patch, not a CRD without group and names
    _write(tmp_path, {
        "kustomization.yaml": """\
            resources:
            - base/core.oam.dev_applications.yaml
            patchesStrategicMerge:
            # - patches/webhook_in_applications.yaml
            - patches/cainjection_in_applications.yaml
            """,
        "patches/cainjection_in_applications.yaml": """\
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              annotations: {cert-manager.io/inject-ca-from: vela-system/serving-cert}
              name: applications.core.oam.dev
            """,
        "patches/webhook_in_applications.yaml": """\
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: applications.core.oam.dev}
            spec:
              conversion:
                strategy: Webhook
            """})
    found = _findings(tmp_path)
    assert [(f[0], f[1]) for f in found if f[2] == "ERROR"] == [("kustomization.yaml", "kustomize-build")]
    assert ("webhook_in_applications.yaml", "not-kubernetes") in [(f[0], f[1]) for f in found]


# --- jsonnet-bundler's vendor folder --------------------------------------------------------------

JSONNETFILE = {"dependencies": [{"name": "kube-libsonnet", "source": {"git": {
    "remote": "https://github.com/bitnami-labs/kube-libsonnet", "subdir": ""}}, "version": "master"}]}
GOLDEN = """\
    {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "foo-cronjob"},
     "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
       "restartPolicy": "OnFailure", "containers": [{"name": "a", "image": "busybox:1.36"}]}}}}}}
    """


def test_jsonnet_bundler_vendor_folder_is_not_checked(tmp_path: Path) -> None:
    # bitnami-labs/sealed-secrets: `jb install` with --jsonnetpkg-home vendor_jsonnet put
    # kube-libsonnet there; its tests/golden outputs use removed API versions on purpose
    _write(tmp_path, {"jsonnetfile.json": json.dumps(JSONNETFILE),
                      "vendor_jsonnet/kube-libsonnet/tests/golden/test-simple-validate.json": GOLDEN})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] != "INFO"] == []
    assert any("belong to a jsonnet dependency installed by jsonnet-bundler" in f[3] for f in found)


def test_jsonnet_default_vendor_folder_and_other_folders(tmp_path: Path) -> None:
    # jb's default home is vendor/ (the dependency may sit under github.com/...); a folder of
    # the repository's own beside jsonnetfile.json is still checked
    _write(tmp_path, {"jsonnetfile.json": json.dumps(JSONNETFILE),
                      "vendor/github.com/bitnami-labs/kube-libsonnet/golden.json": GOLDEN,
                      "manifests/cronjob.json": GOLDEN})
    errors = [(f[0], f[1]) for f in _findings(tmp_path) if f[2] == "ERROR"]
    assert errors == [("cronjob.json", "api-version-removed")]
