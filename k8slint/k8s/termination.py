"""The kubelet's stop sequence for one container (pkg/kubelet/kuberuntime/kuberuntime_container.go).

Delete at t=0: endpoints are removed at once; the preStop hook (if any) runs first and
counts against the grace period; SIGTERM when the hook ends or the grace runs out;
SIGKILL when the grace runs out, but never sooner than 2 s after SIGTERM
(pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer: grace minus the hook's
time, raised to minimumGracePeriodInSeconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..lazyre import lazy_compile
from .defaults import MIN_STOP_WINDOW_SECONDS
from .fields import as_int

# `sleep N`, `sleep 5s`, `/bin/sleep 1m`, `sleep infinity` in a shell line or an argv joined
# by spaces. Lookarounds, so that `sleep 5; sleep 10` finds both.
_SLEEP = lazy_compile(r"(?:^|(?<=[;&|\s/(]))sleep\s+(infinity|\d+(?:\.\d+)?)([smhd]?)(?=$|[;&|\s)])")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# Shell loops make the duration depend on the app: a `while ...; do sleep 1; done` is unknown.
_LOOP = lazy_compile(r"(?:^|[;&|\s])(?:while|until|for)\s")

# The kubelet's floor for a grace period of 0 (pkg/kubelet/pod_workers.go
# calculateEffectiveGracePeriod: "no matter what, we always supply a grace period of 1").
KUBELET_MIN_GRACE_SECONDS = 1


@dataclass(frozen=True)
class StopTimes:
    grace: int
    prestop_seconds: float | None     # None: no preStop hook; otherwise its duration (if known)
    prestop_end: float | None
    sigterm: float
    sigkill: float
    hook_cut: bool                    # the hook still ran when the grace period ran out


def command_sleep_seconds(command: Any) -> float | None:
    """Seconds an exec command spends in `sleep` (summed; inf for `sleep infinity`);
    None when it does not sleep or its duration depends on a loop."""
    if not isinstance(command, list):
        return None
    text = " ".join(str(c) for c in command)
    if _LOOP.search(text):
        return None
    total, found = 0.0, False
    for match in _SLEEP.finditer(text):
        found = True
        if match.group(1) == "infinity":
            return math.inf
        total += float(match.group(1)) * _UNIT[match.group(2)]
    return total if found else None


def handler_seconds(handler: Any) -> float | None:
    """How long a lifecycle handler takes, if we can tell: `sleep.seconds` or `sleep N` in
    an exec command."""
    if not isinstance(handler, dict):
        return None
    sleep = handler.get("sleep")
    if isinstance(sleep, dict):
        seconds = as_int(sleep.get("seconds"))
        return None if seconds is None else float(seconds)
    exec_ = handler.get("exec")
    return command_sleep_seconds(exec_.get("command")) if isinstance(exec_, dict) else None


def prestop_seconds(lifecycle: Any) -> tuple[bool, float | None]:
    """(has a preStop hook, how long it takes if we can tell: `sleep N` or sleep.seconds)."""
    hook = lifecycle.get("preStop") if isinstance(lifecycle, dict) else None
    if not isinstance(hook, dict):
        return False, None
    return True, handler_seconds(hook)


def stop_times(grace: int, prestop: float | None, has_hook: bool | None = None) -> StopTimes:
    """Times in seconds after the delete. `grace` is the effective grace period (≥ 0).

    grace 0: the API server removes the pod at once and the kubelet uses its minimum of
    1 s (pkg/registry/core/pod/strategy.go CheckGracefulDelete; pkg/kubelet/pod_workers.go
    calculateEffectiveGracePeriod); the hook starts and is cut at 1 s."""
    has_hook = prestop is not None if has_hook is None else has_hook
    effective = grace if grace > 0 else KUBELET_MIN_GRACE_SECONDS
    if not has_hook:
        return StopTimes(grace, None, None, 0.0, float(max(effective, MIN_STOP_WINDOW_SECONDS)), False)
    duration = prestop if prestop is not None else 0.0
    cut = duration >= effective
    end = float(effective) if cut else duration
    sigterm = end
    # Whatever the hook left of the grace period, but at least the 2 s stop window.
    sigkill = max(float(effective), sigterm + MIN_STOP_WINDOW_SECONDS)
    return StopTimes(grace, prestop, end, sigterm, sigkill, cut)
