"""Sources to Documents: reading files, folders and stdin, YAML/JSON parsing with positions.

PyYAML's C composer gives nodes with marks; one walk turns them into plain Python data
and a SourceMap. The walk replaces PyYAML's constructor, so we never construct arbitrary
tags (nothing is ever executed) and we see what the constructor hides: duplicate keys,
the original text of scalars YAML 1.1 turns into numbers or booleans, alias expansion.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator

import yaml

from . import listing
from .i18n import _
from .lazyre import lazy_compile
from .model import Hit, Path, Severity
from .safe_yaml import SafeLoader as _Loader
from .sourcemap import SourceMap

if not _Loader.__name__.startswith("C"):  # pragma: no cover - depends on how PyYAML was built
    print("k8slint: warning: PyYAML has no libyaml; loading will be slow", file=sys.stderr)

YAML_SUFFIXES = (".yaml", ".yml", ".json")
# kep.yaml: a Kubernetes Enhancement Proposal's metadata (kubernetes/enhancements keps/
# convention, kept by kueue, jobset, lws): never applied
NOT_MANIFEST_FILES = {"kustomization.yaml", "kustomization.yml", "chart.yaml", "chart.yml",
                      "values.yaml", "values.yml", ".pre-commit-config.yaml", ".k8slint.yaml",
                      "kep.yaml", "kep.yml"}
MAX_DEPTH = 200            # Kubernetes objects nest ~20 deep; deeper is hostile or broken
MAX_NODES = 2_000_000      # per document, after alias expansion (billion laughs)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CONTAINER_TAGS = {_MAP, _SEQ}
_Scalar = yaml.ScalarNode
_NUMBER_START = frozenset("0123456789+-.")
_intern = sys.intern
_INTERN_MAX = 24
_PLAIN_OK_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, "tag:yaml.org,2002:binary",
                  "tag:yaml.org,2002:value", _MERGE}
# Plain scalars that Go's YAML (sigs.k8s.io/yaml, used by kubectl) reads as floats but
# PyYAML keeps as strings, e.g. 1e3.
_GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
# An unquoted `{{ ... }}` on one line: the flow mapping go-yaml refuses (see unquoted_template).
_UNQUOTED_TEMPLATE = re.compile(r"\{\{[^{}\n]*\}\}")
# A Go template's variable or function call written as a whole value (`{{$.Namespace}}`,
# `{{YamlQuote (IncludeEmbedFile "x.json") 4}}`): the program that reads the file renders it
# with text/template before any YAML is read (kubernetes/perf-tests' clusterloader2,
# pkg/config/template_provider.go; emissary's k8s/*.yaml and pkg/kubeapply), so kubectl never
# sees the braces. Argo's `{{inputs.x}}`, which reaches kubectl as written, is neither.
_GO_ACTION = lazy_compile(r"\{\{-?\s*(?:\$|[A-Za-z_]\w*[ \t]+[(\"$.0-9])")
_constructor = yaml.constructor.SafeConstructor()
# The implicit tag of short plain scalars, by text: keys and small values repeat in every
# object (name, image, containerPort, 80), so most are resolved once per process.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 1 << 16


class _FastLoader(_Loader):
    """The C composer with a lean resolver: same tags, fewer Python calls per node.

    PyYAML's Resolver calls descend/ascend hooks for path resolvers on every node; there
    are none here, so they are no-ops, and resolve() keeps only the implicit-tag lookup."""

    _implicit: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = _PLAIN_TAGS.get(value)
                if tag is None:
                    tag = _STR
                    for candidate, regexp in self._implicit.get(value[:1], ()):
                        if regexp.match(value):
                            tag = candidate
                            break
                    if len(value) <= _INTERN_MAX:
                        if len(_PLAIN_TAGS) >= _PLAIN_TAGS_MAX:
                            _PLAIN_TAGS.clear()
                        _PLAIN_TAGS[value] = tag
                return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


Stdin = IO[bytes] | IO[str]      # what "-" reads (sys.stdin.buffer unless given)


@dataclass(slots=True)
class Document:
    """One YAML document of a source, as plain data with its source map."""

    file: str
    index: int
    data: Any
    source: SourceMap
    line: int = 1              # first line of the document in its file (1-based)

    def locate(self, path: Path = (), at: str = "key") -> tuple[int, int]:
        return self.source.locate(self.data, path, at)

    def position(self, path: Path = (), at: str = "key") -> tuple[str, int, int]:
        """(file, line, column): a built kustomize object's nodes may lie in other files."""
        return (self.file, *self.source.locate(self.data, path, at))


SUPPRESSION_MARKER = "k8slint:"      # on every line a suppression comment can be on


class Source:
    """A file (or stdin) that was read.

    The text of a file read from disk is not kept once it is parsed (`keep_only_comments`:
    some 60 MB at 100k documents): `text` reads the file again when asked (a reporter's
    excerpts, fix), and its suppression comments are kept as `comment_lines`."""

    __slots__ = ("name", "_text", "documents", "_comment_lines")

    def __init__(self, name: str, text: str | None, documents: list[Document] | None = None) -> None:
        self.name = name
        self._text = text
        self.documents: list[Document] = documents if documents is not None else []
        self._comment_lines: list[tuple[int, str]] | None = None   # set when the text is dropped

    @property
    def text(self) -> str | None:
        if self._comment_lines is not None:
            return read_text(self.name)
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text, self._comment_lines = value, None

    def comment_lines(self) -> list[tuple[int, str]]:
        """(line number, line) of the lines that may hold a suppression comment; lines as
        str.splitlines() counts them."""
        if self._comment_lines is not None:
            return self._comment_lines
        return marked_lines(self._text)

    def keep_only_comments(self) -> None:
        """Drop the text of a file that can be read again (not stdin)."""
        if self._text is not None and self.name != "-":
            self._comment_lines = marked_lines(self._text)
            self._text = None

    def __repr__(self) -> str:
        return f"Source({self.name!r}, documents={len(self.documents)})"


