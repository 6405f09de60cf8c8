"""What a changed workload does to its running pods: a rollout, an in-place restart, a
scale, or nothing.

Sources: pkg/controller/deployment/rolling.go (reconcileNewReplicaSet, reconcileOldReplicaSets)
with the fenceposts of k8slint.k8s.rollout; pkg/controller/statefulset/stateful_set_control.go
(updateStatefulSet: highest ordinal first, one at a time, ordinals below the partition kept;
OnDelete waits for deletions); pkg/controller/daemon/update.go (rollingUpdate: maxUnavailable
nodes at a time, or maxSurge new pods beside the old); pkg/controller/replicaset (a ReplicaSet
never replaces running pods for a new template); pkg/kubelet/kuberuntime/kuberuntime_manager.go
computePodActions (a Pod's changed container image restarts that container in place).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..graph import Object
from ..k8s.kinds import BUILTIN_GROUPS
from ..k8s.rollout import fenceposts, scaled
from ..model import Path, Severity
from .emit import Context
from .model import FieldChange, ObjectChange, describe

_NEW_PODS_ONLY = ("livenessProbe", "readinessProbe", "startupProbe", "resources")


class Outcome(NamedTuple):
    """What a template change does: the message, its risk, a severity override, and whether the
    running pods are replaced now."""

    message: str
    risk: str
    severity: Severity | None = None
    replaces: bool = True


def count(value: Any, default: int, least: int = 0) -> int:
    """A count field (replicas, partition, ordinal): an int of at least `least`, else `default`."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= least else default


def template_path(obj: Object) -> Path | None:
    template = obj.pod_template
    return None if template is None or obj.kind == "Pod" else template.path


def split_fields(change: ObjectChange) -> tuple[list[FieldChange], list[FieldChange]]:
    """(fields inside the pod template, fields outside it)."""
    assert change.new is not None
    path = template_path(change.new)
    inside: list[FieldChange] = []
    outside: list[FieldChange] = []
    for f in change.fields:
        where = f.path if f.path is not None else f.old_path
        (inside if path is not None and where is not None and where[:len(path)] == path else outside).append(f)
    return inside, outside


def template_changed(change: ObjectChange, ctx: Context, inside: list[FieldChange], cause: str) -> None:
    """The consequence of a changed pod template, by kind."""
    new = change.new
    assert new is not None
    what = "; ".join(describe(f, 30) for f in inside[:2]) + (f"; +{len(inside) - 2} more" if len(inside) > 2 else "")
    head = f"{'Pod spec' if new.kind == 'Pod' else 'Pod template'} changed ({what}{cause})"
    where = inside[0].path or inside[0].old_path or ()
    handler = _BY_KIND.get(new.kind) if new.group in BUILTIN_GROUPS else None
    if handler is None:
        ctx.emit.say(change, "change-rollout", new, where, f"{head}. {new.kind} is a custom resource: what happens "
                     "to its pods is up to its operator", "medium")
        return
    replicas, scaler = replicas_of(new), ""
    hpa = ctx.hpa_for(new)
    if hpa is not None and new.get("spec", "replicas") is None:
        low = hpa.get("spec", "minReplicas", default=1)
        replicas = count(low, 1, least=1)
        scaler = (f". HorizontalPodAutoscaler/{hpa.name} sets {replicas}..{hpa.get('spec', 'maxReplicas')} replicas; "
                  f"the numbers are for {replicas}")
    outcome = handler(new, replicas, inside)
    if outcome.replaces:
        ctx.extra.setdefault("rolling", set()).add(id(new))
    note = scaler + _new_pods_only(inside)
    ctx.emit.say(change, "change-rollout", new, where, f"{head}: {outcome.message}{note}", outcome.risk,
                 severity=outcome.severity)


def _new_pods_only(inside: list[FieldChange]) -> str:
    if any(any(step in _NEW_PODS_ONLY for step in (f.path or f.old_path or ())) for f in inside):
        return ". Changed probes and resources take effect only in the new pods"
    return ""


