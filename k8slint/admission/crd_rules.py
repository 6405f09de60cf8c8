"""CRD validation rules (`x-kubernetes-validations`) evaluated on custom objects, as
k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go (Validator.Validate)
does: every rule at every level of the version's schema, with `self` the value at that
level (absent values are not validated), bound as the API server binds it
(k8s.io/apiserver/pkg/cel/common/values.go UnstructuredToVal):

- properties of an object are reached by their escaped names (escaping.go Escape);
  additionalProperties make a map whose keys are not escaped;
- `number` values are doubles; int-or-string values stay int or string; a value under
  x-kubernetes-preserve-unknown-fields without a schema is passed as it is;
- an embedded resource, and the root, show apiVersion, kind and metadata.name/generateName
  only (model.WithTypeAndObjectMeta).

Transition rules (those using `oldSelf`) run only with an old object (`k8slint diff`);
`validate_custom_object(crd, new, old)` takes one. Limitations are in docs/cel.md.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import cel
from ..i18n import _
from ..k8s.versions import LATEST, Version
from ..model import Path

VARIABLES = ("self", "oldSelf")
_OLD_SELF = re.compile(r"\boldSelf\b")
_RESERVED = frozenset({"true", "false", "null", "in", "as", "break", "const", "continue", "else",
                       "for", "function", "if", "import", "let", "loop", "package", "namespace",
                       "return", "var", "void", "while"})
_REASONS = {"FieldValueRequired": "Required value", "FieldValueForbidden": "Forbidden",
            "FieldValueDuplicate": "Duplicate value"}


@dataclass(frozen=True)
class RuleViolation:
    """A rule that refuses the object, or that cannot be evaluated."""

    path: Path            # the field of the custom object the finding is about
    message: str
    rule_path: Path       # the rule inside the CRD (from the CRD's root)
    kind: str             # "invalid", "compile" or "unsupported"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def escape(name: str) -> str | None:
    """A property name as CEL reaches it (k8s.io/apiserver/pkg/cel/escaping.go Escape)."""
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", name):
        return None
    out = name.replace("__", "__underscores__")
    return out.replace(".", "__dot__").replace("-", "__dash__").replace("/", "__slash__")


def version_schema(crd: dict[str, Any], api_version: str) -> tuple[dict[str, Any] | None, Path]:
    """The openAPIV3Schema of the CRD version an object of `api_version` uses, and its path."""
    spec = _dict(crd.get("spec"))
    version = api_version.rpartition("/")[2]
    versions = _list(spec.get("versions"))
    for i, item in enumerate(versions):
        if isinstance(item, dict) and item.get("name") == version:
            schema = (item.get("schema") or {}).get("openAPIV3Schema") if isinstance(item.get("schema"), dict) else None
            if isinstance(schema, dict):
                return schema, ("spec", "versions", i, "schema", "openAPIV3Schema")
    return None, ()


def rules_of(schema: dict[str, Any], path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Every rule in a schema, with its path, at every level."""
    rules = schema.get("x-kubernetes-validations")
    if isinstance(rules, list):
        for i, rule in enumerate(rules):
            if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                yield rule, path + ("x-kubernetes-validations", i)
    for key in ("properties",):
        for name, sub in (schema.get(key) or {}).items() if isinstance(schema.get(key), dict) else ():
            if isinstance(sub, dict):
                yield from rules_of(sub, path + (key, name))
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from rules_of(schema[key], path + (key,))


def rule_problems(crd: dict[str, Any], version: Version = LATEST) -> list[RuleViolation]:
    """Rules of a CRD that do not compile (the API server refuses the CRD) or that k8slint
    cannot evaluate."""
    out: list[RuleViolation] = []
    spec = _dict(crd.get("spec"))
    for i, item in enumerate(_list(spec.get("versions"))):
        schema = ((item or {}).get("schema") or {}).get("openAPIV3Schema") if isinstance(item, dict) else None
        if not isinstance(schema, dict):
            continue
        base: Path = ("spec", "versions", i, "schema", "openAPIV3Schema")
        for rule, path in rules_of(schema, base):
            for key in ("rule", "messageExpression"):
                if isinstance(rule.get(key), str):
                    problem = _compile_problem(rule[key], path + (key,), version)
                    if problem:
                        out.append(problem)
    return out


def _compile_problem(source: str, path: Path, version: Version) -> RuleViolation | None:
    try:
        cel.compile_expression(source, VARIABLES, version)
    except cel.Unsupported as exc:
        return RuleViolation((), str(exc), path, "unsupported")
    except cel.CompileError as exc:
        return RuleViolation((), _("compilation failed: {exc} (the API server refuses this CustomResourceDefinition)").format(exc=exc), path, "compile")
    return None


