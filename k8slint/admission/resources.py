"""Kind -> resource name (plural), as admission rules name resources.

Built-in kinds follow the REST mapper's lower-case plural (k8s.io/apimachinery
pkg/api/meta/restmapper.go UnsafeGuessKindToResource), which is right for every built-in
kind; a custom kind takes the plural its CRD in the input declares.
"""

from __future__ import annotations

from typing import Any

from ..graph import Graph


def guess_plural(kind: str) -> str:
    """UnsafeGuessKindToResource: lower-case; -s/-x/-z/-ch/-sh get -es, consonant+y -> -ies."""
    lower = kind.lower()
    if not lower:
        return lower
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    return lower + "s"


def crd_plurals(graph: Graph) -> dict[tuple[str, str], str]:
    """(group, kind) -> plural for every CRD of the input."""
    out: dict[tuple[str, str], str] = {}
    for crd in graph.of_kind("CustomResourceDefinition"):
        spec: Any = crd.get("spec")
        names = spec.get("names") if isinstance(spec, dict) else None
        if isinstance(names, dict) and isinstance(names.get("kind"), str) and isinstance(names.get("plural"), str):
            out[(str(spec.get("group", "")), names["kind"])] = names["plural"]
    return out


def plural(group: str, kind: str, crds: dict[tuple[str, str], str]) -> str:
    return crds.get((group, kind)) or guess_plural(kind)
