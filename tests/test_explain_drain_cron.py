"""`k8slint explain`: drain with PodDisruptionBudgets, cron windows, Service types and
policies, HPA on scale; expectations worked out by hand from the sources cited."""

from __future__ import annotations

import pytest

from k8slint.k8s import pdb
from tests.test_explain_items import DAEMONSET, events, run
from tests.test_explain_scenarios import deployment


@pytest.mark.parametrize("spec, selected, healthy, scale, expected", [
    # disruption.go getExpectedPodCount: maxUnavailable -> expected = controllers' scale,
    # desired = scale - maxUnavailable (a percentage rounds up: 30% of 10 -> 3).
    ({"maxUnavailable": 1}, 3, 3, 3, pdb.Budget(3, 2, 3, 1)),
    ({"maxUnavailable": "30%"}, 10, 10, 10, pdb.Budget(10, 7, 10, 3)),
    # integer minAvailable: expected = selected pods, desired = minAvailable.
    ({"minAvailable": 2}, 2, 2, 2, pdb.Budget(2, 2, 2, 0)),
    # percentage minAvailable: of the scale, rounding up (25% of 3 -> 1).
    ({"minAvailable": "25%"}, 3, 3, 3, pdb.Budget(3, 1, 3, 2)),
    # updatePdbStatus: neither field -> expected 0 -> nothing allowed.
    ({}, 3, 3, 3, pdb.Budget(0, 0, 3, 0)),
    # fewer healthy than desired: allowed is clamped at 0, never negative.
    ({"maxUnavailable": 1}, 3, 1, 3, pdb.Budget(3, 2, 1, 0)),
])
def test_pdb_arithmetic(spec, selected, healthy, scale, expected):
    assert pdb.budget(spec, selected, healthy, scale) == expected


def test_eviction_answers():
    # eviction.go: not Running -> evicted without a budget check; 0 allowed -> 429;
    # several budgets -> 500; not Ready with IfHealthyBudget only while the budget is healthy.
    none_left = pdb.Budget(2, 2, 2, 0)
    assert pdb.evict(none_left, running=False, ready=False).allowed
    assert pdb.evict(none_left, running=True, ready=True) == pdb.Eviction(False, 429, pdb.REFUSED_MESSAGE)
    assert pdb.evict(none_left, running=True, ready=True, budgets=2).status == 500
    assert pdb.evict(pdb.Budget(3, 2, 1, 0), running=True, ready=False).status == 429
    assert pdb.evict(pdb.Budget(3, 2, 1, 0), running=True, ready=False, policy="AlwaysAllow").allowed


BUDGET = """
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  %s
  selector: {matchLabels: {app: web}}
"""


def test_drain_waits_for_the_replacement_before_the_next_eviction():
    # 3 replicas on 2 nodes: node-1, node-2, node-1 (spreading). maxUnavailable 1: expected 3,
    # desired 2. Drain node-1: the first pod is evicted at 0 (healthy 3 -> allowed 1); its
    # replacement goes to node-2 (node-1 is cordoned), image already there, no readiness
    # probe: Ready at 1. The second pod at 0: healthy 2 -> allowed 0 -> 429; retried at 5
    # (kubectl drain.go: "will retry after 5s"): healthy 3 -> evicted.
    data = run(deployment("web", 3) + BUDGET % "maxUnavailable: 1", scenario="drain", node="node-1", nodes=2)
    assert [e["t"] for e in events(data, "evict", "kube-apiserver")] == [0, 5]
    assert [e["t"] for e in events(data, "evict-refused")] == [0]
    assert "Cannot evict pod as it would violate the pod's disruption budget." in \
        events(data, "evict-refused")[0]["message"]
    assert events(data, "cordon")[0]["t"] == 0
    created = [e for e in events(data, "create-pod", "replicaset-controller")]
    assert len(created) == 2


def test_drain_blocked_forever_by_a_budget_that_allows_nothing():
    # minAvailable 2 of 2 pods: desired 2, allowed 0 whatever happens; one node, cordoned:
    # no replacement could run anyway. Every retry is refused; the drain never finishes.
    data = run(deployment("web", 2) + BUDGET % "minAvailable: 2", scenario="drain", node="node-1", nodes=1)
    assert not events(data, "evict", "kube-apiserver")
    assert len(events(data, "evict-refused")) > 100
    assert any("the drain never finishes" in p["message"] for p in data["problems"])


def test_drain_skips_daemonset_pods():
    data = run(DAEMONSET, scenario="drain", node="node-2")
    [skip] = events(data, "skip", "kubectl")
    assert "DaemonSet pod" in skip["message"] and not events(data, "evict", "kube-apiserver")


CRON = """apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/30 * * * *"
  %s
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - {name: report, image: registry.example.com/report:1.0.0, command: [sh, -c, 'sleep 2400']}
"""
# 2026-01-01T00:00Z is 1767225600 s = 29453760 minutes after the epoch (utils.go getJobName).
MIN = 29453760


