"""Every rule's fix works on every Kubernetes version k8slint covers (issue #25 item 3,
issue #20 item 4).

Each rule file has `fix-examples`: the rule's failing case with its fix applied, for a range
of versions, together covering every supported version. Each is checked, on every version
of its range, with that version's schemas and every rule that runs by default: the rule no
longer fires and nothing is an error. Where the advice differs between versions (a preStop
`sleep` handler exists from 1.30, so before that the advice is `exec: sleep`), the fix
example carries the fix text of its range, findings on those versions carry that text, and
every YAML snippet a fix text shows in backticks is part of the example checked for it.
Autofixes run on every failing example at every version and are checked the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pytest
import yaml

from k8slint.api import check_text
from k8slint.config import Config
from k8slint.fix import fix_text
from k8slint.k8s.versions import SUPPORTED, Version, show
from k8slint.model import Finding, Severity
from k8slint.rules import RuleMeta, builtin_rules
from k8slint.testing import check_files, split_files

RULES = builtin_rules()
VERSIONS = [show(v) for v in SUPPORTED]


def _config(meta: RuleMeta, version: Version, options: dict[str, Any], only: bool = False) -> Config:
    config = Config(kubernetes_version=version, namespace=options.get("namespace", "default"),
                    enable=[meta.id], options={meta.id: options.get("rule-options", {})})
    if only:
        config.only = [meta.id]
    if "pod-security-level" in options:
        config.pod_security_level = options["pod-security-level"]
    if "schema-locations" in options:
        config.schema_locations = list(options["schema-locations"])
    config.apply_units = dict(options.get("apply-units", {}))
    return config


@lru_cache(maxsize=4096)
def _check(rule: str, manifest: str, version: Version, options: str = "{}", only: bool = False) -> list[Finding]:
    opts = yaml.safe_load(options)
    config = _config(RULES[rule], version, opts, only)
    if opts.get("files"):                       # several files: `# file: NAME` lines
        return check_files(manifest, config, opts)
    return check_text(manifest, config, name=opts.get("filename", "fixed.yaml")).findings


@lru_cache(maxsize=1024)
def _diff(rule: str, before: str, manifest: str, version: Version, options: str = "{}") -> list[Finding]:
    from k8slint.diff import diff_texts

    opts = yaml.safe_load(options)
    return diff_texts(before, manifest, _config(RULES[rule], version, opts),
                      new_name=opts.get("filename", "fixed.yaml")).findings


def _show(findings: list[Finding]) -> str:
    return "; ".join(f"{f.rule} ({f.severity}) line {f.line}: {f.message}" for f in findings)


# --- coverage --------------------------------------------------------------------------
@pytest.mark.parametrize("rule", sorted(RULES))
def test_fix_examples_cover_every_supported_version(rule):
    meta = RULES[rule]
    assert meta.fix_examples, f"{rule}: no fix-examples (the failing case, fixed)"
    covered = [v for example in meta.fix_examples for v in example.versions]
    missing = [show(v) for v in SUPPORTED if v not in covered]
    assert not missing, f"{rule}: no fix example for Kubernetes {', '.join(missing)}"
    twice = sorted({show(v) for v in covered if covered.count(v) > 1})
    texts = {e.fix for e in meta.fix_examples if e.fix}
    assert not (twice and texts), f"{rule}: versions {twice} have more than one fix text"


# --- the fixed manifests pass on every version of their range --------------------------
FIXED = [(meta.id, index, version) for meta in RULES.values()
         for index, example in enumerate(meta.fix_examples) for version in example.versions]


@pytest.mark.parametrize("rule, index, version", FIXED,
                         ids=[f"{r}#{i}@{show(v)}" for r, i, v in FIXED])
def test_fix_example_passes(rule, index, version):
    example = RULES[rule].fix_examples[index]
    found = _check(rule, example.manifest, version, yaml.safe_dump(example.options))
    if example.before is not None:              # a `change` rule: the manifest applied over before
        found = found + _diff(rule, example.before, example.manifest, version, yaml.safe_dump(example.options))
    still = [f for f in found if f.rule == rule]
    assert not still, f"{rule} still fires on its fix at {show(version)}: {_show(still)}"
    errors = [f for f in found if f.severity >= Severity.ERROR]
    assert not errors, f"the fix of {rule} is an error at {show(version)}: {_show(errors)}"


# --- fix texts per version -------------------------------------------------------------
def _fix_text(meta: RuleMeta, version: Version) -> str:
    return meta.fix_for(version)


_SNIPPET = re.compile(r"`([^`]+)`")


def snippets(text: str) -> list[Any]:
    """The YAML mappings a fix text shows in backticks (`lifecycle: {preStop: ...}`)."""
    found = []
    for raw in _SNIPPET.findall(text):
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def contains(tree: Any, part: Any) -> bool:
    """Whether `part` (a mapping) is found somewhere in `tree` as a sub-mapping: every key of
    it present with a value that matches in turn (lists must match item by item)."""
    if _matches(tree, part):
        return True
    if isinstance(tree, dict):
        return any(contains(v, part) for v in tree.values())
    if isinstance(tree, list):
        return any(contains(v, part) for v in tree)
    return False


def _matches(value: Any, part: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(value, dict) and all(k in value and _matches(value[k], v) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(value, list) and len(value) == len(part) and \
            all(_matches(a, b) for a, b in zip(value, part, strict=True))
    return value == part


def _documents(manifest: str, options: dict[str, Any]) -> list[Any]:
    """The YAML documents of an example (of its YAML files, for one of several files)."""
    if not options.get("files"):
        return list(yaml.safe_load_all(manifest))
    return [doc for name, text in split_files(manifest).items() if name.endswith((".yaml", ".yml"))
            for doc in yaml.safe_load_all(text)]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_fix_text_snippets_are_in_the_checked_examples(rule):
    """A snippet shown by a version's fix text is part of a fix example checked on that
    version; one in the rule's general fix text is part of some fix example."""
    meta = RULES[rule]
    documents = {id(e): _documents(e.manifest, e.options) for e in meta.fix_examples}
    for snippet in snippets(meta.fix):
        assert any(contains(documents[id(e)], snippet) for e in meta.fix_examples), \
            f"{rule}: fix snippet {snippet} is in no fix example"
    for example in meta.fix_examples:
        for snippet in snippets(example.fix or ""):
            assert contains(documents[id(example)], snippet), \
                f"{rule}: the fix text for {example.range_text} shows {snippet}, not in its example"


