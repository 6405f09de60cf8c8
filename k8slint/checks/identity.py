"""Object identity: the same object defined twice; a namespace on a cluster-scoped kind."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine import Context, check
from ..graph import Graph
from ..model import Hit


@check("object-duplicate", scope="graph")
def object_duplicate(graph: Graph, ctx: Context) -> Iterator[Hit]:
    """(group, kind, effective namespace, name) twice: the later apply overwrites the first."""
    for obj in graph.objects:
        same = graph.same_identity(obj)
        if len(same) < 2 or same[0] is obj:
            continue
        first = same[0]
        line = first.locate(("metadata", "name"))[0]
        where = f"namespace {obj.namespace}" if obj.namespace else "the cluster"
        yield obj.finding(("metadata", "name"), f"{obj.kind} {obj.name} in {where} is already defined at "
                          f"{first.file}:{line}: applying both, the later one silently replaces the "
                          "first", at="value")


@check("namespace-on-cluster-kind", scope="graph")
def namespace_on_cluster_kind(graph: Graph, ctx: Context) -> Iterator[Hit]:
    for obj in graph.objects:
        if obj.namespace is not None:           # namespaced: the common case, skipped at once
            continue
        namespace = obj.metadata.get("namespace")
        if isinstance(namespace, str) and namespace:
            yield obj.finding(("metadata", "namespace"), f"{obj.kind} is cluster-scoped: "
                              f"metadata.namespace {namespace!r} does not apply to it (the API server "
                              "rejects or ignores it)", at="value", fix="Remove metadata.namespace.")
