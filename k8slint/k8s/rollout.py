"""Rollout arithmetic shared by the controller rules and the explain simulator.

Sources: k8s.io/apimachinery/pkg/util/intstr GetScaledValueFromIntOrPercent (a percent is
an integer followed by `%`), pkg/controller/deployment/util/deployment_util.go
ResolveFenceposts (surge rounds up, unavailable rounds down, both 0 -> unavailable 1);
pkg/controller/deployment/rolling.go (reconcileNewReplicaSet, reconcileOldReplicaSets).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .fields import as_int

_PERCENT = re.compile(r"[0-9]+%")
DEFAULT_SURGE = "25%"
DEFAULT_UNAVAILABLE = "25%"


def scaled(value: Any, total: int, round_up: bool) -> int | None:
    """An IntOrString (3 or "25%") against a total; None when it is neither."""
    number = as_int(value)
    if number is not None:
        return number
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        product = int(value[:-1]) * total
        return -(-product // 100) if round_up else product // 100
    return None


class Fenceposts(NamedTuple):
    """A rolling update's budget in pods."""

    max_surge: int
    max_unavailable: int


def fenceposts(surge: Any, unavailable: Any, replicas: int) -> Fenceposts | None:
    """(maxSurge, maxUnavailable) in pods for a RollingUpdate Deployment; unset fields take
    the 25% defaults; None when a value cannot be read."""
    resolved_surge = scaled(DEFAULT_SURGE if surge is None else surge, replicas, round_up=True)
    resolved_unavailable = scaled(DEFAULT_UNAVAILABLE if unavailable is None else unavailable,
                                  replicas, round_up=False)
    if resolved_surge is None or resolved_unavailable is None:
        return None
    if resolved_surge == 0 and resolved_unavailable == 0:
        resolved_unavailable = 1                  # the controller's own fallback
    return Fenceposts(resolved_surge, resolved_unavailable)


def daemonset_budget(surge: Any, unavailable: Any, pods: int) -> Fenceposts | None:
    """(maxSurge, maxUnavailable) in pods for a DaemonSet RollingUpdate: both percentages round
    up (pkg/controller/daemon/util/daemonset_util.go SurgeCount, UnavailableCount); defaults
    maxSurge 0, maxUnavailable 1; both 0 cannot pass validation, 1 unavailable is assumed."""
    resolved_surge = scaled(0 if surge is None else surge, pods, round_up=True)
    resolved_unavailable = scaled(1 if unavailable is None else unavailable, pods, round_up=True)
    if resolved_surge is None or resolved_unavailable is None:
        return None
    if resolved_surge == 0 and resolved_unavailable == 0:
        resolved_unavailable = 1
    return Fenceposts(resolved_surge, resolved_unavailable)
