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
from ..i18n import N_, _
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
    """'container web has no preStop hook' / 'none of the 3 containers has a preStop hook';
    `what`: a field name or a translated noun ("preStop hook")."""
    if len(containers) == 1:
        return _("container {containers} has no {value}").format(containers=container_name(containers[0][0]), value=what)
    return _("none of the {n_containers} containers has a {what}").format(n_containers=len(containers), what=what)


def service_names(services: list[Object]) -> str:
    """The Services' names, each once: alternative files of one folder may each define the
    Service (ai-on-gke's jetstream pytorch deployment.yaml and pd-deployment.yaml)."""
    names = list(dict.fromkeys(str(s.name) for s in services))
    return ", ".join(names[:3]) + (_(" and {value} more").format(value=len(names) - 3) if len(names) > 3 else "")


# --- probe helpers ---------------------------------------------------------------------
def probes(container: JSON, path: Path) -> Iterator[tuple[str, JSON, Path]]:
    for kind in PROBE_KINDS:
        probe = container.get(kind)
        if isinstance(probe, dict):
            yield kind, probe, path + (kind,)


def each_probe(containers: Iterable[ContainerRef]) -> Iterator[tuple[JSON, str, JSON, Path]]:
    """(container, probe kind, probe, its path) for every probe of these containers."""
    for container, cpath, __ in containers:
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
    return (_("between {delay} + {value} × {period} = {value2} s and {delay} + {fails} × {period} = {t} "
              "s after the start (plus timeouts)").format(delay=delay, value=fails - 1, period=period, value2=delay + (fails - 1) * period, fails=fails, t=budget(t)))


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
        return _("its check")
    kind, body = found[0], probe[found[0]]
    if kind == "httpGet":
        scheme = "HTTPS " if str(body.get("scheme", "HTTP")).upper() == "HTTPS" else ""
        return _("{scheme}GET {value} on port {value2}").format(scheme=scheme, value=body.get('path') or '/', value2=body.get('port'))
    if kind == "tcpSocket":
        return _("TCP connect to port {value}").format(value=body.get('port'))
    if kind == "grpc":
        service = _(" service {service}").format(service=body["service"]) if body.get("service") else ""
        return _("gRPC health check{service} on port {value}").format(service=service, value=body.get('port'))
    command = body.get("command")
    text = " ".join(str(c) for c in command) if isinstance(command, list) else ""
    return _("exec `{text}{value}`").format(text=text[:60], value='...' if len(text) > 60 else '')


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
        return _("the pod never becomes Ready and never gets Service traffic")
    # The first check falls within one period after initialDelaySeconds (kill_window).
    after = (_(" {value}-{t} s after it starts").format(value=t['initialDelaySeconds'] + (t['failureThreshold'] - 1) * t['periodSeconds'], t=budget(t))) if t else ""
    if kind == "startupProbe":
        return _("the kubelet restarts the container{after}, again and again, and it never becomes Ready").format(after=after)
    return _("the kubelet restarts the container{after}, again and again (CrashLoopBackOff)").format(after=after)




# --- rules -----------------------------------------------------------------------------
@check("probe-invalid", workloads=True)
def probe_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    fix = fix_for("probe-invalid", ctx.kubernetes_version)
    for container, kind, probe, ppath in each_probe(obj.template.declared_containers()):
        for hit in _invalid(obj, container_name(container), kind, probe, ppath, ctx.kubernetes_version):
            hit.fix = fix
            yield hit


