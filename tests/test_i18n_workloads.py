"""Korean catalogs of the workload checks (checks-workloads.po) and of `k8slint diff` (diff.po)."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from k8slint.diff import diff_texts
from k8slint.diff.report import render
from k8slint.i18n import LOCALE_DIR
from k8slint.rules import builtin_rules
from k8slint.testing import run_example

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = {
    "checks-workloads.po": [ROOT / "k8slint" / "checks" / f"{m}.py" for m in
                            ("controller", "availability", "selector", "reference", "api_version", "admission",
                             "naming")],
    "diff.po": sorted((ROOT / "k8slint" / "diff").glob("*.py")) + [ROOT / "k8slint" / "k8s" / "immutable.py"],
}
# Shared with the pod checks (probe, schema, syntax): translated once, in checks-pods.po.
ELSEWHERE = {" and {value} more", "; did you mean {hint}?"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _msgids(files: list[Path]) -> Iterator[str]:
    for path in files:
        for __, message, __, __ in extract_from_file("python", str(path), keywords=KEYWORDS):
            yield message


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for __, name, __, __ in string.Formatter().parse(text)
            if name is not None}


def _catalog(name: str) -> dict[str, str]:
    with (LOCALE_DIR / "ko" / "LC_MESSAGES" / name).open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_message_of_the_modules_is_translated_with_its_fields(name: str) -> None:
    table = _catalog(name)
    everywhere = {k for po in (LOCALE_DIR / "ko" / "LC_MESSAGES").glob("*.po") for k in _catalog(po.name)}
    wanted = set(_msgids(CATALOGS[name])) - ELSEWHERE
    assert sorted(wanted - everywhere) == []               # a msgid shared with another area is kept there
    assert sorted(set(table) - wanted) == []              # nothing stale
    for msgid, msgstr in table.items():
        assert msgstr.strip(), msgid
        assert _fields(msgstr) == _fields(msgid), msgid   # every {field} kept, no new one


def test_a_check_finding_reads_in_korean(korean: None) -> None:
    meta = builtin_rules()["bare-pod"]
    example = next(e for e in meta.examples if e.expect)
    (finding,) = run_example(meta, example)
    assert finding.message.startswith("Pod web에 컨트롤러가 없습니다.")


def test_plural_endings_are_hidden_in_korean(korean: None) -> None:
    """`{value:.0}` keeps the English `s` field and prints nothing."""
    meta = builtin_rules()["node-agent-in-deployment"]
    example = next(e for e in meta.examples if e.expect)
    messages = [f.message for f in run_example(meta, example)]
    assert any("Pod 2개를" in m for m in messages), messages
    assert not any("개s" in m for m in messages), messages


BEFORE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1"}]
"""


def test_diff_report_reads_in_korean(korean: None) -> None:
    result = diff_texts(BEFORE, BEFORE.replace("web:1", "web:2"))
    human = render(result, "human")
    assert "수정 1개; 변경 없음 0개" in human
    assert "Deployment/default/web  수정  위험도 낮음" in human
    assert "롤링 업데이트가 Pod 4개를 모두 교체합니다" in human
    markdown = render(result, "markdown")
    assert "| 오브젝트 | 변경 | 결과 | 위험도 |" in markdown
    assert "🟢 낮음" in markdown


def test_diff_report_stays_english_by_default() -> None:
    result = diff_texts(BEFORE, BEFORE.replace("web:1", "web:2"))
    human = render(result, "human")
    assert "1 modified; 0 unchanged" in human
    assert "Deployment/default/web  modified  risk low" in human
