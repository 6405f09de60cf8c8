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

# Values compared by equality; others (floats, whose -0.0 equals 0.0) keep their container apart.
_PLAIN = frozenset({str, int, bool, type(None), dict, list})
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
        # are final before the container itself is looked at.
        for i in range(len(nodes) - 1, -1, -1):
            node = nodes[i]
            if node.__class__ is dict:
                values = list(node.values())
                if moved:
                    for key, value in node.items():
                        if value.__class__ in (dict, list) and id(value) in moved:
                            node[key] = moved[id(value)]
                    values = list(node.values())
                key = (dict, tuple(node), *_key(values))
            else:
                if moved:
                    for index, value in enumerate(node):
                        if value.__class__ in (dict, list) and id(value) in moved:
                            node[index] = moved[id(value)]
                key = (list, *_key(node))
            if i == 0 or key[-1] is None:          # the root, or a float inside
                continue
            found = table.get(key)
            if found is None:
                table[key] = node
                used.add(id(node))
            elif id(found) not in used and found is not node:
                used.add(id(found))
                moved[id(node)] = found
                nodes[i] = found
                marks[id(found)] = marks.pop(id(node))
                if raw:
                    for cid, step in [k for k in raw if k[0] == id(node)]:
                        raw[(id(found), step)] = raw.pop((cid, step))


def _key(values: list[Any]) -> tuple[tuple[Any, ...], tuple[type, ...] | None]:
    """The values as a hashable key: a container by its identity (already the shared one),
    every value with its type; None for the types when one is not compared by equality."""
    types = tuple(map(type, values))
    if not _PLAIN.issuperset(types):
        return (), None
    return tuple([(id(v),) if v.__class__ is dict or v.__class__ is list else v for v in values]), types
