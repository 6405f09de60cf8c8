"""The timeline of the HTML page as data: one row per pod (grouped per workload) with its
states over time, a lane per workload for its controllers, a lane per Service for endpoint
changes and kube-proxy programming, and a lane for everything else (admission, etcd, nodes).

Only structured fields are read (event actor, action, object, time; pods; terminations;
cron runs), never message text, so the rows stay right when messages are translated.
Pod states follow the kubelet's order (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/):
scheduled, sandbox, image pull and init containers, running, Ready; on delete the endpoint
goes away, preStop runs, then SIGTERM, and SIGKILL when the grace period ends
(pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..timeline import Event, Pod, Timeline

END = "end"            # the pod object is gone: the bar stops

# (actor, action) of an event on a Pod -> the state the pod is in from then on.
# "start" is decided by position: the first n starts are the n init containers.
POD_STATES: dict[tuple[str, str], str] = {
    ("kube-apiserver", "admit"): "pending",
    ("replicaset-controller", "create-pod"): "pending",
    ("statefulset-controller", "create-pod"): "pending",
    ("daemonset-controller", "create-pod"): "pending",
    ("job-controller", "create-pod"): "pending",
    ("scheduler", "bind"): "scheduled",
    ("scheduler", "failed-scheduling"): "unschedulable",
    ("kubelet", "sandbox"): "sandbox",
    ("kubelet", "pull"): "pull",
    ("kubelet", "ready"): "ready",
    ("kubelet", "not-ready"): "running",
    ("kubelet", "crash"): "crashed",
    ("kubelet", "kill"): "crashed",
    ("kubelet", "back-off"): "backoff",
    ("kubelet", "restart"): "running",
    ("kubelet", "succeeded"): "succeeded",
    ("kubelet", "failed"): "failed",
    ("kube-apiserver", "delete"): "terminating",
    ("replicaset-controller", "delete-pod"): "terminating",
    ("statefulset-controller", "delete"): "terminating",
    ("daemonset-controller", "delete"): "terminating",
    ("kubelet", "prestop"): "prestop",
    ("kubelet", "sigterm"): "sigterm",
    ("kubelet", "gone"): END,
    ("kube-apiserver", "remove"): END,
}
# The states a legend explains, in the order a pod lives through them.
STATES = ("pending", "unschedulable", "scheduled", "sandbox", "pull", "init", "running", "ready",
          "crashed", "backoff", "succeeded", "failed", "terminating", "prestop", "sigterm", "jobrun")

# Marker kinds by importance: the first kind any event of a marker has wins.
MARK_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("bad", frozenset({"reject", "failed-scheduling", "failed-create", "crash", "back-off", "probe-failed",
                       "kill", "failed", "not-ready", "deadline", "evict-refused", "lb-pending",
                       "pod-failure-policy", "skip", "missed"})),
    ("ep-remove", frozenset({"endpoint-removed", "endpoint-terminating"})),
    ("ep-add", frozenset({"endpoint-ready"})),
    ("proxy", frozenset({"program"})),
    ("dns", frozenset({"dns"})),
    ("ok", frozenset({"ready", "succeeded", "complete"})),
    ("gone", frozenset({"gone", "remove"})),
)
MARKS = ("bad", "ep-remove", "ep-add", "proxy", "dns", "ok", "gone", "ev", "sigkill", "deadline")
# Moments worth a marker even where a bar begins.
ALWAYS_MARKED = frozenset({"ready", "crash", "back-off", "kill", "failed", "succeeded", "failed-scheduling",
                           "complete"})
WORKLOAD_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
                            "ReplicationController"})


@dataclass
class Bar:
    """One stretch of a row in one state, begun by `events`."""

    state: str
    start: float
    end: float
    events: list[int]


@dataclass
class Mark:
    t: float
    kind: str
    events: list[int]


@dataclass
class Row:
    kind: str                                   # pod, job, lane, service, cluster
    label: str
    sub: str = ""
    bars: list[Bar] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    before: bool = False                        # the pod ran before the scenario began


@dataclass
class Group:
    title: str                                  # Kind/name of the workload
    lane: Row
    rows: list[Row] = field(default_factory=list)


@dataclass
class Lanes:
    events: list[Event]
    cluster: Row
    groups: list[Group]
    services: list[Row]
    end: float

    @property
    def pod_rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows if r.kind == "pod"]


def build(timeline: Timeline) -> Lanes:
    events = timeline.sorted_events()
    builder = _Builder(timeline, events)
    return builder.lanes()


class _Builder:
    def __init__(self, timeline: Timeline, events: list[Event]) -> None:
        self.timeline = timeline
        self.events = events
        self.groups: dict[str, Group] = {}
        self.owners: dict[str, str] = {}                 # owner or workload name -> group title
        self.pods: dict[str, Row] = {}
        self.pod_events: dict[str, list[int]] = {}
        self.services: dict[str, Row] = {}
        self.cluster = Row("cluster", "")

    def lanes(self) -> Lanes:
        for pod in self.timeline.pods:
            self._group(_top(pod), pod.owner_name)
        for i, e in enumerate(self.events):
            self._place(i, e)
        end = _end(self.timeline, self.events)
        for pod in self.timeline.pods:
            self._pod_row(pod)
        for name, indices in self.pod_events.items():
            if name not in self.pods:
                self._pod_row(None, name, indices)
        self._mentions()
        for name, row in self.pods.items():
            _pod_bars(row, self.events, row.events, self._pod_of(name), end, self.timeline.scenario != "apply")
        self._terminations()
        self._cron_runs(end)
        for row in self._all_rows():
            row.marks += _marks(row, self.events)
            row.marks.sort(key=lambda m: m.t)
        return Lanes(self.events, self.cluster, list(self.groups.values()), list(self.services.values()), end)

    # --- where each event goes -------------------------------------------------------
    def _group(self, title: str, *aliases: str) -> Group:
        group = self.groups.get(title)
        if group is None:
            group = self.groups[title] = Group(title, Row("lane", title))
        for alias in (title.partition("/")[2], *aliases):
            self.owners.setdefault(alias, title)
        return group

    def _owner_group(self, name: str) -> Group | None:
        """The group of a controller-made name: itself, or its generated prefix
        (ReplicaSet web-7959864b88 of Deployment web; Job report-29453790 of CronJob report)."""
        for candidate in (name, name.rsplit("-", 1)[0]):
            title = self.owners.get(candidate)
            if title is not None:
                return self.groups[title]
        return None

    def _place(self, i: int, e: Event) -> None:
        kind, name = str(e.object.get("kind")), str(e.object.get("name"))
        if kind == "Pod":
            self.pod_events.setdefault(name, []).append(i)
            return
        if kind == "Service":
            row = self.services.get(name)
            if row is None:
                row = self.services[name] = Row("service", name, _service_sub(self.timeline, name))
            row.events.append(i)
            return
        if kind in WORKLOAD_KINDS:
            group = self._owner_group(name) or self._group(f"{kind}/{name}")
            group.lane.events.append(i)
            return
        self.cluster.events.append(i)

    def _pod_of(self, name: str) -> Pod | None:
        return next((p for p in self.timeline.pods if p.name == name), None)

    def _pod_row(self, pod: Pod | None, name: str = "", indices: Iterable[int] = ()) -> None:
        if pod is not None:
            name = pod.name
            group = self.groups[_top(pod)]
        else:
            group = self._owner_group(name.rsplit("-", 1)[0]) or self._group("Pod/" + name)
        if name in self.pods:
            return
        row = Row("pod", name, _pod_sub(pod), events=list(self.pod_events.get(name, indices)))
        self.pods[name] = row
        group.rows.append(row)

    def _mentions(self) -> None:
        """A controller event that names a pod (a rollout's scale-down lists the pods it
        deletes) is shown on that pod's row too. Pod names are data, not prose, so this
        holds in any language."""
        if not self.pods:
            return
        names = sorted(self.pods, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
        for group in self.groups.values():
            for i in group.lane.events:
                for name in dict.fromkeys(pattern.findall(self.events[i].message)):
                    self.pods[name].events.append(i)
        for row in self.pods.values():
            row.events.sort()

    def _terminations(self) -> None:
        """The SIGKILL deadline of each terminating pod: a cross where the kubelet kills, a tick
        where the grace period would end had the containers not exited before."""
        for term in self.timeline.terminations:
            row = self.pods.get(term.pod)
            if row is None or term.sigkill_at is None:
                continue
            sigterm = [i for i in row.events if self.events[i].action == "sigterm"]
            killed = term.gone_at is None or term.gone_at >= term.sigkill_at
            row.marks.append(Mark(term.sigkill_at, "sigkill" if killed else "deadline", sigterm[-1:]))

    def _cron_runs(self, end: float) -> None:
        """cron: no pods are simulated, so each Job run is a row of its CronJob."""
        for run in self.timeline.cron_runs:
            name = str(run.get("cronjob", "")).partition("/")[2]
            group = self._owner_group(name) or self._group(f"CronJob/{name}")
            job = str(run.get("job", ""))
            indices = [i for i, e in enumerate(self.events) if e.object.get("name") == job]
            row = Row("job", job, str(run.get("scheduled", "")), events=indices)
            start, stop = float(run.get("start") or 0), run.get("end")
            row.bars.append(Bar("jobrun", start, float(stop) if stop is not None else end, indices[:1]))
            outcome = str(run.get("outcome", ""))
            if stop is not None:
                row.bars.append(Bar("succeeded" if outcome == "Complete" else "failed", float(stop), end,
                                    indices[-1:]))
            group.rows.append(row)
            self.owners.setdefault(job, group.title)
            group.lane.events = [i for i in group.lane.events if i not in indices]

    def _all_rows(self) -> list[Row]:
        rows = [self.cluster]
        for group in self.groups.values():
            rows += [group.lane, *group.rows]
        return rows + list(self.services.values())


def _top(pod: Pod) -> str:
    if pod.workload is not None:
        return f"{pod.workload.kind}/{pod.workload.name}"
    return f"{pod.owner_kind}/{pod.owner_name}"


def _pod_sub(pod: Pod | None) -> str:
    if pod is None:
        return ""
    parts = [p for p in (pod.node, pod.ip) if p]
    return " · ".join(parts)


def _service_sub(timeline: Timeline, name: str) -> str:
    svc = next((s for s in timeline.services if s.name == name), None)
    if svc is None:
        return ""
    return f"{svc.type} {svc.cluster_ip or 'None'}"


def _end(timeline: Timeline, events: list[Event]) -> float:
    """The right edge of the axis: a little after the last thing that happens."""
    last = max((e.t for e in events), default=0.0)
    for term in timeline.terminations:
        last = max(last, term.sigkill_at, term.gone_at or 0.0)
    for roll in timeline.rollouts:
        last = max([last] + [s.t for s in roll.steps])
    for run in timeline.cron_runs:
        last = max(last, float(run.get("end") or 0))
    return last * 1.04 + 1 if last else 10.0


def _init_count(pod: Pod | None) -> int:
    if pod is None:
        return 0
    init = pod.spec.get("initContainers")
    return len(init) if isinstance(init, list) else 0


def _pod_bars(row: Row, events: list[Event], indices: list[int], pod: Pod | None, end: float,
              after_apply: bool) -> None:
    """The states of one pod, event by event; a pod that existed before the scenario began
    starts in the state the apply left it in."""
    state: str | None = None
    since = 0.0
    begun: list[int] = []
    starts = 0
    init = _init_count(pod)
    creates = any(events[i].action in ("create-pod", "admit") for i in indices)
    if after_apply and pod is not None and not creates:
        row.before = True
        state = "ready" if pod.ready_at is not None else ("running" if pod.node else "pending")
    for i in indices:
        e = events[i]
        if e.object.get("kind") != "Pod":
            new = "terminating" if _scales_down_owner(e, pod) else ""
        elif e.action == "start" and e.actor == "kubelet":
            new = "init" if starts < init else "running"
            starts += 1
        else:
            new = POD_STATES.get((e.actor, e.action), "")
        if not new:
            continue
        if state is not None and state != END and e.t > since:
            row.bars.append(Bar(state, since, e.t, begun))
        # events at one moment (sandbox and pull at 1 s) all belong to the bar that shows
        begun = begun + [i] if state is not None and e.t == since else [i]
        state, since = new, e.t
        if state == END:
            break
    if state is not None and state != END and end > since:
        row.bars.append(Bar(state, since, end, begun))


def _scales_down_owner(e: Event, pod: Pod | None) -> bool:
    """The deployment controller scaling the pod's own ReplicaSet while naming the pod: it
    is one the replicaset controller deletes (pkg/controller/deployment/rolling.go
    reconcileOldReplicaSets; replica_set.go manageReplicas)."""
    return (pod is not None and e.actor == "deployment-controller" and e.action == "scale"
            and e.object.get("kind") == pod.owner_kind and e.object.get("name") == pod.owner_name)


def _mark_kind(events: list[Event], indices: list[int]) -> str:
    actions = {events[i].action for i in indices}
    for kind, members in MARK_KINDS:
        if actions & members:
            return kind
    return "ev"


def _marks(row: Row, events: list[Event]) -> list[Mark]:
    """Events not shown as the start of a visible bar, one marker per moment."""
    shown = {i for bar in row.bars if bar.end > bar.start for i in bar.events}
    at: dict[float, list[int]] = {}
    for i in row.events:
        if i in shown and events[i].action not in ALWAYS_MARKED:
            continue
        at.setdefault(events[i].t, []).append(i)
    return [Mark(t, _mark_kind(events, indices), indices) for t, indices in at.items()]
