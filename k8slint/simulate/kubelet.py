"""The kubelet starting one pod: images, init containers, containers, hooks, probes, failures.

Order (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/, init-containers/,
sidecar-containers/; pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod): init
containers one at a time, each to success; restartable sidecars (init containers with
restartPolicy Always) start in order and keep running, the next one waiting for a sidecar's
startupProbe; then the regular containers one after another in spec order, each image
pulled just before its container, each postStart hook blocking the next container. Probes:
startupProbe first; the first readiness probe runs `initialDelaySeconds` after the container
starts, ready after `successThreshold` successes `periodSeconds` apart. Failures (crashes,
probe kills, back-off) come from failures.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from ..k8s.defaults import image_pull_policy, probe_value
from ..k8s.termination import handler_seconds
from . import failures
from .cluster import Node
from .timeline import Pod

SANDBOX_SECONDS = 1          # sandbox and pod network after binding (illustrative)
PULL_SECONDS = 2             # one image pull (illustrative)
INIT_RUN_SECONDS = 1         # an init container runs this long and exits 0 (illustrative)
JOB_RUN_SECONDS = 10         # a Job pod's containers run this long and exit 0 (illustrative)

Container = Mapping[str, Any]
Window = tuple[float, float | None]       # a span of time the pod is Ready


@dataclass
class Step:
    t: float
    action: str
    message: str


@dataclass
class PodRun:
    steps: list[Step] = field(default_factory=list)
    started: dict[str, float] = field(default_factory=dict)
    ready_at: float | None = None
    finished_at: float | None = None
    failed_at: float | None = None
    problems: list[str] = field(default_factory=list)
    ready_windows: list[Window] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    restart_times: list[float] = field(default_factory=list)
    exit_codes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Faults:
    """What goes wrong in this simulation: --fail and --slow-start."""

    fail: Mapping[str, int] = field(default_factory=dict)
    slow_start: float = 0.0


def hook_seconds(hook: Any) -> float:
    """How long a postStart hook takes: `sleep N` (exec or sleep handler), else 0 (assumed
    quick); inf for `sleep infinity`, which holds back every later container."""
    return handler_seconds(hook) or 0.0


def _probe_port(probe: Container) -> Any:
    for handler in ("httpGet", "tcpSocket", "grpc"):
        if isinstance(probe.get(handler), dict):
            return probe[handler].get("port")
    return None


def probe_problem(kind: str, probe: Any, container: Container, pod_ports: set[int]) -> str | None:
    """Why a probe can never give a result, or None.

    A named port is looked up in the container's own ports only (pkg/kubelet/prober/
    prober.go runProbe -> ResolveContainerPort): missing, every probe errors, the worker
    throws the result away (worker.go doProbe) and the probe keeps its initial result:
    readiness Failure (never Ready), liveness Success (never restarted), startup Unknown
    (never started). A number that no container of the pod declares, while the pod declares
    ports, is assumed closed (readiness only)."""
    if not isinstance(probe, dict):
        return None
    port = _probe_port(probe)
    own = [p for p in container.get("ports") or [] if isinstance(p, dict)]
    name = container.get("name", "?")
    if isinstance(port, str) and not port.isdigit():
        if not any(p.get("name") == port for p in own):
            names = ", ".join(str(p.get("name")) for p in own if p.get("name"))
            text = _("{probe} of container {container} uses port name {port}, which the container "
                     "does not declare (its port names: {names}): every probe errors (\"couldn't find "
                     "port\") and the kubelet keeps the probe's initial result") if names else \
                _("{probe} of container {container} uses port name {port}, which the container "
                  "does not declare (its port names: none): every probe errors (\"couldn't find "
                  "port\") and the kubelet keeps the probe's initial result")
            return text.format(probe=kind, container=name, port=repr(port), names=names)
        return None
    number = int(port) if isinstance(port, str) else port
    if kind == "readinessProbe" and isinstance(number, int) and pod_ports and number not in pod_ports:
        declared = ", ".join(str(p) for p in sorted(pod_ports))
        return _("readinessProbe of container {container} checks port {port}, which no container "
                 "of the pod declares (declared: {declared}): unless the process also listens "
                 "on {port}, every probe fails").format(container=name, port=number, declared=declared)
    return None


def _pod_ports(spec: Mapping[str, Any]) -> set[int]:
    ports = set()
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            for port in (container.get("ports") or []) if isinstance(container, dict) else []:
                if isinstance(port, dict) and isinstance(port.get("containerPort"), int):
                    ports.add(port["containerPort"])
    return ports


def pull(node: Node, image: str, policy: str, t: float) -> tuple[float, str]:
    """(time the image is there, what happened). IfNotPresent reuses a node's image
    (pkg/kubelet/images/image_manager.go EnsureImageExists, shouldPullImage)."""
    done, message, _pulled = _pull(node, image, policy, t)
    return done, message


def _pull(node: Node, image: str, policy: str, t: float) -> tuple[float, str, bool]:
    """pull, and whether the image was pulled (the message is in the output language)."""
    images = node.images
    if policy == "Never":
        return t, _("uses image {image} from the node (imagePullPolicy Never)").format(image=image), False
    if policy == "IfNotPresent" and image in images:
        return max(t, images[image]), _("image {image} already on {node} (IfNotPresent)").format(
            image=image, node=node.name), False
    done = t + PULL_SECONDS
    images[image] = done
    return done, _("pulls {image} ({policy}, {seconds} s)").format(
        image=image, policy=policy, seconds=PULL_SECONDS), True


def _policy(container: Container) -> str:
    policy = container.get("imagePullPolicy")
    image = str(container.get("image") or "")
    return policy if policy in ("Always", "IfNotPresent", "Never") else image_pull_policy(image)


def start_pod(pod: Pod, node: Node, bound_at: float, runs_to_completion: bool,
              faults: Faults | None = None) -> PodRun:
    """Times of everything the kubelet does for the pod, from its binding on."""
    faults = faults or Faults()
    run = PodRun()
    spec = pod.spec
    run.steps.append(Step(bound_at + SANDBOX_SECONDS, "sandbox", _(
        "creates the pod sandbox on {node} (pod IP {ip})").format(node=node.name, ip=pod.ip)))
    windows: list[list[Window]] = []
    t = _init_containers(run, node, spec, bound_at + SANDBOX_SECONDS, windows, faults)
    if t is None:
        return run
    policy = str(spec.get("restartPolicy") or "Always")
    ends: list[tuple[float | None, int | None]] = []
    for container in _containers(spec, "containers"):
        name, t = _pull_image(run, node, container, t)
        hook = hook_seconds((container.get("lifecycle") or {}).get("postStart"))
        if math.isinf(hook):
            run.steps.append(Step(t, "start", _("starts container {container}; its postStart hook never "
                                                "returns").format(container=name)))
            run.problems.append(_("postStart hook of container {container} never returns: the containers "
                                  "after it never start and the pod never becomes Ready").format(container=name))
            return run
        started = _("starts container {container}; its postStart hook runs {seconds} s and holds back the "
                    "next container") if hook else _("starts container {container}")
        run.steps.append(Step(t, "start", started.format(container=name, seconds=f"{hook:g}")))
        ready = _container_ready(run, container, t, hook, _pod_ports(spec))
        windows.append(_runs(run, container, name, t, ready, runs_to_completion, policy, faults, ends))
        t += hook
    _finish(run, windows, ends)
    return run


def _runs(run: PodRun, container: Container, name: str, start: float, ready: float | None,
          to_completion: bool, policy: str, faults: Faults, ends: list[tuple[float | None, int | None]]
          ) -> list[Window]:
    """The ready windows of one container over its runs (crashes and restarts included)."""
    exit_ = failures.planned_exit(container, faults.fail, to_completion)
    assumed = exit_ is None and to_completion
    if assumed:
        exit_ = failures.Exit(0, JOB_RUN_SECONDS, _("assumed to finish after {seconds} s").format(
            seconds=JOB_RUN_SECONDS))
    if exit_ is None and not faults.slow_start:
        ends.append((None, None))
        return [] if ready is None else [(ready, None)]
    life = failures.lifecycle(container, start, ready, exit_, faults.slow_start, policy)
    for t, action, message in life.events:
        if not (assumed and action == "crash"):       # a normal finish: the pod's own event says it
            run.steps.append(Step(t, action, message))
    run.restarts[name] = sum(1 for _when, action, *__ in life.events if action == "restart")
    run.restart_times += [t for t, action, __ in life.events if action == "restart"]
    last = life.runs[-1]
    if last.code is not None and (life.failed_at is not None or last.code != 0 or not assumed):
        run.exit_codes[name] = last.code
    if life.failed_at is not None:
        ends.append((life.failed_at, last.code))
    elif life.completed_at is not None:
        ends.append((life.completed_at, 0))
    else:
        ends.append((None, None))
    if len(life.runs) > 1 or last.code not in (None, 0):
        if run.restarts[name] or life.failed_at is not None:
            run.problems.append(_failure_problem(name, life, policy))
    return [(r.ready, r.end) for r in life.runs if r.ready is not None]


def _failure_problem(name: str, life: failures.Lifecycle, policy: str) -> str:
    last = life.runs[-1]
    if life.failed_at is not None:
        return _("container {container} exits with code {code} and restartPolicy {policy} does not "
                 "restart it: the pod ends Failed").format(container=name, code=last.code, policy=policy)
    if last.killed_by:
        return _("container {container} is killed by its {probe} on every run: CrashLoopBackOff (restarts "
                 "after 0, 10, 20, 40 ... s, at most 300 s apart)").format(container=name, probe=last.killed_by)
    return _("container {container} exits with code {code} on every run: CrashLoopBackOff (restarts "
             "after 0, 10, 20, 40 ... s, at most 300 s apart)").format(container=name, code=last.code)


def _finish(run: PodRun, windows: list[list[Window]], ends: list[tuple[float | None, int | None]]) -> None:
    """Pod-level results: Ready spans (every container ready at once), Succeeded, Failed."""
    spans = _intersect(windows) if windows else []
    run.ready_windows = spans
    run.ready_at = spans[0][0] if spans else None
    if ends and all(end is not None for end, __ in ends):
        last = max(end for end, __ in ends if end is not None)
        if any(code not in (0, None) for __, code in ends):
            run.failed_at = last
        else:
            run.finished_at = last


def _intersect(windows: list[list[Window]]) -> list[Window]:
    """Spans during which every container is ready."""
    result: list[Window] = windows[0]
    for other in windows[1:]:
        merged: list[Window] = []
        for a_start, a_end in result:
            for b_start, b_end in other:
                start = max(a_start, b_start)
                ends = [e for e in (a_end, b_end) if e is not None]
                end = min(ends) if ends else None
                if end is None or end > start:
                    merged.append((start, end))
        result = merged
    return result


def _init_containers(run: PodRun, node: Node, spec: Mapping[str, Any], t: float,
                     windows: list[list[Window]], faults: Faults) -> float | None:
    """Init containers and sidecars; the time app containers may start (None: never)."""
    pod_ports = _pod_ports(spec)
    policy = str(spec.get("restartPolicy") or "Always")
    for container in _containers(spec, "initContainers"):
        name, t = _pull_image(run, node, container, t)
        if container.get("restartPolicy") == "Always":        # a restartable sidecar
            hook = hook_seconds((container.get("lifecycle") or {}).get("postStart"))
            if math.isinf(hook):
                run.problems.append(_("postStart hook of sidecar {container} never returns: the "
                                      "containers after it never start").format(container=name))
                return None
            started_ok = _startup_done(container, t)
            run.steps.append(Step(t, "start", _("starts sidecar init container {container}").format(
                container=name)))
            ready = _container_ready(run, container, t, hook, pod_ports)
            windows.append([] if ready is None else [(ready, None)])
            t = max(t + hook, started_ok if started_ok is not None else t)
            continue
        exit_ = failures.planned_exit(container, faults.fail, True)
        if exit_ is not None and exit_.code != 0:
            run.steps.append(Step(t, "start", _("runs init container {container}").format(container=name)))
            life = failures.lifecycle(container, t, None, exit_, 0.0,
                                      "OnFailure" if policy == "Always" else policy)
            for at, action, message in life.events:
                run.steps.append(Step(at, action, message))
            run.restarts[name] = sum(1 for _when, action, *__ in life.events if action == "restart")
            if life.failed_at is not None:
                run.failed_at = life.failed_at
                run.problems.append(_("init container {container} exits with code {code}; restartPolicy "
                                      "Never: the pod ends Failed and its app containers never start").format(
                    container=name, code=exit_.code))
            else:
                run.problems.append(_("init container {container} exits with code {code} on every run: the "
                                      "pod stays Init:CrashLoopBackOff and its app containers never start").format(
                    container=name, code=exit_.code))
            return None
        run.steps.append(Step(t, "start", _("runs init container {container} (assumed to exit 0 after "
                                            "{seconds} s)").format(container=name, seconds=INIT_RUN_SECONDS)))
        t += INIT_RUN_SECONDS
    return t


def _pull_image(run: PodRun, node: Node, container: Container, t: float) -> tuple[str, float]:
    """Pull the container's image just before it starts; (name, start time)."""
    name = str(container.get("name", "?"))
    t, message, pulled = _pull(node, str(container.get("image") or ""), _policy(container), t)
    run.steps.append(Step(t - (PULL_SECONDS if pulled else 0), "pull", message))
    run.started[name] = t
    return name, t


