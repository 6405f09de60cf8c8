"""The CEL libraries the API server enables, by Kubernetes version.

Which library from which version: k8s.io/apiserver/pkg/cel/environment/base.go (baseOpts).
Strings and optional types are the runtime's own (cel-expr-python ext_strings at the
version the API server pins, ext_optional); the rest are Python functions here.
"""

from __future__ import annotations

from typing import Any

from ...k8s.versions import Version
from . import authz, lists, network, quantity, regex, semver, sets, urls
from .decl import Decl, build


def declarations(version: Version) -> list[Decl]:
    decls = urls.declarations() + regex.declarations()
    decls += lists.declarations(kubernetes_lists=1 if version >= (1, 37) else 0,
                                ext_lists=3 if version >= (1, 34) else None)
    decls += authz.declarations()                               # 1.27
    if version >= (1, 28):
        decls += quantity.declarations()
    if version >= (1, 29):
        decls += sets.declarations()
    if version >= (1, 30):
        decls += network.declarations()
    if version >= (1, 33):
        decls += semver.declarations()
    return decls


def extensions(version: Version) -> list[Any]:
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_optional, ext_strings

    out = [ext_strings.ExtStrings(2 if version >= (1, 29) else 0)]
    if version >= (1, 28):
        out.append(ext_optional.ExtOptional())
    out.append(cel.CelExtension("kubernetes", build(declarations(version))))
    return out
