"""Precision on repositories no earlier round read (session 9): kubeflow, podinfo,
bank-of-anthos, argocd-example-apps and others. Each test is a finding that was not true of
what gets applied (or had the wrong severity), reduced to a small input;
docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config
from k8slint.kustomize import build


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))


def _findings(root: Path, config: Config | None = None) -> list[tuple[str, str, str, str]]:
    result = check([str(root)], config or Config())
    return [(Path(f.file).name, f.rule, f.severity.name, f.message) for f in result.findings]


# --- kustomize: a JSON patch of `patches` adds under /metadata/annotations -------------------

SERVICE_ACCOUNT = """\
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: bank-of-anthos
    """

ADD_ANNOTATION = """\
    resources: [sa.yaml]
    patches:
    - target:
        kind: ServiceAccount
      patch: |-
        - op: add
          path: /metadata/annotations/iam.gke.io~1gcp-service-account
          value: gke-workload-development@example.iam.gserviceaccount.com
    """


def test_json_patch_adds_an_annotation_to_an_object_without_annotations(tmp_path: Path) -> None:
    # GoogleCloudPlatform/bank-of-anthos iac/acm-multienv-cicd-anthos-autopilot/overlays/*:
    # the ServiceAccount of base/sa.yaml has no annotations. PatchTransformer's
    # transformJson6902 stores the previous id as internal annotations before it patches, so
    # the parent /metadata/annotations exists; `kubectl kustomize` (v5.5.0) prints the
    # ServiceAccount with the annotation.
    _write(tmp_path, {"kustomization.yaml": ADD_ANNOTATION, "sa.yaml": SERVICE_ACCOUNT})
    data = [r.data for r in build(str(tmp_path)).resources]
    assert data == [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {
        "name": "bank-of-anthos",
        "annotations": {"iam.gke.io/gcp-service-account": "gke-workload-development@example.iam.gserviceaccount.com"}}}]
    assert [f for f in _findings(tmp_path) if f[2] != "INFO"] == []


def test_json_patch_leaves_no_empty_annotations(tmp_path: Path) -> None:
    # the internal annotations are dropped on output; a map left empty is gone
    # (kubectl kustomize prints no `annotations:` after this patch)
    patch = ADD_ANNOTATION.replace("path: /metadata/annotations/iam.gke.io~1gcp-service-account",
                                   "path: /metadata/labels").replace(
        "value: gke-workload-development@example.iam.gserviceaccount.com", "value: {a: b}")
    _write(tmp_path, {"kustomization.yaml": patch, "sa.yaml": SERVICE_ACCOUNT})
    data = [r.data for r in build(str(tmp_path)).resources]
    assert data[0]["metadata"] == {"name": "bank-of-anthos", "labels": {"a": "b"}}


def test_patches_json6902_still_needs_the_parent(tmp_path: Path) -> None:
    # PatchJson6902Transformer stores no previous id: kubectl kustomize fails with "add
    # operation does not apply: doc is missing path"
    legacy = """\
        resources: [sa.yaml]
        patchesJson6902:
        - target: {version: v1, kind: ServiceAccount, name: bank-of-anthos}
          patch: |-
            - op: add
              path: /metadata/annotations/a
              value: b
        """
    _write(tmp_path, {"kustomization.yaml": legacy, "sa.yaml": SERVICE_ACCOUNT})
    errors = [(f[1], f[3]) for f in _findings(tmp_path) if f[2] == "ERROR"]
    assert errors == [("kustomize-build", "add: the path's parent /metadata/annotations does not exist: kustomize build fails")]


def test_json_patch_under_absent_labels_still_fails(tmp_path: Path) -> None:
    # only annotations are written before the patch: `add /metadata/labels/x` fails
    patch = ADD_ANNOTATION.replace("/metadata/annotations/", "/metadata/labels/")
    _write(tmp_path, {"kustomization.yaml": patch, "sa.yaml": SERVICE_ACCOUNT})
    errors = [(f[1], f[3]) for f in _findings(tmp_path) if f[2] == "ERROR"]
    assert errors == [("kustomize-build", "add: the path's parent /metadata/labels does not exist: kustomize build fails")]


# --- kustomize-patch-unmatched: a Component's patch matched in another use -------------------

COMPONENT = """\
    apiVersion: kustomize.config.k8s.io/v1alpha1
    kind: Component
    patches:
    - target:
        kind: Deployment
      patch: |-
        - op: replace
          path: /spec/template/spec/serviceAccountName
          value: bank-of-anthos
    """

DEPLOYMENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: contacts}
    spec:
      replicas: 2
      selector: {matchLabels: {app: contacts}}
      template:
        metadata: {labels: {app: contacts}}
        spec:
          serviceAccountName: default
          automountServiceAccountToken: false
          containers:
          - name: c
            image: "nginx:1.27"
            resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}
    """

