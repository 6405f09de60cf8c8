"""kustomize's `vars`: $(NAME) in the fields of varReference filled from a field of an object.

Each kustomization's vars are merged when its accumulation ends (kusttarget.go
accumulateTarget, accumulator.ResAccumulator MergeVars): the object a var names (by any of
its ids) is marked with the var's name, and the var joins the accumulator's set (a name seen
twice fails the build: "var 'X' already encountered", types/var.go VarSet.Merge). Only the
top build resolves them, after hashes and name references (kusttarget.go
makeCustomizedResMap, ResAccumulator.ResolveVars): the value is read from the marked object
as it is then (renamed, namespaced), and every string at a varReference field has its
$(NAME) replaced (api/filters/refvar).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..i18n import _
from . import fieldspec
from .positions import Pos, Positions
from .resource import Gvk, ResId, Resource, split_api_version

DEFAULT_FIELD_PATH = "metadata.name"       # types/var.go DefaultReplacementFieldPath


class Var(NamedTuple):
    name: str
    gvk: Gvk
    object_name: str
    namespace: str
    field_path: str
    at: Pos                                 # the var's entry in its kustomization


class VarError(Exception):
    """kustomize build fails; reported at `at`."""

    def __init__(self, at: Pos, message: str) -> None:
        super().__init__(message)
        self.at = at


def _get(mapping: dict[Any, Any], key: str) -> Any:
    """A field of a vars entry: kustomize decodes kustomization files through JSON, whose
    field names match case-insensitively (kubebuilder writes `fieldpath`)."""
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    return next((v for k, v in mapping.items() if isinstance(k, str) and k.lower() == lowered), None)


def read(entry: Any, at: Pos) -> Var:
    """One entry of `vars:` (types/var.go Var, Target.GVK for objref's apiVersion)."""
    if not isinstance(entry, dict) or not isinstance(_get(entry, "name"), str) or not _get(entry, "name"):
        raise VarError(at, _("a vars entry needs a name and an objref: kustomize build fails"))
    objref = _get(entry, "objref")
    objref = objref if isinstance(objref, dict) else {}
    group, version = str(_get(objref, "group") or ""), str(_get(objref, "version") or "")
    api_version = _get(objref, "apiVersion")
    if isinstance(api_version, str) and api_version:
        parsed = split_api_version(api_version)
        group, version = parsed if "/" in api_version else (group, parsed[1])
    fieldref = _get(entry, "fieldref")
    path = _get(fieldref, "fieldPath") if isinstance(fieldref, dict) else None
    return Var(str(_get(entry, "name")), Gvk(group, version, str(_get(objref, "kind") or "")),
               str(_get(objref, "name") or ""), str(_get(objref, "namespace") or ""),
               str(path) if path else DEFAULT_FIELD_PATH, at)


def merge(var: Var, ra: list[Resource], known: tuple[Var, ...]) -> None:
    """ResAccumulator.MergeVars for one var: mark the object it names (an error when several
    match); an error when the name is already known."""
    target = ResId(var.gvk, var.object_name, var.namespace)
    exact = bool(var.namespace) or var.gvk.cluster_scoped
    matched = [res for res in ra if any(
        rid.gvk == target.gvk and rid.name == target.name and (not exact or rid.equals(target))
        for rid in res.any_ids())]
    if len(matched) > 1:
        raise VarError(var.at, _("found {count} objects for var {name} (unable to disambiguate): kustomize "
                                 "build fails").format(count=len(matched), name=var.name))
    if clash(known, (var,)) is not None:
        raise VarError(var.at, _("var '{name}' already encountered: kustomize build fails").format(name=var.name))
    if matched:
        matched[0].ref_vars.append(var.name)


def clash(known: tuple[Var, ...], incoming: tuple[Var, ...]) -> Var | None:
    """The first incoming var whose name is known (VarSet.MergeSet fails on it)."""
    names = {var.name for var in known}
    return next((var for var in incoming if var.name in names), None)


def resolve(positions: Positions, resources: list[Resource], config: fieldspec.Config) -> None:
    """ResAccumulator.ResolveVars: the value of every var, then $(NAME) replaced at the
    varReference fields. Raises VarError (nothing is replaced then, as kustomize stops)."""
    if not config.vars:
        return
    values = {var.name: _value(var, resources) for var in config.vars}
    specs = config.of("varReference")
    for res in resources:
        gvk = fieldspec.object_gvk(res.data)
        replacer = _Replacer(positions, values, res)
        for spec in specs:
            if spec.applies_to(gvk):
                fieldspec.walk(positions, res.data, spec, replacer, None, res.origin)


def _value(var: Var, resources: list[Resource]) -> Any:
    """ResAccumulator.findVarValueFromResources: the field of the object marked with the var."""
    for res in resources:
        if var.name in res.ref_vars:
            found, value = field_value(res.data, var.field_path)
            if not found:
                raise VarError(var.at, _("field {path} of var {name} is not in {object}: kustomize build "
                                         "fails").format(path=var.field_path, name=var.name, object=res.cur_id().show()))
            if isinstance(value, (dict, list)):
                raise VarError(var.at, _("var {name} names {path}, which is not a single value: kustomize "
                                         "build fails").format(name=var.name, path=var.field_path))
            return value
    raise VarError(var.at, _("var '{name}' names {kind}/{object}, which is not among the objects built: "
                             "kustomize build fails").format(name=var.name, kind=var.gvk.kind, object=var.object_name))


_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


def field_value(data: Any, path: str) -> tuple[bool, Any]:
    """kyaml RNode.GetFieldValue: a period-delimited path, `name[0]` for a list item."""
    steps: list[str] = []
    for part in path.split("."):
        match = _INDEX.match(part)
        if match is None:
            steps.append(part)
            continue
        if match.group(1):
            steps.append(match.group(1))
        steps.append(match.group(2))
    node = data
    for step in steps:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False, None
    return True, "" if node is None else node


class _Replacer:
    """refvar.Filter.set: $(NAME) replaced in a string field, in each string value of a
    mapping, in each item of a list (which must all be strings)."""

    def __init__(self, positions: Positions, values: dict[str, Any], res: Resource) -> None:
        self.positions, self.values, self.res = positions, values, res

    def __call__(self, container: dict[Any, Any], key: Any) -> None:
        value = container.get(key)
        if isinstance(value, str):
            self._put(container, key, value)
        elif isinstance(value, dict):
            for inner, text in list(value.items()):
                if not isinstance(inner, str):
                    raise VarError(self.res.origin, _("invalid map key {key!r} where vars are replaced: kustomize "
                                                      "build fails").format(key=inner))
                if isinstance(text, str):
                    self._put(value, inner, text)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    raise VarError(self.res.origin, _("a list where vars are replaced holds a non-string "
                                                      "item: kustomize build fails"))
                replaced = replace(item, self.values)
                if replaced is not item:
                    value[index] = replaced

    def _put(self, mapping: dict[Any, Any], key: Any, text: str) -> None:
        replaced = replace(text, self.values)
        if replaced is not text:
            # the value stays where $(NAME) was written
            self.positions.move(mapping, key, replaced, self.positions.key(mapping, key, self.res.origin))


def replace(text: str, values: dict[str, Any]) -> Any:
    """refvar DoReplacements: $(NAME) of a known var replaced (a whole-string reference keeps
    the value's type), `$$` an escaped `$`, anything else kept; `text` itself when nothing
    changes."""
    if "$" not in text:
        return text
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    changed = False
    while cursor < len(text):
        if text[cursor] == "$" and cursor + 1 < len(text):
            out.append(text[checkpoint:cursor])
            following = text[cursor + 1]
            if following == "$":                       # escaped operator
                out.append("$")
                changed = True
                advance = 1
            elif following == "(":
                close = text.find(")", cursor + 2)
                if close < 0:                          # incomplete reference: kept
                    out.append("$(")
                    advance = 1
                else:
                    name = text[cursor + 2:close]
                    if name in values:
                        changed = True
                        if text == f"$({name})":
                            return values[name]
                        out.append(go_format(values[name]))
                    else:
                        out.append(f"$({name})")
                    advance = close - cursor
            else:
                out.append("$" + following)
                advance = 1
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    if not changed:
        return text
    return "".join(out) + text[checkpoint:]


def go_format(value: Any) -> str:
    """fmt's %v of the value kyaml GetFieldValue gives (string, int, float64, bool)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)
