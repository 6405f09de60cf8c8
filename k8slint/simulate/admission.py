"""kube-apiserver admission: the defaults it fills in (pkg/apis/*/v1/defaults.go) and where
the object is stored (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
NamespaceKeyFunc; the exceptions in test/integration/etcd/data.go)."""

from __future__ import annotations

from typing import Any

from ..graph import Object
from ..i18n import _
from ..k8s import defaults as d
from .timeline import mapping

ETCD_PREFIX = "/registry"
# Storage paths that are not the plain plural (test/integration/etcd/data.go): CRDs and
# APIServices are served by the extension and aggregation API servers, whose keys keep
# their group.
_ETCD_RESOURCE = {"Service": "services/specs", "Endpoints": "services/endpoints",
                  "Node": "minions", "Ingress": "ingress", "ReplicationController": "controllers",
                  "CustomResourceDefinition": "apiextensions.k8s.io/customresourcedefinitions",
                  "APIService": "apiregistration.k8s.io/apiservices"}


def plural(kind: str) -> str:
    lower = kind.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    return lower + "s"


def etcd_key(kind: str, group: str, namespace: str | None, name: str, builtin: bool = True) -> str:
    """`/registry/<resource>/<namespace>/<name>` (store.go NamespaceKeyFunc); custom resources
    are stored under `/registry/<group>/<plural>/...`."""
    resource = _ETCD_RESOURCE.get(kind, plural(kind)) if builtin else f"{group}/{plural(kind)}"
    parts = [ETCD_PREFIX, resource] + ([namespace] if namespace else []) + [name]
    return "/".join(parts)


def _missing(data: Any, key: str) -> bool:
    return not isinstance(data, dict) or data.get(key) in (None, "")


def filled_defaults(obj: Object, version: tuple[int, int]) -> list[str]:
    """`field: value` for each default the API server sets on this object
    (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go)."""
    spec = obj.get("spec", default={})
    spec = spec if isinstance(spec, dict) else {}
    out: list[str] = []
    kind = obj.kind

    def add(table: dict[str, Any], keys: tuple[str, ...], where: dict[str, Any] = spec,
            prefix: str = "") -> None:
        for key in keys:
            if _missing(where, key):
                out.append(f"{prefix}{key}: {table[key]}")

    if kind == "Deployment":
        add(d.DEPLOYMENT, ("replicas", "revisionHistoryLimit", "progressDeadlineSeconds"))
        strategy = mapping(spec.get("strategy"))
        if _missing(strategy, "type"):
            out.append(f"strategy: {d.DEPLOYMENT['strategy']} (maxSurge {d.DEPLOYMENT['maxSurge']}, "
                       f"maxUnavailable {d.DEPLOYMENT['maxUnavailable']})")
        elif strategy.get("type") == "RollingUpdate":
            rolling = mapping(strategy.get("rollingUpdate"))
            add(d.DEPLOYMENT, ("maxSurge", "maxUnavailable"), rolling, "strategy.rollingUpdate.")
    elif kind in ("ReplicaSet", "ReplicationController"):
        add(d.DEPLOYMENT, ("replicas",))
    elif kind == "StatefulSet":
        add(d.STATEFULSET, ("replicas", "podManagementPolicy", "revisionHistoryLimit"))
        strategy = mapping(spec.get("updateStrategy"))
        if _missing(strategy, "type"):
            out.append(f"updateStrategy: {d.STATEFULSET['updateStrategy']} (partition 0)")
        if version >= (1, 27) and _missing(spec, "persistentVolumeClaimRetentionPolicy"):
            out.append("persistentVolumeClaimRetentionPolicy: whenDeleted Retain, whenScaled Retain")
    elif kind == "DaemonSet":
        strategy = mapping(spec.get("updateStrategy"))
        if _missing(strategy, "type"):
            out.append(f"updateStrategy: {d.DAEMONSET['updateStrategy']} (maxUnavailable "
                       f"{d.DAEMONSET['maxUnavailable']}, maxSurge {d.DAEMONSET['maxSurge']})")
    elif kind == "Job":
        out.extend(_job_defaults(spec))
    elif kind == "CronJob":
        add(d.CRONJOB, ("concurrencyPolicy", "suspend", "successfulJobsHistoryLimit",
                        "failedJobsHistoryLimit"))
        job = obj.get("spec", "jobTemplate", "spec", default={})
        out.extend("jobTemplate." + text for text in _job_defaults(job if isinstance(job, dict) else {}))
    elif kind == "Service":
        out.extend(_service_defaults(spec))
    template = obj.pod_template
    if template is not None:
        out.extend(_pod_defaults(template.spec, kind == "Pod"))
    return out


def _job_defaults(spec: dict[str, Any]) -> list[str]:
    out = []
    if _missing(spec, "completions") and _missing(spec, "parallelism"):
        out.append("completions: 1, parallelism: 1")
    elif _missing(spec, "parallelism"):
        out.append("parallelism: 1")
    for key in ("backoffLimit", "completionMode"):
        if _missing(spec, key):
            out.append(f"{key}: {d.JOB[key]}")
    if not spec.get("manualSelector"):
        out.append(_("selector: batch.kubernetes.io/controller-uid=<uid> (generated)"))
    return out