def _containers(spec: Mapping[str, Any], key: str) -> list[Container]:
    items = spec.get(key)
    return [c for c in items if isinstance(c, dict)] if isinstance(items, list) else []


def _startup_done(container: Container, start: float) -> float | None:
    probe = container.get("startupProbe")
    if not isinstance(probe, dict):
        return None
    return start + probe_value(probe, "initialDelaySeconds")


def container_ready(container: Container, start: float, hook: float,
                    pod_ports: set[int]) -> tuple[float | None, list[str]]:
    """When the container is ready, or None when it never is, with the reasons. A liveness
    probe on an undeclared named port errors on every run and keeps its initial Success, so
    it never restarts the container (pkg/kubelet/prober/worker.go doProbe)."""
    notes = []
    issue = probe_problem("livenessProbe", container.get("livenessProbe"), container, pod_ports)
    if issue:
        notes.append(_("{problem}: liveness stays Success, so the container is never restarted "
                       "and the probe protects nothing").format(problem=issue))
    for kind in ("startupProbe", "readinessProbe"):
        problem = probe_problem(kind, container.get(kind), container, pod_ports)
        if problem:
            effect = _("{problem}: the container never counts as started, its liveness and readiness "
                       "probes never run and the pod never becomes Ready") if kind == "startupProbe" else \
                _("{problem}: readiness stays Failure: the pod never becomes Ready")
            return None, notes + [effect.format(problem=problem)]
    started_ok = _startup_done(container, start)
    begin = max(start + hook, started_ok if started_ok is not None else start)
    probe = container.get("readinessProbe")
    if not isinstance(probe, dict):
        return begin, notes
    first = max(begin, start + probe_value(probe, "initialDelaySeconds"))
    return first + (probe_value(probe, "successThreshold") - 1) * probe_value(probe, "periodSeconds"), notes


def _container_ready(run: PodRun, container: Container, start: float, hook: float,
                     pod_ports: set[int]) -> float | None:
    ready, notes = container_ready(container, start, hook, pod_ports)
    run.problems.extend(notes)
    return ready


def probe_summary(container: Container) -> str:
    """Probe settings with the defaults filled in, for the admission event."""
    parts = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        if isinstance(probe, dict):
            values = "/".join(str(probe_value(probe, f)) for f in
                              ("initialDelaySeconds", "periodSeconds", "timeoutSeconds",
                               "successThreshold", "failureThreshold"))
            parts.append(f"{kind} delay/period/timeout/success/failure {values}")
    return "; ".join(parts)
