"""Rule metadata from rules/<id>.yaml: the one source of docs, tests and reporter text."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import safe_yaml
from .i18n import language
from .k8s.versions import SUPPORTED, Version, parse_version, show
from .model import CATEGORIES, Severity
from .resources import data_dir, data_path

if TYPE_CHECKING:
    from pathlib import Path

    from .rule_examples import Example as Example
    from .rule_examples import FixExample as FixExample

REQUIRED_KEYS = ("id", "category", "severity", "summary", "rationale", "fix", "examples")
TRANSLATED = ("ko",)       # languages a rule file may give its prose in, besides English
TEXT_KEYS = ("summary", "rationale", "fix")


@dataclass(frozen=True)
class RuleText:
    """A rule's prose in one language."""

    summary: str
    rationale: str
    fix: str


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
    sources: tuple[str, ...] = ()     # Kubernetes source files and functions, or docs pages
    fix_examples_: tuple[FixExample, ...] | None = None
    translations: dict[str, RuleText] = field(default_factory=dict)   # language -> prose
    # (versions, fix, language -> fix) of the fix examples with a fix text of their own, from
    # the index: fix_for without reading the examples. None: take them from fix_examples.
    version_fixes_: tuple[tuple[tuple[Version, ...], str, dict[str, str]], ...] | None = \
        field(default=None, compare=False)

    def text(self, lang: str) -> RuleText:
        """Summary, rationale and fix in `lang` ("en", "ko"); English where the rule has no
        translation into it (custom rules, or English itself)."""
        return self.translations.get(lang) or RuleText(self.summary, self.rationale, self.fix)

    def localized(self, lang: str) -> RuleMeta:
        """This rule with its prose, and its fix examples' fix texts, in `lang`: what `rules
        show` and docs/rules.<lang>.md print. Reads the examples (they come along)."""
        if lang not in self.translations:
            return self
        text = self.translations[lang]
        fix_examples = tuple(replace(e, fix=e.fix_in(lang)) for e in self.fix_examples)
        return replace(self, summary=text.summary, rationale=text.rationale, fix=text.fix,
                       examples_=self.examples, fix_examples_=fix_examples)

    @property
    def examples(self) -> tuple[Example, ...]:
        """The examples, read from the rule file on first use (checks never need them)."""
        if self.examples_ is None:
            self._read_all()
        return self.examples_ or ()

    @property
    def fix_examples(self) -> tuple[FixExample, ...]:
        """The fix examples, read with the examples on first use (a rule made in code,
        such as a custom rule, has examples and no fix examples)."""
        if self.fix_examples_ is None and self.examples_ is None:
            self._read_all()
        return self.fix_examples_ or ()

    def fix_for(self, version: Version, lang: str = "en") -> str:
        """The fix text for a target version: a fix example's own text where the advice
        differs between versions (preStop sleep from 1.30, exec sleep before), else `fix`;
        in `lang` where the rule has it in that language."""
        for versions, fix, translated in self.version_fixes():
            if version in versions:
                return translated.get(lang, fix)
        return self.text(lang).fix

    def version_fixes(self) -> tuple[tuple[tuple[Version, ...], str, dict[str, str]], ...]:
        """(versions, fix, language -> fix) of each fix example with a fix text of its own."""
        if self.version_fixes_ is not None:
            return self.version_fixes_
        return tuple((e.versions, e.fix, e.fix_translations) for e in self.fix_examples if e.fix)

    def _read_all(self) -> None:
        with open(self.source, encoding="utf-8") as handle:
            full = parse_rule(handle.read(), self.source)
        object.__setattr__(self, "examples_", full.examples_)
        object.__setattr__(self, "fix_examples_", full.fix_examples_)

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
    """A rule file. Without examples, only the text before the top-level `fix-examples:` and
    `examples:` keys (the last keys by convention, checked by the tests) is parsed: start-up
    stays fast."""
    if not with_examples:
        heads = [i for i in (text.find("\nfix-examples:"), text.find("\nexamples:")) if i >= 0]
        text = text[:min(heads) + 1] if heads else text
    data = safe_yaml.load(text)
    if not isinstance(data, dict):
        raise RuleFileError(f"{source}: not a mapping")
    required = REQUIRED_KEYS if with_examples else REQUIRED_KEYS[:-1]
    missing = [k for k in required if k not in data]
    if missing:
        raise RuleFileError(f"{source}: missing {', '.join(missing)}")
    if data["category"] not in CATEGORIES:
        raise RuleFileError(f"{source}: unknown category {data['category']!r}")
    from .rule_examples import Example

    examples = tuple(
        Example(name=str(e["name"]), manifest=str(e["manifest"]), expect=list(e.get("expect") or []),
                options=dict(e.get("options") or {}), fixed=e.get("fixed"),
                before=e.get("before"))
        for e in data["examples"]) if with_examples else None
    fix_examples = tuple(_fix_example(e, source, examples or ()) for e in data.get("fix-examples") or ()) \
        if with_examples else None
    sources = data.get("sources") or ()
    if isinstance(sources, str) or not all(isinstance(s, str) and s.strip() for s in sources):
        raise RuleFileError(f"{source}: sources must be a list of non-empty strings")
    translations = {lang: _rule_text(data[lang], f"{source}: {lang}") for lang in TRANSLATED if lang in data}
    return RuleMeta(id=data["id"], category=data["category"],
                    severity=Severity.parse(data["severity"]), summary=str(data["summary"]).strip(),
                    rationale=" ".join(str(data["rationale"]).split()),
                    fix=" ".join(str(data["fix"]).split()), enabled=bool(data.get("enabled", True)),
                    fixable=bool(data.get("fixable", False)), options=dict(data.get("options") or {}),
                    examples_=examples, source=source,
                    sources=tuple(" ".join(s.split()) for s in sources), fix_examples_=fix_examples,
                    translations=translations)


