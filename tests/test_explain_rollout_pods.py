"""Rollouts, drains and deletes on the world's clock: per-pod events for the pods a rollout
creates and deletes, the replacement's image pull in a drain, pods gone after a delete, and
`explain --diff` naming the new ReplicaSet as the apply does. Expected values are worked out
by hand from the Kubernetes source cited beside each test, with the simulator's illustrative
timing (listed in its assumptions): binding at creation, sandbox 1 s, image pull 2 s, a
readiness probe first at initialDelaySeconds after the container starts, an app exiting 1 s
after SIGTERM.
"""

from __future__ import annotations

import inspect
import re

from k8slint.config import Config
from k8slint.diff import _side
from k8slint.diff import explain as diff_explain
from k8slint.simulate import check_summary, explain
from k8slint.simulate.naming import pod_template_hash
from k8slint.simulate.render import html_lanes, render
from k8slint.simulate.render.html_objects import serving
from k8slint.simulate.timeline import Timeline
from k8slint.simulate.world import World
from tests.conftest import ROOT
from tests.test_explain_items import DAEMONSET, STATEFULSET

DEMO = str(ROOT / "fixtures" / "demo" / "web.yaml")
POD_STEPS = ("create-pod", "bind", "sandbox", "pull", "start", "ready")


def pod_events(data: dict, name: str) -> list[tuple[float, str, str]]:
    return [(e["t"], e["actor"], e["action"]) for e in data["events"]
            if e["object"]["kind"] == "Pod" and e["object"]["name"] == name]


def test_deployment_rollout_gives_every_new_pod_the_events_of_an_apply():
    # Demo: 3 replicas (HPA minReplicas), maxSurge 1, maxUnavailable 0 -> at most 4 pods, at
    # least 3 available (deployment_util.go ResolveFenceposts). rolling.go rolloutRolling:
    # reconcileNewReplicaSet grows the new ReplicaSet to min(4 - all, 3 - new) = 1 at 0 s;
    # reconcileOldReplicaSets may scale down by (available 3 + new available) - minAvailable 3,
    # so one old pod goes each time a new pod is available, and the new ReplicaSet grows by
    # one again. A new pod: bound at creation, sandbox +1, image pull +1..+3 (the template's
    # images are new in the plain scenario), container and readiness probe at +3
    # (periodSeconds 5, no initialDelaySeconds): created 0, 3, 6 -> Ready 3, 6, 9.
    data = explain([DEMO], scenario="rollout").as_dict()
    new = [p for p in data["pods"] if p.get("deleted_at") is None]
    old = [p for p in data["pods"] if p.get("deleted_at") is not None]
    assert [(p["created_at"], p["ready_at"]) for p in new] == [(0, 3), (3, 6), (6, 9)]
    for pod in new:
        c = pod["created_at"]
        actors = ("replicaset-controller", "scheduler", "kubelet", "kubelet", "kubelet", "kubelet")
        assert pod_events(data, pod["name"]) == list(zip((c, c, c + 1, c + 1, c + 3, c + 3), actors, POD_STEPS,
                                                         strict=True))
        # the EndpointSlice controller adds it when Ready (endpointslice/utils.go podToEndpoint)
        joins = [e["t"] for e in data["events"] if e["action"] == "endpoint-ready" and pod["name"] in e["message"]]
        assert joins == [c + 3]
    # Old pods: deleted when a new pod is available (3, 6, 9); preStop sleep 10 in a grace
    # period of 40 -> SIGTERM +10, the app exits +11 and the kubelet's status manager deletes
    # the object with grace 0 (status_manager.go syncPod): gone 14, 17, 20.
    assert sorted((p["deleted_at"], p["gone_at"]) for p in old) == [(3, 14), (6, 17), (9, 20)]
    for pod in old:
        d = pod["deleted_at"]
        assert pod_events(data, pod["name"]) == [
            (d, "replicaset-controller", "delete-pod"), (d, "kube-apiserver", "delete"),
            (d, "kubelet", "prestop"), (d + 10, "kubelet", "sigterm"), (d + 11, "kubelet", "gone")]
    assert len(data["terminations"]) == 3
    [roll] = data["rollouts"]
    assert [(s["t"], s["old"], s["new"], s["available"]) for s in roll["steps"]] == [
        (0, 3, 0, 3), (0, 3, 1, 3), (3, 3, 1, 4), (3, 2, 1, 3), (3, 2, 2, 3), (6, 2, 2, 4), (6, 1, 2, 3),
        (6, 1, 3, 3), (9, 1, 3, 4), (9, 0, 3, 3)]