FAILING = [(meta.id, index) for meta in RULES.values() if any(e.fix for e in meta.fix_examples)
           for index, example in enumerate(meta.examples) if example.expect]


@pytest.mark.parametrize("rule, index", FAILING, ids=[f"{r}#{i}" for r, i in FAILING])
def test_findings_carry_the_fix_text_of_their_version(rule, index):
    meta = RULES[rule]
    example = meta.examples[index]
    options = {k: v for k, v in example.options.items() if k != "kubernetes-version"}
    options["rule-options"] = example.options.get("rule-options", {})
    for version in SUPPORTED:
        for finding in _check(rule, example.manifest, version, yaml.safe_dump(options), only=True):
            assert finding.fix == _fix_text(meta, version), \
                f"{rule} at {show(version)}: fix {finding.fix!r}, expected {_fix_text(meta, version)!r}"


# --- autofixes -------------------------------------------------------------------------
AUTOFIX = [(meta.id, index, version) for meta in RULES.values() if meta.fixable
           for index, example in enumerate(meta.examples) if example.expect for version in SUPPORTED]


@pytest.mark.parametrize("rule, index, version", AUTOFIX,
                         ids=[f"{r}#{i}@{show(v)}" for r, i, v in AUTOFIX])
def test_autofix_is_valid_on_every_version(rule, index, version):
    meta = RULES[rule]
    example = meta.examples[index]
    options = {k: v for k, v in example.options.items() if k != "kubernetes-version"}
    config = _config(meta, version, options)
    before = check_text(example.manifest, config, "example.yaml").findings
    if not any(f.rule == rule for f in before):
        return                                  # the case does not arise on this version
    result = fix_text(example.manifest, "example.yaml", config)
    if not result.changed:
        return                                  # left to a person (the hint says how)
    after = check_text(result.text, config, "example.yaml").findings
    old_errors = {(f.rule, f.message) for f in before if f.severity >= Severity.ERROR}
    new_errors = [f for f in after if f.severity >= Severity.ERROR and (f.rule, f.message) not in old_errors]
    assert not new_errors, f"autofix of {rule} at {show(version)} made errors: {_show(new_errors)}"
    fixed_lines = {c.line for c in result.changes}
    assert len([f for f in after if f.rule == rule]) < len([f for f in before if f.rule == rule]), \
        f"autofix of {rule} at {show(version)} changed lines {sorted(fixed_lines)} but fixed nothing"


# --- api-version-removed: the apiVersion a hint names is served by the target -----------
def test_removed_api_hints_name_an_api_the_target_serves():
    """flowcontrol v1beta1 went away in 1.26 while v1 came in 1.29: on 1.26-1.28 the hint
    is v1beta3 (kubernetes.io/docs/reference/using-api/deprecation-guide/)."""
    from k8slint import schema
    from k8slint.k8s.apis import API_CHANGES

    checked = 0
    for change in API_CHANGES:
        if change.removed is None or not change.replacement:
            continue
        for kind in change.kinds:
            manifest = f"apiVersion: {change.api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
            for version in SUPPORTED:
                if version < change.removed:
                    continue
                config = Config(kubernetes_version=version, only=["api-version-removed"])
                for finding in check_text(manifest, config, "old.yaml").findings:
                    assert finding.fix and finding.fix.startswith("Change apiVersion to "), finding
                    target = finding.fix.removeprefix("Change apiVersion to ")
                    assert schema.has_kind(version, target, kind), \
                        f"{change.api_version} {kind} at {show(version)}: hint {target} is not served"
                    checked += 1
    assert checked > 100
