"""Large inputs keep their documents frozen (k8slint.frozen): every value, position, raw
text and finding is what the parsed document gives, thawed as often as asked."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import pytest

from k8slint import frozen, graph, loader, parallel
from k8slint.api import check, render
from k8slint.config import Config
from k8slint.sourcemap import containers
from tests.conftest import ROOT

TEXT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, version: 1.10}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
"""

ALIASES = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {x: "1"}
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: &meta {name: b, labels: {app: b}}}
- {apiVersion: v1, kind: Secret, metadata: {<<: *meta, name: c}}
"""

def _load(tmp_path, text: str) -> list[loader.Document]:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return list(loader.load_files([str(path)]).documents)


def _freeze(doc):
    """`doc` frozen into a store of its own (or itself, when it cannot be)."""
    result = loader.LoadResult(sources=[loader.Source(doc.file, None, [doc])])
    frozen.storing()
    frozen.freeze_all(result)
    return result.sources[0].documents[0]


def _paths(node, path=()):
    """Every path of a document, containers and scalars."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))


def test_a_frozen_document_thaws_to_the_same_values_positions_and_raw_texts(tmp_path):
    for doc in _load(tmp_path, TEXT):
        cold = _freeze(doc)
        assert isinstance(cold, frozen.FrozenDocument)
        assert (cold.file, cold.index, cold.line) == (doc.file, doc.index, doc.line)
        assert cold.data == doc.data
        for path in _paths(doc.data):
            for at in ("key", "value"):
                assert cold.locate(path, at) == doc.locate(path, at), (path, at)
        thawed, parsed = containers(cold.data), containers(doc.data)
        for mine, theirs in zip(thawed, parsed, strict=True):
            for key in (mine if isinstance(mine, dict) else range(len(mine))):
                assert cold.source.raw_text(mine, key) == doc.source.raw_text(theirs, key)
    labels = _load(tmp_path, TEXT)[0].data["metadata"]["labels"]
    cold = _freeze(_load(tmp_path, TEXT)[0])
    assert cold.source.raw_text(cold.data["metadata"]["labels"], "version") == "1.10"
    assert labels["version"] == 1.1


def test_forgotten_it_thaws_again_and_its_objects_read_the_new_copy(tmp_path):
    cold = _freeze(_load(tmp_path, TEXT)[1])
    result = loader.LoadResult(sources=[loader.Source(cold.file, None, [cold])])
    built, _ = graph.build(result)
    service = built.objects[0]
    first = service.data
    assert service.data is first and service.locate(("spec", "ports", 0, "port")) == (22, 41)
    cold.forget()
    again = service.data
    assert again == first and again is not first
    assert again is cold.data["items"][0]
    assert service.locate(("spec", "ports", 0, "port")) == (22, 41)


def test_no_more_than_so_many_documents_stay_thawed(tmp_path, monkeypatch):
    monkeypatch.setattr(frozen, "THAWED_MAX", 2)
    frozen.forget_all()
    docs = [_freeze(d) for d in _load(tmp_path, TEXT * 3)]
    for doc in docs:
        assert doc.data is not None
    assert list(frozen._thawed) == docs[-2:]
    frozen.forget_all()
    assert not frozen._thawed


def test_a_document_with_shared_parts_or_another_order_stays_as_parsed(tmp_path):
    plain, aliased = _load(tmp_path, ALIASES)
    assert isinstance(_freeze(plain), frozen.FrozenDocument)
    assert _freeze(aliased) is aliased    # the merge key shares the labels of the anchor
    plain = _load(tmp_path, TEXT)[0]
    plain.source.nodes = tuple(reversed(containers(plain.data)))     # not the order of a walk
    plain.source._root = None
    assert _freeze(plain) is plain


def test_a_frozen_document_pickles_as_its_bytes(tmp_path):
    cold = _freeze(_load(tmp_path, TEXT)[0])
    assert cold.data is not None
    copy = pickle.loads(pickle.dumps(cold))
    assert copy._data is None and copy.data == cold.data
    assert copy.locate(("spec", "template")) == cold.locate(("spec", "template"))
    frozen.forget_all()


def test_a_forgotten_workload_still_knows_it_has_a_pod_template(tmp_path):
    cold = _freeze(_load(tmp_path, TEXT)[0])
    built, _ = graph.build(loader.LoadResult(sources=[loader.Source(cold.file, None, [cold])]))
    cold.forget()
    deployment = built.objects[0]
    assert deployment._data is None and deployment.has_pod_template
    assert deployment._data is None                     # answered without thawing
    assert deployment.pod_template is not None and deployment.pod_template.labels == {"app": "web"}


@pytest.mark.parametrize("bundle", sorted(p.name for p in (ROOT / "tests" / "corpus" / "real").iterdir()
                                          if p.is_dir()))
