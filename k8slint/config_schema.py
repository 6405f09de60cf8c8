"""Validation of a config mapping (and of custom rules) against config_schema.json.

A small validator for the keywords that file uses, with messages that name the closest
valid key: reading the config must not cost jsonschema's import time on every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .i18n import N_, _

SCHEMA_FILE = Path(__file__).resolve().parent / "config_schema.json"


@lru_cache(maxsize=1)
def config_schema() -> dict[str, Any]:
    import json
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def validate_schema(data: Any, source: str, definition: str | None = None) -> None:
    """Raise ConfigError for the first schema violation (unknown keys with a did-you-mean)."""
    root = config_schema()
    schema = root["$defs"][definition] if definition else root
    errors = sorted(_errors(data, schema, root, ()), key=lambda e: (len(e.path), list(map(str, e.path))))
    if errors:
        raise ConfigError(_describe(errors[0], source))


@dataclass
class SchemaError:
    path: tuple[str | int, ...]
    validator: str
    message: str
    schema: dict[str, Any]
    instance: Any


_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}
# The keywords config_schema.json uses; a test keeps the file within them.
KEYWORDS = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "enum", "const",
            "pattern", "minLength", "properties", "additionalProperties", "required", "items"}


def _errors(value: Any, schema: Any, root: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[SchemaError]:
    """A small JSON Schema validator for the keywords of config_schema.json: reading the
    config must not cost jsonschema's import time on every run (pre-commit runs per commit)."""
    if schema is True or schema is None:
        return
    if schema is False:
        yield SchemaError(path, "false", _("is not allowed here"), {}, value)
        return
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        yield from _errors(value, target, root, path)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_TYPES[name](value) for name in names):
            yield SchemaError(path, "type", _("{value!r} is not of type {types}").format(value=value, types=" or ".join(names)), schema, value)
            return
    if "enum" in schema and value not in schema["enum"]:
        yield SchemaError(path, "enum", _("{value!r} is not one of {values}").format(
            value=value, values=", ".join(map(str, schema["enum"]))),
                          schema, value)
    if "const" in schema and value != schema["const"]:
        yield SchemaError(path, "const", _("{value!r} must be {const!r}").format(value=value, const=schema["const"]), schema, value)
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield SchemaError(path, "pattern", _("{value!r} does not match {pattern!r}").format(
                value=value, pattern=schema["pattern"]), schema, value)
        if len(value) < schema.get("minLength", 0):
            yield SchemaError(path, "minLength", _("{value!r} is too short").format(value=value), schema, value)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _errors(item, schema["items"], root, path + (index,))
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                yield SchemaError(path, "required", _("{name!r} is a required property").format(name=name), schema, value)
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                yield from _errors(item, properties[key], root, path + (key,))
            elif extra is False:
                yield SchemaError(path, "additionalProperties", _("unknown key {key!r}").format(key=key), schema, value)
            else:
                yield from _errors(item, extra, root, path + (key,))


def _describe(error: SchemaError, source: str) -> str:
    where = _dotted(error.path)
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        key = next(k for k in error.instance if k not in known)
        text = _("{source}: unknown key {key!r} in {where}") if where else _("{source}: unknown key {key!r}")
        return text.format(source=source, key=key, where=where) + did_you_mean(str(key), known, N_("valid keys"))
    if error.validator == "type" and isinstance(error.instance, float) and where.endswith("version"):
        return _("{source}: {where} must be quoted (\"1.30\"): unquoted, YAML reads {value} as a number").format(
            source=source, where=where, value=error.instance)
    configuration = _("configuration")
    return f"{source}: {where or configuration}: {error.message}"


def _dotted(path: Iterable[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def did_you_mean(name: str, valid: Iterable[str], what: str) -> str:
    """`; did you mean 'x'?`, else the valid names when they are few; `what` (marked with
    N_) names them."""
    from difflib import get_close_matches

    valid = list(valid)
    near = get_close_matches(name, valid, n=1, cutoff=0.5)
    if near:
        return _("; did you mean {name!r}?").format(name=near[0])
    return f" ({_(what)}: {', '.join(sorted(valid))})" if len(valid) <= 20 else ""
