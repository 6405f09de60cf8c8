"""The loader, pinned where mutation testing (docs/mutation.md) found it loose: merge keys,
duplicate keys, kubectl's `---` separator rule, byte decoding, stdin, placeholders and
templates, and the findings for documents that do not parse."""

from __future__ import annotations

import io

from k8slint.loader import Source, _broken_hit, decode, load_files, parse_source, parse_text, read_source


def _hits(text: str) -> list[tuple[str | None, int, int]]:
    return [(h.rule, h.line, h.column) for h in parse_text("f.yaml", text)[1]]


def test_duplicate_key_names_the_line_of_the_first_one():
    [hit] = parse_text("f.yaml", "a: 1\nb: 2\nc: 3\nb: 4\n")[1]
    assert (hit.rule, hit.line) == ("yaml-duplicate-key", 4)
    assert "duplicate key 'b' (first at line 2)" in hit.message


def test_merge_key_takes_a_list_of_mappings_and_refuses_a_scalar():
    # YAML 1.1 merge key (yaml.org/type/merge.html): `<<: [*a, *b]` merges each mapping.
    documents, hits = parse_text("f.yaml", "x: &a {p: 1}\ny: &b {q: 2}\nz:\n  <<: [*a, *b]\n")
    assert hits == [] and documents[0].data["z"] == {"p": 1, "q": 2}
    [hit] = parse_text("f.yaml", "z:\n  <<: 5\n")[1]
    assert (hit.rule, hit.line, hit.column, hit.message) == ("yaml-syntax", 2, 7, "merge key `<<` needs a mapping")


def test_documents_are_numbered_in_order_empty_ones_too():
    documents, _ = parse_text("f.yaml", "a: 1\n---\n---\nb: 1\n---\nc: 1\n")
    assert [(d.index, d.data) for d in documents] == [(0, {"a": 1}), (1, None), (2, {"b": 1}), (3, {"c": 1})]


def test_too_deep_documents_are_too_complex_with_the_reason():
    [hit] = parse_text("f.yaml", "a: " + "[" * 300 + "]" * 300 + "\n")[1]
    assert (hit.rule, hit.line, hit.column, hit.message) == (
        "yaml-too-complex", 1, 204, "document nests deeper than 200 levels")   # at the 201st `[`
    # Deeper still, PyYAML's own limit stops the parse ("exceeded maximum nesting depth").
    [hit] = parse_text("f.yaml", "a: " + "[" * 3000 + "]" * 3000 + "\n")[1]
    assert hit.rule == "yaml-too-complex" and "nesting depth" in hit.message
    recursion = _broken_hit("f.yaml", RecursionError(), None)
    assert (recursion.rule, recursion.file, recursion.message) == (
        "yaml-too-complex", "f.yaml", "invalid YAML: nesting too deep to parse")


def test_syntax_errors_say_where_and_in_which_file():
    assert _hits("a: [1\nb: 2\n") == [("yaml-syntax", 2, 2)]
    # A control character is refused by PyYAML's reader (a YAMLError without a mark).
    [hit] = parse_text("f.yaml", "a: \x07\n")[1]
    assert (hit.rule, hit.file) == ("yaml-syntax", "f.yaml")
    assert hit.message.startswith("invalid YAML: unacceptable character #x0007")


def test_a_broken_document_after_lone_cr_line_breaks():
    # A lone CR is a line break to YAML (YAML 1.1 section 5.4) and to PyYAML's marks.
    documents, hits = parse_text("f.yaml", "a: 1\r---\rb: [\r")
    assert [d.data for d in documents] == [{"a": 1}]
    assert [(h.rule, h.line) for h in hits] == [("yaml-syntax", 4)]


def test_separator_followed_by_text_stops_kubectl():
    # k8s.io/apimachinery/pkg/util/yaml YAMLReader.Read: after `---` only spaces or a
    # comment ("invalid Yaml document separator" otherwise), `---x` included.
    separator = "kubectl stops reading the file at this separator"
    for text, line in (("--- foo\na: 1\n", 1), ("a: 1\n--- foo\nb: 1\n", 2), ("a: 1\n---x\nb: 1\n", 2)):
        hits = [h for h in parse_text("f.yaml", text)[1] if h.message.startswith(separator)]
        assert [(h.rule, h.line, h.column) for h in hits] == [("yaml-syntax", line, 4)], text
    assert _hits("a: 1\n--- # comment\nb: 1\n") == []


def test_decode_boms_binary_and_bad_bytes():
    # YAML 1.2 section 5.2: UTF-16 in either byte order, told by the byte order mark.
    assert decode("f", "\ufeffa: 1\n".encode("utf-16-be")) == ("a: 1\n", None)
    assert decode("f", "\ufeffa: 1\n".encode("utf-16-le")) == ("a: 1\n", None)
    text, hit = decode("f", b"\x00\x01abc")
    assert text is None and hit is not None and hit.message == "binary data, not a YAML or JSON text"
    text, hit = decode("f", b"\n\xff")
    assert text is None and hit is not None and (hit.line, hit.column) == (2, 1)


