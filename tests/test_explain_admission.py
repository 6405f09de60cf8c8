"""`explain` shows what pod admission (PodSecurity enforce, ResourceQuota) does on apply
(issue 12 item 6), with hand-computed expectations:

- a Deployment whose pods are refused is accepted and stored, its ReplicaSet is created,
  the ReplicaSet's pod creations fail (FailedCreate at t=0, retried after 5, 10, 20, 40 ms
  of back-off: t=0.005, 0.015, 0.035, 0.075), zero pods, no endpoints, ReplicaFailure at
  once and Progressing=False at progressDeadlineSeconds (600 s by default);
- a bare Pod that violates the enforced level is rejected at admission: no pod.
"""

from __future__ import annotations

import json
import subprocess
import sys

from k8slint.simulate import explain
from k8slint.simulate.admission import PODS_REFUSED, REJECTED, RUN_TIME, outcome
from tests.conftest import workload

RESTRICTED = """\
apiVersion: v1
kind: Namespace
metadata:
  name: secure
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
""" + workload("""
containers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 80}]
""", namespace="secure", spec="replicas: 2") + "---\n" + """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: secure}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

QUOTA = """\
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team-a}
spec:
  hard: {requests.cpu: "4", limits.memory: 8Gi}
---
""" + workload("""
containers:
  - name: api
    image: example/api:1.0
""", name="api", namespace="team-a", spec="""
replicas: 3
progressDeadlineSeconds: 120
""")

BARE_POD = """\
apiVersion: v1
kind: Namespace
metadata:
  name: secure
  labels: {pod-security.kubernetes.io/enforce: baseline}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: secure}
spec:
  hostNetwork: true
  containers:
    - name: sh
      image: busybox:1.36
"""

RETRIES = [0, 0.005, 0.015, 0.035, 0.075]


def events(data: dict, action: str) -> list[dict]:
    return [e for e in data["events"] if e["action"] == action]


def test_restricted_namespace_refuses_deployment_pods():
    data = explain(None, text=RESTRICTED).as_dict()
    admitted = {(e["object"]["kind"], e["object"]["name"]) for e in events(data, "admit")}
    assert ("Deployment", "web") in admitted                         # accepted and stored
    assert "stores /registry/deployments/secure/web" in [e["message"] for e in events(data, "store")]
    rs = events(data, "create-replicaset")[0]["object"]["name"]
    failed = [e for e in events(data, "failed-create") if "is forbidden" in e["message"]]
    assert [e["t"] for e in failed] == RETRIES
    assert {e["actor"] for e in failed} == {"replicaset-controller"}
    assert {e["object"]["kind"] + "/" + e["object"]["name"] for e in failed} == {f"ReplicaSet/{rs}"}
    first = failed[0]["message"]
    assert first.startswith(f'FailedCreate: Error creating: pods "{rs}-')
    assert 'is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false' in first
    for reason in ("runAsNonRoot != true", "seccompProfile (", "unrestricted capabilities ("):
        assert reason in first
    names = [e["message"].split('"')[1] for e in failed]
    assert len(set(names)) == 5                                       # a new name on every try
    assert data["pods"] == []
    assert data["services"][0]["endpoints"] == []
    conditions = events(data, "condition")
    assert [(c["t"], c["object"]["name"]) for c in conditions] == [(0, "web"), (600, "web")]
    assert "ReplicaFailure=True (reason FailedCreate)" in conditions[0]["message"]
    assert "Progressing=False (reason ProgressDeadlineExceeded)" in conditions[1]["message"]
    problems = {p["object"]: p["message"] for p in data["problems"]}
    assert "accepted, but admission refuses every pod" in problems["Deployment/web"]
    assert "admission refuses the pods of Deployment/web" in problems["Service/web"]


def test_quota_without_limit_range_refuses_pods():
    data = explain(None, text=QUOTA).as_dict()
    failed = [e for e in events(data, "failed-create") if "is forbidden" in e["message"]]
    assert [e["t"] for e in failed] == RETRIES
    assert failed[0]["message"].endswith(
        "is forbidden: failed quota: compute: must specify limits.memory for: api; requests.cpu for: api")
    assert data["pods"] == []
    assert [c["t"] for c in events(data, "condition")] == [0, 120]     # progressDeadlineSeconds 120
    assert any(p["object"] == "Deployment/api" and "failed quota: compute" in p["message"]
               for p in data["problems"])


def test_bare_pod_rejected_at_admission():
    data = explain(None, text=BARE_POD).as_dict()
    rejected = events(data, "reject")
    assert len(rejected) == 1 and rejected[0]["object"]["name"] == "debug"
    assert ('pods "debug" is forbidden: violates PodSecurity "baseline:latest": host namespaces '
            "(hostNetwork: true") in rejected[0]["message"]
    assert not events(data, "failed-create")
    assert data["pods"] == []
    assert [p["object"] for p in data["problems"]] == ["Pod/debug"]
    assert not any(e["object"]["name"] == "debug" for e in events(data, "store"))


def test_human_and_json_output(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(RESTRICTED)
    command = [sys.executable, "-m", "k8slint", "explain", str(path)]
    human = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "FailedCreate" in human and "violates PodSecurity" in human
    assert "ProgressDeadlineExceeded" in human
    out = subprocess.run(command + ["--format", "json"], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert data["pods"] == [] and any(p["object"] == "Deployment/web" for p in data["problems"])
    assert out == subprocess.run(command + ["--format", "json"], capture_output=True, text=True).stdout


class _F:
    def __init__(self, rule: str, category: str, severity: str = "error") -> None:
        self.rule, self.category, self.severity = rule, category, severity


def test_outcome_by_rule_id():
    assert outcome(_F("pod-security-restricted", "security")) == PODS_REFUSED
    assert outcome(_F("resource-quota-unsatisfied", "resources")) == PODS_REFUSED
    assert outcome(_F("resource-limit-range-violated", "resources")) == PODS_REFUSED
    assert outcome(_F("resource-request-above-limit", "resources")) == REJECTED
    assert outcome(_F("probe-named-port-missing", "probe")) == RUN_TIME
    assert outcome(_F("schema-violation", "schema")) == REJECTED
    assert outcome(_F("pod-security-baseline", "security", "warning")) is None
