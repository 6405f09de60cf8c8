"""Admission as the cluster runs it: ValidatingAdmissionPolicies and CRD validation rules
of the input, in CEL (k8slint.admission, k8slint.cel)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..engine import CheckContext, check
from ..graph import Graph, Object
from ..i18n import _
from ..k8s.kinds import BUILTIN_GROUPS
from ..model import Hit, Severity

SEVERITY = {"Deny": Severity.ERROR, "Warn": Severity.WARNING, "Audit": Severity.INFO}
POLICY_KINDS = ("ValidatingAdmissionPolicy",)


# k8slint.admission and its CEL library are imported on first use: most inputs have
# neither policies nor CRDs with rules, and `check` on one file should not pay for them.
def _cel_installed() -> bool:
    from ..cel import available
    return available()


def _cel_unavailable() -> str:
    from ..cel import UNAVAILABLE
    return UNAVAILABLE


def admission_for(graph: Graph, version: Any) -> Any:
    from ..admission import admission_for as build
    return build(graph, version)


def rule_problems(crd: Any, version: Any) -> Any:
    from ..admission.crd_rules import rule_problems as problems
    return problems(crd, version)


def validate_custom_object(crd: Any, data: Any, old: Any, version: Any) -> Any:
    from ..admission.crd_rules import validate_custom_object as validate
    return validate(crd, data, old, version)


def _where(obj: Object, path: tuple[Any, ...] = ()) -> str:
    line, __ = obj.locate(path)
    return f"{obj.file}:{line}"


def rule_problems_input(crd: Object) -> bool:
    return "x-kubernetes-validations" in str(crd.get("spec", "versions"))


def _policies_evaluable(graph: Graph) -> bool:
    """Once per run: the input has policies and CEL is installed (a failed import each
    time would cost more than the check)."""
    return bool(graph.of_kind(*POLICY_KINDS)) and _cel_installed()


def _cel_available(graph: Graph) -> bool:
    return _cel_installed()


@check("admission-policy-denied", needs_graph=True)
def admission_policy_denied(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if not ctx.index(_policies_evaluable):
        return
    for verdict in admission_for(ctx.graph, ctx.kubernetes_version).verdicts(obj):
        if verdict.policy.obj.unit is not obj.unit:
            continue                 # a policy of another apply unit is not judged against obj
        source = _("policy at {obj}, binding at {obj2}").format(obj=_where(verdict.policy.obj), obj2=_where(verdict.binding.obj))
        yield obj.finding(verdict.path, f"{verdict.message} ({source})",
                          severity=SEVERITY[verdict.action])


@check("admission-policy-unbound", scope="graph")
def admission_policy_unbound(ctx: CheckContext) -> Iterator[Hit]:
    graph = ctx.graph
    if not graph.of_kind(*POLICY_KINDS) or not _cel_installed():
        return
    for problem in admission_for(graph, ctx.kubernetes_version).problems():
        if problem.kind == "unbound":
            yield problem.obj.finding(problem.path, problem.message)


@check("cel-expression-invalid", scope="graph")
def cel_expression_invalid(ctx: CheckContext) -> Iterator[Hit]:
    graph = ctx.graph
    if not graph.of_kind(*POLICY_KINDS, "CustomResourceDefinition") or not _cel_installed():
        return
    if graph.of_kind(*POLICY_KINDS):
        for problem in admission_for(graph, ctx.kubernetes_version).problems():
            if problem.kind == "compile":
                yield problem.obj.finding(problem.path, problem.message, at="value")
    for crd in graph.of_kind("CustomResourceDefinition"):
        if rule_problems_input(crd):
            for violation in rule_problems(crd.data, ctx.kubernetes_version):
                if violation.kind == "compile":
                    yield crd.finding(violation.rule_path, violation.message, at="value")


@check("cel-not-evaluated", scope="graph")
def cel_not_evaluated(ctx: CheckContext) -> Iterator[Hit]:
    """Once when CEL is not installed; else each expression k8slint cannot evaluate."""
    graph = ctx.graph
    if not graph.of_kind(*POLICY_KINDS, "CustomResourceDefinition"):
        return
    if not _cel_installed():
        for obj in graph.of_kind(*POLICY_KINDS, "CustomResourceDefinition"):
            if obj.kind != "CustomResourceDefinition" or rule_problems_input(obj):
                yield obj.finding((), _(_cel_unavailable()))
                return
        return
    if graph.of_kind(*POLICY_KINDS):
        for problem in admission_for(graph, ctx.kubernetes_version).problems():
            if problem.kind == "unsupported":
                yield problem.obj.finding(problem.path, _("not evaluated: {message}").format(message=problem.message), at="value")
    crds = _crds(graph)
    for crd in crds.values():
        for violation in rule_problems(crd.data, ctx.kubernetes_version):
            if violation.kind == "unsupported":
                yield crd.finding(violation.rule_path, _("not evaluated: {message}").format(message=violation.message), at="value")


@check("crd-validation-rule", needs_graph=True)
def crd_validation_rule(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    # CEL is imported (cel.available) only for an object that has rules to evaluate: a small
    # check without CRDs or --schema-location pays nothing for it.
    crd = ctx.index(_crds).get((obj.group, obj.kind))
    if crd is not None:
        if not ctx.index(_cel_available):
            return
        for violation in validate_custom_object(crd.data, _decoded(crd.data, obj), None, ctx.kubernetes_version):
            if violation.kind == "invalid":
                line, __ = crd.locate(violation.rule_path)
                yield obj.finding(violation.path, _("{message} (rule at {file}:{line})").format(
                    message=violation.message, file=crd.file, line=line))
        return
    located = _located_crd(ctx, obj)
    if located is None or not ctx.index(_cel_available):
        return
    for violation in validate_custom_object(located, obj.data, None, ctx.kubernetes_version):
        if violation.kind == "invalid":
            yield obj.finding(violation.path, _("{message} (rule in the schema of {kind} from "
                                                "--schema-location)").format(
                message=violation.message, kind=obj.kind))


def _decoded(crd: dict[str, Any], obj: Object) -> Any:
    """The object as the API server decodes it before the rules run: a null field that is
    not nullable is dropped (an EnvoyFilter's empty `match:`), so no rule reads it
    (k8slint.schema.as_decoded)."""
    from ..schema import as_decoded, crd_schemas
    openapi = crd_schemas(crd).get(obj.api_version.rpartition("/")[2])
    return as_decoded(openapi, obj.data) if openapi is not None else obj.data


def _located_crd(ctx: CheckContext, obj: Object) -> dict[str, Any] | None:
    """A CRD-shaped wrapper around the schema that --schema-location gives for the object's
    kind, when that schema carries x-kubernetes-validations (the input's own CRDs win)."""
    if not ctx.schema_locations or obj.group in BUILTIN_GROUPS:
        return None
    from ..schema_locations import openapi_schema

    version = obj.api_version.rpartition("/")[2]
    schema = openapi_schema(ctx.schema_locations, obj.group, version, obj.kind, ctx.kubernetes_version)
    if not isinstance(schema, dict) or "x-kubernetes-validations" not in str(schema):
        return None
    return {"spec": {"group": obj.group, "names": {"kind": obj.kind},
                     "versions": [{"name": version, "schema": {"openAPIV3Schema": schema}}]}}


def _crds(graph: Graph) -> dict[tuple[str, str], Object]:
    """(group, kind) -> CRD of the input that has validation rules."""
    out = {}
    for crd in graph.of_kind("CustomResourceDefinition"):
        spec = crd.get("spec")
        kind = crd.get("spec", "names", "kind")
        if isinstance(spec, dict) and isinstance(kind, str) and rule_problems_input(crd):
            out[(str(spec.get("group", "")), kind)] = crd
    return out
