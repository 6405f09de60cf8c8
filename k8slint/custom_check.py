"""The check function of a custom rule: its match, its condition and its message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .engine import CheckContext
from .graph import Object
from .model import JSON, Hit, Path
from .selector import Selector

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_FIELD = re.compile(r"\{([^{}]+)\}")


class Condition:
    """The check function of one custom rule: func(ctx, obj) -> hits (from the object alone).
    Subclasses test each instance (the object, or each container) in `_test`."""

    def __init__(self, rule: str, message: str, target: str,
                 namespaces: frozenset[str], selector: Selector | None) -> None:
        self.rule, self.message, self.target = rule, message, target
        self.namespaces, self.selector = namespaces, selector

    def __call__(self, ctx: CheckContext, obj: Object) -> Iterator[Hit]:
        if self.namespaces and obj.namespace not in self.namespaces:
            return
        if self.selector is not None and not self.selector.matches(obj.labels):
            return
        if self.target == "object":
            yield from self._test(obj, obj.data, (), None)
            return
        template = obj.pod_template
        if template is None:
            return
        for container, path, _ in template.all_containers():
            yield from self._test(obj, container, path, container)

    def _test(self, obj: Object, instance: Any, base: Path, container: JSON | None) -> Iterator[Hit]:
        raise NotImplementedError


    def _message(self, obj: Object, instance: Any, container: JSON | None, error: str) -> str:
        special = {"kind": obj.kind, "name": obj.name, "namespace": obj.namespace or "",
                   "apiVersion": obj.api_version, "error": error,
                   "container": (container or {}).get("name", "")}

        def field(match: re.Match[str]) -> str:
            key = match.group(1).strip()
            if key in special:
                return str(special[key])
            for root in (instance, obj.data):
                value = _lookup(root, key)
                if value is not None:
                    return str(value)
            return "<unset>"

        return _FIELD.sub(field, self.message)


def _lookup(data: Any, dotted: str) -> Any:
    for step in dotted.split("."):
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        else:
            return None
    return data


class SchemaCondition(Condition):
    """A custom rule's `condition:`, a JSON Schema each instance must satisfy."""

    def __init__(self, rule: str, validator: Validator, message: str, target: str,
                 namespaces: frozenset[str], selector: Selector | None) -> None:
        super().__init__(rule, message, target, namespaces, selector)
        self.validator = validator

    def _test(self, obj: Object, instance: Any, base: Path, container: JSON | None) -> Iterator[Hit]:
        from jsonschema.exceptions import best_match

        error = best_match(self.validator.iter_errors(instance))
        if error is None:
            return
        path = base + tuple(error.absolute_path)
        yield obj.finding(path, self._message(obj, instance, container, error.message))
