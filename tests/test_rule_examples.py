"""Every rule's examples: bad ones give exactly their findings, good ones none."""

from __future__ import annotations

import pytest

from k8slint.rules import builtin_rules
from k8slint.testing import matches, run_example

RULES = builtin_rules()
CASES = [(meta, example) for meta in RULES.values() for example in meta.examples]


@pytest.mark.parametrize("meta, example", CASES, ids=[f"{m.id}: {e.name}" for m, e in CASES])
def test_rule_example(meta, example):
    ok, why = matches(run_example(meta, example), example.expect)
    assert ok, why


def test_every_rule_has_a_failing_and_a_passing_example():
    for meta in RULES.values():
        assert any(e.expect for e in meta.examples), f"{meta.id}: no failing example"
        assert any(not e.expect for e in meta.examples), f"{meta.id}: no passing example"


def test_examples_is_the_last_key_of_every_rule_file():
    """Start-up parses rule files only up to `examples:` (k8slint.rules.parse_rule)."""
    import yaml

    from k8slint.rules import rule_files

    for path in rule_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(data)[-1] == "examples", f"{path.name}: examples must be the last key"


def test_every_expected_finding_states_its_severity():
    """A rule that changes a finding's severity must fail its own examples."""
    missing = [f"{meta.id}: {example.name}" for meta, example in CASES
               if any("severity" not in expected for expected in example.expect)]
    assert not missing, missing
