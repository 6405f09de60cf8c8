"""Loading the sources: in this process, or in worker processes when the input is large
(`--jobs`), with results identical to one process. This module calls the loader, never
the reverse.

A worker parses a contiguous share of the files and sends back sources, documents and
hits as they are: a document's packed source map lists its containers, and pickle keeps
them the same objects as the document's data (sourcemap.SourceMap.pack).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .loader import LoadResult, Stdin, discover, gc_paused, load_files

PARALLEL_MIN_BYTES = 4 * 1024 * 1024     # below this, starting workers costs more than it saves
# From this size on, equal parts of documents are shared (k8slint.share): some 1 KB less a
# document for about a tenth more load time, which a small input need not pay.
SHARE_MIN_BYTES = 32 * 1024 * 1024


def load(paths: Iterable[str], stdin: Stdin | None = None, jobs: int | None = None) -> LoadResult:
    """Load every source, in worker processes when that pays; problems are hits or I/O
    errors, never exceptions.

    `jobs`: worker processes for parsing (None: all cores when the input is large)."""
    with gc_paused():
        files, io_errors = discover(paths)
        jobs = default_jobs(files) if jobs is None else jobs
        share = _size(files) >= SHARE_MIN_BYTES
        if jobs > 1 and len(files) > 1 and "-" not in files:
            result = load_parallel(files, jobs, share)
        else:
            result = load_files(files, stdin, share)
        result.io_errors[:0] = io_errors
        return result


def default_jobs(files: list[str]) -> int:
    """All cores for large inputs, one otherwise."""
    return (os.cpu_count() or 1) if _size(files) >= PARALLEL_MIN_BYTES else 1


def _size(files: list[str]) -> int:
    """Bytes of the files (0 when one cannot be read: the loader will say why)."""
    try:
        return sum(os.path.getsize(f) for f in files if f != "-")
    except OSError:
        return 0


def load_parallel(files: list[str], jobs: int, share: bool = False) -> LoadResult:
    """Parse `files` in `jobs` processes (this one included), keeping input order; `share`:
    see loader.load_files."""
    import multiprocessing  # only here: it costs ~15 ms of start-up

    shares = _split(files, jobs)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:                                   # no fork on this platform
        return load_files(files, share=share)
    if len(shares) < 2:             # one file outweighs the others: no share for a worker
        return load_files(files, share=share)
    with context.Pool(len(shares) - 1) as pool:
        # Small tasks: the pool's result thread unpickles each as it arrives, so no worker's
        # whole share waits here as one pickle beside its unpickled objects.
        pending = [pool.apply_async(_work, (chunk, share)) for part in shares[1:] for chunk in _chunks(part)]
        result = load_files(shares[0], share=share)
        for job in pending:
            part = job.get()
            result.sources.extend(part.sources)
            result.hits.extend(part.hits)
            result.io_errors.extend(part.io_errors)
    return result


# A worker also pickles what it parsed; this process unpickles it. So this process takes a
# larger share than each worker.
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


CHUNK_BYTES = 1024 * 1024     # of YAML per worker task


def _chunks(files: list[str]) -> list[list[str]]:
    """Contiguous runs of `files` of about CHUNK_BYTES each."""
    chunks: list[list[str]] = [[]]
    size = 0
    for path in files:
        if size >= CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += os.path.getsize(path)
    return chunks


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


def _work(files: list[str], share: bool) -> LoadResult:
    result = load_files(files, share=share)
    for doc in result.documents:
        doc.source.pack()            # positions by id() would not survive pickling
    return result
