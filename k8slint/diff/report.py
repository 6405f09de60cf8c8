"""`k8slint diff` output: human, JSON, a markdown pull-request comment, GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

from .model import ADDED, RISKS, DiffResult, ObjectChange, describe

FORMATS = ("human", "json", "markdown", "github", "sarif")
COMMENT_LIMIT = 65_000          # GitHub's limit for a comment body is 65,536 characters
BADGE = {"refused": "⛔ refused", "high": "🔴 high", "medium": "🟠 medium", "low": "🟢 low", "none": "⚪ none"}


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
    parts = [f"{s[k]} {k}" for k in ("modified", "added", "removed", "replaced", "renamed") if s[k]]
    text = ", ".join(parts) or "no change"
    if s["refused"]:
        text = f"{s['refused']} refused; " + text
    return f"{text}; {s['unchanged']} unchanged"


# --- human ---------------------------------------------------------------------------------

def render_human(result: DiffResult) -> str:
    out = [f"k8slint diff: {result.old_label} -> {result.new_label}: {headline(result)}"]
    for change in ordered(result):
        out.append("")
        out.append(f"{change.title}  {change.change}  risk {change.risk}")
        for field in change.fields[:12]:
            mark = {"added": "+", "removed": "-"}.get(field.kind, "~")
            out.append(f"  {mark} {describe(field, 60).lstrip('+-')}")
        if len(change.fields) > 12:
            out.append(f"  … {len(change.fields) - 12} more field(s)")
        for statement in change.statements:
            f = statement.finding
            out.append(f"  {f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}")
            if f.severity >= 3 and f.fix:
                out.append(f"      instead: {f.fix}")
    counts = result.summary()
    out.append("")
    out.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s), {counts['infos']} info(s)")
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
        return "created" if change.change == ADDED else "nothing changes in the running cluster"
    ordered_statements = sorted(change.statements, key=lambda s: -RISKS.index(s.risk))
    firsts = [s.finding.message.split(". ", 1)[0] for s in ordered_statements[:2]]
    more = len(change.statements) - 2
    return "; ".join(firsts) + (f"; +{more} more" if more > 0 else "")


def render_markdown(result: DiffResult, limit: int = COMMENT_LIMIT) -> str:
    """One table (object, change, consequence, risk), details per risky object, within
    `limit` characters: rows and details that do not fit are folded into a count."""
    head = [f"### k8slint diff: `{result.old_label}` → `{result.new_label}`", "",
            f"**{headline(result)}**", ""]
    changes = ordered(result)
    if not changes:
        return "\n".join(head + ["No object changes.", ""])
    table = ["| Object | Change | Consequence | Risk |", "|---|---|---|---|"]
    rows = [f"| `{_cell(c.title, 120)}` | {_cell(c.summary())} | {_cell(consequence(c))} | {BADGE[c.risk]} |"
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
        risks = ", ".join(f"{sum(1 for c in folded if c.risk == r)} {r}" for r in reversed(RISKS)
                          if any(c.risk == r for c in folded))
        out.append(f"| … {len(folded)} more object(s) | | folded to fit a comment ({risks}) | |")
    out.append("")
    out.extend(shown_details)
    if len(shown_details) < len(details):
        out.append(f"_{len(details) - len(shown_details)} more detail block(s) folded; run `k8slint diff` locally "
                   "for all of them._")
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
    lines = [f"<details><summary><code>{_html(change.title)}</code>: {BADGE[change.risk]}, "
             f"{len(change.statements)} statement(s)</summary>", ""]
    for s in change.statements:
        f = s.finding
        lines.append(f"- **{f.severity}** `{f.rule}` at `{f.file}:{f.line}`: {_cell(f.message, 600)}")
        if f.severity >= 3 and f.fix:
            lines.append(f"  - Instead: {_cell(f.fix, 400)}")
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
