"""`k8slint diff` output: human, JSON, a markdown pull-request comment, GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

from ..i18n import N_, _
from .model import ADDED, RISKS, DiffResult, ObjectChange, describe

FORMATS = ("human", "json", "markdown", "github", "sarif")
COMMENT_LIMIT = 65_000          # GitHub's limit for a comment body is 65,536 characters
BADGE = {"refused": N_("⛔ refused"), "high": N_("🔴 high"), "medium": N_("🟠 medium"), "low": N_("🟢 low"),
         "none": N_("⚪ none")}
# Counts of the headline, per kind of change (English: `2 modified`).
_COUNTED = {"modified": N_("{count} modified"), "added": N_("{count} added"), "removed": N_("{count} removed"),
            "replaced": N_("{count} replaced"), "renamed": N_("{count} renamed")}
# The human line of an object: its title, the kind of change and the risk (English: `Deployment/web  modified
# risk high`); whole lines so that each word is translated where it stands.
_LINE = {"added": N_("{title}  added  {risk}"), "removed": N_("{title}  removed  {risk}"),
         "modified": N_("{title}  modified  {risk}"), "replaced": N_("{title}  replaced  {risk}"),
         "renamed": N_("{title}  renamed  {risk}")}
_RISK = {"refused": N_("risk refused"), "high": N_("risk high"), "medium": N_("risk medium"), "low": N_("risk low"),
         "none": N_("risk none")}
_FOLDED = {"refused": N_("{count} refused"), "high": N_("{count} high"), "medium": N_("{count} medium"),
           "low": N_("{count} low"), "none": N_("{count} none")}


def render(result: DiffResult, fmt: str) -> str:
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result)
    if fmt in ("github", "sarif"):
        from ..report import Report
        from ..report import render as render_report
        return render_report(Report(result.findings, result.summary(), result.rules), fmt)
    if fmt != "human":
        raise ValueError(f"unknown format {fmt!r}")
    return render_human(result)


def ordered(result: DiffResult) -> list[ObjectChange]:
    """Riskiest first, then in the order of the manifests."""
    return sorted(result.changes, key=lambda c: (-RISKS.index(c.risk), c.obj.file, c.obj.order))


def headline(result: DiffResult) -> str:
    s = result.summary()
    parts = [_(_COUNTED[k]).format(count=s[k]) for k in ("modified", "added", "removed", "replaced", "renamed")
             if s[k]]
    text = ", ".join(parts) or _("no change")
    if s["refused"]:
        text = _("{count} refused; {changes}").format(count=s["refused"], changes=text)
    return _("{changes}; {count} unchanged").format(changes=text, count=s["unchanged"])


# --- human ---------------------------------------------------------------------------------

def render_human(result: DiffResult) -> str:
    out = [_("k8slint diff: {old} -> {new}: {headline}").format(old=result.old_label, new=result.new_label,
                                                                 headline=headline(result))]
    for change in ordered(result):
        out.append("")
        line = _LINE.get(change.change)
        risk = _(_RISK[change.risk]) if change.risk in _RISK else f"risk {change.risk}"
        out.append(_(line).format(title=change.title, risk=risk) if line
                   else f"{change.title}  {change.change}  {risk}")
        for field in change.fields[:12]:
            mark = {"added": "+", "removed": "-"}.get(field.kind, "~")
            out.append(f"  {mark} {describe(field, 60).lstrip('+-')}")
        if len(change.fields) > 12:
            out.append(_("  … {count} more field(s)").format(count=len(change.fields) - 12))
        for statement in change.statements:
            f = statement.finding
            out.append(f"  {f.file}:{f.line}:{f.column}: {_(str(f.severity))} [{f.rule}] {f.message}")
            if f.severity >= 3 and f.fix:
                out.append(_("      instead: {fix}").format(fix=f.fix))
    counts = result.summary()
    out.append("")
    out.append(_("{errors} error(s), {warnings} warning(s), {infos} info(s)").format(
        errors=counts["errors"], warnings=counts["warnings"], infos=counts["infos"]))
    return "\n".join(out) + "\n"


# --- JSON ----------------------------------------------------------------------------------

def render_json(result: DiffResult) -> str:
    payload: dict[str, Any] = {
        "old": result.old_label, "new": result.new_label, "summary": result.summary(),
        "changes": [c.as_dict() for c in ordered(result)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"


# --- markdown (a pull-request comment, the GitHub step summary) -----------------------------

def _cell(text: str, width: int = 220) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= width else text[:width - 1] + "…"


def consequence(change: ObjectChange) -> str:
    """The first sentence of each statement, riskiest first."""
    if not change.statements:
        return _("created") if change.change == ADDED else _("nothing changes in the running cluster")
    ordered_statements = sorted(change.statements, key=lambda s: -RISKS.index(s.risk))
    firsts = [s.finding.message.split(". ", 1)[0] for s in ordered_statements[:2]]
    more = len(change.statements) - 2
    return "; ".join(firsts) + (_("; +{count} more").format(count=more) if more > 0 else "")


def render_markdown(result: DiffResult, limit: int = COMMENT_LIMIT) -> str:
    """One table (object, change, consequence, risk), details per risky object, within
    `limit` characters: rows and details that do not fit are folded into a count."""
    head = [_("### k8slint diff: `{old}` → `{new}`").format(old=result.old_label, new=result.new_label), "",
            f"**{headline(result)}**", ""]
    changes = ordered(result)
    if not changes:
        return "\n".join(head + [_("No object changes."), ""])
    table = [_("| Object | Change | Consequence | Risk |"), "|---|---|---|---|"]
    rows = [f"| `{_cell(c.title, 120)}` | {_cell(c.summary())} | {_cell(consequence(c))} | {_(BADGE[c.risk])} |"
            for c in changes]
    risky = sum(1 for c in changes if c.risk in ("refused", "high", "medium"))
    details = [_details(c) for c in changes[:risky] if c.statements]
    budget = limit - len("\n".join(head + table)) - 600      # the folding lines and the newlines
    shown = _fit(rows[:risky], budget)
    budget -= sum(len(r) + 1 for r in shown)
    low_rows = sum(len(r) + 1 for r in rows[risky:])
    shown_details = _fit(details, budget - min(low_rows, budget // 4))
    budget -= sum(len(d) + 1 for d in shown_details)
    if len(shown) == risky:
        shown += _fit(rows[risky:], budget)
    out = head + table + shown
    folded = changes[len(shown):]
    if folded:
        risks = ", ".join(_(_FOLDED[r]).format(count=sum(1 for c in folded if c.risk == r)) for r in reversed(RISKS)
                          if any(c.risk == r for c in folded))
        out.append(_("| … {count} more object(s) | | folded to fit a comment ({risks}) | |").format(
            count=len(folded), risks=risks))
    out.append("")
    out.extend(shown_details)
    if len(shown_details) < len(details):
        out.append(_("_{count} more detail block(s) folded; run `k8slint diff` locally for all of "
                     "them._").format(count=len(details) - len(shown_details)))
        out.append("")
    return "\n".join(out)


def _fit(blocks: list[str], budget: int) -> list[str]:
    """The leading blocks that fit in `budget` characters (one newline each)."""
    out: list[str] = []
    for block in blocks:
        if len(block) + 1 > budget:
            break
        out.append(block)
        budget -= len(block) + 1
    return out


def _details(change: ObjectChange) -> str:
    lines = [_("<details><summary><code>{title}</code>: {badge}, {count} statement(s)</summary>").format(
        title=_html(change.title), badge=_(BADGE[change.risk]), count=len(change.statements)), ""]
    for s in change.statements:
        f = s.finding
        lines.append(_("- **{severity}** `{rule}` at `{file}:{line}`: {message}").format(
            severity=_(str(f.severity)), rule=f.rule, file=f.file, line=f.line, message=_cell(f.message, 600)))
        if f.severity >= 3 and f.fix:
            lines.append(_("  - Instead: {fix}").format(fix=_cell(f.fix, 400)))
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
