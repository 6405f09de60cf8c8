"""What kube-prometheus, ingress-nginx, strimzi, ECK (elastic/cloud-on-k8s), Tekton
Pipelines and Istio showed (session 7): how the API server decodes an object before it
validates it (nulls, CRD defaults, a status it throws away), policy objects of other apply
units, duplicates that replace each other, and Secret names in env.

Fixtures are small and written here, modelled on those repositories (Apache-2.0); nothing
of them is copied."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check, check_text
from k8slint.config import Config


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _seen(tmp_path: Path, rules: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    found = check([str(tmp_path)], Config()).findings
    return [(f.rule, str(f.severity), f.message) for f in found if not rules or f.rule in rules]


_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: collectors.example.com}
spec:
  group: example.com
  names: {kind: Collector, plural: collectors, singular: collector, listKind: CollectorList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [managementState, image]
              properties:
                managementState: {type: string, default: managed, enum: [managed, unmanaged]}
                image: {type: string}
                match:
                  type: object
                  properties:
                    app: {type: string}
                  x-kubernetes-validations:
                    - rule: self.app != ''
                      message: app must not be empty
            status:
              type: object
              required: [phase]
              properties:
                phase: {type: string}
"""


def _collector(tmp_path: Path, body: str, rules: tuple[str, ...] = ("schema-violation",),
               crd: str = _CRD) -> list[tuple[str, str, str]]:
    """The findings of these rules on a Collector with this body, beside its CRD."""
    _write(tmp_path, {"crd.yaml": crd, "c.yaml": "apiVersion: example.com/v1\nkind: Collector\n"
                      "metadata: {name: c}\n" + body})
    return _seen(tmp_path, rules)


def test_a_required_field_with_a_default_is_filled_in_before_validation(tmp_path):
    # strimzi systemtest/.../tracing: an OpenTelemetryCollector without spec.managementState,
    # which the CRD requires with `default: managed`. apiextensions-apiserver applies the
    # defaults when it decodes the request (pkg/apiserver/schema/defaulting Default), before
    # it validates: the object is accepted.
    assert _collector(tmp_path, "spec: {image: 'otel:1'}\n") == []


def test_a_required_field_without_a_default_is_still_missing(tmp_path):
    assert _collector(tmp_path, "spec: {managementState: managed}\n") == [
        ("schema-violation", "error", 'spec: missing required field "image"')]


def test_a_null_field_of_a_custom_resource_is_pruned_before_schema_and_rules(tmp_path):
    # istio pkg/config/analysis/analyzers/testdata/envoy-filter-remove-operation.yaml: `match:`
    # left empty (null). A null that is not `nullable` is dropped when the request is decoded
    # (defaulting PruneNonNullableNullsWithoutDefaults), so neither the schema nor the CEL rule
    # of `match` sees it.
    assert _collector(tmp_path, "spec:\n  image: 'otel:1'\n  match:\n",
                      ("schema-violation", "crd-validation-rule")) == []


def test_a_null_required_field_of_a_custom_resource_is_missing(tmp_path):
    # pruned, then judged: `image: null` is no image
    assert _collector(tmp_path, "spec: {image: null}\n") == [
        ("schema-violation", "error", 'spec: missing required field "image"')]


def test_the_status_of_a_custom_resource_with_the_status_subresource_is_not_validated(tmp_path):
    # istio pkg/config/analysis/analyzers/testdata/condition-analyzer.yaml: an HTTPRoute with a
    # status whose parents lack controllerName. With the status subresource, create drops the
    # status (apiextensions-apiserver pkg/registry/customresource/strategy.go PrepareForCreate).
    assert _collector(tmp_path, "spec: {image: 'otel:1'}\nstatus: {reason: x}\n") == [
        ("schema-violation", "error", 'status.reason: unknown field "reason"')]
    # (an unknown field is found when the request is decoded, with kubectl's strict field
    # validation, before the status is dropped; a missing `phase` is not reported)


def test_a_status_without_the_subresource_is_validated(tmp_path):
    crd = _CRD.replace("      subresources: {status: {}}\n", "")
    assert _collector(tmp_path, "spec: {image: 'otel:1'}\nstatus: {}\n", crd=crd) == [
        ("schema-violation", "error", 'status: missing required field "phase"')]


def test_a_null_field_of_a_builtin_kind_decodes_to_nothing():
    # istio operator/cmd/mesh/testdata/manifest-generate/output/gateway_hpa_pdb.golden.yaml:
    # `maxUnavailable: 1` and `minAvailable: null`. encoding/json leaves a field set to null
    # unset, so the budget has maxUnavailable only (accepted).
    result = check_text("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: gw}\n"
                        "spec:\n  maxUnavailable: 1\n  minAvailable: null\n"
                        "  selector: {matchLabels: {app: gw}}\n")
    assert [f.message for f in result.findings if str(f.severity) == "error"] == []


