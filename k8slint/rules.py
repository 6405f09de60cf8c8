"""Rule metadata from rules/<id>.yaml: the one source of docs, tests and reporter text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .model import CATEGORIES, Severity
from .resources import data_dir

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

REQUIRED_KEYS = ("id", "category", "severity", "summary", "rationale", "fix", "examples")


@dataclass(frozen=True)
class Example:
    name: str
    manifest: str
    expect: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)    # e.g. kubernetes-version
    fixed: str | None = None
    before: str | None = None            # `change` rules: the manifest before, `manifest` after


@dataclass(frozen=True)
class RuleMeta:
    id: str
    category: str
    severity: Severity
    summary: str
    rationale: str
    fix: str
    enabled: bool = True
    fixable: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    examples_: tuple[Example, ...] | None = None     # None: not read yet (see examples)
    source: str = ""

    @property
    def examples(self) -> tuple[Example, ...]:
        """The examples, read from the rule file on first use (checks never need them)."""
        if self.examples_ is None:
            full = parse_rule(Path(self.source).read_text(encoding="utf-8"), self.source)
            object.__setattr__(self, "examples_", full.examples_)
        return self.examples_ or ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "severity": str(self.severity),
                "summary": self.summary, "fixable": self.fixable}


class RuleFileError(ValueError):
    pass


class UnknownRuleError(KeyError):
    """A rule id or category named in --enable/--disable/--only or a config that no rule
    has. A KeyError for older callers; `name` is what was asked for."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"unknown rule or category {self.name!r}"


def parse_rule(text: str, source: str, with_examples: bool = True) -> RuleMeta:
    """A rule file. Without examples, only the text before the top-level `examples:` key
    (the last key by convention, checked by the tests) is parsed: start-up stays fast."""
    if not with_examples:
        head = text.find("\nexamples:")
        text = text if head < 0 else text[:head + 1]
    data = yaml.load(text, Loader=_Loader)
    if not isinstance(data, dict):
        raise RuleFileError(f"{source}: not a mapping")
    required = REQUIRED_KEYS if with_examples else REQUIRED_KEYS[:-1]
    missing = [k for k in required if k not in data]
    if missing:
        raise RuleFileError(f"{source}: missing {', '.join(missing)}")
    if data["category"] not in CATEGORIES:
        raise RuleFileError(f"{source}: unknown category {data['category']!r}")
    examples = tuple(
        Example(name=str(e["name"]), manifest=str(e["manifest"]), expect=list(e.get("expect") or []),
                options=dict(e.get("options") or {}), fixed=e.get("fixed"),
                before=e.get("before"))
        for e in data["examples"]) if with_examples else None
    return RuleMeta(id=data["id"], category=data["category"],
                    severity=Severity.parse(data["severity"]), summary=str(data["summary"]).strip(),
                    rationale=" ".join(str(data["rationale"]).split()),
                    fix=" ".join(str(data["fix"]).split()), enabled=bool(data.get("enabled", True)),
                    fixable=bool(data.get("fixable", False)), options=dict(data.get("options") or {}),
                    examples_=examples, source=source)


def rule_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or data_dir("rules")).glob("*.yaml"))


@lru_cache(maxsize=1)
def builtin_rules() -> dict[str, RuleMeta]:
    """All built-in rules by id (loaded once)."""
    rules: dict[str, RuleMeta] = {}
    for path in rule_files():
        meta = parse_rule(path.read_text(encoding="utf-8"), str(path), with_examples=False)
        if meta.id != path.stem:
            raise RuleFileError(f"{path}: id {meta.id!r} differs from the file name")
        rules[meta.id] = meta
    return rules
