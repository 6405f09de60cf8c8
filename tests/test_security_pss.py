"""Pod Security Standards: every control at both levels, with a failing and a passing pod,
and the namespace labels that decide how loud a violation is."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from k8slint.api import check_text
from k8slint.config import Config
from k8slint.k8s import pss
from k8slint.model import Severity
from tests.conftest import workload

LATEST = (1, 37)


def restricted_pod() -> dict[str, Any]:
    """A pod that meets the restricted level: every case below changes one thing."""
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "web", "image": "nginx:1.27.3",
                "ports": [{"containerPort": 8080}],
                "securityContext": {"allowPrivilegeEscalation": False,
                                    "capabilities": {"drop": ["ALL"]}},
                "resources": {"limits": {"memory": "128Mi", "cpu": "100m"}},
            }],
            "volumes": [{"name": "tmp", "emptyDir": {}}],
        },
    }


def container(pod: dict) -> dict:
    return pod["spec"]["containers"][0]


def sc(pod: dict) -> dict:
    return container(pod)["securityContext"]


def podsc(pod: dict) -> dict:
    return pod["spec"]["securityContext"]


# control -> (break it, a passing variation that exercises the allowed values)
CASES: dict[str, tuple[Any, Any]] = {
    "hostProcess": (lambda p: sc(p).update(windowsOptions={"hostProcess": True}),
                    lambda p: sc(p).update(windowsOptions={"hostProcess": False})),
    "hostNamespaces": (lambda p: p["spec"].update(hostPID=True),
                       lambda p: p["spec"].update(hostNetwork=False, hostPID=False, hostIPC=False)),
    "privileged": (lambda p: sc(p).update(privileged=True),
                   lambda p: sc(p).update(privileged=False)),
    "capabilities_baseline": (lambda p: sc(p)["capabilities"].update(add=["SYS_ADMIN"]),
                              lambda p: sc(p)["capabilities"].update(add=["NET_BIND_SERVICE"])),
    "hostPathVolumes": (lambda p: p["spec"]["volumes"].append({"name": "h", "hostPath": {"path": "/etc"}}),
                        lambda p: p["spec"]["volumes"].append({"name": "c", "configMap": {"name": "c"}})),
    "hostPorts": (lambda p: container(p)["ports"][0].update(hostPort=8080),
                  lambda p: container(p)["ports"][0].update(hostPort=0)),
    "hostProbesAndHostLifecycle": (
        lambda p: container(p).update(livenessProbe={"tcpSocket": {"host": "10.0.0.1", "port": 80}}),
        lambda p: container(p).update(livenessProbe={"tcpSocket": {"host": "", "port": 80}})),
    "appArmorProfile": (lambda p: sc(p).update(appArmorProfile={"type": "Unconfined"}),
                        lambda p: sc(p).update(appArmorProfile={"type": "Localhost",
                                                                "localhostProfile": "k8s-web"})),
    "seLinuxOptions": (lambda p: podsc(p).update(seLinuxOptions={"user": "system_u"}),
                       lambda p: podsc(p).update(seLinuxOptions={"type": "container_init_t", "level": "s0:c1"})),
    "procMount": (lambda p: sc(p).update(procMount="Unmasked"),
                  lambda p: sc(p).update(procMount="Default")),
    "seccompProfile_baseline": (lambda p: sc(p).update(seccompProfile={"type": "Unconfined"}),
                                lambda p: sc(p).update(seccompProfile={"type": "Localhost",
                                                                       "localhostProfile": "p.json"})),
    "sysctls": (lambda p: podsc(p).update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]),
                lambda p: podsc(p).update(sysctls=[{"name": "net.ipv4.tcp_keepalive_time", "value": "60"}])),
    "restrictedVolumes": (lambda p: p["spec"]["volumes"].append({"name": "n", "nfs": {"server": "s", "path": "/"}}),
                          lambda p: p["spec"]["volumes"].extend([
                              {"name": "p", "persistentVolumeClaim": {"claimName": "d"}},
                              {"name": "i", "image": {"reference": "example/data:1.0.0"}},
                              {"name": "x", "csi": {"driver": "example.com"}},
                              {"name": "d", "downwardAPI": {"items": []}},
                              {"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}])),
    "allowPrivilegeEscalation": (lambda p: sc(p).pop("allowPrivilegeEscalation"),
                                 lambda p: p["spec"]["containers"].append(copy.deepcopy(container(p)) | {"name": "b"})),
    "runAsNonRoot": (lambda p: podsc(p).pop("runAsNonRoot"),
                     lambda p: (podsc(p).pop("runAsNonRoot"), sc(p).update(runAsNonRoot=True))),
    "runAsUser": (lambda p: sc(p).update(runAsUser=0),
                  lambda p: sc(p).update(runAsUser=1000)),
    "seccompProfile_restricted": (lambda p: podsc(p).pop("seccompProfile"),
                                  lambda p: (podsc(p).pop("seccompProfile"),
                                             sc(p).update(seccompProfile={"type": "RuntimeDefault"}))),
    "capabilities_restricted": (lambda p: sc(p)["capabilities"].update(add=["CHOWN"]),
                                lambda p: sc(p)["capabilities"].update(drop=["ALL", "NET_RAW"],
                                                                        add=["NET_BIND_SERVICE"])),
    "procMount_restricted": (lambda p: (p["spec"].update(hostUsers=False), sc(p).update(procMount="Unmasked")),
                             lambda p: p["spec"].update(hostUsers=False)),
}


def variant(control: str, failing: bool) -> dict:
    pod = restricted_pod()
    CASES[control][0 if failing else 1](pod)
    return pod


def test_every_control_has_cases():
    assert set(CASES) == set(pss.CONTROLS)


def test_the_base_pod_meets_restricted():
    assert pss.evaluate(restricted_pod(), LATEST) == []


@pytest.mark.parametrize("control", sorted(CASES))
def test_control_fails_alone(control):
    found = pss.evaluate(variant(control, failing=True), LATEST)
    assert {v.control for v in found} == {control}, found
    assert all(v.level == pss.CONTROLS[control].level for v in found)


@pytest.mark.parametrize("control", sorted(CASES))
def test_control_passes(control):
    assert pss.evaluate(variant(control, failing=False), LATEST) == []


def run(manifest: str, **config: Any):
    result = check_text(manifest, Config(only=["pod-security-baseline", "pod-security-restricted"],
                                         **config))
    return result.findings


def namespaced(pod: dict, labels: dict[str, str]) -> str:
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": labels}}
    return yaml.safe_dump_all([namespace, pod], sort_keys=False)


@pytest.mark.parametrize("level", ["baseline", "restricted"])
@pytest.mark.parametrize("control", sorted(CASES))
def test_enforced_level_makes_an_error(control, level):
    """A failing pod is refused exactly where its control's level is enforced."""
    labels = {"pod-security.kubernetes.io/enforce": level}
    failing = run(namespaced(variant(control, failing=True), labels))
    refused = pss.RANK[pss.CONTROLS[control].level] <= pss.RANK[level]
    errors = [f for f in failing if f.severity == Severity.ERROR]
    assert bool(errors) == refused, failing
    if refused:
        assert all("the API server rejects the Pod" in f.message for f in errors)
    else:
        assert [f.severity for f in failing] == [Severity.INFO]
    passing = run(namespaced(variant(control, failing=False), labels))
    assert passing == []


