"""A rule explained for people: what `k8slint rules show RULE` prints before the examples,
and what an editor shows when hovering a finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rules import RuleMeta


def rule_help(meta: RuleMeta) -> str:
    """Heading, summary, why, fix and how to silence it (plain text)."""
    default = "on by default" if meta.enabled else "off by default"
    fixable = ", fixable with k8slint fix" if meta.fixable else ""
    sources = "".join(f"\n  {source}" for source in meta.sources)
    return (f"{meta.id}  [{meta.category}, {meta.severity}, {default}{fixable}]\n\n{meta.summary}\n\n"
            f"Why: {meta.rationale}\n\nFix: {meta.fix}\n\n"
            + (f"Sources:{sources}\n\n" if sources else "")
            + silence_text(meta.id, meta.enabled))


def silence_text(rule: str, enabled: bool = True) -> str:
    """How to turn a rule off, from the whole project down to one line."""
    lines = ["Silence it:" if enabled else f"Off by default: turn it on with --enable {rule} "
             f"or `enable: [{rule}]` in .k8slint.yaml. Once on, silence it:",
             f"  in one run:        k8slint check --disable {rule} ...",
             f"  in the project:    .k8slint.yaml: disable: [{rule}]",
             f"  under some paths:  .k8slint.yaml: ignore: {{\"legacy/**\": [{rule}]}}",
             f"  on one object:     metadata.annotations: k8slint.io/ignore: \"{rule}: the reason\"",
             f"  on one line:       # k8slint: ignore[{rule}] the reason"]
    return "\n".join(lines) + "\n"
