"""Precision on repositories no earlier round read (session 8): rook, longhorn, linkerd2,
external-dns, kubernetes/autoscaler, kyverno, velero, crossplane, external-secrets,
descheduler. Each test is a finding that was not true of what gets applied (or had the
wrong severity), reduced to a small input; docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config

DEPLOYMENT_WITHOUT_SPEC = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))


def _findings(root: Path) -> list[tuple[str, str, str]]:
    result = check([str(root)], Config())
    return [(Path(f.file).name, f.rule, f.severity.name) for f in result.findings]


def _errors(root: Path) -> list[tuple[str, str]]:
    return [(name, rule) for name, rule, severity in _findings(root) if severity == "ERROR"]


# --- files of test tools that are never applied (k8slint.test_steps) -------------------------

def test_kyverno_cli_test_resources_are_not_applied(tmp_path: Path) -> None:
    # kyverno test/cli/test/autogen: `kyverno test` evaluates the policy against
    # resources.yaml offline and compares with patched.yaml (kyverno
    # cmd/cli/kubectl-kyverno/apis/v1alpha1 test.go Resources, test_result.go PatchedResources);
    # neither is sent to a cluster. The policy itself is still checked.
    _write(tmp_path / "t", {
        "kyverno-test.yaml": """\
            apiVersion: cli.kyverno.io/v1alpha1
            kind: Test
            metadata: {name: t}
            policies: [policy.yaml]
            resources: [resources.yaml]
            results:
              - {policy: p, rule: r, resources: [app], kind: Deployment, result: pass,
                 patchedResources: ../expected/patched.yaml}
            """,
        "resources.yaml": DEPLOYMENT_WITHOUT_SPEC,
        "policy.yaml": """\
            apiVersion: v1
            kind: Pod
            metadata: {name: Not-A-Policy}
            spec:
              containers: [{name: c, image: "busybox:1.36"}]
            """,
    })
    _write(tmp_path / "expected", {"patched.yaml": DEPLOYMENT_WITHOUT_SPEC})
    errors = _errors(tmp_path)
    assert ("resources.yaml", "schema-violation") not in errors
    assert ("patched.yaml", "schema-violation") not in errors
    assert ("policy.yaml", "object-name") in errors          # policies are checked
    infos = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "not-kubernetes"
             and "evaluated offline" in f.message]
    assert len(infos) == 2                                   # one per folder


def test_a_file_named_like_a_kyverno_resource_outside_a_test_is_checked(tmp_path: Path) -> None:
    _write(tmp_path / "deploy", {"resources.yaml": DEPLOYMENT_WITHOUT_SPEC})
    assert ("resources.yaml", "schema-violation") in _errors(tmp_path)


def test_snapshot_folders_are_not_applied(tmp_path: Path) -> None:
    # external-secrets tests/__snapshot__/*.yaml: helm-unittest matchSnapshot output, with
    # `metadata: {}` and `string` for every field (59 errors before)
    _write(tmp_path / "tests" / "__snapshot__", {"secretstore-v1.yaml": DEPLOYMENT_WITHOUT_SPEC})
    assert _findings(tmp_path) == [("secretstore-v1.yaml", "not-kubernetes", "INFO")]


def test_an_unnamed_assert_file_beside_a_chainsaw_test_is_an_assertion(tmp_path: Path) -> None:
    # kyverno test/conformance/chainsaw/mutating-policies/context/image: policy-assert.yaml is
    # named by no step of chainsaw-test.yaml (a shared step template reads it)
    _write(tmp_path / "t", {
        "chainsaw-test.yaml": """\
            apiVersion: chainsaw.kyverno.io/v1alpha1
            kind: Test
            metadata: {name: t}
            spec:
              steps:
                - try:
                    - apply: {file: policy.yaml}
            """,
        "policy.yaml": DEPLOYMENT_WITHOUT_SPEC.replace("name: app", "name: applied"),
        "policy-assert.yaml": DEPLOYMENT_WITHOUT_SPEC,
    })
    errors = _errors(tmp_path)
    assert ("policy-assert.yaml", "schema-violation") not in errors
    assert ("policy.yaml", "schema-violation") in errors     # applied by the test: checked


# --- placeholders (k8slint.placeholders) ---------------------------------------------------------

def test_a_bracketed_caps_placeholder_is_a_placeholder_not_a_list(tmp_path: Path) -> None:
    # kubernetes/autoscaler cluster-autoscaler/cloudprovider/volcengine/examples: YAML reads
    # `[YOUR_BASE64_AK_ID]` as a list of one string; the tutorial means "put yours here"
    _write(tmp_path, {"secret.yaml": """\
        apiVersion: v1
        kind: Secret
        metadata: {name: cloud-config, namespace: kube-system}
        type: Opaque
        data:
          access-key: [YOUR_BASE64_AK_ID]
          region-id: [YOUR_BASE64_REGION_ID]
          real: [a, b]
        """})
    findings = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.path) for f in findings if f.severity.name == "ERROR"] == \
        [("schema-violation", "data.real")]                  # a real list is still wrong
    infos = [f.message for f in findings if f.rule == "template-placeholder"]
    assert len(infos) == 1 and "[YOUR_BASE64_AK_ID]" in infos[0] and "[YOUR_BASE64_REGION_ID]" in infos[0]


def test_braced_words_in_an_image_and_an_elided_name_are_placeholders(tmp_path: Path) -> None:
    # kubernetes/autoscaler huaweicloud example: `.../{Organization name}/cluster-autoscaler:dev`;
    # external-secrets docs/snippets/full-secret-store.yaml: `namespace: ...`
    _write(tmp_path, {"deploy.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ca, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: ca}}
          template:
            metadata: {labels: {app: ca}}
            spec:
              serviceAccountName: ...
              containers:
                - name: ca
                  image: swr.cn-north-4.myhuaweicloud.com/{Organization name}/cluster-autoscaler:dev
        """})
    findings = check([str(tmp_path)], Config()).findings
    assert [f.rule for f in findings if f.severity.name == "ERROR"] == []
    infos = [f.message for f in findings if f.rule == "template-placeholder"]
    assert len(infos) == 1 and "{Organization name}" in infos[0] and "..." in infos[0]


