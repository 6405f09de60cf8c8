"""Identical parts of different documents are one object (k8slint.share), without changing
any value, position or finding."""

from __future__ import annotations

import pytest

from k8slint import loader, parallel, share
from k8slint.api import check, render
from k8slint.config import Config
from tests.conftest import ROOT

TWO = """\
apiVersion: v1
kind: Service
metadata: {name: a, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata:
  name: b
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
"""


def _load(tmp_path, text: str) -> list[loader.Document]:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return list(loader.load_files([str(path)], share=True).documents)


def test_equal_parts_of_two_documents_are_one_object_with_each_documents_positions(tmp_path):
    first, second = _load(tmp_path, TWO)
    assert first.data["spec"]["ports"] is second.data["spec"]["ports"]
    assert first.data["spec"]["selector"] is second.data["spec"]["selector"]
    # each document still points into its own lines (flow style in the first, block in the second)
    assert first.locate(("spec", "ports", 0, "targetPort")) == (6, 22)
    assert second.locate(("spec", "ports", 0, "targetPort")) == (19, 5)
    assert first.locate(("spec", "selector", "app")) == (5, 14)
    assert second.locate(("spec", "selector", "app")) == (16, 5)


def test_equal_parts_of_one_document_stay_apart(tmp_path):
    """labels and selector are equal, but one object at two places would give both the
    positions of one."""
    first, second = _load(tmp_path, TWO)
    for doc in (first, second):
        assert doc.data["metadata"]["labels"] == doc.data["spec"]["selector"]
        assert doc.data["metadata"]["labels"] is not doc.data["spec"]["selector"]
    assert second.locate(("spec", "selector", "app")) == (16, 5)


@pytest.mark.parametrize("one, other", [("1", "true"), ("0.0", "-0.0"), ("1", "1.0"), ("'1'", "1"),
                                        ("{}", "[]")])
def test_values_a_reader_tells_apart_are_never_shared(tmp_path, one, other):
    text = f"a: {{x: [{one}]}}\n---\na: {{x: [{other}]}}\n"
    first, second = _load(tmp_path, text)
    assert first.data["a"] is not second.data["a"]
    assert first.data["a"]["x"] is not second.data["a"]["x"]
    assert repr(first.data) != repr(second.data)


def test_the_raw_text_of_a_number_stays_with_its_document(tmp_path):
    """`0x50` and `80` are the same int, written differently: the raw text (read by the
    rules about how a number is written) is each document's own."""
    first, second = _load(tmp_path, "p: {port: 0x50}\n---\np: {port: 80}\n")
    assert first.data["p"] is second.data["p"]
    assert first.source.raw_text(first.data["p"], "port") == "0x50"
    assert second.source.raw_text(second.data["p"], "port") is None


def test_the_table_starts_afresh_after_so_many_containers(tmp_path, monkeypatch):
    monkeypatch.setattr(share, "TABLE_NODES", 3)
    (tmp_path / "a.yaml").write_text("a: {x: 1}\n")
    (tmp_path / "b.yaml").write_text("a: {x: 1}\n")
    first, second = loader.load_files([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")], share=True).documents
    assert first.data["a"] == second.data["a"] and first.data["a"] is not second.data["a"]


@pytest.mark.parametrize("bundle", sorted(p.name for p in (ROOT / "tests" / "corpus" / "real").iterdir()
                                          if p.is_dir()))
def test_findings_on_real_bundles_are_those_without_sharing(bundle, monkeypatch):
    target = [str(ROOT / "tests" / "corpus" / "real" / bundle)]
    plain = render(check(target, Config(jobs=1)), "json", show_suppressed=True)
    monkeypatch.setattr(parallel, "SHARE_MIN_BYTES", 0)
    moved = []
    document = share.Sharer.document

    def counted(self, source):
        before = list(source.nodes)
        document(self, source)
        moved.extend(a for a, b in zip(before, source.nodes, strict=True) if a is not b)

    monkeypatch.setattr(share.Sharer, "document", counted)
    assert render(check(target, Config(jobs=1)), "json", show_suppressed=True) == plain
    built = (ROOT / "tests" / "corpus" / "real" / bundle / "kustomization.yaml").exists()
    assert bool(moved) != built         # files as written share parts; kustomize's output is its own
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    assert render(check(target, Config(jobs=2)), "json", show_suppressed=True) == plain
    assert '"rule": ' in plain


def test_only_large_inputs_are_shared(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(share.Sharer, "document", lambda self, source: calls.append(source))
    (tmp_path / "m.yaml").write_text(TWO)
    parallel.load([str(tmp_path)])
    assert calls == []
    monkeypatch.setattr(parallel, "SHARE_MIN_BYTES", len(TWO))
    parallel.load([str(tmp_path)])
    assert len(calls) == 2
