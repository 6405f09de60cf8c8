"""Plain YAML data read safely: PyYAML's safe loader, the C one where PyYAML has libyaml
(about ten times faster than the pure-Python loader)."""

from __future__ import annotations

from typing import IO, Any

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

__all__ = ["SafeLoader", "load", "load_all"]


def load(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    """The one document of `stream` as plain data (mappings, lists, scalars); raises
    yaml.YAMLError."""
    return yaml.load(stream, Loader=SafeLoader)  # noqa: S506 - a safe loader


def load_all(stream: str | bytes | IO[str] | IO[bytes]) -> list[Any]:
    """Every document of `stream` as plain data; raises yaml.YAMLError."""
    return list(yaml.load_all(stream, Loader=SafeLoader))  # noqa: S506 - a safe loader
