"""Reading and building the kustomizations of one run: in worker processes when there are
many, with results identical to doing it all in this process.

A worker is forked before any kustomization is read. Each process (this one included) takes
a contiguous share of the kustomization folders: it reads their kustomization files (to find
which folders are roots: built on their own, not only through others), then builds the roots
of its share, so the files it read are parsed once, where they are used. The first worker
also reads the repository's scripts (k8slint.kustomize.scripts) after its share of the scan,
which is the smaller one, and every worker gets what they say with its roots. A worker sends back
each Build without its Positions: they are keyed by id() of each container, which does not
survive pickling, so both sides walk the containers of each built object in one canonical
order and the positions travel as a list in that order (as parallel.py does for loaded
files). A worker that fails is replaced by doing its share here.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, NamedTuple

from ..parallel import containers
from . import fieldspec
from .build import Build, Shared
from .positions import Positions
from .resource import smp_schema

PARALLEL_MIN_FOLDERS = 16       # below this, starting a worker costs more than it saves
# A worker packs and pickles its builds after building them, and this process unpacks them
# only once they have arrived (after its own share either way): so this process takes the
# larger share, about what packing costs a worker more (in the bench, some 15% of its
# build time), and no process waits for another.
_OWN_SHARE_WEIGHT = 1.2

# A container's positions in transit: None (no record), or its Rec.state().
_State = tuple[Any, ...] | None
_Packed = list[tuple[Build, list[list[_State]]]]

Scan = Callable[[str], Any]                      # a folder -> what plan() needs of it
Side = Callable[[Shared], Any]                   # a job beside the scan, done once (picklable)
BuildOne = Callable[[str], Build]                # a root folder -> its build


class Team:
    """This process and up to `jobs - 1` forked workers (none for few folders, `jobs` 1, or
    without fork). Use as a context manager; scan() first, then build()."""

    def __init__(self, shared: Shared, jobs: int | None, folders: int, scan: Scan, build_one: BuildOne) -> None:
        jobs = (os.cpu_count() or 1) if jobs is None else jobs
        self.shared = shared
        self._scan = scan
        self._build = build_one
        self._jobs = min(jobs, folders) if folders >= PARALLEL_MIN_FOLDERS else 1
        self._workers: list[Any] = []           # a Connection per worker, None once it failed
        self._processes: list[Any] = []
        self._owner: dict[str, int] = {}        # folder -> share (0: this process)

    def __enter__(self) -> Team:
        if self._jobs > 1:
            import multiprocessing  # only here, as in parallel.py

            _load_tables()

            try:
                context = multiprocessing.get_context("fork")
            except ValueError:                   # no fork on this platform
                return self
            for _ in range(self._jobs - 1):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, self.shared, self._scan, self._build),
                                          daemon=True)
                process.start()
                theirs.close()
                self._workers.append(mine)
                self._processes.append(process)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        for conn in self._workers:
            if conn is not None:
                try:
                    conn.send(None)
                    conn.close()
                except OSError:
                    pass
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()

    def scan(self, folders: list[str], side: Side | None = None) -> tuple[list[Any], Any]:
        """scan(folder) for each folder, in order, each share scanned where it will be built;
        and side(shared): in the first worker after its share (this process's share is the
        larger one), else here."""
        shares = split(folders, 1 + len(self._workers))
        for index, share in enumerate(shares):
            self._owner.update(dict.fromkeys(share, index))
        sides: list[Any] = []

        def unpack(answer: tuple[list[Any], tuple[Any] | None]) -> list[Any]:
            scanned, done = answer              # done: (side's answer,) when it was asked
            if done is not None:
                sides.append(done[0])
            return scanned

        scans = self._each(shares, "scan", [side] + [None] * (len(self._workers) - 1), self._scan, unpack)
        if side is None:
            return scans, None
        return scans, sides[0] if sides else side(self.shared)

    def build(self, roots: list[str]) -> list[Build]:
        """The builds of the roots (scanned folders), in order, each where it was scanned."""
        shares: list[list[str]] = [[] for _ in range(1 + len(self._workers))]
        for root in roots:
            shares[self._owner.get(root, 0)].append(root)
        # what the scan found that every build reads: the folders several builds read, and
        # the scripts (read in one worker, Team.scan)
        read_by_all = (self.shared.reused, self.shared.scripts)
        built = self._each(shares, "build", [read_by_all] * len(self._workers), self._build, _unpack)
        by_root = dict(zip([r for share in shares for r in share], built, strict=True))
        return [by_root[root] for root in roots]

    def _each(self, shares: list[list[str]], op: str, extras: list[Any], here: Callable[[str], Any],
              unpack: Callable[[Any], list[Any]]) -> list[Any]:
        """Send each worker its share (and its extra), do share 0 here, collect in share
        order; a worker that fails has its share done here."""
        for conn, share, extra in zip(self._workers, shares[1:], extras, strict=False):
            self._send(conn, (op, share, extra))
        out = [here(folder) for folder in shares[0]]
        for index, share in enumerate(shares[1:]):
            conn = self._workers[index]
            try:
                if conn is None:
                    raise EOFError
                answer = conn.recv()
                if isinstance(answer, _Failed):
                    raise EOFError(answer.why)
                out.extend(unpack(answer))
            except (EOFError, OSError) as exc:
                if conn is not None:
                    _warn_redone(str(exc) or "it ended")
                self._workers[index] = None
                out.extend(here(folder) for folder in share)
        return out

    def _send(self, conn: Any, message: Any) -> None:
        if conn is None:
            return
        try:
            conn.send(message)
        except OSError:
            self._workers[self._workers.index(conn)] = None


def _load_tables() -> None:
    """The tables every build reads (kustomize's field specs and name references, the
    strategic-merge facts), read once here before forking rather than in every process:
    some 10 ms each."""
    fieldspec.name_references_by_kind()
    for name in fieldspec.CONFIG_SECTIONS:
        fieldspec.defaults(name)
    smp_schema()


def _warn_redone(why: str) -> None:
    print(f"k8slint: warning: a worker building kustomizations failed ({why}); built its share "
          "again in this process (same findings, slower; please report this)", file=sys.stderr)


def split(items: list[str], jobs: int) -> list[list[str]]:
    """Contiguous shares (overlays of one base stay together, so one process reads that
    base), one per process; the first, larger one is this process's."""
    weights = [_OWN_SHARE_WEIGHT] + [1.0] * (jobs - 1)
    total = sum(weights)
    shares: list[list[str]] = []
    start = 0
    acc = 0.0
    for weight in weights:
        acc += weight
        end = round(len(items) * acc / total)
        shares.append(items[start:end])
        start = end
    return shares


