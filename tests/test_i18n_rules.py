"""Rule texts in Korean: every built-in rule's `ko:` block, `rules show` and the fix advice a
finding carries in Korean, and docs/rules.ko.md generated like docs/rules.md."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from k8slint.api import check_text
from k8slint.cli import main
from k8slint.k8s.versions import parse_version
from k8slint.rules import RuleFileError, builtin_rules, parse_rule
from tests.conftest import ROOT
from tests.test_docs import _generator

RULES = builtin_rules()
HANGUL = re.compile("[\uac00-\ud7a3]")
KOREAN_ENV = {"LANG": "ko_KR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_has_its_text_in_korean(rule: str) -> None:
    meta = RULES[rule]
    assert "ko" in meta.translations, f"rules/{rule}.yaml has no ko: block"
    text = meta.text("ko")
    for name in ("summary", "rationale", "fix"):
        assert HANGUL.search(getattr(text, name)), f"{rule}: ko.{name} is not Korean"
    for example in meta.fix_examples:
        if example.fix:
            assert HANGUL.search(example.fix_translations.get("ko", "")), \
                f"{rule}: fix example for {example.range_text} has no ko: {{fix: ...}}"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_korean_text_keeps_the_numbers(rule: str) -> None:
    """A translation states the same facts: every number of the English (versions, seconds,
    limits) is in the Korean too."""
    meta = RULES[rule]
    english, korean = meta.text("en"), meta.text("ko")
    pairs = [(english.summary, korean.summary), (english.rationale, korean.rationale), (english.fix, korean.fix),
             *((e.fix, e.fix_translations.get("ko", "")) for e in meta.fix_examples if e.fix)]
    for en, ko in pairs:
        missing = sorted(set(re.findall(r"\d+(?:\.\d+)*", en)) - set(re.findall(r"\d+(?:\.\d+)*", ko)))
        assert not missing, f"{rule}: numbers {missing} of {en!r} are not in {ko!r}"


def test_ko_block_must_be_complete() -> None:
    head = "id: x\ncategory: naming\nseverity: error\nsummary: s\nrationale: r\nfix: f\n"
    with pytest.raises(RuleFileError, match="missing or empty rationale"):
        parse_rule(head + "ko: {summary: 요약, fix: 수정}\nexamples: []\n", "x.yaml")
    with pytest.raises(RuleFileError, match="unknown key"):
        parse_rule(head + "ko: {summary: 요약, rationale: 이유, fix: 수정, sumary: 오타}\nexamples: []\n", "x.yaml")
    meta = parse_rule(head + "ko: {summary: 요약, rationale: 이유, fix: 수정}\nexamples: []\n", "x.yaml")
    assert meta.text("ko").summary == "요약" and meta.text("en").summary == "s"
    assert meta.text("de").fix == "f"    # a language the rule does not have: English


def test_rules_show_in_korean(korean: None) -> None:
    result = CliRunner().invoke(main, ["rules", "show", "prestop-missing"], env=KOREAN_ENV)
    assert result.exit_code == 0, result.output
    meta = RULES["prestop-missing"]
    text = meta.text("ko")
    assert text.summary in result.output and f"이유: {text.rationale}" in result.output
    assert f"수정 방법: {text.fix}" in result.output and "Why:" not in result.output
    assert meta.summary not in result.output
    assert "k8slint check --disable prestop-missing" in result.output   # commands stay


def test_rules_table_in_korean(korean: None) -> None:
    result = CliRunner().invoke(main, ["rules"], env=KOREAN_ENV)
    assert result.exit_code == 0, result.output
    assert RULES["service-selects-nothing"].text("ko").summary in result.output
    assert f"규칙 {len(RULES)}개" in result.output and "SUMMARY" not in result.output
    # the summary column starts at the same terminal column on every row (Hangul is 2 wide)
    from k8slint.report.human import text_width as _width
    lines = result.output.splitlines()[:5]
    starts = {_width(line[:line.index(summary)]) for line, summary in
              zip(lines, ["요약", *(RULES[line.split()[0]].text("ko").summary for line in lines[1:])], strict=True)}
    assert len(starts) == 1


def test_rules_show_stays_english_by_default() -> None:
    result = CliRunner().invoke(main, ["rules", "show", "prestop-missing"],
                                env={"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "Why: " in result.output and RULES["prestop-missing"].summary in result.output


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def test_finding_fix_in_korean(korean: None) -> None:
    """The engine attaches the rule's fix (or a fix example's, for the target version) in the
    language of the run; rule ids stay English."""
    result = check_text(DEPLOYMENT)
    fixes = {f.rule: f.fix for f in result.findings}
    assert fixes, "the bare Deployment should have findings"
    for rule, fix in fixes.items():
        if rule in RULES and fix == RULES[rule].text("en").fix:
            pytest.fail(f"{rule}: fix still in English")
    meta = RULES["prestop-missing"]
    assert meta.fix_for(parse_version("1.30"), "ko") == meta.fix_examples[0].fix_translations["ko"]
    assert HANGUL.search(fixes["prestop-missing"])


def test_finding_fix_stays_english_by_default() -> None:
    fixes = {f.rule: f.fix for f in check_text(DEPLOYMENT).findings}
    assert not any(HANGUL.search(fix or "") for fix in fixes.values())


def test_rules_ko_md_is_current() -> None:
    gen = _generator()
    expected = gen.render(gen.load_rules(), "ko")
    current = (ROOT / "docs" / "rules.ko.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.ko.md is stale: run `make docs`"


def test_rules_ko_md_has_every_rule_in_korean() -> None:
    gen = _generator()
    text = (ROOT / "docs" / "rules.ko.md").read_text(encoding="utf-8")
    for meta in gen.load_rules():
        body = text.split(f"\n### {meta.id}\n", 1)[1].split("\n### ", 1)[0]
        assert f"**이유.** {meta.text('ko').rationale}" in body and "**수정 방법.**" in body
        assert body.count("**예시 (") == len(meta.examples)
