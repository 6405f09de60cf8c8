"""ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding as read from the input
(admissionregistration.k8s.io v1 and v1beta1; the fields are the same)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..graph import Graph, Object
from ..model import Path

GROUP = "admissionregistration.k8s.io"
# v1alpha1 was never on by default and is gone since 1.32; v1beta1 is served only when
# --runtime-config enables it (KEP-3136), evaluated here all the same.
VERSIONS = frozenset({"admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1"})
POLICY_KIND = "ValidatingAdmissionPolicy"
BINDING_KIND = "ValidatingAdmissionPolicyBinding"


@dataclass(frozen=True)
class Expression:
    """One CEL expression of a policy, with where it sits in the policy object."""

    source: str
    path: Path                        # of the expression's value inside the policy
    name: str = ""                    # a matchCondition's or variable's name


@dataclass(frozen=True)
class Validation:
    expression: Expression
    message: str
    message_expression: Expression | None
    reason: str


@dataclass
class Policy:
    obj: Object
    name: str
    constraints: dict[str, Any]
    match_conditions: list[Expression]
    variables: list[Expression]
    validations: list[Validation]
    failure_policy: str               # "Fail" (the default) or "Ignore"
    param_kind: tuple[str, str] | None        # (group, kind)
    bindings: list[Binding] = field(default_factory=list)

    def expressions(self) -> list[Expression]:
        out = list(self.match_conditions) + list(self.variables)
        for validation in self.validations:
            out.append(validation.expression)
            if validation.message_expression:
                out.append(validation.message_expression)
        return out


@dataclass
class Binding:
    obj: Object
    name: str
    policy_name: str
    param_ref: dict[str, Any] | None
    match_resources: dict[str, Any] | None
    actions: tuple[str, ...]          # subset of Deny, Warn, Audit


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _expressions(items: Any, base: Path) -> list[Expression]:
    out = []
    for i, item in enumerate(_list(items)):
        item = _dict(item)
        if isinstance(item.get("expression"), str):
            out.append(Expression(item["expression"], base + (i, "expression"), str(item.get("name", ""))))
    return out


def read_policy(obj: Object) -> Policy:
    spec = _dict(obj.get("spec"))
    validations = []
    for i, item in enumerate(_list(spec.get("validations"))):
        item = _dict(item)
        if not isinstance(item.get("expression"), str):
            continue
        path: Path = ("spec", "validations", i)
        message_expr = item.get("messageExpression")
        validations.append(Validation(
            Expression(item["expression"], path + ("expression",)),
            str(item.get("message") or ""),
            Expression(message_expr, path + ("messageExpression",)) if isinstance(message_expr, str) else None,
            str(item.get("reason") or "Invalid")))
    param_kind = _dict(spec.get("paramKind"))
    param = None
    if isinstance(param_kind.get("kind"), str):
        api_version = str(param_kind.get("apiVersion", "v1"))
        param = (api_version.rpartition("/")[0], param_kind["kind"])
    return Policy(obj, obj.name, _dict(spec.get("matchConstraints")),
                  _expressions(spec.get("matchConditions"), ("spec", "matchConditions")),
                  _expressions(spec.get("variables"), ("spec", "variables")),
                  validations, str(spec.get("failurePolicy") or "Fail"), param)


def read_binding(obj: Object) -> Binding:
    spec = _dict(obj.get("spec"))
    actions = tuple(a for a in _list(spec.get("validationActions")) if a in ("Deny", "Warn", "Audit"))
    ref = spec.get("paramRef")
    match = spec.get("matchResources")
    return Binding(obj, obj.name, str(spec.get("policyName", "")),
                   ref if isinstance(ref, dict) else None,
                   match if isinstance(match, dict) else None, actions)


def policies(graph: Graph) -> list[Policy]:
    """Every ValidatingAdmissionPolicy of the input, each with its bindings."""
    found = [read_policy(o) for o in graph.of_kind(POLICY_KIND) if o.api_version in VERSIONS]
    by_name = {p.name: p for p in found}
    for obj in graph.of_kind(BINDING_KIND):
        if obj.api_version not in VERSIONS:
            continue
        binding = read_binding(obj)
        if binding.policy_name in by_name:
            by_name[binding.policy_name].bindings.append(binding)
    return found
