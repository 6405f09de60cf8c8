"""The JSON contract (version 1), documented in the README."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from ..model import Finding
from . import Options, Report, sorted_findings

CONTRACT_VERSION = 1
_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)      # json.dumps(indent=2, ensure_ascii=False)


def render_json(report: Report, options: Options) -> str:
    """The same text as json.dumps(payload, indent=2, ensure_ascii=False) of the whole
    payload, written finding by finding: json.dumps with an indent runs the pure-Python
    encoder, which holds every small piece of the output in one list before joining
    (some 5 KB per finding, 340 MB for 69k findings)."""
    out = io.StringIO()
    out.write(f'{{\n  "version": {CONTRACT_VERSION},\n  "findings": ')
    _array(out, (f.as_dict() for f in report.findings))
    out.write(',\n  "summary": ' + _dumps(dict(report.summary), 1))
    if options.show_suppressed:
        out.write(',\n  "suppressed": ')
        _array(out, (_suppressed(f, report) for f in sorted_findings(report.suppressed)))
    out.write("\n}\n")
    return out.getvalue()


def _dumps(value: Any, level: int) -> str:
    """`value` as json.dumps(indent=2) writes it at this nesting level of a document
    (strings hold no raw line break, so every line break is the encoder's)."""
    return _ENCODER.encode(value).replace("\n", "\n" + "  " * level)


def _array(out: io.StringIO, items: Iterable[dict[str, Any]]) -> None:
    """A list of the top-level mapping (level 1), its items at level 2."""
    separator = "[\n    "
    for item in items:
        out.write(separator)
        out.write(_dumps(item, 2))
        separator = ",\n    "
    out.write("[]" if separator.startswith("[") else "\n  ]")


def _suppressed(finding: Finding, report: Report) -> dict[str, Any]:
    """A suppressed finding, with the reason its suppression gives (null when none)."""
    return {**finding.as_dict(), "suppression": {"reason": report.reason(finding)}}
