"""Scenario `apply`: one `kubectl apply` of the whole input, then the control plane at work.

Two steps, as in a cluster: `admit_objects` (kube-apiserver: validation, defaults,
allocation, storage in etcd, in document order: staging/src/k8s.io/apiserver/pkg/registry/
generic/registry/store.go Create; plugin/pkg/admission/namespace/lifecycle/admission.go for
namespaces) and `start_controllers` (each workload's controller in kube-controller-manager,
the HorizontalPodAutoscaler: pkg/controller/podautoscaler/horizontal.go), then the clock
runs until nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..admission import admission_verdicts
from ..graph import Graph, Object
from ..i18n import N_, _
from ..k8s.kinds import BUILTIN_GROUPS
from . import admission, naming, quota
from .controllers import (
    Controller,
    DaemonSetController,
    DeploymentController,
    ReplicaSetController,
    StatefulSetController,
    count,
    replicas_of,
)
from .jobs import CronJobController, JobController
from .refusal import refusal_reason
from .timeline import Pod, Timeline, ref
from .wiring import build_edges
from .world import World

if TYPE_CHECKING:
    from ..model import Finding

# The wall clock of the simulated apply, for CronJob schedules (illustrative, stable).
APPLY_TIME = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
# The HorizontalPodAutoscaler controller syncs every 15 s (--horizontal-pod-autoscaler-sync-
# period); below minReplicas it scales up without metrics (pkg/controller/podautoscaler/
# horizontal.go reconcileAutoscaler: "Current number of replicas below Spec.MinReplicas").
HPA_SYNC_SECONDS = 15

# Run-time errors the kubelet model reports itself (not repeated as problems).
SIMULATED_RULES = frozenset({"probe-named-port-missing", "service-target-port-missing"})

ASSUMPTIONS = (
    N_("One `kubectl apply` creates every object at t=0 in document order (document order is "
    "creation order), seconds before any container starts; so every container sees the Service "
    "variables of every Service in the input. A Service applied later would not be seen by "
    "containers already running until they restart."),
    N_("Namespaces the input does not create are assumed to exist; one it creates does not exist yet."),
    N_("ClusterIPs are illustrative, taken in creation order from 10.96.0.0/12 (10.96.0.1 is the "
    "`kubernetes` Service); pod IPs come from 10.244.<node>.0/24, node IPs from 192.168.0.0/24."),
    N_("Generated names are illustrative but stable: pod-template-hash is an FNV-32a hash of the "
    "template mapped to [4-9bcdf] (the real hash differs); 5-character suffixes come from the "
    "generateName alphabet bcdfghjklmnpqrstvwxz2456789."),
    N_("Timing (illustrative): scheduling is immediate, the pod sandbox takes 1 s, each image pull "
    "2 s (IfNotPresent reuses an image already on the node), each init container runs 1 s, a "
    "Job pod runs 10 s, kube-proxy applies changes 1 s after the endpoint change."),
    N_("Probes pass on the first attempt: the first readiness probe runs initialDelaySeconds after "
    "the container starts (the kubelet's probe ticker may add up to one periodSeconds)."),
)

Identity = tuple[str, str | None, str]


def is_standard_assumption(text: str) -> bool:
    """Whether an assumption (in the output language) is one every run makes: the cluster
    line and ASSUMPTIONS (the walk-through folds them into one line)."""
    cluster = _("Cluster: {nodes}").split("{nodes}", 1)[0]
    return text in {_(a) for a in ASSUMPTIONS} or text.startswith(cluster)


class Rejections:
    """Error findings of `check` by what they mean for an apply (admission.RULE_OUTCOMES)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.by_object: dict[Identity, str] = {}          # the API server refuses the object
        self.pods_refused: dict[Identity, list[Finding]] = {}   # it refuses the object's pods
        self.files: list[Finding] = []                    # file-level errors
        self.runtime: list[Finding] = []                  # accepted; fails at run time
        for f in findings:
            outcome = admission.outcome(f)
            if outcome is None:
                continue
            if outcome == admission.RUN_TIME:
                self.runtime.append(f)
            elif f.object is None:
                self.files.append(f)
            elif outcome == admission.PODS_REFUSED:
                self.pods_refused.setdefault((f.object.kind, f.object.namespace, f.object.name), []).append(f)
            else:
                key = (f.object.kind, f.object.namespace, f.object.name)
                self.by_object.setdefault(key, f"{f.message} [{f.rule}]")


