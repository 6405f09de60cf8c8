"""The walk-through, independent of the output format: summary, problems, one chronological
list of steps (identical replicas collapsed, the first act of each component introduced),
each container's environment and DNS names, shortened assumptions.

Human and markdown renderers lay this out; `--verbose` turns collapsing and shortening off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from ...i18n import N_, _, language, ngettext
from ..components import display_name, role
from ..network import CLUSTER_DOMAIN
from ..timeline import Event, Pod, Timeline

SHOWN_RESTARTS = 3                # crash-loop cycles shown per pod group before "and so on"
SHOWN_DEFAULTS = 2                # defaults named per object before "+N more"
CRASH_ACTIONS = frozenset({"crash", "back-off", "restart", "probe-failed", "kill"})
FLAP_ACTIONS = frozenset({"endpoint-ready", "endpoint-removed", "program", "ready"})
# Scenario names as shown (translated where shown; the JSON keeps the English name).
SCENARIOS = {"apply": N_("apply"), "rollout": N_("rollout"), "delete": N_("delete"), "scale": N_("scale"),
             "drain": N_("drain"), "cron": N_("cron")}
# Phase headings of `--group-by phase` (timeline.PHASES, capitalized).
PHASE_NAMES = {"admission": N_("Admission"), "controllers": N_("Controllers"), "scheduling": N_("Scheduling"),
               "containers": N_("Containers"), "network": N_("Network"), "termination": N_("Termination"),
               "rollout": N_("Rollout")}


@dataclass
class Step:
    """One line of the walk-through: at `t`, `who` does `text`; `role` introduces `who`."""

    t: float
    who: str
    text: str
    role: str = ""


@dataclass
class ContainerView:
    """A container (of one pod, or of identical replicas) with its environment and DNS."""

    title: str
    own_env: list[tuple[str, str]]
    service_env: list[tuple[str, list[tuple[str, str]]]]     # (Service name, its variables)
    dns: list[str]
    search: str


@dataclass
class Walk:
    title: str
    summary: list[str]
    problems: list[str]
    check: list[str]
    steps: list[Step]
    containers: list[ContainerView] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


def build(timeline: Timeline, verbose: bool = False) -> Walk:
    return Walk(title=_title(timeline), summary=summary(timeline), problems=problems(timeline, verbose),
                check=check_lines(timeline), steps=steps(timeline, verbose),
                containers=containers(timeline, verbose), assumptions=assumptions(timeline, verbose))


def scenario_name(scenario: str) -> str:
    return _(SCENARIOS[scenario]) if scenario in SCENARIOS else scenario


def _title(timeline: Timeline) -> str:
    files = ", ".join(timeline.inputs) if len(timeline.inputs) <= 2 else \
        _("{file} and {count} more files").format(file=timeline.inputs[0], count=len(timeline.inputs) - 1)
    scenario = scenario_name(timeline.scenario)
    return _("k8slint explain: {scenario} of {files}").format(scenario=scenario, files=files) if files else \
        _("k8slint explain: {scenario}").format(scenario=scenario)


# --- summary, problems, check ------------------------------------------------------------
def summary(timeline: Timeline) -> list[str]:
    """One line per workload (pods Ready, when) and per Service (endpoints)."""
    lines = []
    groups: dict[str, list[Pod]] = {}
    for pod in timeline.pods:
        top = pod.workload.kind + "/" + pod.workload.name if pod.workload is not None else f"Pod/{pod.name}"
        groups.setdefault(top, []).append(pod)
    for top, pods in groups.items():
        live = [p for p in pods if p.deleted_at is None]
        if not live and pods:
            lines.append(f"{top}: {_deleted(pods)}")
            continue
        ready = [p.ready_at for p in live if p.ready_at is not None and p.failed_at is None
                 and p.finished_at is None and not p.restarts]
        done = sum(1 for p in live if p.finished_at is not None)
        failed = sum(1 for p in live if p.failed_at is not None)
        looping = sum(1 for p in live if p.restarts and p.failed_at is None and p.finished_at is None)
        parts = [ngettext("{count} pod(s)", "{count} pod(s)", len(live)).format(count=len(live))]
        if done:
            parts.append(_("{count} Succeeded").format(count=done))
        if failed:
            parts.append(_("{count} Failed").format(count=failed))
        if looping:
            parts.append(_("{count} restarting again and again (CrashLoopBackOff)").format(count=looping))
        if ready:
            parts.append(_("{count} Ready by {time}").format(count=len(ready), time=_secs(max(ready)))
                         if max(ready) > 0 else _("{count} Ready from the start").format(count=len(ready)))
        elif not done and not failed and not looping:
            parts.append(_("none Ready"))
        text = _("{object}: {states}").format(object=top, states=", ".join(parts))
        if len(live) < len(pods):
            text = _("{summary}; {deleted}").format(summary=text,
                                                    deleted=_deleted([p for p in pods if p.deleted_at is not None]))
        lines.append(text)
    for svc in timeline.services:
        where = svc.cluster_ip or _("headless")
        if svc.external_ip:
            where += f", EXTERNAL-IP {svc.external_ip}"
        lines.append(_("Service/{name} ({type}, {address}): {count} endpoint(s)").format(
            name=svc.name, type=svc.type, address=where, count=len(svc.endpoints)))
    for rollout in timeline.rollouts:
        last = rollout.steps[-1] if rollout.steps else None
        if last is not None:
            lines.append(_("{object}: {strategy} ends at {time} with {new} new, {old} old, {available} available")
                         .format(object=rollout.object, strategy=rollout.strategy, time=_secs(last.t),
                                 new=last.new, old=last.old, available=last.available))
    return lines


def _deleted(pods: list[Pod]) -> str:
    """How many pods were deleted and when the last one is gone (its object removed)."""
    gone = [p.gone_at for p in pods if p.gone_at is not None]
    if len(gone) == len(pods):
        return _("{count} pod(s) deleted, all gone by {time}").format(count=len(pods), time=_secs(max(gone)))
    if gone:
        return _("{count} pod(s) deleted, {gone} gone by {time}").format(count=len(pods), gone=len(gone),
                                                                          time=_secs(max(gone)))
    return _("{count} pod(s) deleted, none gone yet").format(count=len(pods))


def problems(timeline: Timeline, verbose: bool = False) -> list[str]:
    """`file:line: Kind/name: message`; the same problem of identical replicas once."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for p in timeline.problem_list:
        where = f"{p.file}:{p.line}: " if p.file else ""
        kind, _sep, name = p.object.partition("/")
        merge = kind == "Pod" and not verbose
        groups.setdefault((where, kind if merge else p.object, p.message), []).append(name)
    out = []
    for (where, what, message), names in groups.items():
        subject = what if "/" in what else (f"Pod/{names[0]}" if len(names) == 1 else replica_label(names))
        out.append(f"{where}{subject}: {message}")
    return out


