"""PodDisruptionBudget arithmetic, as the disruption controller and the eviction API do it.

One place for the numbers, so rules and `explain` never disagree. Sources:
- pkg/controller/disruption/disruption.go getExpectedPodCount: with `maxUnavailable`, the
  expected pods are the sum of the scales (spec.replicas) of the controllers of the
  selected pods (getExpectedScale) and desiredHealthy = expected - maxUnavailable (at least
  0); with an integer `minAvailable`, desiredHealthy = minAvailable and expected = the number
  of selected pods; with a percentage `minAvailable`, expected = the controllers' scale and
  desiredHealthy = minAvailable of it. Percentages round **up** in both cases
  (intstr.GetScaledValueFromIntOrPercent(..., true)). Neither field set: expected 0.
- countHealthyPods: selected pods that are not being deleted and are Ready.
- updatePdbStatus: disruptionsAllowed = currentHealthy - desiredHealthy, but 0 when that is
  negative or when expected pods <= 0.
- pkg/registry/core/pod/storage/eviction.go: pods that are not Running (Pending, Succeeded,
  Failed) are evicted without looking at budgets; a Running pod selected by more than one
  budget cannot be evicted (500); a not-Ready Running pod is evicted when
  `unhealthyPodEvictionPolicy: AlwaysAllow`, or (default IfHealthyBudget) while
  currentHealthy >= desiredHealthy; otherwise checkAndDecrement refuses with 429 when
  disruptionsAllowed is 0 and else takes one.
- pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: both fields set is invalid;
  each value is an integer >= 0 or a percentage string `N%` (ValidatePositiveIntOrPercent)
  of at most 100% (IsNotMoreThan100Percent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .fields import as_int
from .rollout import scaled

REFUSED_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget."
MULTIPLE_MESSAGE = ("This pod has more than one PodDisruptionBudget, which the eviction subresource "
                    "does not support.")


_PERCENT = re.compile(r"[0-9]+%")


def spec_errors(spec: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """(field, reason) for each reason ValidatePodDisruptionBudgetSpec rejects the spec; the
    field is None for both fields set."""
    errors: list[tuple[str | None, str]] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errors.append((None, "minAvailable and maxUnavailable cannot be both set"))
    for field in ("minAvailable", "maxUnavailable"):
        value = spec.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            errors.append((field, "must be an integer or a percentage"))
        elif isinstance(value, int):
            if value < 0:
                errors.append((field, "must be greater than or equal to 0"))
        elif not _PERCENT.fullmatch(value):
            errors.append((field, "a valid percent string must be a numeric string followed by an ending '%'"))
        elif int(value[:-1]) > 100:
            errors.append((field, "must not be greater than 100%"))
    return errors


def allowed_when_ready(spec: Mapping[str, Any], pods: int) -> int | None:
    """disruptionsAllowed while all `pods` pods (of controllers scaled to `pods` in total) are
    Ready: the most the budget ever allows at that scale. None when a value cannot be read."""
    status = budget(spec, pods, pods, pods)
    return None if status is None else status.disruptions_allowed


class Budget(NamedTuple):
    """A PodDisruptionBudget's status numbers."""

    expected_pods: int
    desired_healthy: int
    current_healthy: int
    disruptions_allowed: int


class Eviction(NamedTuple):
    """The eviction API's answer for one pod."""

    allowed: bool
    status: int           # HTTP status: 201 created, 429 too many requests, 500 error
    message: str


def expected_and_desired(spec: Mapping[str, Any], selected_pods: int, controller_scale: int) -> tuple[int, int] | None:
    """(expectedPods, desiredHealthy) of a budget; None when a value cannot be read.

    `selected_pods`: pods the selector matches; `controller_scale`: the sum of spec.replicas
    of their controllers (each counted once)."""
    max_unavailable, min_available = spec.get("maxUnavailable"), spec.get("minAvailable")
    if max_unavailable is not None:
        value = scaled(max_unavailable, controller_scale, round_up=True)
        if value is None:
            return None
        return controller_scale, max(0, controller_scale - value)
    if min_available is None:
        return 0, 0
    count = as_int(min_available)
    if count is not None:
        return selected_pods, count
    value = scaled(min_available, controller_scale, round_up=True)
    return None if value is None else (controller_scale, value)


def budget(spec: Mapping[str, Any], selected_pods: int, healthy: int, controller_scale: int) -> Budget | None:
    """The status the disruption controller computes (updatePdbStatus)."""
    counts = expected_and_desired(spec, selected_pods, controller_scale)
    if counts is None:
        return None
    expected, desired = counts
    allowed = healthy - desired
    if expected <= 0 or allowed <= 0:
        allowed = 0
    return Budget(expected, desired, healthy, allowed)


def evict(status: Budget | None, running: bool, ready: bool, policy: str = "IfHealthyBudget",
          budgets: int = 1) -> Eviction:
    """Whether the eviction API lets one pod go, given the status of its budget (None: the
    pod has no budget)."""
    if not running or status is None or budgets == 0:
        return Eviction(True, 201, "evicted (no budget applies)" if running else
                        "evicted (the pod is not Running: budgets do not apply)")
    if budgets > 1:
        return Eviction(False, 500, MULTIPLE_MESSAGE)
    if not ready and (policy == "AlwaysAllow" or status.current_healthy >= status.desired_healthy):
        return Eviction(True, 201, f"evicted (not Ready; unhealthyPodEvictionPolicy {policy})")
    if status.disruptions_allowed <= 0:
        return Eviction(False, 429, REFUSED_MESSAGE)
    return Eviction(True, 201, "evicted")


def describe(spec: Mapping[str, Any], status: Budget) -> str:
    """One sentence with the arithmetic, for people."""
    if spec.get("maxUnavailable") is not None:
        how = (f"maxUnavailable {spec['maxUnavailable']} of {status.expected_pods} expected pods "
               f"(percentages round up): desiredHealthy {status.desired_healthy}")
    elif spec.get("minAvailable") is not None:
        how = f"minAvailable {spec['minAvailable']}: desiredHealthy {status.desired_healthy}"
    else:
        how = "neither minAvailable nor maxUnavailable: expected pods 0, so no eviction is ever allowed"
    return (f"{how}; currentHealthy {status.current_healthy} -> disruptionsAllowed "
            f"{status.disruptions_allowed}")
