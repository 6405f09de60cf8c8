"""A built object as the graph reads a loaded document: data, file, first line, and
positions that may lie in several files (position() gives the file too)."""

from __future__ import annotations

from typing import Any

from .positions import Pos, Positions
from .resource import Resource


class BuiltSource:
    """The part of loader.SourceMap the checks use, over a build's positions."""

    __slots__ = ("positions",)

    def __init__(self, positions: Positions) -> None:
        self.positions = positions

    def raw_text(self, container: Any, key: Any) -> str | None:
        return self.positions.raw_text(container, key)


class BuiltDocument:
    """One built object, standing where loader.Document stands for a file's document."""

    __slots__ = ("file", "index", "data", "source", "line", "origin", "unit")

    def __init__(self, res: Resource, positions: Positions, index: int, unit: str) -> None:
        self.file = res.file              # where the object was written (or generated)
        self.index = index
        self.data = res.data
        self.source = BuiltSource(positions)
        self.line = res.line
        self.origin: Pos = res.origin
        self.unit = unit                  # the kustomization folder that built it

    def position(self, path: tuple[Any, ...] = (), at: str = "key") -> tuple[str, int, int]:
        """(file, line, column) of the node at `path`: the file that wrote it."""
        return self.source.positions.locate(self.data, tuple(path), at) or self.origin

    def locate(self, path: tuple[Any, ...] = (), at: str = "key") -> tuple[int, int]:
        _, line, column = self.position(path, at)
        return (line, column)
