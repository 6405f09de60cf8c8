"""Scenario `drain --node N`: what `kubectl drain` does and how PodDisruptionBudgets gate it.

kubectl drain (staging/src/k8s.io/kubectl/pkg/drain/): cordons the node (spec.unschedulable:
the scheduler places nothing new there), skips DaemonSet pods (--ignore-daemonsets; their
controller would put them right back), refuses bare pods unless --force, then asks the
eviction API to evict every other pod. An eviction refused with 429 (the budget allows no
disruption now) is retried every 5 s (drain.go evictPods: "will retry after 5s") until it
succeeds or --timeout passes (no limit by default). Each evicted pod is deleted gracefully;
its controller creates a replacement on another node, and once that one is Ready the budget
allows the next eviction. The arithmetic of the budgets is k8slint/k8s/pdb.py. Deletes
and scale-downs do not go through the eviction API: budgets never stop them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from ..errors import InputError
from ..graph import Object, object_selector
from ..i18n import N_, _
from ..k8s import pdb
from .controllers import Controller, DeploymentController, ReplicaSetController, StatefulSetController
from .termination import stop_pod
from .timeline import JSON, Pod, Timeline, ref
from .world import World

if TYPE_CHECKING:
    from .cluster import Node

RETRY_SECONDS = 5.0
HORIZON_SECONDS = 900.0


def drain(world: World, node_name: str, controllers: dict[int, Controller], timeline: Timeline) -> None:
    node = next((n for n in world.nodes if n.name == node_name), None)
    if node is None:
        raise InputError(_("--node {node}: no such node (nodes: {nodes})").format(
            node=node_name, nodes=", ".join(n.name for n in world.nodes)))
    timeline.assume(_("Drain at t=0 as `kubectl drain NODE --ignore-daemonsets`: evictions are retried every "
                      "{seconds} s; replacements take as long to become Ready as the first pods did at apply; "
                      "evicted pods exit 1 s after SIGTERM.").format(seconds=f"{RETRY_SECONDS:g}"))
    node.unschedulable = True
    who = ref("Node", None, node.name)
    timeline.add(0, "kubectl", "cordon", who, _("cordons {node} (spec.unschedulable: true): the scheduler places "
                                               "no new pod there").format(node=node.name), "scheduling")
    budgets = [o for o in (world.graph.of_kind("PodDisruptionBudget") if world.graph else [])]
    victims = []
    for pod in [p for p in world.pods if p.node == node.name and p.deleted_at is None]:
        if pod.finished_at is not None or pod.failed_at is not None:
            continue
        if pod.owner_kind == "DaemonSet":
            timeline.add(0, "kubectl", "skip", ref("Pod", pod.namespace, pod.name),
                         _("skips {pod}: a DaemonSet pod (--ignore-daemonsets); it keeps running").format(pod=pod.name),
                         "termination")
        elif pod.owner.get("kind") is None:
            timeline.add(0, "kubectl", "skip", ref("Pod", pod.namespace, pod.name),
                         _("refuses to drain bare pod {pod} without --force (nothing would recreate it); the "
                           "drain stops here until you add --force or delete it").format(pod=pod.name), "termination")
            timeline.problem(f"Pod/{pod.name}", _("blocks `kubectl drain {node}`: a pod without a controller needs "
                                                  "--force, and is then lost").format(node=node.name))
        else:
            victims.append(pod)
    scales: dict[int, int] = {}
    for pod in world.pods:
        if pod.workload is not None and pod.deleted_at is None and pod.finished_at is None:
            scales[id(pod.workload)] = scales.get(id(pod.workload), 0) + 1
    context = Drain(world, budgets, controllers, timeline, scales)
    for budget_obj in budgets:
        status, entry = status_of(context, budget_obj, 0.0)
        if status is not None:
            timeline.add(0, "disruption-controller", "budget",
                         ref("PodDisruptionBudget", budget_obj.namespace, budget_obj.name),
                         f"PodDisruptionBudget {budget_obj.name}: {entry['why']}", "termination")
    for pod in victims:
        world.at(0, partial(_first_try, context, pod))
    world.run(horizon=HORIZON_SECONDS)
    left = [p for p in victims if p.deleted_at is None]
    if left:
        timeline.problem(f"Node/{node.name}", _(
            "the drain never finishes: {pods} still cannot be evicted after {seconds} s (their budget allows no "
            "disruption); kubectl drain keeps retrying until --timeout").format(
                pods=", ".join(p.name for p in left), seconds=f"{HORIZON_SECONDS:g}"))
    timeline.pods = list(world.pods)
    timeline.services = list(world.services)


def _selected(budget_obj: Object, pod: Pod) -> bool:
    selector = object_selector(budget_obj)
    return budget_obj.namespace == pod.namespace and selector is not None and selector.matches(pod.labels)


@dataclass
class Drain:
    world: World
    budgets: list[Object]
    controllers: dict[int, Controller]
    timeline: Timeline
    scales: dict[int, int]           # id(workload) -> its spec.replicas (pods when the drain starts)


def status_of(drain: Drain, budget_obj: Object, t: float) -> tuple[pdb.Budget | None, JSON]:
    """The budget's status at t (disruption.go), from the pods alive then."""
    pods = [p for p in drain.world.pods if p.deleted_at is None and p.finished_at is None
            and p.failed_at is None and _selected(budget_obj, p)]
    healthy = sum(1 for p in pods if p.ready_at is not None and p.ready_at <= t)
    owners = {id(p.workload) for p in pods if p.workload is not None and p.owner.get("kind")}
    scale = sum(drain.scales.get(owner, 0) for owner in owners)
    spec = budget_obj.get("spec", default={}) or {}
    status = pdb.budget(spec, len(pods), healthy, scale)
    entry: JSON = {"pdb": f"{budget_obj.namespace}/{budget_obj.name}", "t": t, "selected": len(pods),
                   "healthy": healthy}
    if status is not None:
        entry.update(expected=status.expected_pods, desired_healthy=status.desired_healthy,
                     disruptions_allowed=status.disruptions_allowed, why=budget_arithmetic(spec, status))
    return status, entry


