"""The simulated control plane: a clock, an event queue, nodes, Services and pods.

Controllers (controllers.py, jobs.py) create pods through `World.create_pod`; the world
admits them (quota, admission refusals), schedules them, lets the kubelet start them, joins
them to Service endpoints while they are Ready, and tells the owning controller (for
StatefulSet ordering, Job completions and failures).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from ..graph import Object, service_selector
from ..i18n import _
from . import kubelet, network, quota, refusal, scheduler, services
from .cluster import Node
from .timeline import JSON, Pod, Service, Timeline, ref

if TYPE_CHECKING:
    from ..graph import Graph

KUBE_PROXY_SECONDS = 1       # kube-proxy applies a change this long after it (illustrative)
ChildKey = tuple[str, str, str]          # (kind, namespace, name) of an owner


class Owner(Protocol):
    def pod_ready(self, pod: Pod, t: float) -> None: ...
    def pod_finished(self, pod: Pod, t: float) -> None: ...
    def pod_failed(self, pod: Pod, t: float) -> None: ...
    def pod_restarted(self, pod: Pod, t: float) -> None: ...
    def pod_stuck(self, pod: Pod, t: float) -> None: ...
    def forget(self, pod: Pod) -> None: ...


class World:
    def __init__(self, nodes: list[Node], timeline: Timeline,
                 faults: kubelet.Faults | None = None) -> None:
        self.nodes = nodes
        self.timeline = timeline
        self.faults = faults or kubelet.Faults()
        self.pods: list[Pod] = []
        self.services: list[Service] = []
        self.service_created: dict[int, float] = {}
        self.owners: dict[int, Owner] = {}
        self.children: dict[ChildKey, list[dict[str, str]]] = {}
        self.pool = network.IPPool()
        self.node_ports = services.NodePortPool()
        self._queue: list[tuple[float, int, Callable[[float], None]]] = []
        self._seq = 0
        self.now = 0.0
        self.graph: Graph | None = None        # the input (ConfigMaps for envFrom, quotas)
        self.refusals: dict[int, tuple[Object, str]] = {}     # id(workload) -> why pods are refused
        self.quotas: list[quota.Quota] = []
        self._failing: set[ChildKey] = set()                  # owners already retrying
        self.version: tuple[int, int] = (1, 35)

    # --- clock ---------------------------------------------------------------
    def at(self, t: float, action: Callable[[float], None]) -> None:
        self._seq += 1
        heapq.heappush(self._queue, (t, self._seq, action))

    def run(self, horizon: float | None = None) -> None:
        """Run queued actions in time order; those after `horizon` stay queued."""
        while self._queue and (horizon is None or self._queue[0][0] <= horizon):
            t, __, action = heapq.heappop(self._queue)
            self.now = t
            action(t)

    def rebase(self) -> None:
        """Make the end of the apply t=0 for a scenario that follows it: whatever the apply
        did (pods Ready, finished or failed, images pulled) happened at or before 0."""
        self.now = 0.0
        for pod in self.pods:
            for attr in ("created_at", "ready_at", "finished_at", "failed_at"):
                value = getattr(pod, attr)
                if value is not None:
                    setattr(pod, attr, min(value, 0.0))
            pod.started = {name: min(t, 0.0) for name, t in pod.started.items()}
        for node in self.nodes:
            for image, since in node.images.items():
                node.images[image] = min(since, 0.0)

    def event(self, t: float, actor: str, action: str, obj: JSON, message: str, phase: str) -> None:
        self.timeline.add(t, actor, action, obj, message, phase)

    def child(self, parent: ChildKey, child: dict[str, str]) -> None:
        """Remember an object a controller made, for the tree of objects."""
        self.children.setdefault(parent, []).append(child)

    # --- Services ------------------------------------------------------------
    def allocate_service(self, obj: Object, t: float) -> Service:
        """The API server's part, before the Service is stored: its ClusterIP and node ports
        (pkg/registry/core/service/storage/alloc.go allocateCreate)."""
        spec = obj.get("spec", default={})
        spec = spec if isinstance(spec, dict) else {}
        kind = str(spec.get("type") or "ClusterIP")
        headless = spec.get("clusterIP") == "None" or kind == "ExternalName"
        ip = None if headless else self.pool.take(spec.get("clusterIP"))
        svc = Service(obj.name, obj.namespace or "default", kind, ip, network.service_ports(spec), obj=obj,
                      publish_not_ready=spec.get("publishNotReadyAddresses") is True)
        svc.dns = network.dns_names(svc)
        if ip:
            svc.env = network.service_env(obj.name, ip, svc.ports)
        who = ref("Service", svc.namespace, svc.name)
        if ip:
            self.event(t, "kube-apiserver", "allocate-ip", who,
                       _("gives Service {service} ClusterIP {ip} (before storing it)").format(
                           service=svc.name, ip=ip), "admission")
        ports = services.allocate_node_ports(svc, spec, self.node_ports)
        if ports:
            self.event(t, "kube-apiserver", "allocate-nodeport", who, ports, "admission")
        self.services.append(svc)
        self.service_created[id(svc)] = t
        return svc

    def announce_service(self, svc: Service, t: float) -> None:
        """What CoreDNS, kube-proxy and a cloud controller do with a stored Service."""
        spec = svc.obj.get("spec", default={}) if svc.obj is not None else {}
        spec = spec if isinstance(spec, dict) else {}
        who = ref("Service", svc.namespace, svc.name)
        if svc.type == "ExternalName":
            self.event(t, "coredns", "dns", who, _("serves {name} as a CNAME to {target}").format(
                name=svc.dns[0], target=spec.get("externalName")), "network")
            return
        if svc.cluster_ip:
            self.event(t, "coredns", "dns", who, _("serves {name} -> {ip}").format(
                name=svc.dns[0], ip=svc.cluster_ip), "network")
            self.event(t + KUBE_PROXY_SECONDS, "kube-proxy", "program", who, services.proxy_rules(svc),
                       "network")
            for note in services.traffic_policies(svc, spec):
                self.event(t + KUBE_PROXY_SECONDS, "kube-proxy", "program", who, note, "network")
        else:
            self.event(t, "coredns", "dns", who, _(
                "serves {name} (headless: no ClusterIP, no kube-proxy rules) -> the IPs of its ready "
                "pods (none yet)").format(name=svc.dns[0]), "network")
        pending = services.load_balancer(svc)
        if pending:
            self.event(t, "cloud-controller-manager", "lb-pending", who, pending, "network")

    def selecting(self, pod: Pod) -> list[Service]:
        found = []
        for svc in self.services:
            if svc.namespace != pod.namespace or svc.obj is None:
                continue
            selector = service_selector(svc.obj)
            if selector is not None and not selector.empty and selector.matches(pod.labels):
                found.append(svc)
        return found

    # --- pods admission refuses -------------------------------------------------
    def refuse(self, workload: Object, reason: str) -> None:
        """Admission refuses every pod of this (stored) workload: `pods "<name>" is forbidden: <reason>`."""
        self.refusals[id(workload)] = (workload, reason)

    def refused_behind(self, svc: Service) -> str:
        """The refused workloads whose pods this Service would select ("" when none)."""
        selector = service_selector(svc.obj) if svc.obj is not None else None
        if selector is None or selector.empty:
            return ""
        found = [f"{w.kind}/{w.name}" for w, __ in self.refusals.values()
                 if (w.namespace or "default") == svc.namespace and w.pod_template is not None
                 and selector.matches({str(k): str(v) for k, v in w.pod_template.labels.items()})]
        return ", ".join(found)

    def failed_create(self, pod: Pod, t: float, actor: str, owner: Owner | None, reason: str) -> None:
        """FailedCreate events: the first try and the retries the controller makes with its
        back-off (pkg/controller/controller_utils.go CreatePods "Error creating"; refusal.attempts)."""
        kind, name = pod.owner_kind, pod.owner_name
        key = (kind, pod.namespace, name)
        siblings = self.children.get(key, [])
        if {"kind": "Pod", "name": pod.name} in siblings:
            siblings.remove({"kind": "Pod", "name": pod.name})
        if owner is not None:
            owner.forget(pod)
        attempts = refusal.attempts(pod.name, kind, t)
        if key in self._failing:
            attempts = attempts[:1]
        self._failing.add(key)
        who = ref(kind, pod.namespace, name)
        for at, pod_name in attempts:
            self.event(at, actor, "failed-create", who, refusal.failed_create(kind, name, pod_name, reason),
                       "controllers")
        if len(attempts) > 1:
            self.event(attempts[-1][0], actor, "failed-create", who, refusal.backoff_note(kind), "controllers")

    def create_pod(self, pod: Pod, t: float, actor: str, owner: Owner | None,
                   node: Node | None = None, note: str = "") -> bool:
        """Create the pod (False: admission refused it; FailedCreate events instead)."""
        refused = self.refusals.get(id(pod.workload))
        reason = refused[1] if refused is not None else quota.admit(self.quotas, pod.namespace, pod.spec)
        if reason is not None:
            if refused is None:
                self.timeline.problem(f"{pod.owner_kind}/{pod.owner_name}", _(
                    "a pod is refused: {reason}; the controller keeps retrying (FailedCreate) and the "
                    "workload stays short of its replicas").format(reason=reason))
            self.failed_create(pod, t, actor, owner, reason)
            return False
        self.pods.append(pod)
        if owner is not None:
            self.owners[id(pod)] = owner
        self.event(t, actor, "create-pod", ref("Pod", pod.namespace, pod.name),
                   _("creates pod {pod}{note}").format(pod=pod.name, note=note), "controllers")
        self.at(t, lambda now: self._schedule(pod, now, node))
        return True

    def _schedule(self, pod: Pod, t: float, only: Node | None) -> None:
        if pod.deleted_at is not None:
            return
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
                       _("FailedScheduling: {message} The pod stays Pending").format(message=message),
                       "scheduling")
            self.timeline.problem(f"Pod/{pod.name}", _("stays Pending: {message}").format(message=message))
            owner = self.owners.get(id(pod))
            if owner:
                owner.pod_stuck(pod, t)
            return
        # hostNetwork pods share the node's network namespace: the pod IP is the node's IP.
        pod.node = node.name
        pod.ip = node.address if pod.spec.get("hostNetwork") is True and node.address else node.allocate_ip()
        self.event(t, "scheduler", "bind", who, _("binds {pod} to {node} ({why})").format(
            pod=pod.name, node=node.name, why=message), "scheduling")
        self._start(pod, node, t)

    def _start(self, pod: Pod, node: Node, t: float) -> None:
        who = ref("Pod", pod.namespace, pod.name)
        to_completion = pod.owner.get("kind") == "Job" or pod.spec.get("restartPolicy") in ("Never", "OnFailure")
        run = kubelet.start_pod(pod, node, t, to_completion, self.faults)
        for step in run.steps:
            self.event(step.t, "kubelet", step.action, who, step.message, "containers")
        pod.started = dict(run.started)
        pod.restarts = {k: v for k, v in run.restarts.items() if v}
        pod.exit_codes = dict(run.exit_codes)
        pod.containers = [str(c.get("name", "?")) for c in pod.spec.get("containers") or [] if isinstance(c, dict)]
        for name, started in run.started.items():
            env = network.pod_service_env(pod, self.services, started, self.service_created)
            pod.container_env[name] = container_env(pod, name, env, self)
            if name == (pod.containers[0] if pod.containers else name) or not pod.env:
                pod.env = env
        for problem in run.problems:
            self.timeline.problem(f"Pod/{pod.name}", problem)
        pod.ready_at, pod.finished_at, pod.failed_at = run.ready_at, run.finished_at, run.failed_at
        self._ready_windows(pod, run, t)
        owner = self.owners.get(id(pod))
        for at in run.restart_times:
            if owner is not None:
                self.at(at, partial(_restarted, owner, pod))
        if run.finished_at is not None:
            self.at(run.finished_at, lambda now: self._finished(pod, now))
        if run.failed_at is not None:
            self.at(run.failed_at, lambda now: self._failed(pod, now))

    def _ready_windows(self, pod: Pod, run: kubelet.PodRun, t: float) -> None:
        """Join the Services while the pod is Ready, leave when a container stops. With
        publishNotReadyAddresses the pod is published as soon as it has an IP
        (pkg/controller/endpointslice/utils.go podToEndpoint: ready = publishNotReadyAddresses
        || serving && !terminating)."""
        sandbox = t + kubelet.SANDBOX_SECONDS
        for svc in self.selecting(pod):
            if svc.publish_not_ready:
                self.at(sandbox, partial(self._publish, svc, pod))
        for i, (start, end) in enumerate(run.ready_windows):
            self.at(start, partial(self._ready_at, pod, i == 0))
            if end is not None:
                self.at(end, lambda now: self._unready(pod, now))
        if not run.ready_windows and run.failed_at is None and run.finished_at is None:
            self.at(max(run.started.values(), default=t), lambda now: self._never_ready(pod, now))

    def _publish(self, svc: Service, pod: Pod, t: float) -> None:
        self.join(svc, pod, t, published=True)

    def _ready_at(self, pod: Pod, first: bool, t: float) -> None:
        self._ready(pod, t, first)

    def _never_ready(self, pod: Pod, t: float) -> None:
        if pod.deleted_at is not None:
            return
        self.event(t, "kubelet", "not-ready", ref("Pod", pod.namespace, pod.name),
                   _("the pod runs but never becomes Ready (see problems)"), "containers")
        owner = self.owners.get(id(pod))
        if owner:
            owner.pod_stuck(pod, t)

    def _ready(self, pod: Pod, t: float, first: bool) -> None:
        if pod.deleted_at is not None:
            return
        who = ref("Pod", pod.namespace, pod.name)
        self.event(t, "kubelet", "ready", who, (_("marks {pod} Ready") if first else _("marks {pod} Ready again"))
                   .format(pod=pod.name), "containers")
        for svc in self.selecting(pod):
            if not svc.publish_not_ready:
                self.join(svc, pod, t)
        owner = self.owners.get(id(pod))
        if owner and first:
            owner.pod_ready(pod, t)

    def _unready(self, pod: Pod, t: float) -> None:
        if pod.deleted_at is not None:
            return
        for svc in self.selecting(pod):
            if not svc.publish_not_ready:
                self.leave(svc, pod, t, _("a container stopped: the pod is not Ready"))

    def join(self, svc: Service, pod: Pod, t: float, published: bool = False) -> None:
        """The pod becomes a ready endpoint of the Service (pkg/controller/endpointslice/
        endpointslice_controller.go syncService; utils.go podToEndpoint)."""
        who = ref("Service", svc.namespace, svc.name)
        targets = [(p, network.resolve_target_port(pod, p.target_port, p.protocol)) for p in svc.ports]
        resolved = [(p, port) for p, port in targets if port is not None]
        if svc.ports and not resolved:
            missing = ", ".join(str(p.target_port) for p in svc.ports)
            self.timeline.problem(f"Service/{svc.name}", _(
                "pod {pod} matches the selector but has no container port named {ports}: it is not "
                "an endpoint").format(pod=pod.name, ports=missing))
            return
        if pod.name in svc.endpoints:
            return
        svc.endpoints.append(pod.name)
        where = ", ".join(f"{pod.ip}:{port}" for __, port in resolved) or str(pod.ip)
        text = _("adds {pod} ({where}) as a ready endpoint ({count} now): it has an IP; "
                 "publishNotReadyAddresses publishes it before it is Ready") if published else \
            _("adds {pod} ({where}) as a ready endpoint ({count} now)")
        self.event(t, "endpointslice-controller", "endpoint-ready", who,
                   text.format(pod=pod.name, where=where, count=len(svc.endpoints)), "network")
        if svc.cluster_ip:
            self.event(t + KUBE_PROXY_SECONDS, "kube-proxy", "program", who,
                       _("sends {ip} traffic to {count} endpoint(s), now including {pod}").format(
                           ip=svc.cluster_ip, count=len(svc.endpoints), pod=pod.name), "network")
        else:
            self.event(t, "coredns", "dns", who, _("{name} now also returns {ip}").format(
                name=svc.dns[0], ip=pod.ip), "network")
        if pod.hostname and pod.subdomain == svc.name and svc.cluster_ip is None:
            name = f"{pod.hostname}.{svc.name}.{svc.namespace}.svc.{network.CLUSTER_DOMAIN}"
            if name not in pod.dns:
                pod.dns.append(name)
            if name not in svc.dns:
                svc.dns.append(name)
            self.event(t, "coredns", "dns", ref("Pod", pod.namespace, pod.name),
                       _("serves {name} -> {ip}").format(name=name, ip=pod.ip), "network")

    def leave(self, svc: Service, pod: Pod, t: float, why: str) -> None:
        """The pod is no longer a ready endpoint (endpointslice_controller.go syncService)."""
        if pod.name not in svc.endpoints:
            return
        svc.endpoints.remove(pod.name)
        who = ref("Service", svc.namespace, svc.name)
        self.event(t, "endpointslice-controller", "endpoint-removed", who,
                   _("removes {pod} from the ready endpoints ({why}; {count} left)").format(
                       pod=pod.name, why=why, count=len(svc.endpoints)), "network")

    def _finished(self, pod: Pod, t: float) -> None:
        self._terminal(pod, t, "succeeded", _("all containers of {pod} exited 0: pod Succeeded").format(
            pod=pod.name), _("it completed"))

    def _failed(self, pod: Pod, t: float) -> None:
        self._terminal(pod, t, "failed", _(
            "{pod} is Failed: a container exited non-zero and restartPolicy {policy} does not restart "
            "it").format(pod=pod.name, policy=pod.spec.get("restartPolicy", "Always")), _("it failed"))

    def _terminal(self, pod: Pod, t: float, action: str, message: str, why: str) -> None:
        """The pod reached a terminal phase (pkg/kubelet/kubelet_pods.go getPhase): it leaves
        its Services, frees its node and quota, and its controller hears of it."""
        if pod.deleted_at is not None:
            return
        self.event(t, "kubelet", action, ref("Pod", pod.namespace, pod.name), message, "containers")
        for svc in self.selecting(pod):
            self.leave(svc, pod, t, why)
        self.release(pod)
        owner = self.owners.get(id(pod))
        if owner is not None:
            (owner.pod_finished if action == "succeeded" else owner.pod_failed)(pod, t)

    def cancel_after(self, pod: Pod, t: float) -> None:
        """The pod was deleted at t (its deletionTimestamp): drop what its kubelet had
        planned after that."""
        pod.deleted_at = t
        if pod.finished_at is not None and pod.finished_at > t:
            pod.finished_at = None
        if pod.failed_at is not None and pod.failed_at > t:
            pod.failed_at = None
        self.timeline.events = [e for e in self.timeline.events
                                if not (e.actor == "kubelet" and e.t > t and e.object.get("kind") == "Pod"
                                        and e.object.get("name") == pod.name
                                        and e.object.get("namespace") == pod.namespace)]

    def release(self, pod: Pod) -> None:
        """A finished or deleted pod no longer counts against its node and its quota."""
        node = next((n for n in self.nodes if n.name == pod.node), None)
        if node is not None and pod in node.pods:
            node.pods.remove(pod)
            cpu, memory = scheduler.pod_request(pod.spec)
            node.used_cpu -= cpu
            node.used_memory -= memory
            node.scored_cpu -= cpu or scheduler.DEFAULT_MILLI_CPU
            node.scored_memory -= memory or scheduler.DEFAULT_MEMORY
        quota.release(self.quotas, pod.namespace, pod.spec)


def _restarted(owner: Owner, pod: Pod, t: float) -> None:
    owner.pod_restarted(pod, t)


def container_env(pod: Pod, container_name: str, service_env: dict[str, str], world: World) -> dict[str, str]:
    """The whole environment of one container: envFrom, then env, then the Service variables
    not already set (kubelet_pods.go makeEnvironmentVariables). Values the input cannot
    tell (Secrets, resource fields) are shown as <from ...>."""
    from .envfrom import own_env
    container: dict[str, Any] = next((c for key in ("containers", "initContainers")
                                      for c in pod.spec.get(key) or []
                                      if isinstance(c, dict) and c.get("name") == container_name), {})
    env = own_env(pod, container, service_env, world.graph)
    for key, value in service_env.items():
        env.setdefault(key, value)
    return env
