"""The fixer registry: `@fixer("rule-id")` functions that edit a round-trip document.

A fixer gets the object's mapping as ruamel loaded it (CommentedMap: comments, order and
quoting attached), the finding's path inside that object, and a FixContext. It edits the
mapping in place and returns a short description of the change, or None when the fix is
not certain for this case (the finding then keeps its `fix` hint for a human).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..k8s.versions import LATEST, Version
from ..model import Finding, Path

# Fixer modules of this package (imported on first use, like the checks).
MODULES = ("quoting", "apiversion", "env", "grace", "ports")


@dataclass
class FixContext:
    """What a fixer may know besides the document: the finding and the original text."""

    finding: Finding
    text: str                                   # the whole original text of the file
    kubernetes_version: Version = LATEST
    memo: dict[Any, Any] = field(default_factory=dict)    # shared by the fixes of one pass

    def token_at(self, line: int, column: int) -> str | None:
        """The plain scalar written at a 0-based line/column of the original text (a single
        token: numbers, booleans and nulls never contain spaces or flow indicators)."""
        lines = self.text.splitlines()
        if not 0 <= line < len(lines):
            return None
        match = _TOKEN.match(lines[line], column)
        return match.group(0) if match else None


_TOKEN = re.compile(r"[^\s,\[\]{}#\"']+")

Fixer = Callable[[Any, Path, FixContext], "str | None"]
FIXERS: dict[str, Fixer] = {}
# Per rule, what tells from the finding alone that its fixer would find no certain fix: the
# file is then not loaded with ruamel for it (a v1beta1 CustomResourceDefinition has none).
POSSIBLE: dict[str, Callable[[Finding], bool]] = {}


def fixer(rule: str, possible: Callable[[Finding], bool] | None = None) -> Callable[[Fixer], Fixer]:
    """Register the fixer of a rule (one per rule), and what rules a fix out beforehand."""
    def register(func: Fixer) -> Fixer:
        if rule in FIXERS:
            raise ValueError(f"fixer for {rule} registered twice")
        FIXERS[rule] = func
        if possible is not None:
            POSSIBLE[rule] = possible
        return func
    return register


def may_fix(finding: Finding) -> bool:
    """False when the finding alone shows its fixer would find no certain fix."""
    possible = POSSIBLE.get(finding.rule)
    return possible is None or possible(finding)


_loaded = False


def load_fixers() -> dict[str, Fixer]:
    global _loaded
    if not _loaded:
        for name in MODULES:
            importlib.import_module(f"{__package__}.{name}")
        _loaded = True
    return FIXERS


def fixable_rules(rules: dict[str, Any]) -> set[str]:
    """Rules that declare `fixable: true` and have a fixer."""
    fixers = load_fixers()
    return {rule for rule, meta in rules.items() if meta.fixable and rule in fixers}
