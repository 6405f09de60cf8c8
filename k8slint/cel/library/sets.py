"""cel-go's sets extension (github.com/google/cel-go ext/sets.go), enabled from 1.29."""

from __future__ import annotations

from ..values import contains
from .decl import Decl, overload


def declarations() -> list[Decl]:
    lst = "list"
    return [
        overload("sets.contains", "list_sets_contains_list", [lst, lst], "bool",
                 lambda a, b: all(contains(a, x) for x in b)),
        overload("sets.equivalent", "list_sets_equivalent_list", [lst, lst], "bool",
                 lambda a, b: all(contains(b, x) for x in a) and all(contains(a, x) for x in b)),
        overload("sets.intersects", "list_sets_intersects_list", [lst, lst], "bool",
                 lambda a, b: any(contains(b, x) for x in a)),
    ]

