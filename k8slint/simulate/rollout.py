"""Scenario `rollout`: a change of the pod template (k8s-semantics.md §9).

Deployment RollingUpdate, timed: each sync scales the new ReplicaSet up within
`replicas + maxSurge` (non-terminating pods) and the old ones down while available pods stay
at or above `replicas - maxUnavailable` (rolling.go reconcileNewReplicaSet /
reconcileOldReplicaSets); new pods count once available. Recreate: old to 0, wait until the
old pods are gone, then new to `replicas`. StatefulSet: highest ordinal first, one at a time,
ordinals below `partition` kept. DaemonSet: node by node within maxUnavailable / maxSurge.
"""

from __future__ import annotations

import math
from typing import Any

from ..k8s.defaults import grace_period
from ..k8s.rollout import fenceposts as shared_fenceposts
from ..k8s.rollout import scaled
from ..k8s.termination import prestop_seconds, stop_times
from . import naming
from .timeline import Pod, Rollout, Timeline, ref
from .world import World


def resolve(value: Any, replicas: int, round_up: bool, default: str) -> int:
    """An int-or-percent budget in pods (0 when unreadable: the simulation goes on)."""
    return scaled(default if value is None else value, replicas, round_up) or 0


def fenceposts(surge: Any, unavailable: Any, replicas: int) -> tuple[int, int]:
    """ResolveFenceposts (k8slint.k8s.rollout); unreadable values count as 0 surge, 1 unavailable."""
    return shared_fenceposts(surge, unavailable, replicas) or (0, 1)


def startup_seconds(pods: list[Pod], min_ready: int) -> float | None:
    """Creation to available, as the apply simulation measured it; None if never ready."""
    for pod in pods:
        if pod.ready_at is not None:
            return pod.ready_at - pod.created_at + min_ready
    return None


