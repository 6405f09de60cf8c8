"""`k8slint explain`: a deterministic dry-run of the control plane (issue 7).

    explain(paths_or_graph, scenario="apply", object=None, replicas=None, nodes=None,
            cluster=None, namespace="default", kubernetes_version=None) -> Timeline

Reads the same Graph as the rules (and their error findings, which become admission
rejections); never changes it. Each fact cites the Kubernetes source beside the code that
uses it; every number that depends on the environment is listed in `Timeline.assumptions`.
"""

from __future__ import annotations

from typing import Any

from .timeline import Timeline

SCENARIOS = ("apply", "delete", "rollout", "scale")


def explain(paths_or_graph: Any, scenario: str = "apply", *, object: str | None = None,
            replicas: int | None = None, nodes: int | None = None, cluster: str | None = None,
            namespace: str = "default", kubernetes_version: tuple[int, int] | None = None,
            text: str | None = None) -> Timeline:
    """Simulate `scenario` on the manifests (paths, a Graph, or `text`)."""
    from ..k8s.versions import LATEST
    from . import cluster as cluster_mod
    from .apply import simulate_apply
    from .world import World

    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; one of {', '.join(SCENARIOS)}")
    version = kubernetes_version or LATEST
    graph, findings = _load(paths_or_graph, text, namespace, version)
    if cluster:
        node_list, notes = cluster_mod.nodes_from_file(cluster)
    else:
        node_list, notes = cluster_mod.default_nodes(nodes or cluster_mod.DEFAULT_NODES), []
    timeline = Timeline(scenario)
    timeline.assume("Cluster: " + ", ".join(n.describe() for n in node_list) +
                    ("" if cluster else " (default: worker nodes, no taints, max 110 pods each)"))
    for note in notes:
        timeline.assume(note)
    if findings is None:
        timeline.assume("The rules could not be loaded, so admission rejections are not shown.")
        findings = []
    world = World(node_list, timeline)
    world.graph = graph
    controllers = simulate_apply(graph, world, version, findings)
    if scenario == "apply":
        return timeline
    from . import scenarios
    targets = _targets(graph, object)
    after = Timeline(scenario, assumptions=list(timeline.assumptions), problems=list(timeline.problems))
    after.objects, after.edges = timeline.objects, timeline.edges
    if scenario == "delete":
        scenarios.delete(world, targets, after)
    elif scenario == "rollout":
        scenarios.rollout(world, targets, controllers, after)
    else:
        if replicas is None:
            raise ValueError("scenario scale needs --replicas N")
        scenarios.scale(world, targets, controllers, replicas, after)
    return after


def _load(paths_or_graph: Any, text: str | None, namespace: str,
          version: tuple[int, int]) -> tuple[Any, list[Any] | None]:
    """The graph and the rule findings (their errors become admission rejections); None
    when the rules could not run."""
    from .. import graph as graph_mod
    from .. import loader, parallel
    from ..graph import Graph

    if isinstance(paths_or_graph, Graph):
        return paths_or_graph, []
    from ..api import check, check_text
    from ..config import Config

    config = Config(namespace=namespace, kubernetes_version=version)
    paths: list[str] = [] if text is not None else \
        ([paths_or_graph] if isinstance(paths_or_graph, str) else list(paths_or_graph))
    try:
        result = check_text(text, config) if text is not None else check(paths, config)
    except Exception:  # noqa: BLE001 - a broken rule must not stop the simulation
        result = None
    if result is not None:
        if result.io_errors:
            raise OSError("; ".join(result.io_errors))
        return result.graph, list(result.findings)
    if text is not None:
        loaded = loader.LoadResult()
        source = loader.Source("-", text)
        loaded.sources.append(source)
        loader.parse_source(source)
    else:
        loaded = parallel.load(paths)
        if loaded.io_errors:
            raise OSError("; ".join(loaded.io_errors))
    graph, _ = graph_mod.build(loaded, namespace)
    return graph, None


def _targets(graph: Any, wanted: str | None) -> list[Any]:
    """The objects a scenario acts on: --object KIND/NAME, or every object of the input."""
    if not wanted:
        return list(graph.objects)
    kind, _, name = wanted.partition("/")
    found = [o for o in graph.objects if o.kind.lower() == kind.lower() and o.name == name]
    if not found:
        raise ValueError(f"--object {wanted}: no such object in the input")
    return found