def test_stdin_as_text_or_bytes():
    source, problem, error = read_source("-", io.StringIO("a: 1\n"))
    assert source is not None and (source.text, problem, error) == ("a: 1\n", None, None)
    loaded = load_files(["-"], io.BytesIO(b"a: 1\n"))
    assert [s.text for s in loaded.sources] == ["a: 1\n"] and loaded.io_errors == []


def test_placeholders_keep_every_other_value():
    source = Source("f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{NAME}}\ndata:\n  k: v\n")
    assert parse_source(source) == []
    assert source.documents[0].data == {"apiVersion": "v1", "kind": "ConfigMap",
                                        "metadata": {"name": "{{NAME}}"}, "data": {"k": "v"}}


def test_a_go_template_in_any_identity_field_is_a_helm_template():
    head = {"kind": 'apiVersion: v1\nkind: "{{ .Values.kind }}"\nmetadata:\n  name: a\n',
            "name": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Values.name }}"\n',
            "namespace": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'
                         '  namespace: "{{ .Release.Namespace }}"\n'}
    for field, text in head.items():
        assert [h.rule for h in parse_source(Source("f.yaml", text))] == ["helm-template"], field


def test_a_list_that_passes_the_node_cap_says_so():
    # 1000 + 1995 aliases of it expanded, then a list of 100 passes MAX_NODES (2,000,000).
    text = ("a: &a [" + ",".join(["0"] * 1000) + "]\nb: [" + ",".join(["*a"] * 1995) + "]\n"
            "c: [" + ",".join(["0"] * 100) + "]\n")
    [hit] = parse_text("f.yaml", text)[1]
    assert (hit.rule, hit.line, hit.message) == ("yaml-too-complex", 3, "document has more than 2,000,000 nodes")


def test_list_items_keep_their_text_as_written():
    from k8slint.api import check_text
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n"
            "      image: nginx:1.27\n      args: [--ratio, 1.10, 010]\n")
    found = [(f.rule, f.line, f.column, f.message.split(" is ")[0])
             for f in check_text(text, name="p.yaml").findings if f.category == "syntax"]
    assert found == [("yaml-string-trap", 8, 23, "unquoted 1.10"), ("yaml-string-trap", 8, 29, "unquoted 010")]


def test_go_floats_that_yaml_reads_as_strings_are_kept_as_written():
    # "1e3" is a string to YAML 1.1 (its float needs a dot) but a number to go-yaml's
    # resolve (sigs.k8s.io/yaml), which kubectl uses: the API server gets a number.
    from k8slint.api import check_text
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n"
            "      image: nginx:1.27\n      args: [1e3]\n      env: [{name: A, value: 1e3}]\n")
    found = [(f.rule, f.line, f.column) for f in check_text(text, name="p.yaml").findings if f.category == "syntax"]
    assert found == [("yaml-string-trap", 8, 14), ("yaml-string-trap", 9, 30)]


def test_skipped_files_are_named_in_their_finding():
    assert [h.file for h in parse_source(Source("x/kustomization.yaml", "resources: []\n"))] == ["x/kustomization.yaml"]
    helm = Source("t/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n")
    assert [(h.rule, h.file) for h in parse_source(helm)] == [("helm-template", "t/cm.yaml")]


def test_duplicate_keys_name_their_object_list_items_too():
    [hit] = parse_text("f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}\ndata: {}\n")[1]
    assert hit.message.startswith("duplicate key 'data' in ConfigMap/x (first at line 5)")
    listed = ("apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  metadata: {name: a}\n  data: {}\n"
              "  data: {}\n- kind: Secret\n  metadata:\n    name: b\n")
    [hit] = parse_text("f.yaml", listed)[1]
    assert (hit.line, hit.message.split(" (")[0]) == (7, "duplicate key 'data' in ConfigMap/a")


def test_documents_after_a_broken_one_are_still_read():
    documents, hits = parse_text("f.yaml", "a: [\n---\nb: 1\n---\nc: 1\n")
    assert [d.data for d in documents] == [{"b": 1}, {"c": 1}]
    assert [(h.rule, h.line) for h in hits] == [("yaml-syntax", 2)]
    assert "this document and the 2 after it are not applied" in hits[0].message


def test_separator_line_counts_lone_cr_breaks():
    # PyYAML's marks count a lone CR as a line break (YAML 1.1 section 5.4): so does the hit.
    hits = [h for h in parse_text("f.yaml", "a: 1\rb: 2\n--- x\nc: 1\n")[1] if "separator" in h.message]
    assert [(h.line, h.column) for h in hits] == [(3, 4)]


def test_the_node_cap_counts_each_node_once():
    # Nodes, aliases expanded: the root mapping and its 3 entries (4), {} (1), x: the list,
    # its 1000 items and the {} each stands for (2001), y: the list and its k items (k + 1)
    # and the x each stands for (2001 k). k = 997 makes 1,998,001, under MAX_NODES
    # (2,000,000); k = 998 makes 2,000,003, over it.
    def text(k: int) -> str:
        return "e: &e {}\nx: &x [" + ",".join(["*e"] * 1000) + "]\ny: [" + ",".join(["*x"] * k) + "]\n"
    assert parse_text("f.yaml", text(997))[1] == []
    assert [h.rule for h in parse_text("f.yaml", text(998))[1]] == ["yaml-too-complex"]
