"""The examples of a rule file (rules/<id>.yaml `examples:` and `fix-examples:`): read by
the tests, `rules show` and the docs, never by a check, so their classes are made only
when examples are read (k8slint.rules names them too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .k8s.versions import Version


@dataclass(frozen=True)
class Example:
    name: str
    manifest: str
    expect: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)    # e.g. kubernetes-version
    fixed: str | None = None
    before: str | None = None            # `change` rules: the manifest before, `manifest` after


@dataclass(frozen=True)
class FixExample:
    """The rule's fix applied, for the Kubernetes versions it is written for: a manifest that
    must pass the rule and every schema and check of each of those versions (tests/
    test_rule_fixes.py), and the fix text findings carry on them when it differs there."""

    versions: tuple[Version, ...]
    manifest: str
    fix: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    example: str | None = None          # the passing example it is, when it names one
    before: str | None = None           # `change` rules: the manifest the fix is applied over
    fix_translations: dict[str, str] = field(default_factory=dict)    # language -> fix

    @property
    def range_text(self) -> str:
        from .rules import version_range_text

        return version_range_text(self.versions)

    def fix_in(self, lang: str) -> str | None:
        """The fix text in `lang`, English where it has no translation."""
        return self.fix_translations.get(lang, self.fix) if self.fix else None
