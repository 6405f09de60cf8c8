"""The controllers: what each workload kind creates, named as Kubernetes names it
(pkg/controller/deployment/sync.go getNewReplicaSet; pkg/controller/replicaset/replica_set.go
manageReplicas; pkg/controller/statefulset/stateful_set_control.go updateStatefulSet;
pkg/controller/daemon/daemon_controller.go syncNodes; pkg/controller/controller_utils.go).

Deployment -> ReplicaSet `<deploy>-<pod-template-hash>` -> pods `<rs>-<5 chars>`;
StatefulSet -> `<sts>-<ordinal>` (OrderedReady: each after the previous is Ready) and PVCs
`<claim>-<sts>-<ordinal>`; DaemonSet -> one pod per eligible node; Job -> `<job>-<5 chars>`
(Indexed: `<job>-<index>-<5 chars>`), at most `parallelism` at once until `completions`
succeed; CronJob -> Job `<cronjob>-<minutes since the epoch>` at each scheduled time.
"""

from __future__ import annotations

from typing import Any

from ..graph import Object
from ..i18n import _
from ..k8s import defaults as d
from ..k8s.fields import as_int
from . import naming, scheduler
from .cluster import Node
from .timeline import JSON, Pod, ref
from .world import World


def count(value: Any, default: int) -> int:
    """A non-negative integer field, or its default when unset or unreadable."""
    number = as_int(value)
    return number if number is not None and number >= 0 else default


def default(table: dict[str, object], key: str) -> int:
    """An integer default from a k8s/defaults.py table."""
    value = table[key]
    return value if isinstance(value, int) else 0


def replicas_of(obj: Object) -> int:
    return count(obj.get("spec", "replicas"), default(d.DEPLOYMENT, "replicas"))


def labels_of(template_labels: dict[Any, Any]) -> dict[str, str]:
    return {str(k): v if isinstance(v, str) else str(v) for k, v in template_labels.items()}


class Controller:
    """Base: a workload's controller reacting to its pods."""

    actor = "replicaset-controller"

    def __init__(self, world: World, obj: Object) -> None:
        self.world = world
        self.obj = obj
        self.ns = obj.namespace or "default"
        template = obj.pod_template
        self.template_labels = labels_of(template.labels) if template else {}
        self.spec: JSON = template.spec if template else {}
        self.pods: list[Pod] = []
        self.stuck: list[Pod] = []

    def start(self, t: float) -> None:
        raise NotImplementedError

    def scale(self, replicas: int, t: float, why: str) -> None:
        """Change the number of replicas (HPA, scale scenario); no-op by default."""

    def pod_ready(self, pod: Pod, t: float) -> None:
        pass

    def pod_finished(self, pod: Pod, t: float) -> None:
        pass

    def pod_failed(self, pod: Pod, t: float) -> None:
        pass

    def pod_restarted(self, pod: Pod, t: float) -> None:
        pass

    def pod_stuck(self, pod: Pod, t: float) -> None:
        self.stuck.append(pod)

    def forget(self, pod: Pod) -> None:
        """The pod was never created (admission refused it)."""
        if pod in self.pods:
            self.pods.remove(pod)

    def new_pod(self, name: str, owner_kind: str, owner_name: str, labels: dict[str, str],
                t: float, **extra: Any) -> Pod:
        pod = Pod(name=name, namespace=self.ns, owner={"kind": owner_kind, "name": owner_name},
                  labels=labels, spec=self.spec, workload=self.obj, created_at=t, **extra)
        self.pods.append(pod)
        self.world.child((owner_kind, self.ns, owner_name), {"kind": "Pod", "name": name})
        return pod


class ReplicaSetController(Controller):
    """A ReplicaSet (or the ReplicaSet of a Deployment, or a ReplicationController)."""

    def __init__(self, world: World, obj: Object, rs_name: str | None = None,
                 extra_labels: dict[str, str] | None = None) -> None:
        super().__init__(world, obj)
        self.rs_name = rs_name or obj.name
        self.labels = {**self.template_labels, **(extra_labels or {})}
        self.kind = "ReplicaSet" if obj.kind != "ReplicationController" else "ReplicationController"
        self.created = 0

    def start(self, t: float, replicas: int | None = None) -> None:
        self.scale(replicas_of(self.obj) if replicas is None else replicas, t, "")

    def scale(self, replicas: int, t: float, why: str) -> None:
        live = [p for p in self.pods if p.deleted_at is None]
        if replicas <= len(live):
            return
        for _i in range(replicas - len(live)):
            self.created += 1
            name = naming.generated_name(f"{self.rs_name}-", self.ns, self.created)
            pod = self.new_pod(name, self.kind, self.rs_name, dict(self.labels), t)
            if not self.world.create_pod(pod, t, self.actor, self,
                                         note=why):
                break           # slowStartBatch: a failed batch stops this sync


