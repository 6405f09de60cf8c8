"""The result of a simulation: events, pods, services, terminations, rollouts, problems.

`Timeline.as_dict()` is the JSON contract of `k8slint explain --format json` (issue 7):
events sorted by t (stable: within one second, the order in which things happened).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Actors as the issue names them.
ACTORS = ("kube-apiserver", "etcd", "deployment-controller", "replicaset-controller",
          "statefulset-controller", "daemonset-controller", "job-controller", "cronjob-controller",
          "scheduler", "kubelet", "endpointslice-controller", "kube-proxy", "coredns",
          "garbage-collector")

# Phases the human and markdown renderers group events by (action -> phase).
PHASES = ("admission", "controllers", "scheduling", "containers", "network", "termination",
          "rollout")


def ref(kind: str, namespace: str | None, name: str) -> dict[str, Any]:
    return {"kind": kind, "namespace": namespace, "name": name}


def seconds(t: float) -> float | int:
    """Times as numbers: whole seconds print as ints so JSON stays tidy and stable."""
    rounded = round(float(t), 3)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass
class Event:
    t: float
    actor: str
    action: str
    object: dict[str, Any]
    message: str
    phase: str
    seq: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"t": seconds(self.t), "actor": self.actor, "action": self.action,
                "object": self.object, "message": self.message, "phase": self.phase}


@dataclass
class Pod:
    """One pod the controllers create (or a bare Pod of the input)."""

    name: str
    namespace: str
    owner: dict[str, str]
    labels: dict[str, str]
    spec: dict[str, Any]
    workload: Any                         # the graph Object it comes from
    created_at: float
    node: str | None = None
    ip: str | None = None
    ready_at: float | None = None
    finished_at: float | None = None
    pending_reason: str | None = None
    hostname: str | None = None
    subdomain: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    container_env: dict[str, dict[str, str]] = field(default_factory=dict)
    containers: list[str] = field(default_factory=list)
    started: dict[str, float] = field(default_factory=dict)     # container -> start time
    dns: list[str] = field(default_factory=list)
    ordinal: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "namespace": self.namespace, "owner": self.owner,
                "node": self.node, "ip": self.ip,
                "created_at": seconds(self.created_at),
                "ready_at": None if self.ready_at is None else seconds(self.ready_at),
                "finished_at": None if self.finished_at is None else seconds(self.finished_at),
                "pending_reason": self.pending_reason,
                "env": dict(sorted(self.env.items())),
                "container_env": {c: dict(sorted(e.items())) for c, e in self.container_env.items()},
                "containers": list(self.containers),
                "started_at": {c: seconds(t) for c, t in self.started.items()},
                "dns": list(self.dns), "labels": dict(sorted(self.labels.items()))}


@dataclass
class Service:
    name: str
    namespace: str
    type: str
    cluster_ip: str | None
    ports: list[dict[str, Any]]
    dns: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    obj: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "namespace": self.namespace, "type": self.type,
                "cluster_ip": self.cluster_ip, "ports": self.ports, "dns": list(self.dns),
                "endpoints": list(self.endpoints), "env": dict(sorted(self.env.items()))}


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

    def as_dict(self) -> dict[str, Any]:
        def opt(value: float | None) -> float | int | None:
            return None if value is None else seconds(value)

        return {"pod": self.pod, "namespace": self.namespace, "grace_period": self.grace,
                "endpoint_removed_at": seconds(self.endpoint_removed_at),
                "prestop_started_at": opt(self.prestop_started_at),
                "prestop_ended_at": opt(self.prestop_ended_at),
                "sigterm_at": seconds(self.sigterm_at), "sigkill_at": seconds(self.sigkill_at),
                "prestop_cut": self.hook_cut, "note": self.note}


@dataclass
class Rollout:
    object: str
    strategy: str
    replicas: int
    max_surge: int | None
    max_unavailable: int | None
    steps: list[dict[str, Any]] = field(default_factory=list)
    partition: int | None = None

    def step(self, t: float, old: int, new: int, available: int, note: str) -> None:
        self.steps.append({"t": seconds(t), "old": old, "new": new, "available": available,
                           "note": note})

    def as_dict(self) -> dict[str, Any]:
        data = {"object": self.object, "strategy": self.strategy, "replicas": self.replicas,
                "max_surge": self.max_surge, "max_unavailable": self.max_unavailable,
                "steps": self.steps}
        if self.partition is not None:
            data["partition"] = self.partition
        return data


@dataclass
class Timeline:
    scenario: str
    assumptions: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pods: list[Pod] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    terminations: list[Termination] = field(default_factory=list)
    rollouts: list[Rollout] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    objects: list[dict[str, Any]] = field(default_factory=list)     # the tree: kind, name, children
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, label) for mermaid
    scale: list[dict[str, Any]] = field(default_factory=list)

    def add(self, t: float, actor: str, action: str, obj: dict[str, Any], message: str,
            phase: str) -> None:
        self.events.append(Event(t, actor, action, obj, message, phase, len(self.events)))

    def problem(self, obj: str, message: str) -> None:
        entry = {"object": obj, "message": message}
        if entry not in self.problems:
            self.problems.append(entry)

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def sorted_events(self) -> list[Event]:
        return sorted(self.events, key=lambda e: (e.t, e.seq))

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "assumptions": list(self.assumptions),
            "events": [e.as_dict() for e in self.sorted_events()],
            "pods": [p.as_dict() for p in self.pods],
            "services": [s.as_dict() for s in self.services],
            "terminations": [t.as_dict() for t in self.terminations],
            "rollouts": [r.as_dict() for r in self.rollouts],
            "scale": self.scale,
            "problems": list(self.problems),
            "objects": self.objects,
        }
