"""Containers that fail: `--fail NAME[=CODE]`, obviously failing commands, `--slow-start`.

What the kubelet does with them (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
#container-restarts and #container-probes; pkg/kubelet/kuberuntime/kuberuntime_manager.go
computePodActions; pkg/kubelet/prober/worker.go doProbe):
- restartPolicy Always restarts every exited container (exit code 0 too), OnFailure only
  a non-zero exit, Never none (the pod ends Failed, or Succeeded when all exited 0);
- restarts wait with the CrashLoopBackOff back-off of backoff.py;
- a startup probe that has not passed after initialDelaySeconds + (failureThreshold - 1) ×
  periodSeconds gets the container killed; so does a liveness probe that fails
  failureThreshold times in a row (no startup probe to protect a slow start); a killed
  container restarts like a crashed one (exit code 137);
- readiness fails until the app answers: the pod is not Ready, and not an endpoint.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..i18n import _
from ..k8s.defaults import probe_value
from ..k8s.termination import command_sleep_seconds
from .backoff import crash_loop_delay

FAIL_AFTER_SECONDS = 1.0       # a --fail container exits this long after it starts (illustrative)
HORIZON_SECONDS = 600.0        # crash loops are followed this long after the pod starts
KILLED_EXIT_CODE = 137         # 128 + SIGKILL: a container killed after failed probes
_EXIT = re.compile(r"(?:^|[;&|]\s*|\s)exit\s+([0-9]+)\s*$")


@dataclass(frozen=True)
class Exit:
    """How a container run ends: exit `code` `after` seconds after it starts."""

    code: int
    after: float
    why: str


@dataclass(frozen=True)
class Run:
    """One run of a container: when it started, when it was ready, how it ended."""

    start: float
    ready: float | None
    end: float | None                # None: still running at the end of the simulation
    code: int | None = None
    killed_by: str = ""              # "startupProbe" / "livenessProbe" when the kubelet killed it


@dataclass
class Lifecycle:
    """Every run of one container, and the events between them."""

    runs: list[Run] = field(default_factory=list)
    events: list[tuple[float, str, str]] = field(default_factory=list)   # (t, action, message)
    failed_at: float | None = None       # restartPolicy does not restart it: pod fails
    completed_at: float | None = None    # exited 0 and not restarted


def parse_fail(values: Iterable[str]) -> dict[str, int]:
    """`--fail NAME[=CODE]` values as {container name: exit code} (default code 1)."""
    out: dict[str, int] = {}
    for value in values:
        name, _sep, code = value.partition("=")
        if not name:
            raise InputError(_("--fail {value}: give a container name, e.g. --fail web=1").format(value=repr(value)))
        try:
            out[name] = int(code) if code else 1
        except ValueError:
            raise InputError(_("--fail {value}: the exit code must be a number").format(value=repr(value))) from None
        if not 0 <= out[name] <= 255:
            raise InputError(_("--fail {value}: exit codes are 0..255").format(value=repr(value)))
    return out


def _command_text(container: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for key in ("command", "args"):
        value = container.get(key)
        if isinstance(value, list):
            parts += [str(p) for p in value if isinstance(p, (str, int))]
    return " ".join(parts).strip()


def obvious_exit(container: Mapping[str, Any], to_completion: bool) -> Exit | None:
    """An exit the command itself announces: `false`, `exit N` at the end, or (for a pod that
    runs to completion) `sleep N` alone, which exits 0 after N seconds."""
    text = _command_text(container)
    if not text:
        return None
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    last = words[-1] if words else ""
    if last in ("false", "/bin/false", "/usr/bin/false") and len(words) <= 3:
        return Exit(1, 0.0, _("its command `{command}` exits {code}").format(command=text, code=1))
    match = _EXIT.search(text)
    if match and int(match.group(1)) != 0:
        sleep = command_sleep_seconds([text]) or 0.0
        return Exit(int(match.group(1)), sleep,
                    _("its command `{command}` exits {code}").format(command=text, code=match.group(1)))
    alone = command_sleep_seconds([text]) if to_completion else None
    if alone is not None and alone != float("inf") and re.fullmatch(r"(?:\S*/)?(?:sh -c )?sleep \S+", text):
        return Exit(0, alone, _("its command `{command}` exits 0 after {seconds} s").format(
            command=text, seconds=f"{alone:g}"))
    return None


def planned_exit(container: Mapping[str, Any], fails: Mapping[str, int], to_completion: bool) -> Exit | None:
    name = str(container.get("name", "?"))
    if name in fails:
        return Exit(fails[name], FAIL_AFTER_SECONDS, f"--fail {name}={fails[name]}")
    return obvious_exit(container, to_completion)


def restarts(policy: str, code: int) -> bool:
    """Whether the kubelet restarts a container that exited with `code` (pod-lifecycle docs)."""
    return policy == "Always" or (policy == "OnFailure" and code != 0)


def _ticks(start: float, probe: Mapping[str, Any], not_before: float) -> Iterable[float]:
    """Probe times: initialDelaySeconds after the start, then every periodSeconds; ticks
    before `not_before` (the container has not started yet, for liveness and readiness)
    do not count."""
    delay, period = probe_value(probe, "initialDelaySeconds"), probe_value(probe, "periodSeconds")
    k = 0
    while True:
        t = start + delay + k * period
        k += 1
        if t >= not_before:
            yield t


def probe_kill(container: Mapping[str, Any], start: float, answers_at: float) -> tuple[float, str, float] | None:
    """(time of the kill, which probe, when startup succeeded) if the kubelet kills this run
    because the app answers only at `answers_at`; None when it survives."""
    startup = container.get("startupProbe")
    started = start
    if isinstance(startup, dict):
        failures = probe_value(startup, "failureThreshold")
        for i, tick in enumerate(_ticks(start, startup, start)):
            if tick >= answers_at:
                started = tick
                break
            if i + 1 >= failures:
                return tick, "startupProbe", tick
    liveness = container.get("livenessProbe")
    if isinstance(liveness, dict):
        failures = probe_value(liveness, "failureThreshold")
        count = 0
        for tick in _ticks(start, liveness, started):
            if tick >= answers_at:
                break
            count += 1
            if count >= failures:
                return tick, "livenessProbe", started
    return None


def ready_time(container: Mapping[str, Any], start: float, answers_at: float, started: float) -> float:
    """The first readiness tick at or after the app answers (and after startup passed);
    without a readiness probe the container is ready once started."""
    probe = container.get("readinessProbe")
    begin = max(started, answers_at)
    if not isinstance(probe, dict):
        return begin
    success = probe_value(probe, "successThreshold")
    period = probe_value(probe, "periodSeconds")
    first = next(t for t in _ticks(start, probe, begin))
    return first + (success - 1) * period


def lifecycle(container: Mapping[str, Any], start: float, ready: float | None, exit: Exit | None,
              slow: float, policy: str) -> Lifecycle:
    """Every run of one container from `start` until HORIZON_SECONDS: crashes, probe kills,
    back-off waits and restarts. `ready` is when a healthy run is ready (None: never)."""
    out = Lifecycle()
    name = str(container.get("name", "?"))
    t, restart = start, 0
    while t <= start + HORIZON_SECONDS:
        answers = t + slow
        kill = probe_kill(container, t, answers) if slow else None
        started = kill[2] if kill else t
        run_ready = None if ready is None else (
            ready_time(container, t, answers, started) if slow else t + (ready - start))
        end = code = None
        why = ""
        if kill is not None and (exit is None or kill[0] < t + exit.after):
            end, code, why = kill[0], KILLED_EXIT_CODE, kill[1]
            run_ready = None
            out.events.append((end, "probe-failed", _(
                "{probe} of {container} fails {count} times in a row: the app answers only {seconds} s after "
                "it starts").format(probe=why, container=name, count=_failures(container, why),
                                    seconds=f"{slow:g}")))
            out.events.append((end, "kill", _("kills container {container} ({probe} failed); it will be restarted")
                               .format(container=name, probe=why)))
        elif exit is not None:
            end, code = t + exit.after, exit.code
            if run_ready is not None and run_ready > end:
                run_ready = None
            state = "Completed" if code == 0 else "Error"
            out.events.append((end, "crash", _("container {container} exits with code {code} ({state}; {why})")
                               .format(container=name, code=code, state=state, why=exit.why)))
        out.runs.append(Run(t, run_ready, end, code, why))
        if end is None or code is None:
            break
        if not restarts(policy, code):
            if code == 0:
                out.completed_at = end
            else:
                out.failed_at = end
            break
        restart += 1
        delay = crash_loop_delay(restart, end - t)
        if delay:
            out.events.append((end, "back-off", _(
                "Back-off restarting failed container {container}: CrashLoopBackOff, waits {seconds} s "
                "(10 s doubling per restart, at most 300 s)").format(container=name, seconds=f"{delay:g}")))
        t = end + delay
        if t > start + HORIZON_SECONDS:
            # starts with "... " in every language: the walk-through keeps this closing line
            out.events.append((end, "back-off", _(
                "... and so on: {container} keeps restarting every {seconds} s or less while it keeps "
                "failing").format(container=name, seconds=f"{min(delay * 2, 300):g}")))
            break
        text = _("restarts container {container} (restart {count}, immediately: the first restart does not "
                 "wait)") if restart == 1 else _("restarts container {container} (restart {count})")
        out.events.append((t, "restart", text.format(container=name, count=restart)))
    return out


def _failures(container: Mapping[str, Any], probe: str) -> int:
    return probe_value(container.get(probe), "failureThreshold")
