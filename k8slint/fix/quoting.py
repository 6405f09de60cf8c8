"""yaml-string-trap: quote the value exactly as it was written (`1.10` -> "1.10")."""

from __future__ import annotations

import re
from typing import Any

from ..i18n import _
from ..model import Path
from .edit import value_position, walk
from .registry import FixContext, fixer

# What YAML 1.1 (kubectl) or Go's float syntax reads as a boolean or a number. Nulls are
# left alone: whether `~` meant "" or the text "~" is not certain.
_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_NUMBER = re.compile(r"^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN"
                     r"|0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)"
                     r"(?:[eE][-+]?[0-9]+)?$")


@fixer("yaml-string-trap")
def quote_trap(obj: Any, path: Path, ctx: FixContext) -> str | None:
    if not path:
        return None
    container = walk(obj, path[:-1])
    key = path[-1]
    if not isinstance(container, (dict, list)) or walk(container, (key,)) is None:
        return None
    position = value_position(container, key)
    if position is None:
        return None
    text = ctx.token_at(*position)
    if text is None or not (_BOOL.match(text) or _NUMBER.match(text)):
        return None                      # not the plain trap we expect here: leave it
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    quoted = DoubleQuotedScalarString(text)
    if isinstance(container, list):
        container[int(key)] = quoted
    else:
        container[key] = quoted
    return _('quoted {text} as "{text}"').format(text=text)
