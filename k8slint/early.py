"""Per-object checks that decide from their object alone, run early: in the process that
parsed the object's file (k8slint.parallel), which sends back their findings with the
documents. After loading, only the other checks run on those objects.

The findings are the same as if they had been made after loading. A loading process builds
its objects as graph.build does, but sees only its share of the input, where graph.build
reads every CustomResourceDefinition of the input for the namespace of a custom kind. So:
- an object of a built-in API group has the same identity in both, unless a CRD of the
  input names a built-in group (then nothing early is used and every check runs again);
- an object of another group comes with its identity and apply unit as the loading
  process saw them, and its findings are used only when both are the same after loading.
Everything else an early check reads is the object's own document. A check that declares
`try_early` reads the graph for few objects: it runs early without it, and again after
loading on the objects where it read it (their early findings of that check are dropped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import engine
from .frozen import FrozenDocument
from .k8s.kinds import BUILTIN_GROUPS
from .loader import Document
from .model import Finding, ObjectRef, Path
from .rules import RuleMeta

if TYPE_CHECKING:
    from .graph import Object
    from .loader import LoadResult
    from .units import Units


@dataclass(frozen=True, slots=True)
class Checked:
    """The early findings of one object of a group that is not built in."""

    document: int                    # index of its document among the chunk's documents
    base: Path                       # the object's path in its document (List items)
    ref: ObjectRef                   # as the loading process saw it
    unit: str | None                 # its apply unit's id, as the loading process saw it
    findings: list[Finding]
    again: tuple[str, ...] = ()      # rules to run again after loading (engine.run_early)


@dataclass(frozen=True, slots=True)
class Answer:
    """The early findings of one chunk of files."""

    findings: list[Finding]          # of its objects of built-in groups
    custom: list[Checked]            # its objects of other groups
    # (document index, base, rules) of its objects of built-in groups with rules to run again
    again: list[tuple[int, Path, tuple[str, ...]]] = field(default_factory=list)


@dataclass
class Plan:
    """The early checks of one run, and what they found (filled as chunks are loaded).

    Built before the workers start: a forked worker inherits it, nothing of it is pickled."""

    rules: dict[str, RuleMeta]
    active: set[str]
    settings: dict[str, Any]                     # CheckContext's keywords of this run
    units: Units | None = None
    custom_rules: frozenset[str] = frozenset()   # this run's custom rules: never early
    files: set[str] = field(default_factory=set)            # whose documents were checked early
    # whose documents were given the early checks but those tried early (try_early): see run
    untried: set[str] = field(default_factory=set)
    found: list[Finding] = field(default_factory=list)      # the findings of built-in groups
    custom: dict[tuple[int, Path], Checked] = field(default_factory=dict)   # (id(document), base)
    covered: set[tuple[int, Path]] = field(default_factory=set)   # the custom objects taken
    again: dict[tuple[int, Path], frozenset[str]] = field(default_factory=dict)   # rules to run again
    usable: bool = True                          # False: a CRD names a built-in group
    _specs: list[engine.CheckSpec] | None = None

    def specs(self) -> list[engine.CheckSpec]:
        """The checks that run early: active built-in per-object checks that do not read
        the graph or are tried without it (try_early), in rule order."""
        if self._specs is None:
            registry = engine.load_checks()
            self._specs = [registry[r] for r in sorted(self.active)
                           if r in registry and r not in self.custom_rules and _early(registry[r])]
        return self._specs

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(s.rule for s in self.specs())

    @property
    def tried(self) -> frozenset[str]:
        """The rules of the checks tried early (try_early)."""
        return frozenset(s.rule for s in self.specs() if s.try_early)

    def add(self, documents: Iterable[Document], answer: Answer, tried: bool = True) -> None:
        """Record a chunk's answer; `documents` are the chunk's documents (as unpickled here);
        `tried`: whether the checks tried early ran (see run)."""
        docs = list(documents)
        (self.files if tried else self.untried).update(doc.file for doc in docs)
        self.found.extend(answer.findings)
        for each in answer.custom:
            self.custom[(id(docs[each.document]), each.base)] = each
        for index, base, rules in answer.again:
            self.again[(id(docs[index]), base)] = frozenset(rules)

    def take(self, objects: list[Object]) -> list[Finding]:
        """The early findings of `objects` (all of a run's, once); `covers` then says which
        objects they are of."""
        from .graph import crd_scopes

        scopes = crd_scopes(o.data for o in objects if o.kind == "CustomResourceDefinition")
        self.usable = not any(group in BUILTIN_GROUPS for group, _ in scopes)
        found, self.found = self.found, []
        if not self.usable or not (self.files or self.untried):
            return []
        for obj in objects:
            key = (id(obj.doc), obj.base)
            each = self.custom.get(key)
            if each is not None and each.ref == obj.ref and each.unit == _unit(obj):
                found.extend(each.findings)
                self.covered.add(key)
                if each.again:
                    self.again[key] = frozenset(each.again)
        self.custom.clear()
        return found

    def covers(self, obj: Object) -> frozenset[str] | None:
        """None when the early rules did not run on `obj`, else those of them to run again
        on it (their other findings are in `take`'s)."""
        # A file's documents as loaded, not a kustomize build's objects (written there, made elsewhere)
        if not self.usable or obj.doc.__class__ not in _LOADED:
            return None
        key = (id(obj.doc), obj.base)
        if obj.doc.file in self.files:
            if obj.group in BUILTIN_GROUPS or key in self.covered:
                return self.again.get(key, _NOTHING)
        elif obj.doc.file in self.untried and (obj.group in BUILTIN_GROUPS or key in self.covered):
            return self.tried
        return None


_NOTHING: frozenset[str] = frozenset()
_LOADED = (Document, FrozenDocument)     # the documents of files (not kustomize's BuiltDocument)


def _early(spec: engine.CheckSpec) -> bool:
    return spec.scope == "object" and (not spec.needs_graph or spec.try_early)


def _unit(obj: Object) -> str | None:
    return obj.unit.id if obj.unit is not None else None


def run(plan: Plan, loaded: LoadResult, tried: bool = True) -> Answer:
    """In a loading process: the early checks on the objects of the documents it loaded;
    without `tried`, not those tried early (the main process: they would keep what they
    need, the schema validators above all, in it for the whole run)."""
    from . import graph as graph_mod

    documents = {id(doc): i for i, doc in enumerate(loaded.documents)}
    graph, _ = graph_mod.build(loaded, plan.settings.get("namespace", "default"), plan.units)
    ctx = engine.CheckContext(graph, **plan.settings)
    found: list[Finding] = []
    custom = []
    rerun = []
    specs = plan.specs() if tried else [s for s in plan.specs() if not s.try_early]
    for obj, findings, again in engine.run_early(ctx, specs, plan.rules):
        if obj.group not in BUILTIN_GROUPS:
            custom.append(Checked(documents[id(obj.doc)], obj.base, obj.ref, _unit(obj), findings, tuple(again)))
            continue
        found.extend(findings)
        if again:
            rerun.append((documents[id(obj.doc)], obj.base, tuple(again)))
    graph.release()
    return Answer(found, custom, rerun)
