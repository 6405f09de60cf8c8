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
from ..model import Severity
from .emit import Context
from .model import ObjectChange
from .workloads import replicas_of

PRUNE = ("a plain `kubectl apply` leaves it in the cluster; `kubectl apply --prune`, Argo CD with prune and Flux "
         "with `prune: true` delete it")


def removed(change: ObjectChange, ctx: Context) -> None:
    old = change.old
    assert old is not None
    cascade, risk = _cascade(old, ctx)
    who = f"{old.kind}/{old.name}"
    text = (f"A pruning apply deletes {who}" + (f", and with it {cascade}" if cascade else "") +
            f". {who} is no longer in the manifests: {PRUNE}")
    ctx.emit.say(change, "change-removed", old, ("metadata", "name"), text, risk,
                 severity=None if risk in ("medium", "high") else Severity.INFO, at="value")


def _cascade(obj: Object, ctx: Context) -> tuple[str, str]:
    """What goes with the object (a phrase that follows "and with it"), and the risk."""
    kind = obj.kind
    if kind == "Deployment":
        return f"its ReplicaSets and their {replicas_of(obj)} pod(s)", "medium"
    if kind == "StatefulSet":
        policy = obj.get("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") or "Retain"
        claims = obj.get("spec", "volumeClaimTemplates")
        text = f"its {replicas_of(obj)} pod(s)"
        if isinstance(claims, list) and claims:
            if policy == "Delete":
                return text + ", their claims and the data (whenDeleted: Delete)", "high"
            text += "; the claims made from volumeClaimTemplates stay (whenDeleted: Retain)"
        return text, "medium"
    if kind == "DaemonSet":
        return "its pod on every node", "medium"
    if kind in ("ReplicaSet", "ReplicationController"):
        return f"its {replicas_of(obj)} pod(s)", "medium"
    if kind == "Job":
        return "its pods, finished or running", "low"
    if kind == "CronJob":
        return "its schedule, its Jobs and their pods", "medium"
    if kind == "PersistentVolumeClaim":
        users = _users(obj, ctx)
        text = ("its PersistentVolume and the data when the reclaim policy is Delete (the default of dynamically "
                "provisioned volumes); while a pod uses the claim, the deletion waits")
        if users:
            text += f"; {users} still mount(s) it, so their new pods would stay Pending"
        return text, "high"
    if kind == "Namespace":
        inside = sum(1 for o in ctx.old.objects if o.namespace == obj.name)
        return f"every object in it ({inside} in the old manifests)", "high"
    if kind == "CustomResourceDefinition":
        names = obj.get("spec", "names", "kind") or "custom"
        return f"every {names} object in the cluster", "high"
    if kind == "Service":
        return f"its ClusterIP and DNS name: clients of {obj.name} fail", "medium"
    if kind in ("ConfigMap", "Secret", "ServiceAccount"):
        users = _users(obj, ctx)
        if users:
            return (f"the ability of {users}, which still name(s) it, to start new pods; running pods keep "
                    "going"), "high"
        return "", "low"
    if kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"):
        return "the permissions it grants", "medium"
    if kind == "PodDisruptionBudget":
        return "the budget: drains and evictions no longer wait for its pods", "low"
    if kind == "HorizontalPodAutoscaler":
        return "the autoscaling: the workload keeps its current number of pods", "low"
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
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
