"""Whether git ignores a path: the .gitignore files of its folder and of the folders above it,
up to the repository's top (the folder holding `.git`).

A file a kustomization needs that the repository ignores (`params.env`, a `.env` of secrets)
is made before building (by a Makefile, a README step, CI): its absence says nothing about
what gets applied. Pattern rules as gitignore(5) gives them: blank lines and `#` comments
skipped, `!` re-includes, a trailing `/` matches folders only, a slash at the start or in
the middle anchors the pattern to the .gitignore's folder, `*` and `?` and `[...]` never
match `/`, `**` matches across folders; the last matching pattern decides, a deeper
.gitignore after a shallower one; a file inside an ignored folder is ignored whatever
follows. `core.excludesFile` and `.git/info/exclude` are not read (they are not in the
repository).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import NamedTuple


class Rule(NamedTuple):
    pattern: str              # as written
    regex: re.Pattern[str]    # matches a path relative to the .gitignore's folder
    negate: bool
    folders_only: bool


class Ignored(NamedTuple):
    gitignore: str            # the .gitignore file whose pattern ignores the path
    pattern: str


def ignored(path: str) -> Ignored | None:
    """The .gitignore and pattern that make git ignore `path` (a file), or None."""
    full = os.path.abspath(path)
    top, chain = _repository(os.path.dirname(full))
    if top is None or not chain:
        return None
    parts = full[len(top):].strip(os.sep).split(os.sep)
    for depth in range(1, len(parts)):       # an ignored folder ignores all it holds
        verdict = _decide(os.path.join(top, *parts[:depth]), True, chain)
        if verdict is not None:
            return verdict
    return _decide(full, False, chain)


def _decide(path: str, is_folder: bool, chain: tuple[tuple[str, tuple[Rule, ...]], ...]) -> Ignored | None:
    """The last rule that matches `path` decides (None when none does or it re-includes)."""
    verdict: Ignored | None = None
    for folder, rules in chain:
        if not path.startswith(folder + os.sep):
            continue
        relative = path[len(folder) + 1:].replace(os.sep, "/")
        for rule in rules:
            if rule.folders_only and not is_folder:
                continue
            if rule.regex.match(relative):
                verdict = None if rule.negate else Ignored(os.path.join(folder, ".gitignore"), rule.pattern)
    return verdict


def _repository(folder: str) -> tuple[str | None, tuple[tuple[str, tuple[Rule, ...]], ...]]:
    """The repository's top folder (holding `.git`) above `folder`, and (folder, rules) of
    each .gitignore from there down to `folder`; (None, ()) outside a repository."""
    found: list[tuple[str, tuple[Rule, ...]]] = []
    current = folder
    while True:
        rules = _rules(os.path.join(current, ".gitignore"))
        if rules:
            found.append((current, rules))
        if os.path.exists(os.path.join(current, ".git")):
            return current, tuple(reversed(found))
        parent = os.path.dirname(current)
        if parent == current:
            return None, ()
        current = parent


def _rules(file: str) -> tuple[Rule, ...]:
    """The rules of a .gitignore (none when there is none), read again when it changes (the
    language server lives long)."""
    try:
        stat = os.stat(file)
    except OSError:
        return ()
    return _read_rules(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read_rules(file: str, mtime_ns: int, size: int) -> tuple[Rule, ...]:
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ()
    return tuple(rule for line in lines if (rule := parse(line)) is not None)


def parse(line: str) -> Rule | None:
    """One line of a .gitignore as a rule; None for blank lines and comments."""
    text = line.rstrip("\n")
    while text.endswith(" ") and not text.endswith("\\ "):
        text = text[:-1]
    if not text or text.startswith("#"):
        return None
    negate = text.startswith("!")
    if negate:
        text = text[1:]
    elif text.startswith("\\"):
        text = text[1:]
    folders_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        return None
    anchored = "/" in text
    body = _translate(text.lstrip("/"))
    regex = re.compile("^" + body + "$" if anchored else "^(?:.*/)?" + body + "$")
    return Rule(line.strip(), regex, negate, folders_only)


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression body."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i) and i + 2 == len(pattern) and (i == 0 or pattern[i - 1] == "/"):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape("["))
                i += 1
                continue
            inside = pattern[i + 1:end]
            if inside.startswith("!"):
                inside = "^" + inside[1:]
            out.append("[" + inside.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)
