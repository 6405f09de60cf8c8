"""Precision on repositories no earlier round read (session 11, precision13): grafana/loki,
grafana/tempo, redhat-cop/gitops-catalog, argoproj-labs/argocd-autopilot,
kubernetes-sigs/scheduler-plugins and others. Each test is a finding that was not true of what
gets applied, reduced to a small input copied from the repository named beside it (loki and
tempo: AGPL-3.0; gitops-catalog, argocd-autopilot and scheduler-plugins: Apache-2.0);
docs/real-repositories.md lists them."""

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


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


# --- Tanka's environment file --------------------------------------------------------------

def test_a_tanka_environment_file_is_a_tool_configuration(tmp_path: Path) -> None:
    # grafana/loki tools/dev/k3d/environments/helm-cluster/spec.json, grafana/tempo
    # operations/jsonnet-compiled/microservices/spec.json: read by `tk`, never applied
    (tmp_path / "helm-cluster").mkdir()
    (tmp_path / "helm-cluster" / "spec.json").write_text(json.dumps({
        "apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
        "metadata": {"name": "environments/helm-cluster", "namespace": "environments/helm-cluster/main.jsonnet"},
        "spec": {"apiServer": "https://0.0.0.0:45479", "namespace": "k3d-helm-cluster"}}, indent=2))
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / "spec.json").write_text(json.dumps({
        "apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
        "spec": {"injectLabels": False, "namespace": "tracing"}}, indent=2))
    found = _findings(tmp_path)
    assert _loud(tmp_path) == []
    assert sorted(f[3] for f in found if f[1] == "not-kubernetes") == [
        "Environment (tanka.dev/v1alpha1) is a Tanka environment file (spec.json, read by tk), not a "
        "Kubernetes object: not checked"] * 2


# --- OpenShift's service CA ConfigMap --------------------------------------------------------

def test_the_openshift_service_ca_configmap_exists_in_every_namespace(tmp_path: Path) -> None:
    # grafana/loki operator/hack/addon_grafana_gateway_ocp.yaml mounts it in its Grafana
    _write(tmp_path, {"grafana.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: grafana, namespace: openshift-logging}
        spec:
          replicas: 2
          selector: {matchLabels: {app: grafana}}
          template:
            metadata: {labels: {app: grafana}}
            spec:
              containers:
              - name: grafana
                image: grafana/grafana:11.0.0
                resources: {requests: {cpu: 100m, memory: 100Mi}, limits: {memory: 100Mi}}
                volumeMounts: [{name: ca, mountPath: /etc/ca}, {name: other, mountPath: /etc/other}]
              volumes:
              - name: ca
                configMap: {name: openshift-service-ca.crt}
              - name: other
                configMap: {name: openshift-service-ca}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: grafana-config, namespace: openshift-logging}
        data: {a: b}
        """})
    assert [(f[1], f[3]) for f in _loud(tmp_path)] == [
        ("configmap-ref-missing", "ConfigMap openshift-service-ca does not exist in namespace openshift-logging "
                                  "in the input: the pod cannot mount volume other and stays in ContainerCreating")]
