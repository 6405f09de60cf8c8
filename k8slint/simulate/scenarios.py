"""Scenarios after the apply: delete, rollout, scale (`--replicas N`)."""

from __future__ import annotations

from typing import Any

from . import naming
from .rollout import _victim_order, exit_seconds, rollout, startup_seconds
from .termination import delete, stop_pod
from .timeline import Timeline, ref
from .world import World

__all__ = ["delete", "rollout", "scale"]

SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")


def scale(world: World, targets: list, controllers: dict, replicas: int, timeline: Timeline) -> None:
    """Which pods are added or removed, in which order, for each scalable target."""
    timeline.assume("Scale at t=0 (a new `replicas`); new pods take as long to become Ready as "
                    "the first ones did at apply; removed pods exit as soon as they get SIGTERM.")
    done = False
    for obj in targets:
        if obj.kind not in SCALABLE:
            continue
        done = True
        pods = [p for p in world.pods if p.workload is obj]
        current = len(pods)
        ns = obj.namespace
        who = ref(obj.kind, ns, obj.name)
        entry: dict[str, Any] = {"object": f"{obj.kind}/{obj.name}", "from": current, "to": replicas,
                                 "added": [], "removed": []}
        ready = startup_seconds(pods, 0)
        if obj.kind == "StatefulSet":
            _scale_statefulset(world, obj, pods, replicas, ready, entry, timeline)
        elif replicas > current:
            rs = pods[0].owner.get("name") if pods else obj.name
            timeline.add(0, "replicaset-controller", "scale", who,
                         f"{obj.kind} {obj.name}: {current} -> {replicas}: creates {replicas - current} "
                         f"pods at once", "controllers")
            for i in range(replicas - current):
                name = naming.generated_name(f"{rs}-", ns, "scale", i)
                entry["added"].append(name)
                timeline.add(0, "replicaset-controller", "create-pod", ref("Pod", ns, name),
                             f"creates pod {name}", "controllers")
                if ready is not None:
                    timeline.add(ready, "kubelet", "ready", ref("Pod", ns, name), f"{name} is Ready "
                                 "and joins the Service endpoints", "containers")
        elif replicas < current:
            victims = _victim_order(pods)[:current - replicas]
            timeline.add(0, "replicaset-controller", "scale", who,
                         f"{obj.kind} {obj.name}: {current} -> {replicas}: deletes {len(victims)} pods, "
                         "chosen by the ReplicaSet ranking (unscheduled, not ready, crowded nodes, most "
                         "recently ready, newest first)", "controllers")
            by_name = {p.name: p for p in pods}
            for name in victims:
                entry["removed"].append(name)
                timeline.terminations.append(stop_pod(world, by_name[name], 0.0, timeline, "scale down"))
        timeline.scale.append(entry)
    if not done:
        timeline.problem("input", "nothing to scale: only Deployment, ReplicaSet, "
                         "ReplicationController and StatefulSet have replicas")
    timeline.pods = [p for p in world.pods if any(p.workload is o for o in targets)]
    timeline.services = list(world.services)


def _scale_statefulset(world: World, obj: Any, pods: list, replicas: int, ready: float | None,
                       entry: dict, timeline: Timeline) -> None:
    """OrderedReady: up one ordinal at a time after the previous is Ready; down from the
    highest ordinal, each fully gone before the next (k8s-semantics.md §8, §9). Parallel:
    all at once."""
    ns = obj.namespace
    parallel = obj.get("spec", "podManagementPolicy") == "Parallel"
    ordinals = sorted(p.ordinal for p in pods if p.ordinal is not None)
    current = len(ordinals)
    nxt = (ordinals[-1] + 1) if ordinals else 0
    t = 0.0
    if replicas > current:
        for i in range(replicas - current):
            name = f"{obj.name}-{nxt + i}"
            entry["added"].append(name)
            timeline.add(t, "statefulset-controller", "create-pod", ref("Pod", ns, name),
                         f"creates {name}" + ("" if parallel or i == 0 else " after the previous ordinal is Ready"),
                         "controllers")
            if ready is None:
                timeline.problem(f"StatefulSet/{obj.name}", f"{name} never becomes Ready: later ordinals wait")
                break
            if not parallel:
                t += ready
                timeline.add(t, "kubelet", "ready", ref("Pod", ns, name), f"{name} is Ready", "containers")
        return
    gone = exit_seconds(pods[0].spec) if pods else 0.0
    by_ordinal = {p.ordinal: p for p in pods}
    for ordinal in reversed(ordinals[replicas:]):
        pod = by_ordinal[ordinal]
        entry["removed"].append(pod.name)
        timeline.terminations.append(stop_pod(world, pod, t, timeline, "scale down (highest ordinal first)"))
        if not parallel:
            t += gone
