"""`cel:` in a custom rule: a CEL expression the object (or each container) must satisfy,
with the variables of a ValidatingAdmissionPolicy for a CREATE (request.py), plus
`container` for `target: container`. A custom rule sees one object, so `namespaceObject`
is the Namespace as the API server has it for an existing namespace (its name label),
`params` is null and `variables` is empty."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import cel
from ..cel.fieldpath import located_path
from ..custom_check import Condition
from ..errors import ConfigError
from ..graph import Object
from ..i18n import _
from ..model import Hit
from ..selector import Selector
from .request import NAMESPACE_NAME_LABEL, admission_request, authorizer_variable
from .resources import guess_plural

VARIABLES = ("object", "oldObject", "request", "params", "namespaceObject", "authorizer",
             "variables", "container")


def cel_condition(rule: str, expression: str, message: str, target: str,
                  namespaces: frozenset[str], selector: Selector | None, source: str) -> Condition:
    """The check of a custom rule with `cel:`; ConfigError when it cannot be compiled."""
    if not cel.available():
        raise ConfigError(_("{source}: custom rule {rule} uses cel: but {UNAVAILABLE}").format(source=source, rule=rule, UNAVAILABLE=_(cel.UNAVAILABLE)))
    try:
        program = cel.compile_expression(expression, VARIABLES)
    except cel.CelError as exc:
        raise ConfigError(_("{source}: cel of {rule} does not compile: {exc}").format(source=source, rule=rule, exc=exc)) from None
    return _CelCondition(rule, program, message, target, namespaces, selector)


class _CelCondition(Condition):
    def __init__(self, rule: str, program: cel.Program, message: str, target: str,
                 namespaces: frozenset[str], selector: Selector | None) -> None:
        super().__init__(rule, message, target, namespaces, selector)
        self.program = program

    def _test(self, obj: Object, instance: Any, base: tuple[Any, ...],
              container: dict[str, Any] | None) -> Iterator[Hit]:
        resource = guess_plural(obj.kind)
        namespace = None if obj.namespace is None else {
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": obj.namespace, "labels": {NAMESPACE_NAME_LABEL: obj.namespace}}}
        data = {"object": obj.data, "oldObject": None, "params": None, "variables": {},
                "request": admission_request(obj, resource), "namespaceObject": namespace,
                "authorizer": authorizer_variable(obj, resource), "container": container}
        try:
            ok = self.program.evaluate(data)
        except cel.EvalError as exc:
            yield obj.finding(base, self._message(obj, instance, container, _("CEL evaluation error: {exc}").format(exc=exc)))
            return
        if ok is not True:
            if container is not None:
                path = base + located_path(self.program.source, "container", container)
            else:
                path = located_path(self.program.source, "object", obj.data)
            yield obj.finding(path, self._message(obj, instance, container, _("the CEL expression is false")))
