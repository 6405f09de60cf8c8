"""A rule explained for people: what `k8slint rules show RULE` prints before the examples,
and what an editor shows when hovering a finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _, language

if TYPE_CHECKING:
    from ..rules import RuleMeta


def rule_help(meta: RuleMeta) -> str:
    """Heading, summary, why, fix and how to silence it (plain text), in this run's language:
    the rule's prose from its `ko:` block when the language is Korean."""
    from .human import severity_name
    default = _("on by default") if meta.enabled else _("off by default")
    fixable = _(", fixable with k8slint fix") if meta.fixable else ""
    sources = "".join(f"\n  {source}" for source in meta.sources)
    text = meta.text(language())
    return (f"{meta.id}  [{meta.category}, {severity_name(meta.severity)}, {default}{fixable}]\n\n{text.summary}\n\n"
            + _("Why: {rationale}").format(rationale=text.rationale) + "\n\n"
            + _("Fix: {fix}").format(fix=text.fix) + "\n\n"
            + (_("Sources:") + f"{sources}\n\n" if sources else "")
            + silence_text(meta.id, meta.enabled))


def silence_text(rule: str, enabled: bool = True) -> str:
    """How to turn a rule off, from the whole project down to one line."""
    first = _("Silence it:") if enabled else _(
        "Off by default: turn it on with --enable {rule} or `enable: [{rule}]` in .k8slint.yaml. "
        "Once on, silence it:").format(rule=rule)
    lines = [first,
             _("  in one run:        k8slint check --disable {rule} ...").format(rule=rule),
             _("  in the project:    .k8slint.yaml: disable: [{rule}]").format(rule=rule),
             _("  under some paths:  .k8slint.yaml: ignore: {{\"legacy/**\": [{rule}]}}").format(rule=rule),
             _("  on one object:     metadata.annotations: k8slint.io/ignore: \"{rule}: the reason\"")
             .format(rule=rule),
             _("  on one line:       # k8slint: ignore[{rule}] the reason").format(rule=rule)]
    return "\n".join(lines) + "\n"
