"""The result of a simulation: events, pods, services, terminations, rollouts, problems.

`Timeline.as_dict()` is the JSON contract of `k8slint explain --format json`: events
sorted by t (stable: within one second, the order in which things happened). Keys are only
ever added, never renamed or removed. The data is renderer-independent: every event carries
its component (`actor`), the Kubernetes reason it stands for and the source that backs it
(from the registry in events.py), so other renderers (HTML, other languages) need nothing
but this structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .events import kind_of

if TYPE_CHECKING:
    from ..graph import Object

# Phases the `--group-by phase` renderers group events by.
PHASES = ("admission", "controllers", "scheduling", "containers", "network", "termination",
          "rollout")

JSON = dict[str, Any]


def mapping(value: Any) -> JSON:
    """A manifest value that should be a mapping, or {} when it is not."""
    return value if isinstance(value, dict) else {}


def ref(kind: str, namespace: str | None, name: str) -> JSON:
    return {"kind": kind, "namespace": namespace, "name": name}


def seconds(t: float) -> float | int:
    """Times as numbers: whole seconds print as ints so JSON stays tidy and stable."""
    rounded = round(float(t), 3)
    return int(rounded) if rounded == int(rounded) else rounded


def _opt(value: float | None) -> float | int | None:
    return None if value is None else seconds(value)


@dataclass
class Event:
    t: float
    actor: str                      # the component that acts (kube-apiserver, kubelet, ...)
    action: str                     # the event kind; (actor, action) keys events.KINDS
    object: JSON
    message: str
    phase: str
    seq: int = 0

    @property
    def reason(self) -> str:
        kind = kind_of(self.actor, self.action)
        return kind.reason if kind else ""

    @property
    def source(self) -> str:
        kind = kind_of(self.actor, self.action)
        return kind.source if kind else ""

    def as_dict(self) -> JSON:
        return {"t": seconds(self.t), "actor": self.actor, "action": self.action,
                "object": self.object, "message": self.message, "phase": self.phase,
                "reason": self.reason, "source": self.source}


@dataclass
class Pod:
    """One pod the controllers create (or a bare Pod of the input)."""

    name: str
    namespace: str
    owner: dict[str, str | None]
    labels: dict[str, str]
    spec: JSON
    workload: Object | None               # the graph Object it comes from
    created_at: float
    node: str | None = None
    ip: str | None = None
    ready_at: float | None = None
    finished_at: float | None = None
    failed_at: float | None = None
    pending_reason: str | None = None
    hostname: str | None = None
    subdomain: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    container_env: dict[str, dict[str, str]] = field(default_factory=dict)
    containers: list[str] = field(default_factory=list)
    started: dict[str, float] = field(default_factory=dict)     # container -> start time
    restarts: dict[str, int] = field(default_factory=dict)      # container -> restart count
    dns: list[str] = field(default_factory=list)
    ordinal: int | None = None
    deleted_at: float | None = None       # deletionTimestamp set (delete, eviction, scale-down)
    gone_at: float | None = None          # the pod object is removed from the API
    exit_codes: dict[str, int] = field(default_factory=dict)    # container -> last exit code

    @property
    def owner_kind(self) -> str:
        return self.owner.get("kind") or "Pod"

    @property
    def owner_name(self) -> str:
        return self.owner.get("name") or self.name

    def as_dict(self) -> JSON:
        data: JSON = {
            "name": self.name, "namespace": self.namespace, "owner": self.owner,
            "node": self.node, "ip": self.ip, "created_at": seconds(self.created_at),
            "ready_at": _opt(self.ready_at), "finished_at": _opt(self.finished_at),
            "pending_reason": self.pending_reason, "env": dict(sorted(self.env.items())),
            "container_env": {c: dict(sorted(e.items())) for c, e in self.container_env.items()},
            "containers": list(self.containers),
            "started_at": {c: seconds(t) for c, t in self.started.items()},
            "dns": list(self.dns), "labels": dict(sorted(self.labels.items()))}
        if self.failed_at is not None:
            data["failed_at"] = seconds(self.failed_at)
        if self.restarts:
            data["restarts"] = dict(self.restarts)
        if self.exit_codes:
            data["exit_codes"] = dict(self.exit_codes)
        if self.deleted_at is not None:
            data["deleted_at"] = seconds(self.deleted_at)
        if self.gone_at is not None:
            data["gone_at"] = seconds(self.gone_at)
        return data


@dataclass
class ServicePort:
    name: str
    port: int
    protocol: str
    target_port: int | str
    node_port: int | None = None

    def as_dict(self) -> JSON:
        data: JSON = {"name": self.name, "port": self.port, "protocol": self.protocol,
                      "targetPort": self.target_port}
        if self.node_port is not None:
            data["nodePort"] = self.node_port
        return data


@dataclass
class Service:
    name: str
    namespace: str
    type: str
    cluster_ip: str | None
    ports: list[ServicePort]
    dns: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    obj: Object | None = None
    external_ip: str | None = None         # "<pending>" for a LoadBalancer without a cloud
    publish_not_ready: bool = False
    traffic: dict[str, str] = field(default_factory=dict)

    @property
    def headless(self) -> bool:
        return self.cluster_ip is None

    def as_dict(self) -> JSON:
        data: JSON = {"name": self.name, "namespace": self.namespace, "type": self.type,
                      "cluster_ip": self.cluster_ip, "ports": [p.as_dict() for p in self.ports],
                      "dns": list(self.dns), "endpoints": list(self.endpoints),
                      "env": dict(sorted(self.env.items()))}
        if self.external_ip is not None:
            data["external_ip"] = self.external_ip
        if self.traffic:
            data["traffic"] = dict(self.traffic)
        return data


@dataclass
class Termination:
    pod: str
    namespace: str
    grace: int
    endpoint_removed_at: float
    prestop_started_at: float | None
    prestop_ended_at: float | None
    sigterm_at: float
    sigkill_at: float
    hook_cut: bool
    note: str
    gone_at: float | None = None

    def as_dict(self) -> JSON:
        data: JSON = {"pod": self.pod, "namespace": self.namespace, "grace_period": self.grace,
                      "endpoint_removed_at": seconds(self.endpoint_removed_at),
                      "prestop_started_at": _opt(self.prestop_started_at),
                      "prestop_ended_at": _opt(self.prestop_ended_at),
                      "sigterm_at": seconds(self.sigterm_at), "sigkill_at": seconds(self.sigkill_at),
                      "prestop_cut": self.hook_cut, "note": self.note}
        if self.gone_at is not None:
            data["gone_at"] = seconds(self.gone_at)
        return data


@dataclass
class RolloutStep:
    t: float
    old: int
    new: int
    available: int
    note: str

    def as_dict(self) -> JSON:
        return {"t": seconds(self.t), "old": self.old, "new": self.new,
                "available": self.available, "note": self.note}


@dataclass
class Rollout:
    object: str
    strategy: str
    replicas: int
    max_surge: int | None
    max_unavailable: int | None
    steps: list[RolloutStep] = field(default_factory=list)
    partition: int | None = None

    def step(self, t: float, old: int, new: int, available: int, note: str) -> None:
        self.steps.append(RolloutStep(t, old, new, available, note))

    def as_dict(self) -> JSON:
        data: JSON = {"object": self.object, "strategy": self.strategy, "replicas": self.replicas,
                      "max_surge": self.max_surge, "max_unavailable": self.max_unavailable,
                      "steps": [s.as_dict() for s in self.steps]}
        if self.partition is not None:
            data["partition"] = self.partition
        return data


@dataclass
class Problem:
    object: str
    message: str
    file: str | None = None
    line: int | None = None

    def as_dict(self) -> JSON:
        data: JSON = {"object": self.object, "message": self.message}
        if self.file is not None:
            data["file"], data["line"] = self.file, self.line
        return data


@dataclass
class CheckSummary:
    """What `k8slint check` says about the same objects (errors and warnings)."""

    ran: bool = False
    errors: int = 0
    warnings: int = 0
    findings: list[JSON] = field(default_factory=list)

    def as_dict(self) -> JSON:
        return {"ran": self.ran, "errors": self.errors, "warnings": self.warnings,
                "findings": list(self.findings)}


@dataclass
class Timeline:
    scenario: str
    assumptions: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pods: list[Pod] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    terminations: list[Termination] = field(default_factory=list)
    rollouts: list[Rollout] = field(default_factory=list)
    problem_list: list[Problem] = field(default_factory=list)
    objects: list[JSON] = field(default_factory=list)               # the tree: kind, name, children
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, label) for mermaid
    scale: list[JSON] = field(default_factory=list)
    check: CheckSummary = field(default_factory=CheckSummary)
    inputs: list[str] = field(default_factory=list)                 # the files read
    disruptions: list[JSON] = field(default_factory=list)           # drain: per PDB arithmetic
    cron_runs: list[JSON] = field(default_factory=list)             # cron: every run in the window

    def add(self, t: float, actor: str, action: str, obj: JSON, message: str, phase: str) -> None:
        self.events.append(Event(t, actor, action, obj, message, phase, len(self.events)))

    @property
    def problems(self) -> list[JSON]:
        return [p.as_dict() for p in self.problem_list]

    def problem(self, obj: str, message: str) -> None:
        if not any(p.object == obj and p.message == message for p in self.problem_list):
            self.problem_list.append(Problem(obj, message))

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def sorted_events(self) -> list[Event]:
        return sorted(self.events, key=lambda e: (e.t, e.seq))

    def as_dict(self) -> JSON:
        data: JSON = {
            "scenario": self.scenario,
            "assumptions": list(self.assumptions),
            "events": [e.as_dict() for e in self.sorted_events()],
            "pods": [p.as_dict() for p in self.pods],
            "services": [s.as_dict() for s in self.services],
            "terminations": [t.as_dict() for t in self.terminations],
            "rollouts": [r.as_dict() for r in self.rollouts],
            "scale": self.scale,
            "problems": self.problems,
            "objects": self.objects,
            "check": self.check.as_dict(),
        }
        if self.disruptions:
            data["disruptions"] = self.disruptions
        if self.cron_runs:
            data["cron_runs"] = self.cron_runs
        return data
