"""Korean output of the explain renderers and scenario modules (catalog explain-render.po).

English output is proven unchanged by the golden files (tests/test_golden.py); these tests
check the Korean side: every message id of these modules is translated with the same
fields, terminal columns line up with double-width Hangul, and the HTML page is Korean.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from k8slint.i18n import set_language
from k8slint.simulate import explain
from k8slint.simulate.render import render
from k8slint.simulate.render.human import _wrap, cells, ljust_cells
from tests.conftest import ROOT

CATALOG = ROOT / "k8slint" / "locale" / "ko" / "LC_MESSAGES" / "explain-render.po"
MODULES = sorted((ROOT / "k8slint" / "simulate" / "render").glob("*.py")) + [
    ROOT / "k8slint" / "simulate" / f"{name}.py"
    for name in ("failures", "jobs", "cron", "drain", "scenarios", "quota", "refusal")]
DEMO = str(ROOT / "fixtures" / "demo" / "web.yaml")
HANGUL = re.compile("[\uac00-\ud7a3]")


def _msgids(path: Path) -> list[str | tuple[str, str]]:
    from babel.messages.extract import extract_from_file

    return [msg for _line, msg, _comments, _context in extract_from_file(
        "python", str(path), keywords={"_": None, "N_": None, "ngettext": (1, 2)})]


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


def _catalog(path: Path) -> dict[object, object]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


def test_every_message_of_these_modules_has_a_korean_translation_with_the_same_fields() -> None:
    catalog: dict[object, object] = {}          # every catalog of the folder, as i18n reads them
    for path in sorted(CATALOG.parent.glob("*.po")):
        catalog.update(_catalog(path))
    missing, wrong = [], []
    for path in MODULES:
        for msgid in _msgids(path):
            found = catalog.get(msgid)
            text = found[0] if isinstance(found, tuple) else found
            if not text:
                missing.append(msgid)
                continue
            source = msgid[0] if isinstance(msgid, tuple) else msgid
            if _fields(source) != _fields(text):
                wrong.append((msgid, text))
    assert not missing, missing
    assert not wrong, wrong


def test_this_catalog_shares_no_message_id_with_another_catalog() -> None:
    mine = _catalog(CATALOG)
    for path in sorted(CATALOG.parent.glob("*.po")):
        if path != CATALOG:
            assert not mine.keys() & _catalog(path).keys(), path.name


def test_columns_count_hangul_as_two_terminal_cells() -> None:
    assert cells("Pod 종료") == 8
    assert ljust_cells("종료", 6) == "종료  "
    assert ljust_cells("gone", 6) == "gone".ljust(6)
    lines = _wrap("컨테이너가 종료 코드 1로 끝납니다 " * 6, 40, "  ", "    ")
    assert len(lines) > 1 and all(cells(line) <= 40 for line in lines)
    assert all(line.startswith("    ") for line in lines[1:])


def test_korean_walk_through_of_the_delete_fits_the_width_and_its_table_lines_up(korean: None) -> None:
    text = render("human", explain([DEMO], "delete"), width=120)
    assert "k8slint explain: " in text and "삭제" in text.splitlines()[0]
    assert all(cells(line) <= 120 for line in text.splitlines())
    table = text.split("\n종료\n", 1)[1].split("\n\n", 1)[0].splitlines()
    header, rows = table[0], [row for row in table[1:] if not row.startswith("   ")]   # not wrapped lines
    assert len(rows) == 3
    # every column starts at the same terminal column in the header and in each row
    starts = [cells(header[:m.start()]) for m in re.finditer(r"(?<=  )\S", header)]
    assert len(starts) >= 4
    for row in rows:
        row_starts = {cells(row[:m.start()]) for m in re.finditer(r"(?<=  )\S", row)}
        assert set(starts[:4]) <= row_starts, (header, row)


def test_korean_summary_merges_identical_replicas_and_shows_seconds_as_cho(korean: None) -> None:
    text = render("human", explain([DEMO]), width=100)
    assert "Deployment/web: Pod 3개, 18초까지 3개 Ready" in text
    assert "Pod 2개 web-" in text           # the two pods the autoscaler adds, on one line
    assert "타임라인 (시작 후 경과한 초)" in text


def test_korean_markdown_has_korean_headings_and_table_headers(korean: None) -> None:
    text = render("markdown", explain([DEMO], "rollout"))
    assert "**타임라인**" in text
    assert "| t | 컴포넌트 | 일어나는 일 |" in text
    assert "| t | 이전 | 새 | 가용 | 단계 |" in text
    assert "<details><summary>가정</summary>" in text


def test_korean_html_page_is_lang_ko_with_korean_static_text(korean: None) -> None:
    page = render("html", explain([DEMO], "delete"))
    assert '<html lang="ko">' in page
    for text in ("타임라인", "오브젝트", "모든 이벤트", "Pod별 종료", "유예 기간", "닫기"):
        assert text in page, text
    assert "+' s';}" not in page and '+"\\ucd08";}' in page      # the inspector's seconds: 초
    english = render("html", explain([DEMO], "delete"), lang="en")   # the run's language wins
    assert '<html lang="ko">' in english


def test_english_stays_english_after_a_korean_run(korean: None) -> None:
    set_language("en")
    text = render("human", explain([DEMO]), width=100)
    assert not HANGUL.search(text)
    assert "Timeline (seconds after the start)" in text


def test_east_asian_width_of_every_korean_string_is_wide() -> None:
    # the padding relies on Hangul syllables being W (double width) in the Unicode tables
    assert all(unicodedata.east_asian_width(c) == "W" for c in "종료삭제초")


def test_admission_defaults_are_read_from_a_translated_message_of_the_same_shape(korean: None) -> None:
    from k8slint.simulate.render.walk import _filled_defaults

    for message in ("web Deployment을(를) 수락합니다. 채운 기본값: replicas: 1; progressDeadlineSeconds: 600",
                    "Deployment web 오브젝트를 승인합니다; 채운 기본값: replicas: 1; progressDeadlineSeconds: 600"):
        assert _filled_defaults(message) == ["replicas: 1", "progressDeadlineSeconds: 600"]
    assert _filled_defaults("web Service을(를) 수락합니다. 채운 기본값: type: ClusterIP") == ["type: ClusterIP"]
    assert _filled_defaults("migrate Job을(를) 수락합니다. 채운 기본값: completions: 1, parallelism: 1; "
                            "completionMode: NonIndexed") == ["completions: 1, parallelism: 1",
                                                              "completionMode: NonIndexed"]
    assert _filled_defaults("web ConfigMap을(를) 수락합니다. 채울 기본값 없음") == []
    set_language("en")
    assert _filled_defaults("accepts Deployment web; defaults filled in: replicas: 1") == ["replicas: 1"]
    assert _filled_defaults("accepts ConfigMap web; no defaults to fill in") == []


@pytest.mark.parametrize("spec", [{"maxUnavailable": "25%"}, {"minAvailable": 2}, {}])
def test_budget_arithmetic_in_english_is_the_pdb_module_sentence(spec: dict[str, object]) -> None:
    from k8slint.k8s import pdb
    from k8slint.simulate.drain import budget_arithmetic

    status = pdb.Budget(expected_pods=4, desired_healthy=3, current_healthy=4, disruptions_allowed=1)
    assert budget_arithmetic(spec, status) == pdb.describe(spec, status)
