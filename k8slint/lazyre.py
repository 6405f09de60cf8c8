"""Regular expressions compiled on first use: a module that defines many patterns, of
which a small run uses few, should not compile them all at import (`k8slint check` of one
file pays every import; `python -X importtime` shows the cost)."""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer", "scanner",
            "flags", "groups", "groupindex")


class _Lazy:
    """Stands for a compiled pattern: the first use of a method compiles it and puts the
    compiled pattern's methods on this object, so later calls cost what they cost on it."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern                   # as on a compiled pattern, without compiling
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags) when first used. Call its methods (`.search(text)`); do
    not hand it to the functions of `re`, which want a real pattern."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))


class _Deferred(_Lazy):
    """A lazy pattern standing in `re`'s cache: it leaves the cache before it compiles (so
    that re.compile compiles instead of returning it again)."""

    def __getattr__(self, name: str) -> Any:
        cache = getattr(re, "_cache", None)
        key = (str, self.pattern, self._flags)
        if name in _METHODS and isinstance(cache, dict) and cache.get(key) is self:
            del cache[key]
        return super().__getattr__(name)


def defer(pattern: str, flags: int = 0) -> None:
    """From now on, re.compile(pattern, flags) anywhere returns a pattern compiled on first
    use, through `re`'s cache of compiled patterns: for a module of another package that
    compiles at import a pattern a run may never use. Nothing happens where `re` keeps no
    such cache (it is CPython's, not a documented API)."""
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, pattern, flags), _Deferred(pattern, flags))
