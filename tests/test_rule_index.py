"""k8slint/rules_index.json: the rules' metadata, read at start instead of the rule files'
YAML. It must be current (`make docs` writes it), give exactly what parsing gives, and
never be believed for a rule file that changed since it was written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from k8slint import rules
from k8slint.k8s.versions import SUPPORTED
from k8slint.rules import builtin_rules, parse_rule, rule_files


@pytest.fixture
def fresh() -> Iterator[None]:
    builtin_rules.cache_clear()
    yield
    builtin_rules.cache_clear()


def test_the_index_is_current() -> None:
    from scripts.gen_rule_index import render

    assert rules.INDEX.read_text(encoding="utf-8") == render(), "k8slint/rules_index.json is stale: run `make docs`"


def test_the_index_gives_what_parsing_gives(fresh: None) -> None:
    indexed = builtin_rules()
    parsed = {p.stem: parse_rule(p.read_text(encoding="utf-8"), str(p), with_examples=False) for p in rule_files()}
    assert indexed == parsed
    assert len(indexed) > 100 and any(m.translations for m in indexed.values())
    # The fix texts that differ by version, without reading the examples.
    assert all(m.version_fixes_ is not None and m.examples_ is None for m in indexed.values())
    assert any(m.version_fixes_ for m in indexed.values())
    for rule, meta in indexed.items():
        for version in SUPPORTED:
            for lang in ("en", "ko"):
                assert meta.fix_for(version, lang) == parsed[rule].fix_for(version, lang), (rule, version, lang)


def test_a_rule_file_changed_since_the_index_is_parsed(fresh: None, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    index = json.loads(rules.INDEX.read_text(encoding="utf-8"))
    rule = "probe-invalid"
    index[rule]["summary"] = "from the index"
    monkeypatch.setattr(rules, "_INDEX", str(tmp_path / "index.json"))
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert builtin_rules()[rule].summary == "from the index"          # the index is what is read
    builtin_rules.cache_clear()
    index[rule]["crc32"] += 1                                          # as if the file had changed
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert builtin_rules()[rule].summary != "from the index"
    builtin_rules.cache_clear()
    (tmp_path / "index.json").write_text("{not json", encoding="utf-8")
    assert builtin_rules()[rule].summary != "from the index"         # a broken index: all parsed
