"""The timeline section of the HTML page: legend, axis, a row per pod grouped per workload,
controller lanes, Service lanes. Bars and markers are positioned in percent of the axis, so
rows stretch to any width; `data-ev` lists the events (indices into the page data) that a
bar or marker stands for."""

from __future__ import annotations

from collections.abc import Mapping

from ...html_page import esc
from .html_lanes import MARKS, STATES, Bar, Lanes, Mark, Row

ROW_H = 22
BAR_Y, BAR_H = 5, 12
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400)
MAX_TICKS = 8
AXIS_AGAIN = 16              # rows after which the axis is repeated below the timeline

# Marker shapes, centred on (0, 11); each has a larger transparent target for fingers.
MARK_SHAPES: dict[str, str] = {
    "bad": '<circle r="5.5"/><path class="ink" d="M0,-3V1M0,2.6V3"/>',
    "ep-add": '<path d="M0,-6L6,4H-6Z"/>',
    "ep-remove": '<path d="M0,6L6,-4H-6Z"/>',
    "proxy": '<path d="M0,-6L6,0L0,6L-6,0Z"/>',
    "dns": '<rect x="-4.5" y="-4.5" width="9" height="9" rx="1.5"/>',
    "ok": '<circle r="5.5"/><path class="ink" d="M-2.6,0.2L-0.6,2.2L2.8,-2"/>',
    "gone": '<rect x="-1.5" y="-7" width="3" height="14"/>',
    "ev": '<circle r="3.5"/>',
    "sigkill": '<path class="x" d="M-5,-5L5,5M5,-5L-5,5"/>',
    "deadline": '<path class="dash" d="M0,-8V8"/>',
}


def defs(extra: str = "") -> str:
    """The marker shapes (and `extra` definitions), once per page, hidden; rows refer to
    them with <use>."""
    shapes = "".join(f'<g id="mk-{kind}" class="mk mk-{kind}"><circle class="hit" r="10"/>{shape}</g>'
                     for kind, shape in MARK_SHAPES.items())
    return f'<svg class="defs" width="0" height="0" aria-hidden="true"><defs>{shapes}{extra}</defs></svg>'


def seconds_text(value: float, t: Mapping[str, str]) -> str:
    return t["seconds"].format(value=f"{value:g}")


def tick_text(value: float, step: float, t: Mapping[str, str]) -> str:
    if step >= 3600 and value % 3600 == 0:
        return t["hours"].format(value=f"{value / 3600:g}")
    if step >= 60 and value % 60 == 0:
        return t["minutes"].format(value=f"{value / 60:g}")
    return seconds_text(value, t)