DEPLOYMENT = """
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {LABELS}
---
""" + workload("""
    containers:
      - name: web
        image: nginx:1.27.3
        volumeMounts: [{name: host, mountPath: /host}]
    volumes:
      - {name: host, hostPath: {path: /var/run}}
""", namespace="shop")


def severities(findings) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        out.setdefault(f.rule, set()).add(str(f.severity))
    return out


def test_deployment_is_an_error_only_at_the_enforced_level():
    baseline = run(DEPLOYMENT.replace("LABELS", '"pod-security.kubernetes.io/enforce": baseline'))
    assert severities(baseline) == {"pod-security-baseline": {"error"}, "pod-security-restricted": {"info"}}
    error = next(f for f in baseline if f.severity == Severity.ERROR)
    assert "FailedCreate events, 0 pods running, and kubectl apply shows no error" in error.message
    assert error.path == "spec.template.spec.volumes[0].hostPath"

    restricted = run(DEPLOYMENT.replace("LABELS", '"pod-security.kubernetes.io/enforce": restricted'))
    assert severities(restricted) == {"pod-security-baseline": {"error"}, "pod-security-restricted": {"error"}}

    warned = run(DEPLOYMENT.replace("LABELS", '"pod-security.kubernetes.io/enforce": baseline, '
                                    '"pod-security.kubernetes.io/warn": restricted'))
    assert severities(warned) == {"pod-security-baseline": {"error"}, "pod-security-restricted": {"warning"}}
    assert all("kubectl apply only prints a warning" in f.message for f in warned
               if f.severity == Severity.ERROR)

    privileged = run(DEPLOYMENT.replace("LABELS", '"pod-security.kubernetes.io/enforce": privileged'))
    assert severities(privileged) == {"pod-security-baseline": {"info"}, "pod-security-restricted": {"info"}}

    unlabelled = run(DEPLOYMENT.replace("LABELS", ""))
    assert severities(unlabelled) == {"pod-security-baseline": {"warning"}, "pod-security-restricted": {"info"}}


