"""Kubernetes CEL object types (URL, Quantity, IP, CIDR, Semver, authorizer) as CEL values.

cel-expr-python cannot carry a Python object of a type of its own through an expression
(an abstract type's value cannot be returned from a Python function), so each such value
is a map `{"@type": <type name>, "value": <canonical form>}`. The canonical form is chosen
so that CEL equality of two maps is the type's own equality (k8s.io/apiserver/pkg/cel
quantity.go, ip.go, cidr.go, semver.go: Equal).
"""

from __future__ import annotations

from typing import Any

TYPE_KEY = "@type"
URL = "kubernetes.URL"
QUANTITY = "kubernetes.Quantity"
IP = "net.IP"
CIDR = "net.CIDR"
SEMVER = "kubernetes.Semver"
AUTHORIZER = "kubernetes.authorization.Authorizer"
PATH_CHECK = "kubernetes.authorization.PathCheck"
RESOURCE_CHECK = "kubernetes.authorization.ResourceCheck"
DECISION = "kubernetes.authorization.Decision"


class NoOverload(TypeError):
    """The argument is not of the type the function takes (cel-go: no such overload)."""


def wrap(type_name: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {TYPE_KEY: type_name, "value": value, **extra}


def unwrap(value: Any, type_name: str) -> Any:
    """The canonical form inside a wrapped value of this type; NoOverload otherwise."""
    if isinstance(value, dict) and value.get(TYPE_KEY) == type_name:
        return value["value"]
    raise NoOverload(f"no such overload: expected {type_name}, got {type_of(value)}")


def type_of(value: Any) -> str:
    if isinstance(value, dict) and TYPE_KEY in value:
        return str(value[TYPE_KEY])
    if isinstance(value, bool):
        return "bool"
    return {int: "int", float: "double", str: "string", list: "list", dict: "map",
            bytes: "bytes", bytearray: "bytes", type(None): "null_type"}.get(type(value), "dyn")


def cel_equal(left: Any, right: Any) -> bool:
    """CEL equality (heterogeneous numbers compare by value; a bool is never a number)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(cel_equal(a, b) for a, b in zip(left, right, strict=False))
    if isinstance(left, dict) and isinstance(right, dict):
        return (len(left) == len(right)
                and all(k in right and cel_equal(v, right[k]) for k, v in left.items()))
    return type(left) is type(right) and bool(left == right)


def contains(items: list[Any], value: Any) -> bool:
    return any(cel_equal(item, value) for item in items)
