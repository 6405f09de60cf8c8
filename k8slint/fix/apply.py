"""Fixing one text: find the fixable findings, let the fixers edit a round-trip copy,
splice the changed lines into the original, verify, repeat until nothing changes."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import Config
from ..i18n import _
from ..model import Finding
from ..paths import parse_path
from ..rules import RuleMeta, builtin_rules
from . import roundtrip
from .registry import FixContext, fixable_rules, load_fixers, may_fix
from .splice import comments, splice

MAX_PASSES = 3          # a fix may reveal another (a migrated Ingress, then its backend)


@dataclass(frozen=True)
class Change:
    rule: str
    line: int           # in the text the fix was applied to
    description: str


@dataclass
class TextFix:
    """The outcome for one text: the fixed text, what changed, and what was left alone."""

    name: str
    original: str
    text: str
    changes: list[Change] = field(default_factory=list)
    left: list[tuple[Finding, str]] = field(default_factory=list)   # finding, why not fixed
    notes: list[str] = field(default_factory=list)   # e.g. a kustomize patch overrides the fixed field

    @property
    def changed(self) -> bool:
        return self.text != self.original


def fix_config(config: Config | None, rules: dict[str, RuleMeta]) -> Config:
    """The config of a fix run: the fixable rules among those the config runs."""
    from ..engine import select_rules

    config = config or Config()
    chosen = fixable_rules(rules) & select_rules(rules, config.only, config.enable, config.disable)
    return replace(config, only=sorted(chosen))


def fix_text(text: str, name: str = "-", config: Config | None = None, *,
             rules: dict[str, RuleMeta] | None = None,
             findings: list[Finding] | None = None) -> TextFix:
    """Apply every certain fix to a manifest text. `findings`: those of a check already run
    on this text with fix_config(...) (saves one check)."""
    from ..api import check_text

    rules = rules if rules is not None else builtin_rules()
    config = fix_config(config, rules)
    crlf = "\r\n" in text
    current = text.replace("\r\n", "\n") if crlf else text
    result = TextFix(name, text, text)
    for _pass in range(MAX_PASSES + 1):
        if findings is None:
            findings = check_text(current, config, name).findings
        todo = [f for f in findings if f.rule in (config.only or ())]
        findings = None
        if not todo:
            result.left = []
            break
        fixed, changes, left = apply_findings(current, todo, config)
        result.left = left
        if fixed == current:
            break
        result.changes.extend(changes)
        current = fixed
    result.text = current.replace("\n", "\r\n") if crlf else current
    return result


def apply_findings(text: str, findings: list[Finding], config: Config) -> tuple[str, list[Change], list[tuple[Finding, str]]]:
    """One pass over the documents that hold findings, each round-tripped alone: ruamel
    reads some 50x slower than the C loader, and a file of large CRDs (kserve's 750 KB
    install bundles) took 11 s for one finding when read whole. Findings whose fixer would
    find no certain fix (registry.may_fix) load nothing."""
    left = [(f, _("no certain fix for this case")) for f in findings if not may_fix(f)]
    findings = [f for f in findings if may_fix(f)]
    if not findings:
        return text, [], _bottom_up(left)
    lines = text.splitlines(keepends=True)
    spans = document_spans(lines)
    groups: dict[tuple[int, int], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_span_of(spans, finding.line - 1), []).append(finding)
    changes: list[Change] = []
    for start, end in sorted(groups, reverse=True):       # later documents first: earlier lines stay
        shifted = [replace(f, line=f.line - start) for f in groups[start, end]]
        original = {id(s): f for s, f in zip(shifted, groups[start, end], strict=True)}
        fixed, done, skipped = _apply_text("".join(lines[start:end]), shifted, config)
        lines[start:end] = fixed.splitlines(keepends=True)
        changes.extend(replace(c, line=c.line + start) for c in done)
        left.extend((original[id(f)], why) for f, why in skipped)
    return "".join(lines), sorted(changes, key=lambda c: c.line), _bottom_up(left)


def _bottom_up(left: list[tuple[Finding, str]]) -> list[tuple[Finding, str]]:
    return sorted(left, key=lambda item: (item[0].line, item[0].column), reverse=True)


# A line that starts a YAML document (`---`, alone or before a node). At the start of a line
# it ends any block scalar (YAML 1.2 c-forbidden), so it always separates documents.
_DOCUMENT_START = re.compile(r"---(?:[ \t]|\r?\n|$)")


def document_spans(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line ranges of the text's documents, each from its `---` line to the
    next one; one range for all when the text has directives (`%YAML`, `%TAG`), which hold
    for the documents after them."""
    if any(line.startswith("%") for line in lines):
        return [(0, len(lines))]
    starts = [0] + [i for i, line in enumerate(lines) if i and _DOCUMENT_START.match(line)]
    return list(zip(starts, [*starts[1:], len(lines)], strict=True))


