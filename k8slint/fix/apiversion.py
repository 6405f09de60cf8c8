"""api-version-removed: move to the replacement apiVersion when the move is mechanical.

Mechanical means the old and new schema hold the same information and the API server's
behaviour stays the same: the fields are identical (a plain rename), or they convert one to
one the way the API server's own conversion code does. Anything else keeps the hint.
Sources: kubernetes.io/docs/reference/using-api/deprecation-guide/; conversions in
kubernetes/kubernetes pkg/apis/{apps,extensions,networking,autoscaling}/*/conversion.go.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from ..i18n import _
from ..k8s.apis import api_change
from ..k8s.fields import as_int
from ..model import Finding, Path
from .edit import add_comment_after, insert_after, insert_before, is_flow, new_map, pop_key, replace_key, walk
from .registry import FixContext, fixer

Plan = Callable[[], None]                 # the edits, run only when every check passed


def _nothing(obj: Any) -> tuple[Plan, str] | None:
    return (lambda: None), ""


def _apps(obj: Any) -> tuple[Plan, str] | None:
    """extensions/apps v1beta* workloads: apps/v1 requires spec.selector; the old API
    defaulted it to the template labels, so writing exactly those keeps the behaviour."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if {"rollbackTo", "templateGeneration"} & set(spec):
        return None                       # fields apps/v1 no longer has
    selector = spec.get("selector")
    if selector is not None:
        return _nothing(obj) if isinstance(selector, dict) and selector else None
    labels = walk(spec, ("template", "metadata", "labels"))
    if not isinstance(labels, dict) or not labels or \
            not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        return None

    def edit() -> None:
        match = new_map({"matchLabels": new_map(labels.items(), flow=is_flow(labels))})
        insert_before(spec, "template", "selector", match)

    return edit, _(" and spec.selector.matchLabels from the template labels")


def _pdb(obj: Any) -> tuple[Plan, str] | None:
    """policy/v1: an empty selector selects every pod (it selected none): only a non-empty
    selector moves as it is."""
    selector = walk(obj, ("spec", "selector"))
    if not isinstance(selector, dict) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return None
    return _nothing(obj)


def _ingress(obj: Any) -> tuple[Plan, str] | None:
    """networking.k8s.io/v1: spec.backend -> spec.defaultBackend, serviceName/servicePort ->
    service.name/port.number|name, and pathType ImplementationSpecific (the v1beta1 default)."""
    spec = obj.get("spec")
    if spec is None:
        return _nothing(obj)
    if not isinstance(spec, dict) or ("backend" in spec and "defaultBackend" in spec):
        return None
    edits: list[Plan] = []
    backends: list[tuple[Any, str]] = []
    if "backend" in spec:
        backends.append((spec, "backend"))
    rules = spec.get("rules", [])
    if not isinstance(rules, list):
        return None
    for rule in rules:
        if not isinstance(rule, dict):
            return None
        paths = walk(rule, ("http", "paths"))
        if "http" in rule and not isinstance(paths, list):
            return None
        for entry in paths or ():
            if not isinstance(entry, dict):
                return None
            if "backend" in entry:
                backends.append((entry, "backend"))
            if "pathType" not in entry:
                edits.append(partial(insert_after, entry, "path", "pathType", "ImplementationSpecific"))
    for parent, key in backends:
        plan = _backend(parent[key])
        if plan is None:
            return None
        edits.append(plan)
    if "backend" in spec:
        edits.append(lambda: replace_key(spec, "backend", "defaultBackend", spec["backend"]))

    def edit() -> None:
        for plan in edits:
            plan()

    return edit, _(" (backends as service.name/port, pathType ImplementationSpecific where unset)")


def _backend(backend: Any) -> Plan | None:
    if not isinstance(backend, dict) or not set(backend) <= {"serviceName", "servicePort", "resource"}:
        return None
    if "serviceName" not in backend:
        return (lambda: None) if "resource" in backend and "servicePort" not in backend else None
    if "resource" in backend:
        return None
    name, port = backend["serviceName"], backend.get("servicePort")
    if not isinstance(name, str):
        return None
    if as_int(port) is not None:
        target = new_map({"number": port}, flow=True)
    elif isinstance(port, str) and port and not port.isdigit():
        target = new_map({"name": port}, flow=True)
    else:
        return None                       # a quoted number became a port *name*: not certain

    def edit() -> None:
        service = new_map({"name": name, "port": target}, flow=is_flow(backend))
        port_comment = pop_key(backend, "servicePort") if "servicePort" in backend else None
        replace_key(backend, "serviceName", "service", service)
        if port_comment is not None:
            add_comment_after(backend, "service", port_comment)

    return edit


def _hpa_v2beta1(obj: Any) -> tuple[Plan, str] | None:
    """autoscaling/v2: each metric's target moves under target: {type, ...}, the way the
    API server's v2beta1 conversion does it."""
    if "status" in obj:
        return None
    metrics = walk(obj, ("spec", "metrics"))
    if metrics is None:
        return _nothing(obj)
    if not isinstance(metrics, list):
        return None
    edits: list[Plan] = []
    for metric in metrics:
        kind = metric.get("type") if isinstance(metric, dict) else None
        key = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
               "Object": "object", "External": "external"}.get(kind) if isinstance(kind, str) else None
        if key is None or not isinstance(kind, str) or not isinstance(metric.get(key), dict):
            return None
        converted = _hpa_metric(kind, metric[key])
        if converted is None:
            return None
        edits.append(partial(metric.__setitem__, key, converted))

    def edit() -> None:
        for plan in edits:
            plan()

    return edit, _(" (metric targets under target: {{type, ...}})").format()


