"""The kubelet starting one pod: images, init containers, containers, hooks, probes.

Order (k8s-semantics.md §7, CORRECTIONS.md): init containers one at a time, each to
success; restartable sidecars (init containers with restartPolicy Always) start in order and
keep running, the next one waiting for a sidecar's startupProbe; then the regular containers
one after another in spec order, each image pulled just before its container, each
postStart hook blocking the next container. Probes: startupProbe first; the first readiness
probe runs `initialDelaySeconds` after the container starts (the kubelet also triggers one at
start), ready after `successThreshold` successes `periodSeconds` apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..k8s.defaults import image_pull_policy, probe_value
from ..k8s.termination import handler_seconds
from .cluster import Node
from .timeline import Pod

SANDBOX_SECONDS = 1          # sandbox and pod network after binding (illustrative)
PULL_SECONDS = 2             # one image pull (illustrative)
INIT_RUN_SECONDS = 1         # an init container runs this long and exits 0 (illustrative)
JOB_RUN_SECONDS = 10         # a Job pod's containers run this long and exit 0 (illustrative)


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
    problems: list[str] = field(default_factory=list)


def hook_seconds(hook: Any) -> float:
    """How long a postStart hook takes: `sleep N` (exec or sleep handler), else 0 (assumed
    quick); inf for `sleep infinity`, which holds back every later container."""
    return handler_seconds(hook) or 0.0


def _probe_port(probe: dict) -> Any:
    for handler in ("httpGet", "tcpSocket", "grpc"):
        if isinstance(probe.get(handler), dict):
            return probe[handler].get("port")
    return None


def probe_problem(kind: str, probe: Any, container: dict, pod_ports: set[int]) -> str | None:
    """Why a probe can never pass, or None.

    A named port is looked up in the container's own ports only (prober.go
    ResolveContainerPort): missing, every probe fails ("couldn't find port"). A number that
    no container of the pod declares, while the pod declares ports, is assumed closed."""
    if not isinstance(probe, dict):
        return None
    port = _probe_port(probe)
    own = [p for p in container.get("ports") or [] if isinstance(p, dict)]
    name = container.get("name", "?")
    if isinstance(port, str) and not port.isdigit():
        if not any(p.get("name") == port for p in own):
            names = ", ".join(str(p.get("name")) for p in own if p.get("name")) or "none"
            return (f"{kind} of container {name} uses port name {port!r}, which the container "
                    f"does not declare (its port names: {names}): the kubelet fails every probe "
                    "with \"couldn't find port\"")
        return None
    number = int(port) if isinstance(port, str) else port
    if kind == "readinessProbe" and isinstance(number, int) and pod_ports and number not in pod_ports:
        declared = ", ".join(str(p) for p in sorted(pod_ports))
        return (f"readinessProbe of container {name} checks port {number}, which no container "
                f"of the pod declares (declared: {declared}): unless the process also listens "
                f"on {number}, every probe fails")
    return None


def _pod_ports(spec: dict) -> set[int]:
    ports = set()
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            for port in (container.get("ports") or []) if isinstance(container, dict) else []:
                if isinstance(port, dict) and isinstance(port.get("containerPort"), int):
                    ports.add(port["containerPort"])
    return ports


def _pull(node: Node, image: str, policy: str, t: float) -> tuple[float, str]:
    """(time the image is there, what happened). IfNotPresent reuses a node's image."""
    images = node.images
    if policy == "Never":
        return t, f"uses image {image} from the node (imagePullPolicy Never)"
    if policy == "IfNotPresent" and image in images:
        return max(t, images[image]), f"image {image} already on {node.name} (IfNotPresent)"
    done = t + PULL_SECONDS
    images[image] = done
    return done, f"pulls image {image} (imagePullPolicy {policy}, {PULL_SECONDS} s)"


def _policy(container: dict) -> str:
    policy = container.get("imagePullPolicy")
    image = str(container.get("image") or "")
    return policy if policy in ("Always", "IfNotPresent", "Never") else image_pull_policy(image)


