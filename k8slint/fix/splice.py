"""Carry ruamel's edits over to the original text, line by line.

ruamel's dump of an unchanged document is close to the file but not equal (one indentation
style per file, comments before the first `---` dropped, spacing inside flow collections
normalised). So we never write its dump: we diff the dump before the edits against the
dump after them, and apply only the changed lines to the original text. Lines that no
fix touched stay byte for byte as they were.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

# A comment: `#` at the start of a line or after whitespace, to the end of the line.
_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$")


def splice(original: str, before: str, after: str) -> str | None:
    """`original` with the line changes that turn `before` into `after`; None when a
    change cannot be placed in the original with certainty."""
    old = original.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += "\n"                  # compare like with like; restored below
        missing_newline = True
    else:
        missing_newline = False
    dumped = before.splitlines(keepends=True)
    edited = after.splitlines(keepends=True)
    where = _line_map(old, dumped)
    hunks: list[tuple[int, int, list[str]]] = []
    for tag, d1, d2, e1, e2 in SequenceMatcher(None, dumped, edited, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        span = _span(where, d1, d2, len(old))
        if span is None:
            return None
        hunks.append((span[0], span[1], _keep_comment_columns(old[span[0]:span[1]], edited[e1:e2])))
    out: list[str] = []
    pos = 0
    for start, end, lines in hunks:
        if start < pos:
            return None                  # overlapping hunks: the mapping is not certain
        out.extend(old[pos:start])
        out.extend(lines)
        pos = end
    out.extend(old[pos:])
    text = "".join(out)
    if missing_newline and text.endswith("\n"):
        text = text[:-1]
    return text


def _line_map(old: list[str], dumped: list[str]) -> list[int | None]:
    """For each line of the dump, the original line it stands for (None: none certain).

    Equal blocks map exactly; a replaced block of equal size maps line by line (the same
    lines, re-spaced by ruamel)."""
    where: list[int | None] = [None] * len(dumped)
    for tag, o1, o2, d1, d2 in SequenceMatcher(None, old, dumped, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and o2 - o1 == d2 - d1):
            for offset in range(d2 - d1):
                where[d1 + offset] = o1 + offset
    return where


def _span(where: list[int | None], d1: int, d2: int, size: int) -> tuple[int, int] | None:
    """The original lines that dump lines d1:d2 stand for; for an insertion (d1 == d2),
    the empty span right after the line before it."""
    if d1 < d2:
        lines = where[d1:d2]
        if any(line is None for line in lines):
            return None
        first = lines[0]
        assert first is not None
        if lines != list(range(first, first + len(lines))):
            return None
        return first, first + len(lines)
    if d1 > 0:
        previous = where[d1 - 1]
        return None if previous is None else (previous + 1, previous + 1)
    following = where[0] if where else size
    return None if following is None else (following, following)


def _keep_comment_columns(old: list[str], new: list[str]) -> list[str]:
    """A changed line keeps its inline comment's column (or its gap when the value grew):
    each new line's comment is paired with the same comment on a replaced line."""
    written: dict[str, list[str]] = {}
    for line in old:
        match = _COMMENT.search(line.rstrip("\n"))
        if match and match.start() > 0 and line[:match.start()].strip():
            written.setdefault(match.group(0), []).append(line)
    out = []
    for after in new:
        now = _COMMENT.search(after.rstrip("\n"))
        before = written.get(now.group(0), []) if now else []
        if now and before and after[:now.start()].strip():
            line = before.pop(0)
            was = _COMMENT.search(line.rstrip("\n"))
            assert was is not None
            content = after[:now.start()].rstrip()
            gap = was.start() - len(content) if was.start() > len(content) else \
                was.start() - len(line[:was.start()].rstrip())
            after = content + " " * gap + now.group(0) + ("\n" if after.endswith("\n") else "")
        out.append(after)
    return out


def comments(text: str) -> Counter[str]:
    """Every comment of a text (a rough scan: `#` after whitespace), for the survival check."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        match = _COMMENT.search(line)
        if match:
            found[match.group(0).rstrip()] += 1
    return found
