"""Loader: positions of nested keys and list items, List kinds, JSON, odd input."""

from __future__ import annotations

import os

from k8slint.api import check_text
from k8slint.config import Config
from k8slint.graph import build
from k8slint.loader import Source, decode, parse_source, parse_text
from k8slint.parallel import load

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          livenessProbe:
            successThreshold: 3
        - name: sidecar
          image: envoy:1.30
"""


def syntax(result) -> list:
    """Only the loader's own findings: other rule families also speak on these inputs."""
    return [f for f in result.findings if f.category == "syntax"]


def test_positions_of_nested_keys_values_and_list_items():
    [doc], hits = parse_text("d.yaml", DEPLOYMENT)
    assert not hits
    probe = ("spec", "template", "spec", "containers", 0, "livenessProbe", "successThreshold")
    assert doc.locate(probe) == (12, 13)
    assert doc.locate(probe, at="value") == (12, 31)
    assert doc.locate(("spec", "template", "spec", "containers", 1)) == (13, 11)
    assert doc.locate(("spec", "template", "spec", "containers", 1, "image"), "value") == (14, 18)
    # a missing leaf points at its deepest existing ancestor
    assert doc.locate(("spec", "template", "spec", "containers", 1, "ports")) == (13, 11)


def test_positions_in_a_later_document_and_flow_style():
    text = "a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {k: v}}\n"
    docs, _ = parse_text("f.yaml", text)
    assert [d.index for d in docs] == [0, 1]
    assert docs[1].line == 3
    assert docs[1].locate(("metadata", "labels", "k"), "value") == (5, 33)


def test_list_kinds_are_flattened_with_item_positions():
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
  - apiVersion: v1
    kind: Secret
    metadata: {name: b}
