"""Suppressions in the manifests: the k8slint.io/ignore annotation and `# k8slint: ignore[...]`.

The annotation silences the listed rules (or `all`) on its object; the comment silences
them on its own line, and a comment alone on its line silences the line below. Either may
give a reason: `k8slint.io/ignore: "probe-liveness-missing: batch job, no server"` (entries
separated by `;`), `# k8slint: ignore[probe-liveness-missing] batch job, no server`. Per-path
`ignore` lists of the config are applied here too, silently. A suppression that silences
nothing among the rules that ran is reported by the rule `unused-suppression`
(k8slint/checks/syntax.py, from Suppressor.unused).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .i18n import _
from .lazyre import lazy_compile
from .loader import marked_lines
from .model import CATEGORIES, SUPPRESS_ANNOTATION, Finding, Hit, ObjectRef

if TYPE_CHECKING:
    from .graph import Graph, Object
    from .loader import Source
    from .rules import RuleMeta

ANNOTATION = SUPPRESS_ANNOTATION
ALL = "all"
# A YAML comment starts at the line start or after whitespace.
_COMMENT = lazy_compile(r"(?:^|(?<=\s))#\s*k8slint:\s*ignore\b(?:\[([^\]]*)\](.*))?")


@dataclass(eq=False)
class Mark:
    """One suppression: which names it lists (rule ids, categories or `all`), and use."""

    names: frozenset[str]
    file: str
    line: int
    column: int
    obj: Object | None = None          # the object, for an annotation
    used: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)     # name -> why it is silenced

    def covers(self, finding: Finding) -> str | None:
        """The listed name that silences this finding, if any."""
        for name in (finding.rule, finding.category, ALL):
            if name in self.names:
                return name
        return None


def parse_names(text: str) -> frozenset[str]:
    names = frozenset(n.strip() for n in re.split(r"[,\s]+", text) if n.strip())
    return names or frozenset({ALL})


def parse_annotation(text: str) -> tuple[frozenset[str], dict[str, str]]:
    """`"a, b: why; c: other reason"` -> names and each name's reason. Rule ids never hold
    `:` or `;`, so a value without them is a plain list as before."""
    names: set[str] = set()
    reasons: dict[str, str] = {}
    for entry in text.split(";"):
        listed, __, reason = entry.partition(":")
        if not listed.strip() and not reason.strip():
            continue
        entry_names = parse_names(listed)
        names |= entry_names
        if reason.strip():
            reasons.update(dict.fromkeys(entry_names, reason.strip()))
    return frozenset(names) or frozenset({ALL}), reasons


def comment_marks(file: str, text: str | None) -> dict[int, list[Mark]]:
    """line -> marks that silence findings on that line."""
    return line_marks(file, marked_lines(text))


def line_marks(file: str, lines: Iterable[tuple[int, str]]) -> dict[int, list[Mark]]:
    """line -> marks, from the (number, line) of the lines that mention `k8slint:`."""
    by_line: dict[int, list[Mark]] = {}
    for number, line in lines:
        match = _COMMENT.search(line)
        if match is None or _in_quotes(line[:match.start()]):
            continue
        mark = Mark(parse_names(match.group(1) or ALL), file, number, match.start() + 1)
        reason = (match.group(2) or "").strip().lstrip(":-").strip()
        if reason:
            mark.reasons = dict.fromkeys(mark.names, reason)
        by_line.setdefault(number, []).append(mark)
        if not line[:match.start()].strip():        # a comment alone: it is for the next line
            by_line.setdefault(number + 1, []).append(mark)
    return by_line


def _in_quotes(before: str) -> bool:
    """Is this `#` inside a quoted scalar (an odd number of quotes before it)?"""
    return before.count('"') % 2 == 1 or before.count("'") % 2 == 1


class PathIgnores(Protocol):
    """The `ignore:` part of a Config (k8slint.config imports this module's users)."""

    @property
    def ignore(self) -> dict[str, list[str]]: ...

    def ignored_rules(self, file: str) -> set[str]: ...


class Suppressor:
    """Splits a run's findings into reported and suppressed, and remembers which
    suppressions were used."""

    def __init__(self, graph: Graph, sources: Iterable[Source], rules: dict[str, RuleMeta],
                 active: set[str], config: PathIgnores | None = None) -> None:
        self.rules, self.active, self.config = rules, active, config
        self.suppressed: list[Finding] = []
        self.reasons: dict[tuple[object, ...], str] = {}    # Finding.sort_key() -> the reason
        self.comments = {s.name: line_marks(s.name, s.comment_lines()) for s in sources}
        # (file, object) -> first lines of the objects of that identity in the file and their
        # annotation marks: only for identities of which some object has a mark (most have none)
        self.objects: dict[tuple[str, ObjectRef], tuple[list[int], list[Mark | None]]] = {}
        self.built: dict[ObjectRef, Mark] = {}    # object ref -> annotation mark of a kustomize build
        # (file, object) of unmarked objects whose ref is in `built`: their findings stay theirs
        self.unmarked: set[tuple[str, ObjectRef]] = set()
        self.marks: list[Mark] = [m for lines in self.comments.values() for ms in lines.values()
                                  for m in ms]
        self._add_objects(graph.objects, graph.annotated)
        self.marks = list(dict.fromkeys(self.marks))
        self._ignored: dict[str, set[str]] = {}

    def _add_objects(self, objects: list[Object], annotated: list[Object]) -> None:
        marked: dict[int, Mark] = {}                # id(object) -> its annotation mark
        for obj in annotated:
            mark = self._annotation_mark(obj)
            if mark is not None:
                marked[id(obj)] = mark
                self.objects[(obj.file, obj.ref)] = ([], [])
                if getattr(obj.doc, "unit", None) is not None:
                    # a kustomize build's object: its findings may lie in a patch file
                    self.built.setdefault(obj.ref, mark)
        for obj in objects:
            key = (obj.file, obj.ref)
            entry = self.objects.get(key)
            if entry is None:
                if obj.ref in self.built:
                    self.unmarked.add(key)
                continue
            starts, marks = entry
            # same identity twice in a file: told apart by position (a document's first line,
            # read without the source map unless the object is an item of a List)
            starts.append(obj.locate(())[0] if obj.base else obj.doc.line)
            marks.append(marked.get(id(obj)))

    def _annotation_mark(self, obj: Object) -> Mark | None:
        value = obj.annotations.get(ANNOTATION)
        if not isinstance(value, str):
            return None
        line, column = obj.locate(("metadata", "annotations", ANNOTATION), "value")
        names, reasons = parse_annotation(value)
        mark = Mark(names, obj.file, line, column, obj=obj, reasons=reasons)
        self.marks.append(mark)
        return mark

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            if self._path_ignored(finding):
                continue
            for mark in self._marks_for(finding):
                name = mark.covers(finding)
                if name is not None:
                    mark.used.add(name)
                    self.suppressed.append(finding)
                    if name in mark.reasons:
                        self.reasons[finding.sort_key()] = mark.reasons[name]
                    break
            else:
                kept.append(finding)
        return kept

    def _path_ignored(self, finding: Finding) -> bool:
        if self.config is None or not self.config.ignore:
            return False
        names = self._ignored.get(finding.file)
        if names is None:
            names = self._ignored[finding.file] = self.config.ignored_rules(finding.file)
        return finding.rule in names or finding.category in names

    def _marks_for(self, finding: Finding) -> Iterator[Mark]:
        yield from self.comments.get(finding.file, {}).get(finding.line, ())
        if finding.object is not None:
            entry = self.objects.get((finding.file, finding.object))
            if entry is not None:
                starts, marks = entry
                mark = marks[max(bisect_right(starts, finding.line) - 1, 0)]
                if mark is not None:
                    yield mark
            elif finding.object in self.built and (finding.file, finding.object) not in self.unmarked:
                yield self.built[finding.object]

    # --- stale suppressions --------------------------------------------------------
    def unused(self) -> Iterator[Hit]:
        categories_run = {self.rules[r].category for r in self.active if r in self.rules}
        for mark in self.marks:
            stale = []
            for name in sorted(mark.names):
                if name in mark.used:
                    continue
                if name == ALL:
                    if not mark.used:
                        stale.append(name)
                elif name not in self.rules and name not in CATEGORIES:
                    from difflib import get_close_matches
                    near = get_close_matches(name, [*self.rules, *CATEGORIES], n=1)
                    stale.append(_("{name}: no such rule (did you mean {near}?)").format(name=name, near=near[0])
                                 if near else _("{name}: no such rule").format(name=name))
                elif name in self.active or name in categories_run:
                    stale.append(name)
            if stale:
                yield self._hit(mark, stale)

    def _hit(self, mark: Mark, stale: list[str]) -> Hit:
        listed = ", ".join(stale)
        if mark.obj is not None:
            message = _("{annotation} suppresses nothing on {kind}/{name}: {rules}; remove it so that "
                        "new problems are not hidden").format(annotation=ANNOTATION, kind=mark.obj.kind,
                                                              name=mark.obj.name, rules=listed)
            return mark.obj.finding(("metadata", "annotations", ANNOTATION), message, at="value")
        return Hit(message=_("`# k8slint: ignore` suppresses nothing on this line or the next: "
                             "{rules}; remove it so that new problems are not hidden").format(rules=listed),
                   file=mark.file, line=mark.line, column=mark.column)

