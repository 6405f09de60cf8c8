"""The JSON contract (version 1), documented in the README."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from ..model import Finding
from . import Options, Out, Report, sorted_findings

CONTRACT_VERSION = 1
_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)      # json.dumps(indent=2, ensure_ascii=False)


def render_json(report: Report, options: Options) -> str:
    out = io.StringIO()
    write_json(report, options, out)
    return out.getvalue()


def write_json(report: Report, options: Options, out: Out) -> None:
    """The same text as json.dumps(payload, indent=2, ensure_ascii=False) of the whole
    payload, written finding by finding: json.dumps with an indent runs the pure-Python
    encoder, which holds every small piece of the output in one list before joining
    (some 5 KB per finding, 340 MB for 69k findings)."""
    out.write(f'{{\n  "version": {CONTRACT_VERSION},\n  "findings": ')
    write_array(out, (f.as_dict() for f in report.findings), 1)
    out.write(',\n  "summary": ' + dumps(dict(report.summary), 1))
    if options.show_suppressed:
        out.write(',\n  "suppressed": ')
        write_array(out, (_suppressed(f, report) for f in sorted_findings(report.suppressed)), 1)
    out.write("\n}\n")


def dumps(value: Any, level: int) -> str:
    """`value` as json.dumps(indent=2) writes it at this nesting level of a document
    (strings hold no raw line break, so every line break is the encoder's)."""
    return _ENCODER.encode(value).replace("\n", "\n" + "  " * level)


def write_array(out: Out, items: Iterable[Any], level: int) -> None:
    """A list at this nesting level of a document, as json.dumps(indent=2) writes it, one
    item at a time."""
    separator = "[\n" + "  " * (level + 1)
    for item in items:
        out.write(separator)
        out.write(dumps(item, level + 1))
        separator = ",\n" + "  " * (level + 1)
    out.write("[]" if separator.startswith("[") else "\n" + "  " * level + "]")


def _suppressed(finding: Finding, report: Report) -> dict[str, Any]:
    """A suppressed finding, with the reason its suppression gives (null when none)."""
    return {**finding.as_dict(), "suppression": {"reason": report.reason(finding)}}