def test_html_page_has_a_row_for_every_new_pod():
    timeline = explain([DEMO], scenario="rollout")
    rows = {r.label: r for r in html_lanes.build(timeline).pod_rows}
    assert len(rows) == 6
    new = [p for p in timeline.pods if p.deleted_at is None]
    for pod in new:
        states = [(b.state, b.start) for b in rows[pod.name].bars]
        c = pod.created_at
        assert states == [("scheduled", c), ("pull", c + 1), ("ready", c + 3)]
    assert 'data-ev' in render("html", timeline)


def test_min_ready_seconds_delays_availability_not_readiness():
    # A pod counts as available minReadySeconds after Ready (pkg/api/v1/pod/util.go
    # IsPodAvailable, read by replica_set_utils.go calculateStatus): 2 replicas, maxSurge 1,
    # maxUnavailable 0, minReadySeconds 10: new pod created 0, Ready 3, available 13; the old
    # pod is deleted then (rolling.go reconcileOldReplicaSets: available 3 - minAvailable 2 = 1).
    text = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  minReadySeconds: 10
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.example.com/web:1.0.0}]
"""
    data = explain(None, text=text, scenario="rollout").as_dict()
    new = [p for p in data["pods"] if p.get("deleted_at") is None]
    assert [(p["created_at"], p["ready_at"]) for p in new] == [(0, 3), (13, 16)]
    assert sorted(p["deleted_at"] for p in data["pods"] if p.get("deleted_at") is not None) == [13, 26]
    available = [(e["t"], e["message"]) for e in data["events"] if e["action"] == "available"]
    assert [t for t, _ in available] == [13, 26] and "minReadySeconds 10 s" in available[0][1]


def test_statefulset_rolling_update_recreates_each_pod_with_its_events():
    # stateful_set_control.go updateStatefulSet: from the highest ordinal down, ordinals below
    # the partition kept; the replacement (same name) is created by processReplica once the
    # old pod object is gone, the next ordinal deleted once it is Ready. No preStop: gone 1 s
    # after the delete; then bound, sandbox +1, pull +1..+3, start +3, Ready +8
    # (initialDelaySeconds 5). db-2: deleted 0, created 1, Ready 9; db-1: deleted 9,
    # created 10, Ready 18; db-0 kept (partition 1).
    data = explain(None, text=STATEFULSET % "updateStrategy: {rollingUpdate: {partition: 1}}",
                   scenario="rollout").as_dict()
    new = [p for p in data["pods"] if p["created_at"] > 0]
    assert [(p["name"], p["created_at"], p["ready_at"]) for p in new] == [("db-2", 1, 9), ("db-1", 10, 18)]
    revision = {p["labels"]["controller-revision-hash"] for p in new}
    kept = [p for p in data["pods"] if p["name"] == "db-0"]
    assert len(revision) == 1 and kept[0]["labels"]["controller-revision-hash"] not in revision
    assert kept[0].get("deleted_at") is None
    old = {p["name"]: (p["deleted_at"], p["gone_at"]) for p in data["pods"] if p.get("deleted_at") is not None}
    assert old == {"db-2": (0, 1), "db-1": (9, 10)}
    events = pod_events(data, "db-1")
    created = events[[a for _, _, a in events].index("create-pod"):]
    assert events[:len(events) - len(created)][-1] == (10, "kubelet", "gone")
    assert created == [(10, "statefulset-controller", "create-pod"), (10, "scheduler", "bind"),
                       (11, "kubelet", "sandbox"), (11, "kubelet", "pull"), (13, "kubelet", "start"),
                       (18, "kubelet", "ready")]


def test_daemonset_rolling_update_with_and_without_surge():
    # pkg/controller/daemon/update.go rollingUpdate. maxUnavailable 1 (default): the old pod of
    # one node is deleted, the new one created when the old is gone (+1; syncNodes), Ready at
    # +3 after its creation (no probe), then the next node: deletes at 0, 4, 8.
    default = explain(None, text=DAEMONSET, scenario="rollout").as_dict()
    assert sorted(p["deleted_at"] for p in default["pods"] if p.get("deleted_at") is not None) == [0, 4, 8]
    assert sorted((p["created_at"], p["ready_at"]) for p in default["pods"] if p["created_at"] > 0) == [
        (1, 4), (5, 8), (9, 12)]
    # maxSurge 1, maxUnavailable 0: a new pod beside the old one, the old one deleted when the
    # new one is available, then the next node: created 0, 3, 6; old deleted 3, 6, 9.
    surge = explain(None, text=DAEMONSET.replace(
        "  template:", "  updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n  template:"),
        scenario="rollout").as_dict()
    new = [p for p in surge["pods"] if p.get("deleted_at") is None]
    assert [(p["created_at"], p["ready_at"]) for p in new] == [(0, 3), (3, 6), (6, 9)]
    assert sorted(p["deleted_at"] for p in surge["pods"] if p.get("deleted_at") is not None) == [3, 6, 9]
    for pod in new:
        assert [a for _, _, a in pod_events(surge, pod["name"])] == list(POD_STEPS)


def test_drain_replacement_pulls_about_a_second_after_it_is_created():
    # The eviction deletes the pod; the ReplicaSet creates the replacement at once
    # (replica_set.go manageReplicas), the scheduler binds it, the sandbox takes 1 s and the
    # kubelet ensures the image just before the container starts (image_manager.go
    # EnsureImageExists). The HPA scaled the demo to 3 at 15 s of the apply, so node-2 has the
    # image since then: with IfNotPresent the container starts at 1 s, not at 18 s.
    data = explain([DEMO], scenario="drain", node="node-1").as_dict()
    [new] = [p for p in data["pods"] if p["ready_at"] not in (0, None)]
    assert pod_events(data, new["name"]) == [
        (0, "replicaset-controller", "create-pod"), (0, "scheduler", "bind"), (1, "kubelet", "sandbox"),
        (1, "kubelet", "pull"), (1, "kubelet", "start"), (1, "kubelet", "ready")]
    # With a fourth, empty node the replacement lands there and has to pull: start at 3.
    data = explain([DEMO], scenario="drain", node="node-1", nodes=4).as_dict()
    [new] = [p for p in data["pods"] if p["ready_at"] not in (0, None)]
    assert new["node"] == "node-4"
    pull = [e for e in data["events"] if e["action"] == "pull" and e["object"]["name"] == new["name"]]
    assert [(e["t"], "pulls" in e["message"]) for e in pull] == [(1, True)]
    assert new["started_at"] == {"web": 3}


def test_delete_sets_deleted_and_gone_and_the_summary_says_so():
    # Delete at 0: deletionTimestamp at once; preStop sleep 10 of grace 40, SIGTERM at 10, the
    # app exits at 11 and the object is removed when the kubelet deletes it with grace 0
    # (pkg/kubelet/kubelet.go syncTerminatedPod -> status_manager.go syncPod).
    timeline = explain([DEMO], scenario="delete")
    data = timeline.as_dict()
    assert [(p["deleted_at"], p["gone_at"]) for p in data["pods"]] == [(0, 11)] * 3
    assert not any(serving(p) for p in timeline.pods)
    text = render("human", timeline)
    assert "Deployment/web: 3 pod(s) deleted, all gone by 11 s" in text
    assert "3 Ready" not in text
    assert "0 pod(s), 0 Ready, 3 deleted" in render("mermaid", timeline)


def test_grace_zero_object_is_gone_at_the_delete():
    # terminationGracePeriodSeconds 0: the API server removes the object at once
    # (pkg/registry/core/pod/strategy.go CheckGracefulDelete) while the kubelet still stops the
    # containers with its minimum grace (pod_workers.go calculateEffectiveGracePeriod).
    text = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: web, image: registry.example.com/web:1.0.0}]
"""
    [pod] = explain(None, text=text, scenario="delete").as_dict()["pods"]
    assert (pod["deleted_at"], pod["gone_at"]) == (0, 0)


