"""ruamel.yaml round-trip loading and dumping, set up to look like the file it came from.

ruamel keeps comments, key order and (with preserve_quotes) quoting; its dumper needs the
file's indentation style, which we detect from the text. Only files with a fixable finding
ever reach this module: ruamel is about 50x slower than the C loader the checks use.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.error import YAMLError

# What ruamel raises on a text it cannot read back: its own errors, and plain ones from its
# constructors where PyYAML (and kubectl) are laxer: `!!int x` and `2001-02-30` ValueError,
# `!!bool maybe` KeyError, deep nesting RecursionError, a mapping used as a mapping key
# TypeError (ruamel's check_mapping_key hashes it; a fuzzer find).
UNREADABLE = (YAMLError, ValueError, KeyError, RecursionError, TypeError)
# `key:` that opens a block (nothing but maybe a comment after the colon).
_OPENS = re.compile(r"^(\s*)(-\s+)*([^#\s][^#]*?):\s*(#.*)?$")
_BLOCK_SCALAR = re.compile(r"(?:^|:|-)\s*[|>][-+0-9]*\s*(#.*)?$")
_DASH = re.compile(r"^(\s*)-(\s+)")
_DASHES = re.compile(r"^\s*(?:-\s+)*")


@dataclass(frozen=True)
class Indent:
    """ruamel's terms: mapping indent, sequence indent (item content), dash offset."""

    mapping: int = 2
    sequence: int = 2
    offset: int = 0


def detect_indent(text: str) -> Indent:
    """The most common nesting steps of block mappings and sequences in the text."""
    maps: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    gaps: Counter[int] = Counter()
    opener: int | None = None          # column of the key of the previous `key:` line
    scalar_from: int | None = None     # inside a block scalar: its key's column
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if scalar_from is not None:
            if indent > scalar_from:
                continue
            scalar_from = None
        dash = _DASH.match(line)
        if opener is not None and indent > opener:
            if dash:
                offsets[indent - opener] += 1
                gaps[len(dash.group(2)) + 1] += 1
            else:
                maps[indent - opener] += 1
        elif opener is not None and indent == opener and dash:
            offsets[0] += 1                      # `key:` then `- item` at the same column
            gaps[len(dash.group(2)) + 1] += 1
        opener = None
        dashes = _DASHES.match(line)                  # `- - key:`: after the dashes
        key_col = dashes.end() if dashes else 0
        if _OPENS.match(line):
            opener = key_col
        elif _BLOCK_SCALAR.search(line):
            scalar_from = key_col
    mapping = maps.most_common(1)[0][0] if maps else 2
    offset = offsets.most_common(1)[0][0] if offsets else 0
    gap = gaps.most_common(1)[0][0] if gaps else 2
    return Indent(mapping=mapping, sequence=offset + gap, offset=offset)


def new_yaml(text: str) -> Any:
    """A round-trip YAML instance that dumps in this text's style."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20              # never fold long lines that were long already
    indent = detect_indent(text)
    yaml.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    yaml.explicit_start = _starts_with_marker(text)
    return yaml


def _starts_with_marker(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith("---")
    return False


def load_all(yaml: Any, text: str) -> list[Any]:
    return list(yaml.load_all(text))


def dump_all(yaml: Any, documents: list[Any]) -> str:
    out = io.StringIO()
    yaml.dump_all(documents, out)
    return out.getvalue()
