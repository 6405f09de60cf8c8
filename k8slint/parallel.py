"""Loading the sources: in this process, or in worker processes when the input is large
(`--jobs`), with results identical to one process. This module calls the loader, never
the reverse.

A worker parses a contiguous share of the files and sends back sources, documents and
hits. Source maps are keyed by id() of each container, which does not survive pickling,
so both sides list the containers of each document in one canonical order and the map
travels as a list in that order.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from typing import Any, NamedTuple

from .loader import Document, LoadResult, Source, Stdin, discover, gc_paused, load_files
from .model import Hit
from .sourcemap import Marks, PackedMarks, RawTexts, SourceMap


class _PackedDocument(NamedTuple):
    number: int                     # Document.index (`index` is a tuple method)
    data: Any
    line: int
    marks: PackedMarks
    raw: RawTexts


class _PackedSource(NamedTuple):
    name: str
    text: str | None
    documents: list[_PackedDocument]


class _Packed(NamedTuple):
    """What a worker sends back: a LoadResult whose source maps do not rely on id()."""

    sources: list[_PackedSource]
    hits: list[Hit]
    io_errors: list[str]

PARALLEL_MIN_BYTES = 4 * 1024 * 1024     # below this, starting workers costs more than it saves


def load(paths: Iterable[str], stdin: Stdin | None = None, jobs: int | None = None) -> LoadResult:
    """Load every source, in worker processes when that pays; problems are hits or I/O
    errors, never exceptions.

    `jobs`: worker processes for parsing (None: all cores when the input is large)."""
    with gc_paused():
        files, io_errors = discover(paths)
        jobs = default_jobs(files) if jobs is None else jobs
        if jobs > 1 and len(files) > 1 and "-" not in files:
            result = load_parallel(files, jobs)
        else:
            result = load_files(files, stdin)
        result.io_errors[:0] = io_errors
        return result


def default_jobs(files: list[str]) -> int:
    """All cores for large inputs, one otherwise."""
    try:
        size = sum(os.path.getsize(f) for f in files if f != "-")
    except OSError:
        return 1
    return (os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1


def load_parallel(files: list[str], jobs: int) -> LoadResult:
    """Parse `files` in `jobs` processes (this one included), keeping input order."""
    import multiprocessing  # only here: it costs ~15 ms of start-up

    shares = _split(files, jobs)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:                                   # no fork on this platform
        return load_files(files)
    if len(shares) < 2:             # one file outweighs the others: no share for a worker
        return load_files(files)
    with context.Pool(len(shares) - 1) as pool:
        pending = [pool.apply_async(_work, (share,)) for share in shares[1:]]
        result = load_files(shares[0])
        for job in pending:
            part = _unpack(job.get())
            result.sources.extend(part.sources)
            result.hits.extend(part.hits)
            result.io_errors.extend(part.io_errors)
    return result


# A worker also packs and pickles what it parsed (about 45% of its parse time); this process
# unpacks it (about 25%). So this process takes a larger share than each worker.
_OWN_SHARE_WEIGHT = 1.4


def _split(files: list[str], jobs: int) -> list[list[str]]:
    """Contiguous shares of the files by size in bytes; the first one is this process's."""
    sizes = [os.path.getsize(f) for f in files]
    weights = [_OWN_SHARE_WEIGHT] + [1.0] * (jobs - 1)
    bounds, acc = [], 0.0
    for weight in weights:
        acc += weight
        bounds.append(sum(sizes) * acc / sum(weights))
    shares: list[list[str]] = [[] for _ in weights]
    running, share = 0, 0
    for path, size in zip(files, sizes, strict=True):
        while share < jobs - 1 and running >= bounds[share]:
            share += 1
        shares[share].append(path)
        running += size
    return [s for s in shares if s] or [[]]


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


def _work(files: list[str]) -> _Packed:
    result = load_files(files)
    sources = []
    for source in result.sources:
        documents: list[_PackedDocument] = []
        for doc in source.documents:
            nodes = containers(doc.data)
            index = {id(c): i for i, c in enumerate(nodes)}
            marks = [_bytes(doc.source.marks.get(id(c))) for c in nodes]
            raw = {(index[cid], key): text for (cid, key), text in doc.source.raw.items() if cid in index}
            documents.append(_PackedDocument(doc.index, doc.data, doc.line, marks, raw))
        sources.append(_PackedSource(source.name, source.text, documents))
    return _Packed(sources, result.hits, result.io_errors)


def _bytes(marks: array[int] | None) -> bytes | None:
    return None if marks is None else marks.tobytes()     # pickles far faster than an array


def _unpack(packed: _Packed) -> LoadResult:
    sources, hits, io_errors = packed
    result = LoadResult(hits=hits, io_errors=io_errors)
    for name, text, documents in sources:
        source = Source(name, text)
        for number, data, line, marks, raw in documents:
            smap = SourceMap.packed(data, marks, raw, _rekey)
            source.documents.append(Document(name, number, data, smap, line))
        result.sources.append(source)
    return result


def _rekey(data: Any, marks: PackedMarks, raw: RawTexts) -> tuple[Marks, RawTexts]:
    """Packed marks and raw texts (keyed by container number) keyed by id() of this
    process's data."""
    nodes = containers(data)
    keyed = {id(c): array("i", m) for c, m in zip(nodes, marks, strict=True) if m is not None}
    return keyed, {(id(nodes[i]), key): text for (i, key), text in raw.items()}