def _rule_text(data: Any, where: str) -> RuleText:
    """A `ko:` block: summary, rationale and fix, all three non-empty text."""
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: must be a mapping of {', '.join(TEXT_KEYS)}")
    bad = [k for k in TEXT_KEYS if not isinstance(data.get(k), str) or not data[k].strip()]
    if bad:
        raise RuleFileError(f"{where}: missing or empty {', '.join(bad)}")
    unknown = sorted(set(data) - set(TEXT_KEYS))
    if unknown:
        raise RuleFileError(f"{where}: unknown key {', '.join(unknown)}")
    return RuleText(summary=str(data["summary"]).strip(), rationale=" ".join(data["rationale"].split()),
                    fix=" ".join(data["fix"].split()))


def _fix_example(data: Any, source: str, examples: tuple[Example, ...]) -> FixExample:
    """One `fix-examples` entry: its own manifest, or `example: NAME`, a passing example
    that already is the failing case fixed."""
    from .rule_examples import FixExample

    if isinstance(data, dict) and "example" in data:
        named = next((e for e in examples if e.name == data["example"] and not e.expect), None)
        if named is None:
            raise RuleFileError(f"{source}: fix example names no passing example {data['example']!r}")
        options = {k: v for k, v in named.options.items() if k != "kubernetes-version"}
        data = {"manifest": named.manifest, "options": options, "before": named.before, **data}
    if not isinstance(data, dict) or "manifest" not in data:
        raise RuleFileError(f"{source}: a fix example needs a manifest or the name of an example")
    try:
        versions = parse_version_range(str(data.get("versions", "")))
    except ValueError as exc:
        raise RuleFileError(f"{source}: {exc}") from None
    fix = data.get("fix")
    translations: dict[str, str] = {}
    for lang in TRANSLATED:
        if lang not in data:
            continue
        text = data[lang].get("fix") if isinstance(data[lang], dict) else None
        if not fix or not isinstance(text, str) or not text.strip() or len(data[lang]) != 1:
            raise RuleFileError(f"{source}: a fix example's {lang}: block is `fix:` only, "
                                "beside an English `fix:`")
        translations[lang] = " ".join(text.split())
    return FixExample(versions=versions, manifest=str(data["manifest"]),
                      fix=" ".join(str(fix).split()) if fix else None,
                      options=dict(data.get("options") or {}),
                      example=str(data["example"]) if "example" in data else None,
                      before=str(data["before"]) if data.get("before") is not None else None,
                      fix_translations=translations)


