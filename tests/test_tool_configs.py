"""Tool configurations with apiVersion and kind: one info each, never an object."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slint.api import check, check_text
from k8slint.config import Config
from k8slint.k8s.tools import tool_config
from k8slint.model import Severity

TOOLS = Path(__file__).parent / "fixtures" / "repos" / "tools"

# (file, line, words the info must say): every kind the unit model names.
EXPECTED = [
    ("apiserver.yaml", 1, "AdmissionConfiguration (apiserver.config.k8s.io/v1) is a kube-apiserver configuration file"),
    ("apiserver.yaml", 7, "EgressSelectorConfiguration (apiserver.k8s.io/v1beta1) is a kube-apiserver configuration"),
    ("apiserver.yaml", 11, "Policy (audit.k8s.io/v1) is a kube-apiserver audit policy"),
    ("component/kustomization.yaml", 1, "Component"),    # k8slint.kustomize: not built on its own
    ("components.yaml", 1, "KubeletConfiguration (kubelet.config.k8s.io/v1beta1) is a kubelet configuration file"),
    ("components.yaml", 5, "KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) is a kube-proxy"),
    ("components.yaml", 9, "KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) is a kube-scheduler"),
    ("kind-cluster.yaml", 1, "Cluster (kind.x-k8s.io/v1alpha4) is a kind (Kubernetes in Docker) cluster config"),
    ("kubeadm.yaml", 1, "ClusterConfiguration (kubeadm.k8s.io/v1beta3) is a kubeadm configuration"),
    ("kubeadm.yaml", 5, "InitConfiguration (kubeadm.k8s.io/v1beta3) is a kubeadm configuration"),
    ("kubeconfig.yaml", 1, "Config (v1) is a kubeconfig"),
    ("kustomization-elsewhere.yaml", 2, "Kustomization (kustomize.config.k8s.io/v1beta1) is a kustomize configuration"),
    ("skaffold.yaml", 1, "Config (skaffold/v4beta11) is a skaffold configuration"),
]


def test_each_tool_config_is_one_info_naming_the_tool_and_never_an_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TOOLS)
    result = check(["."], Config())
    found = [(f.file.removeprefix("./"), f.line, f.message) for f in result.findings]
    assert len(found) == len(EXPECTED), found
    for (file, line, message), (want_file, want_line, words) in zip(found, EXPECTED, strict=True):
        assert (file, line) == (want_file, want_line) and words in message, (file, line, message)
    assert all(f.severity == Severity.INFO and f.rule in ("not-kubernetes", "kustomize-not-built")
               for f in result.findings)
    assert result.objects == 0          # not in the graph: no object-name error on `Web_App`


@pytest.mark.parametrize("api_version, kind, tool", [
    ("skaffold/v2beta29", "Config", "skaffold"),
    ("builtin", "PrefixSuffixTransformer", "kustomize built-in"),
    ("myteam/v1", "Settings", "has no dot"),           # undotted, not built-in: never served
    ("v1", "Config", "kubeconfig"),
    ("v1", "Policy", "kube-scheduler policy"),
    ("eventratelimit.admission.k8s.io/v1alpha1", "Configuration", "admission plugin"),
    # istio releasenotes/notes/drop-iop.yaml: istioctl and the charts no longer install the
    # IstioOperator CRD; `istioctl install -f` reads the file (istio samples, manifests/profiles).
    ("install.istio.io/v1alpha1", "IstioOperator", "istioctl"),
    # cluster-api-provider-aws hack/eks-clusterawsadm-config.yaml (no metadata.name: an error
    # as an object)
    ("bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1", "AWSIAMConfiguration", "clusterawsadm"),
])
def test_tool_groups(api_version: str, kind: str, tool: str) -> None:
    assert tool in (tool_config(api_version, kind) or "")


@pytest.mark.parametrize("api_version, kind", [
    ("v1", "ConfigMap"), ("apps/v1", "Deployment"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),      # a served group despite "apiserver"
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),    # Flux's custom resource, applied
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
])
def test_objects_are_not_tool_configs(api_version: str, kind: str) -> None:
    assert tool_config(api_version, kind) is None


def test_a_tool_config_beside_objects_does_not_hide_them() -> None:
    result = check_text("apiVersion: skaffold/v4beta11\nkind: Config\n---\n"
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n")
    assert result.objects == 1
    assert {f.rule for f in result.findings} == {"not-kubernetes", "object-name"}


# kubeadm patches.directory files are named target[suffix][+patchtype].extension
# (kubernetes.io/docs/setup/production-environment/tools/kubeadm/control-plane-flags/#patches);
# kube-prometheus tests/e2e/kind/patches/kube-controller-manager.yaml is one.
KUBEADM_PATCH = ("apiVersion: v1\nkind: Pod\nmetadata: {name: kube-controller-manager, namespace: kube-system}\n"
                 "spec:\n  containers:\n    - name: kube-controller-manager\n"
                 "      resources: {requests: {cpu: 1m}}\n")


@pytest.mark.parametrize("file, expected", [
    ("patches/kube-controller-manager.yaml", True),
    ("patches/kube-controller-manager0+merge.yaml", True),       # suffix and patch type
    ("manifests/kube-controller-manager.json", True),
    ("deploy/controller.yaml", False),                          # not named for the component
    ("patches/kube-scheduler.yaml", False),                     # named for another one
])
def test_a_kubeadm_patch_of_a_static_pod_is_no_object(tmp_path: Path, file: str, expected: bool) -> None:
    path = tmp_path / file
    path.parent.mkdir(parents=True)
    path.write_text(KUBEADM_PATCH)
    result = check([str(path)], Config())
    assert (result.objects == 0) is expected
    if expected:
        assert [(f.rule, f.severity) for f in result.findings] == [("not-kubernetes", Severity.INFO)]
        assert "kubeadm patch or static Pod manifest" in result.findings[0].message
    else:
        assert any(f.rule == "bare-pod" for f in result.findings)


def test_a_pod_named_for_a_component_outside_kube_system_is_an_object(tmp_path: Path) -> None:
    path = tmp_path / "etcd.yaml"
    path.write_text(KUBEADM_PATCH.replace("kube-controller-manager", "etcd").replace("kube-system", "db"))
    assert check([str(path)], Config()).objects == 1
