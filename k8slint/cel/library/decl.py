"""Function declarations in a form independent of the runtime, merged and built lazily.

The Kubernetes object types are all maps at run time (values.py), so two libraries'
overloads that differ only in those types (`isGreaterThan` of Quantity and of Semver,
`string` of IP and of CIDR) become one overload that tries each implementation in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..values import NoOverload

OBJECT_TYPES = frozenset({"quantity", "url", "ip", "cidr", "semver", "authorizer",
                          "pathcheck", "resourcecheck", "decision"})


@dataclass(frozen=True)
class Decl:
    name: str
    overload_id: str
    params: tuple[str, ...]
    result: str
    impl: Callable[..., Any]
    is_member: bool


def overload(name: str, overload_id: str, params: Iterable[str], result: str,
             impl: Callable[..., Any]) -> Decl:
    return Decl(name, overload_id, tuple(params), result, impl, False)


def member(name: str, overload_id: str, params: Iterable[str], result: str,
           impl: Callable[..., Any]) -> Decl:
    return Decl(name, overload_id, tuple(params), result, impl, True)


def _runtime_type(name: str) -> str:
    return "map" if name in OBJECT_TYPES else name


def _first_of(impls: list[Callable[..., Any]]) -> Callable[..., Any]:
    def dispatch(*args: Any) -> Any:
        error: NoOverload | None = None
        for impl in impls:
            try:
                return impl(*args)
            except NoOverload as exc:
                error = exc
        raise error or NoOverload("no such overload")
    return dispatch


def build(decls: Iterable[Decl]) -> list[Any]:
    """cel.FunctionDecl objects for these declarations, merged where they collide."""
    from cel_expr_python import cel

    groups: dict[tuple[str, bool, tuple[str, ...]], list[Decl]] = {}
    for decl in decls:
        key = (decl.name, decl.is_member, tuple(_runtime_type(p) for p in decl.params))
        groups.setdefault(key, []).append(decl)
    by_name: dict[str, list[Any]] = {}
    for (name, is_member, params), group in groups.items():
        results = {_runtime_type(d.result) for d in group}
        result = results.pop() if len(results) == 1 else "dyn"
        impl = group[0].impl if len(group) == 1 else _first_of([d.impl for d in group])
        by_name.setdefault(name, []).append(cel.Overload(
            "_".join(d.overload_id for d in group), _cel_type(cel, result),
            [_cel_type(cel, p) for p in params], is_member=is_member, impl=impl))
    return [cel.FunctionDecl(name, overloads) for name, overloads in by_name.items()]


def _cel_type(cel: Any, name: str) -> Any:
    t = cel.Type
    simple = {"string": t.STRING, "int": t.INT, "uint": t.UINT, "double": t.DOUBLE,
              "bool": t.BOOL, "bytes": t.BYTES, "dyn": t.DYN, "duration": t.DURATION,
              "timestamp": t.TIMESTAMP}
    if name in simple:
        return simple[name]
    if name == "map":
        return t.Map(t.STRING, t.DYN)
    if name.startswith("list(") and name.endswith(")"):
        return t.List(_cel_type(cel, name[5:-1]))
    if name == "list":
        return t.List(t.DYN)
    raise ValueError(f"unknown type {name}")