def check_lines(timeline: Timeline) -> list[str]:
    """What `k8slint check` says about the same objects, so "no problems" is never alone."""
    check = timeline.check
    if not check.ran:
        return [_("`k8slint check` could not run on this input: its findings are not shown.")]
    if not check.errors and not check.warnings:
        if not timeline.problem_list:
            return [_("No problems found; `k8slint check` agrees: 0 errors, 0 warnings.")]
        return [_("The simulation shows the problems above; `k8slint check` agrees: 0 errors, 0 warnings.")]
    if timeline.problem_list:
        head = _("`k8slint check` reports {errors} error(s) and {warnings} warning(s) on these objects:")
    else:
        head = _("The simulation shows no problem, but `k8slint check` reports {errors} error(s) and "
                 "{warnings} warning(s) on these objects:")
    lines = [head.format(errors=check.errors, warnings=check.warnings)]
    for f in check.findings[:5]:
        severity = _(SEVERITIES[f["severity"]]) if f["severity"] in SEVERITIES else f["severity"]
        lines.append(f"{f['file']}:{f['line']}: {severity} {f['rule']}: {f['message']}")
    if len(check.findings) > 5:
        lines.append(_("... {count} more: run `k8slint check`").format(count=len(check.findings) - 5))
    return lines


SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


# --- the chronological steps ----------------------------------------------------------------
def steps(timeline: Timeline, verbose: bool) -> list[Step]:
    events = timeline.sorted_events()
    pods = {p.name: p for p in timeline.pods}
    out: list[Step] = []
    if not verbose:
        events = _drop_repeats(events, pods)
    seen: set[str] = set()
    buckets = _buckets(events, pods, verbose)
    for t, merged in buckets:
        for actor, text in merged:
            step = Step(t, display_name(actor), text)
            if actor not in seen:
                seen.add(actor)
                step.role = role(actor)
            out.append(step)
    return out


