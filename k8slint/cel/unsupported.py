"""CEL features the API server has and k8slint's runtime lacks, recognised by their failure.

When an expression does not compile, these tell an unsupported feature (reported as an
info, never as a compile error the API server would not give) from a real mistake.
The list is the one in docs/cel.md.
"""

from __future__ import annotations

import re

from ..i18n import N_, _

_TWO_VAR = re.compile(r"\.(all|exists|existsOne|exists_one|transformList|transformMap|"
                      r"transformMapEntry)\(\s*[A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*\s*,")
_FEATURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_TWO_VAR, N_("two-variable comprehensions (cel-go ext.TwoVarComprehensions)")),
    (re.compile(r"\bformat\.[A-Za-z0-9]+\(|\.validate\("),
     N_("the Kubernetes format library (its validate() returns an optional value)")),
    (re.compile(r"\b(net\.(IP|CIDR)|kubernetes\.(URL|Quantity|Semver))\b"),
     N_("the type names of the Kubernetes object types")),
    (re.compile(r"\.sortBy\("), N_("the sortBy macro of the lists extension")),
)
# Checker messages for mixed int/uint/double comparisons of literals: cel-go accepts them
# (cel.CrossTypeNumericComparisons in k8s.io/apiserver/pkg/cel/environment/base.go).
_CROSS_NUMERIC = re.compile(r"no matching overload for '_(<|<=|>|>=)_' applied to "
                            r"'\((int|uint|double), (int|uint|double)\)'")


def unsupported_reason(source: str, compiler_message: str) -> str | None:
    """Why this expression cannot be evaluated here, or None when it is a real error."""
    if _CROSS_NUMERIC.search(compiler_message):
        return _("k8slint's CEL runtime does not compile comparisons between int, uint and "
                 "double literals, which the API server allows")
    if "undeclared reference" not in compiler_message and "no matching overload" not in compiler_message:
        return None
    for pattern, feature in _FEATURES:
        if pattern.search(source):
            return _("k8slint's CEL runtime does not support {feature}").format(feature=_(feature))
    return None