def parse_version_range(text: str) -> tuple[Version, ...]:
    """'' -> every supported version; '1.30-' from 1.30 on; '-1.29' up to 1.29;
    '1.26-1.28' both ends included; '1.25' one version."""
    text = text.strip()
    if not text:
        return SUPPORTED
    low, dash, high = text.partition("-")
    first = parse_version(low) if low.strip() else SUPPORTED[0]
    last = (parse_version(high) if high.strip() else SUPPORTED[-1]) if dash else first
    if first > last:
        raise ValueError(f"empty version range {text!r}")
    return tuple(v for v in SUPPORTED if first <= v <= last)


def rule_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or data_dir("rules")).glob("*.yaml"))


# The metadata of every built-in rule (no examples), generated from rules/*.yaml by `make
# docs` (scripts/gen_rule_index.py; tests/test_rule_index.py checks it is current): a run
# reads one JSON file instead of parsing a hundred YAML files. Each entry carries the
# CRC-32 of its rule file, so a rule file edited since is parsed again, never misread.
_INDEX = os.path.join(os.path.dirname(__file__), "rules_index.json")


def __getattr__(name: str) -> Any:
    """INDEX, a Path made on use (a plain check does not import pathlib); Example and
    FixExample, from k8slint.rule_examples (a check reads no examples: their classes are
    made on first use)."""
    if name == "INDEX":
        from pathlib import Path

        return Path(_INDEX)
    if name in ("Example", "FixExample"):
        from . import rule_examples

        return getattr(rule_examples, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def rule_index(folder: Path | None = None) -> dict[str, Any]:
    """The index of the rule files of `folder` (what INDEX holds)."""
    import zlib

    index: dict[str, Any] = {}
    for path in rule_files(folder):
        data = path.read_bytes()
        meta = parse_rule(data.decode("utf-8"), str(path), with_examples=False)
        full = parse_rule(data.decode("utf-8"), str(path))
        index[path.stem] = {
            "crc32": zlib.crc32(data), "id": meta.id, "category": meta.category,
            "severity": str(meta.severity), "summary": meta.summary, "rationale": meta.rationale,
            "fix": meta.fix, "enabled": meta.enabled, "fixable": meta.fixable, "options": meta.options,
            "sources": list(meta.sources),
            "translations": {lang: [t.summary, t.rationale, t.fix] for lang, t in meta.translations.items()},
            "version_fixes": [[[show(v) for v in versions], fix, translated]
                              for versions, fix, translated in full.version_fixes()]}
    return index


def _from_index(entry: dict[str, Any], source: str) -> RuleMeta:
    return RuleMeta(id=entry["id"], category=entry["category"], severity=Severity.parse(entry["severity"]),
                    summary=entry["summary"], rationale=entry["rationale"], fix=entry["fix"],
                    enabled=entry["enabled"], fixable=entry["fixable"], options=entry["options"],
                    source=source, sources=tuple(entry["sources"]),
                    translations={lang: RuleText(*text) for lang, text in entry["translations"].items()},
                    version_fixes_=tuple((tuple(parse_version(v) for v in versions), fix, translated)
                                         for versions, fix, translated in entry["version_fixes"]))


def _read_index() -> dict[str, Any]:
    import json

    try:
        # Bytes: a text-mode read decodes the Korean text some five times slower.
        with open(_INDEX, "rb") as handle:
            index: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return index


@lru_cache(maxsize=1)
def builtin_rules() -> dict[str, RuleMeta]:
    """All built-in rules by id (loaded once): from the index where a rule file is as the
    index saw it, else parsed."""
    import zlib

    index = _read_index()
    rules: dict[str, RuleMeta] = {}
    folder = data_path("rules")
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".yaml")):   # as rule_files()
        path, stem = os.path.join(folder, name), name.removesuffix(".yaml")
        with open(path, "rb") as handle:
            data = handle.read()
        entry = index.get(stem)
        if entry is not None and entry.get("crc32") == zlib.crc32(data):
            meta = _from_index(entry, path)
        else:
            meta = parse_rule(data.decode("utf-8"), path, with_examples=False)
        if meta.id != stem:
            raise RuleFileError(f"{path}: id {meta.id!r} differs from the file name")
        rules[meta.id] = meta
    return rules


def fix_for(rule: str, version: Version, lang: str | None = None) -> str | None:
    """The fix text of a built-in rule for a target version (RuleMeta.fix_for), for checks
    whose advice differs between versions; in this run's language unless `lang` is given."""
    meta = builtin_rules().get(rule)
    return meta.fix_for(version, lang or language()) if meta is not None else None
