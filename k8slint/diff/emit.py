"""Turning what the diff modules conclude into findings of the `change` rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..engine import to_finding
from ..model import Path, Severity
from .model import ObjectChange, Statement

if TYPE_CHECKING:
    from ..graph import Graph, Object
    from ..k8s.versions import Version
    from ..rules import RuleMeta


@dataclass
class Emitter:
    """Adds a statement to an object change when its rule is active."""

    rules: dict[str, RuleMeta]
    active: set[str]
    overrides: dict[str, Severity] = field(default_factory=dict)
    display: Callable[[str], str] = str                 # file names as the user writes them

    def say(self, change: ObjectChange, rule: str, obj: Object, path: Path, message: str, risk: str, *,
            severity: Severity | None = None, fix: str | None = None, at: str = "key") -> None:
        if rule not in self.active:
            return
        meta = self.rules[rule]
        if severity is None and risk in ("none", "low") and meta.severity == Severity.WARNING:
            severity = Severity.INFO          # a warning rule's harmless cases are worth knowing only
        finding = to_finding(obj.finding(path, message, at=at, severity=severity, fix=fix), meta)
        if rule in self.overrides:
            finding = replace(finding, severity=self.overrides[rule])
        if self.display(finding.file) != finding.file:
            finding = replace(finding, file=self.display(finding.file))
        if finding.severity == Severity.INFO and fix is None:
            finding = replace(finding, fix=None)      # nothing to fix in what is only worth knowing
        change.statements.append(Statement(finding, risk))


@dataclass
class Context:
    """What every statement module may read: both graphs, the target version, the emitter."""

    old: Graph
    new: Graph
    version: Version
    emit: Emitter
    changes: list[ObjectChange]
    extra: dict[str, Any] = field(default_factory=dict)

    def hpa_for(self, obj: Object) -> Object | None:
        """The HorizontalPodAutoscaler of the new side that scales `obj`, if any."""
        index = self.extra.get("hpa")
        if index is None:
            index = {}
            for hpa in self.new.of_kind("HorizontalPodAutoscaler"):
                target = hpa.get("spec", "scaleTargetRef")
                if isinstance(target, dict):
                    index[(target.get("kind"), hpa.namespace, target.get("name"))] = hpa
            self.extra["hpa"] = index
        found: Object | None = index.get((obj.kind, obj.namespace, obj.name))
        return found
