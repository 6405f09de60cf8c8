"""Every user-facing text of the explain HTML page, in one table per language.

The page's script gets the same table (its keys under `js.`), so a translation is one more
entry in TEXT: `texts("ko")` falls back to English for any key a language lacks. Texts
with `{name}` fields are filled with str.format; none of them is HTML (they are escaped
where they are used).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...html_page import language

EN: dict[str, str] = {
    "title": "k8slint explain: {scenario} of {files}",
    "title.nofiles": "k8slint explain: {scenario}",
    "intro": ("A dry run of what the Kubernetes control plane would do with these manifests; no "
              "cluster was used. Times are seconds after the start; names, IPs and timings are "
              "illustrative but stable."),
    "nav.problems": "Problems", "nav.timeline": "Timeline", "nav.graph": "Objects",
    "nav.charts": "Charts", "nav.containers": "Environment and DNS", "nav.events": "All events",
    "nav.assumptions": "Assumptions",
    "scenario.apply": "apply", "scenario.rollout": "rollout", "scenario.delete": "delete",
    "scenario.scale": "scale", "scenario.drain": "drain", "scenario.cron": "cron",
    # problems first
    "problems.head": "Problems ({count})",
    "problems.none": "No problems found in the simulation.",
    "check.agrees": "k8slint check agrees: 0 errors, 0 warnings.",
    "check.reports": "k8slint check reports {errors} error(s) and {warnings} warning(s) on these objects:",
    "check.more": "{count} more findings",
    "check.notrun": "k8slint check could not run on this input: its findings are not shown.",
    "summary.head": "Summary",
    # timeline
    "timeline.head": "Timeline",
    "timeline.help": ("One row per pod, grouped by workload; a lane per Service shows endpoint "
                      "changes and kube-proxy programming. Hover or tap a bar or a marker to see "
                      "which component acted and why; tap a pod's name for all of its events."),
    "timeline.cluster": "API server, etcd and others",
    "timeline.controllers": "controllers",
    "timeline.services": "Services",
    "timeline.before": "running at t=0",
    "timeline.noevents": "No events.",
    "timeline.axis": "seconds after the start",
    "legend.states": "States",
    "legend.marks": "Markers",
    "state.pending": "waiting for a node", "state.unschedulable": "cannot be scheduled",
    "state.scheduled": "scheduled to a node", "state.sandbox": "pod sandbox (network, IP)",
    "state.pull": "image pull", "state.init": "init containers", "state.running": "running, not Ready",
    "state.ready": "Ready (gets traffic)", "state.crashed": "container exited",
    "state.backoff": "CrashLoopBackOff wait", "state.succeeded": "Succeeded", "state.failed": "Failed",
    "state.terminating": "deleting: endpoint removed", "state.prestop": "preStop hook",
    "state.sigterm": "SIGTERM sent, app stopping", "state.jobrun": "Job running",
    "mark.bad": "problem or refusal", "mark.ep-add": "endpoint added", "mark.ep-remove": "endpoint removed",
    "mark.proxy": "kube-proxy programs the rules", "mark.dns": "DNS record", "mark.ok": "Ready / complete",
    "mark.gone": "pod object gone", "mark.ev": "other event", "mark.sigkill": "SIGKILL",
    "mark.deadline": "SIGKILL deadline (grace period ends)",
    # graph
    "graph.head": "Objects",
    "graph.help": ("What the input creates and what the controllers create from it. Click or tap "
                   "an object for its details: defaults, etcd key, generated names, variables, DNS names."),
    "graph.empty": "No object was accepted: nothing to draw.",
    "graph.pick": "Pick an object in the picture to see its details here.",
    "graph.pods": "{count} pod(s), {ready} Ready",
    "graph.more": "+{count} more",
    "graph.nopods": "no pods in this scenario",
    "obj.namespace": "namespace", "obj.file": "defined at", "obj.etcd": "etcd key",
    "obj.apiserver": "API server", "obj.created": "created by the controllers",
    "obj.labels": "labels", "obj.annotations": "annotations", "obj.events": "Show its events ({count})",
    "obj.pods": "Pods", "obj.containers": "Containers", "obj.image": "image", "obj.command": "command",
    "obj.env": "environment variables", "obj.dns": "DNS names", "obj.endpoints": "endpoints",
    "obj.ports": "ports", "obj.type": "type", "obj.clusterip": "ClusterIP",
    "obj.externalip": "EXTERNAL-IP", "obj.svcenv": "variables it gives to pods started after it",
    "obj.none": "none",
    "obj.fromservices": "{count} variables from the Services {names} (see Environment and DNS)",
    "pod.name": "pod", "pod.node": "node", "pod.ip": "IP", "pod.ready": "Ready at",
    "pod.restarts": "restarts",
    # charts
    "charts.head": "Charts",
    "rollout.head": "Rollout of {object}",
    "rollout.sub": "{strategy}, replicas {replicas}, maxSurge {surge}, maxUnavailable {unavailable}",
    "rollout.old": "old pods", "rollout.new": "new pods", "rollout.available": "available",
    "rollout.max": "at most (replicas + maxSurge)", "rollout.min": "at least available (replicas - maxUnavailable)",
    "rollout.step": "step",
    "term.head": "Termination of each pod",
    "term.help": ("From the delete: the endpoint goes away, preStop runs, then SIGTERM; SIGKILL "
                  "comes when the grace period ends if a container still runs."),
    "term.grace": "grace period {grace} s",
    "term.endpoint": "endpoint removed", "term.prestop": "preStop", "term.sigterm": "SIGTERM until exit",
    "term.sigkill": "SIGKILL deadline", "term.cut": "preStop cut by the grace period",
    "term.window": "grace period",
    "scale.head": "Scale {object}: {old} -> {new}",
    "scale.added": "added", "scale.removed": "removed",
    "drain.head": "Eviction and PodDisruptionBudgets",
    "drain.t": "t", "drain.pod": "pod", "drain.pdb": "budget", "drain.allowed": "allowed", "drain.why": "why",
    "yes": "yes", "no": "no",
    "cron.head": "CronJob runs",
    "cron.scheduled": "scheduled", "cron.job": "Job", "cron.start": "start", "cron.end": "end",
    "cron.outcome": "outcome",
    # containers, events, assumptions
    "containers.head": "Environment and DNS",
    "containers.own": "env (own)", "containers.service": "env (Service {name})", "containers.dns": "DNS",
    "containers.search": "DNS search path",
    "events.head": "All events ({count})",
    "events.t": "t", "events.component": "component", "events.object": "object", "events.what": "what happens",
    "events.reason": "reason", "events.source": "source",
    "assumptions.head": "Assumptions",
    "seconds": "{value} s", "minutes": "{value} min", "hours": "{value} h",
    # the page script (sent to it under these keys)
    "js.at": "at", "js.reason": "Kubernetes reason", "js.source": "source", "js.close": "Close",
    "js.events": "Events",
}

TEXT: dict[str, dict[str, str]] = {"en": EN}
LANGUAGES = tuple(TEXT)


def texts(lang: str = "en") -> Mapping[str, str]:
    """The table of `lang`, English where it has no entry."""
    return language(TEXT, lang)


def script_texts(table: Mapping[str, str]) -> dict[str, str]:
    """The part of the table the page's script uses (keys without the `js.` prefix)."""
    return {k[3:]: v for k, v in table.items() if k.startswith("js.")}