CONFIGMAP = """\
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: db-config}
    data: {a: b}
    """


def _unmatched(root: Path) -> list[tuple[str, str]]:
    return [(f[0], f[2]) for f in _findings(root) if f[1] == "kustomize-patch-unmatched"]


def test_component_patch_matched_by_another_user_is_not_reported(tmp_path: Path) -> None:
    # GoogleCloudPlatform/bank-of-anthos src/components/cloud-sql-fwi patches every Deployment
    # and every Job; the init-db overlays that list it have only a Job, the production-fwi
    # overlays a Deployment. In the overlays with a Deployment the patch works.
    _write(tmp_path / "components" / "sa", {"kustomization.yaml": COMPONENT})
    _write(tmp_path / "app", {"kustomization.yaml": "resources: [deploy.yaml]\ncomponents: [../components/sa]\n",
                              "deploy.yaml": DEPLOYMENT})
    _write(tmp_path / "init-db", {"kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../components/sa]\n",
                                  "cm.yaml": CONFIGMAP})
    assert _unmatched(tmp_path) == []


def test_component_patch_matched_in_the_overlay_of_the_same_build(tmp_path: Path) -> None:
    # bank-of-anthos src/ledger/ledger-db/k8s: base and overlays/development both list
    # components/ledger (which lists components/bank-of-anthos, whose patch targets every
    # StatefulSet); only the overlay has the StatefulSet, and `kubectl kustomize` of the overlay
    # prints it patched.
    _write(tmp_path / "components" / "sa", {"kustomization.yaml": COMPONENT})
    _write(tmp_path / "base", {"kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../components/sa]\n",
                               "cm.yaml": CONFIGMAP})
    _write(tmp_path / "overlay", {"kustomization.yaml": "resources: [../base, deploy.yaml]\ncomponents: [../components/sa]\n",
                                  "deploy.yaml": DEPLOYMENT})
    assert _unmatched(tmp_path / "overlay") == []
    data = [r.data for r in build(str(tmp_path / "overlay")).resources]
    assert [d["spec"]["template"]["spec"]["serviceAccountName"] for d in data if d["kind"] == "Deployment"] == ["bank-of-anthos"]


def test_component_patch_that_matches_in_no_user_is_still_reported(tmp_path: Path) -> None:
    # bank-of-anthos src/components/backend: both of its users have only Jobs, so its
    # Deployment patch never does anything
    _write(tmp_path / "components" / "sa", {"kustomization.yaml": COMPONENT})
    for name in ("one", "two"):
        _write(tmp_path / name, {"kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../components/sa]\n",
                                 "cm.yaml": CONFIGMAP})
    assert _unmatched(tmp_path) == [("kustomization.yaml", "WARNING")]


# --- an unlisted copy of a patch a build reads -------------------------------------------------

