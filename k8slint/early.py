"""Per-object checks that decide from their object alone, run early: in the worker process
that parsed the object's file (k8slint.parallel), which sends back their findings with the
documents. This process then runs only the other checks on those objects.

The findings are the same as if this process had made them. An object is built in the
worker as graph.build builds it; the worker sends its identity (ObjectRef) and apply unit
with the findings, and this process takes them only when its own object has the same
(graph.build reads the custom resource definitions of the whole input for a namespace,
which a worker sees only part of). Otherwise this process checks the object itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import engine
from .model import Finding, ObjectRef, Path
from .rules import RuleMeta

if TYPE_CHECKING:
    from .graph import Object
    from .loader import Document, LoadResult
    from .units import Units


@dataclass(frozen=True, slots=True)
class Checked:
    """The early findings of one object, sent back by a worker."""

    document: int                    # index of its document among the worker's documents
    base: Path                       # the object's path in its document (List items)
    ref: ObjectRef                   # as the worker saw it
    unit: str | None                 # its apply unit's id, as the worker saw it
    findings: list[Finding]


@dataclass
class Plan:
    """The early checks of one run, and what they found (filled as workers answer).

    Built before the workers start: a forked worker inherits it, nothing of it is pickled."""

    rules: dict[str, RuleMeta]
    active: set[str]
    settings: dict[str, Any]                     # CheckContext's keywords of this run
    units: Units | None = None
    custom: frozenset[str] = frozenset()         # ids of this run's custom rules: never early
    # (id(document), base) -> what a worker found on that object
    done: dict[tuple[int, Path], Checked] = field(default_factory=dict)
    _specs: list[engine.CheckSpec] | None = None

    def specs(self) -> list[engine.CheckSpec]:
        """The checks that run early: active built-in per-object checks that do not read
        the graph, in rule order."""
        if self._specs is None:
            registry = engine.load_checks()
            self._specs = [registry[r] for r in sorted(self.active)
                           if r in registry and r not in self.custom and _early(registry[r])]
        return self._specs

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(s.rule for s in self.specs())

    def add(self, documents: Iterable[Document], checked: list[Checked]) -> None:
        """Record a worker's answer; `documents` are its documents as unpickled here."""
        if not checked:
            return
        docs = list(documents)
        for each in checked:
            self.done[(id(docs[each.document]), each.base)] = each

    def findings(self, obj: Object) -> list[Finding] | None:
        """The early findings of `obj`, or None when this process must check it (no worker
        did, or the worker's object differs from this one)."""
        each = self.done.get((id(obj.doc), obj.base))
        if each is None or each.ref != obj.ref:
            return None
        unit = obj.unit.id if obj.unit is not None else None
        return each.findings if each.unit == unit else None


def _early(spec: engine.CheckSpec) -> bool:
    return spec.scope == "object" and not spec.needs_graph


def run(plan: Plan, loaded: LoadResult) -> list[Checked]:
    """In a worker: the early checks on the objects of the documents it loaded."""
    from . import graph as graph_mod

    documents = {id(doc): i for i, doc in enumerate(loaded.documents)}
    graph, _ = graph_mod.build(loaded, plan.settings.get("namespace", "default"), plan.units)
    ctx = engine.CheckContext(graph, **plan.settings)
    out = []
    for obj, findings in engine.run_early(ctx, plan.specs(), plan.rules):
        unit = obj.unit.id if obj.unit is not None else None
        out.append(Checked(documents[id(obj.doc)], obj.base, obj.ref, unit, findings))
    return out
