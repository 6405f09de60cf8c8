"""The examples of a rule file (rules/<id>.yaml `examples:` and `fix-examples:`): read by
the tests, `rules show` and the docs, never by a check, so their classes are made only
when examples are read (k8slint.rules names them too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .k8s.versions import SUPPORTED, Version


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
        return version_range_text(self.versions)

    def fix_in(self, lang: str) -> str | None:
        """The fix text in `lang`, English where it has no translation."""
        return self.fix_translations.get(lang, self.fix) if self.fix else None


def version_range_text(versions: tuple[Version, ...]) -> str:
    """The inverse of rules.parse_version_range, for people: 'all versions', '1.30+', '1.23-1.29'."""
    if versions == SUPPORTED:
        return "all versions"
    first, last = versions[0], versions[-1]
    show = f"{first[0]}.{first[1]}"
    if first == last:
        return show
    if last == SUPPORTED[-1]:
        return f"{show}+"
    return f"{show}-{last[0]}.{last[1]}"