def _buckets(events: list[Event], pods: dict[str, Pod], verbose: bool) -> list[tuple[float, list[tuple[str, str]]]]:
    """Events per second, identical replicas merged (unless verbose), admission condensed."""
    by_t: dict[float, list[Event]] = {}
    for e in events:
        by_t.setdefault(e.t, []).append(e)
    result = []
    for t, group in by_t.items():
        lines: list[tuple[str, str]] = []
        if not verbose:
            group, condensed = _condense_admission(group)
            lines += condensed
        lines += _join_same_subject(_merge_replicas(group, pods)) if not verbose else \
            [(e.actor, e.message) for e in group]
        result.append((t, lines))
    return result


def _condense_admission(group: list[Event]) -> tuple[list[Event], list[tuple[str, str]]]:
    """The objects of one apply in one line, their defaults shortened, allocations, then
    one etcd line (the API server allocates a ClusterIP before it stores the Service)."""
    admits = [e for e in group if e.actor == "kube-apiserver" and e.action == "admit"]
    stores = [e for e in group if e.actor == "etcd" and e.action == "store"]
    if not admits:
        return group, []
    allocations = [e for e in group if e.action in ("allocate-ip", "allocate-nodeport")]
    rest = [e for e in group if e not in admits and e not in stores and e not in allocations]
    defaults = []
    for e in admits:
        filled = _filled_defaults(e.message)
        if filled:
            # "replicas 1" in English; "replicas=1" elsewhere, where the field names stand
            # among words of another language
            joiner = " " if language() == "en" else "="
            shown = ", ".join(f.replace(": ", joiner, 1) for f in filled[:SHOWN_DEFAULTS])
            more = ", ..." if len(filled) > SHOWN_DEFAULTS else ""
            defaults.append(f"{e.object['kind']} {e.object['name']} ({len(filled)}: {shown}{more})")
    text = _("accepts the {count} objects in document order").format(count=len(admits)) if len(admits) > 1 else \
        _("accepts {kind} {name}").format(kind=admits[0].object["kind"], name=admits[0].object["name"])
    if defaults:
        text = _("{accepts}; fills in defaults on {objects}").format(accepts=text,
                                                                     objects=_(" and ").join(defaults))
    lines: list[tuple[str, str]] = [("kube-apiserver", text)]
    lines += [(e.actor, e.message) for e in allocations]
    if stores:
        key = _ETCD_KEY.search(stores[0].message)
        example = key.group(0) if key else stores[0].message.removeprefix("stores ")
        lines.append(("etcd", _("stores each object, e.g. at {key}").format(key=example)))
    return rest, lines


def _filled_defaults(message: str) -> list[str]:
    """The defaults an admission event lists: `accepts Kind name; defaults filled in: a: 1;
    b: 2`. Another language words the head its own way but keeps `<label>: a: 1; b: 2` at
    the end: the first part with two `: ` holds the label and the first default."""
    if language() == "en":
        return message.split("; defaults filled in: ", 1)[1].split("; ") \
            if "; defaults filled in: " in message else []
    parts = message.split("; ")
    for i, part in enumerate(parts):
        if part.count(": ") >= 2:
            return [part.split(": ", 1)[1], *parts[i + 1:]]
    return []


def _subject(e: Event, pods: dict[str, Pod], pattern: re.Pattern[str] | None) -> Pod | None:
    if e.object.get("kind") == "Pod" and e.object.get("name") in pods:
        return pods[e.object["name"]]
    match = pattern.search(e.message) if pattern else None
    return pods.get(match.group(0)) if match else None


def _merge_replicas(group: list[Event], pods: dict[str, Pod]) -> list[tuple[str, str, str]]:
    """Events that differ only in the pod (its name, node, IP, counts) become one line."""
    pattern = _names_pattern(pods)
    order: list[tuple[str, str, str]] = []
    merged: dict[tuple[str, str, str], list[tuple[Event, Pod | None]]] = {}
    for e in group:
        pod = _subject(e, pods, pattern)
        key = (e.actor, _counts().sub("#", _normal(e.message, pod)),
               pod.owner_kind + "/" + pod.owner_name if pod else "")
        if key not in merged:
            order.append(key)
            merged[key] = []
        merged[key].append((e, pod))
    lines: list[tuple[str, str, str]] = []
    for key in order:
        items = merged[key]
        first, pod = items[-1] if len(items) > 1 else items[0]
        if len(items) == 1 or pod is None:
            lines += [(e.actor, p.name if p else "", e.message) for e, p in items]
            continue
        subjects = [p for __, p in items if p is not None]
        text = _normal(first.message, pod)
        label = replica_label([p.name for p in subjects])
        if language() != "en":                  # Korean puts the kind after the name
            text = text.replace("{pod} Pod", label)
        text = text.replace("pod {pod}", label).replace("Pod {pod}", label).replace("{pod}", label)
        text = text.replace("{node}", _join(p.node or "?" for p in subjects))
        text = re.sub(r"\{ip\}(:\d+)", partial(_ips_with_port, subjects), text)
        text = text.replace("{ip}", _join(p.ip or "?" for p in subjects))
        lines.append((first.actor, label, text))
    return lines