def test_assumed_level_for_namespaces_not_in_the_input():
    manifest = DEPLOYMENT.split("---", 1)[1].replace("namespace: shop", "namespace: other")
    assert severities(run(manifest)) == {"pod-security-baseline": {"warning"},
                                         "pod-security-restricted": {"info"}}
    assert severities(run(manifest, pod_security_level="baseline")) == {
        "pod-security-baseline": {"error"}, "pod-security-restricted": {"info"}}
    assert severities(run(manifest, pod_security_level="restricted")) == {
        "pod-security-baseline": {"error"}, "pod-security-restricted": {"error"}}
    # A Namespace in the input wins over the assumption.
    labelled = DEPLOYMENT.replace("LABELS", '"pod-security.kubernetes.io/enforce": privileged')
    assert severities(run(labelled, pod_security_level="restricted"))["pod-security-baseline"] == {"info"}


def test_one_finding_per_control_per_container():
    pod = restricted_pod()
    del pod["spec"]["securityContext"]
    pod["spec"].update(hostNetwork=True, hostPID=True)
    pod["spec"]["volumes"] += [{"name": "a", "hostPath": {"path": "/a"}}, {"name": "b", "hostPath": {"path": "/b"}}]
    pod["spec"]["containers"].append(copy.deepcopy(container(pod)) | {"name": "sidecar"})
    for c in pod["spec"]["containers"]:
        del c["securityContext"]
    found = pss.evaluate(pod, LATEST)
    per = [(v.control, v.container) for v in found]
    assert len(per) == len(set(per)), per
    assert sorted(per, key=str) == sorted([
        ("hostNamespaces", None), ("hostPathVolumes", None), ("runAsNonRoot", None),
        ("seccompProfile_restricted", None),
        ("allowPrivilegeEscalation", "'web'"), ("allowPrivilegeEscalation", "'sidecar'"),
        ("capabilities_restricted", "'web'"), ("capabilities_restricted", "'sidecar'")], key=str)


# --- versions ---------------------------------------------------------------------------

def controls(pod: dict, version: tuple[int, int]) -> set[str]:
    return {v.control for v in pss.evaluate(pod, version)}


def test_sysctls_by_version():
    pod = restricted_pod()
    podsc(pod)["sysctls"] = [{"name": "net.ipv4.ip_local_reserved_ports", "value": "8080"}]
    assert controls(pod, (1, 26)) == {"sysctls"}
    assert controls(pod, (1, 27)) == set()
    podsc(pod)["sysctls"] = [{"name": "net.ipv4.tcp_rmem", "value": "4096 87380 6291456"}]
    assert controls(pod, (1, 31)) == {"sysctls"} and controls(pod, (1, 32)) == set()
    podsc(pod)["sysctls"] = [{"name": "net.ipv4.tcp_notsent_lowat", "value": "16384"}]
    assert controls(pod, (1, 36)) == {"sysctls"} and controls(pod, (1, 37)) == set()


def test_selinux_container_engine_t_from_1_31():
    pod = restricted_pod()
    podsc(pod)["seLinuxOptions"] = {"type": "container_engine_t"}
    assert controls(pod, (1, 30)) == {"seLinuxOptions"}
    assert controls(pod, (1, 31)) == set()


def test_user_namespaces_relax_from_1_35():
    pod = restricted_pod()
    pod["spec"]["hostUsers"] = False
    del podsc(pod)["runAsNonRoot"]
    sc(pod)["runAsUser"] = 0
    assert controls(pod, (1, 34)) == {"runAsNonRoot", "runAsUser"}
    assert controls(pod, (1, 35)) == set()
    sc(pod)["procMount"] = "Unmasked"
    assert {v.level for v in pss.evaluate(pod, (1, 35))} == {"restricted"}   # baseline relaxed
    assert controls(pod, (1, 34)) == {"runAsNonRoot", "runAsUser", "procMount"}


