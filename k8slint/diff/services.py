"""Where a changed Service sends traffic: selector, ports, type.

The EndpointSlice controller lists the pods the selector matches (pkg/controller/endpointslice);
kube-proxy on every node reprograms its rules when the slices change, about a second later.
A LoadBalancer Service owns a cloud load balancer: changing the type away releases it and its
external IP (kubernetes.io/docs/concepts/services-networking/service/#loadbalancer).
"""

from __future__ import annotations

from typing import Any

from ..graph import Graph, Object, controller_label_values, pod_labels
from ..i18n import _
from .emit import Context
from .model import FieldChange, ObjectChange


def service_changed(change: ObjectChange, ctx: Context) -> set[str]:
    """Statements about traffic; returns the labels of the fields they cover."""
    old, new = change.old, change.new
    assert old is not None and new is not None
    covered: set[str] = set()
    selector = [f for f in change.fields if f.label.startswith("spec.selector")]
    if selector:
        covered |= {f.label for f in selector}
        _selector(change, ctx, selector[0])
    ports = [f for f in change.fields if f.label.startswith("spec.ports")]
    if ports:
        covered |= {f.label for f in ports}
        _ports(change, ctx, ports)
    kind = next((f for f in change.fields if f.label == "spec.type"), None)
    if kind is not None:
        covered.add(kind.label)
        _type(change, ctx, kind)
    return covered


def _workloads(graph: Graph, service: Object) -> list[str]:
    return [f"{w.kind}/{w.name}" for w in graph.workloads_behind(service)]


def _running_after(ctx: Context, service: Object) -> list[str]:
    """Workloads the new selector matches, with the labels their pods will really have: a
    workload whose update is refused keeps its old template."""
    selector = ctx.new.selector_of(service)
    if selector is None:
        return []
    refused: dict[int, Object] = ctx.extra.get("refused", {})
    out = []
    for workload in ctx.new.workloads(service.namespace):
        live = refused.get(id(workload), workload)
        if selector.matches(pod_labels(live), controller_label_values(live)):
            out.append(f"{workload.kind}/{workload.name}")
    return out


def _selector(change: ObjectChange, ctx: Context, field: FieldChange) -> None:
    old, new = change.old, change.new
    assert old is not None and new is not None
    before = _workloads(ctx.old, old)
    after = _running_after(ctx, new)
    where = field.path or ("spec", "selector")
    shown = f"{_show(old.get('spec', 'selector'))} -> {_show(new.get('spec', 'selector'))}"
    if not after:
        blocked = _workloads(ctx.new, new)
        why = _("its new selector matches {workloads} only with the new labels, and that update is refused, "
                "so the running pods keep the old ones").format(workloads=", ".join(blocked)) if blocked \
            else _("its new selector matches no pod in the input")
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("The Service loses every endpoint: {why}. Selector {shown}; connections to it fail").format(
                         why=why, shown=shown), "high")
    elif set(after) == set(before):
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("Endpoints stay: the new selector matches the same workloads ({workloads}). Selector "
                       "{shown}").format(workloads=", ".join(after), shown=shown), "low")
    else:
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("Endpoints move from {before} to {after}. Selector {shown}; kube-proxy switches new "
                       "connections about a second after the endpoints change").format(
                         before=", ".join(before) or _("no pod"), after=", ".join(after), shown=shown), "medium")


def _show(selector: Any) -> str:
    if not isinstance(selector, dict):
        return "none"
    return ",".join(f"{k}={v}" for k, v in selector.items())


def _ports(change: ObjectChange, ctx: Context, fields: list[FieldChange]) -> None:
    new = change.new
    assert new is not None
    for f in fields:
        where = f.path or ("spec", "ports")
        if f.kind == "removed" and isinstance(f.old, dict):
            ctx.emit.say(change, "change-service-traffic", new, where,
                         _("Connections to {name}:{port} are refused: port {port} is removed. kube-proxy drops its "
                           "rules about a second after the apply").format(name=new.name, port=f.old.get("port")),
                         "high")
        elif f.kind == "added" and isinstance(f.new, dict):
            ctx.emit.say(change, "change-service-traffic", new, where,
                         _("{name}:{port} starts to accept connections (port added)").format(
                             name=new.name, port=f.new.get("port")), "low")
        elif f.label.endswith(".targetPort"):
            missing = _undeclared(ctx.new, new, f.new)
            text = _("Connections now go to container port {new} of the selected pods (targetPort {old} -> "
                     "{new})").format(old=f.old, new=f.new)
            if missing:
                text += _(". {workloads} declare no port named {new}, so their pods are no endpoint for it").format(
                    workloads=", ".join(missing), new=f.new)
            ctx.emit.say(change, "change-service-traffic", new, where, text, "high" if missing else "medium")
        elif f.label.endswith(".nodePort"):
            ctx.emit.say(change, "change-service-traffic", new, where,
                         _("Clients that reach the nodes on port {old} are refused (nodePort {old} -> {new})").format(
                             old=f.old, new=f.new), "medium")
        elif f.label.endswith(".port") or f.label.endswith(".name"):
            ctx.emit.say(change, "change-service-traffic", new, where,
                         _("Clients that use the old {field} fail ({old} -> {new})").format(
                             field=f.label.rsplit(".", 1)[-1], old=f.old, new=f.new), "high")


def _undeclared(graph: Graph, service: Object, target: Any) -> list[str]:
    """Workloads behind the Service without a container port named `target` (numbers need
    no declaration)."""
    if not isinstance(target, str):
        return []
    out = []
    for workload in graph.workloads_behind(service):
        template = workload.pod_template
        names = {p.get("name") for c, __, ___ in (template.all_containers() if template else ())
                 for p in (c.get("ports") or []) if isinstance(p, dict)}
        if target not in names:
            out.append(f"{workload.kind}/{workload.name}")
    return out


def _type(change: ObjectChange, ctx: Context, field: FieldChange) -> None:
    new = change.new
    assert new is not None
    where = field.path or ("spec", "type")
    if field.old == "LoadBalancer":
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("The cloud load balancer and its external IP are released (type LoadBalancer -> {new}). "
                       "Clients that use that IP fail").format(new=field.new), "high", at="value")
    elif field.new == "LoadBalancer":
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("A cloud load balancer with a new external IP is provisioned (type {old} -> LoadBalancer). "
                       "The IP stays <pending> where no cloud controller runs").format(old=field.old), "low",
                     at="value")
    elif field.old == "NodePort":
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("The node ports close (type NodePort -> {new}). Clients that reach the nodes on them "
                       "fail").format(new=field.new), "medium", at="value")
    else:
        ctx.emit.say(change, "change-service-traffic", new, where,
                     _("Type {old} -> {new}").format(old=field.old, new=field.new), "low", at="value")
