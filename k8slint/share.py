"""One object for identical parts of different documents.

Rendered manifests repeat themselves: the same labels, selectors, probes, resources and
security contexts appear in object after object, and each parsed copy is its own dicts and
lists (some 190 bytes a dict, whatever its size). While a run's files are loaded, a part of
a document that equals one already seen in another document becomes that same object.

Nothing else changes: the data stay plain dicts and lists that no one writes to (rules and
`explain` only read them), and each document keeps its own positions (sourcemap.SourceMap
is per document and keyed by the containers it holds), so the same dict in two documents
has the positions of each. Two things are never made one object: parts of one document
(its positions would clash; aliases are shared as the YAML wrote them), and parts whose
values are equal but not the same to a reader (1 and True, 0.0 and -0.0, 1 and 1.0).
"""

from __future__ import annotations

from typing import Any

from .sourcemap import SourceMap

# Values compared by equality (with their types: 1 is not True); a float (-0.0 equals 0.0)
# keeps its container apart.
_SCALARS = frozenset({str, int, bool, type(None)})
_PLAIN = _SCALARS | {dict, list}
# Containers per table (some 1,500 documents): a table's keys cost about what the parts
# they stand for do, so it starts afresh after that many (within a file too); most of what
# repeats does so within that many.
TABLE_NODES = 20_000


class Sharer:
    """The parts seen so far in the last TABLE_NODES or fewer containers."""

    __slots__ = ("_table", "_nodes")

    def __init__(self) -> None:
        self._table: dict[tuple[Any, ...], Any] = {}
        self._nodes = 0

    def document(self, source: SourceMap) -> None:
        """Make the parts of one freshly built document (the root excepted) those already
        seen, in its data and in its source map (still in the build form, not packed)."""
        nodes = source.nodes
        if len(nodes) < 2:
            return
        assert isinstance(nodes, list)
        self._nodes += len(nodes)
        if self._nodes > TABLE_NODES:
            self._table, self._nodes = {}, len(nodes)
        marks, raw = source.marks, source.raw
        table = self._table
        used: set[int] = set()             # ids of the shared objects now in this document
        moved: dict[int, Any] = {}         # id(container) -> the object that replaced it
        # Children were built after their parents: backwards, every container's children
        # are final before the container itself is looked at (the root is not shared).
        for i in range(len(nodes) - 1, 0, -1):
            node = nodes[i]
            is_dict = node.__class__ is dict
            values = node.values() if is_dict else node
            types = tuple(map(type, values))
            if _SCALARS.issuperset(types):                 # a leaf: its values are the key
                key: tuple[Any, ...] = (tuple(node.items()), types) if is_dict else (None, tuple(node), types)
            elif _PLAIN.issuperset(types):
                key = (tuple(node), types, *_children(node, is_dict, moved)) if is_dict \
                    else (None, None, types, *_children(node, is_dict, moved))
            else:                                          # a float: never shared
                continue
            found = table.get(key)
            if found is None:
                table[key] = node
                used.add(id(node))
            elif id(found) not in used:
                used.add(id(found))
                moved[id(node)] = found
                nodes[i] = found
                marks[id(found)] = marks.pop(id(node))
                if raw:
                    for cid, step in [k for k in raw if k[0] == id(node)]:
                        raw[(id(found), step)] = raw.pop((cid, step))
        if moved:
            _children(nodes[0], nodes[0].__class__ is dict, moved)


def _children(node: Any, is_dict: bool, moved: dict[int, Any]) -> list[Any]:
    """The values of a container that holds containers, each of those by its identity
    (put in place first when it was replaced by a shared one)."""
    out: list[Any] = []
    for step, value in (node.items() if is_dict else enumerate(node)):
        if value.__class__ is dict or value.__class__ is list:
            if moved:
                shared = moved.get(id(value))
                if shared is not None:
                    node[step] = value = shared
            out.append(id(value))
        else:
            out.append(value)
    return out
