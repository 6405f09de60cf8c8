"""Evaluating ValidatingAdmissionPolicies for a CREATE of an object, as the API server does
(k8s.io/apiserver/pkg/admission/plugin/policy/validating: dispatcher.go Dispatch,
validator.go Validate): match the policy and each binding, resolve params, evaluate
matchConditions, then variables, then validations; a failed validation is acted on by the
binding's validationActions, an evaluation error by the policy's failurePolicy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import cel
from ..cel.fieldpath import located_path, pruned, read_paths
from ..graph import Graph, Object
from ..i18n import _
from ..k8s.versions import LATEST, Version
from ..model import Path
from .matching import EXEMPT, Matcher, namespace_labels, selector_matches
from .policy import Binding, Expression, Policy, Validation, policies
from .request import admission_request, authorizer_variable, namespace_object
from .resources import crd_plurals, plural

VARIABLES = ("object", "oldObject", "request", "params", "namespaceObject", "authorizer", "variables")


@dataclass(frozen=True)
class Verdict:
    """One policy's refusal (Deny), warning (Warn) or audit annotation (Audit) of an object."""

    policy: Policy
    binding: Binding
    action: str
    message: str
    path: Path                 # the field of the object the failed expression reads


@dataclass(frozen=True)
class PolicyProblem:
    """Something about a policy itself: compile error, unsupported feature, no binding."""

    obj: Object
    path: Path
    kind: str                  # "compile", "unsupported" or "unbound"
    message: str


@dataclass
class _Compiled:
    programs: dict[Path, cel.Program] = field(default_factory=dict)
    problems: list[PolicyProblem] = field(default_factory=list)
    matcher: Matcher = field(default_factory=lambda: Matcher(None))
    binding_matchers: list[Matcher] = field(default_factory=list)
    object_paths: list[Path] | None = None     # what the expressions read of `object`

    @property
    def usable(self) -> bool:
        return not self.problems


