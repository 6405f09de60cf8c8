"""The object graph for the mermaid picture: who points at whom, after the apply.

Ingress -> Service -> pods <- ReplicaSet <- Deployment; pods -> ConfigMap/Secret/PVC they
mount or read; HPA -> its target; PDB and NetworkPolicy -> the pods they select. The
edges come from the shared graph queries (references_from, selected_by) and from what the
simulated controllers created.
"""

from __future__ import annotations

from typing import Any

from ..i18n import _
from .timeline import Timeline
from .world import World

Node = tuple[str, str, str]          # (kind, namespace, name)

MOUNT_KINDS = ("ConfigMap", "Secret", "PersistentVolumeClaim")


def pods_node(owner_kind: str, namespace: str, owner: str) -> Node:
    return ("Pods", namespace, f"{owner_kind}/{owner}")


def build_edges(world: World, timeline: Timeline) -> None:
    """Fill timeline.edges with (from, to, label) over nodes named `Kind/namespace/name`."""
    graph = world.graph
    if graph is None:
        return
    edges: list[tuple[str, str, str]] = []

    def add(a: Node, b: Node, label: str) -> None:
        edge = (_id(a), _id(b), label)
        if edge not in edges:
            edges.append(edge)

    groups: dict[int, Node] = {}
    for pod in world.pods:
        owner_kind = pod.owner.get("kind") or "Pod"
        owner = pod.owner.get("name") or pod.name
        groups[id(pod)] = pods_node(owner_kind, pod.namespace, owner)
    for (kind, ns, name), kids in world.children.items():
        for kid in kids:
            child: Node = (kid["kind"], ns, kid["name"])
            if kid["kind"] == "Pod":
                child = pods_node(kind, ns, name)
            add((kind, ns, name), child, _("creates") if kid["kind"] != "Pod" else _("owns"))
    for svc in world.services:
        for pod in world.pods:
            if pod.name in svc.endpoints:
                add(("Service", svc.namespace, svc.name), groups[id(pod)], _("endpoints"))
    for obj in graph.objects:
        ns = obj.namespace or ""
        here: Node = (obj.kind, ns, obj.name)
        refs = _references(graph, obj)
        if obj.kind == "Ingress":
            for r in refs:
                if r.kind == "Service":
                    add(here, ("Service", ns, r.name), _("routes to"))
        elif obj.kind == "HorizontalPodAutoscaler":
            for r in refs:
                add(here, (r.kind, ns, r.name), _("scales"))
        elif obj.kind in ("PodDisruptionBudget", "NetworkPolicy"):
            for workload in _selected(graph, obj):
                for pod in world.pods:
                    if pod.workload is workload:
                        add(here, groups[id(pod)], _("protects") if obj.kind == "PodDisruptionBudget" else _("applies to"))
        elif obj.pod_template is not None:
            mine = [groups[id(p)] for p in world.pods if p.workload is obj]
            for r in refs:
                if r.kind in MOUNT_KINDS:
                    for group in mine[:1]:
                        add(group, (r.kind, ns, r.name), _("mounts") if "volumes" in r.path else _("reads"))
    timeline.edges = edges


def _references(graph: Any, obj: Any) -> list[Any]:
    query = getattr(graph, "references_from", None)
    return list(query(obj)) if query else []


def _selected(graph: Any, obj: Any) -> list[Any]:
    query = getattr(graph, "selected_by", None)
    return list(query(obj)) if query else []


def _id(node: Node) -> str:
    return "/".join(node)