def simulate_apply(graph: Graph, world: World, version: tuple[int, int],
                   findings: Sequence[Finding]) -> dict[int, Controller]:
    """Admit every object, start the controllers, run the clock until nothing changes."""
    for text in ASSUMPTIONS:
        world.timeline.assume(_(text))
    world.quotas, notes = quota.quotas(graph)
    for note in notes:
        world.timeline.assume(note)
    admitted = admit_objects(graph, world, version, Rejections(findings))
    controllers = start_controllers(world, admitted)
    autoscalers(world, graph, admitted, controllers)
    world.run()
    _finish(world, world.timeline)
    return controllers


def admit_objects(graph: Graph, world: World, version: tuple[int, int], rejections: Rejections) -> list[Object]:
    """kube-apiserver, object by object in document order: reject, or fill in defaults,
    allocate (ClusterIP, node ports) and store in etcd."""
    timeline = world.timeline
    _report_errors(timeline, rejections)
    created_later = {o.name: o for o in graph.of_kind("Namespace")}
    admitted: list[Object] = []
    for obj in graph.objects:
        who = ref(obj.kind, obj.namespace, obj.name or f"{obj.generate_name or ''}<generated>")
        reason = _rejection(obj, who["name"], rejections, created_later, graph, version)
        if reason:
            timeline.add(0, "kube-apiserver", "reject", who,
                         _("rejects {kind} {name}: {reason}").format(kind=obj.kind, name=who["name"],
                                                                    reason=reason), "admission")
            timeline.problem(f"{obj.kind}/{who['name']}",
                             _("rejected by the API server: {reason}").format(reason=reason))
            continue
        if not obj.name and obj.generate_name:
            who["name"] = naming.generated_name(obj.generate_name, obj.namespace, obj.order)
        filled = admission.filled_defaults(obj, version)
        text = _("accepts {kind} {name}; defaults filled in: {defaults}").format(
            kind=obj.kind, name=who["name"], defaults="; ".join(filled)) if filled else \
            _("accepts {kind} {name}; no defaults to fill in").format(kind=obj.kind, name=who["name"])
        timeline.add(0, "kube-apiserver", "admit", who, text, "admission")
        for verdict in admission_verdicts(graph, obj, version):     # Warn and Audit bindings
            if verdict.action != "Deny":
                timeline.add(0, "kube-apiserver", verdict.action.lower(), who, verdict.message, "admission")
        service = world.allocate_service(obj, 0) if obj.kind == "Service" else None
        key = admission.etcd_key(obj.kind, obj.group, obj.namespace, who["name"], obj.group in BUILTIN_GROUPS)
        timeline.add(0, "etcd", "store", who, _("stores {key}").format(key=key), "admission")
        if service is not None:
            world.announce_service(service, 0)
        admitted.append(obj)
        identity = (obj.kind, obj.namespace, who["name"])
        if identity in rejections.pods_refused and obj.pod_template is not None:
            why = refusal_reason(obj, rejections.pods_refused[identity], graph, version)
            world.refuse(obj, why)
            timeline.problem(f"{obj.kind}/{who['name']}", _(
                "accepted, but admission refuses every pod its controller creates (FailedCreate, "
                "0 pods; kubectl apply shows no error): {why}").format(why=why))
    return admitted


def _report_errors(timeline: Timeline, rejections: Rejections) -> None:
    for f in rejections.files:
        timeline.add(0, "kube-apiserver", "reject", ref("File", None, f.file),
                     f"{f.file}:{f.line}: {f.message} [{f.rule}]", "admission")
        timeline.problem(f"File/{f.file}", _("line {line}: {message}").format(line=f.line, message=f.message))
    for f in rejections.runtime:
        if f.rule in SIMULATED_RULES:          # the kubelet model reports these itself
            continue
        name = f"{f.object.kind}/{f.object.name}" if f.object else f.file
        timeline.problem(name, f"{f.message} [{f.rule}]")


