"""Custom declarative rules: a match, a JSON Schema condition and a message, no Python.

A custom rule is defined in .k8slint.yaml (`custom-rules:`) or as one *.yaml file per rule
in a `--rules DIR` folder; the shape is in config_schema.json ($defs.customRule). It runs
as an ordinary per-object check of category `custom`, and its `examples` are tested the
same way as the built-in rules' (`k8slint rules test`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config, ConfigError, validate_schema
from .engine import CheckSpec
from .graph import Object
from .model import Finding, Hit, Severity
from .rules import Example, RuleMeta
from .selector import Selector, from_label_selector

_FIELD = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class CustomRule:
    meta: RuleMeta
    spec: CheckSpec


def parse_custom_rule(data: Any, source: str) -> CustomRule:
    """Validate one rule definition and compile it into a RuleMeta and a check."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    validate_schema(data, source, definition="customRule")
    if ("condition" in data) == ("cel" in data):
        raise ConfigError(f"{source}: custom rule {data['id']} needs either condition or cel")
    try:
        if "condition" in data:
            Draft202012Validator.check_schema(data["condition"])
    except SchemaError as exc:
        raise ConfigError(f"{source}: condition of {data['id']} is not a valid JSON Schema: "
                          f"{exc.message}") from None
    examples = tuple(Example(name=str(e["name"]), manifest=str(e["manifest"]),
                             expect=list(e.get("expect") or []), options=dict(e.get("options") or {}))
                     for e in data.get("examples", []))
    meta = RuleMeta(id=data["id"], category="custom", severity=Severity.parse(data["severity"]),
                    summary=data["summary"].strip(),
                    rationale=" ".join(data.get("rationale", "A rule of this project.").split()),
                    fix=" ".join(data.get("fix", "").split()), enabled=data.get("enabled", True),
                    examples_=examples, source=source)
    match = data.get("match", {})
    kinds = match.get("kinds")
    if "cel" in data:                    # a CEL expression instead of a JSON Schema
        from .admission.custom_cel import cel_condition
        check: _Condition = cel_condition(
            data["id"], data["cel"], data["message"], data.get("target", "object"),
            frozenset(match.get("namespaces", ())), from_label_selector(match.get("labelSelector")), source)
    else:
        check = _Condition(data["id"], Draft202012Validator(data["condition"]), data["message"],
                           data.get("target", "object"), frozenset(match.get("namespaces", ())),
                           from_label_selector(match.get("labelSelector")))
    return CustomRule(meta, CheckSpec(meta.id, check, frozenset(kinds) if kinds else None, "object"))


def load_rules_dir(folder: str) -> list[CustomRule]:
    """Every *.yaml / *.yml file of a folder, one rule each (sorted by name)."""
    import yaml

    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(f"{folder}: custom rules folder not found")
    rules = []
    for file in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{file}: cannot read the rule: {exc}") from None
        rules.append(parse_custom_rule(data, str(file)))
    return rules


class _Condition:
    """The check function of one custom rule: func(obj, ctx) -> hits."""

    def __init__(self, rule: str, validator: Any, message: str, target: str,
                 namespaces: frozenset[str], selector: Selector | None) -> None:
        self.rule, self.validator, self.message, self.target = rule, validator, message, target
        self.namespaces, self.selector = namespaces, selector

    def __call__(self, obj: Object, ctx: Any) -> Iterator[Hit]:
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

    def _test(self, obj: Object, instance: Any, base: tuple, container: dict | None) -> Iterator[Hit]:
        from jsonschema.exceptions import best_match

        error = best_match(self.validator.iter_errors(instance))
        if error is None:
            return
        path = base + tuple(error.absolute_path)
        yield obj.finding(path, self._message(obj, instance, container, error.message))

    def _message(self, obj: Object, instance: Any, container: dict | None, error: str) -> str:
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


# --- examples as tests ---------------------------------------------------------------------

def run_custom_example(rule: CustomRule, example: Example) -> list[Finding]:
    """Findings of this custom rule alone on one of its examples."""
    from .api import check_text
    from .k8s.versions import parse_version

    options = example.options
    config = Config(only=[rule.meta.id], namespace=options.get("namespace", "default"),
                    custom_rules=[rule])
    if "kubernetes-version" in options:
        config.kubernetes_version = parse_version(str(options["kubernetes-version"]))
    return check_text(example.manifest, config, name=options.get("filename", "example.yaml")).findings


def test_custom_rules(rules: list[CustomRule]) -> list[tuple[str, str, str]]:
    """(rule id, example name, problem) for each example that does not give its findings,
    and for each rule without a failing and a passing example."""
    from .testing import matches

    problems = []
    for rule in rules:
        meta = rule.meta
        if not any(e.expect for e in meta.examples) or not any(not e.expect for e in meta.examples):
            problems.append((meta.id, "-", "needs a failing and a passing example"))
        for example in meta.examples:
            ok, why = matches(run_custom_example(rule, example), example.expect)
            if not ok:
                problems.append((meta.id, example.name, why))
    return problems


test_custom_rules.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