def test_windows_pods_skip_linux_only_controls():
    pod = restricted_pod()
    pod["spec"]["os"] = {"name": "windows"}
    del podsc(pod)["seccompProfile"]
    container(pod)["securityContext"] = {}
    assert controls(pod, (1, 25)) == set()
    assert controls(pod, (1, 24)) == {"allowPrivilegeEscalation", "capabilities_restricted",
                                      "seccompProfile_restricted"}


def test_pinned_enforce_version():
    pod = restricted_pod()
    container(pod)["readinessProbe"] = {"httpGet": {"host": "example.com", "port": 80}}
    labels = {"pod-security.kubernetes.io/enforce": "baseline",
              "pod-security.kubernetes.io/enforce-version": "v1.33"}
    found = run(namespaced(pod, labels))
    assert [str(f.severity) for f in found] == ["warning"]
    assert "pins enforce-version v1.33" in found[0].message
    labels["pod-security.kubernetes.io/enforce-version"] = "latest"
    assert [str(f.severity) for f in run(namespaced(pod, labels))] == ["error"]


def test_namespace_policy_labels():
    policy = pss.namespace_policy({"pod-security.kubernetes.io/enforce": "baseline",
                                   "pod-security.kubernetes.io/enforce-version": "v1.29",
                                   "pod-security.kubernetes.io/warn": "restricted",
                                   "pod-security.kubernetes.io/audit": "bogus"})
    assert policy == {"enforce": pss.ModePolicy("baseline", (1, 29)),
                      "warn": pss.ModePolicy("restricted", None)}
    assert pss.policy_version((1, 40), (1, 33)) == (1, 33)
    assert pss.policy_version(None, (1, 33)) == (1, 33)


def test_odd_input_never_raises():
    for spec in ({"containers": "x"}, {"containers": [None, {"securityContext": "x"}]},
                 {"securityContext": {"sysctls": [None, {"name": 3}]}, "volumes": [1, {"name": "v"}]},
                 {"containers": [{"ports": [None, {"hostPort": "x"}], "securityContext": {
                     "capabilities": {"add": "ALL", "drop": None}, "seLinuxOptions": "x"}}]}):
        pss.evaluate({"spec": spec, "metadata": {"annotations": None}}, LATEST)


def _namespace_file(level: str) -> str:
    return DEPLOYMENT.split("---", 1)[0].replace("LABELS", f'"pod-security.kubernetes.io/enforce": {level}')


def _units(tmp_path, namespaces: dict[str, str], app_unit: str, app_namespace: str | None = None):
    """One folder (apply unit) per Namespace variant, the Deployment in `app_unit`."""
    for folder, level in namespaces.items():
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "namespace.yaml").write_text(_namespace_file(level))
    (tmp_path / app_unit).mkdir(exist_ok=True)
    (tmp_path / app_unit / "app.yaml").write_text(DEPLOYMENT.split("---", 1)[1])
    from k8slint.api import check
    result = check([str(tmp_path)], Config(only=["pod-security-baseline", "pod-security-restricted"]))
    return severities(result.findings)


def test_the_namespace_of_the_workloads_own_unit_decides(tmp_path):
    # kubeflow/manifests: istio-system is restricted in one unit, privileged in the ambient
    # overlay that runs ztunnel with NET_ADMIN; each unit is applied on its own
    assert _units(tmp_path, {"base": "restricted", "ambient": "privileged"}, "ambient") == {
        "pod-security-baseline": {"info"}, "pod-security-restricted": {"info"}}


def test_units_that_disagree_on_a_namespace_decide_nothing(tmp_path):
    # kubeflow's namespace: restricted in common/kubeflow-namespace, privileged in istio's
    # insecure overlay; which the cluster gets depends on what is applied
    assert _units(tmp_path, {"secure": "restricted", "insecure": "privileged"}, "app") == {
        "pod-security-baseline": {"warning"}, "pod-security-restricted": {"info"}}


def test_units_that_agree_on_a_namespace_decide_for_the_others(tmp_path):
    assert _units(tmp_path, {"one": "restricted", "two": "restricted"}, "app") == {
        "pod-security-baseline": {"error"}, "pod-security-restricted": {"error"}}
