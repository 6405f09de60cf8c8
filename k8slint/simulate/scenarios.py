"""Scenarios after the apply: delete, rollout, scale (`--replicas N`, as `kubectl scale`:
staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go writes spec.replicas); drain and cron live
in drain.py and cron.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..graph import Graph, Object
from ..i18n import _
from .controllers import Controller, DeploymentController, ReplicaSetController, StatefulSetController, count
from .rollout import rollout, victim_order
from .termination import budgets_ignored, delete, gone_seconds, stop_pod
from .timeline import JSON, Pod, Timeline, ref
from .world import World

__all__ = ["delete", "rollout", "scale"]

SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")
HPA_SYNC_SECONDS = 15        # --horizontal-pod-autoscaler-sync-period default


def scale(world: World, targets: list[Object], replicas: int, timeline: Timeline,
          controllers: Mapping[int, Controller] | None = None) -> None:
    """Which pods are added or removed, in which order, for each scalable target. Added pods
    are created by the workload's own controller on the world's clock, so they are scheduled
    and started as at apply."""
    timeline.assume(_("Scale at t=0 (`kubectl scale --replicas N`); added pods are scheduled and started as at "
                      "apply (images already on a node are reused); removed pods exit 1 s after SIGTERM."))
    done = False
    for obj in targets:
        if obj.kind not in SCALABLE:
            continue
        done = True
        pods = [p for p in world.pods if p.workload is obj and p.deleted_at is None]
        entry: JSON = {"object": f"{obj.kind}/{obj.name}", "from": len(pods), "to": replicas,
                       "added": [], "removed": []}
        timeline.add(0, "kubectl", "scale", ref(obj.kind, obj.namespace, obj.name),
                     _("{command}: the API server stores replicas {replicas} (was {old})").format(
                         command=f"kubectl scale {obj.kind.lower()}/{obj.name} --replicas {replicas}",
                         replicas=replicas, old=len(pods)), "controllers")
        controller = (controllers or {}).get(id(obj))
        before = set(map(id, world.pods))
        if obj.kind == "StatefulSet":
            scale_statefulset(world, obj, pods, replicas, entry, timeline, controller)
        else:
            scale_replicaset(world, obj, pods, replicas, entry, timeline, controller)
        world.run()
        entry["added"] += [p.name for p in world.pods if id(p) not in before and p.workload is obj]
        hpa_override(world.graph, obj, replicas, timeline)
        if entry["removed"]:
            budgets_ignored(world.graph, [p for p in pods if p.name in entry["removed"]], timeline)
        timeline.scale.append(entry)
    if not done:
        timeline.problem("input", _("nothing to scale: only Deployment, ReplicaSet, ReplicationController and "
                                    "StatefulSet have replicas"))
    timeline.pods = [p for p in world.pods if any(p.workload is o for o in targets)]
    timeline.services = list(world.services)


def scale_replicaset(world: World, obj: Object, pods: list[Pod], replicas: int, entry: JSON,
                     timeline: Timeline, controller: Controller | None = None) -> None:
    """A Deployment's new replicas go to its ReplicaSet (deployment controller, sync.go scale);
    the replicaset controller creates pods at once or deletes the lowest-ranked ones
    (replica_set.go manageReplicas, controller_utils.go ActivePods)."""
    ns, current = obj.namespace, len(pods)
    rs = pods[0].owner_name if pods else obj.name
    if obj.kind == "Deployment":
        timeline.add(0, "deployment-controller", "scale", ref("ReplicaSet", ns, rs),
                     _("Deployment {deployment}: scales ReplicaSet {replicaset} from {old} to {new}").format(
                         deployment=obj.name, replicaset=rs, old=current, new=replicas),
                     "controllers")
    if isinstance(controller, DeploymentController):
        controller = controller.rs
    if replicas > current and isinstance(controller, ReplicaSetController):
        controller.scale(replicas, 0.0, _(" (ReplicaSet {replicaset} has {old} of {new})").format(
            replicaset=rs, old=current, new=replicas))
    elif replicas < current:
        victims = victim_order(pods)[:current - replicas]
        for pod in victims:
            entry["removed"].append(pod.name)
            timeline.add(0, "replicaset-controller", "delete-pod", ref("Pod", ns, pod.name),
                         _("deletes pod {pod}: ranked first for removal (unscheduled, not ready, crowded node, "
                           "most recently ready, newest go first)").format(pod=pod.name), "controllers")
            timeline.terminations.append(stop_pod(world, pod, 0.0, timeline, _("scale down")))


def scale_statefulset(world: World, obj: Object, pods: list[Pod], replicas: int, entry: JSON,
                      timeline: Timeline, controller: Controller | None = None) -> None:
    """OrderedReady: up one ordinal at a time, each after the previous is Available (Ready
    for minReadySeconds; processReplica, done by StatefulSetController on the world's clock);
    down from the highest ordinal, each deleted only when the one before is gone: its
    containers have exited and the pod object is removed (stateful_set_control.go
    processCondemned: "waiting for Pod to Terminate prior to scale down"). Parallel: all at
    once."""
    ns = obj.namespace
    parallel = obj.get("spec", "podManagementPolicy") == "Parallel"
    ordinals = sorted(p.ordinal for p in pods if p.ordinal is not None)
    if replicas > len(ordinals):
        if isinstance(controller, StatefulSetController):
            controller.scale(replicas, 0.0, "")
        return
    t = 0.0
    by_ordinal = {p.ordinal: p for p in pods}
    for ordinal in reversed(ordinals[replicas:]):
        pod = by_ordinal[ordinal]
        entry["removed"].append(pod.name)
        text = _("deletes {pod}, the highest ordinal left") if parallel or t == 0 else \
            _("deletes {pod}, the highest ordinal left (the previous one is gone: OrderedReady deletes one at a time)")
        timeline.add(t, "statefulset-controller", "delete", ref("Pod", ns, pod.name), text.format(pod=pod.name),
                     "controllers")
        stop = stop_pod(world, pod, t, timeline, _("scale down (highest ordinal first)"))
        timeline.terminations.append(stop)
        if not parallel:            # the next once this pod object is gone (at once with grace 0)
            t = pod.gone_at if pod.gone_at is not None else t + gone_seconds(pod.spec)


def hpa_override(graph: Graph | None, obj: Object, replicas: int, timeline: Timeline) -> None:
    """A HorizontalPodAutoscaler owns the replicas of its target: at its next sync it sets them
    from its metrics, within minReplicas..maxReplicas (pkg/controller/podautoscaler/
    horizontal.go reconcileAutoscaler), so a manual scale does not last."""
    for hpa in graph.of_kind("HorizontalPodAutoscaler") if graph is not None else []:
        target: Any = hpa.get("spec", "scaleTargetRef", default={}) or {}
        if hpa.namespace != obj.namespace or target.get("kind") != obj.kind or target.get("name") != obj.name:
            continue
        low = count(hpa.get("spec", "minReplicas"), 1)
        high = count(hpa.get("spec", "maxReplicas"), replicas)
        clamp = min(max(replicas, low), high)
        if clamp != replicas:
            text = _("HorizontalPodAutoscaler {hpa} manages {object}: at its next sync (every {seconds} s) it sets "
                     "replicas to {clamp} (the nearest value within minReplicas {low}..maxReplicas {high}); the "
                     "manual scale to {replicas} does not last. Change minReplicas/maxReplicas instead.")
        else:
            text = _("HorizontalPodAutoscaler {hpa} manages {object}: at its next sync (every {seconds} s) it "
                     "recomputes replicas from its metrics, within minReplicas {low}..maxReplicas {high}; the "
                     "manual scale to {replicas} does not last. Change minReplicas/maxReplicas instead.")
        timeline.add(HPA_SYNC_SECONDS, "horizontal-pod-autoscaler", "override",
                     ref(obj.kind, obj.namespace, obj.name),
                     text.format(hpa=hpa.name, object=f"{obj.kind}/{obj.name}", seconds=HPA_SYNC_SECONDS,
                                 clamp=clamp, low=low, high=high, replicas=replicas), "controllers")
        timeline.problem(f"{obj.kind}/{obj.name}", _("is scaled by HorizontalPodAutoscaler {hpa}: `kubectl scale` "
                                                     "to {replicas} is overridden within {seconds} s").format(
                             hpa=hpa.name, replicas=replicas, seconds=HPA_SYNC_SECONDS))