KONG_PATCH = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ingress-kong
    spec:
      template:
        spec:
          containers:
          - name: proxy
            env: [{name: KONG_DATABASE, value: postgres}]
    """


def test_unlisted_copy_of_a_component_patch_is_not_an_object(tmp_path: Path) -> None:
    # Kong/kubernetes-ingress-controller config/variants/postgres: the `wait` Component patches
    # with wait/kong-ingress-postgres.yaml; a copy with the same name lies beside the
    # kustomization, which does not list it. `kubectl apply -k` never applies it, and as an
    # object it is a Deployment without selector and image (2 errors before).
    _write(tmp_path / "wait", {
        "kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                              "patches:\n- path: kong-ingress-postgres.yaml\n",
        "kong-ingress-postgres.yaml": KONG_PATCH})
    _write(tmp_path, {"kustomization.yaml": "resources: [deploy.yaml]\ncomponents: [./wait/]\n",
                      "deploy.yaml": DEPLOYMENT.replace("contacts", "ingress-kong").replace("name: c\n", "name: proxy\n"),
                      "kong-ingress-postgres.yaml": KONG_PATCH})
    found = [f for f in _findings(tmp_path) if f[0] == "kong-ingress-postgres.yaml"]
    assert [(f[1], f[2]) for f in found] == [("not-kubernetes", "INFO")]
    assert found[0][3].startswith("kong-ingress-postgres.yaml has the name of the kustomize patch ")


def test_unlisted_file_of_another_name_is_still_checked(tmp_path: Path) -> None:
    # other unlisted files in a kustomization's folder are checked as they are
    _write(tmp_path / "wait", {
        "kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                              "patches:\n- path: kong-ingress-postgres.yaml\n",
        "kong-ingress-postgres.yaml": KONG_PATCH})
    _write(tmp_path, {"kustomization.yaml": "resources: [deploy.yaml]\ncomponents: [./wait/]\n",
                      "deploy.yaml": DEPLOYMENT.replace("contacts", "ingress-kong").replace("name: c\n", "name: proxy\n"),
                      "kong-postgres.yaml": KONG_PATCH})
    errors = sorted((f[0], f[1]) for f in _findings(tmp_path) if f[2] == "ERROR")
    assert errors == [("kong-postgres.yaml", "image-invalid"), ("kong-postgres.yaml", "workload-selector-mismatch")]


# --- Envoy Gateway's configuration file ------------------------------------------------------

def test_envoy_gateway_configuration_is_not_an_object(tmp_path: Path) -> None:
    # envoyproxy/gateway examples/standalone/envoy-gateway.yaml and the decoder and loader
    # testdata: `kind: EnvoyGateway` has TypeMeta and an inline spec (api/v1alpha1
    # envoygateway_types.go), no metadata and no CRD; envoy-gateway reads it with --config-path
    # (the chart puts it in the envoy-gateway-config ConfigMap). Before: object-name errors.
    _write(tmp_path, {"envoy-gateway.yaml": """\
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: EnvoyGateway
        gateway:
          controllerName: gateway.envoyproxy.io/gatewayclass-controller
        provider:
          type: Kubernetes
        """})
    found = _findings(tmp_path)
    assert [(f[0], f[1], f[2]) for f in found] == [("envoy-gateway.yaml", "not-kubernetes", "INFO")]
    assert "Envoy Gateway configuration file" in found[0][3]


def test_envoy_proxy_of_the_same_group_is_still_an_object(tmp_path: Path) -> None:
    # EnvoyProxy is a custom resource (the chart's CRDs serve it): without a name it is refused
    _write(tmp_path, {"proxy.yaml": """\
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: EnvoyProxy
        metadata: {namespace: default}
        spec: {}
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[2] == "ERROR"] == [("object-name", "ERROR")]


# --- an unquoted {PLACEHOLDER}, read by YAML as a mapping -------------------------------------

