"""`k8slint explain --diff REF`: the timeline of a change, driven through the explain simulator.

The old manifests are simulated to their steady state (the simulator's apply), and so are the
new ones (to know the new pods: names, nodes, images). The change then happens at t=0 on the
old world: refused updates are rejected, changed pod templates roll out with the simulator's
own rollout (k8slint.simulate.rollout.begin, given the new template, so the new ReplicaSet and
its pods are named as the apply of the new manifests names them, and images already on a
node are reused), and every other statement of `k8slint diff` becomes an event. The
rendering adds the old and the new pods of each changed workload side by side.
"""

from __future__ import annotations

import json
from typing import Any

from ..config import Config
from ..i18n import _
from ..k8s.versions import LATEST
from ..simulate import cluster as cluster_mod
from ..simulate import rollout as rollout_mod
from ..simulate.apply import simulate_apply
from ..simulate.timeline import Pod, Timeline, ref
from ..simulate.world import World
from .analyse import analyse
from .model import MODIFIED, REMOVED, DiffResult, ObjectChange
from .read import Side, read_git, read_paths

_ACTOR = {"Deployment": "deployment-controller", "StatefulSet": "statefulset-controller",
          "DaemonSet": "daemonset-controller", "ReplicaSet": "replicaset-controller", "Job": "job-controller",
          "CronJob": "cronjob-controller", "Service": "endpointslice-controller", "Pod": "kubelet"}


class DiffTimeline:
    """The simulator's Timeline of the change plus, per changed workload, its pods before and after."""

    def __init__(self, timeline: Timeline, result: DiffResult, pairs: list[dict[str, Any]]) -> None:
        self.timeline = timeline
        self.result = result
        self.pairs = pairs


def explain_diff(ref_name: str, paths: list[str], config: Config, nodes: int | None = None,
                 cluster: str | None = None) -> DiffTimeline:
    """The change from git revision `ref_name` to the working tree, simulated."""
    from ..api import check
    from ..simulate import check_summary  # the explain walk-through's "what check says"

    old = read_git(ref_name, paths, config)
    new = read_paths(paths, config, "working tree")
    explained = simulate_diff(old, new, config, nodes, cluster)
    explained.timeline.check = check_summary(check(paths, config).findings)
    return explained


def _world(side: Side, config: Config, nodes: int | None, cluster: str | None) -> tuple[World, list[str]]:
    if cluster:
        node_list, notes = cluster_mod.nodes_from_file(cluster)
    else:
        node_list, notes = cluster_mod.default_nodes(nodes or cluster_mod.DEFAULT_NODES), []
    world = World(node_list, Timeline("apply"))
    world.graph = side.graph
    world.version = config.kubernetes_version or LATEST
    simulate_apply(side.graph, world, world.version, [])
    return world, notes


def simulate_diff(old: Side, new: Side, config: Config, nodes: int | None = None,
                  cluster: str | None = None) -> DiffTimeline:
    result = analyse(old, new, config)
    before, notes = _world(old, config, nodes, cluster)
    after, __ = _world(new, config, nodes, cluster)
    timeline = Timeline("diff", assumptions=list(before.timeline.assumptions))
    timeline.inputs = sorted({o.file for o in new.graph.objects})
    for note in notes:
        timeline.assume(note)
    timeline.assume(_("Diff: the old manifests run in their steady state when the new ones are applied at t=0; "
                      "new pods are scheduled and started as at apply (each node pulls a new image once)."))
    before.rebase()                       # the old world's steady state is t <= 0
    before.timeline = timeline            # what the controllers and kubelets do now goes here
    rollings: list[rollout_mod.Rolling] = []
    pairs: list[dict[str, Any]] = []
    for change in result.changes:
        _change(change, before, timeline, rollings)
        if change.old is not None and change.new is not None and change.new.pod_template is not None \
                and change.change == MODIFIED and not change.refused:
            old_pods = [p for p in before.pods if p.workload is change.old]
            new_pods = [p for p in after.pods if p.workload is change.new]
            if old_pods or new_pods:
                pairs.append({"object": change.title, "old": [_pod(p) for p in old_pods],
                              "new": [_pod(p) for p in new_pods]})
    before.run()
    rollout_mod.end(rollings)
    changed = {id(o) for c in result.changes for o in (c.old, c.new) if o is not None}
    timeline.pods = [p for p in before.pods if id(p.workload) in changed]
    timeline.services = list(after.services)
    return DiffTimeline(timeline, result, pairs)


