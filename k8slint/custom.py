"""Custom declarative rules: a match, a JSON Schema condition and a message, no Python.

A custom rule is defined in .k8slint.yaml (`custom-rules:`) or as one *.yaml file per rule
in a `--rules DIR` folder; the shape is in config_schema.json ($defs.customRule). It runs
as an ordinary per-object check of category `custom`, and its `examples` are tested the
same way as the built-in rules' (`k8slint rules test`, k8slint.testing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config_schema import validate_schema
from .custom_check import Condition, SchemaCondition
from .engine import CheckSpec
from .errors import ConfigError
from .i18n import _
from .model import Severity
from .rules import Example, RuleMeta
from .selector import from_label_selector


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
        raise ConfigError(_("{source}: custom rule {rule} needs either condition or cel").format(
            source=source, rule=data["id"]))
    try:
        if "condition" in data:
            Draft202012Validator.check_schema(data["condition"])
    except SchemaError as exc:
        raise ConfigError(_("{source}: condition of {rule} is not a valid JSON Schema: {error}").format(
            source=source, rule=data["id"], error=exc.message)) from None
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
        check: Condition = cel_condition(
            data["id"], data["cel"], data["message"], data.get("target", "object"),
            frozenset(match.get("namespaces", ())), from_label_selector(match.get("labelSelector")), source)
    else:
        check = SchemaCondition(data["id"], Draft202012Validator(data["condition"]), data["message"],
                           data.get("target", "object"), frozenset(match.get("namespaces", ())),
                           from_label_selector(match.get("labelSelector")))
    return CustomRule(meta, CheckSpec(meta.id, check, frozenset(kinds) if kinds else None,
                                      module=__name__))


def load_rules_dir(folder: str) -> list[CustomRule]:
    """Every *.yaml / *.yml file of a folder, one rule each (sorted by name)."""
    import yaml

    from . import safe_yaml

    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(_("{folder}: custom rules folder not found").format(folder=folder))
    rules = []
    for file in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]):
        try:
            data = safe_yaml.load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(_("{file}: cannot read the rule: {error}").format(file=file, error=exc)) from None
        rules.append(parse_custom_rule(data, str(file)))
    return rules
