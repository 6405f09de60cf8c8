"""Where the package's data lives: rules/ and schemas/ beside the package in a checkout,
inside it (k8slint/_data/) when installed."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

_PACKAGE = os.path.dirname(os.path.realpath(__file__))


def data_path(name: str) -> str:
    """`rules` or `schemas`: the installed copy, else the checkout's top-level folder (a
    string: a plain check does not import pathlib, which brings urllib and ipaddress)."""
    installed = os.path.join(_PACKAGE, "_data", name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(_PACKAGE), name)


def data_dir(name: str) -> Path:
    """data_path as a Path."""
    from pathlib import Path

    return Path(data_path(name))
