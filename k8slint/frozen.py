"""Documents of a large input kept out of memory between reads.

A parsed document costs some 2 KB of dicts, lists and position arrays in memory. Written
with marshal (positions included) it takes some 800 bytes, and is read back in some 8
microseconds. From parallel.LARGE_INPUT_BYTES of input on, every document that
loaded whole is written so to a temporary file (a Store: unlinked at once, gone when the
run's documents are) and kept as where it lies; its data and positions are thawed when read
and forgotten again once THAWED_MAX other documents were thawed after it (the engine runs
an object's checks back to back, so a document is read in a few bursts). Where a file
cannot be made (no pread, no temporary folder), the bytes stay in memory.

The data stay plain dicts and lists that no one writes to (rules and `explain` only read
them), so a thawed copy is as good as the first. What refers into a thawed copy must be let
go when it is forgotten: the graph's objects register with their document (`hold`) and drop
their data and pod template then (graph.Object.forget).
"""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .model import Path
from .sourcemap import SourceMap

if TYPE_CHECKING:
    from .graph import Summary
    from .loader import Document, LoadResult, Source

THAWED_MAX = 1024          # documents thawed at a time: a few MB
_SPAN = 1 << 32            # where = offset * _SPAN + length: one int a document


class Store:
    """Where frozen documents' bytes lie: a temporary file that processes forked after it
    was made write to as well (each writes a chunk's bytes at once, at an offset `reserve`
    hands out), or this process's memory."""

    def __init__(self, reserve: Callable[[int], int] | None = None) -> None:
        self._file: Any = None
        self._kept: list[bytes] = []
        self._end = 0
        self.reserve = reserve or self._reserve_here
        if hasattr(os, "pread"):
            try:
                self._file = tempfile.TemporaryFile(prefix="k8slint-frozen-")
            except OSError:
                self._file = None

    def _reserve_here(self, size: int) -> int:
        offset, self._end = self._end, self._end + size
        return offset

    def write(self, blobs: list[bytes]) -> list[int]:
        """Keep `blobs`; where each lies (for read)."""
        if self._file is None:
            start = len(self._kept)
            self._kept.extend(blobs)
            return list(range(start, start + len(blobs)))
        offset = self.reserve(sum(map(len, blobs)))
        os.pwrite(self._file.fileno(), b"".join(blobs), offset)
        wheres = []
        for blob in blobs:
            wheres.append(offset * _SPAN + len(blob))
            offset += len(blob)
        return wheres

    def read(self, where: int) -> bytes:
        if self._file is None:
            return self._kept[where]
        offset, length = divmod(where, _SPAN)
        return os.pread(self._file.fileno(), length, offset)


class Holder(Protocol):
    """What keeps parts of a thawed document (graph.Object)."""

    def forget(self) -> None: ...


class FrozenDocument:
    """A loaded document kept in a Store; reads like loader.Document."""

    __slots__ = ("file", "index", "line", "summary", "_store", "_where", "_data", "_source", "_holders")

    def __init__(self, file: str, index: int, line: int, store: Store, where: int,
                 summary: Summary | None = None) -> None:
        self.file = file
        self.index = index
        self.line = line
        # what graph.build reads to make the object without thawing (graph.summarize),
        # until it has: it then lets it go
        self.summary = summary
        self._store = store
        self._where = where
        self._data: Any = None
        self._source: SourceMap | None = None
        self._holders: Holder | list[Holder] | None = None

    @property
    def data(self) -> Any:
        if self._source is None:
            self._thaw()
        return self._data

    @property
    def source(self) -> SourceMap:
        if self._source is None:
            self._thaw()
        assert self._source is not None
        return self._source

    def locate(self, path: Path = (), at: str = "key") -> tuple[int, int]:
        return self.source.locate(self.data, path, at)

    def position(self, path: Path = (), at: str = "key") -> tuple[str, int, int]:
        return (self.file, *self.source.locate(self.data, path, at))

    def hold(self, holder: Holder) -> None:
        """`holder` keeps parts of the thawed data: it forgets them when this document does."""
        held = self._holders
        if held is None:
            self._holders = holder
        elif isinstance(held, list):
            held.append(holder)
        else:
            self._holders = [held, holder]

    def _thaw(self) -> None:
        data, typecode, flat, raw = marshal.loads(self._store.read(self._where))
        self._data, self._source = data, SourceMap.thawed(data, typecode, flat, raw)
        _thawed[self] = None
        if len(_thawed) > THAWED_MAX:
            next(iter(_thawed)).forget()

    def forget(self) -> None:
        """Drop the thawed data and positions (read again, they are thawed again)."""
        _thawed.pop(self, None)
        self._data = self._source = None
        held = self._holders
        if isinstance(held, list):
            for holder in held:
                holder.forget()
        elif held is not None:
            held.forget()

    def __reduce__(self) -> tuple[Any, ...]:
        # from a worker to the process that forked it, whose store it wrote to
        return (_received, (self.file, self.index, self.line, self._where, self.summary))


# The thawed documents, oldest first.
_thawed: dict[FrozenDocument, None] = {}
# The store of the run under way (set by `storing`; forked workers inherit it). Each frozen
# document refers to its own: a later run's store never answers for an earlier run's documents.
_store: Store | None = None


def _received(file: str, index: int, line: int, where: int, summary: Summary | None) -> FrozenDocument:
    assert _store is not None
    return FrozenDocument(file, index, line, _store, where, summary)


def storing(reserve: Callable[[int], int] | None = None) -> Store:
    """A new store for this run's frozen documents (the last run's are let go)."""
    global _store
    forget_all()
    _store = Store(reserve)
    return _store


def _blob(doc: Document) -> bytes | None:
    """`doc` written by marshal, or None when its data or positions cannot be written so."""
    if not isinstance(doc.data, (dict, list)):
        return None
    parts = doc.source.frozen(doc.data)
    if parts is None:
        return None
    try:
        return marshal.dumps((doc.data, *parts))
    except ValueError:                      # a type marshal does not write (none in YAML)
        return None


def freeze_all(result: LoadResult) -> None:
    """Freeze the documents of every source of `result` into the run's store, in place."""
    for source in result.sources:
        freeze_source(source)


def freeze_source(source: Source) -> None:
    """Freeze the documents of `source` into the run's store, in place."""
    from .graph import summarize

    store = _store
    assert store is not None
    blobs = [_blob(doc) for doc in source.documents]
    wheres = iter(store.write([b for b in blobs if b is not None]))
    kept: list[Any] = [doc if blob is None else FrozenDocument(doc.file, doc.index, doc.line, store, next(wheres),
                                                               summarize(doc))
                       for doc, blob in zip(source.documents, blobs, strict=True)]
    source.documents = kept                 # read as loader.Document is


def forget_all() -> None:
    """Forget every thawed document (a run is over: nothing of it needs them)."""
    while _thawed:
        next(iter(_thawed)).forget()