def test_scale_up_pods_are_started_as_at_apply():
    # kubectl scale to 5: the replicaset controller creates 2 pods at 0 (manageReplicas); the
    # image is already on every node (IfNotPresent), so each starts at 1 and is Ready then.
    data = explain([DEMO], scenario="scale", replicas=5).as_dict()
    [entry] = data["scale"]
    added = [p for p in data["pods"] if p["name"] in entry["added"]]
    assert len(added) == 2 and {(p["created_at"], p["ready_at"]) for p in added} == {(0, 1)}
    for pod in added:
        assert [a for _, _, a in pod_events(data, pod["name"])] == list(POD_STEPS)


BEFORE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'web:1'}]}
"""


def test_explain_diff_names_the_new_replicaset_from_the_new_template():
    # sync.go getNewReplicaSet names it <deployment>-<pod-template-hash of the new template>
    # (controller_utils.go ComputeHash): the apply of the new manifests and the rollout agree,
    # so the pods listed side by side are the pods the timeline creates.
    config = Config()
    after_text = BEFORE.replace("web:1", "web:2")
    old, new = _side(BEFORE, "before.yaml", config), _side(after_text, "after.yaml", config)
    explained = diff_explain.simulate_diff(old, new, config)
    [deployment] = new.graph.of_kind("Deployment")
    expected_rs = f"web-{pod_template_hash(deployment.get('spec', 'template'))}"
    created = [e.object["name"] for e in explained.timeline.events if e.action == "create-pod"]
    [pair] = explained.pairs
    assert sorted(created) == sorted(p["name"] for p in pair["new"])
    assert all(re.fullmatch(re.escape(expected_rs) + r"-\w{5}", name) for name in created)
    assert {p.owner_name for p in explained.timeline.pods if p.deleted_at is None} == {expected_rs}


def test_diff_explain_uses_the_public_check_summary():
    assert "_check_summary" not in inspect.getsource(diff_explain)
    summary = check_summary(None)
    assert summary.ran is False and check_summary([]).as_dict() == {"ran": True, "errors": 0, "warnings": 0,
                                                                    "findings": []}


def test_world_run_keeps_actions_after_the_horizon():
    world = World([], Timeline("apply"))
    seen: list[float] = []
    world.at(5.0, seen.append)
    world.at(20.0, seen.append)
    world.run(horizon=10.0)
    assert seen == [5.0]
    world.run()
    assert seen == [5.0, 20.0]


def test_statefulset_grace_zero_scale_down_does_not_wait():
    # processCondemned waits while the condemned pod object exists; with
    # terminationGracePeriodSeconds 0 the API server removes it at the delete
    # (strategy.go CheckGracefulDelete), so db-1 is deleted at 0 too, while db-2's containers
    # still run (the reason the StatefulSet docs say never to set 0).
    text = STATEFULSET.replace("    spec:\n      containers:", "    spec:\n      terminationGracePeriodSeconds: 0\n"
                               "      containers:") % ""
    data = explain(None, text=text, scenario="scale", replicas=1).as_dict()
    deletes = [(e["t"], e["object"]["name"]) for e in data["events"]
               if e["actor"] == "statefulset-controller" and e["action"] == "delete"]
    assert deletes == [(0, "db-2"), (0, "db-1")]


def test_rollout_stalls_when_new_pods_never_become_ready():
    # 2 replicas, 25%/25%: maxSurge 1, maxUnavailable 0. The new pod's readiness probe names a
    # port the container lacks: it never becomes Ready (prober/worker.go doProbe keeps the
    # initial Failure). reconcileOldReplicaSets: maxScaledDown = 3 - 2 - 1 unavailable new = 0,
    # so no old pod goes; after progressDeadlineSeconds (600) of no progress the controller
    # sets Progressing=False (progress.go syncRolloutStatus; deployment_util.go
    # DeploymentTimedOut) and does not roll back.
    config = Config()
    after = BEFORE.replace("image: 'web:1'", "image: 'web:2', readinessProbe: {httpGet: {port: http}}")
    explained = diff_explain.simulate_diff(_side(BEFORE, "b.yaml", config), _side(after, "a.yaml", config), config)
    [roll] = explained.timeline.rollouts
    assert [(s.t, s.old, s.new, s.available) for s in roll.steps] == [(0, 2, 0, 2), (0, 2, 1, 2)]
    assert any("the rollout stalls" in p["message"] for p in explained.timeline.problems)
    [condition] = [e for e in explained.timeline.events if e.action == "condition"]
    assert condition.t == 600 and "ProgressDeadlineExceeded" in condition.message
    assert not any(p.deleted_at is not None for p in explained.timeline.pods)
