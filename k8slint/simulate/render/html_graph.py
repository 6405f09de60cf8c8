"""The object graph of the HTML page: nodes (objects of the input and the ones the
controllers create, pods of one owner as one node) and edges, laid out in columns that read
left to right: autoscaler -> workload -> ReplicaSet/Job -> Pods <- Service <- Ingress, with
the objects pods read (ConfigMaps, Secrets, PVCs) beside the Services.

Node ids are the `Kind/namespace/name` (pods: `Pods/namespace/OwnerKind/OwnerName`) of
`Timeline.edges`; the SVG only ever uses their index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..timeline import Pod, Timeline

# Column of each kind; the columns no object uses are dropped.
COLUMNS: dict[str, int] = {
    "HorizontalPodAutoscaler": 0, "VerticalPodAutoscaler": 0, "CronJob": 0,
    "Deployment": 1, "StatefulSet": 1, "DaemonSet": 1, "ReplicationController": 1,
    "ReplicaSet": 2, "Job": 2, "PodDisruptionBudget": 2,
    "Pods": 3, "Pod": 3,
    "Service": 4, "ConfigMap": 4, "Secret": 4, "PersistentVolumeClaim": 4, "ServiceAccount": 4,
    "Ingress": 5, "Gateway": 5, "HTTPRoute": 5, "GRPCRoute": 5, "NetworkPolicy": 5,
}
OTHER_COLUMN = 4
# Colour family of each kind (CSS class g-<family>).
FAMILIES: dict[str, str] = {
    "HorizontalPodAutoscaler": "scale", "VerticalPodAutoscaler": "scale", "PodDisruptionBudget": "scale",
    "Deployment": "work", "StatefulSet": "work", "DaemonSet": "work", "ReplicationController": "work",
    "CronJob": "work", "Job": "work", "ReplicaSet": "work",
    "Pods": "pods", "Pod": "pods",
    "Service": "net", "Ingress": "net", "Gateway": "net", "HTTPRoute": "net", "GRPCRoute": "net",
    "NetworkPolicy": "net",
    "ConfigMap": "conf", "Secret": "conf", "PersistentVolumeClaim": "conf", "ServiceAccount": "conf",
}
FAMILY_ORDER = ("work", "pods", "net", "scale", "conf", "other")
NODE_W, NODE_H, POD_LINE = 160, 50, 15
COL_W, GAP, PAD = 230, 22, 12
NARROW_NODE_W, NARROW_GAP, NARROW_BAND = 160, 14, 34
SHOWN_PODS = 3


@dataclass
class Node:
    id: str
    kind: str
    namespace: str
    name: str
    pods: list[Pod] = field(default_factory=list)
    column: int = 0
    height: float = NODE_H

    @property
    def family(self) -> str:
        return FAMILIES.get(self.kind, "other")


@dataclass
class Edge:
    source: int
    target: int
    label: str


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]


@dataclass
class Layout:
    """Where each node sits (x, y of its top left corner) in a picture of width x height."""

    places: list[tuple[float, float]]
    width: float
    height: float
    node_width: float


def build(timeline: Timeline) -> Graph:
    nodes: dict[str, Node] = {}

    def add(node_id: str) -> Node:
        if node_id not in nodes:
            kind, _, rest = node_id.partition("/")
            namespace, _, name = rest.partition("/")
            if kind == "Pods":
                name = name.partition("/")[2]
            nodes[node_id] = Node(node_id, kind, namespace, name)
        return nodes[node_id]

    def visit(obj: dict[str, Any], parent: dict[str, Any] | None) -> None:
        kind, ns, name = str(obj.get("kind")), str(obj.get("namespace") or ""), str(obj.get("name"))
        if kind == "Pod" and parent is not None:
            add(f"Pods/{ns}/{parent.get('kind')}/{parent.get('name')}")
        else:
            add(f"{kind}/{ns}/{name}")
        for child in obj.get("children") or []:
            if isinstance(child, dict):
                visit(child, obj)

    for obj in timeline.objects:
        visit(obj, None)
    edges = []
    for source, target, label in timeline.edges:
        add(source), add(target)
        edges.append((source, target, label))
    for pod in timeline.pods:
        group = nodes.get(f"Pods/{pod.namespace}/{pod.owner_kind}/{pod.owner_name}")
        if group is not None:
            group.pods.append(pod)
    index = {node_id: i for i, node_id in enumerate(nodes)}
    graph = Graph(list(nodes.values()), [Edge(index[s], index[t], label) for s, t, label in edges])
    _columns(graph)
    return graph


def _columns(graph: Graph) -> None:
    """Each node's column by its kind (empty columns dropped) and its height."""
    owned = {e.target for e in graph.edges if graph.nodes[e.source].kind == "CronJob"}
    raw = [1 if n.kind == "Job" and i not in owned else COLUMNS.get(n.kind, OTHER_COLUMN)
           for i, n in enumerate(graph.nodes)]      # a Job of the input sits with the workloads
    used = sorted(set(raw))
    for node, column in zip(graph.nodes, raw, strict=True):
        node.column = used.index(column)
        shown = min(len(node.pods), SHOWN_PODS) + (1 if len(node.pods) > SHOWN_PODS else 0)
        node.height = NODE_H + POD_LINE * shown


