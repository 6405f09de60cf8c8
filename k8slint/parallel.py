"""Loading the sources: in this process, or in worker processes when the input is large
(`--jobs`), with results identical to one process. This module calls the loader, never
the reverse.

A worker parses contiguous runs of the files and sends back sources, documents and hits
as they are: a document's packed source map lists its containers, and pickle keeps them
the same objects as the document's data (sourcemap.SourceMap.pack). Given a plan of early
checks (k8slint.early), each process also runs those on the objects it parsed; a worker
sends their findings with the documents.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .loader import Document, LoadResult, Source, Stdin, discover, gc_paused, load_files
from .sourcemap import containers as containers  # the walk kustomize.workers sends positions in

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from .early import Answer, Plan

PARALLEL_MIN_BYTES = 4 * 1024 * 1024     # below this, starting workers costs more than it saves
# From this size on the documents are kept frozen (k8slint.frozen): below it, thawing them
# would cost time that memory need not buy.
LARGE_INPUT_BYTES = 32 * 1024 * 1024


def load(paths: Iterable[str], stdin: Stdin | None = None, jobs: int | None = None,
         early: Plan | None = None) -> LoadResult:
    """Load every source, in worker processes when that pays; problems are hits or I/O
    errors, never exceptions.

    `jobs`: worker processes for parsing (None: all cores when the input is large).
    `early`: checks the workers run on what they parsed; their findings go to early.done."""
    with gc_paused():
        files, io_errors = discover(paths)
        frozen = _size(files) >= LARGE_INPUT_BYTES
        jobs = processes(files, jobs)
        if jobs > 1:
            result = load_parallel(files, jobs, frozen, early)
        else:
            result = load_files(files, stdin, _freezer() if frozen else None)
        result.io_errors[:0] = io_errors
        return result


def processes(files: list[str], jobs: int | None) -> int:
    """How many processes `load` parses the (discovered) files in."""
    if len(files) < 2 or "-" in files:
        return 1
    return default_jobs(files) if jobs is None else jobs


def default_jobs(files: list[str]) -> int:
    """All cores for large inputs, one otherwise."""
    return (os.cpu_count() or 1) if _size(files) >= PARALLEL_MIN_BYTES else 1


def _size(files: list[str]) -> int:
    """Bytes of the files (0 when one cannot be read: the loader will say why)."""
    try:
        return sum(os.path.getsize(f) for f in files if f != "-")
    except OSError:
        return 0


def load_parallel(files: list[str], jobs: int, frozen: bool = False, early: Plan | None = None) -> LoadResult:
    """Parse `files` in `jobs` processes (this one included), keeping input order; `frozen`:
    the documents are kept frozen (k8slint.frozen); `early`: see load.

    The files are cut into runs of about CHUNK_BYTES. This process takes runs from the front,
    the workers from the back, until they meet: each does as much as its speed allows (a
    fixed split could not know how much the early checks add, nor how busy the cores are)."""
    import multiprocessing  # only here: it costs ~15 ms of start-up

    chunks = _chunks(files)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:                                   # no fork on this platform
        context = None
    if context is None or len(chunks) < 2:               # nothing to share out
        return load_files(files, each=_freezer() if frozen else None)
    if frozen:
        _store_shared(context)
    global _plan
    if early is not None:
        early.specs()                # the checks are imported once, here, before the fork
    _plan = early
    try:
        parts = _load_chunks(context, chunks, jobs - 1, frozen, early)
    finally:
        _plan = None
    result = LoadResult()
    for part in parts:
        result.sources.extend(part.sources)
        result.hits.extend(part.hits)
        result.io_errors.extend(part.io_errors)
    return result


def _freeze(result: LoadResult) -> None:
    """Keep `result`'s documents frozen (k8slint.frozen), in this run's store."""
    from .frozen import freeze_all  # only large inputs: not on the start-up path

    freeze_all(result)


def _freezer() -> Callable[[Source], None]:
    """What freezes a source's documents as soon as they are parsed, into a new store (one
    process loads all: the parsed documents are never held all at once)."""
    from .frozen import freeze_source, storing

    storing()
    return freeze_source


def _store_shared(context: Any) -> None:
    """A store for the frozen documents that the workers write to as well: each takes its
    offsets from one counter in shared memory."""
    from .frozen import storing

    end = context.Value("q", 0)

    def reserve(size: int) -> int:
        with end.get_lock():
            offset = end.value
            end.value += size
        return int(offset)

    storing(reserve)


def _load_chunks(context: Any, chunks: list[list[str]], workers: int, frozen: bool,
                 early: Plan | None) -> list[LoadResult]:
    """Each chunk loaded, here or in one of `workers` processes, in chunk order."""
    parts: list[LoadResult | None] = [None] * len(chunks)
    lock = threading.Lock()
    bounds = [0, len(chunks)]                 # the first chunk nobody took, and one past the last
    pending: list[AsyncResult[tuple[LoadResult, Answer | None]]] = []

    with context.Pool(workers) as pool:
        def give_back() -> None:
            """Send the last chunk nobody took to a worker (holding the lock)."""
            if bounds[0] < bounds[1]:
                bounds[1] -= 1
                index = bounds[1]
                pending.append(pool.apply_async(_work, (chunks[index], frozen),
                                                callback=lambda answer: arrived(index, answer)))

        def arrived(index: int, answer: tuple[LoadResult, Answer | None]) -> None:
            # In the pool's result thread, which unpickled the answer as it came: no worker's
            # whole share waits as one pickle beside its unpickled objects.
            part, checked = answer
            if early is not None and checked is not None:
                early.add(part.documents, checked)
            parts[index] = part
            with lock:
                give_back()

        with lock:
            for _ in range(2 * workers):      # one chunk in hand and one queued per worker
                give_back()
        while True:
            with lock:
                if bounds[0] >= bounds[1]:
                    break
                index = bounds[0]
                bounds[0] += 1
            parts[index] = _load_here(chunks[index], frozen, early)
        with lock:
            waiting = list(pending)           # every chunk is taken: no more will be sent
        for job in waiting:
            job.get()                         # a worker's exception is raised here
    return [part for part in parts if part is not None]


def _load_here(files: list[str], frozen: bool, early: Plan | None) -> LoadResult:
    """A chunk loaded in this process, with its early checks but those tried early (see
    early.run)."""
    result = load_files(files)
    checked = _early_checks(result, tried=False)
    if frozen:
        _freeze(result)
    if early is not None and checked is not None:
        early.add(result.documents, checked, tried=False)
    return result


# The early checks of the run under way: the forked workers inherit it (never pickled).
_plan: Plan | None = None

CHUNK_BYTES = 256 * 1024     # of YAML per chunk: small enough for an even end, large enough to pay a task


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


def _work(files: list[str], frozen: bool) -> tuple[LoadResult, Answer | None]:
    result = load_files(files)
    checked = _early_checks(result)
    if frozen:
        _freeze(result)
    for doc in result.documents:
        if doc.__class__ is Document:
            doc.source.pack()        # positions by id() would not survive pickling
    return result, checked


def _early_checks(result: LoadResult, tried: bool = True) -> Answer | None:
    """The early checks of the plan on `result`'s objects (None: no plan). Should they fail
    (a bug, not a rule's: the engine turns those into findings), they run after loading."""
    if _plan is None:
        return None
    from . import early
    try:
        return early.run(_plan, result, tried)
    except Exception as exc:  # noqa: BLE001 - the main process checks these objects itself
        print(f"k8slint: warning: the early checks failed while loading ({type(exc).__name__}: {exc}); "
              "they run again after loading (same findings, slower; please report this)", file=sys.stderr)
        return None
