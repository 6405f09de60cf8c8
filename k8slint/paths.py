"""Field paths: tuples inside, `spec.containers[0].name` outside."""

from __future__ import annotations

import re

from .lazyre import lazy_compile
from .model import Path

# \Z, not $: `$` also matches before a final newline, and a key "A\n" must be quoted
_SIMPLE = lazy_compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*\Z")
_TOKEN = lazy_compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def format_path(path: Path) -> str:
    """('spec', 'containers', 0, 'name') -> 'spec.containers[0].name'; odd keys are quoted."""
    out: list[str] = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif _SIMPLE.match(step):
            out.append(f".{step}" if out else step)
        else:
            out.append('["' + step.replace("\\", "\\\\").replace('"', '\\"') + '"]')
    return "".join(out)


def parse_path(text: str) -> Path:
    """Inverse of format_path."""
    steps: list[str | int] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"bad field path {text!r} at {pos}")
        name, index, quoted = match.groups()
        if name is not None:
            steps.append(name)
        elif index is not None:
            steps.append(int(index))
        else:
            steps.append(re.sub(r"\\(.)", r"\1", quoted))
        pos = match.end()
    return tuple(steps)


def as_path(path: Path | str) -> Path:
    return parse_path(path) if isinstance(path, str) else tuple(path)
