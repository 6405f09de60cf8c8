"""An object's data as the API server would store it, for comparing two manifests.

Leaving out a field the API server defaults is not a change (`imagePullPolicy` left out on one
side and `IfNotPresent` written on the other), `1000m` and `1` CPU are the same quantity
(apimachinery Quantity semantic equality), and fields the server owns (status, uid,
resourceVersion, managedFields, the kubectl last-applied annotation) are never compared.
Defaults: pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go
(the tables in k8slint.k8s.defaults).
"""

from __future__ import annotations

import copy
from typing import Any

from ..k8s import defaults
from ..k8s.kinds import POD_TEMPLATE_PATHS
from ..k8s.quantity import parse_quantity

SERVER_METADATA = ("creationTimestamp", "resourceVersion", "uid", "generation", "selfLink", "managedFields")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def normalized(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `data` with defaults filled in and server-owned fields dropped."""
    out: dict[str, Any] = copy.deepcopy(data)
    out.pop("status", None)
    _clean_metadata(out)
    spec = out.get("spec")
    if isinstance(spec, dict):
        _workload_defaults(kind, spec)
        if kind == "Service":
            _service_defaults(spec)
    path = POD_TEMPLATE_PATHS.get(kind)
    if path is not None:
        template = _get(out, path) if path else out
        if isinstance(template, dict):
            _clean_metadata(template)
            pod_spec = template.get("spec")
            if isinstance(pod_spec, dict):
                pod_defaults(pod_spec)
    return out


def _clean_metadata(node: dict[str, Any]) -> None:
    meta = node.get("metadata")
    if not isinstance(meta, dict):
        return
    for key in SERVER_METADATA:
        meta.pop(key, None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
        if not annotations:
            meta.pop("annotations")
    if not meta:
        node.pop("metadata")


def _workload_defaults(kind: str, spec: dict[str, Any]) -> None:
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        spec.setdefault("replicas", 1)
    if kind in ("Deployment", "StatefulSet", "DaemonSet"):
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("minReadySeconds", 0)
    if kind == "Deployment":
        spec.setdefault("progressDeadlineSeconds", defaults.DEPLOYMENT["progressDeadlineSeconds"])
        _strategy(spec, "strategy", maxSurge=defaults.DEPLOYMENT["maxSurge"],
                  maxUnavailable=defaults.DEPLOYMENT["maxUnavailable"])
    elif kind == "StatefulSet":
        spec.setdefault("podManagementPolicy", defaults.STATEFULSET["podManagementPolicy"])
        _strategy(spec, "updateStrategy", partition=0)
    elif kind == "DaemonSet":
        _strategy(spec, "updateStrategy", maxUnavailable=defaults.DAEMONSET["maxUnavailable"],
                  maxSurge=defaults.DAEMONSET["maxSurge"])
    elif kind == "Job":
        spec.setdefault("backoffLimit", defaults.JOB["backoffLimit"])
        spec.setdefault("completionMode", defaults.JOB["completionMode"])
    elif kind == "CronJob":
        for key, value in defaults.CRONJOB.items():
            spec.setdefault(key, value)


def _strategy(spec: dict[str, Any], key: str, **rolling_defaults: Any) -> None:
    """Type RollingUpdate by default, and the rollingUpdate fields' defaults when it is."""
    strategy = spec.setdefault(key, {})
    if isinstance(strategy, dict):
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            if isinstance(rolling, dict):
                for name, value in rolling_defaults.items():
                    rolling.setdefault(name, value)


def _service_defaults(spec: dict[str, Any]) -> None:
    spec.setdefault("type", defaults.SERVICE["type"])
    spec.setdefault("sessionAffinity", defaults.SERVICE["sessionAffinity"])
    ports = spec.get("ports")
    if isinstance(ports, list):
        for port in ports:
            if isinstance(port, dict):
                port.setdefault("protocol", defaults.PORT_PROTOCOL)
                if "port" in port:
                    port.setdefault("targetPort", port["port"])


def pod_defaults(spec: dict[str, Any]) -> None:
    """Fill a pod spec's defaults in place (containers, ports, probes, resources)."""
    for key, value in defaults.POD.items():
        spec.setdefault(key, value)
    for list_name in ("initContainers", "containers", "ephemeralContainers"):
        items = spec.get(list_name)
        if not isinstance(items, list):
            continue
        for container in items:
            if isinstance(container, dict):
                _container_defaults(container)


def _container_defaults(container: dict[str, Any]) -> None:
    for key, value in defaults.CONTAINER.items():
        container.setdefault(key, value)
    image = container.get("image")
    if isinstance(image, str):
        container.setdefault("imagePullPolicy", defaults.image_pull_policy(image))
    ports = container.get("ports")
    if isinstance(ports, list):
        for port in ports:
            if isinstance(port, dict):
                port.setdefault("protocol", defaults.PORT_PROTOCOL)
    for probe_kind in defaults.PROBE_KINDS:
        probe = container.get(probe_kind)
        if isinstance(probe, dict):
            for field in defaults.PROBE_NUMBERS:
                probe[field] = defaults.probe_value(probe, field)
    resources = container.get("resources")
    if isinstance(resources, dict):
        for section in ("requests", "limits"):
            values = resources.get(section)
            if isinstance(values, dict):
                resources[section] = {name: _quantity(value) for name, value in values.items()}
        limits, requests = resources.get("limits"), resources.get("requests")
        if isinstance(limits, dict):
            # A request left out defaults to the limit (pkg/apis/core/v1/defaults.go SetDefaults_Pod).
            merged = {**limits, **(requests if isinstance(requests, dict) else {})}
            resources["requests"] = merged
        for section in [k for k, v in resources.items() if not v]:
            resources.pop(section)


class Quantity(str):
    """A quantity compared by value, shown as written (`1000m` == `1`)."""

    value: Any

    def __new__(cls, text: str, value: Any) -> Quantity:
        made = super().__new__(cls, text)
        made.value = value
        return made

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return bool(self.value == other.value)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.value)


def _quantity(value: Any) -> Any:
    try:
        return Quantity(str(value), parse_quantity(str(value)))
    except ValueError:
        return value


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data