# --- templating that breaks YAML (k8slint.loader) ---------------------------------------------

def test_an_at_placeholder_is_a_placeholder_not_broken_yaml(tmp_path: Path) -> None:
    # longhorn dev/scale-test/statefulset.yaml: scale-test.py replaces @STS_NAME@; YAML
    # refuses `@` at the start of a value (a reserved indicator)
    _write(tmp_path, {"statefulset.yaml": """\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: @STS_NAME@
        spec:
          serviceName: @STS_NAME@
          selector: {matchLabels: {app: "@STS_NAME@"}}
          template:
            metadata: {labels: {app: "@STS_NAME@"}}
            spec:
              containers: [{name: c, image: ""}]
        """})
    findings = [(f.rule, f.severity.name) for f in check([str(tmp_path)], Config()).findings]
    assert ("yaml-syntax", "ERROR") not in findings
    assert ("template-placeholder", "INFO") in findings
    assert ("image-invalid", "ERROR") in findings            # the rest is checked


def test_glued_braces_are_a_placeholder_not_broken_yaml(tmp_path: Path) -> None:
    # linkerd2 test/integration/deep/dualstack/testdata/ipfamilies-policy.yml: the test
    # replaces {IPv6} (strings.ReplaceAll) before applying
    _write(tmp_path, {"policy.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          cidr: {IPv6}/128
          count: 1
        """})
    findings = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.path) for f in findings if f.severity.name == "ERROR"] == [("yaml-string-trap", "data.count")]


def test_a_sed_placeholder_alone_on_its_line_is_read_as_lines_of_yaml(tmp_path: Path) -> None:
    # kubernetes/autoscaler hack/e2e/gce-deployment-template.yaml: {{EXTRA_CA_FLAGS}} among
    # a container's args stands for more `- --flag` lines
    _write(tmp_path, {"template.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: ca}
        spec:
          containers:
            - name: ca
              image: {{CA_IMAGE}}
              command:
                - ./cluster-autoscaler
                - --nodes={{NODES_SPEC}}
                {{EXTRA_CA_FLAGS}}
              env:
                - name: A
                  value: {{A_VALUE}}
            - name: sidecar
              image: ""
        """})
    findings = [(f.rule, f.severity.name) for f in check([str(tmp_path)], Config()).findings]
    assert ("yaml-syntax", "ERROR") not in findings and ("helm-template", "INFO") not in findings
    assert ("template-placeholder", "INFO") in findings
    assert ("image-invalid", "ERROR") in findings            # the Pod is checked