def _span_of(spans: list[tuple[int, int]], line: int) -> tuple[int, int]:
    """The span holding a 0-based line (the last one past the end)."""
    index = bisect.bisect_right([start for start, _end in spans], line) - 1
    return spans[max(index, 0)]


def _apply_text(text: str, findings: list[Finding], config: Config) -> tuple[str, list[Change], list[tuple[Finding, str]]]:
    """All fixes of one text at once; when that cannot be spliced cleanly, one at a time."""
    fixed, changes, left = _apply(text, findings, config)
    if fixed is not None:
        return fixed, changes, left
    current, changes, left = text, [], []
    for finding in findings:
        attempt, done, skipped = _apply(current, [finding], config)
        if attempt is None:
            left.append((finding, _("cannot be applied without reformatting other lines; fix by hand")))
            continue
        current = attempt
        changes.extend(done)
        left.extend(skipped)
    return current, changes, left


def _apply(text: str, findings: list[Finding], config: Config) -> tuple[str | None, list[Change], list[tuple[Finding, str]]]:
    """Fixes on one text; None when the result fails the splice or its verification."""
    fixers = load_fixers()
    yaml = roundtrip.new_yaml(text)
    try:
        documents = roundtrip.load_all(yaml, text)
        before = roundtrip.dump_all(yaml, documents)
    except roundtrip.UNREADABLE as exc:      # ruamel is stricter than kubectl in places
        reason = _("the round-trip YAML parser cannot read this file ({error})").format(error=type(exc).__name__)
        return text, [], [(f, reason) for f in findings]
    changes: list[Change] = []
    left: list[tuple[Finding, str]] = []
    memo: dict[Any, Any] = {}
    # Bottom-up, so that removing a list item never shifts the index of a later finding.
    for finding in sorted(findings, key=lambda f: (f.line, f.column), reverse=True):
        target = _object_for(documents, finding)
        if target is None:
            left.append((finding, _("its object was not found in the round-trip document")))
            continue
        context = FixContext(finding, text, config.kubernetes_version, memo)
        # A fixer that raises is a bug: it reaches the CLI (exit 3) before any file is written.
        description = fixers[finding.rule](target, parse_path(finding.path or ""), context)
        if description:
            changes.append(Change(finding.rule, finding.line, description))
        else:
            left.append((finding, _("no certain fix for this case")))
    if not changes:
        return text, [], left
    after = roundtrip.dump_all(yaml, documents)
    fixed = splice(text, before, after)
    if fixed is None or not _verified(text, fixed, documents):
        return None, [], left
    return fixed, sorted(changes, key=lambda c: c.line), left


def _verified(original: str, fixed: str, documents: list[Any]) -> bool:
    """The spliced text reads back as the edited documents; every comment and blank line
    survived."""
    try:
        again = roundtrip.load_all(roundtrip.new_yaml(fixed), fixed)
    except roundtrip.UNREADABLE:
        return False
    if again != documents:
        return False
    kept = comments(fixed)
    if _blank_lines(fixed) < _blank_lines(original):
        return False
    return all(kept[c] >= n for c, n in comments(original).items())


def _blank_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if not line.strip())


def _object_for(documents: list[Any], finding: Finding) -> Any:
    """The object (a document's root mapping, or an item of a List) a finding is in."""
    from ruamel.yaml.comments import CommentedMap

    line = finding.line - 1
    root = None
    for document in documents:
        if isinstance(document, CommentedMap) and document.lc.line <= line:
            root = document
    if root is None:
        return None
    target = root
    items = root.get("items")
    if root.get("kind") == "List" or (isinstance(root.get("kind"), str) and root["kind"].endswith("List")):
        if isinstance(items, list):
            for item in items:
                if isinstance(item, CommentedMap) and item.lc.line <= line:
                    target = item
    ref = finding.object
    if ref is not None:
        metadata = target.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if target.get("kind") != ref.kind or (name is not None and name != ref.name):
            return None
    return target
