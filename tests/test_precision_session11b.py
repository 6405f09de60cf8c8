"""Precision on repositories no earlier round read (session 11, precision14):
open-telemetry/opentelemetry-helm-charts, grafana/k8s-monitoring-helm, cncf/demo and others.
Each test is a finding that was not true of what gets applied, or a file that was wrongly
left unchecked, reduced to a small input copied from the repository named beside it (all
Apache-2.0); docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.test_precision_session10b import _findings, _write

_CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: collector\nversion: 0.1.0\n",
    "chart/values.yaml": "mode: deployment\n",
    "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                       "  name: {{ .Release.Name }}\n",
}

# opentelemetry-helm-charts charts/opentelemetry-collector/examples/*/rendered/*.yaml, as
# `helm template --output-dir` writes them (reduced)
_RENDERED = """\
    ---
    # Source: opentelemetry-collector/templates/statefulset.yaml
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: example-collector, namespace: default}
    spec:
      serviceName: example-collector
      replicas: 1
      selector: {matchLabels: {app: collector}}
      template:
        metadata: {labels: {app: collector}}
        spec:
          containers:
          - name: collector
            image: otel/opentelemetry-collector-k8s:0.139.0
            resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
            volumeMounts: [{name: data, mountPath: /data}]
    ---
    # Source: opentelemetry-collector/templates/service.yaml
    apiVersion: v1
    kind: Service
    metadata: {name: example-collector, namespace: default}
    spec:
      selector: {app: collector}
      ports: [{name: otlp, port: 4317}]
    """


# --- Helm output committed inside a chart ---------------------------------------------------

def test_helm_output_committed_inside_a_chart_is_checked(tmp_path: Path) -> None:
    _write(tmp_path, {**_CHART, "chart/examples/statefulset/rendered/statefulset.yaml": _RENDERED})
    found = _findings(tmp_path)
    assert sorted((f[1], f[2]) for f in found if f[2] == "ERROR") == [("volume-mount-unknown", "ERROR")]
    assert [f[3] for f in found if f[1] == "statefulset-service-invalid"] == [
        "Service example-collector is not headless (it lacks clusterIP: None): the pods get no "
        "per-pod DNS names"]
    assert [f[0] for f in found if f[1] == "helm-template"] == ["Chart.yaml"]


def test_other_files_of_a_chart_stay_chart_files(tmp_path: Path) -> None:
    # a file the templates read (.Files.Get) or an example without helm's `# Source:` header
    plain = _RENDERED.replace("# Source: opentelemetry-collector/templates/", "# from ")
    _write(tmp_path, {**_CHART, "chart/files/statefulset.yaml": plain,
                      "chart/templates/rendered.yaml": _RENDERED})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] != "INFO"] == []
    assert [f[3].replace(f"{tmp_path}/", "") for f in found if f[1] == "helm-template"] == [
        "Helm chart chart (2 template file(s)) is not checked as it is: render it and check the "
        "output: helm template chart | k8slint check -"]


# --- ServiceAccounts operators name after their resources ------------------------------------

_BINDING = textwrap.dedent("""\
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {{name: {name}}}
    roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}}
    subjects:
    - {{kind: ServiceAccount, name: {account}, namespace: default}}
    """)


def _bindings(*accounts: str) -> str:
    """Bindings to `accounts`, beside a ServiceAccount of the namespace (a missing one is then
    a warning, not an info)."""
    return "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: zz, namespace: default}\n" + "".join(_BINDING.format(name=f"b{i}", account=a) for i, a in enumerate(accounts))


def test_service_accounts_the_opentelemetry_operator_makes(tmp_path: Path) -> None:
    # opentelemetry-helm-charts charts/opentelemetry-kube-stack/examples/cloud-demo/rendered
    _write(tmp_path, {"app/collectors.yaml": textwrap.dedent("""\
        apiVersion: opentelemetry.io/v1beta1
        kind: OpenTelemetryCollector
        metadata: {name: example-daemon, namespace: default}
        spec: {mode: daemonset, targetAllocator: {enabled: true}}
        ---
        apiVersion: opentelemetry.io/v1beta1
        kind: OpenTelemetryCollector
        metadata: {name: own, namespace: default}
        spec: {mode: deployment, serviceAccount: mine}
        ---
        apiVersion: opentelemetry.io/v1alpha1
        kind: OpAMPBridge
        metadata: {name: example, namespace: default}
        spec: {endpoint: "ws://opamp:4320/v1/opamp"}
        """) + _bindings("example-daemon-collector", "example-daemon-targetallocator",
                        "example-opamp-bridge", "own-collector", "example-collector")})
    found = _findings(tmp_path)
    assert sorted(f[3].split(" does not")[0] for f in found if f[1] == "rolebinding-subject-missing"
                  and f[2] == "WARNING") == ["ServiceAccount example-collector", "ServiceAccount own-collector"]


def test_service_accounts_the_alloy_operator_makes(tmp_path: Path) -> None:
    # grafana/k8s-monitoring-helm charts/k8s-monitoring/docs/examples/platforms/openshift/output.yaml
    _write(tmp_path, {"app/alloy.yaml": textwrap.dedent("""\
        apiVersion: collectors.grafana.com/v1alpha1
        kind: Alloy
        metadata: {name: k8smon-alloy-logs, namespace: default}
        spec: {alloy: {mounts: {varlog: true}}}
        ---
        apiVersion: collectors.grafana.com/v1alpha1
        kind: Alloy
        metadata: {name: metrics, namespace: default}
        spec: {}
        ---
        apiVersion: collectors.grafana.com/v1alpha1
        kind: Alloy
        metadata: {name: named, namespace: default}
        spec: {serviceAccount: {name: custom}}
        ---
        apiVersion: collectors.grafana.com/v1alpha1
        kind: Alloy
        metadata: {name: alloy-none, namespace: default}
        spec: {serviceAccount: {create: false}}
        """) + _bindings("k8smon-alloy-logs", "metrics-alloy", "custom", "metrics", "named", "alloy-none")})
    found = _findings(tmp_path)
    assert sorted(f[3].split(" does not")[0] for f in found if f[1] == "rolebinding-subject-missing"
                  and f[2] == "WARNING") == ["ServiceAccount alloy-none", "ServiceAccount metrics",
                                             "ServiceAccount named"]


# --- a switch word is no credential -----------------------------------------------------------

def test_a_switch_word_in_a_credential_variable_is_no_credential(tmp_path: Path) -> None:
    # grafana/k8s-monitoring-helm docs/examples/features/cost-metrics/default/output.yaml (OpenCost)
    _write(tmp_path, {"app/opencost.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: opencost}
        spec:
          replicas: 2
          selector: {matchLabels: {app: opencost}}
          template:
            metadata: {labels: {app: opencost}}
            spec:
              containers:
              - name: opencost
                image: ghcr.io/opencost/opencost:1.118.0
                resources: {requests: {cpu: 10m, memory: 55Mi}, limits: {memory: 1Gi}}
                env:
                - {name: CLOUD_PROVIDER_API_KEY, value: "disabled"}
                - {name: EMAIL_API_KEY, value: "off"}
                - {name: DB_PASSWORD, value: "disabled-Pa55"}
        """})
    found = _findings(tmp_path)
    assert [f[3].split(" of container")[0] for f in found if f[1] == "env-secret-literal"] == ["env DB_PASSWORD"]


# --- Terraform template interpolation ---------------------------------------------------------

def test_terraform_interpolation_with_spaces_is_a_placeholder(tmp_path: Path) -> None:
    # cncf/demo provisioning/packet/modules/etcd/kube-proxy.yml, read by a template_file
    _write(tmp_path, {"modules/kube-proxy.yml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: kube-proxy, namespace: kube-system}
        spec:
          containers:
          - name: kube-proxy
            image: ${ kubelet_image_url }:${ kubelet_image_tag }
            command: [/hyperkube, proxy, "--master=https://master.${ internal_tld }"]
        """, "modules/bad.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: bad, namespace: kube-system}
        spec:
          containers:
          - {name: bad, image: "registry.example/a b:1"}
        """})
    found = _findings(tmp_path)
    assert [(f[0], f[1]) for f in found if f[2] == "ERROR"] == [("bad.yaml", "image-invalid")]
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        "2 template placeholders (${ kubelet_image_url }, ${ kubelet_image_tag }) would be applied "
        "literally: substitute them before applying (envsubst, sed, kustomize, ko or your CI)"]