def test_findings_on_real_bundles_are_those_of_parsed_documents(bundle, monkeypatch):
    target = [str(ROOT / "tests" / "corpus" / "real" / bundle)]
    plain = render(check(target, Config(jobs=1)), "json", show_suppressed=True)
    assert '"rule": ' in plain
    thaws = []
    thaw = frozen.FrozenDocument._thaw
    monkeypatch.setattr(frozen.FrozenDocument, "_thaw", lambda self: (thaws.append(self), thaw(self)))
    monkeypatch.setattr(parallel, "LARGE_INPUT_BYTES", 0)
    monkeypatch.setattr(frozen, "THAWED_MAX", 3)         # thawed again and again
    assert render(check(target, Config(jobs=1)), "json", show_suppressed=True) == plain
    if not (ROOT / "tests" / "corpus" / "real" / bundle / "kustomization.yaml").exists():
        assert thaws                    # files as written are frozen (kustomize's output is its own)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    assert render(check(target, Config(jobs=2)), "json", show_suppressed=True) == plain
    assert not frozen._thawed


def test_only_large_inputs_are_frozen(tmp_path, monkeypatch):
    (tmp_path / "m.yaml").write_text(TEXT)
    assert all(d.__class__ is loader.Document for d in parallel.load([str(tmp_path)]).documents)
    monkeypatch.setattr(parallel, "LARGE_INPUT_BYTES", len(TEXT))
    assert all(d.__class__ is frozen.FrozenDocument for d in parallel.load([str(tmp_path)]).documents)


def test_the_bytes_lie_in_an_unlinked_file_and_a_later_run_never_answers_for_them(tmp_path):
    first = _freeze(_load(tmp_path, TEXT)[0])
    store = first._store
    assert store._file is not None and not store._kept
    assert not list(Path(tempfile.gettempdir()).glob("k8slint-frozen-*"))     # unlinked as soon as made
    second = _freeze(_load(tmp_path, TEXT.replace("web", "api"))[0])
    first.forget()
    assert first.data["metadata"]["name"] == "web" and second.data["metadata"]["name"] == "api"
    frozen.forget_all()


def test_without_a_temporary_file_the_bytes_stay_in_memory(tmp_path, monkeypatch):
    def refused(**_):
        raise OSError("read-only file system")

    monkeypatch.setattr(frozen.tempfile, "TemporaryFile", refused)
    doc = _load(tmp_path, TEXT)[0]
    cold = _freeze(_load(tmp_path, TEXT)[0])
    assert cold._store._file is None and len(cold._store._kept) == 1
    assert cold.data == doc.data and cold.locate(("spec", "template")) == doc.locate(("spec", "template"))
    frozen.forget_all()


def test_objects_of_frozen_documents_are_made_without_thawing_them(tmp_path, monkeypatch):
    text = TEXT.replace("  name: web\n", "  name: web\n  annotations: {k8slint.io/ignore: probe-liveness-missing}\n", 1)
    parsed = _load(tmp_path, text)
    result = loader.LoadResult(sources=[loader.Source(parsed[0].file, None, list(parsed))])
    frozen.storing()
    frozen.freeze_all(result)
    deployment_doc, list_doc = result.sources[0].documents
    assert deployment_doc.summary is not None and list_doc.summary is None    # a List is read whole
    thaws = []
    thaw = frozen.FrozenDocument._thaw
    monkeypatch.setattr(frozen.FrozenDocument, "_thaw", lambda self: (thaws.append(self), thaw(self)))
    built, _ = graph.build(result)
    assert thaws == [list_doc]
    deployment = built.objects[0]
    assert (deployment.ref, deployment.has_pod_template, built.annotated) == (
        graph.build(loader.LoadResult(sources=[loader.Source(parsed[0].file, None, parsed)]))[0].objects[0].ref,
        True, [deployment])
    assert deployment_doc.summary is None and deployment._data is None
    assert deployment.data["metadata"]["name"] == "web" and thaws == [list_doc, deployment_doc]
    frozen.forget_all()


def test_one_process_freezes_each_file_as_soon_as_it_is_parsed(tmp_path, monkeypatch):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(TEXT)
    steps = []
    parse, freeze = loader.parse_source, frozen.freeze_source
    monkeypatch.setattr(loader, "parse_source", lambda source: (steps.append("parse"), parse(source))[1])
    monkeypatch.setattr(frozen, "freeze_source", lambda source: (steps.append("freeze"), freeze(source))[1])
    monkeypatch.setattr(parallel, "LARGE_INPUT_BYTES", 0)
    loaded = parallel.load([str(tmp_path)], jobs=1)
    assert steps == ["parse", "freeze", "parse", "freeze"]
    assert [d.__class__ for d in loaded.documents] == [frozen.FrozenDocument] * 4
    frozen.forget_all()


@pytest.mark.parametrize("args", [
    ["explain", "fixtures/demo", "--scenario", "delete"],
    ["explain", "fixtures/explain"],
    ["fix", "--diff", "fixtures/broken"],
    ["diff", "fixtures/diff/before", "fixtures/diff/after"],
])
def test_explain_fix_and_diff_say_the_same_of_frozen_documents(args, monkeypatch):
    from click.testing import CliRunner

    from k8slint.cli import main

    monkeypatch.chdir(ROOT)
    plain = CliRunner().invoke(main, args)
    monkeypatch.setattr(parallel, "LARGE_INPUT_BYTES", 0)
    monkeypatch.setattr(frozen, "THAWED_MAX", 3)
    cold = CliRunner().invoke(main, args)
    assert (cold.exit_code, cold.output) == (plain.exit_code, plain.output)
    assert plain.output and plain.exit_code in (0, 1)