def budget_arithmetic(spec: JSON, status: pdb.Budget) -> str:
    """k8s/pdb.py describe() in the output language: the budget's arithmetic in one sentence."""
    if spec.get("maxUnavailable") is not None:
        how = _("maxUnavailable {value} of {expected} expected pods (percentages round up): desiredHealthy "
                "{desired}").format(value=spec["maxUnavailable"], expected=status.expected_pods,
                                    desired=status.desired_healthy)
    elif spec.get("minAvailable") is not None:
        how = _("minAvailable {value}: desiredHealthy {desired}").format(value=spec["minAvailable"],
                                                                         desired=status.desired_healthy)
    else:
        how = _("neither minAvailable nor maxUnavailable: expected pods 0, so no eviction is ever allowed")
    return _("{how}; currentHealthy {current} -> disruptionsAllowed {allowed}").format(
        how=how, current=status.current_healthy, allowed=status.disruptions_allowed)


def _first_try(drain: Drain, pod: Pod, t: float) -> None:
    evict(drain, pod, t, 0)


def evict(drain: Drain, pod: Pod, t: float, tries: int) -> None:
    """One eviction request (pkg/registry/core/pod/storage/eviction.go)."""
    world, timeline = drain.world, drain.timeline
    if pod.deleted_at is not None:
        return
    mine = [b for b in drain.budgets if _selected(b, pod)]
    status, entry = status_of(drain, mine[0], t) if mine else (None, {})
    ready = pod.ready_at is not None and pod.ready_at <= t
    answer = pdb.evict(status, running=pod.node is not None, ready=ready,
                       policy=str((mine[0].get("spec", default={}) or {}).get("unhealthyPodEvictionPolicy")
                                  or "IfHealthyBudget") if mine else "IfHealthyBudget", budgets=len(mine))
    where = ref("Pod", pod.namespace, pod.name)
    guard = f" (PodDisruptionBudget {mine[0].name}: {entry.get('why', '')})" if mine else ""
    if entry:
        timeline.disruptions.append({**entry, "pod": pod.name, "allowed": answer.allowed})
    if not answer.allowed:
        retry = answer.status == 429
        then = _("kubectl retries in {seconds} s").format(seconds=f"{RETRY_SECONDS:g}") if retry else \
            _("kubectl drain stops")
        timeline.add(t, "kube-apiserver", "evict-refused", where,
                     _("refuses to evict {pod} ({status}): {message}{budget}; {then}").format(
                         pod=pod.name, status=answer.status, message=answer.message, budget=guard, then=then),
                     "termination")
        if retry and tries < int(HORIZON_SECONDS / RETRY_SECONDS):
            world.at(t + RETRY_SECONDS, lambda now: evict(drain, pod, now, tries + 1))
        return
    if tries == 0:
        timeline.add(t, "kubectl", "evict", where, _("asks the eviction API to evict {pod}").format(pod=pod.name),
                     "termination")
    timeline.add(t, "kube-apiserver", "evict", where, _evicts(answer.message, pod.name) + guard, "termination")
    timeline.terminations.append(stop_pod(world, pod, t, timeline, _("evicted by the drain")))
    _replace(world, pod, drain.controllers, t)


# The eviction API's answers that let a pod go (k8s/pdb.py evict), as sentences about the pod.
_EVICTED = {"evicted": N_("evicts {pod}"), "evicted (no budget applies)": N_("evicts {pod} (no budget applies)"),
            "evicted (the pod is not Running: budgets do not apply)":
                N_("evicts {pod} (the pod is not Running: budgets do not apply)")}
_NOT_READY = re.compile(r"evicted \(not Ready; unhealthyPodEvictionPolicy (\w+)\)")


def _evicts(message: str, pod: str) -> str:
    """`evicts <pod> (...)` for the eviction API's answer `evicted (...)`."""
    if message in _EVICTED:
        return _(_EVICTED[message]).format(pod=pod)
    match = _NOT_READY.fullmatch(message)
    if match:
        return _("evicts {pod} (not Ready; unhealthyPodEvictionPolicy {policy})").format(pod=pod,
                                                                                         policy=match.group(1))
    return message.replace("evicted", "evicts " + pod, 1)


def _replace(world: World, pod: Pod, controllers: dict[int, Controller], t: float) -> None:
    """The pod's controller makes up for it: at once for a ReplicaSet, after the old pod is
    gone for a StatefulSet (same name)."""
    controller = controllers.get(id(pod.workload)) if pod.workload is not None else None
    if isinstance(controller, DeploymentController):
        controller = controller.rs
    if isinstance(controller, ReplicaSetController):
        live = [p for p in controller.pods if p.deleted_at is None]
        controller.scale(len(live) + 1, t, _(" (replaces an evicted pod)"))
    elif isinstance(controller, StatefulSetController):
        # processReplica recreates the ordinal once the old object is gone (at once with grace 0)
        world.at(pod.gone_at if pod.gone_at is not None else t, lambda now: controller.replace(pod, now))


def cordoned(node: Node) -> bool:
    return node.unschedulable