_COUNTS = re.compile(r"\(\d+ now\)|\b\d+ endpoint\(s\)|\b\d+ left\)")
_ANY_COUNT = re.compile(r"\d+")          # other languages: any count differs between replicas
_ETCD_KEY = re.compile(r"/registry/[A-Za-z0-9_.:/-]+")    # a translation may follow the key with a particle


def _counts() -> re.Pattern[str]:
    """The counts in messages that differ between replicas (the English wording is known)."""
    return _COUNTS if language() == "en" else _ANY_COUNT


def _join_same_subject(lines: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Consecutive lines of one actor about one pod become one line (`a; b`)."""
    out: list[tuple[str, str, str]] = []
    for actor, subject, text in lines:
        if out and subject and out[-1][0] == actor and out[-1][1] == subject:
            out[-1] = (actor, subject, _("{first}; {then}").format(first=out[-1][2], then=text))
        else:
            out.append((actor, subject, text))
    return [(a, t) for a, __, t in out]


def _ips_with_port(pods: list[Pod], match: re.Match[str]) -> str:
    return _join(f"{p.ip}{match.group(1)}" for p in pods)


def _names_pattern(pods: dict[str, Pod]) -> re.Pattern[str] | None:
    if not pods:
        return None
    names = sorted(pods, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def _normal(message: str, pod: Pod | None) -> str:
    if pod is None:
        return message
    text = re.sub(rf"(?<![\w.-]){re.escape(pod.name)}(?![\w-])", "{pod}", message)
    if pod.ip:
        text = re.sub(rf"(?<![\d.]){re.escape(pod.ip)}(?![\d])", "{ip}", text)
    if pod.node:
        text = re.sub(rf"\b{re.escape(pod.node)}\b", "{node}", text)
    return text


def _join(values: Iterable[str]) -> str:
    unique = list(dict.fromkeys(values))
    return ", ".join(unique) if len(unique) <= 3 else f"{', '.join(unique[:3])}, ..."


def replica_label(names: list[str]) -> str:
    """`3 pods web-74cdbb85c6-{a,b,c}` for names that share everything up to the last dash."""
    if len(names) == 1:
        return names[0]
    prefixes = {n.rsplit("-", 1)[0] for n in names}
    if len(prefixes) == 1 and all("-" in n for n in names):
        prefix = prefixes.pop()
        pattern = f"{prefix}-{{{','.join(n.rsplit('-', 1)[1] for n in names)}}}"
        return _("{count} pods {names}").format(count=len(names), names=pattern)
    return _("{count} pods {names}").format(count=len(names), names=", ".join(names))


def _endpoint_update(e: Event, pattern: re.Pattern[str] | None) -> bool:
    """kube-proxy sending a Service's traffic to one more endpoint (`sends ... now including
    <pod>`); in another language: a network-phase rule change that names a pod."""
    if language() == "en":
        return e.message.startswith("sends ")
    return e.action == "program" and e.phase == "network" and pattern is not None \
        and pattern.search(e.message) is not None


def _drop_repeats(events: list[Event], pods: dict[str, Pod]) -> list[Event]:
    """Crash loops: the first SHOWN_RESTARTS cycles per pod, then the closing "and so on"."""
    pattern = _names_pattern(pods)
    restarts: dict[str, int] = {}
    proxied: set[str] = set()
    out = []
    for e in events:
        if e.actor == "kube-proxy" and _endpoint_update(e, pattern):
            service = str(e.object.get("name"))
            if service in proxied:          # later endpoint updates are alike: shown once
                continue
            proxied.add(service)
        pod = _subject(e, pods, pattern)
        name = pod.name if pod else ""
        looping = restarts.get(name, 0) >= SHOWN_RESTARTS
        if e.action == "restart":
            restarts[name] = restarts.get(name, 0) + 1
        if looping and (e.action in CRASH_ACTIONS or (e.action in FLAP_ACTIONS and pod is not None)) \
                and not e.message.startswith("... "):
            continue
        out.append(e)
    return out


# --- containers: environment and DNS ----------------------------------------------------------
def containers(timeline: Timeline, verbose: bool) -> list[ContainerView]:
    """Each container's variables and the DNS names it can use; identical replicas once."""
    views: list[ContainerView] = []
    seen: dict[tuple[str, ...], tuple[ContainerView, list[str]]] = {}
    for pod in timeline.pods:
        for name, env in pod.container_env.items():
            service_names = _service_variables(timeline, pod, env)
            own = sorted((k, v) for k, v in env.items() if not any(k in vs for __, vs in service_names))
            dns = _dns_for(timeline, pod)
            search = f"{pod.namespace}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}"
            key = (pod.owner_kind, pod.owner_name, name, repr(own), repr(service_names), repr(dns))
            if not verbose and key in seen:
                seen[key][1].append(pod.name)
                continue
            view = ContainerView(name, own, [(s, sorted(v.items(), key=_variable_order)) for s, v in service_names],
                                 dns, search)
            seen[key] = (view, [pod.name])
            views.append(view)
    for view, names in seen.values():
        view.title = _("{container} in {pods}").format(container=view.title, pods=replica_label(names)) \
            if len(names) > 1 else _("{container} in pod {pod}").format(container=view.title, pod=names[0])
    return views


def _variable_order(item: tuple[str, str]) -> tuple[int, str]:
    """<NAME>_SERVICE_HOST and <NAME>_SERVICE_PORT first: the ones apps read."""
    key = item[0]
    return (0 if key.endswith("_SERVICE_HOST") else 1 if key.endswith("_SERVICE_PORT") else 2, key)


def _service_variables(timeline: Timeline, pod: Pod, env: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """The Service variables of the container, per Service (kubernetes first)."""
    from ..network import env_prefix, kubernetes_service_env

    groups: list[tuple[str, dict[str, str]]] = []
    kube = {k: v for k, v in kubernetes_service_env().items() if env.get(k) == v}
    if kube:
        groups.append(("kubernetes", kube))
    for svc in timeline.services:
        if svc.namespace != pod.namespace or not svc.env or svc.name == "kubernetes":
            continue
        mine = {k: v for k, v in svc.env.items() if env.get(k) == v and k.startswith(env_prefix(svc.name) + "_")}
        if mine and mine.keys() <= pod.env.keys():
            groups.append((svc.name, mine))
    return groups


def _dns_for(timeline: Timeline, pod: Pod) -> list[str]:
    names = []
    for svc in timeline.services:
        if svc.namespace != pod.namespace or not svc.dns:
            continue
        target = svc.cluster_ip or (_("{count} pod IP(s)").format(count=len(svc.endpoints))
                                    if svc.type != "ExternalName" else "CNAME")
        names.append(f"{svc.dns[0]} -> {target}")
    names += [_("{name} -> {ip} (this pod)").format(name=n, ip=pod.ip) for n in pod.dns]
    return names


# --- assumptions --------------------------------------------------------------------------------
def assumptions(timeline: Timeline, verbose: bool) -> list[str]:
    """All of them with --verbose; else one line for the standard ones (cluster, timing,
    illustrative names and addresses) and the first sentence of the others."""
    from ..apply import is_standard_assumption

    if verbose:
        return list(timeline.assumptions)
    standard = [a for a in timeline.assumptions if is_standard_assumption(a)]
    others = [_first_sentence(a) for a in timeline.assumptions if a not in standard]
    head = _("a default cluster; timings, IPs and generated names are illustrative but stable "
             "(--verbose lists all {count}).").format(count=len(standard)) if standard else ""
    return ([head] if head else []) + others


def _first_sentence(text: str) -> str:
    if language() != "en":      # Korean sentences end in "다." (and a version may hold a dot)
        match = re.match(r"(.+?[다요]\.)(\s|$)", text)
        if match:
            return match.group(1)
    match = re.match(r"(.+?\.)(\s|$)", text)
    short = match.group(1) if match else text
    return short if short.endswith(".") else short + "."


def _secs(t: float) -> str:
    return _("{seconds} s").format(seconds=f"{t:g}")
