"""The simulated control plane: a clock, an event queue, nodes, Services and pods.

Controllers (controllers.py) create pods through `World.create_pod`; the world schedules
them, lets the kubelet start them, joins them to Service endpoints when Ready, and tells
the owning controller (for StatefulSet ordering and Job completions).
"""

from __future__ import annotations

import heapq
from typing import Any, Callable, Protocol

from ..graph import Object, service_selector
from . import kubelet, network, refusal, scheduler
from .cluster import Node
from .timeline import Pod, Service, Timeline, ref

KUBE_PROXY_SECONDS = 1       # kube-proxy applies a change this long after it (illustrative)


class Owner(Protocol):
    def pod_ready(self, pod: Pod, t: float) -> None: ...
    def pod_finished(self, pod: Pod, t: float) -> None: ...
    def pod_stuck(self, pod: Pod, t: float) -> None: ...


class World:
    def __init__(self, nodes: list[Node], timeline: Timeline) -> None:
        self.nodes = nodes
        self.timeline = timeline
        self.pods: list[Pod] = []
        self.services: list[Service] = []
        self.service_created: dict[int, float] = {}
        self.owners: dict[int, Owner] = {}
        self.children: dict[tuple, list[dict[str, Any]]] = {}
        self.pool = network.IPPool()
        self._queue: list[tuple[float, int, Callable[[float], None]]] = []
        self._seq = 0
        self.now = 0.0
        self.graph: Any = None              # the input Graph (ConfigMaps for envFrom)
        self.refusals: dict[int, tuple[Object, str]] = {}     # id(workload) -> why pods are refused
        self._failing: set[tuple] = set()                     # owners already retrying

    # --- clock ---------------------------------------------------------------
    def at(self, t: float, action: Callable[[float], None]) -> None:
        self._seq += 1
        heapq.heappush(self._queue, (t, self._seq, action))

    def run(self, horizon: float | None = None) -> None:
        while self._queue:
            t, _, action = heapq.heappop(self._queue)
            if horizon is not None and t > horizon:
                break
            self.now = t
            action(t)

    def event(self, t: float, actor: str, action: str, obj: dict, message: str, phase: str) -> None:
        self.timeline.add(t, actor, action, obj, message, phase)

    def child(self, parent: tuple, child: dict[str, Any]) -> None:
        """Remember an object a controller made, for the tree of objects."""
        self.children.setdefault(parent, []).append(child)

    # --- Services ------------------------------------------------------------
    def add_service(self, obj: Object, t: float) -> Service:
        spec = obj.get("spec", default={})
        spec = spec if isinstance(spec, dict) else {}
        kind = str(spec.get("type") or "ClusterIP")
        headless = spec.get("clusterIP") == "None" or kind == "ExternalName"
        ip = None if headless else self.pool.take(spec.get("clusterIP"))
        ports = network.service_ports(spec)
        svc = Service(obj.name, obj.namespace or "default", kind, ip, ports, obj=obj)
        svc.dns = network.dns_names(svc)
        if ip:
            svc.env = network.service_env(obj.name, ip, ports)
        self.services.append(svc)
        self.service_created[id(svc)] = t
        who = ref("Service", svc.namespace, svc.name)
        if kind == "ExternalName":
            self.event(t, "coredns", "dns", who, f"serves {svc.dns[0]} as a CNAME to "
                       f"{spec.get('externalName')}", "network")
        elif ip:
            first = ", ".join(f"{p['port']}/{p['protocol']}" for p in ports)
            self.event(t, "kube-apiserver", "allocate-ip", who,
                       f"allocates ClusterIP {ip} (illustrative, from {network.SERVICE_CIDR})", "admission")
            self.event(t, "coredns", "dns", who, f"serves {svc.dns[0]} -> {ip}", "network")
            self.event(t + KUBE_PROXY_SECONDS, "kube-proxy", "program", who,
                       f"programs {ip} ports {first} on every node; with no ready endpoint "
                       "connections are rejected", "network")
        else:
            self.event(t, "coredns", "dns", who, f"serves {svc.dns[0]} (headless) -> the IPs "
                       "of its ready pods (none yet)", "network")
        return svc

    def selecting(self, pod: Pod) -> list[Service]:
        found = []
        for svc in self.services:
            if svc.namespace != pod.namespace or svc.obj is None:
                continue
            selector = service_selector(svc.obj)
            if selector is not None and not selector.empty and selector.matches(pod.labels):
                found.append(svc)
        return found

    # --- pods ----------------------------------------------------------------
    # --- pods admission refuses -------------------------------------------------
    def refuse(self, workload: Object, reason: str) -> None:
        """Admission refuses every pod of this (stored) workload: `pods "<name>" is forbidden: <reason>`."""
        self.refusals[id(workload)] = (workload, reason)

    def refused_behind(self, svc: Service) -> str:
        """The refused workloads whose pods this Service would select ("" when none)."""
        selector = service_selector(svc.obj) if svc.obj is not None else None
        if selector is None or selector.empty:
            return ""
        found = [f"{w.kind}/{w.name}" for w, _ in self.refusals.values()
                 if (w.namespace or "default") == svc.namespace and w.pod_template is not None
                 and selector.matches({str(k): str(v) for k, v in w.pod_template.labels.items()})]
        return ", ".join(found)

    def _failed_create(self, pod: Pod, t: float, actor: str, owner: Owner | None, reason: str) -> None:
        kind, name = pod.owner.get("kind"), pod.owner.get("name")
        key = (kind, pod.namespace, name)
        siblings = self.children.get(key, [])
        if {"kind": "Pod", "name": pod.name} in siblings:
            siblings.remove({"kind": "Pod", "name": pod.name})
        if owner is not None and pod in getattr(owner, "pods", []):
            owner.pods.remove(pod)            # type: ignore[attr-defined]
        attempts = refusal.attempts(pod.name, str(kind), t)
        if key in self._failing:
            attempts = attempts[:1]
        self._failing.add(key)
        who = ref(str(kind), pod.namespace, str(name))
        for at, pod_name in attempts:
            self.event(at, actor, "failed-create", who, refusal.failed_create(str(kind), str(name),
                       pod_name, reason), "controllers")
        if len(attempts) > 1:
            self.event(attempts[-1][0], actor, "failed-create", who, refusal.backoff_note(str(kind)),
                       "controllers")

    def create_pod(self, pod: Pod, t: float, actor: str, owner: Owner | None,
                   node: Node | None = None, note: str = "") -> bool:
        """Create the pod (False: admission refused it; FailedCreate events instead)."""
        refused = self.refusals.get(id(pod.workload))
        if refused is not None:
            self._failed_create(pod, t, actor, owner, refused[1])
            return False
        self.pods.append(pod)
        if owner is not None:
            self.owners[id(pod)] = owner
        self.event(t, actor, "create-pod", ref("Pod", pod.namespace, pod.name),
                   f"creates pod {pod.name}{note}", "controllers")
        self.at(t, lambda now: self._schedule(pod, now, node))
        return True

    def _schedule(self, pod: Pod, t: float, only: Node | None) -> None:
        who = ref("Pod", pod.namespace, pod.name)
        tolerations = [x for x in pod.spec.get("tolerations") or [] if isinstance(x, dict)]
        if pod.owner.get("kind") == "DaemonSet":
            tolerations += list(scheduler.DAEMONSET_TOLERATIONS)
            if pod.spec.get("hostNetwork"):
                tolerations.append(scheduler.HOSTNETWORK_TOLERATION)
        node, message = scheduler.schedule(pod, [only] if only else self.nodes, tolerations)
        if node is None:
            pod.pending_reason = message
            self.event(t, "scheduler", "failed-scheduling", who,
                       f"FailedScheduling: {message} The pod stays Pending", "scheduling")
            self.timeline.problem(f"Pod/{pod.name}", f"stays Pending: {message}")
            owner = self.owners.get(id(pod))
            if owner:
                owner.pod_stuck(pod, t)
            return
        pod.node, pod.ip = node.name, node.allocate_ip()
        self.event(t, "scheduler", "bind", who, f"binds {pod.name} to {node.name} ({message})",
                   "scheduling")
        kind = pod.owner.get("kind")
        run = kubelet.start_pod(pod, node, t, runs_to_completion=kind in ("Job",) or
                                pod.spec.get("restartPolicy") in ("Never", "OnFailure"))
        for step in run.steps:
            self.event(step.t, "kubelet", step.action, who, step.message, "containers")
        pod.started = dict(run.started)
        pod.containers = [c.get("name", "?") for c in pod.spec.get("containers") or [] if isinstance(c, dict)]
        for name, started in run.started.items():
            env = network.pod_service_env(pod, self.services, started, self.service_created)
            pod.container_env[name] = container_env(pod, name, env, self)
            if name == (pod.containers[0] if pod.containers else name) or not pod.env:
                pod.env = env
        for problem in run.problems:
            self.timeline.problem(f"Pod/{pod.name}", problem)
        pod.ready_at, pod.finished_at = run.ready_at, run.finished_at
        if run.ready_at is not None:
            self.at(run.ready_at, lambda now: self._ready(pod, now))
        else:
            self.at(max(run.started.values(), default=t), lambda now: self._never_ready(pod, now))
        if run.finished_at is not None:
            self.at(run.finished_at, lambda now: self._finished(pod, now))

    def _never_ready(self, pod: Pod, t: float) -> None:
        self.event(t, "kubelet", "not-ready", ref("Pod", pod.namespace, pod.name),
                   "the pod runs but never becomes Ready (see problems)", "containers")
        owner = self.owners.get(id(pod))
        if owner:
            owner.pod_stuck(pod, t)

    def _ready(self, pod: Pod, t: float) -> None:
        who = ref("Pod", pod.namespace, pod.name)
        self.event(t, "kubelet", "ready", who, f"{pod.name} is Ready", "containers")
        for svc in self.selecting(pod):
            self.join(svc, pod, t)
        owner = self.owners.get(id(pod))
        if owner:
            owner.pod_ready(pod, t)

    def join(self, svc: Service, pod: Pod, t: float) -> None:
        who = ref("Service", svc.namespace, svc.name)
        targets = [(p, network.resolve_target_port(pod, p["targetPort"], p["protocol"])) for p in svc.ports]
        resolved = [(p, port) for p, port in targets if port is not None]
        if svc.ports and not resolved:
            missing = ", ".join(str(p["targetPort"]) for p in svc.ports)
            self.timeline.problem(f"Service/{svc.name}", f"pod {pod.name} matches the selector but "
                                  f"has no container port named {missing}: it is not an endpoint")
            return
        if pod.name in svc.endpoints:
            return
        svc.endpoints.append(pod.name)
        where = ", ".join(f"{pod.ip}:{port}" for _, port in resolved) or pod.ip
        self.event(t, "endpointslice-controller", "endpoint-ready", who,
                   f"adds {pod.name} ({where}) as a ready endpoint ({len(svc.endpoints)} now)", "network")
        if svc.cluster_ip:
            self.event(t + KUBE_PROXY_SECONDS, "kube-proxy", "program", who,
                       f"sends {svc.cluster_ip} traffic to {len(svc.endpoints)} endpoint(s), "
                       f"now including {pod.name}", "network")
        else:
            self.event(t, "coredns", "dns", who, f"{svc.dns[0]} now also returns {pod.ip}", "network")
        if pod.hostname and pod.subdomain == svc.name and svc.cluster_ip is None:
            name = f"{pod.hostname}.{svc.name}.{svc.namespace}.svc.{network.CLUSTER_DOMAIN}"
            if name not in pod.dns:
                pod.dns.append(name)
            if name not in svc.dns:
                svc.dns.append(name)
            self.event(t, "coredns", "dns", ref("Pod", pod.namespace, pod.name),
                       f"serves {name} -> {pod.ip}", "network")

    def leave(self, svc: Service, pod: Pod, t: float, why: str) -> None:
        if pod.name not in svc.endpoints:
            return
        svc.endpoints.remove(pod.name)
        who = ref("Service", svc.namespace, svc.name)
        self.event(t, "endpointslice-controller", "endpoint-removed", who,
                   f"removes {pod.name} from the ready endpoints ({why}; {len(svc.endpoints)} left)",
                   "network")

    def _finished(self, pod: Pod, t: float) -> None:
        who = ref("Pod", pod.namespace, pod.name)
        self.event(t, "kubelet", "succeeded", who, f"all containers of {pod.name} exited 0: "
                   "pod Succeeded", "containers")
        for svc in self.selecting(pod):
            self.leave(svc, pod, t, "it completed")
        self._release(pod)
        owner = self.owners.get(id(pod))
        if owner:
            owner.pod_finished(pod, t)


    def _release(self, pod: Pod) -> None:
        """A finished pod no longer counts against its node's requests and pod slots."""
        node = next((n for n in self.nodes if n.name == pod.node), None)
        if node is not None and pod in node.pods:
            node.pods.remove(pod)
            cpu, memory = scheduler.pod_request(pod.spec)
            node.used_cpu -= cpu
            node.used_memory -= memory


def container_env(pod: Pod, container_name: str, service_env: dict[str, str], world: World) -> dict[str, str]:
    """The whole environment of one container: envFrom, then env, then the Service variables
    not already set (kubelet_pods.go makeEnvironmentVariables). Values the input cannot
    tell (Secrets, resource fields) are shown as <from ...>."""
    from .envfrom import own_env
    container = next((c for key in ("containers", "initContainers") for c in pod.spec.get(key) or []
                      if isinstance(c, dict) and c.get("name") == container_name), {})
    env = own_env(pod, container, service_env, world)
    for key, value in service_env.items():
        env.setdefault(key, value)
    return env
