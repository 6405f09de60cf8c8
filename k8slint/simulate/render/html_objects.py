"""The object graph section of the HTML page: the SVG picture (html_graph lays it out) and,
per object, a details panel shown when the object is clicked: where it is defined, its
labels and annotations, what the API server filled in, its etcd key, the names the
controllers generated, and for pods and Services their variables, DNS names and endpoints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ...html_page import esc
from ...i18n import _
from ..network import kubernetes_service_env
from ..timeline import Event, Pod, Service, Timeline
from .html_graph import POD_LINE, SHOWN_PODS, Graph, Layout, Node, edge_path, narrow, wide
from .walk import replica_label

NAME_CHARS = 24                       # characters of a name that fit a node
_ETCD_KEY = re.compile(r"/registry/\S+")
_KUBERNETES_ENV = frozenset(kubernetes_service_env())


def _short(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _node_svg(i: int, node: Node, x: float, y: float, width: float, t: Mapping[str, str]) -> str:
    fit = int((width - 22) / 7.2)
    mono = int((width - 22) / 6.6)
    lines = [f'<text class="nk" x="12" y="19">{esc(_short(node.kind, int((width - 16) / 5.7)))}</text>']
    if node.kind == "Pods":
        count = t["graph.pods"].format(count=len(node.pods), ready=sum(1 for p in node.pods if serving(p))) \
            if node.pods else t["graph.nopods"]
        lines.append(f'<text class="nn" x="12" y="38">{esc(_short(count, fit))}</text>')
        for k, pod in enumerate(node.pods[:SHOWN_PODS]):
            lines.append(f'<text class="np" x="12" y="{56 + k * POD_LINE}">{esc(_short(pod.name, mono))}</text>')
        if len(node.pods) > SHOWN_PODS:
            more = t["graph.more"].format(count=len(node.pods) - SHOWN_PODS)
            lines.append(f'<text class="np" x="12" y="{56 + SHOWN_PODS * POD_LINE}">{esc(more)}</text>')
    else:
        lines.append(f'<text class="nn" x="12" y="38">{esc(_short(node.name, fit))}</text>')
    label = f"{node.kind} {node.name}" + (f" ({node.namespace})" if node.namespace else "")
    return (f'<g class="node g-{node.family}" data-obj="{i}" tabindex="0" role="button" '
            f'aria-label="{esc(label)}" transform="translate({x:.0f},{y:.0f})">'
            f'<title>{esc(label)}</title><rect width="{width:.0f}" height="{node.height:.0f}" rx="9"/>'
            f'{"".join(lines)}</g>')


def serving(pod: Pod) -> bool:
    """Ready at the end: not deleted, finished, failed or crash-looping."""
    return (pod.ready_at is not None and pod.deleted_at is None and pod.failed_at is None
            and pod.finished_at is None and not pod.restarts)


def picture(graph: Graph, layout: Layout, name: str, t: Mapping[str, str]) -> str:
    """One drawing of the graph (`name`: wide or narrow, CSS shows one of them)."""
    edges = []
    for edge in graph.edges:
        path, lx, ly = edge_path(graph, layout, edge)
        edges.append(f'<path class="e" d="{path}" marker-end="url(#arrow)"/>'
                     f'<text class="el" x="{lx:.0f}" y="{ly:.0f}" text-anchor="middle">{esc(edge.label)}</text>')
    nodes = "".join(_node_svg(i, n, *layout.places[i], layout.node_width, t) for i, n in enumerate(graph.nodes))
    return (f'<svg class="graph {name}" width="{layout.width:.0f}" height="{layout.height:.0f}" '
            f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" role="group" aria-label="{esc(t["graph.head"])}">'
            f'<g class="edges">{"".join(edges)}</g>{nodes}</svg>')


ARROW = ('<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
         'orient="auto-start-reverse"><path d="M0,0L10,5L0,10Z"/></marker>')


# --- details --------------------------------------------------------------------------------
def _dl(items: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items if v)
    return f"<dl>{rows}</dl>" if rows else ""


def _code_list(values: Iterable[str]) -> str:
    items = "".join(f"<li><code>{esc(v)}</code></li>" for v in values)
    return f'<ul class="codes">{items}</ul>' if items else ""


def _mapping(data: Mapping[str, Any]) -> str:
    return _code_list(f"{k}={v}" for k, v in data.items())


def _sources(timeline: Timeline) -> dict[tuple[str, str, str], Any]:
    """The input objects the timeline still holds, by (kind, namespace, name)."""
    found: dict[tuple[str, str, str], Any] = {}
    for pod in timeline.pods:
        if pod.workload is not None:
            w = pod.workload
            found.setdefault((w.kind, w.namespace or "", w.name), w)
    for svc in timeline.services:
        if svc.obj is not None:
            found.setdefault(("Service", svc.namespace, svc.name), svc.obj)
    return found


def _events_of(node: Node, events: list[Event]) -> list[int]:
    if node.kind == "Pods":
        names = {p.name for p in node.pods}
        return [i for i, e in enumerate(events) if e.object.get("kind") == "Pod" and e.object.get("name") in names]
    return [i for i, e in enumerate(events) if e.object.get("kind") == node.kind and e.object.get("name") == node.name
            and (e.object.get("namespace") or "") == node.namespace]


def _children(timeline: Timeline, node: Node) -> list[str]:
    """Names the controllers generated under this object (ReplicaSets, pods, PVCs, Jobs)."""
    out: list[str] = []

    def walk(obj: Mapping[str, Any], inside: bool) -> None:
        here = inside or (obj.get("kind") == node.kind and obj.get("name") == node.name
                          and (obj.get("namespace") or "") == node.namespace)
        for child in obj.get("children") or []:
            if isinstance(child, dict):
                if here:
                    out.append(f"{child.get('kind')} {child.get('name')}")
                walk(child, here)

    for obj in timeline.objects:
        walk(obj, False)
    return out


def _containers(pod: Pod, services: list[Service], t: Mapping[str, str]) -> str:
    spec = pod.spec
    parts = []
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            name = str(c.get("name", "?"))
            command = [str(x) for x in (c.get("command") or []) + (c.get("args") or [])] \
                if isinstance(c.get("command") or [], list) and isinstance(c.get("args") or [], list) else []
            env = pod.container_env.get(name, {})
            from_services = [s for s in services if any(k in env and env[k] == v for k, v in s.env.items())]
            given = {k for s in from_services for k in s.env} | _KUBERNETES_ENV
            own = {k: v for k, v in env.items() if k not in given}
            note = t["obj.fromservices"].format(count=len(env) - len(own),
                                                names=", ".join(["kubernetes"] + [s.name for s in from_services]))
            items = [(t["obj.image"], f'<code>{esc(c.get("image", ""))}</code>'),
                     (t["obj.command"], f'<code>{esc(" ".join(command))}</code>' if command else ""),
                     (t["obj.env"], _mapping(own) + (f'<p class="muted">{esc(note)}</p>' if len(env) > len(own) else ""))]
            head = (_("initContainer {name}") if key == "initContainers" else _("container {name}")).format(name=name)
            parts.append(f'<h4>{esc(head)}</h4>{_dl(items)}')
    return "".join(parts)


def _pods_details(node: Node, t: Mapping[str, str], timeline: Timeline) -> str:
    if not node.pods:
        return ""
    head = "".join(f"<th>{esc(t[k])}</th>" for k in ("pod.name", "pod.node", "pod.ip", "pod.ready", "pod.restarts"))
    rows = "".join(
        f"<tr><td><code>{esc(p.name)}</code></td><td>{esc(p.node or '-')}</td><td>{esc(p.ip or '-')}</td>"
        f"<td>{esc('-' if p.ready_at is None else t['seconds'].format(value=f'{p.ready_at:g}'))}</td>"
        f"<td>{sum(p.restarts.values())}</td></tr>" for p in node.pods)
    first = node.pods[0]
    dns = [*first.dns]
    for svc in timeline.services:
        if svc.namespace == first.namespace and svc.dns:
            dns.append(f"{svc.dns[0]} -> {svc.cluster_ip or ', '.join(svc.endpoints) or '-'}")
    title = replica_label([p.name for p in node.pods])
    template = first.workload.pod_template if first.workload is not None else None
    found = template.metadata.get("annotations") if template is not None else None
    annotations = found if isinstance(found, dict) else {}
    return (f'<h4>{esc(t["obj.pods"])}</h4><div class="scroll"><table><tr>{head}</tr>{rows}</table></div>'
            f'<h4>{esc(t["obj.containers"])}: {esc(title)}</h4>{_containers(first, [s for s in timeline.services if s.namespace == first.namespace], t)}'
            f'{_dl([(t["obj.dns"], _code_list(dns)), (t["obj.labels"], _mapping(first.labels)), (t["obj.annotations"], _mapping(annotations))])}')


def _service_details(svc: Service, t: Mapping[str, str]) -> str:
    ports = [f"{p.name + ' ' if p.name else ''}{p.port}/{p.protocol} -> {p.target_port}"
             + (f" (nodePort {p.node_port})" if p.node_port else "") for p in svc.ports]
    return _dl([(t["obj.type"], esc(svc.type)), (t["obj.clusterip"], esc(svc.cluster_ip or "None")),
                (t["obj.externalip"], esc(svc.external_ip or "")), (t["obj.ports"], _code_list(ports)),
                (t["obj.dns"], _code_list(svc.dns)), (t["obj.endpoints"], _code_list(svc.endpoints) or esc(t["obj.none"])),
                (t["obj.svcenv"], _mapping(svc.env))])


def details(graph: Graph, timeline: Timeline, events: list[Event], t: Mapping[str, str]) -> str:
    sources = _sources(timeline)
    panels = []
    for i, node in enumerate(graph.nodes):
        indices = _events_of(node, events)
        obj = sources.get((node.kind, node.namespace, node.name))
        where = f"{obj.file}:{obj.locate()[0]}" if obj is not None else ""
        etcd = next((m.group(0) for k in indices if events[k].actor == "etcd"
                     for m in [_ETCD_KEY.search(events[k].message)] if m), "")
        admitted = [events[k].message for k in indices if events[k].actor == "kube-apiserver"
                    and events[k].action in ("admit", "reject", "allocate-ip", "allocate-nodeport", "warn")]
        items = [(t["obj.namespace"], esc(node.namespace)), (t["obj.file"], f"<code>{esc(where)}</code>" if where else ""),
                 (t["obj.etcd"], f"<code>{esc(etcd)}</code>" if etcd else ""),
                 (t["obj.apiserver"], "".join(f"<p>{esc(m)}</p>" for m in admitted)),
                 (t["obj.created"], _code_list(_children(timeline, node)))]
        if obj is not None:
            items += [(t["obj.labels"], _mapping(obj.labels)), (t["obj.annotations"], _mapping(obj.annotations))]
        body = _dl(items)
        if node.kind == "Pods":
            body += _pods_details(node, t, timeline)
        svc = next((s for s in timeline.services if node.kind == "Service" and s.name == node.name
                    and s.namespace == node.namespace), None)
        if svc is not None:
            body += _service_details(svc, t)
        button = (f'<button type="button" class="evbtn" data-ev="{",".join(map(str, indices))}">'
                  f'{esc(t["obj.events"].format(count=len(indices)))}</button>') if indices else ""
        name = replica_label([p.name for p in node.pods]) if node.kind == "Pods" and node.pods else node.name
        panels.append(f'<section class="obj" id="obj-{i}" hidden><h3>{esc(node.kind)} {esc(name)}</h3>'
                      f'{body}{button}</section>')
    return f'<div class="objdetails"><p class="pick muted">{esc(t["graph.pick"])}</p>{"".join(panels)}</div>'


def section(graph: Graph, timeline: Timeline, events: list[Event], t: Mapping[str, str]) -> str:
    head = f'<section id="graph"><h2>{esc(t["graph.head"])}</h2>'
    if not graph.nodes:
        return f'{head}<p class="muted">{esc(t["graph.empty"])}</p></section>'
    return (f'{head}<p class="help">{esc(t["graph.help"])}</p>'
            f'<div class="graphwrap">{picture(graph, wide(graph), "wide", t)}{picture(graph, narrow(graph), "narrow", t)}'
            f'</div>{details(graph, timeline, events, t)}</section>')
