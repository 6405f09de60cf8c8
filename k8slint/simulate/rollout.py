"""Scenario `rollout`: a change of the pod template, along the controllers' own seams, on the
world's clock: every new pod is created, scheduled, started and joins its Services as at
apply (the same per-pod events), and every old pod is deleted and stopped as in a delete.

Deployment (pkg/controller/deployment): `Recreate` (recreate.go rolloutRecreate: old
ReplicaSets to 0, wait until no old pod runs, then the new one to `replicas`) and
`RollingUpdate` (rolling.go rolloutRolling: one sync either scales the new ReplicaSet up,
reconcileNewReplicaSet, up to `replicas + maxSurge` via deployment_util.go NewRSNewReplicas,
or the old ones down, reconcileOldReplicaSets: first unhealthy old pods within maxScaledDown
= all - minAvailable - unavailable new, then healthy ones while available pods stay at or
above `replicas - maxUnavailable`); a new pod counts once available, i.e. Ready for
minReadySeconds (pkg/api/v1/pod/util.go IsPodAvailable, read by
pkg/controller/replicaset/replica_set_utils.go calculateStatus). StatefulSet: highest
ordinal first, one at a time, the replacement created once the old pod object is gone, the
next deleted once it is Available; ordinals below `partition` kept
(stateful_set_control.go updateStatefulSet). DaemonSet: node by node within maxUnavailable
(delete, then create once the old pod is gone) or maxSurge (create beside, delete the old
one once the new one is available) (pkg/controller/daemon/update.go rollingUpdate).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..graph import Object
from ..i18n import N_, _
from ..k8s.rollout import Fenceposts, daemonset_budget
from ..k8s.rollout import fenceposts as shared_fenceposts
from . import naming
from .cluster import Node
from .controllers import DaemonSetController, ReplicaSetController, StatefulSetController, count
from .termination import stop_pod
from .timeline import Pod, Rollout, Timeline, mapping, ref
from .world import World

PLAIN_ASSUMPTION = N_("Rollout: the pod template changes at t=0 and its images are new: each node "
                    "pulls them once (imagePullPolicy IfNotPresent reuses them there after); old pods "
                    "exit 1 s after SIGTERM.")


def fenceposts(surge: Any, unavailable: Any, replicas: int) -> tuple[int, int]:
    """ResolveFenceposts (k8slint.k8s.rollout); unreadable values count as 0 surge, 1 unavailable."""
    resolved = shared_fenceposts(surge, unavailable, replicas)
    return (resolved.max_surge, resolved.max_unavailable) if resolved else (0, 1)


def new_template_hash(obj: Object, template: Any = None) -> str:
    """The pod-template-hash of the new template, with the function the apply uses
    (naming.pod_template_hash, as DeploymentController.start): of `template` when the new
    template is known (`explain --diff`), else of a stand-in for "the template changed"."""
    if template is not None:
        return naming.pod_template_hash(template)
    return naming.pod_template_hash({"changed": obj.get("spec", "template")})


def victim_order(pods: list[Pod]) -> list[Pod]:
    """ReplicaSet scale-down order (controller_utils.go ActivePods ranking): unscheduled,
    pending, not ready first; then nodes holding more of the set's pods; later ready;
    newer."""
    per_node: dict[str | None, int] = {}
    for pod in pods:
        per_node[pod.node] = per_node.get(pod.node, 0) + 1
    return sorted(pods, key=lambda p: (p.node is not None, p.ready_at is not None,
                                       -per_node.get(p.node, 0), -(p.ready_at or 0),
                                       -p.created_at, -pods.index(p)))


def _live(pods: list[Pod]) -> list[Pod]:
    return [p for p in pods if p.deleted_at is None and (p.node is not None or p.pending_reason)]


class Rolling:
    """A rollout on the world's clock: `start` at t=0, the world runs, then `finish`."""

    result: Rollout

    def __init__(self, world: World, obj: Object, timeline: Timeline) -> None:
        self.world = world
        self.obj = obj
        self.ns = obj.namespace or "default"
        self.timeline = timeline
        self.min_ready = count(obj.get("spec", "minReadySeconds"), 0)
        self.done = False

    def start(self, t: float) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the world ran out of events: say so if the rollout never completed."""

    def stop_old(self, pod: Pod, t: float, why: str) -> None:
        self.timeline.terminations.append(stop_pod(self.world, pod, t, self.timeline, why))

    def available_after(self, pod: Pod, t: float, then: Any) -> None:
        """Call `then(pod, t')` once the pod is Available: Ready for minReadySeconds."""
        self.world.at(t + self.min_ready, partial(then, pod))


class Counted(Rolling):
    """A rollout that counts old, new and available pods itself (StatefulSet, DaemonSet)."""

    old: int
    new: int
    available: int

    def step(self, t: float, note: str) -> None:
        self.result.step(t, self.old, self.new, self.available, note)

    def retire(self, pod: Pod, t: float, why: str, note: str) -> None:
        """Delete an old pod: one old pod less, one available less if it was Ready."""
        self.old -= 1
        if pod.ready_at is not None:
            self.available -= 1
        self.stop_old(pod, t, why)
        self.step(t, note)


class _ReplicaSet(ReplicaSetController):
    """The new ReplicaSet of a rollout: it tells the rollout when a pod is Ready."""

    def __init__(self, rolling: Rolling, name: str, pod_hash: str) -> None:
        super().__init__(rolling.world, rolling.obj, name, {"pod-template-hash": pod_hash})
        self.rolling = rolling

    def pod_ready(self, pod: Pod, t: float) -> None:
        assert isinstance(self.rolling, DeploymentRollout)
        self.rolling.available_after(pod, t, self.rolling.pod_available)


class DeploymentRollout(Rolling):
    """Deployment: RollingUpdate (rolling.go) or Recreate (recreate.go)."""

    def __init__(self, world: World, obj: Object, pods: list[Pod], timeline: Timeline, template: Any) -> None:
        super().__init__(world, obj, timeline)
        spec = mapping(obj.get("spec"))
        strategy = mapping(spec.get("strategy"))
        self.recreate = (strategy.get("type") or "RollingUpdate") == "Recreate"
        live = _live(pods)
        self.replicas = len(live)
        self.old = victim_order(live)                   # old pods left, in deletion order
        self.old_rs = live[0].owner_name if live else f"{obj.name}-?"
        pod_hash = new_template_hash(obj, template)
        self.rs = _ReplicaSet(self, f"{obj.name}-{pod_hash}", pod_hash)
        world.child(("Deployment", self.ns, obj.name), {"kind": "ReplicaSet", "name": self.rs.rs_name})
        self.new_spec = 0                               # the new ReplicaSet's spec.replicas
        self.new_available = 0
        self.became = 0                                 # new pods available since the last step
        self.progress_at = 0.0                          # the last change of the rollout's counts
        self.deadline = spec.get("progressDeadlineSeconds", 600)
        rolling = mapping(strategy.get("rollingUpdate"))
        self.rolling = rolling
        self.budget = Fenceposts(0, 0) if self.recreate else (
            shared_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), self.replicas)
            or Fenceposts(0, 1))
        self.result = Rollout(f"Deployment/{obj.name}", "Recreate" if self.recreate else "RollingUpdate",
                              self.replicas, None if self.recreate else self.budget.max_surge,
                              None if self.recreate else self.budget.max_unavailable)

    @property
    def new_name(self) -> str:
        return self.rs.rs_name

    def old_available(self, t: float) -> int:
        return sum(1 for p in self.old if p.ready_at is not None and p.ready_at <= t)

    def record(self, t: float, note: str) -> None:
        self.progress_at = t              # deployment_util.go DeploymentProgressing: counts changed
        self.result.step(t, len(self.old), self.new_spec, self.old_available(t) + self.new_available, note)

    def start(self, t: float) -> None:
        self.record(t, _("start"))
        if self.recreate:
            self._recreate_down(t)
            return
        self.timeline.add(t, "deployment-controller", "resolve", ref("Deployment", self.ns, self.obj.name),
                          _("replicas {replicas}: maxSurge {surge} -> {max_surge} (rounds up), maxUnavailable "
                            "{unavailable} -> {max_unavailable} (rounds down): at most {most} pods, at least "
                            "{least} available").format(
                              replicas=self.replicas, surge=self.rolling.get("maxSurge", "25%"),
                              max_surge=self.budget.max_surge,
                              unavailable=self.rolling.get("maxUnavailable", "25%"),
                              max_unavailable=self.budget.max_unavailable,
                              most=self.replicas + self.budget.max_surge,
                              least=self.replicas - self.budget.max_unavailable), "rollout")
        self.sync(t)

    # --- Recreate ------------------------------------------------------------------------
    def _recreate_down(self, t: float) -> None:
        """recreate.go rolloutRecreate: scale every old ReplicaSet to 0; the new one only
        once no old pod runs (oldPodsRunning)."""
        victims, self.old = self.old, []
        self.timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", self.ns, self.old_rs),
                          _("Recreate: scales ReplicaSet {rs} to 0; all {count} pods stop at once").format(
                              rs=self.old_rs, count=len(victims)), "rollout")
        self.result.step(t, 0, 0, 0, _("old ReplicaSet {rs} scaled to 0: no pod serves").format(rs=self.old_rs))
        gone = t
        for pod in victims:
            self._delete_old(pod, t)
            gone = max(gone, pod.gone_at if pod.gone_at is not None else t)
        self.world.at(gone, self._recreate_up)

    def _recreate_up(self, t: float) -> None:
        self.new_spec = self.replicas
        self.timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", self.ns, self.new_name),
                          _("old pods gone; scales new ReplicaSet {rs} to {replicas}").format(
                              rs=self.new_name, replicas=self.replicas), "rollout")
        self.result.step(t, 0, self.replicas, 0, _("new ReplicaSet {rs} scaled to {replicas}").format(
            rs=self.new_name, replicas=self.replicas))
        self.rs.scale(self.replicas, t, "")

    # --- RollingUpdate -------------------------------------------------------------------
    def pod_available(self, pod: Pod, t: float) -> None:
        if pod.deleted_at is not None or self.done:
            return
        self.new_available += 1
        self.became += 1
        self.world.at(t, self._after_available)     # after every pod available at this moment

    def _after_available(self, t: float) -> None:
        if not self.became:
            return
        became, self.became = self.became, 0
        text = _("{count} new pod(s) available (Ready for minReadySeconds {seconds} s): {available} of "
                 "{replicas}") if self.min_ready else _("{count} new pod(s) available: {available} of {replicas}")
        self.timeline.add(t, "replicaset-controller", "available", ref("ReplicaSet", self.ns, self.new_name),
                          text.format(count=became, seconds=self.min_ready, available=self.new_available,
                                      replicas=self.replicas), "rollout")
        self.record(t, _("{count} new pod(s) available").format(count=became))
        if self.recreate:
            self.complete(t)
        else:
            self.sync(t)

    def sync(self, t: float) -> None:
        """rolloutRolling, sync after sync at this moment until nothing changes."""
        while not self.done and (self._scale_up(t) or self._scale_down(t)):
            pass
        self.complete(t)

    def complete(self, t: float) -> None:
        if self.done or self.old or self.new_spec != self.replicas or self.new_available < self.replicas:
            return
        self.done = True
        text = _("rollout complete: {replicas} new pods available; downtime {seconds} s") if self.recreate else \
            _("rollout complete: {replicas} new pods available")
        self.timeline.add(t, "deployment-controller", "complete", ref("Deployment", self.ns, self.obj.name),
                          text.format(replicas=self.replicas, seconds=f"{t:g}"), "rollout")

    def _scale_up(self, t: float) -> bool:
        """reconcileNewReplicaSet: grow the new ReplicaSet within replicas + maxSurge."""
        room = self.replicas + self.budget.max_surge - (len(self.old) + self.new_spec)
        grow = min(room, self.replicas - self.new_spec)
        if grow <= 0:
            return False
        self.new_spec += grow
        self.timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", self.ns, self.new_name),
                          _("scales new ReplicaSet {rs} up to {replicas}").format(
                              rs=self.new_name, replicas=self.new_spec), "rollout")
        self.rs.scale(self.new_spec, t, "")
        self.record(t, _("new ReplicaSet up to {replicas}").format(replicas=self.new_spec))
        return True

    def _scale_down(self, t: float) -> bool:
        """reconcileOldReplicaSets: cleanupUnhealthyReplicas within maxScaledDown, then
        scaleDownOldReplicaSetsForRollingUpdate by (available of all) - minAvailable."""
        if not self.old:
            return False
        floor = self.replicas - self.budget.max_unavailable
        max_scaled_down = len(self.old) + self.new_spec - floor - (self.new_spec - self.new_available)
        if max_scaled_down <= 0:
            return False
        healthy = self.old_available(t)
        drop_sick = min(len(self.old) - healthy, max_scaled_down)
        drop_ok = min(len(self.old) - drop_sick, max(0, healthy + self.new_available - floor))
        drop = drop_sick + drop_ok
        if drop <= 0:
            return False
        victims, self.old = self.old[:drop], self.old[drop:]
        self.timeline.add(t, "deployment-controller", "scale", ref("ReplicaSet", self.ns, self.old_rs),
                          _("scales old ReplicaSet {rs} down to {replicas}").format(
                              rs=self.old_rs, replicas=len(self.old)), "rollout")
        for pod in victims:
            self._delete_old(pod, t)
        self.record(t, _("old ReplicaSet down to {replicas}").format(replicas=len(self.old)))
        return True

    def _delete_old(self, pod: Pod, t: float) -> None:
        self.timeline.add(t, "replicaset-controller", "delete-pod", ref("Pod", self.ns, pod.name),
                          _("deletes pod {pod} of old ReplicaSet {rs}").format(pod=pod.name, rs=self.old_rs),
                          "controllers")
        self.stop_old(pod, t, _("old ReplicaSet {rs} scaled down").format(rs=self.old_rs))

    def finish(self) -> None:
        if self.done:
            return
        name = f"Deployment/{self.obj.name}"
        if self.recreate:
            self.timeline.problem(name, _("the new pods never become available: the Deployment stays down"))
            return
        self.timeline.problem(name, _("the rollout stalls: new pods never become available; after "
                                      "progressDeadlineSeconds ({seconds} s) the Deployment reports "
                                      "Progressing=False (ProgressDeadlineExceeded) and old pods keep "
                                      "serving").format(seconds=self.deadline))
        if isinstance(self.deadline, int) and not isinstance(self.deadline, bool):
            # progress.go syncRolloutStatus: no progress for progressDeadlineSeconds since the
            # last change of the ReplicaSets' counts (deployment_util.go DeploymentTimedOut)
            self.timeline.add(self.progress_at + self.deadline, "deployment-controller", "condition",
                              ref("Deployment", self.ns, self.obj.name),
                              _("sets condition Progressing=False (reason ProgressDeadlineExceeded): "
                                "ReplicaSet {rs} has timed out progressing after progressDeadlineSeconds "
                                "{deadline}; `kubectl rollout status` fails; the controller does not roll "
                                "back").format(rs=self.new_name, deadline=self.deadline), "rollout")


class _Revision(StatefulSetController):
    """The StatefulSet's controller creating pods of the update revision."""

    def __init__(self, rolling: StatefulSetRollout, revision: str) -> None:
        super().__init__(rolling.world, rolling.obj)
        self.configure()
        self.revision = revision
        self.rolling = rolling

    def pod_ready(self, pod: Pod, t: float) -> None:
        self.rolling.available_after(pod, t, self.rolling.pod_available)

    def pod_stuck(self, pod: Pod, t: float) -> None:
        self.stuck.append(pod)


