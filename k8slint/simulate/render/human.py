"""`k8slint explain` for people: the walk-through as plain text that fits the terminal.

Summary and problems first, then one chronological timeline (the first act of each
component introduces it), each container's environment and DNS names, the scenario's own
tables (terminations, rollouts, scale, evictions, cron runs) and the assumptions. No line
is wider than `width`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..timeline import Timeline
from .walk import ContainerView, Step, Walk, build

SHOWN_VARIABLES = 2            # variables per Service shown before "+N more" (not verbose)


def _wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    return textwrap.wrap(text, width=max(width, 20), initial_indent=indent,
                         subsequent_indent=hang or indent, break_long_words=True,
                         break_on_hyphens=False) or [indent.rstrip()]


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
        out.heading(f"Problems ({len(walk.problems)})")
        for line in walk.problems:
            out.para(line, "  - ", "    ")
    for i, line in enumerate(walk.check):
        out.para(line, "" if i == 0 else "  - ", "" if i == 0 else "    ")


def _timeline(out: Text, steps: Sequence[Step]) -> None:
    out.heading("Timeline (seconds after the start)")
    stamps = [_t(s.t) for s in steps]
    column = max((len(x) for x in stamps), default=2)
    last = None
    for stamp, step in zip(stamps, steps, strict=True):
        shown = stamp if stamp != last else ""
        last = stamp
        lead = f"{shown:>{column}} "
        out.para(f"{step.who} {step.text}", lead, " " * (column + 3))
        if step.role:
            out.para(f"= {step.role}", " " * (column + 3), " " * (column + 5))


def _containers(out: Text, views: Sequence[ContainerView], verbose: bool) -> None:
    if not views:
        return
    out.heading("Containers: environment and DNS")
    for view in views:
        out.para(view.title, "  ", "    ")
        pad = "    "
        if view.own_env:
            out.para("env (own): " + " ".join(f"{k}={v}" for k, v in view.own_env), pad, pad + "  ")
        for service, variables in view.service_env:
            shown = variables if verbose else variables[:SHOWN_VARIABLES]
            more = "" if len(shown) == len(variables) else f" (+{len(variables) - len(shown)} more)"
            out.para(f"env (Service {service}): " + " ".join(f"{k}={v}" for k, v in shown) + more,
                     pad, pad + "  ")
        for name in view.dns:
            out.para(f"DNS: {name}", pad, pad + "  ")
        if verbose:
            out.para(f"DNS search path: {view.search}", pad, pad + "  ")


def _table(out: Text, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain aligned table; the last column wraps to the width."""
    out.heading(title)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lead = sum(w + 2 for w in widths) + 2
    if lead > out.width - 20:            # too narrow for columns: one block per row
        for row in rows:
            out.para(str(row[0]), "  ", "    ")
            for name, cell in zip(header[1:], row[1:], strict=True):
                out.para(f"{name}: {cell}", "    ", "      ")
        return
    for row in [header, *rows]:
        cells = "".join(f"{str(c):<{w}}  " for c, w in zip(row[:-1], widths, strict=True))
        out.para(f"{cells}{row[-1]}", "  ", " " * lead)


def _terminations(out: Text, timeline: Timeline) -> None:
    if timeline.terminations:
        _table(out, "Terminations", ("pod", "preStop", "SIGTERM", "SIGKILL", "gone", "in-flight requests"),
               [(t.pod, _t(t.prestop_started_at), _t(t.sigterm_at), _t(t.sigkill_at), _t(t.gone_at), t.note)
                for t in timeline.terminations])


def _rollouts(out: Text, timeline: Timeline) -> None:
    for roll in timeline.rollouts:
        title = f"Rollout {roll.object} ({roll.strategy}, replicas {roll.replicas}"
        if roll.max_surge is not None:
            title += f", maxSurge {roll.max_surge}, maxUnavailable {roll.max_unavailable}"
        _table(out, title + ")", ("t", "old", "new", "available", "step"),
               [(_t(s.t), str(s.old), str(s.new), str(s.available), s.note) for s in roll.steps])


def _scale(out: Text, timeline: Timeline) -> None:
    for entry in timeline.scale:
        out.heading(f"Scale {entry['object']}: {entry['from']} -> {entry['to']}")
        out.para(f"added: {', '.join(entry['added']) or 'none'}", "  ", "    ")
        out.para(f"removed (in order): {', '.join(entry['removed']) or 'none'}", "  ", "    ")


def _disruptions(out: Text, timeline: Timeline, verbose: bool) -> None:
    rows = timeline.disruptions if verbose else _first_and_changes(timeline.disruptions)
    if rows:
        _table(out, "Evictions and budgets", ("t", "pod", "budget", "allowed", "why"),
               [(_t(d["t"]), str(d["pod"]), str(d["pdb"]), "yes" if d["allowed"] else "no",
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
        _table(out, "CronJob runs in the window", ("scheduled", "job", "start", "end", "outcome"),
               [(r["scheduled"], r["job"], _t(r["start"]), _t(r["end"]), r["outcome"])
                for r in timeline.cron_runs])


def _assumptions(out: Text, assumptions: Sequence[str]) -> None:
    if len(assumptions) == 1:
        out.lines.append("")
        out.para("Assumptions: " + assumptions[0], "", "  ")
        return
    out.heading("Assumptions")
    for text in assumptions:
        out.para(text, "  - ", "    ")


def _t(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return f"{value:g}s"
    return str(value)
