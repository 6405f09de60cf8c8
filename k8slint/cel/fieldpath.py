"""Which field of an object an expression reads, to put a finding at that field's line."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..model import Path

_ACCESS = re.compile(r"""\.\??([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]""")


@lru_cache(maxsize=4096)
def read_paths(source: str, root: str) -> tuple[Path, ...]:
    """The field paths `root.a.b[0]['c']` read in the expression, in order of appearance;
    a bare `root` (passed whole, not a field access) is the empty path."""
    out: list[Path] = []
    for match in re.finditer(rf"\b{re.escape(root)}\b", source):
        if match.start() > 0 and (source[match.start() - 1] in ".'\"_" or source[match.start() - 1].isalnum()):
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
        out.append(tuple(path))
    return tuple(out)


def pruned(data: Any, paths: list[Path] | None, depth: int = 3) -> Any:
    """`data` reduced to the subtrees at these paths (cut at `depth` and at list indexes):
    what an expression can read, so CEL converts only that. None: all of it."""
    if paths is None or not isinstance(data, dict):
        return data
    tree = prune_tree(tuple(paths), depth)
    return data if tree is None else _take(data, tree)


@lru_cache(maxsize=256)
def prune_tree(paths: tuple[Path, ...], depth: int = 3) -> dict[Any, Any] | None:
    """The paths as a tree of dicts whose leaves are True; None when one path is the root."""
    tree: dict[Any, Any] = {}
    for path in paths:
        node = tree
        steps = list(path[:depth])
        cut = next((i for i, s in enumerate(steps) if not isinstance(s, str)), len(steps))
        steps = steps[:cut]
        if not steps:
            return None
        for step in steps[:-1]:
            child = node.get(step)
            if child is True:
                break
            node = node.setdefault(step, {})
        else:
            node[steps[-1]] = True
    return tree


def _take(data: Any, tree: dict[Any, Any]) -> Any:
    if not isinstance(data, dict):
        return data
    out = {}
    for key, sub in tree.items():
        if key in data:
            out[key] = data[key] if sub is True else _take(data[key], sub)
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
        if not path:
            continue
        found = present_prefix(data, path)
        if len(found) > len(best):
            best = found
    return best
