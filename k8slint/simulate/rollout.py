"""Scenario `rollout`: a change of the pod template, along the controllers' own seams.

Deployment (pkg/controller/deployment): `recreate` (recreate.go rolloutRecreate: old
ReplicaSets to 0, wait until no old pod runs, then the new one to `replicas`) and
`rolling_update` (rolling.go rolloutRolling), which repeats `scale_up_new`
(reconcileNewReplicaSet: up to `replicas + maxSurge` non-terminating pods, via
deployment_util.go NewRSNewReplicas) and `scale_down_old` (reconcileOldReplicaSets: first
unhealthy old pods within maxScaledDown = all - minAvailable - unavailable new, then healthy
ones while available pods stay at or above `replicas - maxUnavailable`); new pods count once
available. StatefulSet: highest ordinal first, one at a time, each waiting for the previous
to be Available (Ready for minReadySeconds), ordinals below `partition` kept
(stateful_set_control.go updateStatefulSet). DaemonSet: node by node within maxUnavailable /
maxSurge (pkg/controller/daemon/update.go rollingUpdate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..graph import Object
from ..k8s.rollout import Fenceposts, daemonset_budget
from ..k8s.rollout import fenceposts as shared_fenceposts
from . import naming
from .controllers import count
from .termination import gone_seconds
from .timeline import Pod, Rollout, Timeline, mapping, ref
from .world import World


def fenceposts(surge: Any, unavailable: Any, replicas: int) -> tuple[int, int]:
    """ResolveFenceposts (k8slint.k8s.rollout); unreadable values count as 0 surge, 1 unavailable."""
    resolved = shared_fenceposts(surge, unavailable, replicas)
    return (resolved.max_surge, resolved.max_unavailable) if resolved else (0, 1)


def startup_seconds(pods: list[Pod], min_ready: int) -> float | None:
    """Creation to available, as the apply simulation measured it; None if never ready."""
    for pod in pods:
        if pod.ready_at is not None:
            return pod.ready_at - pod.created_at + min_ready
    return None


@dataclass
class RollingState:
    """The numbers one Deployment sync reads (rolling.go), and the rollout so far."""

    obj: Object
    timeline: Timeline
    result: Rollout
    budget: Fenceposts
    old_rs: str
    new_rs: str
    ready: float | None              # creation to available for a new pod
    gone: float                      # delete to gone for an old pod
    old_names: list[str]
    old: int
    old_available: int
    new_pending: list[float] = field(default_factory=list)   # when each new pod becomes available
    new_available: int = 0
    created: int = 0
    t: float = 0.0

    @property
    def replicas(self) -> int:
        return self.result.replicas

    @property
    def total(self) -> int:
        return self.old + len(self.new_pending) + self.new_available

    def record(self, note: str) -> None:
        self.result.step(self.t, self.old, len(self.new_pending) + self.new_available,
                         self.old_available + self.new_available, note)


def deployment(world: World, obj: Object, pods: list[Pod], timeline: Timeline) -> Rollout:
    spec = obj.get("spec", default={}) or {}
    strategy = mapping(spec.get("strategy"))
    live = [p for p in pods if p.node is not None or p.pending_reason]
    replicas = len(live)
    ready = startup_seconds(live, count(spec.get("minReadySeconds"), 0))
    gone = gone_seconds(live[0].spec) if live else 0.0
    new_rs = f"{obj.name}-{naming.pod_template_hash({'changed': obj.get('spec', 'template')})}"
    old_rs = live[0].owner_name if live else f"{obj.name}-?"
    if (strategy.get("type") or "RollingUpdate") == "Recreate":
        return recreate(obj, replicas, old_rs, new_rs, ready, gone, timeline)
    rolling = mapping(strategy.get("rollingUpdate"))
    resolved = shared_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas) \
        or Fenceposts(0, 1)
    state = RollingState(obj, timeline, Rollout(f"Deployment/{obj.name}", "RollingUpdate", replicas,
                                                resolved.max_surge, resolved.max_unavailable),
                         resolved, old_rs, new_rs, ready, gone, _victim_order(live), replicas,
                         sum(1 for p in live if p.ready_at is not None))
    timeline.add(0, "deployment-controller", "resolve", ref("Deployment", obj.namespace, obj.name),
                 f"replicas {replicas}: maxSurge {rolling.get('maxSurge', '25%')} -> {resolved.max_surge} "
                 f"(rounds up), maxUnavailable {rolling.get('maxUnavailable', '25%')} -> "
                 f"{resolved.max_unavailable} (rounds down): at most {replicas + resolved.max_surge} pods, "
                 f"at least {replicas - resolved.max_unavailable} available", "rollout")
    rolling_update(state, spec)
    return state.result


def recreate(obj: Object, replicas: int, old_rs: str, new_rs: str, ready: float | None, gone: float,
             timeline: Timeline) -> Rollout:
    """recreate.go rolloutRecreate: old to 0, wait for the old pods to be gone, new up."""
    ns = obj.namespace
    result = Rollout(f"Deployment/{obj.name}", "Recreate", replicas, None, None)
    result.step(0, replicas, 0, replicas, "start")
    timeline.add(0, "deployment-controller", "scale", ref("ReplicaSet", ns, old_rs),
                 f"Recreate: scales ReplicaSet {old_rs} to 0; all {replicas} pods stop at once", "rollout")
    result.step(0, 0, 0, 0, f"old ReplicaSet {old_rs} scaled to 0: no pod serves")
    timeline.add(gone, "deployment-controller", "scale", ref("ReplicaSet", ns, new_rs),
                 f"old pods gone; creates ReplicaSet {new_rs} with {replicas} replicas", "rollout")
    result.step(gone, 0, replicas, 0, f"new ReplicaSet {new_rs} scaled to {replicas}")
    if ready is None:
        timeline.problem(f"Deployment/{obj.name}", "the new pods never become available: "
                         "the Deployment stays down")
        return result
    result.step(gone + ready, 0, replicas, replicas, "new pods available")
    timeline.add(gone + ready, "deployment-controller", "complete", ref("Deployment", ns, obj.name),
                 f"rollout complete: {replicas} new pods available; downtime {ready + gone:g} s", "rollout")
    return result


def rolling_update(state: RollingState, spec: dict[str, Any]) -> None:
    """rolling.go rolloutRolling, one sync after another until complete or stalled."""
    state.record("start")
    for _ in range(10 * (state.replicas + 2)):
        changed = scale_up_new(state)
        changed = scale_down_old(state) or changed
        if state.old == 0 and not state.new_pending and state.new_available == state.replicas:
            state.timeline.add(state.t, "deployment-controller", "complete",
                               ref("Deployment", state.obj.namespace, state.obj.name),
                               f"rollout complete: {state.replicas} new pods available", "rollout")
            return
        if changed:
            continue
        if not _wait_for_new(state, spec):
            return


def scale_up_new(state: RollingState) -> bool:
    """reconcileNewReplicaSet: grow the new ReplicaSet within replicas + maxSurge."""
    room = state.replicas + state.budget.max_surge - state.total
    grow = min(room, state.replicas - len(state.new_pending) - state.new_available)
    if grow <= 0:
        return False
    names = []
    for _ in range(grow):
        state.created += 1
        names.append(naming.generated_name(f"{state.new_rs}-", state.obj.namespace, state.created))
        state.new_pending.append(state.t + state.ready if state.ready is not None else math.inf)
    size = len(state.new_pending) + state.new_available
    state.timeline.add(state.t, "deployment-controller", "scale", ref("ReplicaSet", state.obj.namespace,
                       state.new_rs), f"scales new ReplicaSet {state.new_rs} up to {size}; the "
                       f"replicaset controller creates {', '.join(names)}", "rollout")
    state.record(f"new ReplicaSet up to {size}")
    return True


def scale_down_old(state: RollingState) -> bool:
    """reconcileOldReplicaSets: unhealthy old pods first within maxScaledDown, then healthy
    ones while available pods stay at or above replicas - maxUnavailable."""
    floor = state.replicas - state.budget.max_unavailable
    unhealthy = state.old - state.old_available
    budget = state.total - floor - len(state.new_pending)
    drop_sick = max(0, min(unhealthy, budget))
    drop_ok = max(0, min(state.old_available, state.old_available + state.new_available - floor))
    drop = drop_sick + drop_ok
    if drop <= 0:
        return False
    victims, state.old_names = state.old_names[:drop], state.old_names[drop:]
    state.old -= drop
    state.old_available -= drop_ok
    state.timeline.add(state.t, "deployment-controller", "scale", ref("ReplicaSet", state.obj.namespace,
                       state.old_rs), f"scales old ReplicaSet {state.old_rs} down to {state.old}: the "
                       f"replicaset controller deletes {', '.join(victims)} (gone about {state.gone:g} s "
                       "later)", "rollout")
    state.record(f"old ReplicaSet down to {state.old}")
    return True


def _wait_for_new(state: RollingState, spec: dict[str, Any]) -> bool:
    """Advance to the moment more new pods are available; False when that never happens."""
    upcoming = [x for x in state.new_pending if x > state.t]
    if not upcoming or math.isinf(min(upcoming)):
        state.timeline.problem(f"Deployment/{state.obj.name}", "the rollout stalls: new pods never become "
                               f"available; after progressDeadlineSeconds "
                               f"({spec.get('progressDeadlineSeconds', 600)} s) the Deployment reports "
                               "Progressing=False (ProgressDeadlineExceeded) and old pods keep serving")
        return False
    state.t = min(upcoming)
    became = sum(1 for x in state.new_pending if x <= state.t)
    state.new_pending = [x for x in state.new_pending if x > state.t]
    state.new_available += became
    state.timeline.add(state.t, "kubelet", "ready", ref("ReplicaSet", state.obj.namespace, state.new_rs),
                       f"{became} new pod(s) Ready and available ({state.new_available} of "
                       f"{state.replicas})", "rollout")
    state.record(f"{became} new pod(s) available")
    return True


def _victim_order(pods: list[Pod]) -> list[str]:
    """ReplicaSet scale-down order (controller_utils.go ActivePods ranking): unscheduled,
    pending, not ready first; then nodes holding more of the set's pods; later ready;
    newer."""
    per_node: dict[str | None, int] = {}
    for pod in pods:
        per_node[pod.node] = per_node.get(pod.node, 0) + 1
    ranked = sorted(pods, key=lambda p: (p.node is not None, p.ready_at is not None,
                                         -per_node.get(p.node, 0), -(p.ready_at or 0),
                                         -p.created_at, -pods.index(p)))
    return [p.name for p in ranked]


victim_order = _victim_order


def statefulset(world: World, obj: Object, pods: list[Pod], timeline: Timeline) -> Rollout:
    """Highest ordinal first; each recreated pod must be Available (Ready for
    minReadySeconds) before the next lower ordinal is deleted."""
    spec = obj.get("spec", default={}) or {}
    strategy = mapping(spec.get("updateStrategy"))
    kind = strategy.get("type") or "RollingUpdate"
    rolling = mapping(strategy.get("rollingUpdate"))
    partition = count(rolling.get("partition"), 0)
    live = sorted((p for p in pods if p.ordinal is not None), key=lambda p: p.ordinal or 0)
    replicas = len(live)
    result = Rollout(f"StatefulSet/{obj.name}", kind, replicas, None, 1, partition=partition)
    min_ready = count(spec.get("minReadySeconds"), 0)
    ready = startup_seconds(live, 0)
    gone = gone_seconds(live[0].spec) if live else 0.0
    available = sum(1 for p in live if p.ready_at is not None)
    result.step(0, replicas, 0, available, "start")
    who = ref("StatefulSet", obj.namespace, obj.name)
    if kind == "OnDelete":
        timeline.add(0, "statefulset-controller", "update", who, "updateStrategy OnDelete: pods keep the "
                     "old template until someone deletes them; each deleted pod comes back updated", "rollout")
        return result
    t, old, new = 0.0, replicas, 0
    for pod in reversed(live):
        where = ref("Pod", obj.namespace, pod.name)
        if (pod.ordinal or 0) < partition:
            timeline.add(t, "statefulset-controller", "keep", where,
                         f"{pod.name} keeps the old revision (ordinal < partition {partition})", "rollout")
            continue
        timeline.add(t, "statefulset-controller", "delete", where,
                     f"deletes {pod.name} (highest ordinal not yet updated)", "rollout")
        old, available = old - 1, available - 1
        result.step(t, old, new, available, f"{pod.name} deleted")
        t += gone
        timeline.add(t, "statefulset-controller", "create-pod", where,
                     f"old {pod.name} is gone; creates {pod.name} again with the new revision", "rollout")
        new += 1
        result.step(t, old, new, available, f"{pod.name} recreated")
        if ready is None:
            timeline.problem(f"StatefulSet/{obj.name}", f"the rollout stops at {pod.name}: the new pod "
                             "never becomes Ready, so lower ordinals are not updated")
            return result
        t += ready + min_ready
        available += 1
        text = f"{pod.name} is Ready with the new revision" + (
            f" and Available after minReadySeconds {min_ready} s" if min_ready else "")
        timeline.add(t, "kubelet", "ready", where, text, "rollout")
        result.step(t, old, new, available, f"{pod.name} Available" if min_ready else f"{pod.name} Ready")
    timeline.add(t, "statefulset-controller", "complete", who,
                 f"rollout done: {new} updated, {old} kept below partition {partition}", "rollout")
    return result


def daemonset(world: World, obj: Object, pods: list[Pod], timeline: Timeline) -> Rollout:
    spec = obj.get("spec", default={}) or {}
    strategy = mapping(spec.get("updateStrategy"))
    kind = strategy.get("type") or "RollingUpdate"
    rolling = mapping(strategy.get("rollingUpdate"))
    live = [p for p in pods if p.node is not None]
    budget = daemonset_budget(rolling.get("maxSurge"), rolling.get("maxUnavailable"), len(live)) \
        or Fenceposts(0, 1)
    result = Rollout(f"DaemonSet/{obj.name}", kind, len(live), budget.max_surge, budget.max_unavailable)
    ready = startup_seconds(live, count(spec.get("minReadySeconds"), 0)) or 0.0
    gone = gone_seconds(live[0].spec) if live else 0.0
    available = sum(1 for p in live if p.ready_at is not None)
    result.step(0, len(live), 0, available, "start")
    who = ref("DaemonSet", obj.namespace, obj.name)
    if kind == "OnDelete":
        timeline.add(0, "daemonset-controller", "update", who,
                     "updateStrategy OnDelete: pods change only when deleted by hand", "rollout")
        return result
    t, old, new = 0.0, len(live), 0
    batch = max(budget.max_surge or budget.max_unavailable, 1)
    for start in range(0, len(live), batch):
        group = live[start:start + batch]
        nodes = ", ".join(p.node or "?" for p in group)
        if budget.max_surge:
            timeline.add(t, "daemonset-controller", "surge", who, f"creates new pods on {nodes} beside "
                         f"the old ones (maxSurge {budget.max_surge})", "rollout")
            new += len(group)
            result.step(t, old, new, available, f"new pods on {nodes}")
            t += ready
            old -= len(group)
            result.step(t, old, new, available, f"new pods Ready on {nodes}; old ones deleted")
            continue
        timeline.add(t, "daemonset-controller", "delete", who, f"deletes the old pods on {nodes} "
                     f"(maxUnavailable {budget.max_unavailable})", "rollout")
        old, available = old - len(group), available - len(group)
        result.step(t, old, new, available, f"old pods deleted on {nodes}")
        t += gone
        new += len(group)
        result.step(t, old, new, available, f"new pods created on {nodes}")
        t += ready
        available += len(group)
        result.step(t, old, new, available, f"new pods Ready on {nodes}")
    return result


def rollout(world: World, targets: list[Object], timeline: Timeline) -> None:
    timeline.assume("Rollout: the pod template changes at t=0; new pods take as long to become "
                    "available as the first pods did at apply and fit on the nodes; old pods exit "
                    "1 s after SIGTERM.")
    for obj in targets:
        pods = [p for p in world.pods if p.workload is obj]
        if obj.kind == "Deployment":
            timeline.rollouts.append(deployment(world, obj, pods, timeline))
        elif obj.kind == "StatefulSet":
            timeline.rollouts.append(statefulset(world, obj, pods, timeline))
        elif obj.kind == "DaemonSet":
            timeline.rollouts.append(daemonset(world, obj, pods, timeline))
    if not timeline.rollouts:
        timeline.problem("input", "no Deployment, StatefulSet or DaemonSet to roll out")
    timeline.pods = [p for p in world.pods if any(p.workload is o for o in targets)]
    timeline.services = list(world.services)