class Admission:
    """The policies of one input, compiled once, evaluated per object."""

    def __init__(self, graph: Graph, version: Version = LATEST) -> None:
        self.graph, self.version = graph, version
        self.policies = policies(graph)
        self.plurals = crd_plurals(graph)
        self.compiled = {id(p): self._compile(p) for p in self.policies} if cel.available() else {}
        self._by_resource: dict[tuple[str, str], list[Policy]] = {}

    def _compile(self, policy: Policy) -> _Compiled:
        out = _Compiled(matcher=Matcher(policy.constraints),
                        binding_matchers=[Matcher(b.match_resources, every_resource=True)
                                          for b in policy.bindings])
        paths: list[Path] | None = []
        for expr in policy.expressions():
            read = read_paths(expr.source, "object")
            paths = None if paths is None or () in read else paths + list(read)
            try:
                out.programs[expr.path] = cel.compile_expression(expr.source, VARIABLES, self.version)
            except cel.Unsupported as exc:
                out.problems.append(PolicyProblem(policy.obj, expr.path, "unsupported", str(exc)))
            except cel.CompileError as exc:
                out.problems.append(PolicyProblem(
                    policy.obj, expr.path, "compile",
                    _("compilation failed: {exc} (the API server refuses this ValidatingAdmissionPolicy)").format(exc=exc)))
        out.object_paths = paths
        return out

    def problems(self) -> list[PolicyProblem]:
        out = [p for c in self.compiled.values() for p in c.problems]
        for policy in self.policies:
            if not policy.bindings:
                out.append(PolicyProblem(policy.obj, ("metadata", "name"), "unbound",
                                         _("ValidatingAdmissionPolicy {name} has no ValidatingAdmissionPolicyBinding in the input: it checks nothing until one binds it").format(name=policy.name)))
        return out

    def verdicts(self, obj: Object) -> list[Verdict]:
        if (obj.group, obj.kind) in EXEMPT or not self.policies or not cel.available():
            return []
        resource = plural(obj.group, obj.kind, self.plurals)
        namespace = namespace_object(self.graph, obj)
        labels = namespace_labels(obj, namespace)
        matched: list[tuple[Policy, _Compiled, Binding]] = []
        for policy in self._candidates(obj.group, resource):
            compiled = self.compiled[id(policy)]
            if not compiled.matcher.matches(obj, resource, labels):
                continue
            for binding, matcher in zip(policy.bindings, compiled.binding_matchers, strict=False):
                if matcher.matches(obj, resource, labels):
                    matched.append((policy, compiled, binding))
        if not matched:
            return []
        paths: list[Path] | None = []
        for _policy, compiled, _binding in matched:
            paths = None if paths is None or compiled.object_paths is None else paths + compiled.object_paths
        shared = _Shared(obj, pruned(obj.data, paths), resource, namespace, self.version)
        out: list[Verdict] = []
        for policy, compiled, binding in matched:
            out.extend(self._evaluate(policy, compiled, binding, obj, shared))
        return out

    def _candidates(self, group: str, resource: str) -> list[Policy]:
        """The usable, bound policies whose resource rules can match (group, resource)."""
        key = (group, resource)
        found = self._by_resource.get(key)
        if found is None:
            found = self._by_resource[key] = [
                p for p in self.policies if p.bindings and self.compiled[id(p)].usable
                and self.compiled[id(p)].matcher.may_match(group, resource)]
        return found

    # --- one binding ---------------------------------------------------------------------
    def _evaluate(self, policy: Policy, compiled: _Compiled, binding: Binding, obj: Object,
                  shared: _Shared) -> list[Verdict]:
        params, problem = self._params(policy, binding, obj)
        if problem:
            return self._failure(policy, binding, problem, ())
        out: list[Verdict] = []
        for param in params:
            out.extend(self._evaluate_with(policy, compiled, binding, obj, shared, param))
        return out

    def _evaluate_with(self, policy: Policy, compiled: _Compiled, binding: Binding, obj: Object,
                       shared: _Shared, param: Any) -> list[Verdict]:
        data = {**shared.data, "params": param}
        bound = shared.bound(param)
        # Any condition false skips the policy, whatever errors others gave; else an error
        # is handled by failurePolicy (matchconditions/matcher.go Match).
        error = ""
        for condition in policy.match_conditions:
            try:
                if compiled.programs[condition.path].evaluate(bound) is False:
                    return []
            except cel.EvalError as exc:
                error = error or f"matchCondition {condition.name!r} failed: {exc}"
        if error:
            return self._failure(policy, binding, error, ())
        if policy.variables:
            values: dict[str, Any] = {}
            for variable in policy.variables:
                # Only a variable that reads earlier ones needs them bound (binding costs).
                uses = "variables" in variable.source and values
                try:
                    values[variable.name] = compiled.programs[variable.path].evaluate(
                        cel.bind({**data, "variables": values}, VARIABLES, self.version) if uses else bound)
                except cel.EvalError:
                    pass    # evaluated lazily by the API server: only an error where it is used
            bound = cel.bind({**data, "variables": values}, VARIABLES, self.version)
        out: list[Verdict] = []
        for validation in policy.validations:
            try:
                ok = compiled.programs[validation.expression.path].evaluate(bound)
            except cel.EvalError as exc:
                out.extend(self._failure(policy, binding, f"expression '{validation.expression.source}' "
                                         f"resulted in error: {exc}", self._where(validation.expression, obj)))
                continue
            if ok is True:
                continue
            if ok is not False:
                out.extend(self._failure(policy, binding, f"expression '{validation.expression.source}' "
                                         f"did not return a bool", ()))
                continue
            message = self._message(validation, compiled, bound)
            for action in binding.actions:
                out.append(Verdict(policy, binding, action, _text(action, policy, binding, message),
                                   self._where(validation.expression, obj)))
        return out

    def _message(self, validation: Validation, compiled: _Compiled, bound: cel.Bound) -> str:
        # messageExpression wins when it gives a non-empty string; else message; else the
        # failed expression (validator.go Validate, policy_decision.go).
        if validation.message_expression is not None:
            try:
                text = compiled.programs[validation.message_expression.path].evaluate(bound)
                if isinstance(text, str) and text.strip() and "\n" not in text:
                    return text.strip()
            except cel.EvalError:
                pass
        return validation.message or f"failed expression: {validation.expression.source}"

    def _failure(self, policy: Policy, binding: Binding, reason: str, path: Path) -> list[Verdict]:
        """An evaluation error: refused under failurePolicy Fail, ignored under Ignore."""
        if policy.failure_policy == "Ignore":
            return []
        return [Verdict(policy, binding, action, _text(action, policy, binding, reason), path)
                for action in binding.actions]

    def _where(self, expr: Expression, obj: Object) -> Path:
        return located_path(expr.source, "object", obj.data)

    # --- params ----------------------------------------------------------------------------
    def _params(self, policy: Policy, binding: Binding, obj: Object) -> tuple[list[Any], str]:
        """The params objects to evaluate with (None once when the policy takes none)."""
        if policy.param_kind is None:
            return [None], ""
        ref = binding.param_ref
        if ref is None:
            return [], f"policy {policy.name} has paramKind but binding {binding.name} has no paramRef"
        group, kind = policy.param_kind
        namespace = ref.get("namespace") if isinstance(ref.get("namespace"), str) else obj.namespace
        if isinstance(ref.get("name"), str):
            found = self.graph.get(kind, namespace, ref["name"], group)
            if found is None and namespace is not None:
                found = self.graph.get(kind, None, ref["name"], group)
            params = [found.data] if found is not None else []
        else:
            params = [o.data for o in self.graph.of_kind(kind) if o.group == group
                      and (o.namespace is None or o.namespace == namespace)
                      and selector_matches(ref.get("selector"), o.labels)]
        if params:
            return params, ""
        if ref.get("parameterNotFoundAction") == "Allow":
            return [], ""
        where = f"{namespace}/" if namespace else ""
        what = ref.get("name") or "matching the selector"
        return [], (f"no params found for policy binding with `Deny` parameterNotFoundAction "
                    f"({kind} {where}{what} is not in the input)")