class DeploymentController(Controller):
    actor = "deployment-controller"

    def start(self, t: float) -> None:
        template = self.obj.get("spec", "template")
        self.hash = naming.pod_template_hash(template)
        rs = f"{self.obj.name}-{self.hash}"
        replicas = replicas_of(self.obj)
        self.world.event(t, self.actor, "create-replicaset", ref("ReplicaSet", self.ns, rs),
                         _("creates ReplicaSet {rs}, replicas {replicas}").format(rs=rs, replicas=replicas),
                         "controllers")
        self.world.child(("Deployment", self.ns, self.obj.name), {"kind": "ReplicaSet", "name": rs})
        self.rs = ReplicaSetController(self.world, self.obj, rs, {"pod-template-hash": self.hash})
        self.rs.start(t, replicas)
        self.pods = self.rs.pods
        if id(self.obj) in self.world.refusals and replicas:
            self.stalled(t, rs)

    def stalled(self, t: float, rs: str) -> None:
        """Conditions of a Deployment whose ReplicaSet cannot create pods (pkg/controller/
        deployment/sync.go, progress.go; defaults.go progressDeadlineSeconds 600)."""
        who = ref("Deployment", self.ns, self.obj.name)
        self.world.event(t, self.actor, "condition", who,
                         _("sets condition ReplicaFailure=True (reason FailedCreate) from ReplicaSet "
                           "{rs}; Available=False (0 of {replicas} replicas available)").format(
                             rs=rs, replicas=replicas_of(self.obj)), "controllers")
        deadline = count(self.obj.get("spec", "progressDeadlineSeconds"),
                         default(d.DEPLOYMENT, "progressDeadlineSeconds"))
        self.world.at(t + deadline, lambda now: self.world.event(
            now, self.actor, "condition", who,
            _("sets condition Progressing=False (reason ProgressDeadlineExceeded): ReplicaSet {rs} "
              "has timed out progressing after progressDeadlineSeconds {deadline}; `kubectl rollout "
              "status` fails").format(rs=rs, deadline=deadline), "controllers"))

    def scale(self, replicas: int, t: float, why: str) -> None:
        self.world.event(t, self.actor, "scale", ref("ReplicaSet", self.ns, self.rs.rs_name),
                         _("scales ReplicaSet {rs} to {replicas}{why}").format(
                             rs=self.rs.rs_name, replicas=replicas, why=why), "controllers")
        self.rs.scale(replicas, t, "")
        self.pods = self.rs.pods


