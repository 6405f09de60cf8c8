"""`k8slint explain`: a deterministic dry-run of the control plane.

    explain(paths_or_graph, scenario="apply", object=None, replicas=None, nodes=None,
            cluster=None, namespace="default", kubernetes_version=None, fail=(),
            slow_start=0, node=None, window="2h") -> Timeline

Reads the same Graph as the rules (and their error findings, which become admission
rejections; `Timeline.check` keeps what `check` says about the same objects); never changes
it. Each fact cites the Kubernetes source beside the code that uses it (events.py maps every
event to one); every number that depends on the environment is listed in
`Timeline.assumptions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import InputError
from ..i18n import _
from .timeline import CheckSummary, Timeline

__all__ = ["SCENARIOS", "check_summary", "explain"]

if TYPE_CHECKING:
    from ..graph import Graph, Object
    from ..model import Finding
    from .controllers import Controller
    from .world import World

SCENARIOS = ("apply", "delete", "rollout", "scale", "drain", "cron")


def explain(paths_or_graph: Graph | str | Sequence[str], scenario: str = "apply", *,
            object: str | None = None, replicas: int | None = None, nodes: int | None = None,
            cluster: str | None = None, namespace: str = "default",
            kubernetes_version: tuple[int, int] | None = None, text: str | None = None,
            fail: Iterable[str] = (), slow_start: float = 0.0, node: str | None = None,
            window: str = "2h") -> Timeline:
    """Simulate `scenario` on the manifests (paths, a Graph, or `text`)."""
    from ..k8s.versions import LATEST
    from . import cluster as cluster_mod
    from .apply import APPLY_TIME, simulate_apply
    from .failures import parse_fail
    from .kubelet import Faults
    from .world import World

    if scenario not in SCENARIOS:
        raise InputError(_("unknown scenario {scenario}; one of {scenarios}").format(
            scenario=repr(scenario), scenarios=", ".join(SCENARIOS)))
    if scenario == "scale" and replicas is None:
        raise InputError(_("scenario scale needs --replicas N"))
    if scenario == "drain" and not node:
        raise InputError(_("scenario drain needs --node NAME"))
    if slow_start < 0:
        raise InputError(_("--slow-start must be 0 or more seconds"))
    version = kubernetes_version or LATEST
    faults = Faults(parse_fail(fail), float(slow_start))
    graph, findings = _load(paths_or_graph, text, namespace, version)
    _check_fail_names(graph, faults.fail)
    if cluster:
        node_list, notes = cluster_mod.nodes_from_file(cluster)
    else:
        node_list, notes = cluster_mod.default_nodes(nodes or cluster_mod.DEFAULT_NODES), []
    timeline = Timeline(scenario)
    timeline.inputs = sorted({o.file for o in graph.objects})
    described = ", ".join(n.describe() for n in node_list)
    timeline.assume(_("Cluster: {nodes}").format(nodes=described) if cluster else
                    _("Cluster: {nodes} (default: worker nodes, no taints, max 110 pods each)").format(
                        nodes=described))
    for note in notes:
        timeline.assume(note)
    _faults_assumed(timeline, faults)
    timeline.check = check_summary(findings)
    world = World(node_list, timeline, faults)
    world.graph = graph
    world.version = version
    controllers = simulate_apply(graph, world, version, findings or [])
    if scenario == "apply":
        return _finish(timeline, graph, world)
    after = Timeline(scenario, assumptions=list(timeline.assumptions), problem_list=list(timeline.problem_list))
    after.objects, after.edges, after.check, after.inputs = \
        timeline.objects, timeline.edges, timeline.check, timeline.inputs
    world.timeline = after
    _scenario(scenario, world, graph, controllers, after, object, replicas, node, window, APPLY_TIME)
    return _finish(after, graph, world)


def _scenario(scenario: str, world: World, graph: Graph, controllers: dict[int, Controller],
              after: Timeline, wanted: str | None, replicas: int | None, node: str | None,
              window: str, start: object) -> None:
    from datetime import datetime

    from . import cron, drain, scenarios

    if scenario == "cron":
        assert isinstance(start, datetime)
        cron.cron(_targets(graph, wanted), start, cron.parse_window(window), after)
        return
    world.rebase()
    if scenario == "drain" and node:
        drain.drain(world, node, controllers, after)
        return
    targets = _targets(graph, wanted)
    if scenario == "delete":
        scenarios.delete(world, targets, after)
    elif scenario == "rollout":
        from .apply import object_tree
        from .wiring import build_edges

        scenarios.rollout(world, targets, after)
        after.objects = object_tree(world)        # the new ReplicaSets and their pods too
        build_edges(world, after)
    elif replicas is not None:
        scenarios.scale(world, targets, replicas, after, controllers)


def _check_fail_names(graph: Graph, fail: Mapping[str, int]) -> None:
    """--fail must name a container of the input (a typo would silently change nothing)."""
    names = {str(c.get("name")) for o in graph.objects if o.pod_template is not None
             for c, *__ in o.pod_template.all_containers()}
    missing = sorted(set(fail) - names)
    if missing:
        if not names:
            raise InputError(_("--fail {names}: no container of that name in the input "
                               "(containers: none)").format(names=", ".join(missing)))
        raise InputError(_("--fail {names}: no container of that name in the input "
                           "(containers: {containers})").format(
            names=", ".join(missing), containers=", ".join(sorted(names))))


def _faults_assumed(timeline: Timeline, faults: object) -> None:
    from .failures import FAIL_AFTER_SECONDS, HORIZON_SECONDS
    from .kubelet import Faults

    assert isinstance(faults, Faults)
    for name, code in sorted(faults.fail.items()):
        timeline.assume(_("--fail {name}={code}: container {name} exits with code {code} "
                          "{seconds} s after each start.").format(
            name=name, code=code, seconds=f"{FAIL_AFTER_SECONDS:g}"))
    if faults.slow_start:
        timeline.assume(_("--slow-start {seconds}: every container's app answers probes only "
                          "{seconds} s after it starts.").format(seconds=f"{faults.slow_start:g}"))
    if faults.fail or faults.slow_start:
        timeline.assume(_("Crash loops are followed for {seconds} s after the pod starts.").format(
            seconds=f"{HORIZON_SECONDS:g}"))


def check_summary(findings: Sequence[Finding] | None) -> CheckSummary:
    """What `check` says about the input (its errors and warnings, with file and line), as
    the walk-through shows it; None: the rules could not run."""
    if findings is None:
        return CheckSummary(ran=False)
    summary = CheckSummary(ran=True)
    for f in sorted(findings, key=lambda f: f.sort_key()):
        severity = str(f.severity)
        if severity not in ("error", "warning"):
            continue
        if severity == "error":
            summary.errors += 1
        else:
            summary.warnings += 1
        summary.findings.append({"file": f.file, "line": f.line, "severity": severity, "rule": f.rule,
                                 "object": f"{f.object.kind}/{f.object.name}" if f.object else None,
                                 "message": f.message})
    return summary


def _finish(timeline: Timeline, graph: Graph, world: World) -> Timeline:
    """Point every problem at the file and line of the input object it comes from."""
    by_name: dict[str, Object] = {}
    for obj in graph.objects:
        by_name.setdefault(f"{obj.kind}/{obj.name}", obj)
    for pod in world.pods:
        if pod.workload is not None:
            by_name.setdefault(f"Pod/{pod.name}", pod.workload)
            by_name.setdefault(f"{pod.owner_kind}/{pod.owner_name}", pod.workload)
    for problem in timeline.problem_list:
        if problem.object.startswith("File/"):
            problem.file = problem.object[len("File/"):]
            problem.line = 1
            continue
        found = by_name.get(problem.object)
        if found is not None:
            problem.file, problem.line = found.file, found.locate()[0]
    return timeline


def _load(paths_or_graph: Graph | str | Sequence[str], text: str | None, namespace: str,
          version: tuple[int, int]) -> tuple[Graph, list[Finding]]:
    """The graph and the rule findings (their errors become admission rejections). A rule
    that crashes is one finding (the engine's guard), so the rules always run."""
    from ..graph import Graph

    if isinstance(paths_or_graph, Graph):
        return paths_or_graph, []
    from ..api import check, check_text
    from ..config import Config

    config = Config(namespace=namespace, kubernetes_version=version)
    paths: list[str] = [] if text is not None else \
        ([paths_or_graph] if isinstance(paths_or_graph, str) else list(paths_or_graph))
    result = check_text(text, config) if text is not None else check(paths, config)
    if result.io_errors:
        raise OSError("; ".join(result.io_errors))
    return result.graph, list(result.findings)


def _targets(graph: Graph, wanted: str | None) -> list[Object]:
    """The objects a scenario acts on: --object KIND/NAME, or every object of the input."""
    if not wanted:
        return list(graph.objects)
    kind, __, name = wanted.partition("/")
    found = [o for o in graph.objects if o.kind.lower() == kind.lower() and o.name == name]
    if not found:
        raise InputError(_("--object {wanted}: no such object in the input").format(wanted=wanted))
    return found