class StatefulSetRollout(Counted):
    """updateStatefulSet: the highest ordinal not yet updated is deleted, recreated with the
    update revision once gone, and the next one waits until it is Available."""

    def __init__(self, world: World, obj: Object, pods: list[Pod], timeline: Timeline, template: Any) -> None:
        super().__init__(world, obj, timeline)
        spec = mapping(obj.get("spec"))
        strategy = mapping(spec.get("updateStrategy"))
        self.kind = strategy.get("type") or "RollingUpdate"
        self.partition = count(mapping(strategy.get("rollingUpdate")).get("partition"), 0)
        self.live = sorted((p for p in pods if p.ordinal is not None and p.deleted_at is None),
                           key=lambda p: p.ordinal or 0)
        self.todo = [p for p in reversed(self.live) if (p.ordinal or 0) >= self.partition]
        self.kept = [p for p in reversed(self.live) if (p.ordinal or 0) < self.partition]
        self.revision = f"{obj.name}-{new_template_hash(obj, template)}"
        self.controller = _Revision(self, self.revision)
        self.old = len(self.live)
        self.new = 0
        self.available = sum(1 for p in self.live if p.ready_at is not None)
        self.current: Pod | None = None
        self.result = Rollout(f"StatefulSet/{obj.name}", self.kind, len(self.live), None, 1,
                              partition=self.partition)

    def start(self, t: float) -> None:
        self.step(t, _("start"))
        who = ref("StatefulSet", self.ns, self.obj.name)
        if self.kind == "OnDelete":
            self.timeline.add(t, "statefulset-controller", "update", who, _(
                "updateStrategy OnDelete: pods keep the old template until someone deletes them; each "
                "deleted pod comes back updated"), "rollout")
            self.done = True
            return
        for pod in self.kept:
            self.timeline.add(t, "statefulset-controller", "keep", ref("Pod", self.ns, pod.name),
                              _("{pod} keeps the old revision (ordinal < partition {partition})").format(
                                  pod=pod.name, partition=self.partition), "rollout")
        self.update_next(t)

    def update_next(self, t: float) -> None:
        if not self.todo:
            self.done = True
            self.timeline.add(t, "statefulset-controller", "complete", ref("StatefulSet", self.ns, self.obj.name),
                              _("rollout done: {new} updated, {old} kept below partition {partition}").format(
                                  new=self.new, old=self.old, partition=self.partition), "rollout")
            return
        pod = self.todo.pop(0)
        self.timeline.add(t, "statefulset-controller", "delete", ref("Pod", self.ns, pod.name),
                          _("deletes {pod} (highest ordinal not yet updated)").format(pod=pod.name), "rollout")
        self.retire(pod, t, _("rolling update"), _("{pod} deleted").format(pod=pod.name))
        self.world.at(pod.gone_at if pod.gone_at is not None else t, partial(self._recreate, pod))

    def _recreate(self, old: Pod, t: float) -> None:
        """processReplica creates the missing ordinal with the update revision."""
        self.current = old
        self.new += 1
        self.step(t, _("{pod} recreated").format(pod=old.name))
        if old.ordinal is not None:
            self.controller.create_ordinal(old.ordinal, t, _(" again with revision {revision}: the old "
                                                             "{pod} is gone").format(revision=self.revision,
                                                                                     pod=old.name))

    def pod_available(self, pod: Pod, t: float) -> None:
        if self.done or pod.deleted_at is not None:
            return
        self.available += 1
        self.step(t, (_("{pod} Available") if self.min_ready else _("{pod} Ready")).format(pod=pod.name))
        self.update_next(t)

    def finish(self) -> None:
        if not self.done and self.current is not None:
            self.timeline.problem(f"StatefulSet/{self.obj.name}", _(
                "the rollout stops at {pod}: the new pod never becomes Ready, so lower ordinals are not "
                "updated").format(pod=self.current.name))