def replicas_of(obj: Object) -> int:
    return count(obj.get("spec", "replicas"), 1)


def _deployment(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    strategy = obj.get("spec", "strategy", default={}) or {}
    kind = strategy.get("type", "RollingUpdate") if isinstance(strategy, dict) else "RollingUpdate"
    if replicas == 0:
        return Outcome("no pod restarts, replicas is 0", "none", replaces=False)
    if kind == "Recreate":
        return Outcome(f"all {replicas} pods stop before {replicas} new ones start. Strategy Recreate: no pod serves "
                       "until the new ones are ready", "high", Severity.WARNING)
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    rolling = rolling if isinstance(rolling, dict) else {}
    raw_surge, raw_unavailable = rolling.get("maxSurge", "25%"), rolling.get("maxUnavailable", "25%")
    posts = fenceposts(raw_surge, raw_unavailable, replicas)
    if posts is None:
        return Outcome(f"a rolling update replaces {replicas} pods (maxSurge/maxUnavailable unreadable)", "medium")
    surge, unavailable = posts
    create, delete = min(surge, replicas), min(unavailable, replicas)
    first = f"the first step creates {create} new pod(s)" + (f" and deletes {delete} old one(s)" if delete
                                                             else "; old pods go only as new ones become available")
    message = (f"a rolling update replaces all {replicas} pod(s). At most {replicas + surge} pods run at once "
               f"(maxSurge {_budget(raw_surge, surge)}) and at least {replicas - unavailable} stay available "
               f"(maxUnavailable {_budget(raw_unavailable, unavailable)}); {first}")
    if replicas - unavailable <= 0:
        return Outcome(message + "; every old pod may be gone before a new one is ready", "high", Severity.WARNING)
    return Outcome(message, "low")


def _budget(raw: Any, pods: int) -> str:
    """`25% -> 3` for a percentage, `1` for a number of pods."""
    return f"{raw} -> {pods}" if isinstance(raw, str) or raw != pods else str(pods)


def _pod_names(obj: Object, ordinals: list[int]) -> str:
    names = [f"{obj.name}-{i}" for i in ordinals]
    return ", ".join(names) if len(names) <= 5 else f"{names[0]}, {names[1]} … {names[-1]} ({len(names)} pods)"


def _update_strategy(obj: Object) -> tuple[str, dict[str, Any]]:
    """(type, rollingUpdate) of a StatefulSet's or DaemonSet's updateStrategy."""
    strategy = obj.get("spec", "updateStrategy", default={}) or {}
    kind = strategy.get("type", "RollingUpdate") if isinstance(strategy, dict) else "RollingUpdate"
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    return kind, rolling if isinstance(rolling, dict) else {}


def _statefulset(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    kind, rolling = _update_strategy(obj)
    if kind == "OnDelete":
        return Outcome(_on_delete(obj), "low", replaces=False)
    partition = count(rolling.get("partition"), 0)
    start = count(obj.get("spec", "ordinals", "start"), 0)
    if replicas == 0:
        return Outcome("no pod restarts, replicas is 0", "none", replaces=False)
    updated = [start + i for i in range(replicas - 1, -1, -1) if i >= partition]
    kept = [start + i for i in range(replicas) if i < partition]
    if not updated:
        return Outcome(f"no pod is updated: partition {partition} is not below replicas {replicas}. The pods change "
                       "when the partition is lowered", "none", replaces=False)
    if len(updated) == 1:
        message = (f"{_pod_names(obj, updated)} is replaced. The StatefulSet controller deletes it and creates it "
                   "again with the new template")
    else:
        message = (f"{_pod_names(obj, updated)} are replaced one at a time. The StatefulSet controller deletes and "
                   "re-creates them highest ordinal first, each after the previous new pod is Ready")
    if kept:
        message += f"; {_pod_names(obj, kept)} keep the old template (partition {partition})"
    if rolling.get("maxUnavailable") is not None:
        message += (f" (maxUnavailable {rolling['maxUnavailable']} replaces several at once only where the "
                    "MaxUnavailableStatefulSet feature is on)")
    if len(updated) == replicas == 1:
        return Outcome(message + f"; while {obj.name}-{start} restarts no pod serves", "high", Severity.WARNING)
    return Outcome(message, "low")


def _on_delete(obj: Object) -> str:
    return (f"no pod restarts now (updateStrategy OnDelete). Each pod of {obj.kind}/{obj.name} gets the new "
            "template only when it is deleted (`kubectl delete pod ...`)")


def _daemonset(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    kind, rolling = _update_strategy(obj)
    if kind == "OnDelete":
        return Outcome(_on_delete(obj), "low", replaces=False)
    surge, unavailable = rolling.get("maxSurge", 0), rolling.get("maxUnavailable", 1)
    if scaled(surge, 100, True):
        return Outcome(f"the pods are replaced node by node, maxSurge {surge} {_nodes(surge)} at a time. On each "
                       "node a new pod starts beside the old one, which is deleted once the new pod is available",
                       "low")
    return Outcome(f"the pods are replaced node by node, maxUnavailable {unavailable} {_nodes(unavailable)} at a "
                   "time. On each node the old pod is deleted first, so that node runs none of its pods until the "
                   "new one is ready", "medium")


def _nodes(value: Any) -> str:
    if isinstance(value, str) and value.endswith("%"):
        return "of the nodes (rounded up)"
    return "node" if value == 1 else "nodes"


def _replicaset(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome(f"no pod restarts: a {obj.kind} does not replace running pods. Only pods it creates later (a "
                   "scale-up, a deleted pod replaced) use the new template", "low", replaces=False)


def _cronjob(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome("Jobs created from the next scheduled run use the new template. A Job already running keeps "
                   "the old one", "low", replaces=False)


def _job(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome("accepted only while the Job is suspended and has never started. Its pods get the new "
                   "scheduling directives when it resumes", "low", replaces=False)


def _pod(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    containers = sorted({f.label.split("[", 2)[1].split("]")[0] for f in inside
                         if f.label.startswith(("spec.containers[", "spec.initContainers[")) and "image" in f.label})
    if not containers:
        return Outcome("the Pod keeps running", "none", replaces=False)
    return Outcome(f"container(s) {', '.join(containers)} restart in place with the new image. The kubelet kills "
                   "and starts the container: same pod, same IP, the restart count goes up", "medium")


_BY_KIND = {"Deployment": _deployment, "StatefulSet": _statefulset, "DaemonSet": _daemonset,
            "ReplicaSet": _replicaset, "ReplicationController": _replicaset, "CronJob": _cronjob,
            "Job": _job, "Pod": _pod}


def outside_template(change: ObjectChange, ctx: Context, outside: list[FieldChange], template: bool) -> None:
    """Changes outside the pod template restart nothing; a replica change scales."""
    old, new = change.old, change.new
    assert old is not None and new is not None
    replicas = next((f for f in outside if f.label == "spec.replicas"), None)
    hpa = ctx.hpa_for(new)
    if replicas is not None and hpa is not None:
        _under_hpa(change, ctx, hpa, replicas)
    elif replicas is not None:
        _scaled(change, ctx, replicas, template)
    rest = [f for f in outside if f is not replicas]
    if rest and not template:
        shown = "; ".join(describe(f, 30) for f in rest[:3]) + (f"; +{len(rest) - 3} more" if len(rest) > 3 else "")
        where = rest[0].path or rest[0].old_path or ()
        if new.pod_template is not None and new.kind != "Pod":
            text = f"No pod restarts ({shown}): the change is outside the pod template"
        else:
            text = f"Updated in place, no pod restarts ({shown})"
        ctx.emit.say(change, "change-no-restart", new, where, text, "none")


def _scaled(change: ObjectChange, ctx: Context, field: FieldChange, template: bool) -> None:
    new = change.new
    assert new is not None
    before, after = field.old, field.new
    if not isinstance(before, int) or not isinstance(after, int):
        return
    left_out = new.get("spec", "replicas") is None
    note = ". spec.replicas is left out: kubectl apply removes it and the API server sets the default 1" \
        if left_out else ""
    if after > before:
        text = f"Scales up: {after - before} new pod(s) are created (spec.replicas {before} -> {after}){note}"
        risk = "low"
    elif new.kind == "StatefulSet":
        names = _pod_names(new, list(range(before - 1, after - 1, -1)))
        retain = new.get("spec", "persistentVolumeClaimRetentionPolicy", "whenScaled") or "Retain"
        claims = "their claims are deleted (whenScaled: Delete)" if retain == "Delete" else \
            "their claims are kept (persistentVolumeClaimRetentionPolicy.whenScaled Retain)"
        text = (f"Scales down: {names} are deleted, highest ordinal first (spec.replicas {before} -> {after}){note}; "
                f"{claims}")
        risk = "high" if retain == "Delete" or after == 0 else "medium"
    else:
        text = (f"Scales down: {before - after} pod(s) are deleted, not-ready and newest first (spec.replicas "
                f"{before} -> {after}){note}")
        risk = "high" if after == 0 else "medium"
    if not template:
        text += "; no running pod restarts"
    path = ("spec", "replicas") if not left_out else ("spec",)
    ctx.emit.say(change, "change-no-restart", new, path, text, risk,
                 severity=Severity.WARNING if left_out or after == 0 else None)


def _under_hpa(change: ObjectChange, ctx: Context, hpa: Object, field: FieldChange) -> None:
    new = change.new
    assert new is not None
    low = hpa.get("spec", "minReplicas", default=1)
    high = hpa.get("spec", "maxReplicas")
    left_out = new.get("spec", "replicas") is None
    if left_out:
        text = (f"The workload drops to 1 pod until HorizontalPodAutoscaler/{hpa.name} scales it back. spec.replicas "
                f"is left out: kubectl apply removes it, the API server sets the default 1, and the autoscaler "
                f"restores {low}..{high} pods at its next sync, every 15 s by default")
    else:
        text = (f"HorizontalPodAutoscaler/{hpa.name} overrides spec.replicas {field.old} -> {field.new}. The apply "
                f"sets {field.new} pods, then the autoscaler overrides it at its next sync (every 15 s by default), "
                f"within {low}..{high}")
    path = ("spec",) if left_out else ("spec", "replicas")
    ctx.emit.say(change, "change-hpa-replicas", new, path, text, "medium")


def autoscaler_changed(change: ObjectChange, ctx: Context) -> bool:
    """New bounds of a HorizontalPodAutoscaler move its target at the next sync
    (pkg/controller/podautoscaler/horizontal.go normalizeDesiredReplicas clamps to min..max)."""
    new = change.new
    assert new is not None
    bounds = [f for f in change.fields if f.label in ("spec.minReplicas", "spec.maxReplicas")]
    if not bounds:
        return False
    target = new.get("spec", "scaleTargetRef", default={}) or {}
    name = f"{target.get('kind', '?')}/{target.get('name', '?')}" if isinstance(target, dict) else "its target"
    low, high = new.get("spec", "minReplicas", default=1), new.get("spec", "maxReplicas")
    shown = "; ".join(describe(f) for f in bounds)
    ctx.emit.say(change, "change-hpa-replicas", new, bounds[0].path or ("spec",),
                 f"The autoscaler now keeps {name} between {low} and {high} pods ({shown}). Outside that range it "
                 "scales the workload at its next sync (every 15 s by default); no pod restarts", "low",
                 severity=Severity.INFO)
    rest = [f for f in change.fields if f not in bounds]
    if rest:
        outside_template(change, ctx, rest, template=False)
    return True
