"""Probe rules: probes the API server rejects, probes that can never pass, probes that
restart healthy containers, pods that get traffic before they are ready
(pkg/apis/core/v1/defaults.go SetDefaults_Probe, pkg/apis/core/validation validateProbe,
pkg/kubelet/prober/worker.go doProbe)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..engine import CheckContext, check, last_arguments
from ..graph import ContainerRef, Object, PodTemplate, container_anchor, container_name
from ..k8s.defaults import PORT_RANGE, PROBE, PROBE_HANDLERS, PROBE_KINDS, PROBE_NUMBERS, probe_value
from ..k8s.fields import as_int
from ..k8s.podvalidation import rejected
from ..k8s.versions import Version, show
from ..model import JSON, Hit, Path, Severity
from ..rules import fix_for

Timing = dict[str, int]        # a probe's effective numbers by field name

KIND_NAMES = {"livenessProbe": "liveness", "readinessProbe": "readiness", "startupProbe": "startup"}
# Restartable init containers ("sidecars"): SidecarContainers is alpha and off on 1.28, on by
# default from 1.29 (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).
SIDECARS_FROM = (1, 29)
# gRPC probes: GRPCContainerProbe is alpha and off on 1.23, beta and on from 1.24, GA 1.27
# (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/).
GRPC_PROBES_FROM = (1, 24)


# --- shared with lifecycle.py ---------------------------------------------------------
def seconds(value: float) -> str:
    """10.0 -> '10'; 2.5 -> '2.5'."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def none_has(containers: list[ContainerRef], what: str) -> str:
    """'container web has no preStop hook' / 'none of the 3 containers has a preStop hook'."""
    if len(containers) == 1:
        return f"container {container_name(containers[0][0])} has no {what.split(' ', 1)[1]}"
    return f"none of the {len(containers)} containers has {what}"


def service_names(services: list[Object]) -> str:
    names = [s.name for s in services]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# --- probe helpers ---------------------------------------------------------------------
def probes(container: JSON, path: Path) -> Iterator[tuple[str, JSON, Path]]:
    for kind in PROBE_KINDS:
        probe = container.get(kind)
        if isinstance(probe, dict):
            yield kind, probe, path + (kind,)


def each_probe(containers: Iterable[ContainerRef]) -> Iterator[tuple[JSON, str, JSON, Path]]:
    """(container, probe kind, probe, its path) for every probe of these containers."""
    for container, cpath, _ in containers:
        for kind, probe, ppath in probes(container, cpath):
            yield container, kind, probe, ppath


def handlers(probe: JSON) -> list[str]:
    """Handler fields that are set (a null one is absent for the API server)."""
    return [h for h in PROBE_HANDLERS if probe.get(h) is not None]


def timing(probe: JSON) -> dict[str, int] | None:
    """Effective numbers (0 or unset -> default); None when one is negative (rejected)."""
    values = {field: probe_value(probe, field) for field in PROBE_NUMBERS}
    return None if min(values.values()) < 0 else values


def window(t: dict[str, int]) -> int:
    """Time from the first failed check to the verdict: failureThreshold × periodSeconds."""
    return t["failureThreshold"] * t["periodSeconds"]


def budget(t: dict[str, int]) -> int:
    """The latest time after the container starts at which this probe gives up (timeouts
    aside): initialDelaySeconds + failureThreshold × periodSeconds."""
    return t["initialDelaySeconds"] + window(t)


def kill_window(t: dict[str, int]) -> str:
    """When a probe that always fails gives up, after the container starts. The probe worker's
    ticker is not aligned with the start (pkg/kubelet/prober/worker.go run, doProbe), so the
    first check falls within one period after initialDelaySeconds and the verdict comes
    failureThreshold - 1 periods later, plus up to timeoutSeconds per check."""
    delay, fails, period = t["initialDelaySeconds"], t["failureThreshold"], t["periodSeconds"]
    return (f"between {delay} + {fails - 1} × {period} = {delay + (fails - 1) * period} s and "
            f"{delay} + {fails} × {period} = {budget(t)} s after the start (plus timeouts)")


def port_names(container: JSON) -> dict[str, object]:
    """Named ports of a container -> their containerPort as written."""
    out: dict[str, object] = {}
    ports = container.get("ports")
    for port in ports if isinstance(ports, list) else ():
        if isinstance(port, dict) and isinstance(port.get("name"), str):
            out.setdefault(port["name"], port.get("containerPort"))
    return out


