"""The kubelet's stop sequence for one container (../shared/k8s-semantics.md §8).

Delete at t=0: endpoints are removed at once; the preStop hook (if any) runs first and
counts against the grace period; SIGTERM when the hook ends or the grace runs out;
SIGKILL when the grace runs out, but never sooner than 2 s after SIGTERM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .defaults import MIN_STOP_WINDOW_SECONDS

_SLEEP = re.compile(r"(?:^|[;&|\s])sleep\s+(\d+(?:\.\d+)?)s?(?:$|[;&|\s])")


@dataclass(frozen=True)
class StopTimes:
    grace: int
    prestop_seconds: float | None     # None: no preStop hook; otherwise its duration (if known)
    prestop_end: float | None
    sigterm: float
    sigkill: float
    hook_cut: bool                    # the hook still ran when the grace period ran out


def prestop_seconds(lifecycle: Any) -> tuple[bool, float | None]:
    """(has a preStop hook, how long it takes if we can tell: `sleep N` or sleep.seconds)."""
    hook = lifecycle.get("preStop") if isinstance(lifecycle, dict) else None
    if not isinstance(hook, dict):
        return False, None
    sleep = hook.get("sleep")
    if isinstance(sleep, dict) and isinstance(sleep.get("seconds"), int) and not isinstance(sleep.get("seconds"), bool):
        return True, float(sleep["seconds"])
    command = hook.get("exec", {}).get("command") if isinstance(hook.get("exec"), dict) else None
    if isinstance(command, list):
        match = _SLEEP.search(" ".join(str(c) for c in command))
        if match:
            return True, float(match.group(1))
    return True, None


def stop_times(grace: int, prestop: float | None, has_hook: bool | None = None) -> StopTimes:
    """Times in seconds after the delete. `grace` is the effective grace period (≥ 0).

    grace 0: the API server removes the pod at once and the kubelet uses its minimum of
    about 1 s (k8s-semantics.md §8.5)."""
    has_hook = prestop is not None if has_hook is None else has_hook
    effective = grace if grace > 0 else 1
    if not has_hook:
        return StopTimes(grace, None, None, 0.0, float(max(effective, MIN_STOP_WINDOW_SECONDS)), False)
    duration = prestop if prestop is not None else 0.0
    cut = duration >= effective
    end = float(effective) if cut else duration
    sigterm = end
    sigkill = max(float(effective), sigterm + MIN_STOP_WINDOW_SECONDS) if cut else float(effective)
    if not cut and effective - sigterm < MIN_STOP_WINDOW_SECONDS:
        sigkill = sigterm + MIN_STOP_WINDOW_SECONDS
    return StopTimes(grace, prestop, end, sigterm, sigkill, cut)