_LIMITS = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: bounds%s}\nspec:\n  limits:\n" \
          "    - type: Container\n      min: {cpu: 100m}\n"
_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web%s}\nspec:\n  containers:\n    - name: web\n" \
       "      image: nginx:1.27.3\n      resources:\n        requests: {cpu: 10m, memory: 64Mi}\n" \
       "        limits: {memory: 64Mi}\n"


def test_a_limit_range_of_another_folder_without_a_namespace_binds_nothing_there(tmp_path):
    # tektoncd/pipeline: examples/v1/taskruns/no-ci/limitrange.yaml (no namespace) against a
    # Pod of vendor/k8s.io/apimachinery (namespace: default). An object without
    # metadata.namespace lands in the namespace its own apply gives (-n or the context).
    _write(tmp_path, {"examples/limitrange.yaml": _LIMITS % "", "vendor/pod.yaml": _POD % ", namespace: default"})
    assert _seen(tmp_path, ("resource-limit-range-violated",)) == []


def test_a_limit_range_of_another_folder_naming_the_namespace_binds(tmp_path):
    # both name namespace team-a: wherever they are applied from, they meet
    _write(tmp_path, {"platform/limitrange.yaml": _LIMITS % ", namespace: team-a",
                      "apps/pod.yaml": _POD % ", namespace: team-a"})
    assert [r for r, s, __ in _seen(tmp_path, ("resource-limit-range-violated",))] == \
        ["resource-limit-range-violated"]


def test_a_limit_range_of_the_same_folder_binds_without_namespaces(tmp_path):
    _write(tmp_path, {"app/limitrange.yaml": _LIMITS % "", "app/pod.yaml": _POD % ""})
    assert [r for r, s, __ in _seen(tmp_path, ("resource-limit-range-violated",))] == \
        ["resource-limit-range-violated"]


def test_a_quota_of_another_folder_without_a_namespace_binds_nothing_there(tmp_path):
    quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {limits.cpu: '2'}\n"
    _write(tmp_path, {"examples/quota.yaml": quota, "vendor/pod.yaml": _POD % ", namespace: default"})
    assert _seen(tmp_path, ("resource-quota-unsatisfied",)) == []
    _write(tmp_path, {"vendor/quota.yaml": quota})
    assert [r for r, s, __ in _seen(tmp_path, ("resource-quota-unsatisfied",))] == ["resource-quota-unsatisfied"]


def test_an_env_value_naming_a_secret_the_pod_uses_is_a_reference():
    # elastic/cloud-on-k8s all-in-one: WEBHOOK_SECRET=elastic-webhook-server-cert, the Secret
    # the same pod mounts as its webhook certificate
    base = ("apiVersion: v1\nkind: Pod\nmetadata: {name: op}\nspec:\n  containers:\n    - name: manager\n"
            "      image: registry.example.com/op:2.1.0\n      env:\n"
            "        - {name: WEBHOOK_SECRET, value: webhook-server-cert}\n%s")
    mounted = "  volumes:\n    - {name: cert, secret: {secretName: webhook-server-cert}}\n"
    pulled = "  imagePullSecrets: [{name: webhook-server-cert}]\n"
    for extra in (mounted, pulled):
        assert [f for f in check_text(base % extra).findings if f.rule == "env-secret-literal"] == []
    # a value that is no Secret of the pod is still a literal
    other = mounted.replace("secretName: webhook-server-cert", "secretName: other")
    assert [f.rule for f in check_text(base % other).findings if f.rule == "env-secret-literal"] == \
        ["env-secret-literal"]


_GW = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw}\nspec:\n  selector: {matchLabels: {app: gw}}\n"
       "  template:\n    metadata: {labels: {app: gw}}\n    spec:\n      containers:\n"
       "        - {name: gw, image: 'gw:1.0', ports: [{containerPort: %d}]}\n")
_PDB = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: gw}\nspec:\n  minAvailable: 1\n"
        "  selector: {matchLabels: {app: gw}}\n")
_SVC = "apiVersion: v1\nkind: Service\nmetadata: {name: gw}\nspec:\n  selector: {app: gw}\n  ports: [{port: 80}]\n"


def test_objects_a_later_one_of_the_unit_replaces_are_no_second_workload_or_budget(tmp_path):
    # istio operator/pkg/helm/testdata/output: golden files of one folder each define
    # PodDisruptionBudget istio-ingress and Deployment istio-ingress. kubectl apply keeps the
    # last of each identity, so one budget and one Deployment exist: no two budgets
    # (eviction.go's "more than one PodDisruptionBudget") and no Service over two workloads.
    _write(tmp_path, {"out/a.yaml": _GW % 8080 + "---\n" + _PDB + "---\n" + _SVC,
                      "out/b.yaml": _GW % 9090 + "---\n" + _PDB + "---\n" + _SVC})
    rules = ("pdb-multiple-budgets", "service-spans-workloads", "pdb-spans-workloads")
    assert _seen(tmp_path, rules) == []
    assert {r for r, __, __ in _seen(tmp_path, ("object-duplicate",))} == {"object-duplicate"}