class _DaemonPods(DaemonSetController):
    def __init__(self, rolling: DaemonSetRollout) -> None:
        super().__init__(rolling.world, rolling.obj)
        self.rolling = rolling

    def pod_ready(self, pod: Pod, t: float) -> None:
        self.rolling.available_after(pod, t, self.rolling.pod_available)


class DaemonSetRollout(Counted):
    """update.go rollingUpdate: with maxSurge, a new pod beside the old one on up to maxSurge
    nodes at once, the old one deleted once the new one is available; else the old pods of up
    to maxUnavailable nodes deleted, the new pod created once the old one is gone
    (daemon_controller.go syncNodes), the next node once it is available."""

    def __init__(self, world: World, obj: Object, pods: list[Pod], timeline: Timeline, template: Any) -> None:
        super().__init__(world, obj, timeline)
        spec = mapping(obj.get("spec"))
        strategy = mapping(spec.get("updateStrategy"))
        self.kind = strategy.get("type") or "RollingUpdate"
        rolling = mapping(strategy.get("rollingUpdate"))
        self.live = [p for p in pods if p.node is not None and p.deleted_at is None]
        self.budget = daemonset_budget(rolling.get("maxSurge"), rolling.get("maxUnavailable"), len(self.live)) \
            or Fenceposts(0, 1)
        self.revision = new_template_hash(obj, template)
        self.pods = _DaemonPods(self)
        self.waiting = list(self.live)                # old pods not yet replaced
        self.busy: dict[str, Pod] = {}                # node -> old pod being replaced
        self.old, self.new = len(self.live), 0
        self.available = sum(1 for p in self.live if p.ready_at is not None)
        self.result = Rollout(f"DaemonSet/{obj.name}", self.kind, len(self.live), self.budget.max_surge,
                              self.budget.max_unavailable)

    def start(self, t: float) -> None:
        self.step(t, _("start"))
        if self.kind == "OnDelete":
            self.timeline.add(t, "daemonset-controller", "update", ref("DaemonSet", self.ns, self.obj.name),
                              _("updateStrategy OnDelete: pods change only when deleted by hand"), "rollout")
            self.done = True
            return
        self.sync(t)

    def sync(self, t: float) -> None:
        slots = (self.budget.max_surge or self.budget.max_unavailable) - len(self.busy)
        who = ref("DaemonSet", self.ns, self.obj.name)
        for old in self.waiting[:max(slots, 0)]:
            self.waiting.remove(old)
            node = old.node or "?"
            self.busy[node] = old
            if self.budget.max_surge:
                self.timeline.add(t, "daemonset-controller", "surge", who, _(
                    "creates a new pod on {node} beside the old one (maxSurge {surge})").format(
                    node=node, surge=self.budget.max_surge), "rollout")
                self.new += 1
                self.step(t, _("new pod on {node}").format(node=node))
                self._create(node, t)
                continue
            self.timeline.add(t, "daemonset-controller", "delete", who, _(
                "deletes the old pod on {node} (maxUnavailable {unavailable})").format(
                node=node, unavailable=self.budget.max_unavailable), "rollout")
            self.retire(old, t, _("rolling update"), _("old pod deleted on {node}").format(node=node))
            self.world.at(old.gone_at if old.gone_at is not None else t, partial(self._created_after, node))
        if not self.waiting and not self.busy and not self.done:
            self.done = True

    def _created_after(self, node: str, t: float) -> None:
        self.new += 1
        self.step(t, _("new pod created on {node}").format(node=node))
        self._create(node, t)

    def _create(self, node_name: str, t: float) -> None:
        node: Node | None = next((n for n in self.world.nodes if n.name == node_name), None)
        if node is not None:
            self.pods.create_on(node, t, self.revision, generation=2)

    def pod_available(self, pod: Pod, t: float) -> None:
        old = self.busy.pop(pod.node or "?", None)
        if old is None or pod.deleted_at is not None:
            return
        self.available += 1
        if self.budget.max_surge:
            self.timeline.add(t, "daemonset-controller", "delete", ref("DaemonSet", self.ns, self.obj.name),
                              _("deletes the old pod on {node}: the new one is available").format(node=pod.node),
                              "rollout")
            self.retire(old, t, _("rolling update (the new pod is available)"),
                        _("new pod available on {node}; old one deleted").format(node=pod.node))
        else:
            self.step(t, _("new pod available on {node}").format(node=pod.node))
        self.sync(t)

    def finish(self) -> None:
        if not self.done and self.busy:
            nodes = ", ".join(sorted(self.busy))
            self.timeline.problem(f"DaemonSet/{self.obj.name}", _(
                "the rollout stops on {nodes}: the new pod never becomes available").format(nodes=nodes))


