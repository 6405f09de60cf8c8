"""Termination and lifecycle rules: hooks the API server rejects or the kubelet cannot run,
preStop hooks that outlast the grace period, grace periods of 0, the endpoint-removal race,
activeDeadlineSeconds on pods meant to run forever (pkg/apis/core/validation validateLifecycle,
pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, pkg/apis/apps/validation)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..engine import CheckContext, check
from ..graph import Object, PodTemplate, container_anchor, container_name
from ..i18n import _
from ..k8s.defaults import (
    GRACE_PERIOD,
    HOOK_HANDLERS,
    HOOK_HANDLERS_UNSUPPORTED,
    HOOK_KINDS,
    SLEEP_HANDLER_FROM,
    SLEEP_HANDLER_IN_SCHEMA_FROM,
    SLEEP_ZERO_ALLOWED_FROM,
    grace_period,
)
from ..k8s.fields import as_int
from ..k8s.kinds import LONG_RUNNING_KINDS
from ..k8s.podvalidation import rejected
from ..k8s.termination import handler_seconds, stop_times
from ..k8s.versions import Version, show
from ..lazyre import lazy_compile
from ..model import JSON, Hit, Path, Severity
from ..rules import fix_for
from .probe import SIDECARS_FROM, none_has, seconds, served, service_names

_LOOP = lazy_compile(r"(?:^|[;&|\s])(while|until)\s")
# Pod templates in which the API server rejects activeDeadlineSeconds, with its words: a
# Deployment is checked by the ReplicaSet function (pkg/apis/apps/validation/validation.go
# ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec, ValidateDaemonSetSpec;
# pkg/apis/core/validation ValidatePodTemplateSpecForRC).
_NO_DEADLINE_KINDS = LONG_RUNNING_KINDS
_DEADLINE_CHECKED_AS = {"Deployment": "ReplicaSet"}
_DEADLINE_MAX = 2147483647


def _spec_grace(template: PodTemplate) -> int | None:
    """terminationGracePeriodSeconds as written (None when unset or mistyped)."""
    return as_int(template.spec.get("terminationGracePeriodSeconds"))


def _grace_text(template: PodTemplate) -> str:
    written = _spec_grace(template)
    return (_("terminationGracePeriodSeconds is {written}").format(written=written) if written is not None else
            _("terminationGracePeriodSeconds is unset ({terminationGracePeriodSeconds} s)").format(terminationGracePeriodSeconds=GRACE_PERIOD))


def _hooks(container: JSON, cpath: Path) -> Iterator[tuple[str, JSON, Path]]:
    lifecycle = container.get("lifecycle")
    if not isinstance(lifecycle, dict):
        return
    for kind in HOOK_KINDS:
        hook = lifecycle.get(kind)
        if isinstance(hook, dict):
            yield kind, hook, cpath + ("lifecycle", kind)


def _duration_path(hook: JSON, hpath: Path) -> tuple[Path, str]:
    """Where a hook's duration is written: sleep.seconds, or the exec command."""
    if isinstance(hook.get("sleep"), dict) and "seconds" in hook["sleep"]:
        return hpath + ("sleep", "seconds"), "value"
    if isinstance(hook.get("exec"), dict) and "command" in hook["exec"]:
        return hpath + ("exec", "command"), "key"
    return hpath, "key"


def _sleeps(duration: float) -> str:
    return _("sleeps forever (sleep infinity)") if math.isinf(duration) else _("sleeps {duration} s").format(duration=seconds(duration))


# --- rules -----------------------------------------------------------------------------
@check("lifecycle-hook-invalid", workloads=True)
def lifecycle_hook_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    version = ctx.kubernetes_version
    fix = fix_for("lifecycle-hook-invalid", version)
    for hit in _hook_problems(obj, template, version):
        hit.fix = fix
        yield hit