def test_jinja_raw_lines_around_a_snippet_are_not_part_of_it(tmp_path: Path) -> None:
    # external-secrets docs/snippets/*.yaml: `{% raw %}` ... `{% endraw %}` around a manifest
    # that holds `{{ }}` (mkdocs-macros strips the two lines when it renders the docs)
    _write(tmp_path, {"snippet.yaml": """\
        {% raw %}
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          template: "{{ .password }}"
          count: 1
        {% endraw %}
        """})
    findings = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.path) for f in findings if f.severity.name == "ERROR"] == [("yaml-string-trap", "data.count")]


# --- references judged against the right copy (k8slint.checks.reference) ---------------------

def _variant(key: str, keys: list[str]) -> str:
    data = "\n".join(f"  {k}: dmFsdWU=" for k in keys)
    return f"""\
apiVersion: v1
kind: Secret
metadata: {{name: azure, namespace: kube-system}}
data:
{data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: ca, namespace: kube-system}}
spec:
  selector: {{matchLabels: {{app: ca}}}}
  template:
    metadata: {{labels: {{app: ca}}}}
    spec:
      containers:
        - name: ca
          image: registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.0
          env:
            - name: V
              valueFrom: {{secretKeyRef: {{name: azure, key: {key}}}}}
"""


def test_a_secret_key_is_looked_up_in_the_variant_that_references_it(tmp_path: Path) -> None:
    # kubernetes/autoscaler cluster-autoscaler/cloudprovider/azure/examples: eight variants
    # side by side, each file with its own Secret; the key `Deployment` was judged against the
    # first file's Secret, which lacks it
    _write(tmp_path / "examples", {"a-aks.yaml": _variant("VMType", ["VMType"]),
                                   "b-standard.yaml": _variant("Deployment", ["Deployment", "VMType"])})
    assert [e for e in _errors(tmp_path) if e[1] == "secret-ref-missing"] == []


def test_without_a_copy_in_its_file_a_key_is_judged_against_the_last_copy(tmp_path: Path) -> None:
    # `kubectl apply -f examples/` keeps the last Secret of an identity
    secret_only = _variant("x", ["VMType"]).split("---")[0]
    deployment_only = "---".join(_variant("Deployment", []).split("---")[1:])
    _write(tmp_path / "examples", {"a.yaml": _variant("x", ["Deployment"]).split("---")[0],
                                   "b.yaml": deployment_only, "c.yaml": secret_only})
    assert ("b.yaml", "secret-ref-missing") in _errors(tmp_path)


def test_crossplane_package_metadata_is_not_applied(tmp_path: Path) -> None:
    # crossplane test/e2e/manifests/pkg/*/package/crossplane.yaml, judged against the CRDs of
    # cluster/meta (generated for editors, never installed in a cluster)
    _write(tmp_path / "package", {"crossplane.yaml": """\
        apiVersion: meta.pkg.crossplane.io/v1
        kind: Configuration
        metadata: {name: xp-install-test}
        """})
    assert _findings(tmp_path) == [("crossplane.yaml", "not-kubernetes", "INFO")]


OPERATOR = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: op, namespace: storage}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: op-mgmt}
rules:
  - {apiGroups: [""], resources: [configmaps, services], verbs: [get, create, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: op-mgmt, namespace: storage}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: op-mgmt}
subjects: [{kind: ServiceAccount, name: op, namespace: storage}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: op, namespace: storage}
spec:
  selector: {matchLabels: {app: op}}
  template:
    metadata: {labels: {app: op}}
    spec:
      serviceAccountName: op
      containers: [{name: op, image: "rook/ceph:v1.15.0"}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: op-config, namespace: storage}
data: {a: b}
---
apiVersion: v1
kind: Service
metadata: {name: op-metrics, namespace: storage}
spec:
  selector: {app: op}
  ports: [{port: 9090}]