def tcp_ports(container: JSON) -> set[int]:
    ports = container.get("ports")
    return {p["containerPort"] for p in (ports if isinstance(ports, list) else ())
            if isinstance(p, dict) and isinstance(p.get("containerPort"), int)
            and p.get("protocol", "TCP") == "TCP"}


def describe(probe: JSON) -> str:
    """The check in a few words: 'GET /healthz on port http'."""
    found = handlers(probe)
    if len(found) != 1 or not isinstance(probe[found[0]], dict):
        return "its check"
    kind, body = found[0], probe[found[0]]
    if kind == "httpGet":
        scheme = "HTTPS " if str(body.get("scheme", "HTTP")).upper() == "HTTPS" else ""
        return f"{scheme}GET {body.get('path') or '/'} on port {body.get('port')}"
    if kind == "tcpSocket":
        return f"TCP connect to port {body.get('port')}"
    if kind == "grpc":
        service = f" service {body['service']}" if body.get("service") else ""
        return f"gRPC health check{service} on port {body.get('port')}"
    command = body.get("command")
    text = " ".join(str(c) for c in command) if isinstance(command, list) else ""
    return f"exec `{text[:60]}{'...' if len(text) > 60 else ''}`"


def check_target(probe: JSON, container: JSON) -> tuple[object, ...] | None:
    """What the probe checks, with named ports resolved; headers and timing ignored."""
    found = handlers(probe)
    if len(found) != 1 or not isinstance(probe[found[0]], dict):
        return None
    kind, body = found[0], probe[found[0]]
    port = body.get("port")
    if isinstance(port, str):
        port = port_names(container).get(port, port)
    if kind == "exec":
        command = body.get("command")
        return (kind, tuple(str(c) for c in command)) if isinstance(command, list) else None
    if kind == "httpGet":
        return (kind, body.get("host"), str(body.get("scheme", "HTTP")).upper(),
                body.get("path") or "/", port)
    if kind == "tcpSocket":
        return (kind, body.get("host"), port)
    return (kind, port, body.get("service") or "")


def failure_effect(kind: str, t: dict[str, int] | None) -> str:
    """What a probe that never passes does to the pod."""
    if kind == "readinessProbe":
        return "the pod never becomes Ready and never gets Service traffic"
    # The first check falls within one period after initialDelaySeconds (kill_window).
    after = (f" {t['initialDelaySeconds'] + (t['failureThreshold'] - 1) * t['periodSeconds']}-{budget(t)} s "
             "after it starts") if t else ""
    if kind == "startupProbe":
        return f"the kubelet restarts the container{after}, again and again, and it never becomes Ready"
    return f"the kubelet restarts the container{after}, again and again (CrashLoopBackOff)"




# --- rules -----------------------------------------------------------------------------
@check("probe-invalid", workloads=True)
def probe_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    fix = fix_for("probe-invalid", ctx.kubernetes_version)
    for container, kind, probe, ppath in each_probe(obj.template.declared_containers()):
        for hit in _invalid(obj, container_name(container), kind, probe, ppath, ctx.kubernetes_version):
            hit.fix = fix
            yield hit