def _serve(conn: Any, shared: Shared, scan: Scan, build_one: BuildOne) -> None:
    """A worker: answer scan and build requests until told to stop."""
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        op, folders, extra = message
        try:
            if op == "scan":
                answer: Any = ([scan(folder) for folder in folders], None if extra is None else (extra(shared),))
            else:
                shared.reused, shared.scripts = extra
                answer = [_pack(build_one(root)) for root in folders]
        except BaseException as exc:  # noqa: BLE001 - said in the main process, then redone there
            conn.send(_Failed(f"{type(exc).__name__}: {exc}"))
            return
        conn.send(answer)


class _Failed(NamedTuple):
    """What a worker sends instead of its answer when it fails."""

    why: str


def _pack(built: Build) -> tuple[Build, list[list[_State]]]:
    """The build without its Positions, and the positions of each resource's containers."""
    state = built.positions.state
    states = [[state(node) for node in containers(res.data)] for res in built.resources]
    return dataclasses.replace(built, positions=Positions()), states


def _unpack(packed: _Packed) -> list[Build]:
    """Builds whose positions are keyed by this process's containers (one Positions for
    all the builds of a worker, as one process shares one)."""
    positions = Positions()
    recs = positions.recs                  # Positions.receive() inlined: a call less per container
    out = []
    for built, states in packed:
        for res, res_states in zip(built.resources, states, strict=True):
            for node, state in zip(containers(res.data), res_states, strict=True):
                if state is not None:
                    recs[id(node)] = (node, state)
        out.append(dataclasses.replace(built, positions=positions))
    return out