_KINDS: dict[str, Callable[[World, Object, list[Pod], Timeline, Any], Rolling]] = {"Deployment": DeploymentRollout, "StatefulSet": StatefulSetRollout,
                                     "DaemonSet": DaemonSetRollout}


def begin(world: World, obj: Object, pods: list[Pod], timeline: Timeline, template: Any = None) -> Rolling | None:
    """Start the rollout of `obj` at t=0 on the world's clock (None: not a kind that rolls
    out). `template` is the new pod template when it is known (`explain --diff`): the new
    ReplicaSet or revision is then named from it as at apply, and images already on a node
    are reused; without it the template is assumed changed and its images new. Run the world,
    then call `end`."""
    kind = _KINDS.get(obj.kind)
    if kind is None:
        return None
    if template is None:
        _images_are_new(world, obj)
    rolling = kind(world, obj, pods, timeline, template)
    timeline.rollouts.append(rolling.result)
    world.at(0.0, rolling.start)
    return rolling


def end(rollings: list[Rolling]) -> None:
    """After the world ran: report the rollouts that never completed."""
    for rolling in rollings:
        rolling.finish()


def _images_are_new(world: World, obj: Object) -> None:
    """The plain rollout scenario does not know the new template: its images are taken as
    new, so each node pulls them again (pkg/kubelet/images/image_manager.go EnsureImageExists)."""
    template = obj.pod_template
    images = {str(c.get("image") or "") for c, *__ in template.all_containers()} if template else set()
    for node in world.nodes:
        for image in images:
            node.images.pop(image, None)


def rollout(world: World, targets: list[Object], timeline: Timeline) -> None:
    """Scenario rollout: every Deployment, StatefulSet and DaemonSet of `targets` at once."""
    timeline.assume(_(PLAIN_ASSUMPTION))
    rollings = [r for obj in targets
                if (r := begin(world, obj, [p for p in world.pods if p.workload is obj], timeline)) is not None]
    world.run()
    end(rollings)
    if not rollings:
        timeline.problem("input", _("no Deployment, StatefulSet or DaemonSet to roll out"))
    timeline.pods = [p for p in world.pods if any(p.workload is o for o in targets)]
    timeline.services = list(world.services)
