"""Where each key and value of a loaded document stands in its file.

Positions are kept beside the plain data, not wrapped around it. A mapping's positions are
its own line and column, then key line, key column, value line, value column per entry in
key order; a sequence's are its own position, then line and column per item. Lines and
columns are 0-based here and 1-based everywhere else.

A map has two forms. While a document is built (and wherever its positions are edited, as
kustomize does), `marks` holds one small int array per container keyed by the container's
id(). A document kept for checking is packed (`pack`): the containers in one tuple and all
their positions in one int array, about a sixth of the memory (an array and a dict entry
per container cost some 130 bytes before the first position; packed, a position takes two
bytes when the document's numbers fit, four otherwise). When the containers were made in
the order a walk of the document finds them (`containers`: the loader says so of documents
without aliases, merge keys and duplicate keys) and no raw text is kept, the packed map keeps
the document instead of the list, and walks it when positions are read: some 150 bytes a
document less.
The packed form pickles with its document (the container list refers to the data's own
dicts and lists, and pickle keeps that sharing), so worker processes send it as it is.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from .model import Path

Marks = dict[int, "array[int]"]            # id(container) -> positions
RawTexts = dict[tuple[int, Any], str]       # (id(container) or, packed, its number, key) -> text
MarksOf = Callable[[int], Any]              # id(container) -> its positions, or None


class SourceMap:
    __slots__ = ("_marks", "_raw", "nodes", "_flat", "_packed_raw", "_root")

    def __init__(self) -> None:
        self._marks: Marks | None = {}
        # (id(container), key or index) -> original text of a plain scalar that YAML 1.1
        # turned into a non-string (or that Go's YAML reads as a number): 1.10, yes, 0755.
        self._raw: RawTexts | None = {}
        # the containers, in the order their marks were made (a list while they are made and
        # edited, a tuple once packed: no room kept for more)
        self.nodes: Sequence[Any] = []
        # packed: every container's positions in node order, then where each container's
        # positions start (len(nodes) + 1 numbers, the last one the end of the positions)
        self._flat: array[int] | None = None
        self._packed_raw: RawTexts | None = None  # packed: (node number, key) -> text
        # the document whose walk lists the containers in their order (made_in_walk_order);
        # packed, nodes is then empty
        self._root: Any = None

    # --- the two forms -------------------------------------------------------
    @property
    def marks(self) -> Marks:
        """Positions by id(container), to read or edit in place (unpacks a packed map)."""
        return self._by_id()[0]

    @property
    def raw(self) -> RawTexts:
        return self._by_id()[1]

    def _by_id(self) -> tuple[Marks, RawTexts]:
        if self._marks is None:
            self._unpack()
        assert self._marks is not None and self._raw is not None
        return self._marks, self._raw

    def made_in_walk_order(self, root: Any) -> None:
        """Say that the containers were made in the order containers(root) lists them, each
        once: packed, the map keeps `root` instead of their list."""
        self._root = root

    def pack(self) -> None:
        """Keep the positions in the compact form (see the module docstring)."""
        marks = self._marks
        if marks is None:
            return
        flat: array[int] = array("i")
        starts: array[int] = array("i")
        number = {}
        for i, node in enumerate(self.nodes):
            number[id(node)] = i
            starts.append(len(flat))
            flat.extend(marks[id(node)])
        starts.append(len(flat))
        flat.extend(starts)                     # one array: one header less per document
        assert self._raw is not None
        self._packed_raw = {(number[cid], key): text for (cid, key), text in self._raw.items()} or None
        self._flat, self._marks, self._raw = _narrow(flat), None, None
        if self._root is not None and self._packed_raw is None and self.nodes:
            self.nodes = ()
        else:
            self.nodes, self._root = tuple(self.nodes), None

    def frozen(self, root: Any) -> tuple[str, bytes, RawTexts | None] | None:
        """The packed positions of document `root` as plain values (k8slint.frozen writes
        them with the document), or None when its containers are not in the order a walk of
        `root` lists them (aliases, merge keys, duplicate keys: see made_in_walk_order)."""
        walk_order = self._root is root        # read before pack: with raw texts it keeps the list
        self.pack()
        flat = self._flat
        if flat is None or not (walk_order or _lists_walk(self.nodes, root)):
            return None
        return (flat.typecode, flat.tobytes(), self._packed_raw)

    @classmethod
    def thawed(cls, root: Any, typecode: str, flat: bytes, raw: RawTexts | None) -> SourceMap:
        """The packed map of frozen() again, over `root` (the document read back with it)."""
        smap = cls.__new__(cls)
        smap._marks = smap._raw = None
        smap.nodes, smap._root, smap._packed_raw = (), root, raw
        smap._flat = array(typecode)
        smap._flat.frombytes(flat)
        return smap

    def _containers(self) -> Sequence[Any]:
        """The containers in the order of their positions, in either form."""
        return containers(self._root) if self._root is not None and not self.nodes else self.nodes

    def _unpack(self) -> None:
        flat = self._flat
        assert flat is not None
        nodes = self.nodes = list(self._containers())
        self._root = None
        starts = len(flat) - len(nodes) - 1
        # editable arrays of the build-time type, whatever the packed one
        self._marks = {id(node): array("i", flat[flat[starts + i]:flat[starts + i + 1]])
                       for i, node in enumerate(nodes)}
        self._raw = {(id(nodes[i]), key): text for (i, key), text in (self._packed_raw or {}).items()}
        self._flat = self._packed_raw = None

    def _marks_of(self) -> MarksOf:
        """Reads positions by container in either form."""
        if self._marks is not None:
            return self._marks.get
        return _packed_reader(self)

    # --- reading -------------------------------------------------------------
    def locate(self, data: Any, path: Path, at: str = "key") -> tuple[int, int]:
        """1-based (line, column) of the node at `path`, or of its deepest existing ancestor."""
        marks_of = self._marks_of()
        node = data
        marks = marks_of(id(node))
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
            child = marks_of(id(node))
            if child is None:
                break
            marks = child
        return (best[0] + 1, best[1] + 1)

    def raw_text(self, container: Any, key: Any) -> str | None:
        if self._raw is not None:
            return self._raw.get((id(container), key))
        if not self._packed_raw:
            return None
        number = _numbers(self).get(id(container))
        return None if number is None else self._packed_raw.get((number, key))


# The two low bytes of a 4-byte int in memory, then the two high ones.
_LOW, _HIGH = ((0, 1), (2, 3)) if sys.byteorder == "little" else ((2, 3), (0, 1))


def _narrow(numbers: array[int]) -> array[int]:
    """The numbers in two bytes each when they fit (lines and columns under 65,536: all but
    huge files), else as they are. By byte slices: array("H", numbers) converts one
    Python int at a time, several times slower."""
    if numbers.itemsize != 4:                  # pragma: no cover - no such platform in use
        return numbers
    raw = numbers.tobytes()
    if raw[_HIGH[0]::4].strip(b"\0") or raw[_HIGH[1]::4].strip(b"\0"):
        return numbers                         # 65,536 or more, or negative (edited positions)
    low = bytearray(2 * len(numbers))
    low[0::2], low[1::2] = raw[_LOW[0]::4], raw[_LOW[1]::4]
    narrow = array("H")
    narrow.frombytes(low)
    return narrow


def _key_index(mapping: dict[Any, Any], key: Any) -> int:
    for i, k in enumerate(mapping):
        if k == key:
            return i
    return 0


# The container numbers of the packed map read last: the engine reports an object's
# findings one after another, so one map is read many times in a row.
_last: tuple[SourceMap | None, dict[int, int]] = (None, {})


def _numbers(smap: SourceMap) -> dict[int, int]:
    global _last
    owner, numbers = _last
    if owner is not smap:
        if smap._root is not None and not smap.nodes:
            numbers = _walk_numbers(smap._root)
        else:
            numbers = {id(node): i for i, node in enumerate(smap.nodes)}
        _last = (smap, numbers)
    return numbers


def _packed_reader(smap: SourceMap) -> MarksOf:
    flat = smap._flat
    assert flat is not None
    numbers = _numbers(smap)
    starts = len(flat) - len(numbers) - 1

    def marks_of(container_id: int) -> Any:
        i = numbers.get(container_id)
        if i is None:
            return None
        return memoryview(flat)[flat[starts + i]:flat[starts + i + 1]]

    return marks_of


def containers(data: Any) -> list[Any]:
    """Every dict and list of a document once, depth first (shared ones at first sight): the
    canonical order in which positions travel between processes."""
    out: list[Any] = []
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)) and id(node) not in seen:
            seen.add(id(node))
            out.append(node)
            stack.extend(reversed(list(node.values()) if isinstance(node, dict) else node))
    return out


def _lists_walk(nodes: Sequence[Any], root: Any) -> bool:
    """Whether `nodes` are the containers of `root` in the order _walk_numbers gives them
    (each once: a document with shared containers is not)."""
    numbers = _walk_numbers(root)
    return len(numbers) == len(nodes) and all(numbers.get(id(node)) == i for i, node in enumerate(nodes))


def _walk_numbers(root: Any) -> dict[int, int]:
    """id(container) -> its number in containers(root), for a document the loader made (plain
    dicts and lists, none twice: made_in_walk_order)."""
    numbers: dict[int, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        numbers[id(node)] = len(numbers)
        inner = [v for v in (node.values() if node.__class__ is dict else node)
                 if v.__class__ is dict or v.__class__ is list]
        if inner:
            inner.reverse()
            stack.extend(inner)
    return numbers
