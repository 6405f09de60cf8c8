"""Every user-facing text of the explain HTML page, in one table per language.

The page's script gets the same table (its keys under `js.`), so a translation is one more
entry in TEXT: `texts("ko")` falls back to English for any key a language lacks. Texts
with `{name}` fields are filled with str.format; none of them is HTML (they are escaped
where they are used).
"""

from __future__ import annotations

from collections.abc import Mapping

from ... import i18n
from ...html_page import language
from ...i18n import N_, _

EN: dict[str, str] = {
    "title": N_("k8slint explain: {scenario} of {files}"),
    "title.nofiles": N_("k8slint explain: {scenario}"),
    "intro": N_("A dry run of what the Kubernetes control plane would do with these manifests; no "
              "cluster was used. Times are seconds after the start; names, IPs and timings are "
              "illustrative but stable."),
    "nav.problems": N_("Problems"), "nav.timeline": N_("Timeline"), "nav.graph": N_("Objects"),
    "nav.charts": N_("Charts"), "nav.containers": N_("Environment and DNS"), "nav.events": N_("All events"),
    "nav.assumptions": N_("Assumptions"),
    "scenario.apply": N_("apply"), "scenario.rollout": N_("rollout"), "scenario.delete": N_("delete"),
    "scenario.scale": N_("scale"), "scenario.drain": N_("drain"), "scenario.cron": N_("cron"),
    # problems first
    "problems.head": N_("Problems ({count})"),
    "problems.none": N_("No problems found in the simulation."),
    "check.agrees": N_("k8slint check agrees: 0 errors, 0 warnings."),
    "check.reports": N_("k8slint check reports {errors} error(s) and {warnings} warning(s) on these objects:"),
    "check.more": N_("{count} more findings"),
    "check.notrun": N_("k8slint check could not run on this input: its findings are not shown."),
    "summary.head": N_("Summary"),
    # timeline
    "timeline.head": N_("Timeline"),
    "timeline.help": N_("One row per pod, grouped by workload; a lane per Service shows endpoint "
                      "changes and kube-proxy programming. Hover or tap a bar or a marker to see "
                      "which component acted and why; tap a pod's name for all of its events."),
    "timeline.cluster": N_("API server, etcd and others"),
    "timeline.controllers": N_("controllers"),
    "timeline.services": N_("Services"),
    "timeline.before": N_("running at t=0"),
    "timeline.noevents": N_("No events."),
    "timeline.axis": N_("seconds after the start"),
    "legend.states": N_("States"),
    "legend.marks": N_("Markers"),
    "state.pending": N_("waiting for a node"), "state.unschedulable": N_("cannot be scheduled"),
    "state.scheduled": N_("scheduled to a node"), "state.sandbox": N_("pod sandbox (network, IP)"),
    "state.pull": N_("image pull"), "state.init": N_("init containers"), "state.running": N_("running, not Ready"),
    "state.ready": N_("Ready (gets traffic)"), "state.crashed": N_("container exited"),
    "state.backoff": N_("CrashLoopBackOff wait"), "state.succeeded": "Succeeded", "state.failed": "Failed",
    "state.terminating": N_("deleting: endpoint removed"), "state.prestop": N_("preStop hook"),
    "state.sigterm": N_("SIGTERM sent, app stopping"), "state.jobrun": N_("Job running"),
    "mark.bad": N_("problem or refusal"), "mark.ep-add": N_("endpoint added"), "mark.ep-remove": N_("endpoint removed"),
    "mark.proxy": N_("kube-proxy programs the rules"), "mark.dns": N_("DNS record"), "mark.ok": N_("Ready / complete"),
    "mark.gone": N_("pod object gone"), "mark.ev": N_("other event"), "mark.sigkill": "SIGKILL",
    "mark.deadline": N_("SIGKILL deadline (grace period ends)"),
    # graph
    "graph.head": N_("Objects"),
    "graph.help": N_("What the input creates and what the controllers create from it. Click or tap "
                   "an object for its details: defaults, etcd key, generated names, variables, DNS names."),
    "graph.empty": N_("No object was accepted: nothing to draw."),
    "graph.pick": N_("Pick an object in the picture to see its details here."),
    "graph.pods": N_("{count} pod(s), {ready} Ready"),
    "graph.more": N_("+{count} more"),
    "graph.nopods": N_("no pods in this scenario"),
    "obj.namespace": N_("namespace"), "obj.file": N_("defined at"), "obj.etcd": N_("etcd key"),
    "obj.apiserver": N_("API server"), "obj.created": N_("created by the controllers"),
    "obj.labels": N_("labels"), "obj.annotations": N_("annotations"), "obj.events": N_("Show its events ({count})"),
    "obj.pods": "Pods", "obj.containers": N_("Containers"), "obj.image": N_("image"), "obj.command": N_("command"),
    "obj.env": N_("environment variables"), "obj.dns": N_("DNS names"), "obj.endpoints": N_("endpoints"),
    "obj.ports": N_("ports"), "obj.type": N_("type"), "obj.clusterip": "ClusterIP",
    "obj.externalip": "EXTERNAL-IP", "obj.svcenv": N_("variables it gives to pods started after it"),
    "obj.none": N_("none"),
    "obj.fromservices": N_("{count} variables from the Services {names} (see Environment and DNS)"),
    "pod.name": N_("pod"), "pod.node": N_("node"), "pod.ip": "IP", "pod.ready": N_("Ready at"),
    "pod.restarts": N_("restarts"),
    # charts
    "charts.head": N_("Charts"),
    "rollout.head": N_("Rollout of {object}"),
    "rollout.sub": N_("{strategy}, replicas {replicas}, maxSurge {surge}, maxUnavailable {unavailable}"),
    "rollout.old": N_("old pods"), "rollout.new": N_("new pods"), "rollout.available": N_("available"),
    "rollout.max": N_("at most (replicas + maxSurge)"), "rollout.min": N_("at least available (replicas - maxUnavailable)"),
    "rollout.step": N_("step"),
    "term.head": N_("Termination of each pod"),
    "term.help": N_("From the delete: the endpoint goes away, preStop runs, then SIGTERM; SIGKILL "
                  "comes when the grace period ends if a container still runs."),
    "term.grace": N_("grace period {grace} s"),
    "term.endpoint": N_("endpoint removed"), "term.prestop": "preStop", "term.sigterm": N_("SIGTERM until exit"),
    "term.sigkill": N_("SIGKILL deadline"), "term.cut": N_("preStop cut by the grace period"),
    "term.window": N_("grace period"),
    "scale.head": N_("Scale {object}: {old} -> {new}"),
    "scale.added": N_("added"), "scale.removed": N_("removed"),
    "drain.head": N_("Eviction and PodDisruptionBudgets"),
    "drain.t": "t", "drain.pod": N_("pod"), "drain.pdb": N_("budget"), "drain.allowed": N_("allowed"), "drain.why": N_("why"),
    "yes": N_("yes"), "no": N_("no"),
    "cron.head": N_("CronJob runs"),
    "cron.scheduled": N_("scheduled"), "cron.job": "Job", "cron.start": N_("start"), "cron.end": N_("end"),
    "cron.outcome": N_("outcome"),
    # containers, events, assumptions
    "containers.head": N_("Environment and DNS"),
    "containers.own": N_("env (own)"), "containers.service": N_("env (Service {name})"), "containers.dns": "DNS",
    "containers.search": N_("DNS search path"),
    "events.head": N_("All events ({count})"),
    "events.t": "t", "events.component": N_("component"), "events.object": N_("object"), "events.what": N_("what happens"),
    "events.reason": N_("reason"), "events.source": N_("source"),
    "assumptions.head": N_("Assumptions"),
    "seconds": N_("{value} s"), "minutes": N_("{value} min"), "hours": N_("{value} h"),
    # the page script (sent to it under these keys)
    "js.at": N_("at"), "js.reason": N_("Kubernetes reason"), "js.source": N_("source"), "js.close": N_("Close"),
    "js.events": N_("Events"),
}

TEXT: dict[str, dict[str, str]] = {"en": EN}
LANGUAGES = tuple(TEXT)


def texts(lang: str = "en") -> Mapping[str, str]:
    """The table of `lang`, English where it has no entry. The English texts are gettext
    message ids (N_): in another language each one is translated through `_()` (the
    catalog of k8slint/locale) when the run's language is not English and has no table here."""
    table = language(TEXT, lang)
    if lang in TEXT or i18n.language() == "en":
        return table
    return {key: _(value) for key, value in table.items()}


def script_texts(table: Mapping[str, str]) -> dict[str, str]:
    """The part of the table the page's script uses (keys without the `js.` prefix)."""
    return {k[3:]: v for k, v in table.items() if k.startswith("js.")}
