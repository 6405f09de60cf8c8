"""JUnit XML for CI test reports: a testsuite per file, a testcase per object, a failure
per error or warning finding (infos go to the testcase's system-out)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any

from ..model import Finding, Severity

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILE_CASE = "(file)"


def render_junit(findings: Sequence[Finding], summary: Mapping[str, int], *,
                 objects: Iterable[tuple[str, Any]] = (), files: Iterable[str] = (), **_: Any) -> str:
    """`objects`: (file, ObjectRef) of every object checked, so clean objects pass;
    `files`: every file checked, so files without objects still get a suite."""
    import xml.etree.ElementTree as ET

    cases: dict[str, dict[str, list[Finding]]] = {file: {} for file in files}
    for file, ref in objects:
        cases.setdefault(file, {}).setdefault(_case_name(ref), [])
    for file, group in groupby(sorted(findings, key=Finding.sort_key), key=lambda f: f.file):
        for finding in group:
            name = _case_name(finding.object) if finding.object else FILE_CASE
            cases.setdefault(file, {}).setdefault(name, []).append(finding)

    root = ET.Element("testsuites", name="k8slint")
    total = failed = 0
    for file, by_case in cases.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(file))
        suite_failures = 0
        for name, found in by_case.items():
            case = ET.SubElement(suite, "testcase", name=_clean(name), classname=_clean(file))
            failures = [f for f in found if f.severity >= Severity.WARNING]
            for finding in failures:
                failure = ET.SubElement(case, "failure", type=finding.rule,
                                        message=_clean(f"[{finding.rule}] {finding.message}"))
                failure.text = _clean(_details(finding))
            infos = [f for f in found if f.severity < Severity.WARNING]
            if infos:
                ET.SubElement(case, "system-out").text = _clean("\n".join(_details(f) for f in infos))
            suite_failures += bool(failures)
        suite.set("tests", str(len(by_case)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(by_case)
        failed += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(ref: Any) -> str:
    name = f"{ref.kind}/{ref.name}"
    return f"{name} in {ref.namespace}" if ref.namespace else name


def _details(finding: Finding) -> str:
    text = f"{finding.file}:{finding.line}:{finding.column} {finding.severity} {finding.rule}: {finding.message}"
    return text + (f"\nfix: {finding.fix}" if finding.fix else "")


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return _XML_ILLEGAL.sub("\ufffd", text)