def validate_custom_object(crd: dict[str, Any], obj: dict[str, Any], old: dict[str, Any] | None = None,
                           version: Version = LATEST) -> list[RuleViolation]:
    """The rule violations of `obj` (a CREATE, or an UPDATE from `old`) under this CRD."""
    schema, base = version_schema(crd, str(obj.get("apiVersion", "")))
    if schema is None or not cel.available():
        return []
    out: list[RuleViolation] = []
    # The API server defaults before it validates (apiextensions-apiserver
    # pkg/apiserver/schema/defaulting/algorithm.go Default), so rules see the defaults.
    obj = with_defaults(schema, copy.deepcopy(obj))
    old = with_defaults(schema, copy.deepcopy(old)) if old is not None else None
    _walk(schema, base, obj, old, (), True, version, out)
    return out


def with_defaults(schema: dict[str, Any], value: Any) -> Any:
    """`value` with the schema's defaults filled in where a property is absent."""
    if isinstance(value, dict):
        props = _dict(schema.get("properties"))
        for name, sub in props.items():
            if not isinstance(sub, dict):
                continue
            if name not in value and "default" in sub:
                value[name] = copy.deepcopy(sub["default"])
            if name in value:
                value[name] = with_defaults(sub, value[name])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key in list(value):
                if key not in props:
                    value[key] = with_defaults(extra, value[key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [with_defaults(schema["items"], item) for item in value]
    return value


def _duplicates(schema: dict[str, Any], value: list[Any], vpath: Path, spath: Path) -> list[RuleViolation]:
    """Items a list of x-kubernetes-list-type map (by its keys) or set holds twice: the API
    server refuses them (apiextensions-apiserver pkg/apiserver/schema/listtype
    ValidateListSetsAndMaps), as Gateway API's invalid examples expect."""
    kind = schema.get("x-kubernetes-list-type")
    keys = schema.get("x-kubernetes-list-map-keys")
    seen: list[Any] = []
    out = []
    for i, item in enumerate(value):
        if kind == "map" and isinstance(keys, list) and isinstance(item, dict):
            key: Any = tuple((k, item.get(k)) for k in keys)
        elif kind == "set":
            key = item
        else:
            continue
        if key in seen:
            shown = ", ".join(f'"{k}":{v!r}' for k, v in key) if kind == "map" else repr(item)
            out.append(RuleViolation(vpath + (i,), f"{_show(vpath + (i,))}: Duplicate value: {{{shown}}}"
                                     if kind == "map" else f"{_show(vpath + (i,))}: Duplicate value: {shown}",
                                     spath, "invalid"))
        else:
            seen.append(key)
    return out


def _walk(schema: dict[str, Any], spath: Path, value: Any, old: Any, vpath: Path, root: bool,
          version: Version, out: list[RuleViolation]) -> None:
    rules = schema.get("x-kubernetes-validations")
    if isinstance(rules, list) and rules:
        self_value = to_cel(schema, value, root)
        old_value = to_cel(schema, old, root) if old is not None else None
        for i, rule in enumerate(rules):
            if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                violation = _check(rule, spath + ("x-kubernetes-validations", i), schema,
                                   self_value, old_value, value, vpath, version)
                if violation:
                    out.append(violation)
    if isinstance(value, dict):
        props = _dict(schema.get("properties"))
        for name, sub in props.items():
            if name in value and isinstance(sub, dict):
                sub_old = old.get(name) if isinstance(old, dict) else None
                _walk(sub, spath + ("properties", name), value[name], sub_old, vpath + (name,),
                      False, version, out)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, item in value.items():
                sub_old = old.get(key) if isinstance(old, dict) else None
                _walk(extra, spath + ("additionalProperties",), item, sub_old, vpath + (key,),
                      False, version, out)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        out.extend(_duplicates(schema, value, vpath, spath))
        items = schema["items"]
        olds = _correlate(schema, value, old)
        for i, item in enumerate(value):
            _walk(items, spath + ("items",), item, olds[i], vpath + (i,), False, version, out)


def _correlate(schema: dict[str, Any], value: list[Any], old: Any) -> list[Any]:
    """Old list items that correspond to new ones: only in lists of listType map, by key
    (validation.go: transition rules under other lists are not evaluated)."""
    keys = schema.get("x-kubernetes-list-map-keys")
    if schema.get("x-kubernetes-list-type") != "map" or not isinstance(keys, list) or not isinstance(old, list):
        return [None] * len(value)
    def key(item: Any) -> tuple[Any, ...] | None:
        return tuple(item.get(k) for k in keys) if isinstance(item, dict) else None
    by_key = {key(item): item for item in old}
    return [by_key.get(key(item)) for item in value]


def _check(rule: dict[str, Any], rpath: Path, schema: dict[str, Any], self_value: Any,
           old_value: Any, raw: Any, vpath: Path, version: Version) -> RuleViolation | None:
    source = rule["rule"]
    if _OLD_SELF.search(source) and old_value is None:
        if rule.get("optionalOldSelf") is True:
            return RuleViolation(vpath, _("k8slint's CEL runtime cannot evaluate rules with optionalOldSelf on create (oldSelf is an optional)"), rpath, "unsupported")
        return None                      # a transition rule: only on update
    try:
        program = cel.compile_expression(source, VARIABLES, version)
    except cel.CelError:
        return None                      # reported once on the CRD by rule_problems
    try:
        ok = program.evaluate({"self": self_value, "oldSelf": old_value})
    except cel.EvalError as exc:
        if _has_time_format(schema):
            return RuleViolation(vpath, _("k8slint passes date-time and duration fields as strings, so this rule could not be evaluated"), rpath, "unsupported")
        return RuleViolation(vpath, _field_message(vpath, rule, schema, f"rule evaluation error: {exc}"),
                             rpath, "invalid")
    if ok is True:
        return None
    given = rule.get("message")
    message: str = given if isinstance(given, str) and given else f"failed rule: {source}"
    if isinstance(rule.get("messageExpression"), str):
        try:
            text = cel.compile_expression(rule["messageExpression"], VARIABLES, version).evaluate(
                {"self": self_value, "oldSelf": old_value})
            if isinstance(text, str) and text.strip():
                message = text
        except cel.CelError:
            pass
    where = vpath + _field_path(rule.get("fieldPath"))
    return RuleViolation(where, _field_message(where, rule, schema, message), rpath, "invalid")


def _field_path(text: Any) -> Path:
    """A rule's fieldPath (`.spec.x`, `['key']`, `[0]`) as path steps relative to self."""
    if not isinstance(text, str):
        return ()
    steps: list[str | int] = []
    for name, quoted, index in re.findall(r"\.([A-Za-z0-9_-]+)|\['([^']*)'\]|\[(\d+)\]", text):
        steps.append(int(index) if index else (name or quoted))
    return tuple(steps)


def _field_message(path: Path, rule: dict[str, Any], schema: dict[str, Any], message: str) -> str:
    """The API server's field.Error text: `spec.x: Invalid value: "object": message`."""
    shown = _show(path) or "<root>"
    reason = _REASONS.get(str(rule.get("reason", "")))
    if reason:
        return f"{shown}: {reason}: {message}"
    return f"{shown}: Invalid value: \"{schema.get('type') or 'object'}\": {message}"


def _show(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _has_time_format(schema: dict[str, Any]) -> bool:
    if schema.get("format") in ("date-time", "date", "duration"):
        return True
    return any(isinstance(s, dict) and _has_time_format(s) for s in _children(schema))


def _children(schema: dict[str, Any]) -> list[Any]:
    props = schema.get("properties")
    out = list(props.values()) if isinstance(props, dict) else []
    return out + [schema.get("items"), schema.get("additionalProperties")]


# --- self as the API server binds it ------------------------------------------------------

def to_cel(schema: dict[str, Any], value: Any, root: bool = False) -> Any:
    if value is None:
        return None
    if schema.get("x-kubernetes-int-or-string") is True:
        return value
    kind = schema.get("type")
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind == "string" and schema.get("format") == "byte" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return value
    if isinstance(value, list):
        items = _dict(schema.get("items"))
        return [to_cel(items, item) for item in value]
    if not isinstance(value, dict):
        return value
    props = _dict(schema.get("properties"))
    extra = schema.get("additionalProperties")
    out: dict[str, Any] = {}
    if "properties" in schema or root or schema.get("x-kubernetes-embedded-resource") is True:
        for name, item in value.items():
            sub = props.get(name)
            if sub is None and name not in ("apiVersion", "kind", "metadata"):
                if schema.get("x-kubernetes-preserve-unknown-fields") is True:
                    out[name] = item
                continue
            escaped = escape(name)
            if escaped is not None:
                out[escaped] = to_cel(sub if isinstance(sub, dict) else {}, item)
        if root or schema.get("x-kubernetes-embedded-resource") is True:
            meta = _dict(value.get("metadata"))
            if "metadata" in value:
                out["metadata"] = {k: meta[k] for k in ("name", "generateName") if k in meta}
        return out
    if isinstance(extra, dict):
        return {key: to_cel(extra, item) for key, item in value.items()}
    return value
