"""`k8slint explain --format markdown`: for pull-request comments (GitHub renders the mermaid)."""

from __future__ import annotations

from typing import Any

from ..simulate.timeline import PHASES


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _t(value: Any) -> str:
    return "-" if value is None else f"{value:g} s"


def render_explain_markdown(timeline: Any) -> str:
    from .explain_mermaid import render_explain_mermaid

    data = timeline.as_dict()
    lines = [f"### k8slint explain: {data['scenario']}", ""]
    if data["problems"]:
        lines.append("**Problems**")
        lines.append("")
        lines += [f"- `{p['object']}`: {_cell(p['message'])}" for p in data["problems"]]
        lines.append("")
    if data["scenario"] == "apply":
        lines += ["```mermaid", render_explain_mermaid(timeline).rstrip("\n"), "```", ""]
    if data["services"]:
        lines += ["| Service | ClusterIP | DNS | endpoints |", "|---|---|---|---|"]
        for s in data["services"]:
            lines.append(f"| {s['namespace']}/{s['name']} | {s['cluster_ip'] or 'None (headless)'} | "
                         f"{'<br>'.join(s['dns'])} | {', '.join(s['endpoints']) or 'none'} |")
        lines.append("")
    for roll in data["rollouts"]:
        lines += [f"**Rollout {roll['object']}** ({roll['strategy']}, replicas {roll['replicas']}, "
                  f"maxSurge {roll['max_surge']}, maxUnavailable {roll['max_unavailable']})", "",
                  "| t | old | new | available | step |", "|---|---|---|---|---|"]
        lines += [f"| {_t(s['t'])} | {s['old']} | {s['new']} | {s['available']} | {_cell(s['note'])} |"
                  for s in roll["steps"]]
        lines.append("")
    if data["terminations"]:
        lines += ["| pod | preStop | SIGTERM | SIGKILL | in-flight requests |", "|---|---|---|---|---|"]
        lines += [f"| {t['pod']} | {_t(t['prestop_started_at'])} | {_t(t['sigterm_at'])} | "
                  f"{_t(t['sigkill_at'])} | {_cell(t['note'])} |" for t in data["terminations"]]
        lines.append("")
    lines += ["<details><summary>Timeline</summary>", ""]
    for phase in PHASES:
        rows = [e for e in data["events"] if e["phase"] == phase]
        if not rows:
            continue
        lines += [f"**{phase.capitalize()}**", "", "| t | actor | object | what happens |", "|---|---|---|---|"]
        lines += [f"| {_t(e['t'])} | {e['actor']} | {e['object']['kind']}/{e['object']['name']} | "
                  f"{_cell(e['message'])} |" for e in rows]
        lines.append("")
    lines += ["</details>", "", "<details><summary>Assumptions</summary>", ""]
    lines += [f"- {_cell(a)}" for a in data["assumptions"]]
    lines += ["", "</details>", ""]
    return "\n".join(lines)