def _rejection(obj: Object, name: str, rejections: Rejections, namespaces: dict[str, Object],
               graph: Graph, version: tuple[int, int]) -> str | None:
    """Why the API server refuses this object, or None."""
    identity = (obj.kind, obj.namespace, name)
    reason = rejections.by_object.get(identity)
    if reason:
        return reason
    if identity in rejections.pods_refused and obj.kind == "Pod":     # a bare Pod: rejected
        return f'pods "{name}" is forbidden: {refusal_reason(obj, rejections.pods_refused[identity], graph, version)}'
    later = namespaces.get(obj.namespace or "")
    if later is not None and later.order > obj.order:
        # NamespaceLifecycle admission (plugin/pkg/admission/namespace/lifecycle/admission.go
        # Admit) refuses objects in a namespace that does not exist yet.
        line = later.locate()[0]
        return _('namespaces "{namespace}" not found: its Namespace comes later in the input '
                 "({file}:{line}); on a first apply kubectl goes on with the rest and exits 1; "
                 "put the Namespace first (or apply again once it exists)").format(
            namespace=obj.namespace, file=later.file, line=line)
    return None


def start_controllers(world: World, admitted: list[Object]) -> dict[int, Controller]:
    """The controller of each stored workload starts at t=0; bare Pods go to the scheduler."""
    controllers: dict[int, Controller] = {}
    for obj in admitted:
        if obj.kind == "Pod":
            _bare_pod(world, obj)
            continue
        if obj.pod_template is None or obj.kind == "PodTemplate":
            continue
        controller = controller_for(world, obj, APPLY_TIME)
        if controller is None:
            world.timeline.problem(f"{obj.kind}/{obj.name}", _(
                "{kind} has a pod template but no built-in controller: its operator's behaviour is "
                "not simulated").format(kind=obj.kind))
            continue
        controllers[id(obj)] = controller
        world.at(0, controller.start)
    return controllers


def _bare_pod(world: World, obj: Object) -> None:
    template = obj.pod_template
    labels = {str(k): str(v) for k, v in (template.labels if template else {}).items()}
    spec = obj.get("spec", default={}) or {}
    pod = Pod(name=obj.name or naming.generated_name(obj.generate_name or "pod-", obj.namespace, obj.order),
              namespace=obj.namespace or "default", owner={"kind": None, "name": None},
              labels=labels, spec=spec, workload=obj, created_at=0.0,
              hostname=spec.get("hostname"), subdomain=spec.get("subdomain"))
    world.create_pod(pod, 0, "kube-apiserver", None, note=_(" (a bare Pod: nothing recreates it)"))


def autoscalers(world: World, graph: Graph, admitted: list[Object], controllers: dict[int, Controller]) -> None:
    """HorizontalPodAutoscaler first sync: replicas below minReplicas go up to it, above
    maxReplicas down to it (horizontal.go reconcileAutoscaler)."""
    for hpa in (o for o in admitted if o.kind == "HorizontalPodAutoscaler"):
        target = hpa.get("spec", "scaleTargetRef", default={}) or {}
        obj = graph.get(str(target.get("kind")), hpa.namespace, str(target.get("name")))
        controller = controllers.get(id(obj)) if obj is not None else None
        if controller is None or obj is None:
            continue
        low = count(hpa.get("spec", "minReplicas"), 1) or 1
        high = hpa.get("spec", "maxReplicas")
        current = replicas_of(obj)
        want = low if current < low else high if isinstance(high, int) and current > high else None
        if want is None:
            continue

        def scale(t: float, c: Controller = controller, n: int = want, name: str = hpa.name,
                  cur: int = current, target: Object = obj) -> None:
            text = _("HorizontalPodAutoscaler {name}: replicas {current} < minReplicas {wanted}, so it "
                     "sets {wanted} (first sync)") if n > cur else \
                _("HorizontalPodAutoscaler {name}: replicas {current} > maxReplicas {wanted}, so it "
                  "sets {wanted} (first sync)")
            world.event(t, "horizontal-pod-autoscaler", "scale",
                        ref(target.kind, target.namespace, target.name),
                        text.format(name=name, current=cur, wanted=n), "controllers")
            c.scale(n, t, _(" for the autoscaler"))
        world.at(HPA_SYNC_SECONDS, scale)