def marked_lines(text: str | None) -> list[tuple[int, str]]:
    if not text or SUPPRESSION_MARKER not in text:
        return []
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1)
            if SUPPRESSION_MARKER in line]


def read_bytes(path: str) -> bytes:
    """A file's bytes, in four system calls (open, read until the end, close): open()'s
    buffered reader adds a stat, a terminal check and two seeks a file, which is most of
    the cost of reading many small files. Raises OSError as open() does."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: str) -> str | None:
    """The text of a file as the loader reads it, or None when it cannot be read now."""
    try:
        raw = read_bytes(path)
    except OSError:
        return None
    return decode(path, raw)[0]


@dataclass(slots=True)
class LoadResult:
    sources: list[Source] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    io_errors: list[str] = field(default_factory=list)

    @property
    def documents(self) -> Iterator[Document]:
        for source in self.sources:
            yield from source.documents


class _TooLarge(Exception):
    def __init__(self, message: str, node: Any) -> None:
        super().__init__(message)
        self.node = node


class _Builder:
    """Turns composed nodes into plain data, filling a SourceMap and collecting hits."""

    __slots__ = ("source", "hits", "file", "count", "marks", "nodes", "raw", "built", "duplicates",
                 "tag_hits", "text", "in_walk_order")

    def __init__(self, file: str, hits: list[Hit], text: str = "") -> None:
        self.file = file
        self.text = text
        self.hits = hits
        self.source = SourceMap()
        self.marks = self.source.marks
        self.nodes: list[Any] = []      # the source map's containers, as they are made
        self.source.nodes = self.nodes
        self.raw = self.source.raw
        self.count = 0                  # nodes so far, aliases counted expanded
        self.built: dict[int, tuple[Any, int]] = {}   # id(container node) -> (data, size)
        self.duplicates: list[tuple[Hit, str, int]] = []   # (hit, key, first line): named later
        self.tag_hits: list[Hit] = []   # unsupported tags: dropped if the document is no object
        # the containers made so far are in the order a walk of the data finds them (see
        # sourcemap.containers): no alias, merge key or duplicate key yet
        self.in_walk_order = True

    def hit(self, rule: str, node: Any, message: str, severity: Severity | None = None) -> None:
        mark = node.start_mark
        self.hits.append(Hit(message=message, file=self.file, line=mark.line + 1,
                             column=mark.column + 1, rule=rule, severity=severity))

    def build(self, node: Any, depth: int = 0) -> Any:
        """Data for any node; containers are built once and shared by their aliases."""
        if node.__class__ is _Scalar:
            return self.scalar(node)
        if node.tag not in _CONTAINER_TAGS:
            self.unsupported_tag(node)
        if node.flow_style and node.__class__ is yaml.MappingNode:
            template = self.unquoted_template(node)
            if template is not None:
                return template
        known = self.built.get(id(node))
        if known is not None:           # an alias: share the data, count its expanded size
            self.in_walk_order = False
            self.count += known[1]
            if self.count > MAX_NODES:
                raise _TooLarge(_("YAML aliases expand this document to more than {limit:,} "
                                  "nodes (an alias bomb?); not expanded").format(limit=MAX_NODES), node)
            return known[0]
        if depth > MAX_DEPTH:
            raise _TooLarge(_("document nests deeper than {limit} levels").format(limit=MAX_DEPTH), node)
        before = self.count
        data = self.mapping(node, depth) if node.__class__ is yaml.MappingNode else self.sequence(node, depth)
        self.built[id(node)] = (data, self.count - before)
        return data

    def unquoted_template(self, node: Any) -> str | None:
        """The text of an unquoted `{{args.x}}` (Argo, Jinja): YAML reads it as a flow mapping
        whose key is a mapping, which go-yaml v2 refuses ("invalid map key", decode.go
        decoder.mapping), so kubectl cannot decode the document. One yaml-syntax error here,
        and the value is kept as its text so that no check reports the same spot again."""
        pairs = node.value
        if len(pairs) != 1 or pairs[0][0].__class__ is not yaml.MappingNode:
            return None
        start, end = node.start_mark.index, node.end_mark.index
        text = self.text[start:end]
        if not _UNQUOTED_TEMPLATE.fullmatch(text):
            return None
        if _GO_ACTION.match(text):
            return text
        self.hit("yaml-syntax", node, _("unquoted {text} is a mapping in YAML, not text: kubectl cannot "
                                        "decode the document (\"invalid map key\"); quote it: "
                                        "\"{text}\"").format(text=text))
        return text

    def unsupported_tag(self, node: Any) -> None:
        self.hit("yaml-syntax", node, _("unsupported YAML tag {tag!r}: read as plain data "
                                        "(k8slint never constructs tagged objects; kubectl rejects them)")
                 .format(tag=node.tag))
        self.tag_hits.append(self.hits[-1])

    def forget_tags_unless_object(self, data: Any) -> None:
        """A document without apiVersion and kind is no Kubernetes object (mkdocs.yml's
        `!!python/name:`, a compose file's `!reset`): it is skipped with one not-kubernetes
        info, so its tool's own tags are no error of a manifest."""
        if self.tag_hits and not (isinstance(data, dict) and data.get("apiVersion") and data.get("kind")):
            dropped = {id(hit) for hit in self.tag_hits}
            self.hits[:] = [hit for hit in self.hits if id(hit) not in dropped]

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT:
            return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
        if tag == _BOOL:
            return _constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        if tag not in _PLAIN_OK_TAGS:
            self.unsupported_tag(node)
        return node.value

    def _note_raw(self, container: Any, key: Any, node: Any) -> None:
        """Remember the text of a plain scalar that does not stay a string."""
        if node.__class__ is _Scalar and not node.style:
            tag, text = node.tag, node.value
            if tag == _STR:
                keep = text[:1] in _NUMBER_START and _GO_FLOAT.match(text) is not None
            elif tag == _TIMESTAMP:
                # go-yaml v2 (decode.go decoder.scalar) keeps a timestamp-looking scalar as its
                # text when decoding into interface{}, as kubectl's sigs.k8s.io/yaml does: a string.
                keep = False
            elif tag == _INT:
                keep = not text.isdigit() or (text[0] == "0" and len(text) > 1)
            else:
                keep = tag != _NULL or bool(text)
            if keep:
                self.raw[(id(container), key)] = text

    def mapping(self, node: Any, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pairs = node.value
        self.count += len(pairs) + 1
        if self.count > MAX_NODES:
            raise _TooLarge(_("document has more than {limit:,} nodes").format(limit=MAX_NODES), node)
        mark = node.start_mark
        marks = array("i", (mark.line, mark.column))
        self.marks[id(result)] = marks
        self.nodes.append(result)
        extend = marks.extend
        raw = self.raw
        merged: frozenset[str] = frozenset()
        for key_node, value_node in pairs:
            if key_node.__class__ is not _Scalar or key_node.tag != _STR:
                if key_node.tag == _MERGE:
                    merged = merged | self.merge(result, marks, value_node, depth)
                    continue
                if key_node.__class__ is not _Scalar:
                    self.hit("yaml-syntax", key_node, _("mapping key is not a plain value "
                                                        "(a complex key: an unrendered template?)"))
                    continue
            key = _intern(key_node.value)  # keys repeat in every object: one string each
            if value_node.__class__ is _Scalar:
                if value_node.tag == _STR:
                    value = value_node.value
                    if len(value) <= _INTERN_MAX:      # kinds, versions, protocols, names
                        value = _intern(value)
                    if not value_node.style and value[:1] in _NUMBER_START and _GO_FLOAT.match(value):
                        raw[(id(result), key)] = value
                else:
                    value = self.scalar(value_node)
                    self._note_raw(result, key, value_node)
            else:
                value = self.build(value_node, depth + 1)
            km, vm = key_node.start_mark, value_node.start_mark
            if key in result and key not in merged:
                self.duplicate(result, marks, key, key_node)
                base = 2 + 4 * list(result).index(key)
                marks[base:base + 4] = array("i", (km.line, km.column, vm.line, vm.column))
            else:
                extend((km.line, km.column, vm.line, vm.column))
            result[key] = value
        return result

    def duplicate(self, result: dict[str, Any], marks: array[int], key: str, key_node: Any) -> None:
        self.in_walk_order = False      # the first value's containers are not in the data
        first = marks[2 + 4 * list(result).index(key)] + 1
        self.hit("yaml-duplicate-key", key_node, "")
        self.duplicates.append((self.hits[-1], key, first))

    def name_duplicates(self, data: Any) -> None:
        """Word the duplicate-key hits of a document once its object is known.

        kubectl reads YAML with sigs.k8s.io/yaml YAMLToJSON, i.e. go-yaml v2's non-strict
        Unmarshal (decode.go `mapping`: "already set" only when strict), so the last value
        wins silently; kustomize's kyaml (go-yaml v3) refuses the file."""
        for hit, key, first in self.duplicates:
            kind, name = _object_at(data, self.source, hit.line)
            hit.message = _duplicate_message(key, first, kind, name)

    def merge(self, result: dict[str, Any], marks: array[int], value_node: Any, depth: int) -> frozenset[str]:
        """YAML 1.1 merge key (`<<: *base`), which kubectl's YAML decoder also applies.
        Returns the keys it added: explicit keys may override them."""
        self.in_walk_order = False
        added: set[str] = set()
        sources = value_node.value if value_node.__class__ is yaml.SequenceNode else [value_node]
        for source in sources:
            merged = self.build(source, depth + 1)
            if not isinstance(merged, dict):
                self.hit("yaml-syntax", source, _("merge key `<<` needs a mapping"))
                continue
            for key, value in merged.items():
                if key not in result:
                    added.add(key)
                    result[key] = value
                    marks.extend((value_node.start_mark.line, value_node.start_mark.column,
                                  value_node.start_mark.line, value_node.start_mark.column))
        return frozenset(added)

    def sequence(self, node: Any, depth: int) -> list[Any]:
        self.count += len(node.value) + 1
        if self.count > MAX_NODES:
            raise _TooLarge(_("document has more than {limit:,} nodes").format(limit=MAX_NODES), node)
        result: list[Any] = [None] * len(node.value)    # its exact size: append over-allocates
        marks = array("i", (node.start_mark.line, node.start_mark.column))
        self.marks[id(result)] = marks
        self.nodes.append(result)
        for index, item in enumerate(node.value):
            result[index] = self.build(item, depth + 1)
            marks.extend((item.start_mark.line, item.start_mark.column))
            self._note_raw(result, index, item)
        return result


def parse_text(name: str, text: str) -> tuple[list[Document], list[Hit]]:
    """Parse one source's text into documents; problems become hits, never exceptions.

    Read as kubectl reads a stream (k8s.io/cli-runtime/pkg/resource StreamVisitor.Visit over
    k8s.io/apimachinery/pkg/util/yaml YAMLOrJSONDecoder): documents split at `---` lines,
    and the first one that fails to parse ends kubectl's reading of the file. k8slint says
    so and goes on with the later documents, so one run shows every problem."""
    documents, hits, error = _compose(name, text)
    if error is not None:
        if not isinstance(error, yaml.MarkedYAMLError) or text.lstrip()[:1] in ("{", "["):
            stream = _json_stream(name, text) if text.lstrip()[:1] in ("{", "[") else None
            if stream is not None:
                return stream
            # JSON streams are decoded as a whole (YAMLOrJSONDecoder): nothing to go on with.
            return documents, hits + [_broken_hit(name, error, None)]
        documents, hits = _parse_chunks(name, text)
    if "\n---" in text or text.startswith("---"):
        hits.extend(_separator_hits(name, text))
    return documents, hits


# Private-use characters stand in for text PyYAML would refuse, keeping every column:
# `\'` (which go-yaml reads as `'`) becomes `'` + _DROP, and sed-style `{{VAR}}` becomes
# _OPEN _OPEN VAR _CLOSE _CLOSE; _restore() turns the built strings back.
_DROP, _OPEN, _CLOSE, _AT, _PERCENT, _HASH = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004", "\ue007"
_LEFT, _RIGHT = "\ue005", "\ue006"      # `[` and `]` of a glued `[YOUR REGISTRY]`
_RESTORE = str.maketrans({_DROP: None, _OPEN: "{", _CLOSE: "}", _AT: "@", _PERCENT: "%", _HASH: "#",
                          _LEFT: "[", _RIGHT: "]"})
_MAX_REPAIRS = 500


def _compose(name: str, text: str) -> tuple[list[Document], list[Hit], Exception | None]:
    """Documents of a stream up to its first error (returned, not raised)."""
    repairs = 0
    restore = _OPEN in text or _AT in text or _PERCENT in text or _HASH in text or _LEFT in text
    while True:
        hits: list[Hit] = []
        documents: list[Document] = []
        error = _compose_once(name, text, documents, hits)
        repaired = _repair_escape(text, error) if repairs < _MAX_REPAIRS else None
        if repaired is None:
            break
        text, restore, repairs = repaired, True, repairs + 1
    if restore:
        for document in documents:
            _restore(document.data)
    return documents, hits, error


def _compose_once(name: str, text: str, documents: list[Document], hits: list[Hit]) -> Exception | None:
    loader = _FastLoader(text)
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                index += 1
                continue
            builder = _Builder(name, hits, text)
            try:
                data = builder.build(node)
            except _TooLarge as exc:
                builder.hit("yaml-too-complex", exc.node, str(exc))
                data = None
            if builder.duplicates:
                builder.name_duplicates(data)
            builder.forget_tags_unless_object(data)
            if builder.in_walk_order:
                builder.source.made_in_walk_order(data)
            documents.append(Document(name, index, data, builder.source, node.start_mark.line + 1))
            index += 1
    except (yaml.YAMLError, RecursionError) as exc:
        return exc
    finally:
        loader.dispose()
    return None


def _repair_escape(text: str, error: Exception | None) -> str | None:
    """The text with the `\\'` PyYAML refused replaced (go-yaml v2 scannerc.go
    yaml_parser_scan_flow_scalar reads it as `'`), or None when the error is another one."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None \
            or "unknown escape" not in str(error.problem):
        return None
    mark = error.problem_mark
    start = 0
    for _line in range(mark.line):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    offset = start + mark.column
    if text[offset:offset + 2] != "\\'":
        return None
    return text[:offset] + "'" + _DROP + text[offset + 2:]


def _restore(data: Any) -> None:
    """Undo the private-use stand-ins in built strings (keys included), in place: source
    maps are keyed by the containers' identity and key order, which stay the same."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if any(isinstance(k, str) and k.translate(_RESTORE) != k for k in node):
                items = list(node.items())
                node.clear()
                node.update((k.translate(_RESTORE) if isinstance(k, str) else k, v) for k, v in items)
            for key, value in node.items():
                if isinstance(value, str):
                    node[key] = value.translate(_RESTORE)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    node[i] = value.translate(_RESTORE)
                else:
                    stack.append(value)


def _chunks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each document as kubectl's YAMLReader.Read splits a stream: at
    lines (ended by `\\n`) starting with `---` followed by nothing but spaces or a comment.
    The first line is counted as YAML counts lines (a lone CR is a break too), so positions
    inside a chunk agree with those of the whole stream."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = breaks = 0
    other_breaks = _OTHER_BREAKS.search(text) is not None
    for line in _lines(text):
        if line.startswith("---"):
            rest = line[3:].strip()
            if not rest or rest.startswith("#"):
                chunks.append((start, "".join(current)))
                current = []
                breaks += _breaks_in(line) if other_breaks else 1
                start = breaks
                continue
        current.append(line)
        breaks += _breaks_in(line) if other_breaks else 1
    chunks.append((start, "".join(current)))
    return [(first, chunk) for first, chunk in chunks if _has_content(chunk)]


# YAML's line breaks besides LF (YAML 1.1 section 5.4; PyYAML's reader counts them in its
# marks): CR alone, NEL, LINE and PARAGRAPH SEPARATOR. CRLF is one break.
_OTHER_BREAKS = lazy_compile("[\r\x85\u2028\u2029]")
_BREAK = lazy_compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str) -> list[str]:
    """Lines ended by LF, as kubectl's reader reads them (each keeps its LF)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _breaks_in(text: str) -> int:
    return len(_BREAK.findall(text))


def _yaml_line(text: str, position: int) -> int:
    """1-based line of an offset, as YAML counts lines."""
    before = text[:position]
    return (_breaks_in(before) if _OTHER_BREAKS.search(before) else before.count("\n")) + 1


def _has_content(chunk: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in chunk.splitlines())


def _json_stream(name: str, text: str) -> tuple[list[Document], list[Hit]] | None:
    """The documents of JSON values one after another (`{...}` per line), or None when the
    text is not such a stream. YAML refuses a second top-level value, but kubectl reads a
    JSON stream with encoding/json's Decoder, one value per Decode
    (k8s.io/apimachinery/pkg/util/yaml decoder.go YAMLOrJSONDecoder.Decode)."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    position, size = 0, len(text)
    while True:
        while position < size and text[position] in " \t\r\n":
            position += 1
        if position >= size:
            break
        try:
            __, end = decoder.raw_decode(text, position)
        except ValueError:
            return None
        spans.append((position, end))
        position = end
    if len(spans) < 2:
        return None
    documents: list[Document] = []
    hits: list[Hit] = []
    for start, end in spans:
        line = text.count("\n", 0, start)
        column = start - (text.rfind("\n", 0, start) + 1)
        found, value_hits, error = _compose(name, "\n" * line + " " * column + text[start:end])
        if error is not None:
            return None
        for document in found:
            document.index = len(documents)
            documents.append(document)
        hits.extend(value_hits)
    return documents, hits


def _parse_chunks(name: str, text: str) -> tuple[list[Document], list[Hit]]:
    """Each document on its own, after the whole stream failed somewhere."""
    documents: list[Document] = []
    hits: list[Hit] = []
    chunks = _chunks(text)
    stopped: int | None = None                 # line where kubectl stopped reading
    for position, (first, chunk) in enumerate(chunks):
        found, chunk_hits, error = _compose(name, "\n" * first + chunk)
        for document in found:
            document.index = len(documents)
            documents.append(document)
        hits.extend(chunk_hits)
        if error is None:
            continue
        hit = _broken_hit(name, error, stopped, after=len(chunks) - position - 1)
        hits.append(hit)
        stopped = hit.line if stopped is None else stopped
    return documents, hits


def _broken_hit(name: str, error: Exception, stopped: int | None, after: int = 0) -> Hit:
    """The finding for a document that does not parse."""
    from .yaml_problems import yaml_problem  # only when a file has a YAML error

    if isinstance(error, RecursionError):
        return Hit(message=_("invalid YAML: nesting too deep to parse"), file=name, rule="yaml-too-complex")
    if not isinstance(error, yaml.MarkedYAMLError):
        return Hit(message=_("invalid YAML: {problem}").format(problem=error), file=name, rule="yaml-syntax")
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = " ".join(str(p) for p in (error.context, error.problem) if p)
    rule = "yaml-too-complex" if "nesting depth" in problem else "yaml-syntax"
    if stopped is not None:
        message = _("invalid YAML: {problem}; kubectl already stopped reading this file at line {line}")
    elif after:
        message = _("invalid YAML: {problem}; kubectl stops reading the file here: this document and the "
                    "{after} after it are not applied (k8slint still checks them)")
    else:
        message = _("invalid YAML: {problem}; kubectl stops reading the file here: this last document "
                    "is not applied")
    shown = " ".join(yaml_problem(str(p)) for p in (error.context, error.problem) if p)
    text = message.format(problem=shown, line=stopped, after=after)
    return Hit(message=text, file=name, line=line, column=column, rule=rule)


def _separator_hits(name: str, text: str) -> list[Hit]:
    """`--- something` lines: YAML allows content after the marker, kubectl's YAMLReader.Read
    does not ("invalid Yaml document separator") and stops reading the file there."""
    starts = [0] if text.startswith("---") else []
    found = text.find("\n---")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n---", found + 1)
    for position in starts:
        end = text.find("\n", position)
        rest = text[position + 3:end if end >= 0 else len(text)].strip()
        if rest and not rest.startswith("#"):
            message = _("kubectl stops reading the file at this separator: `---` may only be followed by "
                        "a comment, not {text!r} (invalid Yaml document separator); the documents from "
                        "here on are not applied").format(text=rest[:20])
            return [Hit(message=message, file=name,
                        line=_yaml_line(text, position), column=4, rule="yaml-syntax")]
    return []


def _object_at(data: Any, source: SourceMap, line: int) -> tuple[str | None, str | None]:
    """(kind, name) of the object of a document that holds a line (List items included)."""
    if not isinstance(data, dict):
        return None, None
    items = data.get("items")
    target = data
    if isinstance(items, list) and str(data.get("kind", "")).endswith("List"):
        for i, item in enumerate(items):
            if isinstance(item, dict) and source.locate(data, ("items", i))[0] <= line:
                target = item
    kind, meta = target.get("kind"), target.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(kind, str):
        return None, None
    return kind, name if isinstance(name, str) and name else None


def _duplicate_message(key: str, first: int, kind: str | None, name: str | None) -> str:
    if kind is None:
        text = _("duplicate key {key!r} (first at line {first}): kubectl silently applies the last value, "
                 "kustomize refuses the file")
    elif name is None:
        text = _("duplicate key {key!r} in a {kind} (first at line {first}): kubectl silently applies "
                 "the last value, kustomize refuses the file")
    else:
        text = _("duplicate key {key!r} in {kind}/{name} (first at line {first}): kubectl silently "
                 "applies the last value, kustomize refuses the file")
    return text.format(key=key, first=first, kind=kind, name=name)


def decode(name: str, raw: bytes) -> tuple[str | None, Hit | None]:
    """Bytes to text the way YAML allows (UTF-8, or UTF-16/32 with a BOM)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192]:
        return None, Hit(message=_("binary data, not a YAML or JSON text"), file=name, rule="yaml-syntax")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Hit(message=_("not valid UTF-8 (byte 0x{byte:02x}); Kubernetes manifests must be UTF-8")
                         .format(byte=raw[exc.start]), file=name, line=line,
                         column=column, rule="yaml-syntax")


def discover(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Expand folders (recursive, sorted, hidden skipped, symlink loops survived, links to
    nothing left out); a path named that does not exist is an error."""
    files: list[str] = []
    errors: list[str] = []
    for path in paths:
        if path == "-":
            files.append(path)
        elif os.path.isdir(path):
            files.extend(_walk(path))
        elif os.path.exists(path):
            files.append(path)
        else:
            errors.append(_("{path}: no such file or directory").format(path=path))
    return files, errors


def _walk(root: str) -> Iterator[str]:
    """os.walk(root, followlinks=True) top down, sorted, hidden entries skipped, each real
    folder once; every folder's entries are recorded for the rest of the run (listing)."""
    seen: set[str] = set()
    stack = [(root, os.path.realpath(root))]   # a folder that is no link: its parent's real path + name
    while stack:
        folder, real = stack.pop()
        if real in seen:                    # a symlink loop, or the same folder twice
            continue
        try:
            with os.scandir(folder) as found:
                flags = {entry.name: listing.entry_flags(entry) for entry in found}
        except OSError:                     # os.walk leaves out a folder it cannot list
            continue
        seen.add(real)
        listing.record(folder, flags)
        # files only, links followed: a link to nothing (argo-cd's testdata/link-to-nowhere)
        # holds no manifest, and a pipe or socket would block the read
        for name in sorted(n for n, f in flags.items() if f & listing.FILE):
            if name.lower().endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield os.path.join(folder, name)
        for name in sorted((n for n, f in flags.items() if f & listing.DIR and not n.startswith(".")), reverse=True):
            child = os.path.join(folder, name)
            stack.append((child, os.path.realpath(child) if flags[name] & listing.LINK else os.path.join(real, name)))


def read_source(path: str, stdin: Stdin | None = None) -> tuple[Source | None, Hit | None, str | None]:
    """Read one file (or stdin for "-"); returns the source, a finding, or an I/O error."""
    try:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            raw = stream.read()
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
        else:
            raw = read_bytes(path)
    except OSError as exc:
        return None, None, _("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror or exc)
    text, problem = decode(path, raw)
    return Source(path, text), problem, None


FREEZE_MIN_OBJECTS = 200_000       # about 200 documents' worth: a collection of fewer is quick


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC around bulk work, then freeze what exists.

    Loading (and checking) creates millions of long-lived, acyclic objects: the cyclic GC
    would walk them again and again for nothing (a third of the load time on 10k
    documents, more as inputs grow). Frozen objects are skipped by later collections;
    refcounting still frees the data when the caller drops it. Nested uses are cheap.

    Only a large run is frozen: freezing also makes the run's cyclic garbage immortal, which
    a long-lived process (the language server, a fuzzer, a library user) that checks small
    inputs again and again must not pay (some 50 KB per run: the fuzzer ran out of memory).
    A small run's objects are left to the collector, which walks them once."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if gc.get_count()[0] >= FREEZE_MIN_OBJECTS:   # objects created while paused
                gc.freeze()
            gc.enable()


def load_files(files: list[str], stdin: Stdin | None = None,
               each: Callable[[Source], None] | None = None) -> LoadResult:
    """Read and parse files (already discovered) in this process; `each` is given each
    source once parsed (k8slint.frozen freezes its documents then, not all at the end)."""
    result = LoadResult()
    for path in files:
        source, problem, error = read_source(path, stdin)
        if error:
            result.io_errors.append(error)
            continue
        if problem:
            result.hits.append(problem)
        assert source is not None
        result.sources.append(source)
        if source.text is None:
            continue
        result.hits.extend(parse_source(source))
        source.keep_only_comments()
        if each is not None:
            each(source)
    return result


def parse_source(source: Source) -> list[Hit]:
    """Fill source.documents from its text; returns the syntax findings."""
    path, text = source.name, source.text or ""
    base = os.path.basename(path)
    if base.lower() in NOT_MANIFEST_FILES:
        if base.lower().startswith("kustomization."):
            message = _("{file} is kustomize's configuration, not an object; skipped")
        else:
            message = _("{file} is not a Kubernetes manifest, not an object; skipped")
        return [Hit(message=message.format(file=base), file=path, rule="not-kubernetes")]
    filler = _fmt_filler(path, text) if path != "-" and "%" in text else None
    if filler is not None:
        return [Hit(message=_("unrendered Go fmt template (whole values are printf verbs that fmt.Sprintf fills; "
                              "read by Go code: {filler}): not checked").format(filler=filler),
                    file=path, rule="helm-template")]
    if "{%" in text:                    # never YAML: `{` opens a flow mapping, `%` cannot follow
        text = _JINJA_RAW_LINE.sub(r"\1#", text)
    if "#{" in text:
        text = _HASH_VALUE.sub(r"\1" + _HASH, text)
    documents, hits = parse_text(path, text)
    if base.lower().endswith(".json") and ("apiVersion" not in text or _JSON_KIND.search(text) is None) and \
            any(hit.rule == "yaml-syntax" for hit in hits):
        # tsconfig.json with comments, a broken package.json: JSON that names no apiVersion
        # is no manifest, whatever its syntax; nor JSON without a "kind" key (kubespray's
        # contrib/azurerm Ansible templates of Azure Resource Manager templates, whose
        # resources have an "apiVersion" and a "type", and whose `{% if %}` is no JSON)
        return [Hit(message=_("{file} is not a Kubernetes manifest, not an object; skipped").format(file=base),
                    file=path, rule="not-kubernetes")]
    if ("{{" in text or "{%" in text) and _looks_templated(documents, hits):
        from . import jinja  # only for a templated file (off the start-up path)

        go = not jinja.has_statements(text) and GO_TEMPLATE.search(text) is not None
        manifest = "apiVersion" in text     # else a tool's template (a Nomad job's config), not-kubernetes below
        if not go and manifest and jinja.is_template(path, text):
            return [Hit(message=_("unrendered Jinja template (Ansible, j2): render it first and check "
                                  "the output"), file=path, rule="helm-template")]
        # a Go variable or call (_GO_ACTION) is Go's in a manifest, consul-template's in a tool's
        # configuration (a Nomad job's `{{ env "NOMAD_ALLOC_DIR" }}`), which stays not-kubernetes
        if go or (manifest and _GO_ACTION.search(text)):
            return [Hit(message=_("unrendered Helm/Go template: render it first "
                                  "(helm template CHART | k8slint check -)"), file=path, rule="helm-template")]
        text = SED_PLACEHOLDER.sub(lambda m: _OPEN * 2 + m.group(1) + _CLOSE * 2, SED_LINE.sub(r"\1#", text))
        documents, hits = parse_text(path, text)
    if any(h.rule == "yaml-syntax" for h in hits):
        protected = _protect_templating(text)
        if protected is not None:
            documents, hits = parse_text(path, protected)
        if path != "-" and "apiVersion" not in text and any(h.rule == "yaml-syntax" for h in hits):
            # a tool's file with a YAML error (dapr's multi-app run file dapr.yaml with a stray
            # comma): a file that names no apiVersion is no manifest, as for JSON above (what
            # comes on stdin is meant to be checked: its YAML error stays one)
            return [Hit(message=_("{file} is not a Kubernetes manifest, not an object; skipped").format(file=base),
                        file=path, rule="not-kubernetes")]
    if any(h.rule == "yaml-duplicate-key" for h in hits):
        hits = _object_duplicates(documents, hits)
    for document in documents:          # kept for checking: positions in the compact form
        document.source.pack()
    source.documents = documents
    return hits


def _fmt_filler(path: str, text: str) -> str | None:
    """k8slint.fmt_template.filled_by, imported only for a text with a `%` (off the start-up path)."""
    from . import fmt_template

    return fmt_template.filled_by(path, text)


def _object_duplicates(documents: list[Document], hits: list[Hit]) -> list[Hit]:
    """The hits without the duplicate keys of documents that are no objects (a mapping without
    apiVersion and kind: Hugo's site/config.yaml beside sealed-secrets' manifests): kubectl
    never applies such a document, and its tool decides what a duplicate means."""
    starts = [(document.line, document.data) for document in documents]

    def in_object(line: int | None) -> bool:
        data = next((d for start, d in reversed(starts) if line is None or start <= line), None)
        return not isinstance(data, dict) or bool(data.get("apiVersion") and data.get("kind"))

    return [hit for hit in hits if hit.rule != "yaml-duplicate-key" or in_object(hit.line)]


# Go template syntax that a sed-style placeholder (`{{VAR}}`, `{{ VAR }}`) never has: trim
# markers, fields (`.Values`), variable assignments, pipelines and actions (text/template).
GO_TEMPLATE = lazy_compile(r"\{\{-|-\}\}|\{\{\s*(?:\.|/\*|\$\w+\s*:?=|(?:if|else|end|range|with|define|template|"
                         r"block|include|tpl|toYaml)\b)|\.(?:Values|Release|Chart|Capabilities|Files)\.")
# A "kind" key of JSON: every Kubernetes object written in JSON has one.
_JSON_KIND = lazy_compile(r'"kind"\s*:')
SED_PLACEHOLDER = lazy_compile(r"\{\{(\s*[A-Za-z_][A-Za-z0-9_-]*\s*)\}\}")


# A sed placeholder alone on its line stands for lines of YAML (`{{EXTRA_CA_FLAGS}}` among
# a container's args in kubernetes/autoscaler's hack/e2e/gce-deployment-template.yaml): read
# as a comment, the rest of the document is checked.
SED_LINE = lazy_compile(r"(?m)^([ \t]*)\{(?=\{\s*[A-Za-z_][A-Za-z0-9_-]*\s*\}\}[ \t]*\r?$)")
# Lines that only open or close a Jinja raw block, which mkdocs-macros and other
# documentation builds strip (`{% raw %}` ... `{% endraw %}` around snippets that hold
# `{{ }}`, external-secrets docs/snippets): the text between them is the manifest.
_JINJA_RAW_LINE = lazy_compile(r"(?m)^([ \t]*)\{(?=%-?\s*(?:raw|endraw)\s*-?%\}[ \t]*\r?$)")
# `@NAME@` (autoconf-style, substituted by a script: longhorn dev/scale-test/statefulset.yaml
# `name: @STS_NAME@`) and `{Word}` glued to more text (linkerd2's `cidr: {IPv6}/128`, replaced
# by its test): YAML refuses both (`@` is reserved; `{` opens a flow mapping).
_AT_PLACEHOLDER = lazy_compile(r"@([A-Z][A-Z0-9_]*)@")
# `#{NAME}` as a whole value (`image: #{LITMUS_CHAOS_OPERATOR}`, `- #{ARGO_WORKFLOW_EXECUTOR}`):
# a token a program replaces before applying (litmus chaoscenter/graphql/server/pkg/
# chaos_infrastructure/infra_utils.go ManifestParser, strings.Replace; Octopus Deploy's
# `#{Variable}`, Azure Pipelines' replacetokens `#{VAR}#`). YAML reads `#` after a space as a
# comment and the field as null; a stand-in keeps the value. Alone on its line it stays a
# comment (it stands for lines: litmus's `#{TOLERATIONS}`).
_HASH_VALUE = lazy_compile(r"(?m)(?<=[:-] )([ \t]*)#(?=\{[A-Za-z_][\w.-]*\}#?[ \t]*\r?$)")
# `%%%`, which a Go test replaces with its namespace (camel-k's e2e/common/misc/cross-ns:
# cloneAndReplaceNamespace, strings.ReplaceAll(content, "%%%", namespace)): YAML refuses a
# plain value that starts with `%` (a directive indicator).
_PERCENT_PLACEHOLDER = lazy_compile(r"(?<![%\w])%%%+(?![%\w])")
# An envsubst variable alone on its line where YAML wants structure (secrets-store-csi-driver's
# test/bats/tests/conjur: `$CONJUR_SSL_CERT` at column 0 after `sslCertificate: |`, a
# certificate the test script puts there): read as a comment.
_SHELL_LINE = lazy_compile(r"(?m)^([ \t]*)\$(?=\{?[A-Za-z_][A-Za-z0-9_]*\}?[ \t]*\r?$)")
# `[YOUR REGISTRY]` glued to more text, a tutorial's word for the reader's own value
# (kubernetes/ingress-gce cmd/echo/echo.yaml `image: [YOUR REGISTRY]/echoserver:latest`):
# YAML reads `[` as a flow sequence and refuses what follows `]`.
_GLUED_YOUR = lazy_compile(r"(?<![\w\]])\[(YOUR(?: [A-Z][A-Z0-9]*)+)\](?=[^\s,\]}:#])")
_GLUED_BRACES = lazy_compile(r"(?<![{$])\{([A-Za-z][A-Za-z0-9_]*)\}(?=[^\s,}\]:#])")
# Python's str.format fields with an attribute or an index (`{self.path.k8s}`,
# `{images[kat-server]}`), and one alone on its line where the template puts lines of YAML
# (`{serviceAccountExtra}`): emissary's python/tests/.../integration/manifests, which its
# tests fill with str.format (https://docs.python.org/3/library/string.html#format-string-syntax).
_FORMAT_FIELD = lazy_compile(r"(?<![{$\w])\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[\w-]+\])+)\}(?!\})")
_FORMAT_LINE = lazy_compile(r"(?m)^([ \t]*)\{(?=[A-Za-z_]\w*\}[ \t]*\r?$)")


def _protect_templating(text: str) -> str | None:
    """The text with the placeholders above made readable (columns kept: private-use
    stand-ins that _restore() turns back), or None when it has none."""
    protected = _SHELL_LINE.sub(r"\1#", text) if "$" in text else text
    if "@" in protected:
        protected = _AT_PLACEHOLDER.sub(lambda m: _AT + m.group(1) + _AT, protected)
    if "%%%" in protected:
        protected = _PERCENT_PLACEHOLDER.sub(lambda m: _PERCENT * len(m.group(0)), protected)
    if "{" in protected:
        protected = _GLUED_BRACES.sub(lambda m: _OPEN + m.group(1) + _CLOSE, protected)
        protected = _FORMAT_FIELD.sub(lambda m: _OPEN + m.group(1) + _CLOSE, _FORMAT_LINE.sub(r"\1#", protected))
    if "[YOUR" in protected:
        protected = _GLUED_YOUR.sub(lambda m: _LEFT + m.group(1) + _RIGHT, protected)
    return protected if protected != text else None


def _looks_templated(documents: list[Document], hits: list[Hit]) -> bool:
    """`{{` is normal inside strings (alert templates); it is a template when it breaks
    the YAML or stands in the identity of an object."""
    if any(h.rule in ("yaml-syntax", "yaml-duplicate-key") for h in hits):
        return True
    for document in documents:
        data = document.data
        if isinstance(data, dict):
            meta = data.get("metadata")
            fields = [data.get("apiVersion"), data.get("kind")]
            if isinstance(meta, dict):
                fields += [meta.get("name"), meta.get("namespace")]
            if any(isinstance(f, str) and "{{" in f for f in fields):
                return True
    return False