class StatefulSetController(Controller):
    actor = "statefulset-controller"

    def start(self, t: float) -> None:
        self.configure()
        if self.parallel:
            for _i in range(self.replicas):
                if not self.create(t):
                    break
        elif self.replicas:
            self.create(t)

    def configure(self) -> None:
        """Read the spec: replicas, ordinals, policy, Service, revision, claim templates."""
        spec = self.obj.get("spec", default={}) or {}
        self.replicas = replicas_of(self.obj)
        start = spec.get("ordinals", {}).get("start") if isinstance(spec.get("ordinals"), dict) else None
        self.first = count(start, 0)
        self.min_ready = count(spec.get("minReadySeconds"), 0)
        self.parallel = spec.get("podManagementPolicy") == "Parallel"
        self.service = spec.get("serviceName") if isinstance(spec.get("serviceName"), str) else None
        self.revision = f"{self.obj.name}-{naming.pod_template_hash(self.obj.get('spec', 'template'))}"
        self.claims = [c.get("metadata", {}).get("name") for c in spec.get("volumeClaimTemplates") or []
                       if isinstance(c, dict) and isinstance(c.get("metadata"), dict)]
        self.next = self.first

    def create(self, t: float) -> bool:
        """Create the next ordinal (stateful_set_control.go processReplica)."""
        ordinal = self.next
        self.next += 1
        previous = f"{self.obj.name}-{ordinal - 1}"
        order = "" if self.parallel or ordinal == self.first else \
            _(" after {previous} became Available (Ready for minReadySeconds {seconds} s) (OrderedReady)").format(
                previous=previous, seconds=self.min_ready) if self.min_ready else \
            _(" after {previous} became Ready (OrderedReady)").format(previous=previous)
        return self.create_ordinal(ordinal, t, order)

    def create_next(self, t: float) -> None:
        self.create(t)

    def replace(self, old: Pod, t: float) -> None:
        """A deleted pod comes back under the same name once the old one is gone
        (processReplica creates the missing ordinal)."""
        if old.ordinal is not None:
            self.create_ordinal(old.ordinal, t, _(" again: the old {pod} is gone").format(pod=old.name))

    def create_ordinal(self, ordinal: int, t: float, note: str) -> bool:
        name = f"{self.obj.name}-{ordinal}"
        for claim in self.claims:
            pvc = f"{claim}-{name}"
            if {"kind": "PersistentVolumeClaim", "name": pvc} in self.world.children.get(
                    ("StatefulSet", self.ns, self.obj.name), []):
                continue                      # claims outlive their pods
            self.world.event(t, self.actor, "create-pvc", ref("PersistentVolumeClaim", self.ns, pvc),
                             _("creates PersistentVolumeClaim {pvc} from volumeClaimTemplate {claim} "
                               "(assumed bound at once)").format(pvc=pvc, claim=claim), "controllers")
            self.world.child(("StatefulSet", self.ns, self.obj.name),
                             {"kind": "PersistentVolumeClaim", "name": pvc})
        labels = {**self.template_labels, "controller-revision-hash": self.revision,
                  "statefulset.kubernetes.io/pod-name": name,
                  "apps.kubernetes.io/pod-index": str(ordinal)}
        pod = self.new_pod(name, "StatefulSet", self.obj.name, labels, t, ordinal=ordinal,
                           hostname=name, subdomain=self.service)
        return self.world.create_pod(pod, t, self.actor, self, note=note)

    def pod_ready(self, pod: Pod, t: float) -> None:
        """OrderedReady: the next ordinal once this one is Running and Available, i.e. Ready
        for minReadySeconds (stateful_set_control.go processReplica: isRunningAndAvailable)."""
        if not self.parallel and self.next < self.first + self.replicas and pod.ordinal == self.next - 1:
            self.world.at(t + self.min_ready, self.create_next)

    def pod_stuck(self, pod: Pod, t: float) -> None:
        super().pod_stuck(pod, t)
        left = self.first + self.replicas - self.next
        if not self.parallel and left > 0:
            self.world.timeline.problem(
                f"StatefulSet/{self.obj.name}",
                _("stops at {pod}: OrderedReady creates the next ordinal only when the previous "
                  "pod is Ready, so {count} more pod(s) are never created").format(pod=pod.name, count=left))

    def scale(self, replicas: int, t: float, why: str) -> None:
        self.world.event(t, self.actor, "scale", ref("StatefulSet", self.ns, self.obj.name),
                         _("scales to {replicas}{why}").format(replicas=replicas, why=why), "controllers")
        extra = replicas - self.replicas
        self.replicas = max(replicas, self.replicas)
        if extra > 0 and (self.parallel or all(p.ready_at is not None and p.ready_at <= t for p in self.pods)):
            for _i in range(extra if self.parallel else 1):
                self.create(t)


class DaemonSetController(Controller):
    actor = "daemonset-controller"

    def start(self, t: float) -> None:
        tolerations = [x for x in self.spec.get("tolerations") or [] if isinstance(x, dict)]
        tolerations += list(scheduler.DAEMONSET_TOLERATIONS)
        for node in self.world.nodes:
            reason = daemon_ineligible(self.spec, node, tolerations)
            if reason:
                self.world.event(t, self.actor, "skip-node", ref("DaemonSet", self.ns, self.obj.name),
                                 _("no pod on {node}: {reason}").format(node=node.name, reason=reason),
                                 "controllers")
                continue
            if not self.create_on(node, t):
                break           # slowStartBatch: a failed batch stops this sync

    def create_on(self, node: Node, t: float, revision: str | None = None, generation: int = 1) -> bool:
        """The daemon pod of `node` (syncNodes); a later revision (a rollout) gets its own name."""
        seed = (node.name,) if revision is None else (node.name, revision)
        name = naming.generated_name(f"{self.obj.name}-", self.ns, *seed)
        labels = {**self.template_labels,
                  "controller-revision-hash": revision or naming.pod_template_hash(self.obj.get("spec", "template")),
                  "pod-template-generation": str(generation)}
        pod = self.new_pod(name, "DaemonSet", self.obj.name, labels, t)
        return self.world.create_pod(pod, t, self.actor, self, node=node,
                                     note=_(" for {node}").format(node=node.name))


def daemon_ineligible(spec: JSON, node: Node, tolerations: list[JSON]) -> str:
    """Why the DaemonSet controller puts no pod on this node ("" when it does):
    pkg/controller/daemon/daemon_controller.go NodeShouldRunDaemonPod."""
    if not scheduler.node_affinity_ok(spec, node):
        return _("nodeSelector/affinity does not match its labels")
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not scheduler.tolerates(tolerations, taint):
            return _("untolerated taint {key}").format(key=taint.get("key"))
    return ""