def _finish(world: World, timeline: Timeline) -> None:
    timeline.pods = list(world.pods)
    timeline.services = list(world.services)
    for svc in world.services:
        obj = svc.obj
        if svc.type == "ExternalName" or obj is None or not obj.get("spec", "selector") or svc.endpoints:
            continue
        selected = [p for p in world.pods if svc in world.selecting(p)]
        operators = _operated(world.graph, svc.namespace)
        if not selected and operators:
            timeline.assume(_("Pods that operators create for custom resources ({operators}) are not "
                              "simulated: Services selecting them show no endpoints here.").format(
                operators=operators))
        elif not selected and world.refused_behind(svc):
            timeline.problem(f"Service/{svc.name}", _(
                "ends with no endpoints: admission refuses the pods of {workloads}, so none exists and "
                "connections to it are refused").format(workloads=world.refused_behind(svc)))
        elif not selected:
            timeline.problem(f"Service/{svc.name}", _(
                "selector {selector} matches no pod in namespace {namespace}: the Service ends with no "
                "endpoints and connections to it are refused").format(
                selector=_show(obj.get("spec", "selector")), namespace=svc.namespace))
        else:
            names = ", ".join(p.name for p in selected[:3]) + (" ..." if len(selected) > 3 else "")
            timeline.problem(f"Service/{svc.name}", _(
                "ends with no endpoints: its pods ({pods}) are not Ready at the end or never expose "
                "its targetPort").format(pods=names))
    timeline.objects = object_tree(world)
    build_edges(world, timeline)


def _operated(graph: Graph | None, namespace: str) -> str:
    """Custom resources of a namespace whose operators may create pods the input lacks."""
    found = graph.custom_resources(namespace) if graph is not None else []
    return ", ".join(f"{o.kind}/{o.name}" for o in found[:3]) + (" ..." if len(found) > 3 else "")


def _show(selector: object) -> str:
    return ",".join(f"{k}={v}" for k, v in selector.items()) if isinstance(selector, dict) else str(selector)


def object_tree(world: World) -> list[dict[str, object]]:
    """Objects of the input with what the controllers made under them."""
    pods = {p.name: p for p in world.pods}

    def node(kind: str, ns: str | None, name: str, depth: int = 0) -> dict[str, object]:
        entry: dict[str, object] = {"kind": kind, "namespace": ns, "name": name}
        if kind == "Pod" and name in pods:
            pod = pods[name]
            entry.update(node_name=pod.node, ready_at=pod.ready_at, pending=pod.pending_reason)
        kids = world.children.get((kind, ns or "default", name), [])
        if kids and depth < 4:
            entry["children"] = [node(k["kind"], ns, k["name"], depth + 1) for k in kids]
        return entry

    return [node(obj.kind, obj.namespace, obj.name) for obj in (world.graph.objects if world.graph else [])]


def controller_for(world: World, obj: Object, start_time: datetime) -> Controller | None:
    """The controller of a built-in workload kind (here, above controllers.py and jobs.py,
    which both define controllers)."""
    kind = obj.kind
    if kind == "Deployment":
        return DeploymentController(world, obj)
    if kind in ("ReplicaSet", "ReplicationController"):
        return ReplicaSetController(world, obj)
    if kind == "StatefulSet":
        return StatefulSetController(world, obj)
    if kind == "DaemonSet":
        return DaemonSetController(world, obj)
    if kind == "Job":
        return JobController(world, obj)
    if kind == "CronJob":
        return CronJobController(world, obj, start_time)
    return None
