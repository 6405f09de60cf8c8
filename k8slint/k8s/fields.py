"""Reading typed fields out of a manifest the way the API server decodes them."""

from __future__ import annotations


def as_int(value: object) -> int | None:
    """An integer field: the int, or None for anything else. A YAML `true` is no number
    and "3" is a string (the API server's JSON decoding rejects both for an int32 field);
    unset fields are None too. (isinstance, not type(): ruamel.yaml, which `fix` reads
    with, keeps 0x1F and 1_000 as int subclasses.)"""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
