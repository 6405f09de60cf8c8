"""Reading YAML as kubectl does: a broken document stops kubectl, not k8slint; go-yaml's
escapes; duplicate keys named by object; `---` separators with content."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check, check_text
from k8slint.config import Config
from k8slint.loader import parse_text
from k8slint.model import Severity

REPOS = Path(__file__).parent / "fixtures" / "repos"


def test_a_broken_document_in_the_middle_is_reported_and_the_later_ones_are_checked() -> None:
    # cli-runtime StreamVisitor.Visit returns at the first Decode error: the ConfigMap before
    # is applied, the broken document and the Service after it are not.
    result = check([str(REPOS / "streams" / "broken-middle.yaml")], Config())
    syntax = [f for f in result.findings if f.rule == "yaml-syntax"]
    assert len(syntax) == 1 and syntax[0].severity == Severity.ERROR
    assert "kubectl stops reading the file here: this document and the 1 after it are not applied" \
        in syntax[0].message
    assert [o.name for o in result.graph.objects] == ["first", "after-the-break"]
    assert any(f.rule == "service-selects-nothing" for f in result.findings)   # still checked


def test_a_second_broken_document_says_kubectl_already_stopped() -> None:
    text = "a: [\n---\nb: 1\n---\nc: {\n---\nd: 2\n"
    documents, hits = parse_text("f.yaml", text)
    assert [d.data for d in documents] == [{"b": 1}, {"d": 2}]
    assert [h.line for h in hits] == [2, 6]
    assert "the 3 after it" in hits[0].message
    assert "already stopped reading this file at line 2" in hits[1].message


def test_backslash_single_quote_is_read_as_go_yaml_reads_it() -> None:
    # go-yaml v2 scannerc.go yaml_parser_scan_flow_scalar: `\'` -> `'` (PyYAML refuses it).
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "it\\\'s", labels: {a: b}}\ndata: {k: "x\\\'y"}\n'
    documents, hits = parse_text("f.yaml", text)
    assert hits == []
    assert documents[0].data["metadata"]["name"] == "it's"
    assert documents[0].data["data"]["k"] == "x'y"
    # Columns stay those of the original text (the escape is replaced in place).
    assert documents[0].locate(("metadata", "labels"), "value") == (3, 35)


def test_a_duplicate_key_names_its_object_and_is_a_warning_outside_kustomize() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data: {x: '1', x: '2'}\n")
    finding = [f for f in check_text(text).findings if f.rule == "yaml-duplicate-key"][0]
    assert "duplicate key 'x' in ConfigMap/b (first at line 10)" in finding.message
    assert finding.severity == Severity.WARNING


def test_a_duplicate_key_in_a_kustomization_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                                      "data: {x: '1', x: '2'}\n")
    finding = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "yaml-duplicate-key"][0]
    assert finding.severity == Severity.ERROR and "kustomize builds this file" in finding.message


def test_a_separator_with_content_stops_kubectl() -> None:
    # apimachinery pkg/util/yaml YAMLReader.Read: "invalid Yaml document separator".
    _, hits = parse_text("f.yaml", "a: 1\n--- {b: 2}\n---\nc: 3\n")
    assert [(h.line, h.rule) for h in hits] == [(2, "yaml-syntax")]
    assert "invalid Yaml document separator" in hits[0].message
    _, hits = parse_text("f.yaml", "a: 1\n--- # a comment\nc: 3\n")
    assert hits == []


def test_a_json_stream_is_decoded_as_a_whole() -> None:
    documents, hits = parse_text("f.json", '{"apiVersion": "v1", "kind": "List",\n "items": [1, 2}\n{"a": 1}\n')
    assert len(hits) == 1 and hits[0].rule == "yaml-syntax"


def test_sed_placeholders_are_values_and_helm_templates_are_skipped() -> None:
    result = check_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: {{HF_TOKEN}}\n")
    assert result.graph.objects[0].data["stringData"] == {"token": "{{HF_TOKEN}}"}
    assert not [f for f in result.findings if f.rule in ("helm-template", "yaml-syntax")]
    helm = check_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n")
    assert [f.rule for f in helm.findings] == ["helm-template"] and helm.objects == 0
