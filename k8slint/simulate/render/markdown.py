"""`k8slint explain --format markdown`: the walk-through for pull-request comments and docs
(GitHub renders the mermaid picture). `group_by="phase"` keeps a table per phase."""

from __future__ import annotations

from typing import Any

from ...i18n import _
from ..timeline import PHASES, Timeline
from .mermaid import render_mermaid
from .walk import PHASE_NAMES, ContainerView, Step, build


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _header(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _t(value: Any) -> str:
    return "-" if value is None else _("{seconds} s").format(seconds=f"{value:g}")


def render_markdown(timeline: Timeline, verbose: bool = False, group_by: str = "time") -> str:
    walk = build(timeline, verbose)
    lines = [f"### {walk.title}", ""]
    lines += [f"- {_cell(s)}" for s in walk.summary] + [""]
    if walk.problems:
        lines += ["**" + _("Problems") + "**", ""] + [f"- {_cell(p)}" for p in walk.problems] + [""]
    lines += [_cell(walk.check[0]), ""] + [f"- `{_cell(c)}`" for c in walk.check[1:]]
    if len(walk.check) > 1:
        lines.append("")
    if timeline.scenario == "apply":
        lines += ["```mermaid", render_mermaid(timeline).rstrip("\n"), "```", ""]
    lines += _phases(timeline) if group_by == "phase" else _steps(walk.steps)
    lines += _containers(walk.containers)
    lines += _scenario_tables(timeline)
    lines += ["<details><summary>" + _("Assumptions") + "</summary>", ""]
    lines += [f"- {_cell(a)}" for a in walk.assumptions]
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _steps(steps: list[Step]) -> list[str]:
    lines = ["**" + _("Timeline") + "**", "", _header("t", _("who"), _("what happens")), "|---|---|---|"]
    for step in steps:
        lines.append(f"| {_t(step.t)} | {_cell(step.who)} | {_cell(step.text)} |")
        if step.role:
            lines.append(f"| | | *{_cell(step.who)}: {_cell(step.role)}* |")
    return lines + [""]


def _phases(timeline: Timeline) -> list[str]:
    data = timeline.as_dict()
    lines = ["<details><summary>" + _("Timeline") + "</summary>", ""]
    for phase in PHASES:
        rows = [e for e in data["events"] if e["phase"] == phase]
        if not rows:
            continue
        lines += [f"**{_(PHASE_NAMES[phase])}**", "",
                  _header("t", _("actor"), _("object"), _("what happens")), "|---|---|---|---|"]
        lines += [f"| {_t(e['t'])} | {e['actor']} | {e['object']['kind']}/{e['object']['name']} | "
                  f"{_cell(e['message'])} |" for e in rows]
        lines.append("")
    return lines + ["</details>", ""]


def _containers(views: list[ContainerView]) -> list[str]:
    if not views:
        return []
    lines = ["**" + _("Containers: environment and DNS") + "**", ""]
    for view in views:
        lines.append(f"- {_cell(view.title)}")
        if view.own_env:
            lines.append("  - " + _("env (own): {variables}").format(
                variables=", ".join(f"`{k}={_cell(v)}`" for k, v in view.own_env)))
        for service, variables in view.service_env:
            lines.append("  - " + _("env (Service {service}): {variables}").format(
                service=service, variables=", ".join(f"`{k}={v}`" for k, v in variables)))
        lines += [f"  - DNS: `{_cell(name)}`" for name in view.dns]
        lines.append("  - " + _("DNS search path: {search}").format(search=f"`{view.search}`"))
    return lines + [""]


def _scenario_tables(timeline: Timeline) -> list[str]:
    lines: list[str] = []
    for roll in timeline.rollouts:
        lines += [_("**Rollout {object}** ({strategy}, replicas {replicas}, maxSurge {surge}, "
                    "maxUnavailable {unavailable})").format(object=roll.object, strategy=roll.strategy,
                                                            replicas=roll.replicas, surge=roll.max_surge,
                                                            unavailable=roll.max_unavailable), "",
                  _header("t", _("old"), _("new"), _("available"), _("step")), "|---|---|---|---|---|"]
        lines += [f"| {_t(s.t)} | {s.old} | {s.new} | {s.available} | {_cell(s.note)} |" for s in roll.steps]
        lines.append("")
    if timeline.terminations:
        lines += [_header(_("pod"), "preStop", "SIGTERM", "SIGKILL", _("gone"), _("in-flight requests")),
                  "|---|---|---|---|---|---|"]
        lines += [f"| {t.pod} | {_t(t.prestop_started_at)} | {_t(t.sigterm_at)} | {_t(t.sigkill_at)} | "
                  f"{_t(t.gone_at)} | {_cell(t.note)} |" for t in timeline.terminations]
        lines.append("")
    for entry in timeline.scale:
        lines += [_("**Scale {object}**: {old} -> {new}; added: {added}; removed: {removed}").format(
            object=entry["object"], old=entry["from"], new=entry["to"],
            added=", ".join(entry["added"]) or _("none"), removed=", ".join(entry["removed"]) or _("none")), ""]
    if timeline.disruptions:
        lines += [_header("t", _("pod"), _("budget"), _("allowed"), _("why")), "|---|---|---|---|---|"]
        yes, no = _("yes"), _("no")
        lines += [f"| {_t(d['t'])} | {d['pod']} | {d['pdb']} | {yes if d['allowed'] else no} | "
                  f"{_cell(d.get('why', ''))} |" for d in timeline.disruptions]
        lines.append("")
    if timeline.cron_runs:
        lines += [_header(_("scheduled"), _("job"), _("start"), _("end"), _("outcome")),
                  "|---|---|---|---|---|"]
        lines += [f"| {r['scheduled']} | {r['job']} | {_t(r['start'])} | {_t(r['end'])} | {r['outcome']} |"
                  for r in timeline.cron_runs]
        lines.append("")
    return lines