def _service_defaults(spec: dict[str, Any]) -> list[str]:
    out = []
    for key in ("type", "sessionAffinity"):
        if _missing(spec, key):
            out.append(f"{key}: {d.SERVICE[key]}")
    if spec.get("type", "ClusterIP") in ("ClusterIP", "NodePort", "LoadBalancer") \
            and _missing(spec, "internalTrafficPolicy"):
        out.append(f"internalTrafficPolicy: {d.SERVICE['internalTrafficPolicy']}")
    for i, port in enumerate(spec.get("ports") or []):
        if not isinstance(port, dict):
            continue
        if _missing(port, "protocol"):
            out.append(f"ports[{i}].protocol: {d.PORT_PROTOCOL}")
        if _missing(port, "targetPort") and port.get("port") is not None:
            out.append(f"ports[{i}].targetPort: {port['port']}")
    return out


def _pod_defaults(spec: dict[str, Any], is_pod: bool) -> list[str]:
    out = []
    keys = tuple(k for k in d.POD if is_pod or k != "enableServiceLinks")   # Pods only
    for key in keys:
        if _missing(spec, key):
            out.append(f"{key}: {d.POD[key]}")
    for list_name in ("initContainers", "containers"):
        for container in spec.get(list_name) or []:
            if not isinstance(container, dict):
                continue
            name = container.get("name", "?")
            if _missing(container, "imagePullPolicy"):
                out.append(f"{name}.imagePullPolicy: {d.image_pull_policy(str(container.get('image') or ''))}")
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                if isinstance(probe, dict):
                    filled = [f"{f} {d.PROBE[f]}" for f in d.PROBE
                              if f != "initialDelaySeconds" and not probe.get(f)]
                    if filled:
                        out.append(f"{name}.{kind}: " + ", ".join(filled))
            if any(isinstance(p, dict) and _missing(p, "protocol") for p in container.get("ports") or []):
                out.append(f"{name}.ports[].protocol: {d.PORT_PROTOCOL}")
    return out


# --- what each error finding means for an apply (by rule id, never by message words) ------
REJECTED = "rejected"          # the API server refuses the object itself
PODS_REFUSED = "pods-refused"  # stored; admission refuses the Pods (a bare Pod is rejected)
RUN_TIME = "run-time"          # stored and run; it fails later (or is only worth a problem)

# Errors of these categories are validation failures of the object (or unparseable input).
REJECTING_CATEGORIES = frozenset({"syntax", "schema", "api-version", "naming"})
# Admission plugins that judge Pod objects only (PodSecurity, LimitRanger, ResourceQuota):
# a controller's later pod creations fail, not the apply (k8s/pss.py admission_effect).
PSS_RULES = frozenset({"pod-security-baseline", "pod-security-restricted"})
QUOTA_RULE, LIMIT_RANGE_RULE = "resource-quota-unsatisfied", "resource-limit-range-violated"
RULE_OUTCOMES = {
    **{rule: PODS_REFUSED for rule in PSS_RULES | {QUOTA_RULE, LIMIT_RANGE_RULE}},
    # Accepted by the API server, fail at run time (prober/worker.go: a missing named probe
    # port is accepted; the kubelet reports InvalidImageName; a missing ConfigMap blocks
    # the container with CreateContainerConfigError).
    "probe-named-port-missing": RUN_TIME, "service-target-port-missing": RUN_TIME,
    "ingress-service-port-missing": RUN_TIME, "image-invalid": RUN_TIME,
    "configmap-ref-missing": RUN_TIME,
    # Two definitions of one identity: both are applied, the later one wins.
    "object-duplicate": RUN_TIME,
    # Validation errors of the object itself.
    "probe-invalid": REJECTED, "init-container-probe": REJECTED, "restart-policy-controller": REJECTED,
    "rolling-update-budget-invalid": REJECTED, "workload-selector-mismatch": REJECTED,
    "cronjob-schedule-invalid": REJECTED, "hpa-min-above-max": REJECTED,
    "lifecycle-hook-invalid": REJECTED, "pod-active-deadline": REJECTED,
    "volume-mount-unknown": REJECTED, "resource-extended-limit": REJECTED,
    "resource-name-invalid": REJECTED, "resource-quantity-invalid": REJECTED,
    "resource-request-above-limit": REJECTED,
    # ValidatingAdmissionPolicies (Deny) and CRD validation rules of the input (k8slint.admission).
    "admission-policy-denied": REJECTED, "crd-validation-rule": REJECTED,
    "cel-expression-invalid": REJECTED,
}


def outcome(finding: Any) -> str | None:
    """REJECTED, PODS_REFUSED or RUN_TIME for an error finding; None for the rest. Unknown
    (custom) rules count as run-time problems: nothing says the API server refuses them."""
    if str(finding.severity) != "error":
        return None
    known = RULE_OUTCOMES.get(finding.rule)
    if known is not None:
        return known
    return REJECTED if finding.category in REJECTING_CATEGORIES else RUN_TIME
