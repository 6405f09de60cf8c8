"""Which field of an object an expression reads, to put a finding at that field's line."""

from __future__ import annotations

import re
from typing import Any

from ..model import Path

_ACCESS = re.compile(r"""\.\??([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]""")


def read_paths(source: str, root: str) -> list[Path]:
    """The field paths `root.a.b[0]['c']` read in the expression, in order of appearance."""
    out: list[Path] = []
    for match in re.finditer(rf"\b{re.escape(root)}\b", source):
        if match.start() > 0 and source[match.start() - 1] in ".'\"":
            continue
        path: list[str | int] = []
        pos = match.end()
        while True:
            step = _ACCESS.match(source, pos)
            if not step:
                break
            name, single, double, index = step.groups()
            if name is not None and source[step.end():step.end() + 1] == "(":
                break                   # a method call, not a field
            path.append(int(index) if index is not None else (name or single or double or ""))
            pos = step.end()
        if path:
            out.append(tuple(path))
    return out


def present_prefix(data: Any, path: Path) -> Path:
    """The longest prefix of `path` that exists in `data`."""
    node = data
    for i, step in enumerate(path):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return path[:i]
    return path


def located_path(source: str, root: str, data: Any) -> Path:
    """The deepest existing field among those the expression reads (the object when none)."""
    best: Path = ()
    for path in read_paths(source, root):
        found = present_prefix(data, path)
        if len(found) > len(best):
            best = found
    return best