def _hpa_metric(kind: str, source: dict[str, Any]) -> Any:
    def target(kind_of: str, **values: Any) -> Any:
        return new_map({"type": kind_of, **{k: v for k, v in values.items() if v is not None}})

    keys = set(source)
    if kind in ("Resource", "ContainerResource"):
        allowed = {"name", "targetAverageUtilization", "targetAverageValue"} | (
            {"container"} if kind == "ContainerResource" else set())
        utilization, value = source.get("targetAverageUtilization"), source.get("targetAverageValue")
        if not keys <= allowed or (utilization is None) == (value is None):
            return None
        out = new_map((k, source[k]) for k in ("name", "container") if k in source)
        out["target"] = (target("Utilization", averageUtilization=utilization) if utilization is not None
                         else target("AverageValue", averageValue=value))
        return out
    if kind == "Pods":
        if not keys <= {"metricName", "targetAverageValue", "selector"} or "targetAverageValue" not in source:
            return None
        return new_map({"metric": _metric_id(source, "selector"),
                        "target": target("AverageValue", averageValue=source["targetAverageValue"])})
    if kind == "Object":
        if not keys <= {"target", "metricName", "targetValue", "selector", "averageValue"} or \
                "targetValue" not in source or "target" not in source:
            return None
        kind_of = "AverageValue" if source.get("averageValue") is not None else "Value"
        return new_map({"describedObject": source["target"], "metric": _metric_id(source, "selector"),
                        "target": target(kind_of, value=source["targetValue"],
                                         averageValue=source.get("averageValue"))})
    if kind == "External":
        value, average = source.get("targetValue"), source.get("targetAverageValue")
        if not keys <= {"metricName", "metricSelector", "targetValue", "targetAverageValue"} or \
                (value is None) == (average is None):
            return None
        return new_map({"metric": _metric_id(source, "metricSelector"),
                        "target": target("Value", value=value) if value is not None
                        else target("AverageValue", averageValue=average)})
    return None


def _metric_id(source: dict[str, Any], selector_key: str) -> Any:
    metric = new_map({"name": source.get("metricName")})
    if source.get(selector_key) is not None:
        metric["selector"] = source[selector_key]
    return metric


_APPS_KINDS = ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")
# (old apiVersion, kind) -> how to move it; the new apiVersion comes from k8s/apis.py.
MIGRATIONS: dict[tuple[str, str], Callable[[Any], tuple[Plan, str] | None]] = {
    **{(old, kind): _apps for old in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
       for kind in _APPS_KINDS},
    ("policy/v1beta1", "PodDisruptionBudget"): _pdb,
    ("extensions/v1beta1", "Ingress"): _ingress,
    ("networking.k8s.io/v1beta1", "Ingress"): _ingress,
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): _hpa_v2beta1,
    # Same fields under the new version: only apiVersion changes.
    **{key: _nothing for key in (
        ("batch/v1beta1", "CronJob"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
        ("extensions/v1beta1", "NetworkPolicy"),
        ("networking.k8s.io/v1beta1", "IngressClass"),
        ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
        ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
        ("rbac.authorization.k8s.io/v1beta1", "Role"),
        ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"),
        ("scheduling.k8s.io/v1beta1", "PriorityClass"),
        ("storage.k8s.io/v1beta1", "StorageClass"),
        ("storage.k8s.io/v1beta1", "CSIDriver"),
        ("storage.k8s.io/v1beta1", "CSINode"),
        ("storage.k8s.io/v1beta1", "VolumeAttachment"),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
        ("coordination.k8s.io/v1beta1", "Lease"),
        ("apiregistration.k8s.io/v1beta1", "APIService"),
        ("node.k8s.io/v1beta1", "RuntimeClass"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"),
    )},
}


def _has_migration(finding: Finding) -> bool:
    ref = finding.object
    return finding.path == "apiVersion" and (ref is None or (ref.api_version, ref.kind) in MIGRATIONS)


@fixer("api-version-removed", possible=_has_migration)
def migrate(obj: Any, path: Path, ctx: FixContext) -> str | None:
    old, kind = obj.get("apiVersion"), obj.get("kind")
    if path != ("apiVersion",) or not isinstance(old, str) or not isinstance(kind, str):
        return None
    change = api_change(old, kind)
    migration = MIGRATIONS.get((old, kind))
    if change is None or migration is None or not change.replacement or " " in change.replacement:
        return None
    planned = migration(obj)
    if planned is None:
        return None
    edit, note = planned
    edit()
    obj["apiVersion"] = type(old)(change.replacement) if type(old) is not str else change.replacement
    return _("apiVersion {old} -> {new}{note}").format(old=old, new=change.replacement, note=note)
