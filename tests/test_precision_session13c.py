"""Precision on repositories no earlier round read (session 13, precision20): keptn's
lifecycle-toolkit, goharbor/harbor-operator, KubeArmor, argocd-image-updater and others. Each
test is a finding that was not true of what gets applied, reduced to a small input copied
from the repository named beside it; docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


# --- the status of a custom resource whose CRD has the status subresource -----------------------

def _keptn_crd(kind: str, plural: str, properties: str, status: bool = False) -> str:
    """A CustomResourceDefinition of metrics.keptn.sh/v1 whose schema has `properties`
    (YAML at the depth of openAPIV3Schema.properties' entries)."""
    subresources = "\n        subresources: {status: {}}" if status else ""
    return f"""\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {{name: {plural}.metrics.keptn.sh}}
    spec:
      group: metrics.keptn.sh
      names: {{kind: {kind}, plural: {plural}}}
      scope: Namespaced
      versions:
      - name: v1
        served: true
        storage: true{subresources}
        schema:
          openAPIV3Schema:
            type: object
            properties:
{textwrap.indent(textwrap.dedent(properties), " " * 14)}"""


_ANALYSIS_CRD = _keptn_crd("Analysis", "analyses", """\
    spec:
      type: object
      properties:
        timeframe: {type: string}
    status:
      type: object
      properties:
        storedValues:
          type: object
          additionalProperties:
            type: object
            properties:
              value: {type: string}
    """, status=True)

# keptn/lifecycle-toolkit (Apache-2.0) test/chainsaw/testanalysis/
# analysis-controller-existing-status/install.yaml
_ANALYSIS = """\
    apiVersion: metrics.keptn.sh/v1
    kind: Analysis
    metadata: {name: analysis-sample}
    spec:
      timeframe: 5m
    status:
      storedValues:
        my-provider-query-1:
          value: 1
    """


def test_a_wrong_type_in_a_dropped_status_of_a_custom_resource_is_not_judged(tmp_path: Path) -> None:
    _write(tmp_path, {"crd.yaml": _ANALYSIS_CRD, "install.yaml": _ANALYSIS})
    assert _loud(tmp_path) == []


def test_a_wrong_type_in_the_status_of_a_built_in_kind_still_fails_decoding(tmp_path: Path) -> None:
    _write(tmp_path, {"svc.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        status:
          loadBalancer: {ingress: "10.0.0.1"}
        """})
    assert [(f[1], f[2]) for f in _loud(tmp_path)] == [("schema-violation", "ERROR")]


def test_an_unknown_field_in_the_status_of_a_custom_resource_is_still_refused(tmp_path: Path) -> None:
    text = _ANALYSIS.replace("          value: 1\n", "          value: '1'\n      phase: done\n")
    _write(tmp_path, {"crd.yaml": _ANALYSIS_CRD, "install.yaml": text})
    assert [(f[1], f[2]) for f in _loud(tmp_path)] == [("schema-violation", "ERROR")]
    assert 'unknown field "phase"' in _loud(tmp_path)[0][3]


# --- a synopsis's choice between words -----------------------------------------------------------

_PROVIDER_CRD = _keptn_crd("KeptnMetricsProvider", "keptnmetricsproviders", """\
    spec:
      type: object
      properties:
        type: {type: string}
        targetServer: {type: string}
        secretKeyRef:
          type: object
          properties:
            name: {type: string}
            key: {type: string}
            optional: {type: boolean}
    """)

# keptn/lifecycle-toolkit docs/docs/assets/crd/examples/yaml-synopsis.yaml and
# old-version-synopsis.yaml, included in the reference pages
_SYNOPSIS = """\
    apiVersion: metrics.keptn.sh/v1
    kind: KeptnMetricsProvider
    metadata:
      name: prometheus | dynatrace |dql
    spec:
      type: cortex | datadog | dql | dynatrace | prometheus | elastic | thanos
      targetServer: "<data-source-url>"
      secretKeyRef:
        name: dt-api-token
        key: DT_TOKEN
        optional: true | false
    """


def test_a_choice_between_words_is_a_placeholder(tmp_path: Path) -> None:
    _write(tmp_path, {"crd.yaml": _PROVIDER_CRD, "yaml-synopsis.yaml": _SYNOPSIS})
    assert _loud(tmp_path) == []
    infos = [f[3] for f in _findings(tmp_path) if f[1] == "template-placeholder"]
    assert len(infos) == 1 and "prometheus | dynatrace |dql" in infos[0]


def test_a_pipe_inside_words_or_a_cel_or_is_no_choice() -> None:
    from k8slint.placeholders import has_placeholder
    assert has_placeholder("true | false")
    assert not has_placeholder("a|b")
    assert not has_placeholder("cat x | grep y")
    assert not has_placeholder("self.a || self.b")


# --- a patch in a `patch/` folder that the kustomization lists only in a comment ----------------

# goharbor/harbor-operator (Apache-2.0) manifests/harbor/kustomization.yaml and
# manifests/harbor/patch/image-source.yaml
_HARBOR = {
    "manifests/harbor/kustomization.yaml": """\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: harbor-operator-ns
        resources:
          - deployment.yaml
        # If you have to override the image path, uncomment this patch
        # patchesStrategicMerge:
        #  - patch/image-source.yaml
        """,
    "manifests/harbor/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: harbor-operator}
        spec:
          selector: {matchLabels: {app: harbor-operator}}
          template:
            metadata: {labels: {app: harbor-operator}}
            spec:
              containers:
              - name: manager
                image: goharbor/harbor-operator:dev
        """,
    "manifests/harbor/patch/image-source.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: harbor-operator
        spec:
          template:
            spec:
              containers:
              - name: manager
                env:
                  - name: IMAGE_SOURCE_REPOSITORY
                    value: ghcr.io/goharbor
        """,
}


def test_an_unlisted_file_of_a_patch_folder_is_a_spare_patch(tmp_path: Path) -> None:
    _write(tmp_path, _HARBOR)
    assert [f for f in _findings(tmp_path) if f[2] == "ERROR"] == []
    spare = [f for f in _findings(tmp_path) if f[0] == "image-source.yaml"]
    assert [(f[1], f[2]) for f in spare] == [("not-kubernetes", "INFO")]


# --- kustomize 3 and 4's string entries in `patches` ----------------------------------------------

# goharbor/harbor-operator config/helm/deployment/kustomization.yaml, built by its Makefile
# with kustomize 4.5.7 (KUSTOMIZE_VERSION)
_LEGACY = {
    "helm/kustomization.yaml": """\
        resources:
        - deployment.yaml
        patches:
        - patch_deployment_config.yaml
        """,
    "helm/deployment.yaml": _HARBOR["manifests/harbor/deployment.yaml"].replace(":dev", ""),
    # the patch sets the image's tag: applied, the image is no longer untagged (latest)
    "helm/patch_deployment_config.yaml": _HARBOR["manifests/harbor/patch/image-source.yaml"].replace(
        "env:", "image: goharbor/harbor-operator:v1.3.0\n                env:"),
}


def test_a_string_entry_of_patches_is_a_warning_and_patches_as_kustomize_4_did(tmp_path: Path) -> None:
    _write(tmp_path, _LEGACY)
    loud = [f for f in _loud(tmp_path) if f[1] == "kustomize-build"]
    assert [(f[1], f[2]) for f in loud] == [("kustomize-build", "WARNING")]
    assert "kustomize 5.0 and later" in loud[0][3] and "- path: patch_deployment_config.yaml" in loud[0][3]
    assert not any(f[1] == "image-latest-tag" for f in _findings(tmp_path))


def test_a_number_entry_of_patches_is_still_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {**_LEGACY, "helm/kustomization.yaml": "resources:\n- deployment.yaml\npatches:\n- 3\n"})
    assert ("kustomize-build", "ERROR") in [(f[1], f[2]) for f in _loud(tmp_path)]


# --- files for an environment without Kubernetes ------------------------------------------------------

# kubearmor/KubeArmor (Apache-2.0) tests/nonk8s_env/host_policy/res/hsp-block-process-dir-bin.yaml,
# sent to KubeArmor under systemd by its Go tests (tests/util/kartutil.go SendPolicy)
_HOST_POLICY = """\
    apiVersion: security.kubearmor.com/v1
    kind: KubeArmorHostPolicy
    metadata:
      name: hsp-block-process-dir-bin
    spec:
      nodeSelector:
        matchLabels:
          kubearmor.io/hostname: "*"
      process:
        matchDirectories:
        - dir: /usr/bin
      action: Block
    """


def test_files_for_an_environment_without_kubernetes_are_not_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"tests/nonk8s_env/host_policy/res/hsp-block-process-dir-bin.yaml": _HOST_POLICY,
                      "examples/hsp-nonk8s-block.yaml": _HOST_POLICY,
                      "examples/hsp-k8s-block.yaml": _HOST_POLICY})
    found = _findings(tmp_path)
    assert [(f[0], f[1]) for f in found if f[1] == "not-kubernetes"] == [
        ("hsp-nonk8s-block.yaml", "not-kubernetes"), ("hsp-block-process-dir-bin.yaml", "not-kubernetes")]
    assert "without Kubernetes" in found[0][3] or "without Kubernetes" in found[1][3]
    assert not any(f[0] != "hsp-k8s-block.yaml" for f in found if f[1] != "not-kubernetes")


def test_a_word_with_non_inside_is_not_a_nonk8s_path(tmp_path: Path) -> None:
    _write(tmp_path, {"canonical-k8s/hsp.yaml": _HOST_POLICY})
    assert not any(f[1] == "not-kubernetes" for f in _findings(tmp_path))


# --- unknown fields in the steps of a kuttl test --------------------------------------------------

# argoproj-labs/argocd-image-updater (Apache-2.0) test/e2e/suite/006-apps-in-any-namespace/
# 01-install.yaml, a step of the kuttl suite test/e2e/kuttl-test.yaml
_KUTTL_STEP = """\
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: argocd-application-controller-binding
      namespace: image-updater-e2e-006-01
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: argocd-application-controller
      namespace: argocd-image-updater-e2e
    subjects:
      - kind: ServiceAccount
        name: argocd-application-controller
        namespace: argocd-image-updater-e2e
    """
_KUTTL_SUITE = """\
    apiVersion: kuttl.dev/v1beta1
    kind: TestSuite
    testDirs:
      - ./suite
    """


def _schema_findings(root: Path) -> list[tuple[str, str]]:
    return [(f[1], f[2]) for f in _findings(root) if f[1] == "schema-violation"]


def test_an_unknown_field_in_a_kuttl_step_is_dropped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, {"test/e2e/kuttl-test.yaml": _KUTTL_SUITE,
                      "test/e2e/suite/006-apps/01-install.yaml": _KUTTL_STEP})
    assert _schema_findings(tmp_path) == [("schema-violation", "WARNING")]
    assert "kuttl" in [f[3] for f in _findings(tmp_path) if f[1] == "schema-violation"][0]


def test_an_unknown_field_in_a_numbered_file_without_a_kuttl_suite_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"test/e2e/suite/006-apps/01-install.yaml": _KUTTL_STEP})
    assert _schema_findings(tmp_path) == [("schema-violation", "ERROR")]


def test_a_kuttl_suite_named_kuttl_yaml_counts_too(tmp_path: Path) -> None:
    # percona/percona-postgresql-operator keeps its TestSuite in e2e-tests/kuttl.yaml
    _write(tmp_path, {"e2e-tests/kuttl.yaml": _KUTTL_SUITE,
                      "e2e-tests/tests/init-deploy/01-install.yaml": _KUTTL_STEP})
    assert _schema_findings(tmp_path) == [("schema-violation", "WARNING")]