def _invalid(obj: Object, cname: str, kind: str, probe: JSON, ppath: Path, version: Version) -> Iterator[Hit]:
    what = f"{KIND_NAMES[kind]} probe of container {cname}"
    rejects = rejected(obj.kind, obj.group)
    found = handlers(probe)
    if "grpc" in found and version < GRPC_PROBES_FROM:
        # GRPCContainerProbe is alpha and off on 1.23: the field is dropped before validation
        # (pkg/api/pod/util.go dropDisabledFields), so the probe is left without it.
        found.remove("grpc")
        if not found:
            yield obj.finding(ppath + ("grpc",), f"{what} uses grpc, which is off by default before "
                              f"Kubernetes {show(GRPC_PROBES_FROM)}: the API server drops it and the "
                              f"probe has no handler left, so {rejects} (must specify a handler type)")
    elif not found:
        yield obj.finding(ppath, f"{what} has no handler: {rejects} (must specify a handler type); "
                          f"give one of {', '.join(_handlers(version))}")
    if len(found) > 1:
        yield obj.finding(ppath + (found[1],), f"{what} has {len(found)} handlers "
                          f"({', '.join(found)}): {rejects} (may not specify more than 1 handler "
                          "type); keep one")
    exec_ = probe.get("exec")
    if isinstance(exec_, dict) and not exec_.get("command"):
        yield obj.finding(ppath + ("exec",), f"{what} runs exec with no command: {rejects} "
                          "(command is required)")
    for handler in ("httpGet", "tcpSocket", "grpc"):
        body = probe.get(handler)
        port = as_int(body.get("port")) if isinstance(body, dict) else None
        if port is not None and not PORT_RANGE[0] <= port <= PORT_RANGE[1]:
            yield obj.finding(ppath + (handler, "port"), f"{what} checks port {port}: {rejects} "
                              "(must be between 1 and 65535)", at="value")
    for field in PROBE_NUMBERS:
        value = as_int(probe.get(field))
        if value is not None and value < 0:
            yield obj.finding(ppath + (field,), f"{what}: {field} {value} is negative: {rejects} "
                              f"(must be greater than or equal to 0); 0 or unset means {PROBE[field]}",
                              at="value")
    success = as_int(probe.get("successThreshold"))
    if kind != "readinessProbe" and success is not None and success > 1:
        yield obj.finding(ppath + ("successThreshold",), f"{what}: successThreshold {success}: "
                          f"{rejects} (must be 1 for {KIND_NAMES[kind]} probes)", at="value")
    written = probe.get("terminationGracePeriodSeconds")
    grace = as_int(written)
    if written is not None and kind == "readinessProbe":
        yield obj.finding(ppath + ("terminationGracePeriodSeconds",), f"{what} sets "
                          f"terminationGracePeriodSeconds: {rejects} (must not be set for readiness "
                          "probes: a failing readiness probe kills nothing)")
    elif grace is not None and grace <= 0:
        yield obj.finding(ppath + ("terminationGracePeriodSeconds",), f"{what}: "
                          f"terminationGracePeriodSeconds {grace}: {rejects} (must be greater than 0)",
                          at="value")


def _handlers(version: Version) -> tuple[str, ...]:
    return PROBE_HANDLERS if version >= GRPC_PROBES_FROM else tuple(h for h in PROBE_HANDLERS if h != "grpc")


