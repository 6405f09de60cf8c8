"""k8slint fix round-trips only the documents that hold findings (k8slint.fix.apply): a
large bundle with one fix is quick, a document ruamel cannot read spoils no other, and a
finding that the fixer rules out beforehand (registry.may_fix) loads nothing."""

from __future__ import annotations

import pytest

from k8slint.fix import apply, fix_text, roundtrip
from k8slint.fix.apply import document_spans

DEPLOYMENT = ("apiVersion: extensions/v1beta1   # old\n"
              "kind: Deployment\n"
              "metadata: {name: web}\n"
              "spec:\n"
              "  selector: {matchLabels: {app: web}}\n"
              "  template:\n"
              "    metadata: {labels: {app: web}}\n"
              "    spec:\n"
              "      containers: [{name: web, image: nginx:1.27}]\n")
# the fix keeps the comment's column
MIGRATED = DEPLOYMENT.replace("extensions/v1beta1   ", "apps/v1".ljust(len("extensions/v1beta1   ")), 1)
# a CRD of the removed v1beta1 API: api-version-removed, with no certain fix (the schema
# must become structural), so the fixer is never asked
CRD = ("apiVersion: apiextensions.k8s.io/v1beta1\n"
       "kind: CustomResourceDefinition\n"
       "metadata: {name: widgets.example.com}\n"
       "spec:\n"
       "  group: example.com\n"
       "  names: {kind: Widget, plural: widgets}\n"
       "  scope: Namespaced\n"
       "  version: v1\n")
# ruamel refuses to construct an impossible date that PyYAML (and kubectl) read as a string
UNREADABLE = ("apiVersion: v1\n"
              "kind: ConfigMap\n"
              "metadata: {name: dates}\n"
              "data:\n"
              "  day: !!timestamp 2001-02-30\n")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts ruamel was asked to load."""
    seen: list[str] = []
    real = roundtrip.load_all

    def counting(yaml: object, text: str) -> list[object]:
        seen.append(text)
        return real(yaml, text)

    monkeypatch.setattr(roundtrip, "load_all", counting)
    return seen


def test_only_the_document_with_the_finding_is_round_tripped(loads: list[str]) -> None:
    configmaps = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{a: b}}\n"
                         for i in range(50))
    text = configmaps + "---\n" + DEPLOYMENT
    result = fix_text(text, "bundle.yaml")
    assert [c.rule for c in result.changes] == ["api-version-removed"]
    assert result.changes[0].line == 50 * 5 + 2           # the Deployment's apiVersion line
    assert result.text == configmaps + "---\n" + MIGRATED
    # the fix's pass and its verification read the Deployment's document, never the bundle
    assert loads and all(len(t) <= len("---\n" + DEPLOYMENT) + 10 for t in loads)


def test_a_document_ruamel_cannot_read_spoils_no_other() -> None:
    text = UNREADABLE + "---\n" + DEPLOYMENT
    result = fix_text(text, "mixed.yaml")
    assert [c.rule for c in result.changes] == ["api-version-removed"]
    assert result.text == UNREADABLE + "---\n" + MIGRATED


def test_a_finding_without_a_certain_fix_loads_nothing(loads: list[str]) -> None:
    result = fix_text(CRD, "crd.yaml")
    assert not result.changed
    assert [(f.rule, f.line, why) for f, why in result.left] == [
        ("api-version-removed", 1, "no certain fix for this case")]
    assert loads == []


def test_changes_and_left_findings_keep_the_whole_file_lines() -> None:
    text = CRD + "---\n" + DEPLOYMENT + "---\n" + CRD
    result = fix_text(text, "three.yaml")
    crd_lines = CRD.count("\n")
    assert [c.line for c in result.changes] == [crd_lines + 2]
    assert sorted((f.line for f, _ in result.left), reverse=True) == [f.line for f, _ in result.left]
    assert [f.line for f, _ in result.left] == [crd_lines + 1 + DEPLOYMENT.count("\n") + 2, 1]


@pytest.mark.parametrize(("text", "spans"), [
    ("a: 1\n", [(0, 1)]),
    ("# head\n---\na: 1\n--- # second\nb: 2\n", [(0, 1), (1, 3), (3, 5)]),
    ("---\na: 1\n---\n", [(0, 2), (2, 3)]),
    # `---` indented inside a block scalar is text; at the start of a line it ends the scalar
    ("a: |\n  ---\n  x\n---\nb: 2\n", [(0, 3), (3, 5)]),
    ("a: 1\n----\nb: 2\n", [(0, 3)]),                     # four dashes: a plain scalar line
    ("--- !!map\na: 1\n---\t\nb: 2\n", [(0, 2), (2, 4)]),
    # a directive holds for every document after it: one span
    ("%YAML 1.1\n---\na: 1\n---\nb: 2\n", [(0, 5)]),
    ("a: 1\r\n---\r\nb: 2\r\n", [(0, 1), (1, 3)]),
])
def test_document_spans(text: str, spans: list[tuple[int, int]]) -> None:
    assert document_spans(text.splitlines(keepends=True)) == spans


def test_span_of_a_line_past_the_end_is_the_last() -> None:
    spans = [(0, 2), (2, 5)]
    assert apply._span_of(spans, 0) == (0, 2)
    assert apply._span_of(spans, 2) == (2, 5)
    assert apply._span_of(spans, 9) == (2, 5)
