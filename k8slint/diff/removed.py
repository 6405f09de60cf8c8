"""What a removed manifest deletes, and only if the apply prunes.

A plain `kubectl apply` never deletes what the files no longer contain; `kubectl apply --prune`
(kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#alternative-kubectl-apply-f-directory-prune),
Argo CD with pruning and Flux with `prune: true` do. A deletion then cascades through owner
references (kubernetes.io/docs/concepts/architecture/garbage-collection/, background
propagation by default); a StatefulSet's claims follow persistentVolumeClaimRetentionPolicy
(Retain unless set; kubernetes.io/docs/concepts/workloads/controllers/statefulset/);
a claim takes its PersistentVolume with it when the reclaim policy is Delete, the default of
dynamically provisioned volumes (kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming);
deleting a Namespace deletes everything in it, deleting a CustomResourceDefinition every object
of its kind.
"""

from __future__ import annotations

from ..graph import Object
from ..i18n import N_, _
from ..model import Severity
from .emit import Context
from .model import ObjectChange
from .workloads import replicas_of

PRUNE = N_("a plain `kubectl apply` leaves it in the cluster; `kubectl apply --prune`, Argo CD with prune and "
           "Flux with `prune: true` delete it")


def removed(change: ObjectChange, ctx: Context) -> None:
    old = change.old
    assert old is not None
    cascade, risk = _cascade(old, ctx)
    who = f"{old.kind}/{old.name}"
    if cascade:
        text = _("A pruning apply deletes {object}, and with it {cascade}. {object} is no longer in the "
                 "manifests: {prune}").format(object=who, cascade=cascade, prune=_(PRUNE))
    else:
        text = _("A pruning apply deletes {object}. {object} is no longer in the manifests: {prune}").format(
            object=who, prune=_(PRUNE))
    ctx.emit.say(change, "change-removed", old, ("metadata", "name"), text, risk,
                 severity=None if risk in ("medium", "high") else Severity.INFO, at="value")


def _cascade(obj: Object, ctx: Context) -> tuple[str, str]:
    """What goes with the object (a phrase that follows "and with it"), and the risk."""
    kind = obj.kind
    if kind == "Deployment":
        return _("its ReplicaSets and their {count} pod(s)").format(count=replicas_of(obj)), "medium"
    if kind == "StatefulSet":
        policy = obj.get("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") or "Retain"
        claims = obj.get("spec", "volumeClaimTemplates")
        text = _("its {count} pod(s)").format(count=replicas_of(obj))
        if isinstance(claims, list) and claims:
            if policy == "Delete":
                return text + _(", their claims and the data (whenDeleted: Delete)"), "high"
            text += _("; the claims made from volumeClaimTemplates stay (whenDeleted: Retain)")
        return text, "medium"
    if kind == "DaemonSet":
        return _("its pod on every node"), "medium"
    if kind in ("ReplicaSet", "ReplicationController"):
        return _("its {count} pod(s)").format(count=replicas_of(obj)), "medium"
    if kind == "Job":
        return _("its pods, finished or running"), "low"
    if kind == "CronJob":
        return _("its schedule, its Jobs and their pods"), "medium"
    if kind == "PersistentVolumeClaim":
        users = _users(obj, ctx)
        text = _("its PersistentVolume and the data when the reclaim policy is Delete (the default of dynamically "
                 "provisioned volumes); while a pod uses the claim, the deletion waits")
        if users:
            text += _("; {workloads} still mount(s) it, so their new pods would stay Pending").format(workloads=users)
        return text, "high"
    if kind == "Namespace":
        inside = sum(1 for o in ctx.old.objects if o.namespace == obj.name)
        return _("every object in it ({count} in the old manifests)").format(count=inside), "high"
    if kind == "CustomResourceDefinition":
        names = obj.get("spec", "names", "kind") or "custom"
        return _("every {kind} object in the cluster").format(kind=names), "high"
    if kind == "Service":
        return _("its ClusterIP and DNS name: clients of {name} fail").format(name=obj.name), "medium"
    if kind in ("ConfigMap", "Secret", "ServiceAccount"):
        users = _users(obj, ctx)
        if users:
            return _("the ability of {workloads}, which still name(s) it, to start new pods; running pods keep "
                     "going").format(workloads=users), "high"
        return "", "low"
    if kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"):
        return _("the permissions it grants"), "medium"
    if kind == "PodDisruptionBudget":
        return _("the budget: drains and evictions no longer wait for its pods"), "low"
    if kind == "HorizontalPodAutoscaler":
        return _("the autoscaling: the workload keeps its current number of pods"), "low"
    return "", "low"


def _users(obj: Object, ctx: Context) -> str:
    """Workloads of the new side that still reference the removed object."""
    names: list[str] = []
    for workload in ctx.new.workloads(obj.namespace):
        for ref in ctx.new.references_from(workload):
            if ref.kind == obj.kind and ref.name == obj.name:
                label = f"{workload.kind}/{workload.name}"
                if label not in names:
                    names.append(label)
    return ", ".join(names[:3]) + (_(" and {count} more").format(count=len(names) - 3) if len(names) > 3 else "")