def _hook_problems(obj: Object, template: PodTemplate, version: Version) -> Iterator[Hit]:
    written = _spec_grace(template)
    limit = written if written is not None else GRACE_PERIOD
    rejects = rejected(obj.kind, obj.group)
    usable = _(" or ").join(", ".join(_usable_handlers(version)).rsplit(", ", 1))
    restarts = template.spec.get("restartPolicy", "Always") in ("Always", "OnFailure")
    for container, cpath, list_name in template.declared_containers():
        cname = container_name(container)
        sidecar = container.get("restartPolicy") == "Always"
        for kind, hook, hpath in _hooks(container, cpath):
            what = _("{kind} hook of container {cname}").format(kind=kind, cname=cname)
            if list_name == "initContainers" and not (sidecar and version >= SIDECARS_FROM):
                why = (_(" (restartable sidecars are off by default before Kubernetes {SIDECARS_FROM}, "
                         "so restartPolicy is dropped)").format(SIDECARS_FROM=show(SIDECARS_FROM)) if sidecar else "")
                yield obj.finding(hpath, _("init container {cname} has a {kind} hook: {kind2} (may not "
                                           "be set for init containers without restartPolicy=Always){why}").format(cname=cname, kind=kind, kind2=rejected(obj.kind, obj.group, 'the pod'), why=why))
                continue
            found = [h for h in HOOK_HANDLERS if hook.get(h) is not None]
            if "sleep" in found and version < SLEEP_HANDLER_FROM:
                found.remove("sleep")
                if not found and version >= SLEEP_HANDLER_IN_SCHEMA_FROM:
                    yield obj.finding(hpath + ("sleep",), _("{what} uses the sleep handler, which is off "
                                                            "by default before Kubernetes "
                                                            "{SLEEP_HANDLER_FROM}: the API server drops "
                                                            "it and the hook has no handler left, so "
                                                            "{rejects} (must specify a handler type); "
                                                            "pause with exec sleep instead").format(what=what, SLEEP_HANDLER_FROM=show(SLEEP_HANDLER_FROM), rejects=rejects))
                if not found:
                    continue                    # before 1.29 an unknown field: schema-violation
            if not found:
                yield obj.finding(hpath, _("{what} has no handler: {rejects} (must specify a handler "
                                           "type); give one of {usable}").format(what=what, rejects=rejects, usable=usable))
                continue
            if len(found) > 1:
                yield obj.finding(hpath + (found[1],), _("{what} has {n_found} handlers ({found}): "
                                                         "{rejects} (may not specify more than 1 handler "
                                                         "type); keep one").format(what=what, n_found=len(found), found=', '.join(found), rejects=rejects))
                continue
            handler, body = found[0], hook[found[0]]
            if handler == "exec" and isinstance(body, dict) and not body.get("command"):
                yield obj.finding(hpath + ("exec",), _("{what} runs exec with no command: {rejects} "
                                                       "(command is required)").format(what=what, rejects=rejects))
            elif handler in HOOK_HANDLERS_UNSUPPORTED:
                effect = _unrunnable_effect(kind, restarts or (list_name == "initContainers" and sidecar))
                yield obj.finding(hpath + (handler,), _("{what} uses tcpSocket, which the API server "
                                                        "accepts but the kubelet cannot run as a hook "
                                                        "(invalid handler): {effect}; use {usable}").format(
                    what=what, effect=effect, usable=usable))
            elif handler == "sleep" and isinstance(body, dict):
                yield from _invalid_sleep(obj, what, body, hpath, limit, written is None, version)


def _unrunnable_effect(kind: str, restarts: bool) -> str:
    """What a hook the kubelet cannot run does. pkg/kubelet/lifecycle/handlers.go Run:
    "invalid handler"; a failed postStart hook kills the container
    (kuberuntime_container.go startContainer), which then restarts as restartPolicy says
    (`restarts`); a failed preStop hook only records FailedPreStopHook before SIGTERM."""
    if kind == "preStop":
        return _("the hook fails (FailedPreStopHook) and SIGTERM comes at 0 s: the pause "
                 "it was meant to give never happens")
    if restarts:
        return _("the hook fails every time (FailedPostStartHook), so the kubelet kills "
                 "the container right after it starts and restarts it, again and again "
                 "(CrashLoopBackOff)")
    return _("the hook fails (FailedPostStartHook), so the kubelet kills the "
             "container right after it starts, and with restartPolicy Never it stays "
             "terminated")


def _usable_handlers(version: Version) -> tuple[str, ...]:
    """Hook handlers the kubelet runs on this version (sleep from 1.30)."""
    return ("exec", "httpGet", "sleep") if version >= SLEEP_HANDLER_FROM else ("exec", "httpGet")


def _invalid_sleep(obj: Object, what: str, body: JSON, hpath: Path, limit: int, defaulted: bool,
                   version: Version) -> Iterator[Hit]:
    value = as_int(body.get("seconds"))
    if value is None:
        return
    path = hpath + ("sleep", "seconds")
    rejects = rejected(obj.kind, obj.group)
    # validateSleepAction: "must be greater than 0 and less than terminationGracePeriodSeconds
    # (N)", "non-negative" instead of "greater than 0" from 1.33 (PodLifecycleSleepActionAllowZero).
    zero_ok = version >= SLEEP_ZERO_ALLOWED_FROM
    bound = "non-negative" if zero_ok else "greater than 0"
    if value < 0 or (value == 0 and not zero_ok):
        note = "" if zero_ok else _("; 0 is allowed from {SLEEP_ZERO_ALLOWED_FROM}").format(SLEEP_ZERO_ALLOWED_FROM=show(SLEEP_ZERO_ALLOWED_FROM))
        yield obj.finding(path, _("{what} sleeps {value} s: {rejects} (must be {bound} and less than "
                                  "terminationGracePeriodSeconds ({limit})){note}").format(what=what, value=value, rejects=rejects, bound=bound, limit=limit, note=note), at="value")
    elif value > limit:
        unset = _(" (unset: 30 s)") if defaulted else ""
        yield obj.finding(path, _("{what} sleeps {value} s, more than terminationGracePeriodSeconds "
                                  "{limit}{unset}: {rejects} (must be {bound} and less than "
                                  "terminationGracePeriodSeconds ({limit})); raise the grace period "
                                  "above the sleep plus the app's drain time").format(what=what, value=value, limit=limit, unset=unset, rejects=rejects, bound=bound), at="value")


