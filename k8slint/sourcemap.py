"""Where each key and value of a loaded document stands in its file.

Positions are kept beside the plain data, not wrapped around it: one small int array
per mapping or sequence, keyed by the container's id(). A mapping's array holds its own
line and column, then key line, key column, value line, value column per entry in key
order; a sequence's holds its own position, then line and column per item. Lines and
columns are 0-based here and 1-based everywhere else.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any

from .model import Path

Marks = dict[int, "array[int]"]            # id(container) -> positions
RawTexts = dict[tuple[int, Any], str]       # (id(container) or, packed, its number, key) -> text
PackedMarks = list[bytes | None]            # positions in container order, for pickling
# Re-keys a packed map by id() of this process's containers: (data, marks, raw in
# container order) -> (marks, raw).
Unpack = Callable[[Any, PackedMarks, RawTexts], tuple[Marks, RawTexts]]


class SourceMap:
    __slots__ = ("marks", "raw", "_packed")

    def __init__(self) -> None:
        self.marks: Marks = {}
        # (id(container), key or index) -> original text of a plain scalar that YAML 1.1
        # turned into a non-string (or that Go's YAML reads as a number): 1.10, yes, 0755.
        self.raw: RawTexts = {}
        self._packed: tuple[Any, PackedMarks, RawTexts, Unpack] | None = None

    @classmethod
    def packed(cls, data: Any, marks: PackedMarks, raw: RawTexts, unpack: Unpack) -> SourceMap:
        """A map that arrived from another process in container order; it is keyed by
        id() on first use (most documents never need a position)."""
        smap = cls()
        smap._packed = (data, marks, raw, unpack)
        if not raw:                      # nothing to re-key for raw_text: stay packed
            return smap
        smap._unpack()
        return smap

    def _unpack(self) -> None:
        assert self._packed is not None
        data, marks, raw, unpack = self._packed
        self._packed = None
        self.marks, self.raw = unpack(data, marks, raw)

    def locate(self, data: Any, path: Path, at: str = "key") -> tuple[int, int]:
        """1-based (line, column) of the node at `path`, or of its deepest existing ancestor."""
        if self._packed is not None:
            self._unpack()
        node = data
        marks = self.marks.get(id(node))
        if marks is None:
            return (1, 1)
        best = (marks[0], marks[1])
        last = len(path) - 1
        for depth, step in enumerate(path):
            if isinstance(node, dict):
                if step not in node:
                    break
                index = _key_index(node, step)
                base = 2 + 4 * index
                if depth == last and at == "key":
                    best = (marks[base], marks[base + 1])
                else:
                    best = (marks[base + 2], marks[base + 3])
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and -len(node) <= step < len(node):
                step %= len(node)
                best = (marks[2 + 2 * step], marks[3 + 2 * step])
                node = node[step]
            else:
                break
            child = self.marks.get(id(node))
            if child is None:
                break
            marks = child
        return (best[0] + 1, best[1] + 1)

    def raw_text(self, container: Any, key: Any) -> str | None:
        return self.raw.get((id(container), key))


def _key_index(mapping: dict[Any, Any], key: Any) -> int:
    for i, k in enumerate(mapping):
        if k == key:
            return i
    return 0
