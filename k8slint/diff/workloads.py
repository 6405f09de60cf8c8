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
from ..i18n import _
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
    what = "; ".join(describe(f, 30) for f in inside[:2]) + (
        _("; +{count} more").format(count=len(inside) - 2) if len(inside) > 2 else "")
    head = (_("Pod spec changed ({fields}{cause})") if new.kind == "Pod"
            else _("Pod template changed ({fields}{cause})")).format(fields=what, cause=cause)
    where = inside[0].path or inside[0].old_path or ()
    handler = _BY_KIND.get(new.kind) if new.group in BUILTIN_GROUPS else None
    if handler is None:
        ctx.emit.say(change, "change-rollout", new, where, _("{head}. {kind} is a custom resource: what happens "
                     "to its pods is up to its operator").format(head=head, kind=new.kind), "medium")
        return
    replicas, scaler = replicas_of(new), ""
    hpa = ctx.hpa_for(new)
    if hpa is not None and new.get("spec", "replicas") is None:
        low = hpa.get("spec", "minReplicas", default=1)
        replicas = count(low, 1, least=1)
        scaler = _(". HorizontalPodAutoscaler/{name} sets {low}..{high} replicas; the numbers are for {low}").format(
            name=hpa.name, low=replicas, high=hpa.get("spec", "maxReplicas"))
    outcome = handler(new, replicas, inside)
    if outcome.replaces:
        ctx.extra.setdefault("rolling", set()).add(id(new))
    note = scaler + _new_pods_only(inside)
    ctx.emit.say(change, "change-rollout", new, where,
                 _("{head}: {outcome}{note}").format(head=head, outcome=outcome.message, note=note), outcome.risk,
                 severity=outcome.severity)


def _new_pods_only(inside: list[FieldChange]) -> str:
    if any(any(step in _NEW_PODS_ONLY for step in (f.path or f.old_path or ())) for f in inside):
        return _(". Changed probes and resources take effect only in the new pods")
    return ""


def replicas_of(obj: Object) -> int:
    return count(obj.get("spec", "replicas"), 1)