def test_cron_allow_runs_every_time():
    # runs at 00:30, 01:00, 01:30, 02:00 (within 2 h); each takes 3 + 2400 s and overlaps.
    data = run(CRON % "", scenario="cron", window="2h")
    jobs = [(r["job"], r["start"]) for r in data["cron_runs"]]
    assert jobs == [(f"report-{MIN + 30}", 1800), (f"report-{MIN + 60}", 3600), (f"report-{MIN + 90}", 5400),
                    (f"report-{MIN + 120}", 7200)]


def test_cron_forbid_starts_missed_runs_late():
    # cronjob_controllerv2.go syncCronJob: Forbid skips a run while one is active
    # (JobAlreadyActive); when it ends (4203 s) the most recent missed time (01:00) starts
    # late; 01:30 is skipped while that runs (to 6606); 01:30 starts at 6606; 02:00 is skipped.
    data = run(CRON % "concurrencyPolicy: Forbid", scenario="cron", window="2h")
    assert [(r["job"], r["start"]) for r in data["cron_runs"]] == [
        (f"report-{MIN + 30}", 1800), (f"report-{MIN + 60}", 4203), (f"report-{MIN + 90}", 6606)]
    assert [e["t"] for e in events(data, "skip", "cronjob-controller")] == [3600, 5400, 7200]


def test_cron_starting_deadline_drops_late_runs():
    # startingDeadlineSeconds 600: 01:00 + 600 s = 4200 < 4203: MissSchedule; 01:30 runs on time.
    data = run(CRON % "concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 600", scenario="cron", window="2h")
    assert [r["start"] for r in data["cron_runs"]] == [1800, 5400]
    assert [e["t"] for e in events(data, "missed")] == [4203]


def test_cron_history_limit_and_time_zone():
    # successfulJobsHistoryLimit 1: each finished Job deletes the one before (cleanupFinishedJobs).
    spec = 'successfulJobsHistoryLimit: 1\n  timeZone: "Asia/Seoul"'
    data = run((CRON % spec).replace("sleep 2400", "sleep 60"), scenario="cron", window="2h")
    assert len(events(data, "history")) == 3
    assert "Asia/Seoul" in events(data, "schedule")[0]["message"]


SVC_TYPE = """
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: %s
  selector: {app: web}
  ports: [{name: http, port: 80}]
  %s
"""


def test_node_port_and_load_balancer_pending():
    # portallocator: a port in 30000-32767 for each Service port; without a cloud controller
    # the LoadBalancer's EXTERNAL-IP stays <pending>.
    data = run(deployment("web", 1) + SVC_TYPE % ("LoadBalancer", ""))
    [svc] = data["services"]
    node_port = svc["ports"][0]["nodePort"]
    assert 30000 <= node_port <= 32767
    assert svc["external_ip"] == "<pending>"
    assert events(data, "allocate-nodeport") and "EXTERNAL-IP <pending>" in events(data, "lb-pending")[0]["message"]
    again = run(deployment("web", 1) + SVC_TYPE % ("NodePort", ""))
    assert again["services"][0]["ports"][0]["nodePort"] == run(deployment("web", 1) + SVC_TYPE % (
        "NodePort", ""))["services"][0]["ports"][0]["nodePort"]            # stable
    fixed = run(deployment("web", 1) + (SVC_TYPE % ("NodePort", "")).replace("port: 80}", "port: 80, nodePort: 30080}"))
    assert fixed["services"][0]["ports"][0]["nodePort"] == 30080


def test_traffic_policies_and_session_affinity():
    spec = ("externalTrafficPolicy: Local\n  internalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n"
            "  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}")
    data = run(deployment("web", 1) + SVC_TYPE % ("NodePort", spec))
    [svc] = data["services"]
    assert svc["traffic"] == {"externalTrafficPolicy": "Local", "internalTrafficPolicy": "Local",
                              "sessionAffinity": "ClientIP 600s"}
    text = " ".join(e["message"] for e in events(data, "program"))
    assert "only to ready endpoints on that node" in text and "600 s" in text
    default = run(deployment("web", 1) + SVC_TYPE % ("ClusterIP", "sessionAffinity: ClientIP"))
    assert default["services"][0]["traffic"]["sessionAffinity"] == "ClientIP 10800s"   # defaults.go


def test_scale_under_an_hpa_is_overridden():
    hpa = """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
"""
    # horizontal.go reconcileAutoscaler: at the next sync (15 s) replicas go back within 2..4.
    data = run(deployment("web", 2) + hpa, scenario="scale", replicas=6)
    [override] = events(data, "override")
    assert override["t"] == 15 and "sets replicas to 4" in override["message"]
    assert any("overridden" in p["message"] for p in data["problems"])
