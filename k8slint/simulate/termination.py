"""Scenario `delete`, and the stop sequence of one pod that rollouts and scale-downs reuse
(k8s-semantics.md §8; timing from k8slint/k8s/termination.py)."""

from __future__ import annotations

from ..k8s.defaults import grace_period
from ..k8s.termination import prestop_seconds, stop_times
from .timeline import Pod, Termination, Timeline, ref
from .world import KUBE_PROXY_SECONDS, World


def stop_pod(world: World, pod: Pod, t0: float, timeline: Timeline, why: str) -> Termination:
    """Events and times of one pod's termination starting at t0 (a delete or a scale-down)."""
    who = ref("Pod", pod.namespace, pod.name)
    grace = grace_period(pod.spec)
    raw = pod.spec.get("terminationGracePeriodSeconds")
    if raw == 0:
        timeline.add(t0, "kube-apiserver", "delete", who, f"{why}: terminationGracePeriodSeconds 0 makes "
                     "this a force delete: the pod object is removed at once while the kubelet still "
                     "stops the containers (about 1 s)", "termination")
    else:
        timeline.add(t0, "kube-apiserver", "delete", who, f"{why}: sets deletionTimestamp, grace "
                     f"period {grace} s", "termination")
    for svc in world.selecting(pod):
        if pod.name in svc.endpoints:
            svc.endpoints.remove(pod.name)
            timeline.add(t0, "endpointslice-controller", "endpoint-terminating", ref("Service", svc.namespace, svc.name),
                         f"marks {pod.name} terminating (ready=false): no new connections from "
                         f"updated nodes", "termination")
            if svc.cluster_ip:
                timeline.add(t0 + KUBE_PROXY_SECONDS, "kube-proxy", "program", ref("Service", svc.namespace, svc.name),
                             f"every node stops sending new {svc.cluster_ip} connections to {pod.name}; "
                             "until now some could still arrive", "termination")
    if pod.node is None or pod.finished_at is not None:
        state = "never scheduled" if pod.node is None else "already Succeeded"
        timeline.add(t0, "kube-apiserver", "remove", who, f"{pod.name} was {state}: removed at once",
                     "termination")
        return Termination(pod.name, pod.namespace, grace, t0, None, None, t0, t0, False,
                           f"{state}: nothing to stop")
    apps = [c for c in pod.spec.get("containers") or [] if isinstance(c, dict)]
    sidecars = [c for c in pod.spec.get("initContainers") or []
                if isinstance(c, dict) and c.get("restartPolicy") == "Always"]
    first = None
    app_sigterm = 0.0
    for container in apps + list(reversed(sidecars)):
        name = container.get("name", "?")
        has_hook, duration = prestop_seconds(container.get("lifecycle"))
        times = stop_times(grace if raw != 0 else 0, duration, has_hook)
        sigterm, sigkill = times.sigterm, times.sigkill
        if container in sidecars:          # sidecars get SIGTERM after the app containers exit
            sigterm = max(sigterm, app_sigterm)
            sigkill = max(sigkill, sigterm + 2)
        else:
            app_sigterm = max(app_sigterm, sigterm)
        if has_hook:
            length = "duration unknown, assumed to return at once" if duration is None else f"{duration:g} s"
            timeline.add(t0, "kubelet", "prestop", who, f"runs the preStop hook of {name} ({length})",
                         "termination")
        cut = " (hook cut: the grace period ran out)" if times.hook_cut else \
            " (after preStop)" if has_hook else ""
        timeline.add(t0 + sigterm, "kubelet", "sigterm", who, f"SIGTERM to {name}{cut}", "termination")
        timeline.add(t0 + sigkill, "kubelet", "sigkill", who, f"SIGKILL to {name} if it still runs",
                     "termination")
        if first is None:
            first = Termination(pod.name, pod.namespace, grace, t0,
                                t0 if has_hook else None,
                                None if times.prestop_end is None else t0 + times.prestop_end,
                                t0 + sigterm, t0 + sigkill, times.hook_cut,
                                _meaning(raw == 0, has_hook, duration, times.hook_cut, sigterm, sigkill, grace))
    if first is None:
        first = Termination(pod.name, pod.namespace, grace, t0, None, None, t0, t0 + grace, False,
                            "no containers")
    return first


def _meaning(force: bool, has_hook: bool, duration: float | None, cut: bool, sigterm: float,
             sigkill: float, grace: int) -> str:
    """What the timing means for requests in flight."""
    lag = KUBE_PROXY_SECONDS
    if force:
        return ("grace period 0: the API object is gone at once and the containers get about 1 s: "
                "in-flight requests are cut; a replacement with the same name may start while "
                "this pod still runs")
    if not has_hook:
        return (f"SIGTERM at 0 s, the moment the endpoint is removed, but nodes may still send new "
                f"connections for about {lag} s: the app must keep accepting briefly after SIGTERM or "
                f"those requests fail; in-flight requests have until SIGKILL at {sigkill:g} s")
    if duration is None:
        return (f"preStop of unknown length: SIGTERM when it returns, SIGKILL at {sigkill:g} s at the "
                "latest")
    if cut:
        return (f"preStop ({duration:g} s) is not shorter than the grace period ({grace} s): it is cut at "
                f"{sigterm:g} s, SIGTERM then, SIGKILL at {sigkill:g} s: only {sigkill - sigterm:g} s to "
                "finish in-flight requests")
    return (f"preStop keeps the app serving {duration:g} s after the endpoint removal (covers the "
            f"kube-proxy lag); SIGTERM at {sigterm:g} s leaves {sigkill - sigterm:g} s to finish "
            f"in-flight requests before SIGKILL at {sigkill:g} s")


def delete(world: World, targets: list, timeline: Timeline) -> None:
    """Delete the targets (background propagation: the garbage collector deletes dependents)."""
    timeline.assume("Delete at t=0 with background propagation: the garbage collector deletes "
                    "the ReplicaSets and pods of each workload at once; nothing recreates them.")
    wanted = {id(o) for o in targets}
    for obj in targets:
        who = ref(obj.kind, obj.namespace, obj.name)
        note = ""
        if obj.kind == "StatefulSet":
            note = " (no ordering on delete: scale to 0 first for an ordered shutdown)"
        timeline.add(0, "kube-apiserver", "delete", who, f"deletes {obj.kind} {obj.name}{note}", "termination")
        if obj.kind == "Service":
            svc = next((s for s in world.services if s.obj is obj), None)
            if svc and svc.cluster_ip:
                timeline.add(0, "coredns", "dns", who, f"stops serving {svc.dns[0]}", "termination")
                timeline.add(KUBE_PROXY_SECONDS, "kube-proxy", "program", who,
                             f"removes the rules for {svc.cluster_ip}: new connections are refused",
                             "termination")
    for pod in world.pods:
        if id(pod.workload) in wanted:
            owner = pod.owner.get("kind") or "Pod"
            why = "garbage collector deletes it" if owner != "Pod" and pod.owner.get("name") else "deleted"
            timeline.terminations.append(stop_pod(world, pod, 0.0, timeline, why))
    timeline.pods = [p for p in world.pods if id(p.workload) in wanted]
    timeline.services = list(world.services)
