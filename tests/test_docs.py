"""docs/rules.md is generated from rules/*.yaml and must be current."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_md_is_current():
    gen = _generator()
    expected = gen.render(gen.load_rules())
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.md is stale: run `make docs`"


def test_rules_md_lists_every_rule_with_why_fix_and_examples():
    gen = _generator()
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for meta in gen.load_rules():
        section = text.split(f"\n### {meta.id}\n", 1)
        assert len(section) == 2, f"{meta.id} missing"
        body = section[1].split("\n### ", 1)[0]
        assert f"**{meta.severity}**" in body and "**Why.**" in body and "**Fix.**" in body
        assert body.count("**Example (") == len(meta.examples)


def test_check_flag_reports_staleness(tmp_path, monkeypatch):
    gen = _generator()
    monkeypatch.setattr(gen, "OUTPUT", tmp_path / "rules.md")
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
