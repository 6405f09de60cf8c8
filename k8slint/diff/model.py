"""What `k8slint diff` finds: per object, the field changes and the statements about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..model import Finding, Path, Severity

if TYPE_CHECKING:
    from ..graph import Graph, Object
    from ..rules import RuleMeta

# Risk of a statement, lowest first; the table shows the highest of an object's statements.
RISKS = ("none", "low", "medium", "high", "refused")

ADDED, REMOVED, MODIFIED, REPLACED, RENAMED = "added", "removed", "modified", "replaced", "renamed"


@dataclass(frozen=True)
class FieldChange:
    """One changed field. `path` points into the new object (None: the field is gone there,
    `old_path` into the old one); `label` names list items by their key (containers[web])."""

    label: str
    old: Any
    new: Any
    path: Path | None
    old_path: Path | None

    @property
    def kind(self) -> str:
        if self.path is None:
            return "removed"
        return "added" if self.old_path is None else "changed"


@dataclass(frozen=True)
class Statement:
    """A finding about a change, with the risk a reviewer should read it at."""

    finding: Finding
    risk: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.finding.as_dict(), "risk": self.risk}


@dataclass
class ObjectChange:
    """One object that differs between the two sides."""

    change: str                               # ADDED, REMOVED, MODIFIED, REPLACED, RENAMED
    old: Object | None
    new: Object | None
    fields: list[FieldChange] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    @property
    def obj(self) -> Object:
        found = self.new if self.new is not None else self.old
        assert found is not None
        return found

    @property
    def title(self) -> str:
        obj = self.obj
        where = f"{obj.namespace}/" if obj.namespace else ""
        return f"{obj.kind}/{where}{obj.name}" + (f" ({self.unit})" if self.unit else "")

    unit: str | None = None                   # the kustomization that built it, when it matters

    @property
    def risk(self) -> str:
        return max((s.risk for s in self.statements), key=RISKS.index, default="none")

    @property
    def refused(self) -> bool:
        return any(s.risk == "refused" for s in self.statements)

    def summary(self, limit: int = 3) -> str:
        """The changed fields in a few words: `image web:1 -> web:2; replicas 3 -> 5; +2 more`."""
        if self.change == ADDED:
            return _("created")
        if self.change == REMOVED:
            return _("removed from the manifests")
        if self.change == REPLACED and self.old is not None:
            return _("was {kind} ({api_version})").format(kind=self.old.kind, api_version=self.old.api_version)
        if self.change == RENAMED and self.old is not None:
            return _("renamed from {name}").format(name=self.old.name)
        shown = [describe(f) for f in self.fields[:limit]]
        if len(self.fields) > limit:
            shown.append(_("+{n_fields} more").format(n_fields=len(self.fields) - limit))
        return "; ".join(shown)

    def as_dict(self) -> dict[str, Any]:
        obj = self.obj
        return {
            "object": {"apiVersion": obj.api_version, "kind": obj.kind, "namespace": obj.namespace,
                       "name": obj.name},
            "change": self.change,
            "old": _where(self.old), "new": _where(self.new),
            "fields": [{"path": f.label, "change": f.kind, "old": _plain(f.old), "new": _plain(f.new)}
                       for f in self.fields],
            "risk": self.risk,
            "statements": [s.as_dict() for s in self.statements],
        }


def describe(change: FieldChange, width: int = 40) -> str:
    """`spec.replicas 3 -> 5`, `+env[LOG]`, `-volumes[cache]`."""
    label = change.label
    for prefix in ("spec.template.spec.", "spec.jobTemplate.spec.template.spec.", "spec."):
        if label.startswith(prefix):
            label = label[len(prefix):]
            break
    if change.kind == "added":
        return f"+{label}" + (f" {short(change.new, width)}" if _scalar(change.new) else "")
    if change.kind == "removed":
        return f"-{label}"
    if _scalar(change.old) and _scalar(change.new):
        return f"{label} {short(change.old, width)} -> {short(change.new, width)}"
    return _("{field} changed").format(field=label)


def short(value: Any, width: int = 40) -> str:
    """A value cut to `width` characters from the left: the end (an image tag) is kept."""
    text = str(value)
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None), dict, list)) else str(value)


def _where(obj: Object | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    line, __ = obj.locate(())
    return {"file": obj.file, "line": line, "apiVersion": obj.api_version}


@dataclass
class DiffResult:
    """Both sides, the object changes and every statement (as findings, for --fail-on)."""

    changes: list[ObjectChange]
    old_graph: Graph
    new_graph: Graph
    old_label: str
    new_label: str
    rules: dict[str, RuleMeta]
    io_errors: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def findings(self) -> list[Finding]:
        found = [s.finding for c in self.changes for s in c.statements]
        return sorted(found, key=Finding.sort_key)

    def failed(self, threshold: Severity | None) -> bool:
        return threshold is not None and any(f.severity >= threshold for f in self.findings)

    def summary(self) -> dict[str, int]:
        counts = {kind: sum(1 for c in self.changes if c.change == kind)
                  for kind in (ADDED, REMOVED, MODIFIED, REPLACED, RENAMED)}
        findings = self.findings
        return {**counts, "unchanged": self.unchanged, "refused": sum(1 for c in self.changes if c.refused),
                "errors": sum(1 for f in findings if f.severity == Severity.ERROR),
                "warnings": sum(1 for f in findings if f.severity == Severity.WARNING),
                "infos": sum(1 for f in findings if f.severity == Severity.INFO)}