def ticks(end: float) -> tuple[float, list[float]]:
    step = next((s for s in TICK_STEPS if end / s <= MAX_TICKS), TICK_STEPS[-1])
    count = int(end // step)
    return step, [i * step for i in range(count + 1)]


def percent(t: float, end: float) -> str:
    """Where `t` sits on an axis that ends at `end`, as an SVG length."""
    return f"{max(0.0, min(100.0, 100 * t / end)):.2f}%"


def _ev(indices: list[int]) -> str:
    return ",".join(str(i) for i in indices)


def legend(lanes: Lanes, t: Mapping[str, str]) -> str:
    """The states and markers this page uses."""
    rows = [lanes.cluster, *lanes.services] + [r for g in lanes.groups for r in (g.lane, *g.rows)]
    used_states = {b.state for r in rows for b in r.bars if b.end > b.start}
    used_marks = {m.kind for r in rows for m in r.marks}
    states = "".join(
        f'<li><svg width="22" height="12" aria-hidden="true"><rect class="b b-{s}" width="22" height="12" rx="2"/>'
        f'</svg>{esc(t["state." + s])}</li>' for s in STATES if s in used_states)
    marks = "".join(
        f'<li><svg width="18" height="18" aria-hidden="true"><use href="#mk-{m}" x="9" y="9"/></svg>'
        f'{esc(t["mark." + m])}</li>' for m in MARKS if m in used_marks)
    return (f'<div class="legend"><div><strong>{esc(t["legend.states"])}</strong><ul>{states}</ul></div>'
            f'<div><strong>{esc(t["legend.marks"])}</strong><ul>{marks}</ul></div></div>')


def _bar(bar: Bar, end: float, t: Mapping[str, str]) -> str:
    if bar.end <= bar.start:
        return ""
    width = max(100 * (bar.end - bar.start) / end, 0.35)
    title = f'{t["state." + bar.state]}: {seconds_text(round(bar.start, 3), t)} - {seconds_text(round(bar.end, 3), t)}'
    thin = " thin" if bar.state in ("succeeded", "failed") else ""
    y, h = (BAR_Y + 3, BAR_H - 6) if thin else (BAR_Y, BAR_H)
    return (f'<rect class="b b-{bar.state}{thin}" x="{percent(bar.start, end)}" y="{y}" width="{width:.2f}%" '
            f'height="{h}" rx="2" data-ev="{_ev(bar.events)}"><title>{esc(title)}</title></rect>')


def _mark(mark: Mark, end: float) -> str:
    return f'<use class="m" href="#mk-{mark.kind}" x="{percent(mark.t, end)}" y="11" data-ev="{_ev(mark.events)}"/>'


def _row(row: Row, end: float, t: Mapping[str, str], label: str, sub: str = "", extra: str = "") -> str:
    bars = "".join(_bar(b, end, t) for b in row.bars)
    marks = "".join(_mark(m, end) for m in row.marks)
    line = '<line class="base" x1="0" x2="100%" y1="11" y2="11"/>' if row.kind != "pod" else ""
    button = (f'<button type="button" class="name" data-ev="{_ev(row.events)}">{esc(label)}</button>'
              if row.events else f'<span class="name">{esc(label)}</span>')
    sub_html = f'<span class="sub">{esc(sub)}</span>' if sub else ""
    return (f'<div class="row {row.kind}{extra}"><div class="label">{button}{sub_html}</div>'
            f'<svg class="bars" height="{ROW_H}" aria-hidden="true">{line}{bars}{marks}</svg></div>')


def _axis(end: float, t: Mapping[str, str]) -> tuple[str, str]:
    step, values = ticks(end)
    labels = "".join(
        f'<text x="{percent(v, end)}" y="14" text-anchor="{"start" if v == 0 else "middle"}">'
        f'{esc(tick_text(v, step, t))}</text>' for v in values)
    lines = "".join(f'<line x1="{percent(v, end)}" x2="{percent(v, end)}" y1="0" y2="100%"/>' for v in values)
    axis = (f'<div class="row axis"><div class="label muted">{esc(t["timeline.axis"])}</div>'
            f'<svg class="bars" height="20" aria-hidden="true">{labels}</svg></div>')
    grid = f'<svg class="grid" aria-hidden="true">{lines}</svg>'
    return axis, grid


def section(lanes: Lanes, t: Mapping[str, str], scenario: str) -> str:
    end = lanes.end
    axis, grid = _axis(end, t)
    parts = [axis]
    if lanes.cluster.events:
        parts.append(_row(lanes.cluster, end, t, t["timeline.cluster"]))
    for group in lanes.groups:
        parts.append(f'<div class="ghead">{esc(group.title)}</div>')
        if group.lane.events:
            parts.append(_row(group.lane, end, t, t["timeline.controllers"]))
        for row in group.rows:
            sub = row.sub
            if row.before:
                sub = f'{sub} · {t["timeline.before"].format(scenario=scenario)}' if sub else \
                    t["timeline.before"].format(scenario=scenario)
            parts.append(_row(row, end, t, row.label, sub, " before" if row.before else ""))
    if lanes.services:
        parts.append(f'<div class="ghead">{esc(t["timeline.services"])}</div>')
        for row in lanes.services:
            parts.append(_row(row, end, t, f"Service {row.label}", row.sub))
    if len(parts) == 1:
        parts.append(f'<p class="muted">{esc(t["timeline.noevents"])}</p>')
    elif len(parts) > AXIS_AGAIN:
        parts.append(axis.replace('class="row axis"', 'class="row axis bottom"'))
    return (f'<section id="timeline"><h2>{esc(t["timeline.head"])}</h2>'
            f'<p class="help">{esc(t["timeline.help"])}</p>{legend(lanes, t)}'
            f'<div class="tl">{grid}{"".join(parts)}</div></section>')