class _Shared:
    """The variables of one object's admission, converted for CEL once per params object
    and shared by every policy (conversion costs more than most evaluations)."""

    def __init__(self, obj: Object, data: Any, resource: str, namespace: dict[str, Any] | None,
                 version: Version) -> None:
        self.version = version
        self.data = {"object": data, "oldObject": None, "namespaceObject": namespace,
                     "request": admission_request(obj, resource),
                     "authorizer": authorizer_variable(obj, resource), "variables": {}}
        self._bound: dict[int, tuple[Any, cel.Bound]] = {}

    def bound(self, param: Any) -> cel.Bound:
        found = self._bound.get(id(param))
        if found is None:
            found = self._bound[id(param)] = (param, cel.bind({**self.data, "params": param},
                                                              VARIABLES, self.version))
        return found[1]


def _text(action: str, policy: Policy, binding: Binding, message: str) -> str:
    """The API server's own wording (validating/dispatcher.go, policy_decision.go)."""
    if action == "Deny":
        text = _("ValidatingAdmissionPolicy '{policy}' with binding '{binding}' denied request: {message}")
    elif action == "Warn":
        text = _("Validation failed for ValidatingAdmissionPolicy '{policy}' with binding '{binding}': "
                 "{message}")
    else:
        text = _("audit annotation validation.policy.admission.k8s.io/validation_failure: "
                 "ValidatingAdmissionPolicy '{policy}' with binding '{binding}': {message}")
    return text.format(policy=policy.name, binding=binding.name, message=message)
