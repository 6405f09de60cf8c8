"""The `type` of every schema node of a CustomResourceDefinition.

The API server accepts only the six OpenAPI v3 types there: apiextensions-apiserver
pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinitionOpenAPISchema
rejects any other with `type: Unsupported value: "strign": supported values: "array",
"boolean", "integer", "number", "object", "string"` (kubernetes-sigs/kubectl-validate's
testcases/manifests/error_crd_typo.yaml records that answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Path

SCHEMA_TYPES = ("array", "boolean", "integer", "number", "object", "string")
# Keywords whose value is one schema, a list of schemas, or a mapping of names to schemas.
_ONE = ("additionalProperties", "additionalItems", "not")
_MANY = ("allOf", "anyOf", "oneOf")
_NAMED = ("properties", "patternProperties", "definitions")


def schema_types(crd: dict[str, Any]) -> Iterator[tuple[Path, Any]]:
    """(path, type) of every schema node with a `type` in a CRD's openAPIV3Schemas."""
    spec = crd.get("spec")
    if not isinstance(spec, dict):
        return
    validation = spec.get("validation")                       # apiextensions.k8s.io/v1beta1
    if isinstance(validation, dict):
        yield from _walk(validation.get("openAPIV3Schema"), ("spec", "validation", "openAPIV3Schema"))
    versions = spec.get("versions")
    if isinstance(versions, list):
        for i, version in enumerate(versions):
            schema = version.get("schema") if isinstance(version, dict) else None
            if isinstance(schema, dict):
                yield from _walk(schema.get("openAPIV3Schema"), ("spec", "versions", i, "schema", "openAPIV3Schema"))


def _walk(node: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    if not isinstance(node, dict):
        return
    if node.get("type"):                    # an empty type is allowed (len(schema.Type) > 0)
        yield path + ("type",), node["type"]
    for key in _ONE:
        yield from _walk(node.get(key), path + (key,))
    items = node.get("items")
    if isinstance(items, list):
        for i, item in enumerate(items):
            yield from _walk(item, path + ("items", i))
    else:
        yield from _walk(items, path + ("items",))
    for key in _MANY:
        value = node.get(key)
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _walk(item, path + (key, i))
    for key in _NAMED:
        value = node.get(key)
        if isinstance(value, dict):
            for name, item in value.items():
                yield from _walk(item, path + (key, name))
