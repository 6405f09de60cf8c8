"""`k8slint explain --format html`: one self-contained page to look at (no network; works
from file://, on a laptop and a phone).

Problems first (with file:line), then the timeline (a row per pod, lanes for controllers
and Services), the object graph with a details panel per object, the rollout and
termination charts, each container's environment and DNS names, every event, and the
assumptions. All texts come from html_text (`lang` picks the table); all values from the
input are escaped (html_page). The events travel once, as JSON the page script reads to
show who did what and why when a bar or marker is hovered or tapped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...html_page import esc, page
from ...i18n import language
from ..components import display_name, role
from ..timeline import Event, Timeline
from . import html_charts, html_graph, html_lanes, html_objects, html_timeline
from .html_assets import CSS, SCRIPT
from .html_text import script_texts, texts
from .walk import containers, replica_label, summary

SHOWN_FINDINGS = 5          # check findings listed before "N more"


def render_html(timeline: Timeline, lang: str = "en") -> str:
    lang = lang if lang != "en" else language()       # the run's language (--lang, LANG)
    t = texts(lang)
    lanes = html_lanes.build(timeline)
    graph = html_graph.build(timeline)
    events = lanes.events
    title = _title(timeline, t)
    body = "".join((
        html_timeline.defs(html_objects.ARROW),
        "<main>",
        _header(timeline, title, t),
        _problems(timeline, t),
        _summary(timeline, t),
        html_timeline.section(lanes, t, t.get("scenario." + timeline.scenario, timeline.scenario)),
        html_objects.section(graph, timeline, events, t),
        html_charts.section(timeline, t),
        _containers(timeline, t),
        _events(events, t),
        _assumptions(timeline, t),
        "</main>",
        '<div id="inspector" class="inspector" role="dialog" aria-live="polite" hidden>'
        f'<button type="button" class="close" aria-label="{esc(t["js.close"])}">×</button>'
        '<div class="content"></div></div>',
    ))
    return page(title=title, lang=lang, css=CSS, body=body, script=_script(t),
                data=_data(events, t, len(lanes.pod_rows), len(graph.nodes)))


def _script(t: Mapping[str, str]) -> str:
    """The page script, its seconds written as the language writes them ("3 s", "3초")."""
    unit = t["seconds"].format(value="")
    return SCRIPT if unit == " s" else SCRIPT.replace("+' s';}", "+" + json.dumps(unit) + ";}")


def _title(timeline: Timeline, t: Mapping[str, str]) -> str:
    scenario = t.get("scenario." + timeline.scenario, timeline.scenario)
    files = ", ".join(timeline.inputs) if len(timeline.inputs) <= 2 else \
        f"{timeline.inputs[0]} (+{len(timeline.inputs) - 1})"
    return t["title"].format(scenario=scenario, files=files) if files else t["title.nofiles"].format(scenario=scenario)


def _data(events: list[Event], t: Mapping[str, str], pods: int, nodes: int) -> dict[str, Any]:
    """What the page script needs: the events (actors and sources once each), its texts and
    the counts its self-check compares with the DOM."""
    actors: dict[str, int] = {}
    sources: dict[str, int] = {}
    rows = []
    for e in events:
        a = actors.setdefault(e.actor, len(actors))
        s = sources.setdefault(e.source, len(sources))
        rows.append([e.t, a, str(e.object.get("kind", "")), str(e.object.get("name", "")), e.message, e.reason, s])
    return {"text": script_texts(t), "events": rows,
            "actors": [[display_name(a), role(a)] for a in actors], "sources": list(sources),
            "expect": {"podRows": pods, "graphNodes": nodes}}


def _header(timeline: Timeline, title: str, t: Mapping[str, str]) -> str:
    nav = "".join(f'<a href="#{anchor}">{esc(t["nav." + anchor])}</a>'
                  for anchor in ("problems", "timeline", "graph", "charts", "containers", "events", "assumptions")
                  if anchor != "charts" or timeline.rollouts or timeline.terminations or timeline.scale
                  or timeline.disruptions or timeline.cron_runs)
    return (f'<header><h1>{esc(title)}</h1><p class="muted">{esc(t["intro"])}</p>'
            f'<nav>{nav}</nav></header>')


def _problems(timeline: Timeline, t: Mapping[str, str]) -> str:
    """Problems of the simulation (replicas of one pod template once), then what check says."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for p in timeline.problem_list:
        where = f"{p.file}:{p.line}" if p.file else ""
        kind, _sep, name = p.object.partition("/")
        key = (where, kind if kind == "Pod" else p.object, p.message)
        groups.setdefault(key, []).append(name)
    items = []
    for (where, what, message), names in groups.items():
        subject = what if what != "Pod" else (f"Pod {names[0]}" if len(names) == 1 else replica_label(names))
        items.append(f'<li><code class="where">{esc(where)}</code> <strong>{esc(subject)}</strong> '
                     f'<span>{esc(message)}</span></li>')
    check = timeline.check
    lines: list[str] = []
    if not check.ran:
        lines.append(f'<p>{esc(t["check.notrun"])}</p>')
    elif not check.errors and not check.warnings:
        lines.append(f'<p>{esc(t["check.agrees"])}</p>')
    else:
        lines.append(f'<p>{esc(t["check.reports"].format(errors=check.errors, warnings=check.warnings))}</p>')
        shown = [_finding(f) for f in check.findings]
        lines.append(f'<ul class="findings">{"".join(shown[:SHOWN_FINDINGS])}</ul>')
        if len(shown) > SHOWN_FINDINGS:
            more = t["check.more"].format(count=len(shown) - SHOWN_FINDINGS)
            lines.append(f'<details><summary>{esc(more)}</summary><ul class="findings">'
                         f'{"".join(shown[SHOWN_FINDINGS:])}</ul></details>')
    bad = bool(items) or check.errors or check.warnings
    head = t["problems.head"].format(count=len(items))
    found = f'<ul class="problems">{"".join(items)}</ul>' if items else f'<p>{esc(t["problems.none"])}</p>'
    return (f'<section id="problems" class="box {"bad" if bad else "good"}"><h2>{esc(head)}</h2>'
            f'{found}{"".join(lines)}</section>')


