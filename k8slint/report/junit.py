"""JUnit XML for CI test reports: a testsuite per file, a testcase per object, a failure
per finding that fails the run (at or above --fail-on, errors by default); the other
findings go to the testcase's system-out, so a CI test view agrees with the exit code."""

from __future__ import annotations

import re
from itertools import groupby

from ..model import Finding, ObjectRef, Severity
from . import Options, Report, sorted_findings

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILE_CASE = "(file)"


def render_junit(report: Report, options: Options) -> str:
    """Every object checked is a test case (clean ones pass) and every file checked a
    suite (files without objects too)."""
    import xml.etree.ElementTree as ET

    cases: dict[str, dict[str, list[Finding]]] = {file: {} for file in report.files}
    for file, ref in report.objects:
        cases.setdefault(file, {}).setdefault(_case_name(ref), [])
    for file, group in groupby(sorted_findings(report.findings), key=lambda f: f.file):
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
            failures = [f for f in found if _fails(f, options.fail_on)]
            for finding in failures:
                failure = ET.SubElement(case, "failure", type=finding.rule,
                                        message=_clean(f"[{finding.rule}] {finding.message}"))
                failure.text = _clean(_details(finding))
            passing = [f for f in found if not _fails(f, options.fail_on)]
            if passing:
                ET.SubElement(case, "system-out").text = _clean("\n".join(_details(f) for f in passing))
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


def _fails(finding: Finding, threshold: Severity | None) -> bool:
    return threshold is not None and finding.severity >= threshold


def _case_name(ref: ObjectRef) -> str:
    name = f"{ref.kind}/{ref.name}"
    return f"{name} in {ref.namespace}" if ref.namespace else name


def _details(finding: Finding) -> str:
    text = f"{finding.file}:{finding.line}:{finding.column} {finding.severity} {finding.rule}: {finding.message}"
    return text + (f"\nfix: {finding.fix}" if finding.fix else "")


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return _XML_ILLEGAL.sub("\ufffd", text)
