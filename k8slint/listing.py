"""What the folders of one check run hold, listed once.

The loader's walk (loader.discover) lists every folder it goes through. Later questions in the
same run (is this a file, a folder, a symbolic link; which kustomization file a folder has;
is there a Chart.yaml) are then answered from those listings instead of one system call
each, which on a repository of a thousand folders is most of the time spent outside the
parser. Listings are kept only inside scope() (one run of check), so a long-lived process
(the language server, the resident server) never answers from an old listing; outside a
scope, or for a folder not listed, the functions here ask the operating system.

Paths are looked up as written, made absolute against the working folder of the scope; a
path with a `..` part is always asked of the system (`..` after a symbolic link is not
its lexical parent).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

FILE, DIR, LINK = 1, 2, 4          # an entry's flags: a file, a folder (links followed), a link

_listings: dict[str, dict[str, int]] | None = None
_cwd = ""


@contextmanager
def scope() -> Iterator[None]:
    """Keep the listings the loader records until the block ends."""
    global _listings, _cwd
    saved = _listings, _cwd
    _listings, _cwd = {}, os.getcwd()
    try:
        yield
    finally:
        _listings, _cwd = saved


def _key(folder: str) -> str | None:
    if f"{os.sep}..{os.sep}" in f"{os.sep}{folder}{os.sep}":
        return None
    return os.path.normpath(folder if os.path.isabs(folder) else os.path.join(_cwd, folder))


def record(folder: str, entries: dict[str, int]) -> None:
    """The entries of a folder just listed (name -> flags)."""
    if _listings is not None:
        key = _key(folder)
        if key is not None:
            _listings[key] = entries


def names(folder: str) -> dict[str, int] | None:
    """The entries of a folder listed in this scope, else None."""
    if _listings is None:
        return None
    key = _key(folder)
    return _listings.get(key) if key is not None else None


def _flags(path: str) -> int | None:
    """The flags of a path in a listed folder (0: not there), else None."""
    if _listings is None:
        return None
    head, tail = os.path.split(path)
    if not tail or tail in (".", ".."):
        return None
    entries = names(head or ".")
    return None if entries is None else entries.get(tail, 0)


def files(folder: str) -> list[str]:
    """The names of the files in a folder: its listing in this scope, else asked of the
    system ([] when it cannot be read)."""
    entries = names(folder)
    if entries is not None:
        return [name for name, flags in entries.items() if flags & FILE]
    try:
        return [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return []


def isfile(path: str) -> bool:
    flags = _flags(path)
    return os.path.isfile(path) if flags is None else bool(flags & FILE)


def isdir(path: str) -> bool:
    flags = _flags(path)
    return os.path.isdir(path) if flags is None else bool(flags & DIR)


def islink(path: str) -> bool:
    flags = _flags(path)
    return os.path.islink(path) if flags is None else bool(flags & LINK)


def entry_flags(entry: os.DirEntry[str]) -> int:
    """The flags of an entry of os.scandir (no system call but for links)."""
    flags = 0
    try:
        if entry.is_dir():
            flags |= DIR
        elif entry.is_file():
            flags |= FILE
        if entry.is_symlink():
            flags |= LINK
    except OSError:
        pass
    return flags
