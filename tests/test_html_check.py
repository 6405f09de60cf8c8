"""`k8slint check --format html`: findings by file with source excerpts, filters by
severity and rule, for CI artifacts (structure; the browser test clicks the filters)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from k8slint.report import FORMATS
from k8slint.report.html import excerpt
from tests.conftest import ROOT
from tests.html_pages import parse, run, sha256

BROKEN = str(ROOT / "fixtures" / "broken")


@pytest.fixture(scope="module")
def broken() -> tuple[str, list[dict]]:
    html = run("check", "--no-config", "--format", "html", BROKEN, expect=1)
    findings = json.loads(run("check", "--no-config", "--format", "json", BROKEN, expect=1))["findings"]
    return html, findings


def test_registered_as_a_format():
    assert "html" in FORMATS


def test_findings_grouped_by_file_in_order(broken):
    html, findings = broken
    page = parse(html)
    files = [a for name, a in page.tags if name == "section" and a.get("class") == "file"]
    assert len(files) == len({f["file"] for f in findings})
    articles = [a for name, a in page.tags if name == "article"]
    assert len(articles) == len(findings)
    assert Counter(a["data-sev"] for a in articles) == Counter(f["severity"] for f in findings)
    headings = [f for f in dict.fromkeys(f["file"] for f in findings)]
    positions = [html.index(f"<code>{name}</code>") for name in headings]
    assert positions == sorted(positions)


def test_every_finding_shows_its_source_line(broken):
    html, findings = broken
    page = parse(html)
    for f in findings[:40]:
        line = " ".join(Path(f["file"]).read_text(encoding="utf-8").splitlines()[f["line"] - 1].split())
        assert line[:100] in page.text, (f["file"], f["line"])     # (whitespace runs shown as one)


def test_excerpt_marks_the_line_and_the_column():
    source = ["a: 1", "b: 2", "c: 3", "d: 4", "e: 5", "f: 6"]
    text = excerpt(source, 3, 4)
    assert '<span class="l at"><span class="ln">3</span>c: 3</span>' in text
    assert '<span class="ln"> </span>   ^' in text                     # under column 4
    assert ">1<" in text and ">5<" in text and ">6<" not in text        # two lines of context
    assert excerpt(source, 0, 1) == "" and excerpt(source, 9, 1) == ""


def test_filters_offer_each_severity_and_each_rule(broken):
    html, findings = broken
    page = parse(html)
    boxes = {a["value"]: "checked" in a for name, a in page.tags if name == "input" and a.get("name") == "sev"}
    assert boxes == {"error": True, "warning": True, "info": False}     # infos hidden as in the human format
    options = [a for name, a in page.tags if name == "option"]
    assert len(options) == 1 + len({f["rule"] for f in findings})
    assert {a["data-rule"] for name, a in page.tags if name == "article"} == \
        {a["value"] for a in options if a["value"]}
    assert "FAILED" in page.text


def test_page_is_self_contained(broken):
    html, _ = broken
    page = parse(html)
    assert all("src" not in a and (a.get("href") or "#").startswith("#") for _, a in page.tags)
    code = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
    policy = page.policy()
    assert all(sha256(body) in policy for body in code) and sha256(page.styles[0]) in policy
    assert "default-src 'none'" in policy


def test_clean_input_and_output_file(tmp_path):
    html = run("check", "--no-config", "--format", "html", str(ROOT / "fixtures" / "demo"))
    assert "No findings" in parse(html).text and "PASSED" in html
    target = tmp_path / "report.html"
    run("check", "--no-config", "--format", "html", "-o", str(target), "--format", "human", BROKEN, expect=1)
    assert parse(target.read_text(encoding="utf-8")).count("article", class_="finding") > 100


def test_suppressed_findings_with_their_reason():
    html = run("check", "--no-config", "--format", "html", "--show-suppressed", str(ROOT / "fixtures" / "everyday"),
               expect=1)
    data = json.loads(run("check", "--no-config", "--format", "json", "--show-suppressed",
                          str(ROOT / "fixtures" / "everyday"), expect=1))
    page = parse(html)
    suppressed = data["suppressed"]
    assert suppressed and f"Suppressed ({len(suppressed)})" in page.text
    for f in suppressed:
        assert f["suppression"]["reason"] in page.text
