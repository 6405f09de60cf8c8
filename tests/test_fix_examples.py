"""Every fixable rule: its `fixed` example is what `fix` makes of the bad manifest."""

from __future__ import annotations

import pytest

from k8slint.config import Config
from k8slint.fix import fix_text, load_fixers
from k8slint.k8s.versions import parse_version
from k8slint.rules import builtin_rules
from k8slint.testing import run_example

RULES = builtin_rules()
CASES = [(meta, example) for meta in RULES.values() if meta.fixable
         for example in meta.examples if example.fixed is not None]


def _config(meta, example) -> Config:
    config = Config(only=[meta.id], namespace=example.options.get("namespace", "default"))
    if "kubernetes-version" in example.options:
        config.kubernetes_version = parse_version(str(example.options["kubernetes-version"]))
    return config


@pytest.mark.parametrize("meta, example", CASES, ids=[f"{m.id}: {e.name}" for m, e in CASES])
def test_fixed_example(meta, example):
    config = _config(meta, example)
    result = fix_text(example.manifest, "example.yaml", config)
    assert result.text == example.fixed
    fixed_example = type(example)(name=example.name, manifest=example.fixed, expect=[],
                                  options=example.options)
    assert run_example(meta, fixed_example) == []
    assert not fix_text(result.text, "example.yaml", config).changed


def test_every_fixable_rule_has_a_fixer_and_a_fixed_example():
    fixers = load_fixers()
    for meta in RULES.values():
        if meta.fixable:
            assert meta.id in fixers, f"{meta.id}: fixable but no @fixer"
            assert any(e.fixed for e in meta.examples), f"{meta.id}: fixable but no `fixed:` example"
    assert set(fixers) <= set(RULES)
