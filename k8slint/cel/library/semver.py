"""The Kubernetes semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go), which
parses with github.com/blang/semver/v4 (Parse) and, with normalize, normalizeAndParse."""

from __future__ import annotations

import re
from typing import Any

from ..values import SEMVER, unwrap, wrap
from .decl import Decl, member, overload

_IDENT = re.compile(r"[0-9A-Za-z-]+\Z")


def parse(text: str) -> tuple[int, int, int, tuple[str, ...]]:
    """(major, minor, patch, pre-release identifiers); ValueError as blang/semver says."""
    core = text.split("+", 1)
    if len(core) == 2 and not all(_IDENT.match(p) for p in core[1].split(".")):
        raise ValueError(f"Invalid character(s) found in build meta {core[1]!r}")
    version, _, pre = core[0].partition("-")
    parts = version.split(".")
    if len(parts) != 3:
        raise ValueError("No Major.Minor.Patch elements found")
    numbers = []
    for label, part in zip(("Major", "Minor", "Patch"), parts, strict=False):
        if not part.isdigit() or not part.isascii():
            raise ValueError(f"Invalid character(s) found in {label.lower()} number {part!r}")
        if len(part) > 1 and part[0] == "0":
            raise ValueError(f"{label} number must not contain leading zeroes {part!r}")
        numbers.append(int(part))
    identifiers: tuple[str, ...] = ()
    if "-" in core[0]:
        identifiers = tuple(pre.split("."))
        for ident in identifiers:
            if not _IDENT.match(ident):
                raise ValueError(f"Invalid character(s) found in prerelease {ident!r}")
            if ident.isdigit() and len(ident) > 1 and ident[0] == "0":
                raise ValueError(f"Numeric PreRelease version must not contain leading zeroes {ident!r}")
    return numbers[0], numbers[1], numbers[2], identifiers


def _normalize(text: str) -> str:
    parts = text.removeprefix("v").split(".", 2)
    for i, part in enumerate(parts):
        if len(part) > 1:
            part = part.lstrip("0")
            if not part or not part[0].isdigit():
                part = "0" + part
            parts[i] = part
    if len(parts) < 3:
        if any(c in parts[-1] for c in "+-"):
            raise ValueError("short version cannot contain PreRelease/Build meta data")
        parts += ["0"] * (3 - len(parts))
    return ".".join(parts)


def semver(text: str, normalize: bool = False) -> dict[str, Any]:
    text = _normalize(text) if normalize else text
    major, minor, patch, pre = parse(text)
    # Build metadata does not take part in equality (semver.Version.EQ), so it is dropped.
    canonical = f"{major}.{minor}.{patch}" + (f"-{'.'.join(pre)}" if pre else "")
    return wrap(SEMVER, canonical)


def is_semver(text: str, normalize: bool = False) -> bool:
    try:
        semver(text, normalize)
    except ValueError:
        return False
    return True


def _key(arg: Any) -> tuple[Any, ...]:
    major, minor, patch, pre = parse(unwrap(arg, SEMVER))
    # A version without pre-release ranks above any with one; numeric identifiers rank
    # below alphanumeric ones (semver.org §11).
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre)
    return (major, minor, patch, 1 if not pre else 0, pre_key)


def _cmp(left: Any, right: Any) -> int:
    a, b = _key(left), _key(right)
    return (a > b) - (a < b)


def declarations() -> list[Decl]:
    s, v, b, i = "string", "semver", "bool", "int"
    return [
        overload("semver", "string_to_semver", [s], v, semver),
        overload("semver", "string_bool_to_semver", [s, b], v, semver),
        overload("isSemver", "is_semver_string", [s], b, is_semver),
        overload("isSemver", "is_semver_string_bool", [s, b], b, is_semver),
        member("isGreaterThan", "semver_is_greater_than", [v, v], b, lambda a, o: _cmp(a, o) == 1),
        member("isLessThan", "semver_is_less_than", [v, v], b, lambda a, o: _cmp(a, o) == -1),
        member("compareTo", "semver_compare_to", [v, v], i, _cmp),
        member("major", "semver_major", [v], i, lambda a: parse(unwrap(a, SEMVER))[0]),
        member("minor", "semver_minor", [v], i, lambda a: parse(unwrap(a, SEMVER))[1]),
        member("patch", "semver_patch", [v], i, lambda a: parse(unwrap(a, SEMVER))[2]),
    ]