def _deployment(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    strategy = obj.get("spec", "strategy", default={}) or {}
    kind = strategy.get("type", "RollingUpdate") if isinstance(strategy, dict) else "RollingUpdate"
    if replicas == 0:
        return Outcome(_("no pod restarts, replicas is 0"), "none", replaces=False)
    if kind == "Recreate":
        return Outcome(_("all {replicas} pods stop before {replicas} new ones start. Strategy Recreate: no pod serves "
                         "until the new ones are ready").format(replicas=replicas), "high", Severity.WARNING)
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    rolling = rolling if isinstance(rolling, dict) else {}
    raw_surge, raw_unavailable = rolling.get("maxSurge", "25%"), rolling.get("maxUnavailable", "25%")
    posts = fenceposts(raw_surge, raw_unavailable, replicas)
    if posts is None:
        return Outcome(_("a rolling update replaces {replicas} pods (maxSurge/maxUnavailable unreadable)").format(
            replicas=replicas), "medium")
    surge, unavailable = posts
    create, delete = min(surge, replicas), min(unavailable, replicas)
    first = (_("the first step creates {create} new pod(s) and deletes {delete} old one(s)") if delete
             else _("the first step creates {create} new pod(s); old pods go only as new ones become "
                    "available")).format(create=create, delete=delete)
    message = _("a rolling update replaces all {replicas} pod(s). At most {most} pods run at once "
                "(maxSurge {surge}) and at least {least} stay available (maxUnavailable {unavailable}); "
                "{first}").format(replicas=replicas, most=replicas + surge, surge=_budget(raw_surge, surge),
                                  least=replicas - unavailable,
                                  unavailable=_budget(raw_unavailable, unavailable), first=first)
    if replicas - unavailable <= 0:
        return Outcome(message + _("; every old pod may be gone before a new one is ready"), "high",
                       Severity.WARNING)
    return Outcome(message, "low")


def _budget(raw: Any, pods: int) -> str:
    """`25% -> 3` for a percentage, `1` for a number of pods."""
    return f"{raw} -> {pods}" if isinstance(raw, str) or raw != pods else str(pods)


def _pod_names(obj: Object, ordinals: list[int]) -> str:
    names = [f"{obj.name}-{i}" for i in ordinals]
    return ", ".join(names) if len(names) <= 5 else _("{first}, {second} … {last} ({count} pods)").format(
        first=names[0], second=names[1], last=names[-1], count=len(names))


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
        return Outcome(_("no pod restarts, replicas is 0"), "none", replaces=False)
    updated = [start + i for i in range(replicas - 1, -1, -1) if i >= partition]
    kept = [start + i for i in range(replicas) if i < partition]
    if not updated:
        return Outcome(_("no pod is updated: partition {partition} is not below replicas {replicas}. The pods "
                         "change when the partition is lowered").format(partition=partition, replicas=replicas),
                       "none", replaces=False)
    if len(updated) == 1:
        message = _("{pods} is replaced. The StatefulSet controller deletes it and creates it again with the new "
                    "template").format(pods=_pod_names(obj, updated))
    else:
        message = _("{pods} are replaced one at a time. The StatefulSet controller deletes and re-creates them "
                    "highest ordinal first, each after the previous new pod is Ready").format(
            pods=_pod_names(obj, updated))
    if kept:
        message += _("; {pods} keep the old template (partition {partition})").format(
            pods=_pod_names(obj, kept), partition=partition)
    if rolling.get("maxUnavailable") is not None:
        message += _(" (maxUnavailable {value} replaces several at once only where the MaxUnavailableStatefulSet "
                     "feature is on)").format(value=rolling["maxUnavailable"])
    if len(updated) == replicas == 1:
        return Outcome(message + _("; while {pod} restarts no pod serves").format(pod=f"{obj.name}-{start}"),
                       "high", Severity.WARNING)
    return Outcome(message, "low")


def _on_delete(obj: Object) -> str:
    return _("no pod restarts now (updateStrategy OnDelete). Each pod of {object} gets the new template only "
             "when it is deleted (`kubectl delete pod ...`)").format(object=f"{obj.kind}/{obj.name}")


def _daemonset(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    kind, rolling = _update_strategy(obj)
    if kind == "OnDelete":
        return Outcome(_on_delete(obj), "low", replaces=False)
    surge, unavailable = rolling.get("maxSurge", 0), rolling.get("maxUnavailable", 1)
    if scaled(surge, 100, True):
        return Outcome(_("the pods are replaced node by node, maxSurge {nodes} at a time. On each node a new pod "
                         "starts beside the old one, which is deleted once the new pod is "
                         "available").format(nodes=_nodes(surge)), "low")
    return Outcome(_("the pods are replaced node by node, maxUnavailable {nodes} at a time. On each node the old "
                     "pod is deleted first, so that node runs none of its pods until the new one is "
                     "ready").format(nodes=_nodes(unavailable)), "medium")


def _nodes(value: Any) -> str:
    """`1 node`, `2 nodes`, `10% of the nodes (rounded up)`."""
    if isinstance(value, str) and value.endswith("%"):
        return _("{value} of the nodes (rounded up)").format(value=value)
    return (_("{value} node") if value == 1 else _("{value} nodes")).format(value=value)


def _replicaset(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome(_("no pod restarts: a {kind} does not replace running pods. Only pods it creates later (a "
                     "scale-up, a deleted pod replaced) use the new template").format(kind=obj.kind), "low",
                   replaces=False)


def _cronjob(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome(_("Jobs created from the next scheduled run use the new template. A Job already running keeps "
                     "the old one"), "low", replaces=False)


def _job(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    return Outcome(_("accepted only while the Job is suspended and has never started. Its pods get the new "
                     "scheduling directives when it resumes"), "low", replaces=False)


def _pod(obj: Object, replicas: int, inside: list[FieldChange]) -> Outcome:
    containers = sorted({f.label.split("[", 2)[1].split("]")[0] for f in inside
                         if f.label.startswith(("spec.containers[", "spec.initContainers[")) and "image" in f.label})
    if not containers:
        return Outcome(_("the Pod keeps running"), "none", replaces=False)
    return Outcome(_("container(s) {containers} restart in place with the new image. The kubelet kills and starts "
                     "the container: same pod, same IP, the restart count goes up").format(
        containers=", ".join(containers)), "medium")


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
        shown = "; ".join(describe(f, 30) for f in rest[:3]) + (
            _("; +{count} more").format(count=len(rest) - 3) if len(rest) > 3 else "")
        where = rest[0].path or rest[0].old_path or ()
        if new.pod_template is not None and new.kind != "Pod":
            text = _("No pod restarts ({fields}): the change is outside the pod template").format(fields=shown)
        else:
            text = _("Updated in place, no pod restarts ({fields})").format(fields=shown)
        ctx.emit.say(change, "change-no-restart", new, where, text, "none")


def _scaled(change: ObjectChange, ctx: Context, field: FieldChange, template: bool) -> None:
    new = change.new
    assert new is not None
    before, after = field.old, field.new
    if not isinstance(before, int) or not isinstance(after, int):
        return
    left_out = new.get("spec", "replicas") is None
    note = _(". spec.replicas is left out: kubectl apply removes it and the API server sets the default 1") \
        if left_out else ""
    if after > before:
        text = _("Scales up: {count} new pod(s) are created (spec.replicas {before} -> {after}){note}").format(
            count=after - before, before=before, after=after, note=note)
        risk = "low"
    elif new.kind == "StatefulSet":
        names = _pod_names(new, list(range(before - 1, after - 1, -1)))
        retain = new.get("spec", "persistentVolumeClaimRetentionPolicy", "whenScaled") or "Retain"
        claims = _("their claims are deleted (whenScaled: Delete)") if retain == "Delete" else \
            _("their claims are kept (persistentVolumeClaimRetentionPolicy.whenScaled Retain)")
        text = _("Scales down: {pods} are deleted, highest ordinal first (spec.replicas {before} -> "
                 "{after}){note}; {claims}").format(pods=names, before=before, after=after, note=note, claims=claims)
        risk = "high" if retain == "Delete" or after == 0 else "medium"
    else:
        text = _("Scales down: {count} pod(s) are deleted, not-ready and newest first (spec.replicas {before} -> "
                 "{after}){note}").format(count=before - after, before=before, after=after, note=note)
        risk = "high" if after == 0 else "medium"
    if not template:
        text += _("; no running pod restarts")
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
        text = _("The workload drops to 1 pod until HorizontalPodAutoscaler/{name} scales it back. spec.replicas "
                 "is left out: kubectl apply removes it, the API server sets the default 1, and the autoscaler "
                 "restores {low}..{high} pods at its next sync, every 15 s by default").format(
            name=hpa.name, low=low, high=high)
    else:
        text = _("HorizontalPodAutoscaler/{name} overrides spec.replicas {old} -> {new}. The apply sets {new} "
                 "pods, then the autoscaler overrides it at its next sync (every 15 s by default), within "
                 "{low}..{high}").format(name=hpa.name, old=field.old, new=field.new, low=low, high=high)
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
    name = f"{target.get('kind', '?')}/{target.get('name', '?')}" if isinstance(target, dict) else _("its target")
    low, high = new.get("spec", "minReplicas", default=1), new.get("spec", "maxReplicas")
    shown = "; ".join(describe(f) for f in bounds)
    ctx.emit.say(change, "change-hpa-replicas", new, bounds[0].path or ("spec",),
                 _("The autoscaler now keeps {target} between {low} and {high} pods ({fields}). Outside that range "
                   "it scales the workload at its next sync (every 15 s by default); no pod restarts").format(
                     target=name, low=low, high=high, fields=shown), "low", severity=Severity.INFO)
    rest = [f for f in change.fields if f not in bounds]
    if rest:
        outside_template(change, ctx, rest, template=False)
    return True
