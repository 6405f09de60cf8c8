"""Which objects' pod specs the API server validates, and how a rule says what happens.

The API server validates the pod spec of a Pod and of the pod templates of Deployments,
ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers and PodTemplates
(pkg/apis/core/validation ValidatePodTemplateSpec, called from pkg/apis/apps and
pkg/apis/batch validation). A StatefulSet's is not: ValidateStatefulSetSpec
(pkg/apis/apps/validation/validation.go) calls ValidatePodTemplateSpecForStatefulSet, which
checks only the template's labels and annotations ("TODO: Add validation for PodSpec"), plus
restartPolicy Always and no activeDeadlineSeconds. So a StatefulSet with a bad pod spec is
accepted, and the API server then refuses every pod its controller creates (FailedCreate
events, no pods). Custom workloads (an Argo Rollout, an OpenKruise CloneSet) are checked
against their CustomResourceDefinition's schema only, which does not hold these rules.
"""

from __future__ import annotations

from ..i18n import _

# Group of the built-in kinds whose pod template the API server validates like a pod's.
_VALIDATED = {
    "": ("Pod", "PodTemplate", "ReplicationController"),
    "apps": ("Deployment", "ReplicaSet", "DaemonSet"),
    "extensions": ("Deployment", "ReplicaSet", "DaemonSet"),
    "batch": ("Job", "CronJob"),
}


def pod_spec_validated(kind: str, group: str) -> bool:
    """Whether the API server validates the pod spec of this object when it is applied."""
    return kind in _VALIDATED.get(group, ())


def rejected(kind: str, group: str, what: str = "it") -> str:
    """'the API server rejects it', or what happens instead where the pod spec is not
    validated when the object is applied (a StatefulSet, a custom workload). `what`: "it",
    "the pod" or "the object" (each a whole sentence in the catalog)."""
    if pod_spec_validated(kind, group):
        if what == "the pod":
            return _("the API server rejects the pod")
        if what == "the object":
            return _("the API server rejects the object")
        return _("the API server rejects it")
    if kind == "StatefulSet" and group == "apps":
        return _("the API server accepts the StatefulSet, which does not validate its pod template, "
                 "but rejects every pod it creates (FailedCreate events, no pods)")
    return _("the API server accepts the {kind} (its schema does not check this), but the pods "
             "its controller creates are rejected").format(kind=kind)
