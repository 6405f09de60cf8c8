"""Path globs of the config file (exclude, ignore, apply-units), gitignore-like."""

from __future__ import annotations

import os
import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-like: `*` stays in a folder, `**` crosses folders, a trailing `/` is a folder."""
    out, i = "", 0
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"(?:/.*)?\Z")       # a folder pattern covers what is inside


@lru_cache(maxsize=256)
def _exact_regex(pattern: str) -> re.Pattern[str]:
    """Like _glob_regex, but the path must be the one named (not something inside it)."""
    return re.compile(_glob_regex(pattern).pattern.removesuffix(r"(?:/.*)?\Z") + r"\Z")


def glob_names_exactly(path: str, pattern: str) -> bool:
    """Does a glob name this path itself (posix, relative)? A pattern without `/` names a
    file or folder of that name at any depth (as in .gitignore)."""
    bare = "/" not in pattern.strip().removeprefix("./").rstrip("/")
    return _exact_regex(pattern).match(path.rsplit("/", 1)[-1] if bare else path) is not None


def path_matches(file: str, pattern: str, root: str | None = None) -> bool:
    """Does a path match a glob? Relative to `root` when the file lies under it; a pattern
    without `/` matches a file or folder name at any depth (like .gitignore)."""
    if file == "-":
        return False
    regex = _glob_regex(pattern)
    from pathlib import Path  # only with exclude or ignore patterns

    candidates = {Path(file).as_posix().removeprefix("./")}
    if root is not None:
        try:
            candidates.add(Path(os.path.abspath(file)).relative_to(root).as_posix())
        except ValueError:
            pass
    if "/" not in pattern.strip().rstrip("/"):
        for path in list(candidates):
            parts = path.split("/")
            candidates.update("/".join(parts[i:]) for i in range(1, len(parts)))
    return any(regex.match(path) for path in candidates)
