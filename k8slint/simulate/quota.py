"""ResourceQuota admission: counts and sums per namespace, refused when a pod would exceed.

plugin/pkg/admission/resourcequota/controller.go checkRequest: the pod's usage is added to
the quota's used amounts; when any constrained resource would go over `hard`, the pod is
refused with `exceeded quota: <name>, requested: <r>, used: <u>, limited: <h>`, each list
holding only the exceeded resources, sorted, as `name=value` joined by commas
(prettyPrint). Pod usage (pkg/quota/v1/evaluator/core/pods.go PodUsageFunc): `pods` and
`count/pods` 1; `requests.cpu` (`cpu`), `requests.memory` (`memory`), `limits.cpu`,
`limits.memory` from the containers (max of init containers and the sum of the others).
Only non-terminal pods count. Quotas with `scopes` or a `scopeSelector` are not simulated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .cluster import quantity
from .timeline import mapping

if TYPE_CHECKING:
    from ..graph import Graph

# quota resource name -> (what of the pod it measures); `cpu` and `memory` mean requests.
_MEASURES = {"pods": "pods", "count/pods": "pods", "requests.cpu": "requests.cpu", "cpu": "requests.cpu",
             "requests.memory": "requests.memory", "memory": "requests.memory",
             "limits.cpu": "limits.cpu", "limits.memory": "limits.memory"}


@dataclass
class Quota:
    name: str
    namespace: str
    hard: dict[str, float]                      # quota resource name -> amount in base units
    used: dict[str, float] = field(default_factory=dict)


def quotas(graph: Graph | None) -> tuple[list[Quota], list[str]]:
    """The simulated quotas of the input, and notes on the ones left out."""
    found: list[Quota] = []
    notes: list[str] = []
    for obj in graph.of_kind("ResourceQuota") if graph is not None else []:
        spec = obj.get("spec", default={}) or {}
        if not isinstance(spec, dict):
            continue
        if spec.get("scopes") or spec.get("scopeSelector"):
            notes.append(_("ResourceQuota {quota} has scopes: its counts are not simulated.").format(quota=obj.name))
            continue
        hard_raw = mapping(spec.get("hard"))
        hard = {str(k): v for k, v in ((k, quantity(v)) for k, v in hard_raw.items())
                if str(k) in _MEASURES and v is not None}
        if hard:
            found.append(Quota(obj.name, obj.namespace or "default", hard))
    return found, notes


def pod_usage(spec: Mapping[str, Any]) -> dict[str, float]:
    """What one pod adds to each measured resource (cpu in cores, memory in bytes)."""
    usage = {"pods": 1.0}
    for kind in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            usage[f"{kind}.{resource}"] = _amount(spec, kind, resource)
    return usage


def _amount(spec: Mapping[str, Any], kind: str, resource: str) -> float:
    def one(container: Any) -> float:
        res = container.get("resources") if isinstance(container, dict) else None
        res = res if isinstance(res, dict) else {}
        table = mapping(res.get(kind))
        value = table.get(resource)
        if value is None and kind == "requests":       # a limit alone is the request
            limits = mapping(res.get("limits"))
            value = limits.get(resource)
        return quantity(value) or 0.0

    apps = sum(one(c) for c in spec.get("containers") or [])
    inits = max((one(c) for c in spec.get("initContainers") or []), default=0.0)
    return max(apps, inits)


def admit(all_quotas: list[Quota], namespace: str, spec: Mapping[str, Any]) -> str | None:
    """Charge the pod to its namespace's quotas; the refusal text when one would be exceeded
    (nothing is charged then)."""
    usage = pod_usage(spec)
    mine = [q for q in all_quotas if q.namespace == namespace]
    for q in mine:
        over = sorted(r for r, hard in q.hard.items()
                      if q.used.get(r, 0.0) + usage[_MEASURES[r]] > hard + 1e-9)
        if over:
            return ("exceeded quota: " + q.name
                    + ", requested: " + ",".join(f"{r}={_show(r, usage[_MEASURES[r]])}" for r in over)
                    + ", used: " + ",".join(f"{r}={_show(r, q.used.get(r, 0.0))}" for r in over)
                    + ", limited: " + ",".join(f"{r}={_show(r, q.hard[r])}" for r in over))
    for q in mine:
        for r in q.hard:
            q.used[r] = q.used.get(r, 0.0) + usage[_MEASURES[r]]
    return None


def release(all_quotas: list[Quota], namespace: str, spec: Mapping[str, Any]) -> None:
    """A pod that finished (or is gone) no longer counts."""
    usage = pod_usage(spec)
    for q in all_quotas:
        if q.namespace == namespace:
            for r in q.hard:
                q.used[r] = max(0.0, q.used.get(r, 0.0) - usage[_MEASURES[r]])


def _show(resource: str, value: float) -> str:
    """A quantity as resource.Quantity.String() prints it (canonical form)."""
    if "cpu" in resource:
        milli = round(value * 1000)
        return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"
    if resource in ("pods", "count/pods"):
        return str(int(value))
    number = int(round(value))
    for suffix, size in (("Gi", 2 ** 30), ("Mi", 2 ** 20), ("Ki", 2 ** 10)):
        if number and number % size == 0:
            return f"{number // size}{suffix}"
    return str(number)