def start_pod(pod: Pod, node: Node, bound_at: float, runs_to_completion: bool) -> PodRun:
    """Times of everything the kubelet does for the pod, from its binding to Ready."""
    run = PodRun()
    spec = pod.spec
    pod_ports = _pod_ports(spec)
    t = bound_at + SANDBOX_SECONDS
    run.steps.append(Step(t, "sandbox", f"creates the pod sandbox on {node.name}, "
                                        f"pod IP {pod.ip}"))
    ready_parts: list[float] = []
    never_ready = False
    for container in _containers(spec, "initContainers"):
        name, t = _pull_image(run, node, container, t)
        if container.get("restartPolicy") == "Always":        # a restartable sidecar
            hook = hook_seconds((container.get("lifecycle") or {}).get("postStart"))
            if math.isinf(hook):
                run.problems.append(f"postStart hook of sidecar {name} never returns: the "
                                    "containers after it never start")
                return run
            started_ok = _startup_done(container, t)
            run.steps.append(Step(t, "start", f"starts sidecar init container {name}"))
            ready, problem = _container_ready(container, t, hook, pod_ports)
            never_ready |= ready is None
            ready_parts.append(ready if ready is not None else t)
            if problem:
                run.problems.append(problem)
            t = max(t + hook, started_ok if started_ok is not None else t)
        else:
            run.steps.append(Step(t, "start", f"runs init container {name} "
                                              f"(assumed to exit 0 after {INIT_RUN_SECONDS} s)"))
            t += INIT_RUN_SECONDS
    for container in _containers(spec, "containers"):
        name, t = _pull_image(run, node, container, t)
        hook = hook_seconds((container.get("lifecycle") or {}).get("postStart"))
        if math.isinf(hook):
            run.steps.append(Step(t, "start", f"starts container {name}; its postStart hook never returns"))
            run.problems.append(f"postStart hook of container {name} never returns: the containers "
                                "after it never start and the pod never becomes Ready")
            return run
        note = f"; its postStart hook runs {hook:g} s and holds back the next container" if hook else ""
        run.steps.append(Step(t, "start", f"starts container {name}{note}"))
        ready, problem = _container_ready(container, t, hook, pod_ports)
        for kind in ("livenessProbe",):
            issue = probe_problem(kind, container.get(kind), container, pod_ports)
            if issue:
                run.problems.append(issue + ": the container is restarted again and again "
                                    "(CrashLoopBackOff)")
        if problem:
            run.problems.append(problem)
        never_ready |= ready is None
        ready_parts.append(ready if ready is not None else t)
        t += hook
    if runs_to_completion:
        run.finished_at = t + JOB_RUN_SECONDS
    if never_ready or not ready_parts:
        return run
    run.ready_at = max(ready_parts + [t])
    return run


def _pull_image(run: PodRun, node: Node, container: dict, t: float) -> tuple[str, float]:
    """Pull the container's image just before it starts; (name, start time)."""
    name = container.get("name", "?")
    t, pulled = _pull(node, str(container.get("image") or ""), _policy(container), t)
    run.steps.append(Step(t - (PULL_SECONDS if "pulls" in pulled else 0), "pull", pulled))
    run.started[name] = t
    return name, t


def _containers(spec: dict, key: str) -> list[dict]:
    items = spec.get(key)
    return [c for c in items if isinstance(c, dict)] if isinstance(items, list) else []


def _startup_done(container: dict, start: float) -> float | None:
    probe = container.get("startupProbe")
    if not isinstance(probe, dict):
        return None
    return start + probe_value(probe, "initialDelaySeconds")


def _container_ready(container: dict, start: float, hook: float,
                     pod_ports: set[int]) -> tuple[float | None, str | None]:
    """When the container is ready, or None (with the reason) when it never is."""
    for kind in ("startupProbe", "readinessProbe"):
        problem = probe_problem(kind, container.get(kind), container, pod_ports)
        if problem:
            return None, problem + ": the pod never becomes Ready"
    started_ok = _startup_done(container, start)
    begin = max(start + hook, started_ok if started_ok is not None else start)
    probe = container.get("readinessProbe")
    if not isinstance(probe, dict):
        return begin, None
    first = max(begin, start + probe_value(probe, "initialDelaySeconds"))
    return first + (probe_value(probe, "successThreshold") - 1) * probe_value(probe, "periodSeconds"), None


def probe_summary(container: dict) -> str:
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