"""
USER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: tools, namespace: storage}
spec:
  selector: {matchLabels: {app: tools}}
  template:
    metadata: {labels: {app: tools}}
    spec:
      containers: [{name: t, image: "rook/ceph:v1.15.0"}]
      volumes: [{name: mon, configMap: {name: op-mon-endpoints}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dash, namespace: storage}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: op-dashboard, port: {number: 7000}}}}
"""


def test_a_configmap_or_service_an_operator_of_the_unit_may_create_is_an_info(tmp_path: Path) -> None:
    # rook deploy/examples: the operator writes ConfigMap rook-ceph-mon-endpoints and Service
    # rook-ceph-mgr-dashboard for the CephCluster; direct-mount.yaml and the dashboard
    # Ingress use them (RBAC create on configmaps/services, bound to the operator's account)
    _write(tmp_path / "examples", {"operator.yaml": OPERATOR, "tools.yaml": USER})
    found = {(rule, severity) for name, rule, severity in _findings(tmp_path) if name == "tools.yaml"}
    assert ("configmap-ref-missing", "INFO") in found and ("ingress-service-missing", "INFO") in found
    assert not {f for f in found if f[0] in ("configmap-ref-missing", "ingress-service-missing")
                and f[1] != "INFO"}


def test_without_a_creator_a_missing_configmap_beside_others_stays_a_warning(tmp_path: Path) -> None:
    no_rbac = "---".join(p for p in OPERATOR.split("---") if "RoleBinding" not in p)
    _write(tmp_path / "examples", {"operator.yaml": no_rbac, "tools.yaml": USER})
    found = {(rule, severity) for name, rule, severity in _findings(tmp_path) if name == "tools.yaml"}
    assert ("configmap-ref-missing", "WARNING") in found


def test_a_filler_value_is_no_credential() -> None:
    # kubernetes/autoscaler cloudprovider/bizflycloud/manifest: BIZFLYCLOUD_PASSWORD xxxxxxxxxxxxxxxxx
    from k8slint.checks.security import credential_kind

    assert credential_kind("BIZFLYCLOUD_PASSWORD", "xxxxxxxxxxxxxxxxx") is None
    assert credential_kind("API_TOKEN", "********") is None
    assert credential_kind("DB_PASSWORD", "xkcd-correct-horse") is not None


# --- a namespace's policy object of another apply unit (k8slint.checks.resources) -----------

LIMIT_RANGE = """\
apiVersion: v1
kind: LimitRange
metadata: {name: sourcelr, namespace: default}
spec:
  limits:
    - type: Container
      min: {cpu: 100m}
"""
SMALL_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: default}
spec:
  containers:
    - name: pause
      image: registry.k8s.io/pause:3.9
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 10m, memory: 16Mi}}
"""


def test_a_limit_range_of_another_unit_is_a_warning_that_says_so(tmp_path: Path) -> None:
    # kyverno test/conformance/chainsaw: one test creates LimitRange sourcelr in `default`
    # and deletes it; other tests' pods with a 10m request were errors
    _write(tmp_path / "test-a", {"limitrange.yaml": LIMIT_RANGE})
    _write(tmp_path / "test-b", {"pod.yaml": SMALL_POD})
    found = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "resource-limit-range-violated"]
    assert [f.severity.name for f in found] == ["WARNING"]
    assert "if both are applied to one cluster" in found[0].message and "limitrange.yaml" in found[0].message


def test_a_limit_range_of_the_same_unit_stays_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "test-a", {"limitrange.yaml": LIMIT_RANGE, "pod.yaml": SMALL_POD})
    _write(tmp_path / "test-b", {"other.yaml": SMALL_POD.replace("test-pod", "other")})
    found = [(Path(f.file).name, f.severity.name) for f in check([str(tmp_path)], Config()).findings
             if f.rule == "resource-limit-range-violated"]
    assert ("pod.yaml", "ERROR") in found and ("other.yaml", "WARNING") in found


# --- a CRD of another apply unit judges the version (k8slint.checks.api_version) -------------

CRD_V1BETA1 = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: appolicies.appprotect.f5.com}
spec:
  group: appprotect.f5.com
  scope: Namespaced
  names: {kind: APPolicy, plural: appolicies, singular: appolicy, listKind: APPolicyList}
  versions:
    - name: v1beta1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
"""
AP_POLICY_V1 = """\
apiVersion: appprotect.f5.com/v1
kind: APPolicy
metadata: {name: dataguard-alarm, namespace: default}
spec: {}
"""


