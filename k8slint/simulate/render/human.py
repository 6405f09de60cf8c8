"""`k8slint explain` for people: the walk-through as plain text that fits the terminal.

Summary and problems first, then one chronological timeline (the first act of each
component introduces it), each container's environment and DNS names, the scenario's own
tables (terminations, rollouts, scale, evictions, cron runs) and the assumptions. No line
is wider than `width`.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence

from ...i18n import _
from ..timeline import Timeline
from .walk import ContainerView, Step, Walk, build

SHOWN_VARIABLES = 2            # variables per Service shown before "+N more" (not verbose)


def cells(text: str) -> int:
    """Terminal columns of `text`: wide and full-width characters (Hangul) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust_cells(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (str.ljust for ASCII)."""
    return text + " " * (width - cells(text))


def _wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    if cells(indent + text + hang) != len(indent + text + hang):
        return _wrap_wide(text, max(width, 20), indent, hang or indent)
    return textwrap.wrap(text, width=max(width, 20), initial_indent=indent,
                         subsequent_indent=hang or indent, break_long_words=True,
                         break_on_hyphens=False) or [indent.rstrip()]


def _wrap_wide(text: str, width: int, indent: str, hang: str) -> list[str]:
    """Greedy word wrap by terminal columns, for text with wide characters (Korean); the
    spaces between words are kept (table columns), dropped where a line breaks."""
    lines: list[str] = []
    line, empty, gap = indent, True, ""        # `empty`: no word on this line yet
    for chunk in re.findall(r"\S+|\s+", text):
        if chunk.isspace():
            gap = chunk
            continue
        word = chunk
        while cells(word) > width - cells(hang):          # longer than a line: split it
            room = width - cells(line) - (0 if empty else cells(gap))
            if room < 2:
                lines.append(line.rstrip())
                line, empty = hang, True
                continue
            head = ""
            for ch in word:
                if cells(head + ch) > room:
                    break
                head += ch
            lines.append(line + ("" if empty else gap) + head)
            line, empty, word = hang, True, word[len(head):]
        if not empty and cells(line) + cells(gap) + cells(word) > width:
            lines.append(line)
            line, empty = hang, True
        line += ("" if empty else gap) + word
        empty = False
    if not empty:
        lines.append(line)
    return lines or [indent.rstrip()]


class Text:
    """Lines of output, wrapped to the width, headings optionally bold."""

    def __init__(self, width: int, color: bool) -> None:
        self.width, self.color = width, color
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        if self.lines:
            self.lines.append("")
        self.lines.append(f"\x1b[1m{text}\x1b[0m" if self.color else text)

    def para(self, text: str, indent: str = "", hang: str = "") -> None:
        self.lines += _wrap(text, self.width, indent, hang)

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


def render_human(timeline: Timeline, width: int = 80, color: bool = False, verbose: bool = False) -> str:
    walk = build(timeline, verbose)
    out = Text(width, color)
    out.para(walk.title, "", "  ")
    _summary(out, walk)
    _timeline(out, walk.steps)
    _containers(out, walk.containers, verbose)
    _terminations(out, timeline)
    _rollouts(out, timeline)
    _scale(out, timeline)
    _disruptions(out, timeline, verbose)
    _cron_runs(out, timeline)
    _assumptions(out, walk.assumptions)
    return out.render()


def _summary(out: Text, walk: Walk) -> None:
    for line in walk.summary:
        out.para(line, "  ", "    ")
    if walk.problems:
        out.heading(_("Problems ({count})").format(count=len(walk.problems)))
        for line in walk.problems:
            out.para(line, "  - ", "    ")
    for i, line in enumerate(walk.check):
        out.para(line, "" if i == 0 else "  - ", "" if i == 0 else "    ")


def _timeline(out: Text, steps: Sequence[Step]) -> None:
    out.heading(_("Timeline (seconds after the start)"))
    stamps = [_t(s.t) for s in steps]
    column = max((cells(x) for x in stamps), default=2)
    last = None
    for stamp, step in zip(stamps, steps, strict=True):
        shown = stamp if stamp != last else ""
        last = stamp
        lead = " " * (column - cells(shown)) + shown + " "
        out.para(f"{step.who} {step.text}", lead, " " * (column + 3))
        if step.role:
            out.para(f"= {step.role}", " " * (column + 3), " " * (column + 5))


def _containers(out: Text, views: Sequence[ContainerView], verbose: bool) -> None:
    if not views:
        return
    out.heading(_("Containers: environment and DNS"))
    for view in views:
        out.para(view.title, "  ", "    ")
        pad = "    "
        if view.own_env:
            out.para(_("env (own): {variables}").format(variables=" ".join(f"{k}={v}" for k, v in view.own_env)),
                     pad, pad + "  ")
        for service, variables in view.service_env:
            shown = variables if verbose else variables[:SHOWN_VARIABLES]
            listed = " ".join(f"{k}={v}" for k, v in shown)
            if len(shown) < len(variables):
                listed = _("{variables} (+{count} more)").format(variables=listed, count=len(variables) - len(shown))
            out.para(_("env (Service {service}): {variables}").format(service=service, variables=listed),
                     pad, pad + "  ")
        for name in view.dns:
            out.para(f"DNS: {name}", pad, pad + "  ")
        if verbose:
            out.para(_("DNS search path: {search}").format(search=view.search), pad, pad + "  ")


def _table(out: Text, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain aligned table; the last column wraps to the width."""
    out.heading(title)
    widths = [max(cells(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lead = sum(w + 2 for w in widths) + 2
    if lead > out.width - 20:            # too narrow for columns: one block per row
        for row in rows:
            out.para(str(row[0]), "  ", "    ")
            for name, cell in zip(header[1:], row[1:], strict=True):
                out.para(f"{name}: {cell}", "    ", "      ")
        return
    for row in [header, *rows]:
        line = "".join(ljust_cells(str(c), w) + "  " for c, w in zip(row[:-1], widths, strict=True))
        out.para(f"{line}{row[-1]}", "  ", " " * lead)


def _terminations(out: Text, timeline: Timeline) -> None:
    if timeline.terminations:
        _table(out, _("Terminations"), (_("pod"), "preStop", "SIGTERM", "SIGKILL", _("gone"), _("in-flight requests")),
               [(t.pod, _t(t.prestop_started_at), _t(t.sigterm_at), _t(t.sigkill_at), _t(t.gone_at), t.note)
                for t in timeline.terminations])


def _rollouts(out: Text, timeline: Timeline) -> None:
    for roll in timeline.rollouts:
        if roll.max_surge is not None:
            title = _("Rollout {object} ({strategy}, replicas {replicas}, maxSurge {surge}, "
                      "maxUnavailable {unavailable})").format(
                object=roll.object, strategy=roll.strategy, replicas=roll.replicas, surge=roll.max_surge,
                unavailable=roll.max_unavailable)
        else:
            title = _("Rollout {object} ({strategy}, replicas {replicas})").format(
                object=roll.object, strategy=roll.strategy, replicas=roll.replicas)
        _table(out, title, ("t", _("old"), _("new"), _("available"), _("step")),
               [(_t(s.t), str(s.old), str(s.new), str(s.available), s.note) for s in roll.steps])


def _scale(out: Text, timeline: Timeline) -> None:
    for entry in timeline.scale:
        out.heading(_("Scale {object}: {old} -> {new}").format(object=entry["object"], old=entry["from"],
                                                                new=entry["to"]))
        out.para(_("added: {pods}").format(pods=", ".join(entry["added"]) or _("none")), "  ", "    ")
        out.para(_("removed (in order): {pods}").format(pods=", ".join(entry["removed"]) or _("none")),
                 "  ", "    ")


def _disruptions(out: Text, timeline: Timeline, verbose: bool) -> None:
    rows = timeline.disruptions if verbose else _first_and_changes(timeline.disruptions)
    if rows:
        _table(out, _("Evictions and budgets"), ("t", _("pod"), _("budget"), _("allowed"), _("why")),
               [(_t(d["t"]), str(d["pod"]), str(d["pdb"]), _("yes") if d["allowed"] else _("no"),
                 str(d.get("why", ""))) for d in rows])


def _first_and_changes(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Only the rows where the answer for a pod changes (the retries in between are alike)."""
    out: list[dict[str, object]] = []
    last: dict[str, object] = {}
    for row in rows:
        key = str(row["pod"])
        if last.get(key) != row["allowed"]:
            out.append(row)
            last[key] = row["allowed"]
    return out


def _cron_runs(out: Text, timeline: Timeline) -> None:
    if timeline.cron_runs:
        _table(out, _("CronJob runs in the window"), (_("scheduled"), _("job"), _("start"), _("end"), _("outcome")),
               [(r["scheduled"], r["job"], _t(r["start"]), _t(r["end"]), r["outcome"])
                for r in timeline.cron_runs])


def _assumptions(out: Text, assumptions: Sequence[str]) -> None:
    if len(assumptions) == 1:
        out.lines.append("")
        out.para(_("Assumptions: {text}").format(text=assumptions[0]), "", "  ")
        return
    out.heading(_("Assumptions"))
    for text in assumptions:
        out.para(text, "  - ", "    ")


def _t(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return _("{seconds}s").format(seconds=f"{value:g}")
    return str(value)
