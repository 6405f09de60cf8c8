"""List functions: the Kubernetes lists library (k8s.io/apiserver/pkg/cel/library/lists.go)
and cel-go's lists extension (github.com/google/cel-go ext/lists.go, without the sortBy
macro, which Python functions cannot provide)."""

from __future__ import annotations

from typing import Any

from ..values import cel_equal, type_of
from .decl import Decl, member, overload

_COMPARABLE = frozenset({"int", "uint", "double", "bool", "string", "bytes"})


def _comparable(items: list[Any]) -> list[Any]:
    kinds = {type_of(item) for item in items}
    if not kinds <= _COMPARABLE and not all(hasattr(i, "__lt__") for i in items):
        raise TypeError("no such overload")
    numbers = {"int", "uint", "double"}
    if len(kinds) > 1 and not kinds <= numbers:
        raise TypeError("no such overload")
    return items


def is_sorted(items: list[Any]) -> bool:
    items = _comparable(items)
    return all(not (b < a) for a, b in zip(items, items[1:], strict=False))


def _sum(items: list[Any]) -> Any:
    if any(isinstance(i, bool) or not isinstance(i, (int, float)) for i in items):
        if items and all(hasattr(i, "total_seconds") for i in items):
            total = items[0]
            for item in items[1:]:
                total += item
            return total
        raise TypeError("no such overload")
    return sum(items, 0.0 if items and isinstance(items[0], float) else 0)


def _extreme(name: str, pick: Any) -> Any:
    def choose(items: list[Any]) -> Any:
        if not items:
            raise ValueError(f"{name} called on empty list")
        return pick(_comparable(items))
    return choose


def index_of(items: list[Any], value: Any) -> int:
    return next((i for i, item in enumerate(items) if cel_equal(item, value)), -1)


def last_index_of(items: list[Any], value: Any) -> int:
    return next((i for i in range(len(items) - 1, -1, -1) if cel_equal(items[i], value)), -1)


def includes(target: Any, value: Any) -> bool:
    if isinstance(target, list):
        return any(cel_equal(item, value) for item in target)
    return cel_equal(target, value)


def _slice(items: list[Any], start: int, end: int) -> list[Any]:
    if start < 0 or end < 0:
        raise ValueError(f"cannot slice({start}, {end}), negative indexes not supported")
    if start > end:
        raise ValueError(f"cannot slice({start}, {end}), start index must be less than or equal to end index")
    if end > len(items):
        raise ValueError(f"cannot slice({start}, {end}), list is length {len(items)}")
    return items[start:end]


def _flatten(items: list[Any], depth: int = 1) -> list[Any]:
    if depth < 0:
        raise ValueError("level must be non-negative")
    out: list[Any] = []
    for item in items:
        if isinstance(item, list) and depth > 0:
            out.extend(_flatten(item, depth - 1))
        else:
            out.append(item)
    return out


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if not any(cel_equal(item, seen) for seen in out):
            out.append(item)
    return out


def _sort(items: list[Any]) -> list[Any]:
    return sorted(_comparable(items))


def declarations(kubernetes_lists: int, ext_lists: int | None) -> list[Decl]:
    """kubernetes_lists: version of the Kubernetes library; ext_lists: of cel-go's (None: off)."""
    lst = "list"
    decls = [
        member("isSorted", "list_is_sorted_bool", [lst], "bool", is_sorted),
        member("sum", "list_sum", [lst], "dyn", _sum),
        member("max", "list_max", [lst], "dyn", _extreme("max", max)),
        member("min", "list_min", [lst], "dyn", _extreme("min", min)),
        member("indexOf", "list_a_index_of_int", [lst, "dyn"], "int", index_of),
        member("lastIndexOf", "list_a_last_index_of_int", [lst, "dyn"], "int", last_index_of),
    ]
    if kubernetes_lists >= 1:
        decls.append(member("includes", "list_includes_dyn_dyn", ["dyn", "dyn"], "bool", includes))
    if ext_lists is not None:
        decls.append(member("slice", "list_slice", [lst, "int", "int"], lst, _slice))
        if ext_lists >= 1:
            decls.append(member("flatten", "list_flatten", [lst], lst, _flatten))
            decls.append(member("flatten", "list_flatten_int", [lst, "int"], lst, _flatten))
        if ext_lists >= 2:
            decls += [
                member("distinct", "list_distinct", [lst], lst, _distinct),
                overload("lists.range", "lists_range", ["int"], "list(int)", lambda n: list(range(n))),
                member("reverse", "list_reverse", [lst], lst, lambda items: items[::-1]),
                member("sort", "list_sort", [lst], lst, _sort),
            ]
    return decls
