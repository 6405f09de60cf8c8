"""Source maps: the packed form answers as the form it was made in, survives pickling with
its document, and goes back to positions by container when they are edited."""

from __future__ import annotations

import pickle

from k8slint.loader import Source, parse_source, parse_text

TEXT = """\
base: &base
  image: nginx:1.27
  ports: [{containerPort: 80}]
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    version: 1.10
spec:
  containers:
    - <<: *base
      name: web
    - name: sidecar
      image: envoy
      args: [a, "b", 0755]
"""

PATHS = [
    (), ("metadata",), ("metadata", "name"), ("metadata", "annotations", "version"),
    ("spec", "containers", 0), ("spec", "containers", 0, "image"), ("spec", "containers", 0, "name"),
    ("spec", "containers", 0, "ports", 0, "containerPort"), ("spec", "containers", 1, "args", 2),
    ("spec", "containers", 1, "missing", "deeper"), ("base", "ports", 0),
]


def _positions(doc) -> list[tuple[int, int]]:
    return [doc.locate(path, at) for path in PATHS for at in ("key", "value")]


def _raw(doc) -> list[str | None]:
    data = doc.data
    return [doc.source.raw_text(data["metadata"]["annotations"], "version"),
            doc.source.raw_text(data["spec"]["containers"][1]["args"], 2)]


def test_packed_positions_and_raw_texts_are_those_of_the_unpacked_map():
    [doc], __ = parse_text("p.yaml", TEXT)
    before, raw = _positions(doc), _raw(doc)
    assert before[6:8] == [(9, 5), (9, 14)]             # ("metadata", "annotations", "version")
    assert raw == ["1.10", "0755"]                       # YAML 1.1 made them a float and an int
    doc.source.pack()
    assert _positions(doc) == before
    assert _raw(doc) == raw


def test_documents_kept_for_checking_are_packed_and_pickle_with_their_data():
    source = Source("p.yaml", TEXT)
    parse_source(source)
    [doc] = source.documents
    assert doc.source.nodes and doc.source._marks is None           # packed
    copy = pickle.loads(pickle.dumps(doc))
    assert copy.data == doc.data and copy.data is not doc.data
    assert _positions(copy) == _positions(doc)
    assert _raw(copy) == ["1.10", "0755"]


def test_reading_marks_unpacks_so_edits_in_place_are_kept():
    source = Source("p.yaml", TEXT)
    parse_source(source)
    [doc] = source.documents
    name = ("metadata", "name")
    assert doc.locate(name, "value") == (7, 9)
    doc.source.marks[id(doc.data["metadata"])][4] += 10     # the value line of `name`
    assert doc.locate(name, "value") == (17, 9)
    doc.source.pack()
    assert doc.locate(name, "value") == (17, 9)


def test_positions_are_packed_in_two_bytes_when_they_fit_and_four_otherwise():
    [small], __ = parse_text("p.yaml", TEXT)
    # a document past line 65,536 and one with a column past it (a very long flow line)
    far = "\n" * 70_000 + TEXT
    wide = "apiVersion: v1\nkind: ConfigMap\ndata: {" + "k: v, " * 11_000 + "last: here}\n"
    for doc in (small, *parse_text("far.yaml", far)[0], *parse_text("wide.yaml", wide)[0]):
        before = _positions(doc) + [doc.locate(("data", "last"), "value")]
        doc.source.pack()
        assert _positions(doc) + [doc.locate(("data", "last"), "value")] == before
        assert doc.source._flat is not None
        assert doc.source._flat.typecode == ("H" if doc is small else "i")
    assert before[-1] == (3, len("data: {") + 66_000 + len("last: ") + 1)   # `wide`: "here" of last


def test_unpacked_marks_take_any_position_again():
    [doc], __ = parse_text("p.yaml", TEXT)
    doc.source.pack()
    assert doc.source._flat is not None and doc.source._flat.typecode == "H"
    assert isinstance(doc.source.nodes, tuple)                # packed: no room for more
    marks = doc.source.marks[id(doc.data["metadata"])]
    assert isinstance(doc.source.nodes, list)                 # editable again
    marks[4] = 100_000                                      # a kustomize build moves it far down
    assert doc.locate(("metadata", "name"), "value") == (100_001, 9)
    doc.source.pack()
    assert doc.locate(("metadata", "name"), "value") == (100_001, 9)


PLAIN = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    version: '1.10'
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80}]
    - name: sidecar
      image: envoy
      args: [a, "b", '0755']
"""
PLAIN_PATHS = [(), ("metadata", "name"), ("metadata", "annotations", "version"), ("spec", "containers", 0),
               ("spec", "containers", 0, "ports", 0, "containerPort"), ("spec", "containers", 1, "args", 2),
               ("spec", "containers", 1, "missing", "deeper")]


def test_a_map_in_walk_order_keeps_its_document_instead_of_the_list():
    [doc], __ = parse_text("p.yaml", PLAIN)
    before = [doc.locate(path, at) for path in PLAIN_PATHS for at in ("key", "value")]
    assert before[2:4] == [(4, 3), (4, 9)]
    doc.source.pack()
    assert doc.source.nodes == ()                              # the document's walk lists them
    assert [doc.locate(path, at) for path in PLAIN_PATHS for at in ("key", "value")] == before
    copy = pickle.loads(pickle.dumps(doc))
    assert [copy.locate(path, at) for path in PLAIN_PATHS for at in ("key", "value")] == before
    copy.source.marks[id(copy.data["metadata"])][4] += 10      # edited: a list again
    assert copy.locate(("metadata", "name"), "value") == (14, 9)
    assert copy.source.nodes


def test_a_map_out_of_walk_order_or_with_raw_texts_keeps_its_list():
    duplicate = "apiVersion: v1\nkind: ConfigMap\ndata: {a: [1]}\ndata: {b: [2]}\nmetadata: {name: x}\n"
    for text in (duplicate, TEXT):
        [doc], __ = parse_text("p.yaml", text)
        before = _positions(doc) + [doc.locate(("metadata", "name"), "value")]
        doc.source.pack()
        assert doc.source.nodes                               # the containers as they were made
        assert _positions(doc) + [doc.locate(("metadata", "name"), "value")] == before
