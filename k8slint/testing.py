"""Running rules' examples: the examples test of the built-in rules, `k8slint rules test`
for custom rules."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from .api import check, check_text
from .config import Config
from .custom import CustomRule
from .k8s.versions import parse_version
from .model import Finding
from .rules import Example, RuleMeta


def run_example(meta: RuleMeta, example: Example, custom: CustomRule | None = None) -> list[Finding]:
    """Findings of this rule alone on the example's manifest (`custom`: the rule is that
    custom rule)."""
    options: dict[str, Any] = example.options
    config = Config(only=[meta.id], namespace=options.get("namespace", "default"),
                    options={meta.id: options.get("rule-options", {})},
                    custom_rules=[custom] if custom is not None else [])
    if "kubernetes-version" in options:
        config.kubernetes_version = parse_version(str(options["kubernetes-version"]))
    if "pod-security-level" in options:
        config.pod_security_level = options["pod-security-level"]
    if "schema-locations" in options:
        config.schema_locations = list(options["schema-locations"])
    config.apply_units = dict(options.get("apply-units", {}))
    if example.before is not None:            # a `change` rule: applying manifest over before
        from .diff import diff_texts
        return diff_texts(example.before, example.manifest, config,
                          new_name=options.get("filename", "example.yaml")).findings
    if options.get("files"):
        return check_files(example.manifest, config, options)
    return check_text(example.manifest, config, name=options.get("filename", "example.yaml")).findings


def check_files(manifest: str, config: Config, options: dict[str, Any]) -> list[Finding]:
    """The findings of an example of several files (option `files`). With `on-disk` the
    files are written to a temporary folder and checked from there, as `k8slint check .`
    (kustomize builds and the repository's scripts are read from the disk)."""
    texts = split_files(manifest)
    if not options.get("on-disk"):
        return check(list(texts), config, texts=texts).findings
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        for name, text in texts.items():
            os.makedirs(os.path.join(folder, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        os.chdir(folder)
        try:
            return check(["."], config).findings
        finally:
            os.chdir(cwd)


def split_files(manifest: str) -> dict[str, str]:
    """Several files in one example (option `files: true`): each starts at a `# file: NAME`
    line; files in different folders are different apply units (k8slint.units)."""
    texts: dict[str, str] = {}
    name = "example.yaml"
    for line in manifest.splitlines(keepends=True):
        if line.startswith("# file: "):
            name = line[len("# file: "):].strip()
            texts[name] = ""
            continue
        texts[name] = texts.get(name, "") + line
    return texts


def test_custom_rules(rules: list[CustomRule]) -> list[tuple[str, str, str]]:
    """(rule id, example name, problem) for each example that does not give its findings,
    and for each rule without a failing and a passing example."""
    problems = []
    for rule in rules:
        meta = rule.meta
        if not any(e.expect for e in meta.examples) or not any(not e.expect for e in meta.examples):
            problems.append((meta.id, "-", "needs a failing and a passing example"))
        for example in meta.examples:
            ok, why = matches(run_example(meta, example, rule), example.expect)
            if not ok:
                problems.append((meta.id, example.name, why))
    return problems


test_custom_rules.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def matches(found: list[Finding], expect: list[dict[str, Any]]) -> tuple[bool, str]:
    """Each expectation compares only the keys it gives; `message` is a substring;
    `object` is Kind/name. Counts must be equal."""
    actual = [_where(f) for f in found]
    if len(found) != len(expect):
        return False, f"expected {len(expect)} finding(s), got {len(found)}: {actual}"
    for got, want in zip(actual, expect, strict=True):
        for key, value in want.items():
            if key == "message":
                if str(value) not in got["message"]:
                    return False, f"message {got['message']!r} lacks {value!r}"
            elif got.get(key) != value:
                return False, f"{key}: expected {value!r}, got {got.get(key)!r} in {got}"
    return True, ""


def _where(f: Finding) -> dict[str, Any]:
    return {"line": f.line, "column": f.column, "path": f.path, "severity": str(f.severity),
            "object": str(f.object) if f.object else None, "message": f.message, "file": f.file}
