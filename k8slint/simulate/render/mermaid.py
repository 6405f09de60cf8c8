"""`k8slint explain --format mermaid`: a flowchart of the objects (renders on GitHub)."""

from __future__ import annotations

import re

from ...i18n import _
from ..timeline import Pod, Timeline

_SHAPES = {"Pods": ("([", "])"), "Service": ("{{", "}}"), "Ingress": ("[/", "/]"),
           "ConfigMap": ("[(", ")]"), "Secret": ("[(", ")]"), "PersistentVolumeClaim": ("[(", ")]")}


def _safe_id(node: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", node)


def render_mermaid(timeline: Timeline) -> str:
    pods_by_group: dict[str, list[Pod]] = {}
    for pod in timeline.pods:
        pods_by_group.setdefault(f"Pods/{pod.namespace}/{pod.owner_kind}/{pod.owner_name}", []).append(pod)
    lines = ["flowchart LR"]
    declared: set[str] = set()

    def declare(node: str) -> str:
        ident = _safe_id(node)
        if ident in declared:
            return ident
        declared.add(ident)
        kind, _sep, rest = node.partition("/")
        name = rest.partition("/")[2]
        if kind == "Pods":
            group = pods_by_group.get(node, [])
            pods = [p for p in group if p.deleted_at is None]
            ready = sum(1 for p in pods if p.ready_at is not None)
            label = _("{count} pod(s), {ready} Ready").format(count=len(pods), ready=ready)
            if len(group) > len(pods):
                label = _("{pods}, {count} deleted").format(pods=label, count=len(group) - len(pods))
            label += "<br/>" + "<br/>".join(p.name for p in (pods or group)[:3])
            if len(pods or group) > 3:
                label += "<br/>..."
        else:
            label = f"{kind}<br/>{name}"
        left, right = _SHAPES.get(kind, ("[", "]"))
        lines.append(f'  {ident}{left}"{label}"{right}')
        return ident

    for src, dst, label in timeline.edges:
        a, b = declare(src), declare(dst)
        lines.append(f"  {a} -->|{label}| {b}")
    if len(lines) == 1:
        lines.append('  empty["' + _("no objects") + '"]')
    return "\n".join(lines) + "\n"