def exit_seconds(pod_spec: dict) -> float:
    """Delete to gone, if the app exits as soon as it gets SIGTERM."""
    latest = 0.0
    for container in pod_spec.get("containers") or []:
        if isinstance(container, dict):
            has_hook, duration = prestop_seconds(container.get("lifecycle"))
            latest = max(latest, stop_times(grace_period(pod_spec), duration, has_hook).sigterm)
    return latest


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def deployment(world: World, obj: Any, pods: list[Pod], timeline: Timeline) -> Rollout:
    spec = obj.get("spec", default={}) or {}
    strategy = spec.get("strategy") if isinstance(spec.get("strategy"), dict) else {}
    kind = strategy.get("type") or "RollingUpdate"
    live = [p for p in pods if p.node is not None or p.pending_reason]
    replicas = len(live)
    ready = startup_seconds(live, _int(spec.get("minReadySeconds"), 0))
    gone = exit_seconds(live[0].spec) if live else 0.0
    ns = obj.namespace
    template = obj.get("spec", "template")
    new_rs = f"{obj.name}-{naming.pod_template_hash({'changed': template})}"
    old_rs = live[0].owner.get("name") if live else f"{obj.name}-?"
    who = ref("Deployment", ns, obj.name)
    if kind == "Recreate":
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
        else:
            result.step(gone + ready, 0, replicas, replicas, "new pods available")
            timeline.add(gone + ready, "deployment-controller", "complete", who,
                         f"rollout complete: {replicas} new pods available; downtime {ready + gone:g} s",
                         "rollout")
        return result
    rolling = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
    surge, unavailable = fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas)
    result = Rollout(f"Deployment/{obj.name}", "RollingUpdate", replicas, surge, unavailable)
    timeline.add(0, "deployment-controller", "resolve", who,
                 f"replicas {replicas}: maxSurge {rolling.get('maxSurge', '25%')} -> {surge} (rounds up), "
                 f"maxUnavailable {rolling.get('maxUnavailable', '25%')} -> {unavailable} (rounds down): "
                 f"at most {replicas + surge} pods, at least {replicas - unavailable} available", "rollout")
    old_names = _victim_order(live)
    old_avail = sum(1 for p in live if p.ready_at is not None)
    old = replicas
    new_pending: list[float] = []          # times the new pods not yet available become so
    new_avail = created = 0
    t = 0.0
    floor = replicas - unavailable
    result.step(0, old, 0, old_avail, "start")
    for _ in range(10 * (replicas + 2)):
        changed = False
        room = replicas + surge - (old + len(new_pending) + new_avail)
        grow = min(room, replicas - len(new_pending) - new_avail)
        if grow > 0:
            names = []
            for _ in range(grow):
                created += 1
                names.append(naming.generated_name(f"{new_rs}-", ns, created))
                new_pending.append(t + ready if ready is not None else math.inf)
            total = len(new_pending) + new_avail
            timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", ns, new_rs),
                         f"scales new ReplicaSet {new_rs} up to {total}: creates {', '.join(names)}", "rollout")
            result.step(t, old, total, old_avail + new_avail, f"new ReplicaSet up to {total}")
            changed = True
        # rolling.go reconcileOldReplicaSets: unhealthy old pods first, within
        # maxScaledDown = all pods - minAvailable - unavailable new pods; then healthy ones
        # while the available pods stay at or above minAvailable.
        unhealthy = old - old_avail
        budget = old + len(new_pending) + new_avail - floor - len(new_pending)
        drop_sick = max(0, min(unhealthy, budget))
        drop_ok = max(0, min(old_avail, old_avail + new_avail - floor))
        can_drop = drop_sick + drop_ok
        if can_drop > 0:
            victims, old_names = old_names[:can_drop], old_names[can_drop:]
            old -= can_drop
            old_avail -= drop_ok
            timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", ns, old_rs),
                         f"scales old ReplicaSet {old_rs} down to {old}: deletes {', '.join(victims)} "
                         f"(gone about {gone:g} s later)", "rollout")
            result.step(t, old, len(new_pending) + new_avail, old_avail + new_avail,
                        f"old ReplicaSet down to {old}")
            changed = True
        if old == 0 and not new_pending and new_avail == replicas:
            timeline.add(t, "deployment-controller", "complete", who,
                         f"rollout complete: {replicas} new pods available", "rollout")
            break
        if changed:
            continue
        upcoming = [x for x in new_pending if x > t]
        if not upcoming or math.isinf(min(upcoming)):
            timeline.problem(f"Deployment/{obj.name}", "the rollout stalls: new pods never become "
                             f"available; after progressDeadlineSeconds "
                             f"({spec.get('progressDeadlineSeconds', 600)} s) the Deployment reports "
                             "Progressing=False (ProgressDeadlineExceeded) and old pods keep serving")
            break
        t = min(upcoming)
        became = sum(1 for x in new_pending if x <= t)
        new_pending = [x for x in new_pending if x > t]
        new_avail += became
        timeline.add(t, "kubelet", "ready", ref("ReplicaSet", ns, new_rs),
                     f"{became} new pod(s) Ready and available ({new_avail} of {replicas})", "rollout")
        result.step(t, old, len(new_pending) + new_avail, old_avail + new_avail,
                    f"{became} new pod(s) available")
    return result


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