"""
    source = Source("l.yaml", text)
    parse_source(source)
    from k8slint.loader import LoadResult
    graph, hits = build(LoadResult(sources=[source]))
    assert not hits
    assert [(o.kind, o.name) for o in graph.objects] == [("ConfigMap", "a"), ("Secret", "b")]
    assert graph.objects[1].locate(("metadata", "name"), "value") == (9, 22)


def test_configmaplist_kind_flattened():
    text = ('{"apiVersion": "v1", "kind": "ConfigMapList", "items": '
            '[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}]}')
    result = check_text(text)
    assert [o.name for o in result.graph.objects] == ["x"]


def test_json_input_with_positions():
    text = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {\n    "name": "j",\n    "labels": {"v": 1.10}\n  }\n}\n'
    result = check_text(text, name="x.json")
    [finding] = syntax(result)
    assert (finding.rule, finding.line, finding.column) == ("yaml-string-trap", 6, 21)
    assert finding.path == "metadata.labels.v"


def test_duplicate_key_reported_at_the_second_key():
    result = check_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n")
    [finding] = syntax(result)
    assert (finding.rule, finding.line, finding.column) == ("yaml-duplicate-key", 5, 3)
    assert "first at line 4" in finding.message


def test_merge_key_override_is_not_a_duplicate():
    docs, hits = parse_text("m.yaml", "base: &b {a: 1, b: 2}\nobj:\n  <<: *b\n  b: 3\n")
    assert not hits
    assert docs[0].data["obj"] == {"a": 1, "b": 3}


def test_parse_error_keeps_earlier_documents():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkey: [unclosed\n"
    docs, hits = parse_text("p.yaml", text)
    assert len(docs) == 1 and docs[0].data["metadata"]["name"] == "ok"
    assert [h.rule for h in hits] == ["yaml-syntax"]
    assert hits[0].line == 6


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  a: !!python/object/apply:os.system ['touch {marker}']\n"
    result = check_text(text)
    assert not marker.exists()
    assert [f.rule for f in syntax(result)] == ["yaml-syntax"]


def test_odd_inputs_give_findings_not_exceptions(tmp_path):
    files = {
        "binary.yaml": b"\x00\x01\x02\xff" * 100,
        "latin1.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n".encode("latin-1"),
        "scalar.yaml": b"just a string\n",
        "list.yaml": b"- a\n- b\n",
        "empty.yaml": b"",
        "utf16.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\n".encode("utf-16"),
        "tabs.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: t\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    result = load([str(tmp_path)])
    rules = {(os.path.basename(h.file), h.rule) for h in result.hits}
    assert ("binary.yaml", "yaml-syntax") in rules
    assert ("latin1.yaml", "yaml-syntax") in rules
    assert ("tabs.yaml", "yaml-syntax") in rules
    graph, graph_hits = build(result)
    assert {os.path.basename(h.file) for h in graph_hits} == {"scalar.yaml", "list.yaml"}
    assert [o.name for o in graph.objects] == ["u"]


def test_folders_sorted_hidden_skipped_and_symlink_loops_survived(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    for path in ("b/2.yaml", "a/1.yml", ".git/x.yaml", "a/notes.txt"):
        (tmp_path / path).write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    result = load([str(tmp_path)])
    names = [os.path.relpath(s.name, tmp_path) for s in result.sources]
    assert names == ["a/1.yml", "b/2.yaml"]


def test_non_manifest_files_and_helm_templates_are_skipped_with_one_finding(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: [a.yaml]\n")
    (tmp_path / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    result = load([str(tmp_path)])
    assert sorted(h.rule for h in result.hits) == ["helm-template", "not-kubernetes"]


def test_missing_path_is_an_io_error():
    result = load(["/nonexistent/x.yaml"])
    assert result.io_errors == ["/nonexistent/x.yaml: no such file or directory"]


def test_deep_nesting_and_alias_bombs_are_bounded():
    deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: " + "[" * 10000 + "]" * 10000 + "\n"
    result = check_text(deep)
    assert [f.rule for f in syntax(result)] == ["yaml-too-complex"]
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: b}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    result = check_text("\n".join(lines) + "\n")
    assert [f.rule for f in syntax(result)] == ["yaml-too-complex"]


def test_namespace_defaulting_and_cluster_scope():
    text = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: c}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec: {group: example.com, scope: Cluster, names: {kind: Gadget, plural: gadgets}}
"""
    graph = check_text(text).graph
    assert [o.namespace for o in graph.objects] == ["default", "team", None, "default", None, None]
    graph = check_text(text, Config(namespace="ci")).graph
    assert [o.namespace for o in graph.objects][:2] == ["ci", "team"]


def test_syntax_errors_point_at_the_offending_character():
    # "  a: b: c": the second colon is the 7th character of line 5 (PyYAML's problem mark,
    # 0-based, plus one).
    _, [error] = parse_text("f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: b: c\n")
    assert (error.rule, error.line, error.column) == ("yaml-syntax", 5, 7)
    # Not UTF-8: the first bad byte is the 5th of line 2.
    _, bad = decode("f.yaml", b"a: 1\nxy: \xc3\x28\n")
    assert (bad.line, bad.column) == (2, 5)


def test_a_stream_of_json_values_is_one_document_each():
    # kubectl reads JSON with encoding/json's Decoder, one value per Decode
    # (k8s.io/apimachinery/pkg/util/yaml decoder.go YAMLOrJSONDecoder.Decode): argo-cd's
    # reposerver testdata/json-list/list.json is two objects, one per line.
    text = ('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n'
            '  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}\n')
    documents, hits = parse_text("list.json", text)
    assert hits == []
    assert [d.data["metadata"]["name"] for d in documents] == ["a", "b"]
    assert [d.index for d in documents] == [0, 1]
    assert documents[1].locate(("metadata", "name"), at="value") == (2, 66)   # 2 spaces + 63 + 1


def test_a_json_value_followed_by_something_else_stays_one_error():
    documents, hits = parse_text("bad.json", '{"kind": "ConfigMap"}\n{"kind": \n')
    assert [h.rule for h in hits] == ["yaml-syntax"]