def _change(change: ObjectChange, world: World, timeline: Timeline, rollings: list[rollout_mod.Rolling]) -> None:
    obj = change.obj
    who = ref(obj.kind, obj.namespace, obj.name)
    for statement in change.statements:
        finding = statement.finding
        first = finding.message.split(". ", 1)[0]
        if statement.risk == "refused":
            timeline.add(0, "kube-apiserver", "reject", who,
                         _("rejects the update of {object}: {reason}").format(object=change.title, reason=first),
                         "admission")
            timeline.problem(change.title, f"{finding.message} [{finding.rule}]")
        elif finding.rule != "change-rollout" or _rollout(change, world, timeline, rollings) is False:
            actor = _ACTOR.get(obj.kind, "kube-apiserver")
            if change.change == REMOVED:
                actor = "garbage-collector"
            timeline.add(0, actor, "change", who, f"{first} [{finding.rule}]", "rollout")
            if statement.risk == "high":
                timeline.problem(change.title, f"{finding.message} [{finding.rule}]")


def _rollout(change: ObjectChange, world: World, timeline: Timeline, rollings: list[rollout_mod.Rolling]) -> bool:
    """Start the simulator's rollout of the new template over the old pods (it runs with the
    world's clock); False when it has none for this kind (the statement is then shown as an
    event)."""
    new, old = change.new, change.old
    if new is None or old is None:
        return False
    pods = [p for p in world.pods if p.workload is old]
    if not pods:
        return False
    rolling = rollout_mod.begin(world, new, pods, timeline, template=new.get("spec", "template"))
    if rolling is None:
        return False
    rollings.append(rolling)
    return True


def _pod(pod: Pod) -> dict[str, Any]:
    images = [c.get("image", "") for c in pod.spec.get("containers") or [] if isinstance(c, dict)]
    return {"name": pod.name, "node": pod.node, "images": images,
            "ready_at": pod.ready_at, "pending": pod.pending_reason}


# --- rendering ------------------------------------------------------------------------------

def render(fmt: str, explained: DiffTimeline, *, width: int = 80, color: bool = False, verbose: bool = False,
           group_by: str = "time") -> str:
    """The explain renderer of `fmt` for the timeline, with the diff's own sections added."""
    from ..simulate.render import render as render_timeline

    text = render_timeline(fmt, explained.timeline, width=width, color=color, verbose=verbose, group_by=group_by)
    if fmt == "json":
        data = json.loads(text)
        data["diff"] = {"changes": [c.as_dict() for c in explained.result.changes], "pods": explained.pairs}
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "markdown":
        return _pairs_markdown(explained) + text
    if fmt == "human":
        return _pairs_text(explained, width) + text
    return text                                   # mermaid, html: the timeline alone


def _side(pods: list[dict[str, Any]], i: int, images: bool = True) -> str:
    if i >= len(pods):
        return ""
    pod = pods[i]
    where = pod["node"] or (_("Pending: {reason}").format(reason=pod["pending"]) if pod["pending"]
                            else _("unscheduled"))
    return _("{pod} on {node}").format(pod=pod["name"], node=where) + (f" ({', '.join(pod['images'])})" if images
                                                                       else "")


def _images(pods: list[dict[str, Any]]) -> str:
    return ", ".join(sorted({image for pod in pods for image in pod["images"]})) or "-"


def _pairs_text(explained: DiffTimeline, width: int = 80) -> str:
    """Per changed workload: its pods before and after, one pair a line, images once."""
    from .report import headline

    out = [_("k8slint explain --diff: {old} -> {new}: {headline}").format(
        old=explained.result.old_label, new=explained.result.new_label, headline=headline(explained.result))]
    for pair in explained.pairs:
        out.append(_("{object}: old pods -> new pods").format(object=pair["object"]))
        images = _("  images: {old} -> {new}").format(old=_images(pair["old"]), new=_images(pair["new"]))
        if len(images) > width:
            images = _("  images before: {old}\n  images after:  {new}").format(old=_images(pair["old"]),
                                                                               new=_images(pair["new"]))
        out.append(images)
        for i in range(max(len(pair["old"]), len(pair["new"]))):
            left, right = _side(pair["old"], i, False) or "-", _side(pair["new"], i, False) or "-"
            line = f"  {left} -> {right}"
            out.append(line if len(line) <= width else f"  {left}\n    -> {right}")
    return "\n".join(out) + "\n"


def _pairs_markdown(explained: DiffTimeline) -> str:
    from .report import headline

    out = [_("### k8slint explain --diff: `{old}` → `{new}`").format(old=explained.result.old_label,
                                                                     new=explained.result.new_label), "",
           f"**{headline(explained.result)}**", ""]
    for pair in explained.pairs:
        out += [f"**{pair['object']}**", "", _("| old pods | new pods |"), "|---|---|"]
        for i in range(max(len(pair["old"]), len(pair["new"]))):
            out.append(f"| {_side(pair['old'], i)} | {_side(pair['new'], i)} |")
        out.append("")
    return "\n".join(out) + "\n"