def _invalid(obj: Object, cname: str, kind: str, probe: JSON, ppath: Path, version: Version) -> Iterator[Hit]:
    what = _("{KIND_NAMES} probe of container {cname}").format(KIND_NAMES=KIND_NAMES[kind], cname=cname)
    rejects = rejected(obj.kind, obj.group)
    found = handlers(probe)
    if "grpc" in found and version < GRPC_PROBES_FROM:
        # GRPCContainerProbe is alpha and off on 1.23: the field is dropped before validation
        # (pkg/api/pod/util.go dropDisabledFields), so the probe is left without it.
        found.remove("grpc")
        if not found:
            yield obj.finding(ppath + ("grpc",), _("{what} uses grpc, which is off by default before "
                                                   "Kubernetes {GRPC_PROBES_FROM}: the API server drops "
                                                   "it and the probe has no handler left, so {rejects} "
                                                   "(must specify a handler type)").format(what=what, GRPC_PROBES_FROM=show(GRPC_PROBES_FROM), rejects=rejects))
    elif not found:
        yield obj.finding(ppath, _("{what} has no handler: {rejects} (must specify a handler type); give "
                                   "one of {version}").format(what=what, rejects=rejects, version=', '.join(_handlers(version))))
    if len(found) > 1:
        yield obj.finding(ppath + (found[1],), _("{what} has {n_found} handlers ({found}): {rejects} "
                                                 "(may not specify more than 1 handler type); keep one").format(what=what, n_found=len(found), found=', '.join(found), rejects=rejects))
    exec_ = probe.get("exec")
    if isinstance(exec_, dict) and not exec_.get("command"):
        yield obj.finding(ppath + ("exec",), _("{what} runs exec with no command: {rejects} (command is "
                                               "required)").format(what=what, rejects=rejects))
    for handler in ("httpGet", "tcpSocket", "grpc"):
        body = probe.get(handler)
        port = as_int(body.get("port")) if isinstance(body, dict) else None
        if port is not None and not PORT_RANGE[0] <= port <= PORT_RANGE[1]:
            yield obj.finding(ppath + (handler, "port"), _("{what} checks port {port}: {rejects} (must "
                                                           "be between 1 and 65535)").format(
                what=what, port=port, rejects=rejects), at="value")
    for field in PROBE_NUMBERS:
        value = as_int(probe.get(field))
        if value is not None and value < 0:
            yield obj.finding(ppath + (field,), _("{what}: {field} {value} is negative: {rejects} (must "
                                                  "be greater than or equal to 0); 0 or unset means "
                                                  "{PROBE}").format(what=what, field=field, value=value, rejects=rejects,
                                                                    PROBE=PROBE[field]),
                              at="value")
    success = as_int(probe.get("successThreshold"))
    if kind != "readinessProbe" and success is not None and success > 1:
        yield obj.finding(ppath + ("successThreshold",), _("{what}: successThreshold {success}: "
                                                           "{rejects} (must be 1 for {KIND_NAMES} probes)").format(
            what=what, success=success, rejects=rejects, KIND_NAMES=KIND_NAMES[kind]), at="value")
    written = probe.get("terminationGracePeriodSeconds")
    grace = as_int(written)
    if written is not None and kind == "readinessProbe":
        yield obj.finding(ppath + ("terminationGracePeriodSeconds",), _("{what} sets "
                                                                        "terminationGracePeriodSeconds: "
                                                                        "{rejects} (must not be set for "
                                                                        "readiness probes: a failing readiness "
                                                                        "probe kills nothing)").format(
            what=what, rejects=rejects))
    elif grace is not None and grace <= 0:
        yield obj.finding(ppath + ("terminationGracePeriodSeconds",), _("{what}: terminationGracePeriodSeconds "
                                                                        "{grace}: {rejects} (must be greater "
                                                                        "than 0)").format(what=what, grace=grace,
                                                                                          rejects=rejects),
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
            why = (_("restartable sidecars (restartPolicy: Always) are off by default before Kubernetes "
                     "1.29, so the API server drops restartPolicy and then rejects the probe") if restartable else
                   _("init containers run to completion one after another; only restartable sidecars "
                     "(restartPolicy: Always) may have probes"))
            yield obj.finding(ppath, _("init container {container} has a {kind}: {kind2} (may not be set "
                                       "for init containers without restartPolicy=Always); {why}").format(container=container_name(container), kind=kind, kind2=rejected(obj.kind, obj.group, 'the pod'), why=why), fix=fix)


# A named port the container lacks: resolving it fails on every check (pkg/probe/util.go
# ResolveContainerPort, which then tries the name as a number), the prober records a Warning
# event and the worker throws the errored result away (pkg/kubelet/prober/worker.go doProbe),
# so each probe keeps its initial result (newWorker): readiness Failure, liveness Success,
# startup Unknown.
_ERRORED_EFFECT = {
    "readinessProbe": (N_("the pod never becomes Ready"),
                       N_("so the probe keeps its initial Failure and the pod never gets Service traffic")),
    "livenessProbe": (N_("the probe never fails, so it never restarts the container"),
                      N_("so the probe keeps its initial Success and protects nothing")),
    "startupProbe": (N_("the container never counts as started and the pod never becomes Ready"),
                     N_("so the startup probe never succeeds and the liveness and readiness probes never "
                       "run")),
}


@check("probe-named-port-missing", workloads=True)
def probe_named_port_missing(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, __ in template.app_containers():
        names = port_names(container)
        for kind, probe, ppath in probes(container, cpath):
            for handler in ("httpGet", "tcpSocket"):
                body = probe.get(handler)
                port = body.get("port") if isinstance(body, dict) else None
                if not isinstance(port, str) or not port or port.isdigit() or port in names:
                    continue
                have = _("it has {names}").format(names=', '.join(sorted(names))) if names else _("it names no ports")
                effect, why = (_(text) for text in _ERRORED_EFFECT[kind])
                event = _("{capitalize} probe errored: strconv.Atoi: parsing {port}: invalid syntax").format(capitalize=KIND_NAMES[kind].capitalize(), port=json.dumps(port))
                yield obj.finding(ppath + (handler, "port"), _("{KIND_NAMES} probe of container "
                                                               "{container} names port {port!r}, which "
                                                               "the container lacks ({have}): {effect}. "
                                                               "Every check errors (event \"{event}\") and "
                                                               "the kubelet discards errored results, "
                                                               "{why}").format(KIND_NAMES=KIND_NAMES[kind], container=container_name(container), port=port, have=have, effect=effect, event=event, why=why), at="value")


@check("probe-port-not-exposed", workloads=True)
def probe_port_not_exposed(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    containers = template.app_containers()
    for container, cpath, __ in containers:
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
                owner = next((container_name(c) for c, *__ in containers
                              if c is not container and port in tcp_ports(c)), None)
                ports = ", ".join(str(p) for p in sorted(exposed))
                if owner:
                    effect = (_("port {port} belongs to container {owner}, so the probe checks {owner}, "
                                "not {container}").format(port=port, owner=owner, container=container_name(container)))
                else:
                    effect = (_("declaring ports is informational, so this works if the process listens "
                                "there; if nothing does, {kind}").format(kind=failure_effect(kind, timing(probe))))
                yield obj.finding(ppath + (handler, "port"), _("{KIND_NAMES} probe of container "
                                                               "{container} checks port {port}, which "
                                                               "the container does not expose (it "
                                                               "exposes {ports}): {effect}").format(KIND_NAMES=KIND_NAMES[kind], container=container_name(container), port=port, ports=ports, effect=effect),
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
    if any(isinstance(c.get("readinessProbe"), dict) for c, *__ in containers):
        return
    container, cpath, __ = containers[0]
    yield workload.finding(container_anchor(container, cpath),
                           _("{containers}, and Service {services} sends traffic to these pods: a pod "
                             "counts as Ready as soon as its containers start (0 s), so it gets requests "
                             "before the app listens, during every rollout too, and stays in rotation "
                             "while the app hangs").format(containers=none_has(containers, 'readinessProbe'), services=service_names(services)))


@check("probe-liveness-missing", workloads=True)
def probe_liveness_missing(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    if not template.long_running:
        return
    containers = template.app_containers()
    if not containers or any(isinstance(c.get("livenessProbe"), dict) for c, *__ in containers):
        return
    container, cpath, __ = containers[0]
    yield obj.finding(container_anchor(container, cpath),
                      _("{containers}: if the app deadlocks without exiting, the kubelet never restarts "
                        "it; the pod stays Running until someone deletes it").format(containers=none_has(containers, 'livenessProbe')))


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
    for container, cpath, __ in template.app_containers():
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
        sooner = (_("after {lt} s, before readiness does at {rt} s").format(lt=window(lt), rt=window(rt))
                  if window(lt) < window(rt) else _("after the same {lt} s").format(lt=window(lt)))
        yield obj.finding(cpath + ("livenessProbe",), _("livenessProbe of container {container} repeats "
                                                        "its readinessProbe ({live}) and fails {sooner}: "
                                                        "when the check fails (a slow dependency, a busy "
                                                        "app) the kubelet restarts the container instead "
                                                        "of only taking the pod out of rotation until it "
                                                        "recovers").format(container=container_name(container), live=describe(live), sooner=sooner))


@check("probe-liveness-aggressive", workloads=True)
def probe_liveness_aggressive(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, live, ready, lt, rt in _probe_pairs(template):
        if window(lt) >= window(rt):
            continue
        target = check_target(live, container)
        if target is not None and target == check_target(ready, container):
            continue                          # probe-liveness-identical says it
        yield obj.finding(cpath + ("livenessProbe",), _("livenessProbe of container {container} gives up "
                                                        "after {failureThreshold} × {periodSeconds} = "
                                                        "{lt} s, its readinessProbe after "
                                                        "{failureThreshold2} × {periodSeconds2} = {rt} "
                                                        "s: when the app stalls, the kubelet restarts "
                                                        "the container before readiness takes the pod "
                                                        "out of rotation, so a slow spell becomes a "
                                                        "restart").format(container=container_name(container), failureThreshold=lt['failureThreshold'], periodSeconds=lt['periodSeconds'], lt=window(lt), failureThreshold2=rt['failureThreshold'], periodSeconds2=rt['periodSeconds'], rt=window(rt)))


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
        severity = None
        if timeout == period:
            # The ticker keeps one tick while a check runs (worker.go run: time.NewTicker, one
            # doProbe per tick), so a check that hangs for the whole timeout is followed at
            # once by the next: checks still come every periodSeconds and a failure is
            # declared after failureThreshold x periodSeconds, as configured. Worth knowing,
            # nothing misbehaves (linkerd's proxy injects period 1 s, timeout 1 s).
            severity = Severity.INFO
            effect = _("a check that hangs runs until the next is due, so the kubelet probes back to "
                       "back without a pause")
        else:
            effect = (_("a check that hangs takes {timeout} s, so checks run every {timeout} s "
                        "instead of every {period} s and a failure is declared after {fails} × "
                        "{timeout} = {value} s, not {value2} s").format(
                timeout=timeout, period=period, fails=fails, value=fails * timeout, value2=fails * period))
        path = ppath + ("timeoutSeconds",) if "timeoutSeconds" in probe else ppath
        yield obj.finding(path, _("{KIND_NAMES} probe of container {container}: timeoutSeconds "
                                  "{timeout} ≥ periodSeconds {period}: {effect}").format(
            KIND_NAMES=KIND_NAMES[kind], container=container_name(container), timeout=timeout, period=period,
            effect=effect), at="value" if path != ppath else "key", severity=severity)


@check("probe-liveness-before-ready", workloads=True)
def probe_liveness_before_ready(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, cpath, _live, _ready, lt, rt in _probe_pairs(template):
        if isinstance(container.get("startupProbe"), dict):
            continue
        delay = rt["initialDelaySeconds"]
        if delay <= 0 or budget(lt) > delay:
            continue
        yield obj.finding(cpath + ("livenessProbe",), _("readinessProbe of container {container} waits "
                                                        "{delay} s before its first check, so the app "
                                                        "needs about that long to start, but its "
                                                        "livenessProbe gives up {lt} and no startupProbe "
                                                        "holds it back: the kubelet restarts the "
                                                        "container before it can become Ready, again and "
                                                        "again (CrashLoopBackOff)").format(container=container_name(container), delay=delay, lt=kill_window(lt)))
