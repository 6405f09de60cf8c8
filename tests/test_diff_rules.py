"""The links of the `change` rules: each rules/change-*.yaml is stated by k8slint/diff (or the
immutable-field table it reads), and each rule id the diff states has a rule file."""

from __future__ import annotations

import re

from k8slint.diff import change_rules
from k8slint.rules import builtin_rules
from tests.conftest import ROOT

SOURCES = sorted((ROOT / "k8slint" / "diff").glob("*.py")) + [ROOT / "k8slint" / "k8s" / "immutable.py"]
STATED = {rule for path in SOURCES for rule in re.findall(r'"(change-[a-z-]+)"', path.read_text())}


def test_every_change_rule_is_stated_by_the_diff():
    rules = change_rules()
    assert len(rules) >= 17
    assert set(rules) <= STATED, f"change rules nobody states: {set(rules) - STATED}"


def test_every_stated_rule_has_a_rule_file_of_category_change():
    everything = builtin_rules()
    for rule in STATED:
        assert rule in everything, f"{rule}: stated by k8slint/diff but there is no rules/{rule}.yaml"
        assert everything[rule].category == "change", rule


def test_change_rules_do_not_run_in_check():
    from k8slint.api import check_text

    before = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nimmutable: true\ndata: {k: v}\n"
    assert [f for f in check_text(before).findings if f.category == "change"] == []
