"""The charts of the HTML page: a rollout's pods per step (old and new stacked, available
as a line, the maxSurge ceiling and maxUnavailable floor dashed), each pod's termination
(endpoint removal, preStop, SIGTERM, the SIGKILL deadline), scale, drain and cron tables."""

from __future__ import annotations

from collections.abc import Mapping

from ...html_page import esc
from ..timeline import Rollout, Termination, Timeline
from .html_timeline import percent, seconds_text

STEP_W, CHART_H, LEFT, TOP, BOTTOM = 54, 210, 34, 14, 44


def _s(value: float | None, t: Mapping[str, str]) -> str:
    return "-" if value is None else seconds_text(round(value, 3), t)


def _rollout(roll: Rollout, t: Mapping[str, str]) -> str:
    steps = roll.steps
    ceiling = roll.replicas + (roll.max_surge or 0)
    floor = roll.replicas - (roll.max_unavailable or 0)
    top = max([ceiling, roll.replicas] + [max(s.old + s.new, s.available) for s in steps]) or 1
    width = LEFT + STEP_W * len(steps) + 16
    unit = (CHART_H - TOP - BOTTOM) / top

    def y(v: float) -> float:
        return CHART_H - BOTTOM - v * unit

    grid = "".join(f'<line class="gl" x1="{LEFT}" x2="{width - 8}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                   f'<text class="ax" x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>'
                   for v in sorted({0, floor, roll.replicas, ceiling, top}) if v >= 0)
    bars, points = [], []
    for k, s in enumerate(steps):
        x = LEFT + STEP_W * k + 8
        tip = (f'{t["rollout.step"]} {k + 1} · {_s(s.t, t)} · {s.note}: {t["rollout.old"]} {s.old}, '
               f'{t["rollout.new"]} {s.new}, {t["rollout.available"]} {s.available}')
        bars.append(f'<g><title>{esc(tip)}</title>'
                    f'<rect class="c-old" x="{x}" y="{y(s.old):.1f}" width="{STEP_W - 16}" height="{s.old * unit:.1f}"/>'
                    f'<rect class="c-new" x="{x}" y="{y(s.old + s.new):.1f}" width="{STEP_W - 16}" '
                    f'height="{s.new * unit:.1f}"/>'
                    f'<text class="ax" x="{x + (STEP_W - 16) / 2}" y="{CHART_H - BOTTOM + 14}" '
                    f'text-anchor="middle">{esc(_s(s.t, t))}</text>'
                    f'<text class="ax small" x="{x + (STEP_W - 16) / 2}" y="{CHART_H - BOTTOM + 28}" '
                    f'text-anchor="middle">#{k + 1}</text></g>')
        points.append(f"{x + (STEP_W - 16) / 2:.1f},{y(s.available):.1f}")
    limits = (f'<line class="lim" x1="{LEFT}" x2="{width - 8}" y1="{y(ceiling):.1f}" y2="{y(ceiling):.1f}"/>'
              f'<line class="lim lo" x1="{LEFT}" x2="{width - 8}" y1="{y(floor):.1f}" y2="{y(floor):.1f}"/>')
    line = f'<polyline class="c-av" points="{" ".join(points)}"/>' if points else ""
    dots = "".join(f'<circle class="c-av" cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3"/>' for p in points)
    svg = (f'<svg class="chart" width="{width}" height="{CHART_H}" viewBox="0 0 {width} {CHART_H}" role="img" '
           f'aria-label="{esc(t["rollout.head"].format(object=roll.object))}">{grid}{"".join(bars)}{limits}{line}{dots}</svg>')
    keys = (("c-old", "rollout.old"), ("c-new", "rollout.new"))
    key_html = "".join(f'<li><svg width="22" height="12" aria-hidden="true"><rect class="{c}" width="22" height="12"/>'
                       f'</svg>{esc(t[k])}</li>' for c, k in keys)
    key_html += "".join(f'<li><svg width="22" height="12" aria-hidden="true"><line class="{c}" x1="0" x2="22" y1="6" '
                        f'y2="6"/></svg>{esc(t[k])}</li>' for c, k in (("c-av", "rollout.available"),
                                                                      ("lim", "rollout.max"), ("lim lo", "rollout.min")))
    sub = t["rollout.sub"].format(strategy=roll.strategy, replicas=roll.replicas, surge=roll.max_surge,
                                  unavailable=roll.max_unavailable)
    return (f'<div class="chartbox"><h3>{esc(t["rollout.head"].format(object=roll.object))}</h3>'
            f'<p class="muted">{esc(sub)}</p><div class="scroll">{svg}</div><ul class="keys">{key_html}</ul></div>')