GATEWAY_CRD = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: gateways.gateway.networking.k8s.io}
    spec:
      group: gateway.networking.k8s.io
      names: {kind: Gateway, plural: gateways, listKind: GatewayList, singular: gateway}
      scope: Namespaced
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  gatewayClassName: {type: string}
                  listeners: {type: array, items: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    """

def test_unquoted_braced_placeholder_is_a_placeholder(tmp_path: Path) -> None:
    # envoyproxy/gateway test/e2e/testdata/accesslog-otel-default.yaml: `gatewayClassName:
    # {GATEWAY_CLASS_NAME}` unquoted (67 other files quote it); YAML reads a mapping
    # {GATEWAY_CLASS_NAME: null}, and Gateway API's conformance Applier (prepareGateway)
    # sets spec.gatewayClassName before it applies. It was an error: expected string.
    _write(tmp_path, {"crd.yaml": GATEWAY_CRD, "gateway.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: accesslog-gtw, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: {GATEWAY_CLASS_NAME}
          listeners:
          - {name: http, port: 80, protocol: HTTP}
        """})
    assert [f for f in _findings(tmp_path) if f[2] != "INFO"] == []


def test_a_real_one_key_mapping_is_still_checked(tmp_path: Path) -> None:
    # a mapping with a value, or a lower-case key, is no placeholder
    _write(tmp_path, {"crd.yaml": GATEWAY_CRD, "gateway.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: accesslog-gtw, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: {envoy: gateway}
          listeners:
          - {name: http, port: 80, protocol: HTTP}
        """})
    found = [(f[1], f[2], f[3]) for f in _findings(tmp_path) if f[2] != "INFO"]
    assert found == [("schema-violation", "ERROR", "spec.gatewayClassName: expected string, got a mapping")]


def test_gep_metadata_is_not_an_object(tmp_path: Path) -> None:
    # kubernetes-sigs/gateway-api geps/gep-1016/metadata.yaml (62 such files, 62 object-name
    # errors before): tools/geps reads kind GEPDetails to build the documentation site
    _write(tmp_path / "gep-1016", {"metadata.yaml": """\
        apiVersion: internal.gateway.networking.k8s.io/v1alpha1
        kind: GEPDetails
        number: 1016
        name: GRPCRoute
        status: Standard
        """})
    found = _findings(tmp_path)
    assert [(f[0], f[1], f[2]) for f in found] == [("metadata.yaml", "not-kubernetes", "INFO")]
    assert "Gateway API enhancement proposal metadata" in found[0][3]


ADDRESS_GATEWAY = """\
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: gateway-static-addresses, namespace: gateway-conformance-infra}
    spec:
      gatewayClassName: "{GATEWAY_CLASS_NAME}"
      addresses:
      - value: "PLACEHOLDER_USABLE_ADDRS"
      - value: "1.a.3.4"
      listeners:
      - {name: http, port: 8080, protocol: HTTP}
    """


def test_placeholder_word_token_in_a_formatted_field_is_a_placeholder(tmp_path: Path) -> None:
    # kubernetes-sigs/gateway-api conformance/tests/gateway-static-addresses.yaml: the
    # conformance Applier (conformance/utils/kubernetes/apply.go prepareGateway) replaces
    # PLACEHOLDER_USABLE_ADDRS and PLACEHOLDER_UNUSABLE_ADDRS with the implementation's
    # addresses; they were errors (not a valid IPv4/IPv6 address). A real bad address stays.
    crd = GATEWAY_CRD.replace(
        "listeners: {type: array",
        "addresses:\n"
        "                    type: array\n"
        "                    items:\n"
        "                      type: object\n"
        "                      properties:\n"
        "                        type: {type: string, default: IPAddress}\n"
        "                        value: {type: string}\n"
        "                      oneOf:\n"
        "                      - properties:\n"
        "                          type: {enum: [IPAddress]}\n"
        "                          value: {anyOf: [{format: ipv4}, {format: ipv6}]}\n"
        "                      - properties:\n"
        "                          type: {not: {enum: [IPAddress]}}\n"
        "                  listeners: {type: array")
    _write(tmp_path, {"crd.yaml": crd, "gateway.yaml": ADDRESS_GATEWAY})
    found = [(f[1], f[2], f[3]) for f in _findings(tmp_path) if f[2] != "INFO"]
    assert found == [("schema-violation", "ERROR", 'spec.addresses[1].value: "1.a.3.4" is not a valid IPv4/IPv6 address')]


# --- object-duplicate: manifests of different Go conformance tests ---------------------------

ROUTE = """\
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: http-route-1, namespace: gateway-conformance-infra}
    data: {a: "%s"}
    """


def _conformance_folder(folder: Path, second_list: str) -> None:
    _write(folder, {
        "gateway-modify-listeners.go":
            'var GatewayModifyListeners = suite.ConformanceTest{\n'
            '\tShortName: "GatewayModifyListeners",\n'
            '\tManifests: []string{"tests/gateway-modify-listeners.yaml"},\n}\n',
        "gateway-with-attached-routes.go":
            'var GatewayWithAttachedRoutes = suite.ConformanceTest{\n'
            f'\tManifests: []string{{{second_list}}},\n}}\n',
        "gateway-modify-listeners.yaml": ROUTE % "1",
        "gateway-with-attached-routes.yaml": ROUTE % "2"})


def test_manifests_of_two_go_conformance_tests_are_not_applied_together(tmp_path: Path) -> None:
    # kubernetes-sigs/gateway-api conformance/tests: gateway-modify-listeners.yaml and
    # gateway-with-attached-routes.yaml both define HTTPRoute http-route-1 (21 such warnings);
    # each .go file's ConformanceTest applies its own Manifests and deletes them afterwards
    _conformance_folder(tmp_path / "tests", '"tests/gateway-with-attached-routes.yaml"')
    assert [f for f in _findings(tmp_path) if f[1] == "object-duplicate"] == []


def test_manifests_of_one_go_conformance_test_are_applied_together(tmp_path: Path) -> None:
    # one test listing both files applies both: the later replaces the earlier
    _conformance_folder(tmp_path / "tests", '"tests/gateway-with-attached-routes.yaml", '
                                            '"tests/gateway-modify-listeners.yaml"')
    found = [(f[0], f[2]) for f in _findings(tmp_path) if f[1] == "object-duplicate"]
    assert found == [("gateway-with-attached-routes.yaml", "WARNING")]


def test_go_conformance_tests_in_a_sibling_folder_name_the_manifests(tmp_path: Path) -> None:
    # envoyproxy/gateway test/e2e/tests/*.go name `testdata/<file>` of test/e2e/testdata
    # (51 object-duplicate warnings there before)
    _write(tmp_path / "e2e" / "tests", {
        "accesslog.go": 'var FileAccessLogTest = suite.ConformanceTest{\n'
                        '\tManifests: []string{"testdata/accesslog-file.yaml"},\n}\n'
                        'var OpenTelemetryTest = suite.ConformanceTest{\n'
                        '\tManifests: []string{"testdata/accesslog-otel.yaml"},\n}\n'})
    _write(tmp_path / "e2e" / "testdata", {"accesslog-file.yaml": ROUTE % "1", "accesslog-otel.yaml": ROUTE % "2"})
    assert [f for f in _findings(tmp_path) if f[1] == "object-duplicate"] == []


def test_unlisted_file_named_like_a_patch_elsewhere_is_still_checked(tmp_path: Path) -> None:
    # only a patch of that name below the file's folder makes it a left-behind copy: a patch
    # named so in a sibling overlay says nothing about this file
    _write(tmp_path / "overlay", {"kustomization.yaml": "resources: [../app]\npatches:\n- path: kong-ingress-postgres.yaml\n",
                                  "kong-ingress-postgres.yaml": KONG_PATCH})
    _write(tmp_path / "app", {"kustomization.yaml": "resources: [deploy.yaml]\n",
                              "deploy.yaml": DEPLOYMENT.replace("contacts", "ingress-kong").replace("name: c\n", "name: proxy\n"),
                              "kong-ingress-postgres.yaml": KONG_PATCH})
    errors = sorted((f[0], f[1]) for f in _findings(tmp_path) if f[2] == "ERROR")
    assert errors == [("kong-ingress-postgres.yaml", "image-invalid"), ("kong-ingress-postgres.yaml", "workload-selector-mismatch")]
