"""Scenario `delete`, and the stop sequence of one pod that rollouts, scale-downs, drains and
failed Jobs reuse (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination;
timing from k8slint/k8s/termination.py).

When is a deleted pod gone? The delete sets deletionTimestamp at once (`Pod.deleted_at`);
the kubelet stops every container (preStop, SIGTERM, SIGKILL at the latest), and once they
have exited (pkg/kubelet/kubelet.go syncTerminatedPod -> statusManager.TerminatePod) the
status manager deletes the pod object with grace 0 (pkg/kubelet/status/status_manager.go
syncPod, canBeDeleted) and the API server removes it (`Pod.gone_at`). Until then the pod
still holds its node's resources and its quota. We assume the app exits APP_EXIT_SECONDS
after SIGTERM (never later than SIGKILL).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..graph import Graph, Object, object_selector
from ..i18n import _
from ..k8s.defaults import grace_period
from ..k8s.termination import prestop_seconds, stop_times
from .timeline import Pod, Termination, Timeline, ref
from .world import KUBE_PROXY_SECONDS, World

APP_EXIT_SECONDS = 1.0       # an app exits this long after SIGTERM (illustrative)


def gone_seconds(pod_spec: Mapping[str, Any]) -> float:
    """Delete to pod object removed, if each app exits APP_EXIT_SECONDS after SIGTERM."""
    latest = 0.0
    grace = grace_period(pod_spec)
    for container in pod_spec.get("containers") or []:
        if isinstance(container, dict):
            has_hook, duration = prestop_seconds(container.get("lifecycle"))
            times = stop_times(grace if pod_spec.get("terminationGracePeriodSeconds") != 0 else 0,
                               duration, has_hook)
            latest = max(latest, min(times.sigterm + APP_EXIT_SECONDS, times.sigkill))
    return latest


def stop_pod(world: World, pod: Pod, t0: float, timeline: Timeline, why: str) -> Termination:
    """Events and times of one pod's termination starting at t0 (a delete or a scale-down):
    its deletionTimestamp is t0 (`deleted_at`), the object is gone at `gone_at`."""
    who = ref("Pod", pod.namespace, pod.name)
    world.cancel_after(pod, t0)
    grace = grace_period(pod.spec)
    raw = pod.spec.get("terminationGracePeriodSeconds")
    if raw == 0:
        timeline.add(t0, "kube-apiserver", "delete", who, _(
            "{why}: terminationGracePeriodSeconds 0 makes this a force delete: the pod object is removed "
            "at once while the kubelet still stops the containers (about 1 s)").format(why=why), "termination")
    else:
        timeline.add(t0, "kube-apiserver", "delete", who, _(
            "{why}: sets deletionTimestamp, grace period {grace} s").format(why=why, grace=grace), "termination")
    _leave_endpoints(world, pod, t0, timeline)
    if pod.node is None or pod.finished_at is not None or pod.failed_at is not None:
        never = pod.node is None
        timeline.add(t0, "kube-apiserver", "remove", who,
                     (_("{pod} was never scheduled: removed at once") if never else
                      _("{pod} was already finished: removed at once")).format(pod=pod.name), "termination")
        world.release(pod)
        pod.gone_at = t0
        return Termination(pod.name, pod.namespace, grace, t0, None, None, t0, t0, False,
                           _("never scheduled: nothing to stop") if never else
                           _("already finished: nothing to stop"), gone_at=t0)
    first = _stop_containers(pod, t0, timeline, grace, raw == 0)
    gone = t0 + gone_seconds(pod.spec)
    gone_text = _("every container of {pod} has exited (each app assumed to exit {seconds} s after SIGTERM): "
                  "the pod object was removed at the delete (grace period 0)") if raw == 0 else \
        _("every container of {pod} has exited (each app assumed to exit {seconds} s after SIGTERM): "
          "the pod object is deleted with grace 0 by the kubelet and removed by the API server")
    timeline.add(gone, "kubelet", "gone", who, gone_text.format(pod=pod.name, seconds=f"{APP_EXIT_SECONDS:g}"),
                 "termination")
    pod.gone_at = t0 if raw == 0 else gone
    world.at(pod.gone_at, lambda now: world.release(pod))   # the scheduler counts it until then
    first.gone_at = gone
    return first


def _leave_endpoints(world: World, pod: Pod, t0: float, timeline: Timeline) -> None:
    """EndpointSlice: the pod is marked terminating at once; kube-proxy catches up a little
    later. Headless Services have no kube-proxy rules: only DNS answers change."""
    for svc in world.selecting(pod):
        if pod.name not in svc.endpoints:
            continue
        svc.endpoints.remove(pod.name)
        where = ref("Service", svc.namespace, svc.name)
        if svc.cluster_ip:
            timeline.add(t0, "endpointslice-controller", "endpoint-terminating", where,
                         _("marks {pod} terminating (ready=false): no new connections from updated "
                           "nodes").format(pod=pod.name), "termination")
            timeline.add(t0 + KUBE_PROXY_SECONDS, "kube-proxy", "program", where,
                         _("every node stops sending new {ip} connections to {pod}; until now some could "
                           "still arrive").format(ip=svc.cluster_ip, pod=pod.name), "termination")
        else:
            timeline.add(t0, "endpointslice-controller", "endpoint-terminating", where,
                         _("marks {pod} terminating (ready=false): {name} stops returning {ip} (headless: "
                           "no kube-proxy rules involved)").format(pod=pod.name, name=svc.dns[0], ip=pod.ip),
                         "termination")


def _stop_containers(pod: Pod, t0: float, timeline: Timeline, grace: int, force: bool) -> Termination:
    """preStop, SIGTERM and SIGKILL per container; sidecars after the app containers."""
    who = ref("Pod", pod.namespace, pod.name)
    apps = [c for c in pod.spec.get("containers") or [] if isinstance(c, dict)]
    sidecars = [c for c in pod.spec.get("initContainers") or []
                if isinstance(c, dict) and c.get("restartPolicy") == "Always"]
    first: Termination | None = None
    app_sigterm = 0.0
    for container in apps + list(reversed(sidecars)):
        name = container.get("name", "?")
        has_hook, duration = prestop_seconds(container.get("lifecycle"))
        times = stop_times(0 if force else grace, duration, has_hook)
        sigterm, sigkill = times.sigterm, times.sigkill
        if container in sidecars:          # sidecars get SIGTERM after the app containers exit
            sigterm = max(sigterm, app_sigterm)
            sigkill = max(sigkill, sigterm + 2)
        else:
            app_sigterm = max(app_sigterm, sigterm)
        if has_hook:
            hook = _("runs the preStop hook of {container} (duration unknown, assumed to return at "
                     "once)") if duration is None else _("runs the preStop hook of {container} ({seconds} s)")
            timeline.add(t0, "kubelet", "prestop", who,
                         hook.format(container=name, seconds=f"{duration:g}" if duration is not None else ""),
                         "termination")
        signal = _("SIGTERM to {container} (hook cut: the grace period ran out); SIGKILL at {seconds} s if it "
                   "still runs") if times.hook_cut else \
            _("SIGTERM to {container} (after preStop); SIGKILL at {seconds} s if it still runs") if has_hook else \
            _("SIGTERM to {container}; SIGKILL at {seconds} s if it still runs")
        # The app is assumed to exit APP_EXIT_SECONDS after SIGTERM, always before the
        # SIGKILL deadline (at least 2 s later), so SIGKILL is a deadline here, not an event.
        timeline.add(t0 + sigterm, "kubelet", "sigterm", who,
                     signal.format(container=name, seconds=f"{t0 + sigkill:g}"), "termination")
        if first is None:
            first = Termination(pod.name, pod.namespace, grace, t0,
                                t0 if has_hook else None,
                                None if times.prestop_end is None else t0 + times.prestop_end,
                                t0 + sigterm, t0 + sigkill, times.hook_cut,
                                _meaning(force, has_hook, duration, times.hook_cut, sigterm, sigkill, grace))
    if first is None:
        first = Termination(pod.name, pod.namespace, grace, t0, None, None, t0, t0 + grace, False,
                            _("no containers"))
    return first


def _meaning(force: bool, has_hook: bool, duration: float | None, cut: bool, sigterm: float,
             sigkill: float, grace: int) -> str:
    """What the timing means for requests in flight; times are counted from the delete (the
    table beside it gives them on the scenario's clock)."""
    lag = KUBE_PROXY_SECONDS
    if force:
        return _("grace period 0: the API object is gone at once and the containers get about 1 s: "
                 "in-flight requests are cut; a replacement with the same name may start while "
                 "this pod still runs")
    if not has_hook:
        return _("SIGTERM at the delete, the moment the endpoint is removed, but nodes may still send new "
                 "connections for about {lag} s: the app must keep accepting briefly after SIGTERM or "
                 "those requests fail; in-flight requests have until SIGKILL {sigkill} s after the "
                 "delete").format(lag=lag, sigkill=f"{sigkill:g}")
    if duration is None:
        return _("preStop of unknown length: SIGTERM when it returns, SIGKILL {sigkill} s after the "
                 "delete at the latest").format(sigkill=f"{sigkill:g}")
    if cut:
        return _("preStop ({duration} s) is not shorter than the grace period ({grace} s): it is cut "
                 "{sigterm} s after the delete, SIGTERM then, SIGKILL at {sigkill} s: only "
                 "{left} s to finish in-flight requests").format(
            duration=f"{duration:g}", grace=grace, sigterm=f"{sigterm:g}", sigkill=f"{sigkill:g}",
            left=f"{sigkill - sigterm:g}")
    return _("preStop keeps the app serving {duration} s after the endpoint removal (covers the "
             "kube-proxy lag); SIGTERM {sigterm} s after the delete leaves {left} s to "
             "finish in-flight requests before SIGKILL at {sigkill} s").format(
        duration=f"{duration:g}", sigterm=f"{sigterm:g}", left=f"{sigkill - sigterm:g}", sigkill=f"{sigkill:g}")


def delete(world: World, targets: list[Object], timeline: Timeline) -> None:
    """Delete the targets (background propagation: the garbage collector deletes dependents)."""
    timeline.assume(_("Delete at t=0 with background propagation: the garbage collector deletes "
                      "the ReplicaSets and pods of each workload at once; nothing recreates them."))
    wanted = {id(o) for o in targets}
    for obj in targets:
        who = ref(obj.kind, obj.namespace, obj.name)
        text = _("deletes {kind} {name} (no ordering on delete: scale to 0 first for an ordered shutdown)") \
            if obj.kind == "StatefulSet" else _("deletes {kind} {name}")
        timeline.add(0, "kube-apiserver", "delete", who, text.format(kind=obj.kind, name=obj.name), "termination")
        if obj.kind == "Service":
            svc = next((s for s in world.services if s.obj is obj), None)
            if svc and svc.cluster_ip:
                timeline.add(0, "coredns", "dns", who, _("stops serving {name}").format(name=svc.dns[0]),
                             "termination")
                timeline.add(KUBE_PROXY_SECONDS, "kube-proxy", "program", who,
                             _("removes the rules for {ip}: new connections are refused").format(ip=svc.cluster_ip),
                             "termination")
            elif svc:
                timeline.add(0, "coredns", "dns", who, _("stops serving {name} (headless: no kube-proxy rules "
                                                         "to remove)").format(name=svc.dns[0]), "termination")
    for obj in targets:
        made = world.children.get((obj.kind, obj.namespace or "default", obj.name), [])
        if made:
            owned = ", ".join(k["kind"] + " " + k["name"] for k in made[:3]) + (", ..." if len(made) > 3 else "")
            timeline.add(0, "garbage-collector", "delete", ref(obj.kind, obj.namespace, obj.name),
                         _("deletes what {kind} {name} owned ({owned}): their ownerReferences point at a "
                           "deleted owner").format(kind=obj.kind, name=obj.name, owned=owned), "termination")
    for pod in world.pods:
        if pod.workload is not None and id(pod.workload) in wanted and pod.deleted_at is None:
            owner = pod.owner.get("kind")
            why = _("garbage collector deletes it") if owner and pod.owner.get("name") else _("deleted")
            timeline.terminations.append(stop_pod(world, pod, 0.0, timeline, why))
    timeline.pods = [p for p in world.pods if p.workload is not None and id(p.workload) in wanted]
    timeline.services = list(world.services)
    budgets_ignored(world.graph, timeline.pods, timeline)


def budgets_ignored(graph: Graph | None, pods: list[Pod], timeline: Timeline) -> None:
    """Say that a PodDisruptionBudget selecting these pods does not stop their deletion:
    only the eviction API reads budgets (pkg/registry/core/pod/storage/eviction.go);
    a delete or a scale-down removes pods directly."""
    for budget in graph.of_kind("PodDisruptionBudget") if graph is not None else []:
        selector = object_selector(budget)
        if selector is not None and any(budget.namespace == p.namespace and selector.matches(p.labels)
                                        for p in pods):
            timeline.assume(_("PodDisruptionBudget {name} selects these pods but does not stop a delete "
                              "or a scale-down: only evictions (kubectl drain, the cluster autoscaler) ask "
                              "budgets.").format(name=budget.name))