@check("prestop-exceeds-grace", workloads=True)
def prestop_exceeds_grace(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    written = _spec_grace(template)
    if written is not None and written <= 0:
        return                                  # grace-period-zero says what happens
    grace = grace_period(template.spec)
    for container, cpath, __ in template.app_containers():
        for kind, hook, hpath in _hooks(container, cpath):
            if kind != "preStop":
                continue
            duration = handler_seconds(hook)
            if duration is None or duration < grace:
                continue
            if isinstance(hook.get("sleep"), dict) and duration > grace:
                continue                        # rejected: lifecycle-hook-invalid says it
            times = stop_times(grace, duration)
            head = _("preStop hook of container {container} {duration}").format(container=container_name(container), duration=_sleeps(duration))
            if duration > grace:
                run = (_("{head} but {template}: the hook is cut at {value} s, SIGTERM at {sigterm} s, "
                         "SIGKILL at {sigkill} s").format(head=head, template=_grace_text(template), value=seconds(times.prestop_end or 0), sigterm=seconds(times.sigterm), sigkill=seconds(times.sigkill)))
            else:
                run = (_("{head}, all of the grace period ({template}): SIGTERM at {sigterm} s, SIGKILL "
                         "at {sigkill} s").format(head=head, template=_grace_text(template), sigterm=seconds(times.sigterm), sigkill=seconds(times.sigkill)))
            path, at = _duration_path(hook, hpath)
            yield obj.finding(path, _("{run}: the app gets only {value} s to finish in-flight work "
                                      "before it is killed").format(run=run, value=seconds(times.sigkill - times.sigterm)), at=at)


@check("grace-period-zero", workloads=True)
def grace_period_zero(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    written = _spec_grace(template)
    if written is None or written > 0:
        return
    path = template.spec_path + ("terminationGracePeriodSeconds",)
    if written < 0:
        times = stop_times(1, None, has_hook=False)
        yield obj.finding(path, _("terminationGracePeriodSeconds {written} is negative: the API server "
                                  "accepts it with a warning and treats it as 1: SIGTERM at 0 s, SIGKILL "
                                  "at {sigkill} s, no time for a clean shutdown").format(written=written, sigkill=seconds(times.sigkill)),
                          at="value")
        return
    has_hook = any(isinstance(h, dict) and h.get("preStop") is not None
                   for h in (c.get("lifecycle") for c, *__ in template.app_containers()))
    times = stop_times(0, math.inf if has_hook else None, has_hook=has_hook)
    hook = (_("the preStop hook is cut at {sigterm} s, SIGTERM at {sigterm} s").format(sigterm=seconds(times.sigterm)) if has_hook else _("SIGTERM at 0 s"))
    head = (_("terminationGracePeriodSeconds 0: every delete removes the pod object at once, like a "
              "force delete, while the kubelet still stops the containers ({hook}, SIGKILL at {sigkill} "
              "s): no clean shutdown").format(hook=hook, sigkill=seconds(times.sigkill)))
    if obj.kind == "StatefulSet":
        tail = (_("; for StatefulSet {name} the replacement pod with the same name, identity and volumes "
                  "can start while the old one still runs and writes, and two pods with one identity can "
                  "corrupt data (the StatefulSet docs: never set it to 0)").format(name=obj.name))
    else:
        tail = _(", in-flight requests are dropped and a replacement may start before the old process is "
                 "gone")
    yield obj.finding(path, head + tail, at="value")


@check("prestop-missing", workloads=True, needs_graph=True)
def prestop_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    found = served(ctx, workload)
    if found is None:
        return
    services, containers = found
    template = workload.template
    written = _spec_grace(template)
    if written is not None and written <= 0:
        return                                  # grace-period-zero says what happens
    if any(isinstance(c.get("lifecycle"), dict) and c["lifecycle"].get("preStop") is not None
           for c, *__ in containers):
        return
    grace = grace_period(template.spec)
    container, cpath, __ = containers[0]
    yield workload.finding(container_anchor(container, cpath),
                           _("{containers}, and Service {services} sends traffic here: on delete "
                             "(rollout, scale-down, node drain) endpoint removal and SIGTERM both start "
                             "at 0 s, but kube-proxy on other nodes drops the endpoint a moment later, "
                             "so connections arriving after the app stopped listening are refused; a "
                             "preStop sleep of 5-15 s bridges that, with terminationGracePeriodSeconds "
                             "(now {grace} s) above the sleep plus the app's drain time").format(containers=none_has(containers, _('preStop hook')), services=service_names(services), grace=grace),
                           fix=fix_for("prestop-missing", ctx.kubernetes_version))


@check("grace-period-tight", workloads=True)
def grace_period_tight(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    written = _spec_grace(template)
    if written is not None and written <= 0:
        return
    grace = grace_period(template.spec)
    drain = ctx.option("grace-period-tight", "drain-seconds", 10)
    for container, cpath, __ in template.app_containers():
        for kind, hook, hpath in _hooks(container, cpath):
            duration = handler_seconds(hook) if kind == "preStop" else None
            if duration is None or duration <= 0 or duration >= grace or grace >= duration + drain:
                continue
            times = stop_times(grace, duration)
            path = template.spec_path + ("terminationGracePeriodSeconds",)
            at = "value"
            if written is None:
                path, at = _duration_path(hook, hpath)
            yield obj.finding(path, _("preStop hook of container {container} sleeps {duration} s and "
                                      "{template}: SIGTERM at {sigterm} s leaves the app {value} s to "
                                      "finish in-flight work before SIGKILL at {sigkill} s (less than "
                                      "{drain} s)").format(container=container_name(container), duration=seconds(duration), template=_grace_text(template), sigterm=seconds(times.sigterm), value=seconds(times.sigkill - times.sigterm), sigkill=seconds(times.sigkill), drain=drain), at=at)


@check("pod-active-deadline", workloads=True)
def pod_active_deadline(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    value = as_int(template.spec.get("activeDeadlineSeconds"))
    if value is None:
        return
    path = template.spec_path + ("activeDeadlineSeconds",)
    if obj.kind in _NO_DEADLINE_KINDS and obj.group in ("", "apps", "extensions"):
        checked_as = _DEADLINE_CHECKED_AS.get(obj.kind, obj.kind)
        yield obj.finding(path, _("activeDeadlineSeconds {value} in the pod template of a {kind}: the "
                                  "API server rejects the {kind} (activeDeadlineSeconds in {checked_as} "
                                  "is not Supported); its pods are meant to run forever").format(value=value, kind=obj.kind, checked_as=checked_as), at="value")
    elif not 1 <= value <= _DEADLINE_MAX:
        yield obj.finding(path, _("activeDeadlineSeconds {value}: {kind} (must be between 1 and "
                                  "{DEADLINE_MAX})").format(value=value, kind=rejected(obj.kind, obj.group, 'the pod'), DEADLINE_MAX=_DEADLINE_MAX), at="value")
    elif template.long_running:
        yield obj.finding(path, _("activeDeadlineSeconds {value} on a {kind} whose pods restart forever: "
                                  "{value} s after each pod starts the kubelet kills it and the pod ends "
                                  "Failed (DeadlineExceeded); it is not restarted in place").format(value=value, kind=obj.kind),
                          at="value", severity=Severity.WARNING)


@check("poststart-blocks", workloads=True)
def poststart_blocks(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    containers = template.app_containers()
    for index, (container, cpath, list_name) in enumerate(containers):
        for kind, hook, hpath in _hooks(container, cpath):
            if kind != "postStart":
                continue
            duration = handler_seconds(hook)
            loop = _loop_keyword(hook)
            if not (duration and duration > 0) and not loop:
                continue
            blocked = (_("the app containers and later init containers start only then")
                       if list_name == "initContainers" else
                       _("the containers after it start only then") if index < len(containers) - 1
                       and containers[index + 1][2] == "containers" else "")
            if duration and not math.isinf(duration) and not loop:
                how = _("sleeps {duration} s").format(duration=seconds(duration))
                ready = _("the pod cannot be Ready before {duration} s").format(duration=seconds(duration))
            else:
                how = _("sleeps forever (sleep infinity)") if duration else _("runs a {loop} loop").format(loop=loop)
                ready = _("if the hook never returns, the container never becomes Running")
            path, at = _duration_path(hook, hpath)
            parts = [p for p in (blocked, ready) if p]
            yield obj.finding(path, _("postStart hook of container {container} {how}: the container "
                                      "stays Waiting until the hook returns; {parts}").format(container=container_name(container), how=how, parts='; '.join(parts)), at=at)


def _loop_keyword(hook: JSON) -> str | None:
    exec_ = hook.get("exec")
    command = exec_.get("command") if isinstance(exec_, dict) else None
    if not isinstance(command, list):
        return None
    match = _LOOP.search(" ".join(str(c) for c in command))
    return match.group(1) if match else None