def test_two_budgets_of_different_names_are_still_two(tmp_path):
    _write(tmp_path, {"out/a.yaml": _GW % 8080 + "---\n" + _PDB + "---\n" + _PDB.replace("{name: gw}", "{name: gw2}")})
    assert [s for __, s, __ in _seen(tmp_path, ("pdb-multiple-budgets",))] == ["error"]


def test_a_proxy_variable_in_an_annotation_is_no_placeholder():
    # kubernetes/ingress-nginx docs/examples/chashsubset/deployment.yaml:
    # upstream-hash-by: "$arg_predictorid", an nginx variable read per request
    ingress = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
               "    nginx.ingress.kubernetes.io/upstream-hash-by: \"%s\"\nspec:\n  ingressClassName: nginx\n"
               "  defaultBackend: {service: {name: web, port: {number: 80}}}\n")
    assert [f for f in check_text(ingress % "$arg_predictorid").findings if f.rule == "template-placeholder"] == []
    # an envsubst variable (capitals, or braces) is still one
    for value in ("$HASH_KEY", "${hash_key}"):
        assert [f.rule for f in check_text(ingress % value).findings if f.rule == "template-placeholder"] == \
            ["template-placeholder"]


_ADDRESS_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.example.com}
spec:
  group: example.com
  names: {kind: Gateway, plural: gateways}
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
                addresses:
                  type: array
                  items:
                    type: object
                    properties:
                      type: {type: string, default: IPAddress}
                      value: {type: string}
                    oneOf:
                      - properties:
                          type: {enum: [IPAddress]}
                          value:
                            anyOf: [{format: ipv4}, {format: ipv6}]
                      - properties:
                          type: {not: {enum: [IPAddress]}}
"""


def test_ip_formats_of_a_crd_are_asserted_once_the_type_defaults(tmp_path):
    # Gateway API's gateway-invalid-addresses: `type` defaults to IPAddress, so each value
    # must be an IPv4 or IPv6 address (kube-openapi strfmt IsIPv4/IsIPv6, asserted for CRDs).
    # Before defaults were applied, k8slint caught these only because both oneOf branches
    # matched an address without type.
    gateway = ("apiVersion: example.com/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  addresses:\n"
               "    - {value: 1.1.1}\n    - {value: '256.1.1.1'}\n    - {value: 'fe80::1'}\n"
               "    - {value: 10.0.0.1}\n    - {type: Hostname, value: example.com}\n")
    _write(tmp_path, {"crd.yaml": _ADDRESS_CRD, "gw.yaml": gateway})
    assert [m for __, __, m in _seen(tmp_path, ("schema-violation",))] == [
        'spec.addresses[0].value: "1.1.1" is not a valid IPv4/IPv6 address',
        'spec.addresses[1].value: "256.1.1.1" is not a valid IPv4/IPv6 address']


def test_a_stream_of_plain_json_documents_is_one_info(tmp_path):
    # elastic/cloud-on-k8s test/e2e/cmd/run/testdata/stream.json: `go test -json` output, one
    # JSON object a line (1495 documents); kubectl would stop at the first. One info says it.
    (tmp_path / "stream.json").write_text("".join(f'{{"Action": "run", "Test": "T{i}"}}\n' for i in range(50)))
    found = _seen(tmp_path, ("not-kubernetes",))
    assert [(r, s) for r, s, __ in found] == [("not-kubernetes", "info")]


def test_an_unknown_field_judged_by_a_crd_of_another_folder_is_a_warning(tmp_path):
    # istio samples/security/spire-trust-domain-federation: spec.className, which the SPIRE
    # CRDs its README installs (spire-crds chart) know, and the older CRD of samples/security/spire
    # (another folder) does not. The cluster may have either version: a warning, not an error.
    _write(tmp_path, {"crds/crd.yaml": _CRD,
                      "app/c.yaml": "apiVersion: example.com/v1\nkind: Collector\nmetadata: {name: c}\n"
                                    "spec: {image: 'otel:1', className: spire}\n"})
    found = _seen(tmp_path, ("schema-violation",))
    assert [(s, m.split(":")[0]) for __, s, m in found] == [("warning", "spec.className")]
    assert "(another apply unit) does not know it" in found[0][2]
    # beside its CRD (one unit) it is an error; so is a near miss of a known field (a typo)
    _write(tmp_path, {"crds/c.yaml": "apiVersion: example.com/v1\nkind: Collector\nmetadata: {name: d}\n"
                                     "spec: {image: 'otel:1', className: spire}\n",
                      "app/c.yaml": "apiVersion: example.com/v1\nkind: Collector\nmetadata: {name: c}\n"
                                    "spec: {imag: 'otel:1', image: 'otel:1'}\n"})
    assert sorted(s for __, s, __ in _seen(tmp_path, ("schema-violation",))) == ["error", "error"]
