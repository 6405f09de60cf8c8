"""Schema validation against the bundled schemas (built-in kinds) and the input's CRDs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .. import schema
from ..engine import CheckContext, check
from ..graph import Object
from ..k8s.enums import CONTAINER_ENUMS, CONTAINER_PORT_ENUMS, OBJECT_ENUMS, POD_SPEC_ENUMS
from ..k8s.kinds import BUILTIN_GROUPS
from ..model import Hit, Path
from ..paths import format_path
from ..schema_locations import SchemaLocations, for_locations


def _validator(ctx: CheckContext, obj: Object) -> schema.Validator | None:
    if obj.group in BUILTIN_GROUPS:
        return schema.validator(ctx.kubernetes_version, obj.api_version, obj.kind)
    kind = schema.custom_kinds(ctx.graph).get((obj.group, obj.kind))
    version_name = obj.api_version.rpartition("/")[2]
    if kind is None:
        return _external(ctx).validator(obj.group, version_name, obj.kind, ctx.kubernetes_version)
    return kind.validator(version_name, ctx.kubernetes_version)


def _external(ctx: CheckContext) -> SchemaLocations:
    """Schemas from --schema-location (the input's CRDs come first)."""
    return for_locations(ctx.schema_locations)


@check("schema-violation", needs_graph=True)
def schema_violation(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    validator = _validator(ctx, obj)
    if validator is None or validator.is_valid(obj.data):
        return
    for error in validator.errors(obj.data):
        if _string_trap(obj, error.path):
            continue
        yield obj.finding(error.path, str(error), at=error.at)


def _string_trap(obj: Object, path: Path) -> bool:
    """A non-string scalar where yaml-string-trap already reports it (labels, annotations,
    selectors, ConfigMap data, command/args, env values): one finding per mistake."""
    value = obj.get(*path)
    if isinstance(value, str) or isinstance(value, (dict, list)) or len(path) < 2:
        return False
    parent, last = path[-2], path[-1]
    if len(path) >= 3 and path[-3] == "metadata" and parent in ("labels", "annotations"):
        return True
    if parent == "matchLabels" or (parent == "selector" and obj.kind in ("Service", "ReplicationController")):
        return True
    if (obj.kind, path[:-1]) in (("ConfigMap", ("data",)), ("Secret", ("stringData",))):
        return True
    if parent in ("command", "args") and isinstance(last, int):
        return True
    return last == "value" and len(path) >= 3 and path[-3] == "env"


@check("schema-missing", scope="graph")
def schema_missing(ctx: CheckContext) -> Iterator[Hit]:
    """Custom kinds nobody can validate: say so once per kind (a graph check for that),
    never an error."""
    graph = ctx.graph
    custom = schema.custom_kinds(graph)
    seen: set[tuple[str, str]] = set()
    for obj in graph.objects:
        if obj.group in BUILTIN_GROUPS or (obj.api_version, obj.kind) in seen:
            continue
        kind = custom.get((obj.group, obj.kind))
        version_name = obj.api_version.rpartition("/")[2]
        if kind is None:
            if _external(ctx).openapi_schema(obj.group, version_name, obj.kind) is not None:
                continue
            where = " nor in --schema-location" if ctx.schema_locations else ""
            why = f"its CustomResourceDefinition is not in the input{where}"
        elif version_name in kind.versions and kind.versions[version_name] is None:
            why = f"CustomResourceDefinition {kind.crd.name} has no openAPIV3Schema for {version_name}"
        else:
            continue
        seen.add((obj.api_version, obj.kind))
        hint = "" if ctx.schema_locations else \
            "; --schema-location gives schemas from elsewhere (`bundled`: common operators' CRDs)"
        yield obj.finding(("kind",), f"no schema for {obj.api_version} {obj.kind}; skipped ({why})"
                          f"{hint if kind is None else ''}", at="value")


@check("value-unsupported")
def value_unsupported(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    """Enum-like fields the schema leaves as free strings, checked as the API server does."""
    for path, allowed in OBJECT_ENUMS.get((obj.group, obj.kind), {}).items():
        yield from _enum(obj, (), path, allowed)
    template = obj.pod_template
    if template is None:
        return
    spec = template.spec
    for path, allowed in POD_SPEC_ENUMS.items():
        if path[0] in spec:
            yield from _enum(obj, template.spec_path, path, allowed)
    for container, cpath, _ in template.all_containers():
        for path, allowed in CONTAINER_ENUMS.items():
            if path[0] in container:
                yield from _enum(obj, cpath, path, allowed)
        ports = container.get("ports")
        if isinstance(ports, list):
            for i, port in enumerate(ports):
                if isinstance(port, dict) and "protocol" in port:
                    for path, allowed in CONTAINER_PORT_ENUMS.items():
                        yield from _enum(obj, cpath + ("ports", i), path, allowed)


def _enum(obj: Object, base: Path, path: tuple[str, ...], allowed: tuple[str, ...]) -> Iterator[Hit]:
    for where, value in _values(obj.get(*base), base, path):
        if isinstance(value, str) and value not in allowed:
            hint = schema.closest(value, list(allowed))
            extra = f"; did you mean {json.dumps(hint)}?" if hint else ""
            yield obj.finding(where, f"{format_path(where)}: unsupported value {json.dumps(value)}: "
                              f"the API server rejects it (allowed: {', '.join(allowed)}){extra}",
                              at="value", fix=f"Use one of {', '.join(allowed)} (case matters)."
                              if not hint else f"Write {hint}.")


def _values(node: Any, where: Path, path: tuple[str, ...]) -> Iterator[tuple[Path, Any]]:
    """(path, value) at `path` below `node`; "*" goes through every list item."""
    if not path:
        yield where, node
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _values(item, where + (i,), rest)
    elif isinstance(node, dict) and step in node:
        yield from _values(node[step], where + (step,), rest)