def _finding(f: Mapping[str, Any]) -> str:
    return (f'<li><code class="where">{esc(f.get("file"))}:{esc(f.get("line"))}</code> '
            f'<span class="badge sev-{esc(f.get("severity"))}">{esc(f.get("severity"))}</span> '
            f'<code>{esc(f.get("rule"))}</code> {esc(f.get("message"))}</li>')


def _summary(timeline: Timeline, t: Mapping[str, str]) -> str:
    lines = summary(timeline)
    if not lines:
        return ""
    return (f'<section id="summary"><h2>{esc(t["summary.head"])}</h2><ul>'
            + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul></section>")


def _containers(timeline: Timeline, t: Mapping[str, str]) -> str:
    views = containers(timeline, verbose=False)
    if not views:
        return ""
    parts = []
    for view in views:
        rows = []
        if view.own_env:
            rows.append((t["containers.own"], view.own_env))
        rows += [(t["containers.service"].format(name=name), env) for name, env in view.service_env]
        body = "".join(f"<dt>{esc(label)}</dt><dd>" + " ".join(f"<code>{esc(k)}={esc(v)}</code>" for k, v in env)
                       + "</dd>" for label, env in rows)
        body += f'<dt>{esc(t["containers.dns"])}</dt><dd>' + "<br>".join(f"<code>{esc(d)}</code>" for d in view.dns) + "</dd>"
        body += f'<dt>{esc(t["containers.search"])}</dt><dd><code>{esc(view.search)}</code></dd>'
        parts.append(f'<div class="container"><h3>{esc(view.title)}</h3><dl>{body}</dl></div>')
    return f'<section id="containers"><h2>{esc(t["containers.head"])}</h2>{"".join(parts)}</section>'


def _events(events: list[Event], t: Mapping[str, str]) -> str:
    head = "".join(f"<th>{esc(t['events.' + k])}</th>" for k in ("t", "component", "object", "what", "reason"))
    rows = "".join(
        f'<tr data-ev="{i}"><td>{esc(f"{e.t:g}")}</td><td>{esc(display_name(e.actor))}</td>'
        f'<td>{esc(e.object.get("kind", ""))} {esc(e.object.get("name", ""))}</td><td>{esc(e.message)}</td>'
        f'<td>{esc(e.reason)}</td></tr>' for i, e in enumerate(events))
    return (f'<section id="events"><details><summary>{esc(t["events.head"].format(count=len(events)))}</summary>'
            f'<div class="scroll"><table class="events"><tr>{head}</tr>{rows}</table></div></details></section>')


def _assumptions(timeline: Timeline, t: Mapping[str, str]) -> str:
    items = "".join(f"<li>{esc(a)}</li>" for a in timeline.assumptions)
    return (f'<section id="assumptions"><details><summary>{esc(t["assumptions.head"])}</summary>'
            f'<ul>{items}</ul></details></section>')
