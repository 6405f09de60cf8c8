"""Small value types shared by every stage: severities, categories, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

CATEGORIES = (
    "syntax", "schema", "api-version", "naming", "selector", "reference", "probe",
    "lifecycle", "controller", "availability", "resources", "security", "image", "admission",
    "custom",
    "change",            # `k8slint diff`: what a change does to the running cluster
)

# The annotation that silences rules on its object (k8slint.suppress): the graph lists the
# objects that have it as it reads them.
SUPPRESS_ANNOTATION = "k8slint.io/ignore"

PathKey = str | int
Path = tuple[PathKey, ...]
JSON = dict[str, Any]              # a mapping of a manifest as loaded (YAML is untyped)


class Severity(IntEnum):
    """Ordered so that a threshold compares with >=."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """Identity of an object as the JSON contract shows it."""

    api_version: str
    kind: str
    namespace: str | None
    name: str

    def as_dict(self) -> dict[str, Any]:
        return {"apiVersion": self.api_version, "kind": self.kind,
                "namespace": self.namespace, "name": self.name}

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, fully resolved: rule metadata applied and position known."""

    rule: str
    category: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    path: str | None = None
    object: ObjectRef | None = None
    fix: str | None = None
    unit: str | None = None            # the apply unit (k8slint.units) when the input has several

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "category": self.category, "severity": str(self.severity),
            "message": self.message, "file": self.file, "line": self.line,
            "column": self.column, "path": self.path,
            "object": self.object.as_dict() if self.object else None, "fix": self.fix,
            "unit": self.unit,
        }


class Located(Protocol):
    """What a hit is about (k8slint.graph.Object): its identity and where its nodes are."""

    @property
    def ref(self) -> ObjectRef: ...

    def position(self, path: Path = (), at: str = "key") -> tuple[str, int, int]: ...


@dataclass(slots=True)
class Hit:
    """What a check yields: the engine adds rule metadata and the source position.

    Either `obj` and `path` (resolved through the object's source map), or
    `file`/`line`/`column` directly (loader findings).
    """

    message: str
    obj: Located | None = None         # a k8slint.graph.Object
    path: Path = ()
    at: str = "key"                    # "key" or "value": which node of the last path step
    severity: Severity | None = None   # overrides the rule's default severity
    fix: str | None = None             # overrides the rule's fix hint
    file: str | None = None
    line: int = 1
    column: int = 1
    rule: str | None = None            # set by loader hits, which are not produced by a check
    extra: dict[str, Any] = field(default_factory=dict)
