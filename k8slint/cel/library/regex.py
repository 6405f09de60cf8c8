"""The Kubernetes regex library (k8s.io/apiserver/pkg/cel/library/regex.go).

Go's regexp is RE2; Python's re agrees on the expressions policies use (no
backreferences or lookarounds, which RE2 rejects and Python would accept).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .decl import Decl, member


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"Illegal regex: {exc}") from None


def find(text: str, pattern: str) -> str:
    match = _compile(pattern).search(text)
    return match.group(0) if match else ""


def find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    # Go's FindAllString ignores an empty match that abuts the preceding match (regexp
    # package doc, "If 'All' is present"); Python's finditer keeps it.
    found: list[str] = []
    previous_end = -1
    for match in _compile(pattern).finditer(text):
        if match.start() == match.end() == previous_end:
            continue
        found.append(match.group(0))
        previous_end = match.end()
    return found if limit < 0 else found[:limit]


def declarations() -> list[Decl]:
    s = "string"
    return [
        member("find", "string_find_string", [s, s], s, find),
        member("findAll", "string_find_all_string", [s, s], "list(string)", find_all),
        member("findAll", "string_find_all_string_int", [s, s, "int"], "list(string)", find_all),
    ]