def _termination(term: Termination, end: float, t: Mapping[str, str]) -> str:
    start = term.endpoint_removed_at
    parts = [f'<rect class="grace" x="{percent(start, end)}" y="3" width="{100 * (term.sigkill_at - start) / end:.2f}%" '
             f'height="18" rx="3"><title>{esc(t["term.grace"].format(grace=term.grace))}</title></rect>']
    if term.prestop_started_at is not None and term.prestop_ended_at is not None \
            and term.prestop_ended_at > term.prestop_started_at:
        parts.append(f'<rect class="b b-prestop" x="{percent(term.prestop_started_at, end)}" y="7" '
                     f'width="{100 * (term.prestop_ended_at - term.prestop_started_at) / end:.2f}%" height="10">'
                     f'<title>{esc(t["term.prestop"])}: {esc(_s(term.prestop_started_at, t))} - '
                     f'{esc(_s(term.prestop_ended_at, t))}</title></rect>')
    stop = term.gone_at if term.gone_at is not None else term.sigkill_at
    if stop > term.sigterm_at:
        parts.append(f'<rect class="b b-sigterm" x="{percent(term.sigterm_at, end)}" y="7" '
                     f'width="{100 * (stop - term.sigterm_at) / end:.2f}%" height="10">'
                     f'<title>{esc(t["term.sigterm"])}: {esc(_s(term.sigterm_at, t))} - {esc(_s(stop, t))}</title></rect>')
    parts.append(f'<use href="#mk-ep-remove" x="{percent(start, end)}" y="12"><title>{esc(t["term.endpoint"])}</title></use>')
    parts.append(f'<use href="#mk-sigkill" x="{percent(term.sigkill_at, end)}" y="12">'
                 f'<title>{esc(t["term.sigkill"])}: {esc(_s(term.sigkill_at, t))}</title></use>')
    cut = f' <span class="badge sev-warning">{esc(t["term.cut"])}</span>' if term.hook_cut else ""
    return (f'<div class="row term"><div class="label"><span class="name">{esc(term.pod)}</span>'
            f'<span class="sub">{esc(t["term.grace"].format(grace=term.grace))}</span></div>'
            f'<svg class="bars" height="24" aria-hidden="true">{"".join(parts)}</svg></div>'
            f'<p class="note">{esc(term.note)}{cut}</p>')


def _terminations(timeline: Timeline, t: Mapping[str, str]) -> str:
    terms = timeline.terminations
    end = max(max(x.sigkill_at, x.gone_at or 0) for x in terms) * 1.06 + 1
    keys = (("b b-prestop", "term.prestop"), ("b b-sigterm", "term.sigterm"), ("grace", "term.window"))
    key_html = "".join(f'<li><svg width="22" height="12" aria-hidden="true"><rect class="{c}" width="22" height="12"/>'
                       f'</svg>{esc(t[k])}</li>' for c, k in keys)
    key_html += "".join(f'<li><svg width="18" height="18" aria-hidden="true"><use href="#mk-{m}" x="9" y="9"/></svg>'
                        f'{esc(t[k])}</li>' for m, k in (("ep-remove", "term.endpoint"), ("sigkill", "term.sigkill")))
    rows = "".join(_termination(x, end, t) for x in terms)
    return (f'<div class="chartbox"><h3>{esc(t["term.head"])}</h3><p class="muted">{esc(t["term.help"])}</p>'
            f'<ul class="keys">{key_html}</ul><div class="tl terms">{rows}</div></div>')


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><tr>{th}</tr>{body}</table></div>'


def section(timeline: Timeline, t: Mapping[str, str]) -> str:
    parts = [_rollout(r, t) for r in timeline.rollouts if r.steps]
    if timeline.terminations:
        parts.append(_terminations(timeline, t))
    for entry in timeline.scale:
        head = t["scale.head"].format(object=entry.get("object"), old=entry.get("from"), new=entry.get("to"))
        parts.append(f'<div class="chartbox"><h3>{esc(head)}</h3>' + _table(
            [t["scale.added"], t["scale.removed"]],
            [[", ".join(map(str, entry.get("added") or [])) or "-", ", ".join(map(str, entry.get("removed") or [])) or "-"]])
            + "</div>")
    if timeline.disruptions:
        rows = [[_s(d.get("t"), t), str(d.get("pod", "")), str(d.get("pdb", "")),
                 t["yes"] if d.get("allowed") else t["no"], str(d.get("why", ""))] for d in timeline.disruptions]
        parts.append(f'<div class="chartbox"><h3>{esc(t["drain.head"])}</h3>' + _table(
            [t["drain.t"], t["drain.pod"], t["drain.pdb"], t["drain.allowed"], t["drain.why"]], rows) + "</div>")
    if timeline.cron_runs:
        rows = [[str(r.get("scheduled", "")), str(r.get("job", "")), _s(r.get("start"), t), _s(r.get("end"), t),
                 str(r.get("outcome", ""))] for r in timeline.cron_runs]
        parts.append(f'<div class="chartbox"><h3>{esc(t["cron.head"])}</h3>' + _table(
            [t["cron.scheduled"], t["cron.job"], t["cron.start"], t["cron.end"], t["cron.outcome"]], rows) + "</div>")
    if not parts:
        return ""
    return f'<section id="charts"><h2>{esc(t["charts.head"])}</h2>{"".join(parts)}</section>'