def _stacks(graph: Graph) -> dict[int, list[int]]:
    """Node indices per column, the families in a fixed order (Services above ConfigMaps)."""
    stacks: dict[int, list[int]] = {}
    for i, node in enumerate(graph.nodes):
        stacks.setdefault(node.column, []).append(i)
    linked = {i for e in graph.edges for i in (e.source, e.target)}
    for column in stacks.values():
        column.sort(key=lambda i: (FAMILY_ORDER.index(graph.nodes[i].family), i not in linked))
    return stacks


def wide(graph: Graph) -> Layout:
    """Columns left to right, each stacked and centred on the tallest."""
    stacks = _stacks(graph)
    places = [(0.0, 0.0)] * len(graph.nodes)
    heights = {c: sum(graph.nodes[i].height for i in ns) + GAP * (len(ns) - 1) for c, ns in stacks.items()}
    tallest = max(heights.values(), default=NODE_H)
    for column, stack in stacks.items():
        y = PAD + (tallest - heights[column]) / 2
        for i in stack:
            places[i] = (PAD + column * COL_W, y)
            y += graph.nodes[i].height + GAP
    width = PAD * 2 + (len(stacks) - 1) * COL_W + NODE_W if stacks else 2 * PAD
    return Layout(places, width, tallest + 2 * PAD, NODE_W)


def narrow(graph: Graph) -> Layout:
    """For a phone: the columns become bands top to bottom, two nodes side by side; a node
    goes to the side of the nodes above it that it is linked to, so edges run straight."""
    neighbours: dict[int, set[int]] = {}
    for e in graph.edges:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    slots: dict[int, float] = {}
    places = [(0.0, 0.0)] * len(graph.nodes)
    y: float = PAD

    def preferred(i: int) -> float:
        placed = [slots[n] for n in neighbours.get(i, ()) if n in slots]
        if placed:
            return round(sum(placed) / len(placed) * 2) / 2
        return 0.5 if i in neighbours else 1.0     # a node without edges keeps out of the way

    for _, stack in sorted(_stacks(graph).items()):
        for k in range(0, len(stack), 2):
            line = stack[k:k + 2]
            if len(line) == 2:
                line.sort(key=preferred)
                chosen = [0.0, 1.0]
            else:
                chosen = [preferred(line[0])]
            for i, slot in zip(line, chosen, strict=True):
                slots[i] = slot
                places[i] = (PAD + slot * (NARROW_NODE_W + NARROW_GAP), y)
            y += max(graph.nodes[i].height for i in line) + NARROW_BAND
    return Layout(places, 2 * PAD + 2 * NARROW_NODE_W + NARROW_GAP, y - NARROW_BAND + PAD, NARROW_NODE_W)


def edge_path(graph: Graph, layout: Layout, edge: Edge) -> tuple[str, float, float]:
    """SVG path of an edge and the point for its label: side to side when the two nodes do
    not overlap horizontally, else bottom to top."""
    w = layout.node_width
    (ax, ay), (bx, by) = layout.places[edge.source], layout.places[edge.target]
    ah, bh = graph.nodes[edge.source].height, graph.nodes[edge.target].height
    if ax + w <= bx or bx + w <= ax:
        forward = bx > ax
        x1, x2 = (ax + w, bx) if forward else (ax, bx + w)
        y1, y2 = ay + ah / 2, by + bh / 2
        bend = (x2 - x1) / 2
        path = f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        return path, (x1 + x2) / 2, (y1 + y2) / 2 - 4
    down = by > ay
    x1, x2 = ax + w / 2, bx + w / 2
    y1, y2 = (ay + ah, by) if down else (ay, by + bh)
    bend = (y2 - y1) / 2
    path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} {x2:.0f},{y2:.0f}"
    return path, (x1 + x2) / 2 + 6, (y1 + y2) / 2 + 4
