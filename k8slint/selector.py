"""Label selectors as the API server evaluates them (apimachinery labels.Selector).

Three shapes: a LabelSelector (`matchLabels` + `matchExpressions`), a Service-style plain
map, and nothing. An empty LabelSelector selects everything; a missing one selects nothing
(for Services: no selector means endpoints are managed by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
ValueTest = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, Any], unknown: Mapping[str, ValueTest]) -> bool:
        """`unknown` maps a label the controller adds to a test of its possible values."""
        op = self.operator
        if self.key in labels:
            present, value = True, labels[self.key]
            value = value if isinstance(value, str) else str(value)
            if op == "In":
                return value in self.values
            if op == "NotIn":
                return value not in self.values
        elif self.key in unknown:
            test = unknown[self.key]
            if op == "In":
                return any(test(v) for v in self.values)
            if op == "NotIn":
                return True
            present = True
        else:
            present = False
            if op in ("In", "NotIn"):
                return op == "NotIn"
        return present if op == "Exists" else not present

    def __str__(self) -> str:
        if self.operator == "In" and len(self.values) == 1:
            return f"{self.key}={next(iter(self.values))}"
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        word = "in" if self.operator == "In" else "notin"
        return f"{self.key} {word} ({','.join(sorted(self.values))})"


@dataclass(frozen=True, slots=True)
class Selector:
    requirements: tuple[Requirement, ...]

    @property
    def empty(self) -> bool:
        """An empty selector selects every pod (NetworkPolicy `{}`, policy/v1 PDB)."""
        return not self.requirements

    def matches(self, labels: Mapping[str, Any] | None,
                unknown: Mapping[str, ValueTest] | None = None) -> bool:
        labels = labels if isinstance(labels, Mapping) else {}
        unknown = unknown or {}
        return all(r.matches(labels, unknown) for r in self.requirements)

    def equalities(self) -> list[tuple[str, str]]:
        """(key, value) pairs every selected pod must carry: used for index look-ups."""
        return [(r.key, next(iter(r.values))) for r in self.requirements
                if r.operator == "In" and len(r.values) == 1]

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements) or "<everything>"


def from_map(mapping: Any) -> Selector | None:
    """A Service/ReplicationController selector: a plain map of equalities."""
    if not isinstance(mapping, Mapping):
        return None
    return Selector(tuple(Requirement(str(k), "In", frozenset({_text(v)}))
                          for k, v in mapping.items()))


def from_label_selector(selector: Any) -> Selector | None:
    """A metav1.LabelSelector; None when it is absent or malformed (schema rules say why)."""
    if not isinstance(selector, Mapping):
        return None
    requirements: list[Requirement] = []
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, Mapping):
        return None
    for key, value in match_labels.items():
        requirements.append(Requirement(str(key), "In", frozenset({_text(value)})))
    for expression in selector.get("matchExpressions") or []:
        if not isinstance(expression, Mapping) or expression.get("operator") not in OPERATORS:
            return None
        values = expression.get("values") or []
        if not isinstance(values, list):
            return None
        requirements.append(Requirement(str(expression.get("key", "")), expression["operator"],
                                        frozenset(_text(v) for v in values)))
    return Selector(tuple(requirements))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