def statefulset(world: World, obj: Any, pods: list[Pod], timeline: Timeline) -> Rollout:
    spec = obj.get("spec", default={}) or {}
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    kind = strategy.get("type") or "RollingUpdate"
    rolling = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
    partition = _int(rolling.get("partition"), 0)
    live = sorted((p for p in pods if p.ordinal is not None), key=lambda p: p.ordinal or 0)
    replicas = len(live)
    result = Rollout(f"StatefulSet/{obj.name}", kind, replicas, None, 1, partition=partition)
    ready = startup_seconds(live, _int(spec.get("minReadySeconds"), 0))
    gone = exit_seconds(live[0].spec) if live else 0.0
    available = sum(1 for p in live if p.ready_at is not None)
    result.step(0, replicas, 0, available, "start")
    who = ref("StatefulSet", obj.namespace, obj.name)
    if kind == "OnDelete":
        timeline.add(0, "statefulset-controller", "update", who, "updateStrategy OnDelete: pods keep the "
                     "old template until someone deletes them; each deleted pod comes back updated", "rollout")
        return result
    t, old, new = 0.0, replicas, 0
    for pod in reversed(live):
        if (pod.ordinal or 0) < partition:
            timeline.add(t, "statefulset-controller", "keep", ref("Pod", obj.namespace, pod.name),
                         f"{pod.name} keeps the old revision (ordinal < partition {partition})", "rollout")
            continue
        timeline.add(t, "statefulset-controller", "delete", ref("Pod", obj.namespace, pod.name),
                     f"deletes {pod.name} (highest ordinal not yet updated)", "rollout")
        old -= 1
        available -= 1
        result.step(t, old, new, available, f"{pod.name} deleted")
        t += gone
        timeline.add(t, "statefulset-controller", "create-pod", ref("Pod", obj.namespace, pod.name),
                     f"old {pod.name} is gone; creates {pod.name} again with the new revision", "rollout")
        new += 1
        result.step(t, old, new, available, f"{pod.name} recreated")
        if ready is None:
            timeline.problem(f"StatefulSet/{obj.name}", f"the rollout stops at {pod.name}: the new pod "
                             "never becomes Ready, so lower ordinals are not updated")
            return result
        t += ready
        available += 1
        timeline.add(t, "kubelet", "ready", ref("Pod", obj.namespace, pod.name), f"{pod.name} is Ready "
                     "with the new revision", "rollout")
        result.step(t, old, new, available, f"{pod.name} Ready")
    timeline.add(t, "statefulset-controller", "complete", who,
                 f"rollout done: {new} updated, {old} kept below partition {partition}", "rollout")
    return result


def daemonset(world: World, obj: Any, pods: list[Pod], timeline: Timeline) -> Rollout:
    spec = obj.get("spec", default={}) or {}
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    kind = strategy.get("type") or "RollingUpdate"
    rolling = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
    live = [p for p in pods if p.node is not None]
    count = len(live)
    surge = resolve(rolling.get("maxSurge"), count, True, "0")
    unavailable = resolve(rolling.get("maxUnavailable"), count, True, "1")   # rounds up (§7.3)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    result = Rollout(f"DaemonSet/{obj.name}", kind, count, surge, unavailable)
    ready = startup_seconds(live, _int(spec.get("minReadySeconds"), 0)) or 0.0
    gone = exit_seconds(live[0].spec) if live else 0.0
    available = sum(1 for p in live if p.ready_at is not None)
    result.step(0, count, 0, available, "start")
    if kind == "OnDelete":
        timeline.add(0, "daemonset-controller", "update", ref("DaemonSet", obj.namespace, obj.name),
                     "updateStrategy OnDelete: pods change only when deleted by hand", "rollout")
        return result
    t, old, new = 0.0, count, 0
    batch = surge if surge else unavailable
    for start in range(0, count, max(batch, 1)):
        group = live[start:start + max(batch, 1)]
        nodes = ", ".join(p.node or "?" for p in group)
        if surge:
            timeline.add(t, "daemonset-controller", "surge", ref("DaemonSet", obj.namespace, obj.name),
                         f"creates new pods on {nodes} beside the old ones (maxSurge {surge})", "rollout")
            new += len(group)
            result.step(t, old, new, available, f"new pods on {nodes}")
            t += ready
            available += len(group)
            old -= len(group)
            available -= len(group)
            result.step(t, old, new, available, f"new pods Ready on {nodes}; old ones deleted")
        else:
            timeline.add(t, "daemonset-controller", "delete", ref("DaemonSet", obj.namespace, obj.name),
                         f"deletes the old pods on {nodes} (maxUnavailable {unavailable})", "rollout")
            old -= len(group)
            available -= len(group)
            result.step(t, old, new, available, f"old pods deleted on {nodes}")
            t += gone
            new += len(group)
            result.step(t, old, new, available, f"new pods created on {nodes}")
            t += ready
            available += len(group)
            result.step(t, old, new, available, f"new pods Ready on {nodes}")
    return result


def rollout(world: World, targets: list, controllers: dict, timeline: Timeline) -> None:
    timeline.assume("Rollout: the pod template changes at t=0; new pods take as long to become "
                    "available as the first pods did at apply and fit on the nodes; old pods exit "
                    "as soon as they get SIGTERM.")
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
