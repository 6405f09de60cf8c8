"""Scenario `apply`: one `kubectl apply` of the whole input, then the control plane at work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..admission import admission_verdicts
from ..graph import Graph, Object
from ..k8s.kinds import BUILTIN_GROUPS
from . import admission, naming
from .controllers import Controller, controller_for, replicas_of
from .refusal import refusal_reason
from .timeline import Pod, Timeline, ref
from .wiring import build_edges
from .world import World

# The wall clock of the simulated apply, for CronJob schedules (illustrative, stable).
APPLY_TIME = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
# The HorizontalPodAutoscaler controller syncs every 15 s (--horizontal-pod-autoscaler-sync-
# period); below minReplicas it scales up without metrics (pkg/controller/podautoscaler/
# horizontal.go reconcileAutoscaler: "Current number of replicas below Spec.MinReplicas").
HPA_SYNC_SECONDS = 15

# Run-time errors the kubelet model reports itself (not repeated as problems).
SIMULATED_RULES = frozenset({"probe-named-port-missing", "service-target-port-missing"})

ASSUMPTIONS = (
    "One `kubectl apply` creates every object at t=0 in document order (document order is "
    "creation order), seconds before any container starts; so every container sees the Service "
    "variables of every Service in the input. A Service applied later would not be seen by "
    "containers already running until they restart.",
    "Namespaces the input does not create are assumed to exist.",
    "ClusterIPs are illustrative, taken in creation order from 10.96.0.0/12 (10.96.0.1 is the "
    "`kubernetes` Service); pod IPs come from 10.244.<node>.0/24.",
    "Generated names are illustrative but stable: pod-template-hash is an FNV-32a hash of the "
    "template mapped to [4-9bcdf] (the real hash differs); 5-character suffixes come from the "
    "generateName alphabet bcdfghjklmnpqrstvwxz2456789.",
    "Timing (illustrative): scheduling is immediate, the pod sandbox takes 1 s, each image pull "
    "2 s (IfNotPresent reuses an image already on the node), each init container runs 1 s, a "
    "Job pod runs 10 s, kube-proxy applies changes 1 s after the endpoint change.",
    "Probes pass on the first attempt: the first readiness probe runs initialDelaySeconds after "
    "the container starts (the kubelet's probe ticker may add up to one periodSeconds).",
)


def rejections(findings: list[Any]) -> tuple[dict[tuple, str], list[Any], list[Any], dict[tuple, list[Any]]]:
    """Error findings by outcome (admission.RULE_OUTCOMES): object identity -> rejection
    message, file-level errors, run-time errors, and object identity -> the findings for
    which admission refuses its pods."""
    by_object: dict[tuple, str] = {}
    refused: dict[tuple, list[Any]] = {}
    files, runtime = [], []
    for f in findings:
        kind = admission.outcome(f)
        if kind is None:
            continue
        if kind == admission.RUN_TIME:
            runtime.append(f)
        elif f.object is None:
            files.append(f)
        elif kind == admission.PODS_REFUSED:
            refused.setdefault((f.object.kind, f.object.namespace, f.object.name), []).append(f)
        else:
            key = (f.object.kind, f.object.namespace, f.object.name)
            by_object.setdefault(key, f"{f.message} [{f.rule}]")
    return by_object, files, runtime, refused


def simulate_apply(graph: Graph, world: World, version: tuple[int, int],
                   findings: list[Any]) -> dict[int, Controller]:
    """Admit every object, start the controllers, run the clock until nothing changes."""
    timeline = world.timeline
    for text in ASSUMPTIONS:
        timeline.assume(text)
    rejected, file_errors, runtime, refused = rejections(findings)
    for f in file_errors:
        timeline.add(0, "kube-apiserver", "reject", ref("File", None, f.file),
                     f"{f.file}:{f.line}: {f.message} [{f.rule}]", "admission")
        timeline.problem(f"File/{f.file}", f"line {f.line}: {f.message}")
    for f in runtime:
        if f.rule in SIMULATED_RULES:          # the kubelet model reports these itself
            continue
        name = f"{f.object.kind}/{f.object.name}" if f.object else f.file
        timeline.problem(name, f"{f.message} [{f.rule}]")
    controllers: dict[int, Controller] = {}
    admitted: list[Object] = []
    for obj in graph.objects:
        who = ref(obj.kind, obj.namespace, obj.name or f"{obj.generate_name or ''}<generated>")
        identity = (obj.kind, obj.namespace, who["name"])
        reason = rejected.get(identity)
        if not reason and identity in refused and obj.kind == "Pod":     # a bare Pod: rejected
            why = refusal_reason(obj, refused[identity], graph, version)
            reason = f'pods "{who["name"]}" is forbidden: {why}'
        if reason:
            timeline.add(0, "kube-apiserver", "reject", who, f"rejects {obj.kind} {who['name']}: {reason}",
                         "admission")
            timeline.problem(f"{obj.kind}/{who['name']}", f"rejected by the API server: {reason}")
            continue
        if not obj.name and obj.generate_name:
            who["name"] = naming.generated_name(obj.generate_name, obj.namespace, obj.order)
        filled = admission.filled_defaults(obj, version)
        text = f"accepts {obj.kind} {who['name']}"
        text += "; defaults filled in: " + "; ".join(filled) if filled else "; no defaults to fill in"
        timeline.add(0, "kube-apiserver", "admit", who, text, "admission")
        for verdict in admission_verdicts(graph, obj, version):     # Warn and Audit bindings
            if verdict.action != "Deny":
                timeline.add(0, "kube-apiserver", verdict.action.lower(), who, verdict.message, "admission")
        key = admission.etcd_key(obj.kind, obj.group, obj.namespace, who["name"], obj.group in BUILTIN_GROUPS)
        timeline.add(0, "etcd", "store", who, f"stores {key}", "admission")
        admitted.append(obj)
        if identity in refused and obj.pod_template is not None:
            why = refusal_reason(obj, refused[identity], graph, version)
            world.refuse(obj, why)
            timeline.problem(f"{obj.kind}/{who['name']}", f"accepted, but admission refuses every pod "
                             f"its controller creates (FailedCreate, 0 pods; kubectl apply shows no "
                             f"error): {why}")
        if obj.kind == "Service":
            world.add_service(obj, 0)
    for obj in admitted:
        if obj.kind == "Pod":
            _bare_pod(world, obj)
            continue
        if obj.pod_template is None or obj.kind == "PodTemplate":
            continue
        controller = controller_for(world, obj, APPLY_TIME)
        if controller is None:
            timeline.problem(f"{obj.kind}/{obj.name}", f"{obj.kind} has a pod template but no built-in "
                             "controller: its operator's behaviour is not simulated")
            continue
        controllers[id(obj)] = controller
        world.at(0, controller.start)
    _autoscalers(world, graph, admitted, controllers)
    world.run()
    _finish(world, timeline, controllers)
    return controllers


def _bare_pod(world: World, obj: Object) -> None:
    template = obj.pod_template
    labels = {str(k): str(v) for k, v in (template.labels if template else {}).items()}
    spec = obj.get("spec", default={}) or {}
    pod = Pod(name=obj.name or naming.generated_name(obj.generate_name or "pod-", obj.namespace, obj.order),
              namespace=obj.namespace or "default", owner={"kind": None, "name": None},
              labels=labels, spec=spec, workload=obj, created_at=0.0,
              hostname=spec.get("hostname"), subdomain=spec.get("subdomain"))
    world.create_pod(pod, 0, "kube-apiserver", None, note=" (a bare Pod: nothing recreates it)")


def _autoscalers(world: World, graph: Graph, admitted: list[Object], controllers: dict[int, Controller]) -> None:
    for hpa in (o for o in admitted if o.kind == "HorizontalPodAutoscaler"):
        target = hpa.get("spec", "scaleTargetRef", default={}) or {}
        obj = graph.get(str(target.get("kind")), hpa.namespace, str(target.get("name")))
        controller = controllers.get(id(obj)) if obj is not None else None
        if controller is None:
            continue
        low = hpa.get("spec", "minReplicas")
        low = low if isinstance(low, int) and not isinstance(low, bool) else 1
        high = hpa.get("spec", "maxReplicas")
        current = replicas_of(obj)
        want = low if current < low else high if isinstance(high, int) and current > high else None
        if want is None:
            continue

        def scale(t: float, c: Controller = controller, n: int = want, name: str = hpa.name,
                  cur: int = current, target: Object = obj) -> None:
            world.event(t, "horizontal-pod-autoscaler", "scale",
                        ref(target.kind, target.namespace, target.name),
                        f"HorizontalPodAutoscaler {name}: {cur} replica(s) is "
                        f"{'below minReplicas' if n > cur else 'above maxReplicas'} {n}: sets "
                        f"replicas to {n} (first sync, {HPA_SYNC_SECONDS} s)", "controllers")
            c.scale(n, t, f" (HorizontalPodAutoscaler {name})")
        world.at(HPA_SYNC_SECONDS, scale)


def _finish(world: World, timeline: Timeline, controllers: dict[int, Controller]) -> None:
    timeline.pods = list(world.pods)
    timeline.services = list(world.services)
    for svc in world.services:
        obj = svc.obj
        if svc.type == "ExternalName" or obj is None or not obj.get("spec", "selector"):
            continue
        if svc.endpoints:
            continue
        selected = [p for p in world.pods if svc in world.selecting(p)]
        operators = _operated(world.graph, svc.namespace)
        if not selected and operators:
            timeline.assume(f"Pods that operators create for custom resources ({operators}) are not "
                            "simulated: Services selecting them show no endpoints here.")
        elif not selected and world.refused_behind(svc):
            timeline.problem(f"Service/{svc.name}", f"ends with no endpoints: admission refuses the "
                             f"pods of {world.refused_behind(svc)}, so none exists and connections "
                             "to it are refused")
        elif not selected:
            timeline.problem(f"Service/{svc.name}", f"selector {_show(obj.get('spec', 'selector'))} "
                             f"matches no pod in namespace {svc.namespace}: the Service ends with no "
                             "endpoints and connections to it are refused")
        else:
            names = ", ".join(p.name for p in selected[:3]) + (" ..." if len(selected) > 3 else "")
            timeline.problem(f"Service/{svc.name}", f"ends with no endpoints: its pods ({names}) "
                             "never become Ready or never expose its targetPort")
    timeline.objects = _tree(world)
    build_edges(world, timeline)


def _operated(graph: Any, namespace: str) -> str:
    """Custom resources of a namespace whose operators may create pods the input lacks."""
    query = getattr(graph, "custom_resources", None)
    found = query(namespace) if query else []
    return ", ".join(f"{o.kind}/{o.name}" for o in found[:3]) + (" ..." if len(found) > 3 else "")


def _show(selector: Any) -> str:
    return ",".join(f"{k}={v}" for k, v in selector.items()) if isinstance(selector, dict) else str(selector)


def _tree(world: World) -> list[dict[str, Any]]:
    """Objects of the input with what the controllers made under them."""
    pods = {p.name: p for p in world.pods}

    def node(kind: str, ns: str | None, name: str, depth: int = 0) -> dict[str, Any]:
        entry: dict[str, Any] = {"kind": kind, "namespace": ns, "name": name}
        if kind == "Pod" and name in pods:
            pod = pods[name]
            entry.update(node_name=pod.node, ready_at=pod.ready_at, pending=pod.pending_reason)
        kids = world.children.get((kind, ns, name), [])
        if kids and depth < 4:
            entry["children"] = [node(k["kind"], ns, k["name"], depth + 1) for k in kids]
        return entry

    out = []
    for obj in world.graph.objects if world.graph is not None else []:
        if obj.kind == "Pod":
            out.append(node("Pod", obj.namespace, obj.name))
        else:
            out.append(node(obj.kind, obj.namespace, obj.name))
    return out
