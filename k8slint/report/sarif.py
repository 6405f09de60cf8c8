"""SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps).

Every rule is described in tool.driver.rules; each finding is one result with a relative
artifact URI (against %SRCROOT%, the current folder) and a 1-based region.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import Finding, Severity
from ..version import HOMEPAGE, __version__
from . import Options, Out, Report, sorted_findings
from .json import write_array

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


# Stands in for the results in the dumped payload, which write_sarif streams in its place
# (no other string of the payload can encode to it: a backslash is escaped).
_RESULTS = "\0results\0"


def render_sarif(report: Report, options: Options) -> str:
    out = io.StringIO()
    write_sarif(report, options, out)
    return out.getvalue()


def write_sarif(report: Report, options: Options, out: Out) -> None:
    """json.dumps(payload, indent=2, ensure_ascii=False) of the whole log, the results
    written one by one (the whole log as one text took some 6 KB per finding)."""
    root = os.path.abspath(options.root or os.getcwd())
    ordered = sorted(report.rules.values(), key=lambda m: m.id)
    index = {meta.id: i for i, meta in enumerate(ordered)}
    run = {
        "tool": {"driver": {"name": "k8slint", "version": __version__,
                            "semanticVersion": __version__, "informationUri": HOMEPAGE,
                            "rules": [_rule(meta) for meta in ordered]}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": _RESULTS,
    }
    payload = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    head, __, tail = json.dumps(payload, indent=2, ensure_ascii=False).partition(
        json.dumps(_RESULTS, ensure_ascii=False))
    out.write(head)
    write_array(out, _results(report, options, index, root), 3)     # payload.runs[0].results
    out.write(tail + "\n")


def _results(report: Report, options: Options, index: Mapping[str, int], root: str) -> Iterator[dict[str, Any]]:
    yield from (_result(f, index, root) for f in report.findings)
    if options.show_suppressed:
        for finding in sorted_findings(report.suppressed):
            result = _result(finding, index, root)
            suppression = {"kind": "inSource"}
            reason = report.reason(finding)
            if reason:
                suppression["justification"] = reason
            result["suppressions"] = [suppression]
            yield result


def _rule(meta: Any) -> dict[str, Any]:
    help_text = f"{meta.fix}\n\nMore: k8slint rules show {meta.id}".strip()
    return {
        "id": meta.id,
        "name": "".join(part.capitalize() for part in meta.id.split("-")),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.rationale or meta.summary},
        "help": {"text": help_text,
                 "markdown": f"{meta.fix}\n\nRun `k8slint rules show {meta.id}` for examples."},
        "helpUri": f"{HOMEPAGE}/blob/main/docs/rules.md#{meta.id}",
        "defaultConfiguration": {"level": LEVEL[meta.severity], "enabled": bool(meta.enabled)},
        "properties": {"category": meta.category, "tags": [meta.category, "kubernetes"]},
    }


def _result(finding: Finding, index: Mapping[str, int], root: str) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": _artifact(finding.file, root),
        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}}}
    if finding.object is not None:
        ref = finding.object
        location["logicalLocations"] = [{
            "name": ref.name, "kind": "object",
            "fullyQualifiedName": "/".join(p for p in (ref.namespace, ref.kind, ref.name) if p)}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"k8slintFinding/v1": fingerprint(finding)},
        "properties": {"category": finding.category, "path": finding.path, "fix": finding.fix},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _artifact(file: str, root: str) -> dict[str, Any]:
    """A URI relative to %SRCROOT% when the file lies under it, else an absolute file URI."""
    if file == "-":
        return {"uri": "stdin"}
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute, root)
    if relative.startswith(".."):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(Path(relative).as_posix()), "uriBaseId": "%SRCROOT%"}


def fingerprint(finding: Finding) -> str:
    """Stable across line moves: rule, file, object and field path (like the baseline)."""
    ref = finding.object
    who = f"{ref.kind}/{ref.namespace}/{ref.name}" if ref else ""
    key = "\0".join((finding.rule, finding.file, who, finding.path or "", "" if ref else finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