@check("init-container-probe", workloads=True)
def init_container_probe(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    sidecars = ctx.kubernetes_version >= SIDECARS_FROM
    fix = fix_for("init-container-probe", ctx.kubernetes_version)
    for container, cpath, list_name in template.declared_containers():
        if list_name != "initContainers":
            continue
        restartable = container.get("restartPolicy") == "Always"
        if restartable and sidecars:
            continue
        for kind, _probe, ppath in probes(container, cpath):
            why = ("restartable sidecars (restartPolicy: Always) are off by default before "
                   "Kubernetes 1.29, so the API server drops restartPolicy and then rejects the "
                   "probe" if restartable else
                   "init containers run to completion one after another; only restartable "
                   "sidecars (restartPolicy: Always) may have probes")
            yield obj.finding(ppath, f"init container {container_name(container)} has a {kind}: "
                              f"{rejected(obj.kind, obj.group, 'the pod')} (may not be set for init "
                              f"containers without restartPolicy=Always); {why}", fix=fix)


# A named port the container lacks: resolving it fails on every check (pkg/probe/util.go
# ResolveContainerPort, which then tries the name as a number), the prober records a Warning
# event and the worker throws the errored result away (pkg/kubelet/prober/worker.go doProbe),
# so each probe keeps its initial result (newWorker): readiness Failure, liveness Success,
# startup Unknown.
_ERRORED_EFFECT = {
    "readinessProbe": ("the pod never becomes Ready",
                       "so the probe keeps its initial Failure and the pod never gets Service traffic"),
    "livenessProbe": ("the probe never fails, so it never restarts the container",
                      "so the probe keeps its initial Success and protects nothing"),
    "startupProbe": ("the container never counts as started and the pod never becomes Ready",
                     "so the startup probe never succeeds and the liveness and readiness probes never run"),
}


@check("probe-named-port-missing", workloads=True)
def probe_named_port_missing(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, _ in template.app_containers():
        names = port_names(container)
        for kind, probe, ppath in probes(container, cpath):
            for handler in ("httpGet", "tcpSocket"):
                body = probe.get(handler)
                port = body.get("port") if isinstance(body, dict) else None
                if not isinstance(port, str) or not port or port.isdigit() or port in names:
                    continue
                have = f"it has {', '.join(sorted(names))}" if names else "it names no ports"
                effect, why = _ERRORED_EFFECT[kind]
                event = f"{KIND_NAMES[kind].capitalize()} probe errored: strconv.Atoi: parsing {json.dumps(port)}: invalid syntax"
                yield obj.finding(ppath + (handler, "port"), f"{KIND_NAMES[kind]} probe of container "
                                  f"{container_name(container)} names port {port!r}, which the container lacks "
                                  f"({have}): {effect}. Every check errors (event \"{event}\") and "
                                  f"the kubelet discards errored results, {why}", at="value")


@check("probe-port-not-exposed", workloads=True)
def probe_port_not_exposed(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    containers = template.app_containers()
    for container, cpath, _ in containers:
        exposed = tcp_ports(container)
        if not exposed:          # no ports declared: nothing to compare the probe with
            continue
        for kind, probe, ppath in probes(container, cpath):
            for handler in ("httpGet", "tcpSocket", "grpc"):
                body = probe.get(handler)
                if not isinstance(body, dict) or body.get("host"):
                    continue
                port = as_int(body.get("port"))
                if port is None or port in exposed or not 0 < port <= PORT_RANGE[1]:
                    continue
                owner = next((container_name(c) for c, _, _ in containers
                              if c is not container and port in tcp_ports(c)), None)
                ports = ", ".join(str(p) for p in sorted(exposed))
                if owner:
                    effect = (f"port {port} belongs to container {owner}, so the probe checks "
                              f"{owner}, not {container_name(container)}")
                else:
                    effect = (f"declaring ports is informational, so this works if the process "
                              f"listens there; if nothing does, {failure_effect(kind, timing(probe))}")
                yield obj.finding(ppath + (handler, "port"), f"{KIND_NAMES[kind]} probe of "
                                  f"container {container_name(container)} checks port {port}, which the "
                                  f"container does not expose (it exposes {ports}): {effect}",
                                  at="value", severity=Severity.WARNING if owner else None)


def served(ctx: CheckContext, workload: Object) -> tuple[list[Object], list[ContainerRef]] | None:
    """(Services, app containers) of a long-running workload that at least one Service
    sends traffic to; None for other objects."""
    template = workload.pod_template
    if template is None or not template.long_running:
        return None
    services = ctx.graph.services_in_front(workload)
    containers = template.app_containers() if services else []
    return (services, containers) if containers else None


@check("probe-readiness-missing", workloads=True, needs_graph=True)
def probe_readiness_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    found = served(ctx, workload)
    if found is None:
        return
    services, containers = found
    # publishNotReadyAddresses: the Service ignores readiness, so a probe would not gate it.
    services = [s for s in services if s.get("spec", "publishNotReadyAddresses") is not True]
    if not services:
        return
    if any(isinstance(c.get("readinessProbe"), dict) for c, _, _ in containers):
        return
    container, cpath, _ = containers[0]
    yield workload.finding(container_anchor(container, cpath),
                           f"{none_has(containers, 'a readinessProbe')}, and Service "
                           f"{service_names(services)} sends traffic to these pods: a pod "
                           "counts as Ready as soon as its containers start (0 s), so it gets "
                           "requests before the app listens, during every rollout too, and "
                           "stays in rotation while the app hangs")


@check("probe-liveness-missing", workloads=True)
def probe_liveness_missing(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    if not template.long_running:
        return
    containers = template.app_containers()
    if not containers or any(isinstance(c.get("livenessProbe"), dict) for c, _, _ in containers):
        return
    container, cpath, _ = containers[0]
    yield obj.finding(container_anchor(container, cpath),
                      f"{none_has(containers, 'a livenessProbe')}: if the app deadlocks without exiting, the "
                      "kubelet never restarts it; the pod stays Running until someone deletes it")


class ProbePair(NamedTuple):
    """An app container with both a liveness and a readiness probe, and their timings."""

    container: JSON
    path: Path
    liveness: JSON
    readiness: JSON
    liveness_timing: Timing
    readiness_timing: Timing


@last_arguments
def _probe_pairs(template: PodTemplate) -> list[ProbePair]:
    """The app containers with both probes (three rules read them for each workload)."""
    pairs = []
    for container, cpath, _ in template.app_containers():
        live, ready = container.get("livenessProbe"), container.get("readinessProbe")
        if not isinstance(live, dict) or not isinstance(ready, dict):
            continue
        lt, rt = timing(live), timing(ready)
        if lt is not None and rt is not None:
            pairs.append(ProbePair(container, cpath, live, ready, lt, rt))
    return pairs


@check("probe-liveness-identical", workloads=True)
def probe_liveness_identical(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, live, ready, lt, rt in _probe_pairs(template):
        target = check_target(live, container)
        if target is None or target != check_target(ready, container) or window(lt) > window(rt):
            continue
        sooner = (f"after {window(lt)} s, before readiness does at {window(rt)} s"
                  if window(lt) < window(rt) else f"after the same {window(lt)} s")
        yield obj.finding(cpath + ("livenessProbe",), f"livenessProbe of container "
                          f"{container_name(container)} repeats its readinessProbe ({describe(live)}) "
                          f"and fails {sooner}: when the check fails (a slow dependency, a busy "
                          "app) the kubelet restarts the container instead of only taking the "
                          "pod out of rotation until it recovers")


@check("probe-liveness-aggressive", workloads=True)
def probe_liveness_aggressive(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, live, ready, lt, rt in _probe_pairs(template):
        if window(lt) >= window(rt):
            continue
        target = check_target(live, container)
        if target is not None and target == check_target(ready, container):
            continue                          # probe-liveness-identical says it
        yield obj.finding(cpath + ("livenessProbe",), f"livenessProbe of container "
                          f"{container_name(container)} gives up after {lt['failureThreshold']} × "
                          f"{lt['periodSeconds']} = {window(lt)} s, its readinessProbe after "
                          f"{rt['failureThreshold']} × {rt['periodSeconds']} = {window(rt)} s: "
                          "when the app stalls, the kubelet restarts the container before "
                          "readiness takes the pod out of rotation, so a slow spell becomes a "
                          "restart")


# The kubelet's probe worker runs one check at a time on a ticker and Go tickers drop ticks
# while the receiver is busy (pkg/kubelet/prober/worker.go run/doProbe), so a check that
# hangs for timeoutSeconds stretches the period to the timeout.
@check("probe-timeout-exceeds-period", workloads=True)
def probe_timeout_exceeds_period(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for container, kind, probe, ppath in each_probe(obj.template.app_containers()):
        t = timing(probe)
        if t is None or t["timeoutSeconds"] < t["periodSeconds"]:
            continue
        timeout, period, fails = t["timeoutSeconds"], t["periodSeconds"], t["failureThreshold"]
        if timeout == period:
            effect = "a check that hangs runs until the next is due, so the kubelet probes back to back without a pause"
        else:
            effect = (f"a check that hangs takes {timeout} s, so checks run every {timeout} s "
                      f"instead of every {period} s and a failure is declared after "
                      f"{fails} × {timeout} = {fails * timeout} s, not {fails * period} s")
        path = ppath + ("timeoutSeconds",) if "timeoutSeconds" in probe else ppath
        yield obj.finding(path, f"{KIND_NAMES[kind]} probe of container "
                          f"{container_name(container)}: timeoutSeconds {timeout} ≥ periodSeconds "
                          f"{period}: {effect}", at="value" if path != ppath else "key")


@check("probe-liveness-before-ready", workloads=True)
def probe_liveness_before_ready(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, _live, _ready, lt, rt in _probe_pairs(template):
        if isinstance(container.get("startupProbe"), dict):
            continue
        delay = rt["initialDelaySeconds"]
        if delay <= 0 or budget(lt) > delay:
            continue
        yield obj.finding(cpath + ("livenessProbe",), f"readinessProbe of container "
                          f"{container_name(container)} waits {delay} s before its first check, so the "
                          f"app needs about that long to start, but its livenessProbe gives up "
                          f"{kill_window(lt)} and no startupProbe holds it back: the kubelet "
                          "restarts the container before it can become Ready, again and again "
                          "(CrashLoopBackOff)")
