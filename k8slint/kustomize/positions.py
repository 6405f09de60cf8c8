"""Where every key, value and list item of a built object was written, across files.

A loaded file keeps positions in a SourceMap keyed by container and key order (one file,
containers never change). A kustomize build moves nodes between files and changes
containers: a patch adds a key, a label transformer adds another, a JSON patch inserts a
list item. So a build keeps one record per container: its own position and, per key (or per
item), the (file, line, column) of the key and of the value. Transformations go through
the methods here, which keep the records in step with the data.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

from ..loader import Document

Pos = tuple[str, int, int]            # file, 1-based line, 1-based column
KeyPos = tuple[Pos, Pos]              # position of a mapping key, and of its value


# A parsed container's positions before they are needed: file, the loader's marks, and the
# keys in their order at parse time (the marks follow that order).
Lazy = tuple[str, Any, "tuple[Any, ...] | None"]


class Rec:
    """Positions of one container. `node` is kept so that a reused id() never matches.

    A parsed container keeps the loader's marks until its keys or items are first read
    (most never are): `keys` and `items` are then made from them."""

    __slots__ = ("node", "at", "_keys", "_items", "raw", "_lazy", "_pending")

    def __init__(self, node: Any, at: Pos, lazy: Lazy | None = None) -> None:
        self.node = node
        self.at = at
        self._keys: dict[Any, KeyPos] | None = None if lazy is not None else {}
        self._items: list[Pos | None] | None = None if lazy is not None else []
        self.raw: dict[Any, str] | None = None
        self._lazy = lazy
        # keys given positions before `keys` was made from the marks (put_key)
        self._pending: dict[Any, KeyPos] | None = None

    @property
    def keys(self) -> dict[Any, KeyPos]:
        if self._keys is None:
            self._expand()
        return self._keys  # type: ignore[return-value]

    @keys.setter
    def keys(self, value: dict[Any, KeyPos]) -> None:
        self._keys = value
        self._pending = None

    def put_key(self, key: Any, pair: KeyPos) -> None:
        """keys[key] = pair, without making `keys` from the marks yet (most containers a
        build writes to are never read key by key)."""
        if self._keys is None:
            if self._pending is None:
                self._pending = {}
            self._pending[key] = pair
        else:
            self._keys[key] = pair

    def positioned(self, node: dict[Any, Any]) -> bool:
        """Does every key of the mapping have a position (said from the marks, when
        `keys` is not made yet)?"""
        if self._keys is not None or self._lazy is None:
            keys = self.keys
            return all(key in keys for key in node)
        __, marks, order = self._lazy
        if order is None:                    # a sequence's record
            return False
        marked = order if len(marks) >= 2 + 4 * len(order) else order[:(len(marks) - 2) // 4]
        pending = self._pending
        return all(key in pending for key in node.keys() - set(marked)) if pending else node.keys() <= set(marked)

    def get_key(self, key: Any) -> KeyPos | None:
        """keys.get(key), read from the marks alone while `keys` is not made."""
        if self._keys is not None or self._lazy is None:
            return self.keys.get(key)
        if self._pending is not None and key in self._pending:
            return self._pending[key]
        file, marks, order = self._lazy
        if order is None or key not in order:
            return None
        base = 2 + 4 * order.index(key)
        if base + 3 >= len(marks):
            return None
        return ((file, marks[base] + 1, marks[base + 1] + 1), (file, marks[base + 2] + 1, marks[base + 3] + 1))

    def get_item(self, index: int) -> Pos | None:
        """items[index] (None past the end), read from the marks alone while `items` is not made."""
        if self._items is not None or self._lazy is None:
            items = self.items
            return items[index] if 0 <= index < len(items) else None
        file, marks, __ = self._lazy
        base = 2 + 2 * index
        if index < 0 or base + 1 >= len(marks):
            return None
        return (file, marks[base] + 1, marks[base + 1] + 1)

    @property
    def items(self) -> list[Pos | None]:
        if self._items is None:
            self._expand()
        return self._items  # type: ignore[return-value]

    @items.setter
    def items(self, value: list[Pos | None]) -> None:
        self._items = value

    def _expand(self) -> None:
        assert self._lazy is not None
        file, marks, order = self._lazy
        self._lazy = None
        keys: dict[Any, KeyPos] = {}
        items: list[Pos | None] = []
        # marks: the container's line and column, then per key its key's and its value's
        # (a mapping) or per item its line and column (a sequence)
        m = marks.tolist() if marks.__class__ is array else list(marks)
        end = len(m)
        if order is not None:
            base = 2
            for key in order:
                if base + 3 >= end:
                    break
                keys[key] = ((file, m[base] + 1, m[base + 1] + 1), (file, m[base + 2] + 1, m[base + 3] + 1))
                base += 4
        else:
            items = [(file, m[i] + 1, m[i + 1] + 1) for i in range(2, end - 1, 2)]
        if self._keys is None:
            if self._pending:
                keys.update(self._pending)
            self._keys = keys
        self._pending = None
        if self._items is None:
            self._items = items

    def state(self) -> tuple[Any, ...]:
        """This record in a picklable form, for another process (Rec.from_state): (at, lazy,
        raw) while still in the loader's marks, sent as bytes (they pickle far faster than
        an array), else (at, keys, items, raw)."""
        if self._lazy is not None and (self._keys is not None or self._items is not None or self._pending):
            self._expand()                    # half expanded: send what it holds
        if self._lazy is not None:
            file, marks, order = self._lazy
            return (self.at, (file, marks.tobytes() if isinstance(marks, array) else marks, order), self.raw)
        return (self.at, self.keys, self.items, self.raw)

    @classmethod
    def from_state(cls, node: Any, state: tuple[Any, ...]) -> Rec:
        """The record of `node` from Rec.state() of its twin in another process."""
        if len(state) == 3:
            file, marks, order = state[1]
            rec = cls(node, state[0], (file, array("i", marks) if isinstance(marks, bytes) else marks, order))
        else:
            rec = cls(node, state[0])
            rec.keys, rec.items = state[1], state[2]
        rec.raw = state[-1]
        return rec

    def clone(self, node: Any) -> Rec:
        """The same positions for a copy of the container."""
        new = Rec(node, self.at, self._lazy)
        # a record still in its marks may have had keys or items set whole (the setters)
        if self._keys is not None:
            new._keys = dict(self._keys)
        if self._items is not None:
            new._items = list(self._items)
        if self._pending:
            new._pending = dict(self._pending)
        new.raw = dict(self.raw) if self.raw else None
        return new


# A container's record before it is first read (most never are), made into a Rec then:
# (container, Rec.state()) as another process sent it (kustomize/workers.py _unpack), or
# (container, file, marks, keys at parse time or None, raw texts) as parsed (Positions.adopt),
# flat: one tuple per container of every file a build reads.
Received = tuple[Any, ...]


def _made(node: Any, found: Received) -> Rec:
    """The Rec of a record not made yet (Received)."""
    if len(found) == 5:
        __, file, marks, order, raw = found
        rec = Rec(node, (file, marks[0] + 1, marks[1] + 1), (file, marks, order))
        rec.raw = raw
        return rec
    return Rec.from_state(node, found[1])


class Positions:
    """Positions of every container of a build, keyed by id()."""

    __slots__ = ("recs",)

    def __init__(self) -> None:
        self.recs: dict[int, Rec | Received] = {}

    # --- reading -------------------------------------------------------------
    def rec(self, node: Any) -> Rec | None:
        found = self.recs.get(id(node))
        if found is None:
            return None
        if isinstance(found, Rec):
            return found if found.node is node else None
        if found[0] is not node:
            return None
        made = self.recs[id(node)] = _made(node, found)
        return made

    def at(self, node: Any, default: Pos) -> Pos:
        found = self.rec(node)
        return found.at if found is not None else default

    def key(self, mapping: dict[Any, Any], key: Any, default: Pos) -> KeyPos:
        """Positions of a key and of its value (the mapping's own position when unknown)."""
        found = self.recs.get(id(mapping))
        if found.__class__ is not Rec or found.node is not mapping:
            found = self.rec(mapping)               # rec(), inlined above for the usual case
        if found is None:
            return (default, default)
        return found.get_key(key) or (found.at, found.at)

    def value(self, mapping: dict[Any, Any], key: Any, default: Pos) -> Pos:
        return self.key(mapping, key, default)[1]

    def item(self, items: list[Any], index: int, default: Pos) -> Pos:
        found = self.rec(items)
        if found is None:
            return default
        return found.get_item(index) or found.at

    def raw_text(self, container: Any, key: Any) -> str | None:
        found = self.rec(container)
        return found.raw.get(key) if found is not None and found.raw else None

    def locate(self, root: Any, path: tuple[Any, ...], at: str = "key") -> Pos | None:
        """Position of the node at `path` (or of its deepest existing ancestor); None when
        the root has no record."""
        node = root
        rec = self.rec(node)
        if rec is None:
            return None
        recs = self.recs
        best = rec.at
        last = len(path) - 1
        for depth, step in enumerate(path):
            if isinstance(node, dict):
                if step not in node:
                    break
                pair = rec.get_key(step)
                if pair is not None:
                    best = pair[0] if depth == last and at == "key" else pair[1]
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and -len(node) <= step < len(node):
                step %= len(node)
                found = rec.get_item(step)
                if found is not None:
                    best = found
                node = node[step]
            else:
                break
            child = recs.get(id(node))
            if child is None:
                break
            if child.__class__ is not Rec or child.node is not node:   # rec(), inlined for the usual case
                child = self.rec(node)
                if child is None:
                    break
            rec = child
        return best

    # --- recording -----------------------------------------------------------
    def adopt(self, doc: Document) -> bool:
        """Record the positions of a freshly parsed document (every container); True when
        a container stands in several places (YAML aliases share the anchor's data)."""
        source = doc.source
        raw = source.raw
        file = doc.file
        marks_of = source.marks
        raw_by_id: dict[int, dict[Any, str]] = {}
        for (container_id, key), text in raw.items():
            raw_by_id.setdefault(container_id, {})[key] = text
        stack: list[Any] = [doc.data]
        recs = self.recs
        before = len(recs)
        visits = 0
        push = stack.append
        while stack:
            node = stack.pop()
            marks = marks_of.get(id(node))
            if marks is None:
                continue
            visits += 1
            if node.__class__ is dict:
                order: tuple[Any, ...] | None = tuple(node)
                values: Any = node.values()
            else:
                order = None
                values = node
            for value in values:
                if value.__class__ is dict or value.__class__ is list:
                    push(value)
            recs[id(node)] = (node, file, marks, order, raw_by_id.get(id(node)) if raw_by_id else None)
        # a container met twice is recorded once (the records hold their containers, so
        # no other live container has its id)
        return len(recs) - before < visits

    def ensure(self, node: Any, at: Pos) -> Rec:
        found = self.recs.get(id(node))
        if found.__class__ is Rec and found.node is node:       # rec(), inlined: the usual case
            return found
        found = self.rec(node)
        if found is None:
            found = self.recs[id(node)] = Rec(node, at)
            if isinstance(node, list):
                found.items = [None] * len(node)
        return found

    def mark(self, node: Any, at: Pos) -> Any:
        """Give `at` to every container of a new subtree that has no position yet."""
        if isinstance(node, dict):
            rec = self.ensure(node, at)
            if not rec.positioned(node):
                keys = rec.keys
                for key in node:
                    keys.setdefault(key, (at, at))
            for value in node.values():
                if value.__class__ is dict or value.__class__ is list:
                    self.mark(value, at)
        elif isinstance(node, list):
            rec = self.ensure(node, at)
            lazy = rec._lazy
            if not (lazy is not None and rec._items is None and len(lazy[1]) >= 2 + 2 * len(node)):
                filled: list[Pos | None] = [p if p is not None else at for p in rec.items]
                rec.items = filled + [at] * (len(node) - len(filled))
            for value in node:
                if value.__class__ is dict or value.__class__ is list:
                    self.mark(value, at)
        return node

    def set(self, mapping: dict[Any, Any], key: Any, value: Any, key_at: Pos, value_at: Pos | None = None) -> None:
        """mapping[key] = value, the key written at key_at and the value at value_at."""
        where = value_at or key_at
        rec = self.ensure(mapping, key_at)
        mapping[key] = value
        rec.put_key(key, (key_at, where))
        if rec.raw:
            rec.raw.pop(key, None)
        if value.__class__ is dict or value.__class__ is list or isinstance(value, (dict, list)):
            self.mark(value, where)

    def move(self, mapping: dict[Any, Any], key: Any, value: Any, pair: KeyPos) -> None:
        """mapping[key] = value keeping positions that came with the value (a merge)."""
        rec = self.ensure(mapping, pair[0])
        mapping[key] = value
        rec.put_key(key, pair)
        if rec.raw:
            rec.raw.pop(key, None)
        if value.__class__ is dict or value.__class__ is list or isinstance(value, (dict, list)):
            self.mark(value, pair[1])

    def delete(self, mapping: dict[Any, Any], key: Any) -> None:
        mapping.pop(key, None)
        rec = self.rec(mapping)
        if rec is not None:
            rec.keys.pop(key, None)

    def set_items(self, items: list[Any], values: list[Any], where: Sequence[Pos | None], default: Pos) -> None:
        """Replace the contents of a list, with a position per item."""
        rec = self.ensure(items, default)
        items[:] = values
        rec.items = list(where) + [None] * (len(values) - len(where))
        rec.raw = None

    def set_item(self, items: list[Any], index: int, value: Any, at: Pos) -> None:
        rec = self.ensure(items, at)
        items[index] = value
        while len(rec.items) < len(items):
            rec.items.append(None)
        rec.items[index] = at
        self.mark(value, at)

    def copy(self, node: Any) -> Any:
        """A deep copy of plain data that keeps the positions of the original."""
        cls = node.__class__
        if cls is dict:
            out: Any = {k: (self.copy(v) if v.__class__ is dict or v.__class__ is list else v)
                        for k, v in node.items()}
        elif cls is list:
            out = [self.copy(v) if v.__class__ is dict or v.__class__ is list else v for v in node]
        else:
            return node
        recs = self.recs
        rec = recs.get(id(node))
        if rec is None:
            return out
        if rec.__class__ is Rec and rec.node is node:           # rec(), inlined for the usual case
            recs[id(out)] = rec.clone(out)
        elif rec.__class__ is tuple and rec[0] is node and len(rec) == 5:
            # as parsed: the copy's record is not made either (the marks are shared, as
            # Rec.clone shares them; the raw texts are its own)
            __, file, marks, order, raw = rec
            recs[id(out)] = (out, file, marks, order, dict(raw) if raw else None)
        elif rec.__class__ is tuple and rec[0] is node and len(rec[1]) == 3:
            # a record not made yet (Rec.state(): at, lazy, raw): the copy's is one too (the
            # marks are shared, as Rec.clone shares them; the raw texts are its own)
            at, lazy, raw = rec[1]
            recs[id(out)] = (out, (at, lazy, dict(raw) if raw else None))
        else:
            found = self.rec(node)
            if found is not None:
                recs[id(out)] = found.clone(out)
        return out

    def state(self, node: Any) -> tuple[Any, ...] | None:
        """rec(node).state() (None without a record), without making a record not made yet."""
        found = self.recs.get(id(node))
        if found is None:
            return None
        if isinstance(found, Rec):
            return found.state() if found.node is node else None
        if found[0] is not node:
            return None
        if len(found) == 5:                  # as parsed (Rec.state()'s marks are bytes)
            __, file, marks, order, raw = found
            return ((file, marks[0] + 1, marks[1] + 1),
                    (file, marks.tobytes() if marks.__class__ is array else marks, order), raw)
        state: tuple[Any, ...] = found[1]
        if len(state) == 3 and state[1][1].__class__ is array:       # Rec.state()'s marks are bytes
            file, marks, order = state[1]
            return (state[0], (file, marks.tobytes(), order), state[2])
        return state