def test_a_version_unserved_by_another_units_crd_is_a_warning(tmp_path: Path) -> None:
    # nginx/kubernetes-ingress examples/custom-resources/waf-plm: F5's policy controller
    # installs the appprotect.f5.com/v1 CRDs; the repository's config/crd/bases serve v1beta1
    _write(tmp_path / "config" / "crd", {"appolicies.yaml": CRD_V1BETA1})
    _write(tmp_path / "examples" / "waf-plm", {"policy.yaml": AP_POLICY_V1})
    found = [(f.severity.name, f.message) for f in check([str(tmp_path)], Config()).findings
             if f.rule == "api-version-unknown"]
    assert len(found) == 1 and found[0][0] == "WARNING" and "another apply unit" in found[0][1]


def test_a_version_unserved_by_the_units_own_crd_stays_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "examples", {"crd.yaml": CRD_V1BETA1, "policy.yaml": AP_POLICY_V1})
    _write(tmp_path / "other", {"x.yaml": AP_POLICY_V1.replace("dataguard-alarm", "x")})
    found = {(Path(f.file).name, f.severity.name) for f in check([str(tmp_path)], Config()).findings
             if f.rule == "api-version-unknown"}
    assert ("policy.yaml", "ERROR") in found and ("x.yaml", "WARNING") in found


def test_a_gateway_api_conformance_report_is_not_applied(tmp_path: Path) -> None:
    # kubernetes-sigs/aws-load-balancer-controller conformance/conformance-report.yaml, written
    # by gateway-api's conformance suite (conformance/apis/v1 ConformanceReport: no CRD)
    _write(tmp_path / "conformance", {"conformance-report.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: ConformanceReport
        gatewayAPIChannel: standard
        implementation: {organization: aws, project: lbc}
        """})
    assert _findings(tmp_path) == [("conformance-report.yaml", "not-kubernetes", "INFO")]


def test_a_port_injected_by_a_sidecarset_is_declared_only_for_the_pods_it_selects(tmp_path: Path) -> None:
    # openkruise/kruise docs/tutorial/v1: guestbook-sidecar.yaml injects port sidecar-server
    # into pods labelled guestbook-with-sidecar; the Service of the guestbook-kruise
    # StatefulSet, which no SidecarSet selects, still targets a port nobody declares
    sidecar_set = """\
        apiVersion: apps.kruise.io/v1alpha1
        kind: SidecarSet
        metadata: {name: guestbook-sidecar}
        spec:
          selector: {matchLabels: {app: with-sidecar}}
          containers:
            - {name: sidecar, image: "guestbook:sidecar", ports: [{name: sidecar-server, containerPort: 4000}]}
        """

    def app(name: str) -> str:
        return f"""\
            apiVersion: v1
            kind: Service
            metadata: {{name: {name}}}
            spec:
              selector: {{app: {name}}}
              ports: [{{name: sidecar, port: 4000, targetPort: sidecar-server}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {{name: {name}}}
            spec:
              selector: {{matchLabels: {{app: {name}}}}}
              template:
                metadata: {{labels: {{app: {name}}}}}
                spec:
                  containers: [{{name: app, image: "guestbook:1.0"}}]
            """
    _write(tmp_path / "tutorial", {"sidecar.yaml": sidecar_set, "a.yaml": app("with-sidecar"),
                                   "b.yaml": app("plain")})
    errors = _errors(tmp_path)
    assert ("a.yaml", "service-target-port-missing") not in errors
    assert ("b.yaml", "service-target-port-missing") in errors


def test_an_envsubst_variable_alone_on_its_line_does_not_break_the_file(tmp_path: Path) -> None:
    # kubernetes-sigs/secrets-store-csi-driver test/bats/tests/conjur/pod-conjur-rotation.yaml
    _write(tmp_path, {"pod.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: conjur}
        data:
          sslCertificate: |
        $CONJUR_SSL_CERT
          count: 1
        """})
    findings = check([str(tmp_path)], Config()).findings
    assert [(f.rule, f.path) for f in findings if f.severity.name == "ERROR"] == [("yaml-string-trap", "data.count")]
