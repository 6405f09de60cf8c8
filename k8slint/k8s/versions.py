"""Kubernetes versions k8slint knows (the bundled schemas: 1.23 through 1.37)."""

from __future__ import annotations

import re

from ..i18n import _

SUPPORTED: tuple[tuple[int, int], ...] = tuple((1, minor) for minor in range(23, 38))
LATEST = SUPPORTED[-1]

Version = tuple[int, int]


def parse_version(text: str) -> Version:
    """'1.30', 'v1.30', '1.30.2' -> (1, 30); ValueError naming the supported ones otherwise."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", str(text).strip())
    version = (int(match.group(1)), int(match.group(2))) if match else None
    if version not in SUPPORTED:
        known = ", ".join(show(v) for v in SUPPORTED)
        raise ValueError(_("unknown Kubernetes version {version!r}; supported: {known}").format(
            version=text, known=known))
    return version


def show(version: Version) -> str:
    return f"{version[0]}.{version[1]}"
