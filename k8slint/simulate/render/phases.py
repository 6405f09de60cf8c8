"""`k8slint explain --group-by phase`: a table per phase (admission, controllers, ...), the
tree of objects, Services, terminations, rollouts, problems and assumptions."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING, Any

from ...i18n import _
from ..timeline import JSON, PHASES, Timeline
from .walk import PHASE_NAMES, check_lines, problems, scenario_name

if TYPE_CHECKING:
    from rich.console import Console


def _t(value: Any) -> str:
    if value is None:
        return "-"
    return _("{seconds}s").format(seconds=f"{value:g}") if isinstance(value, (int, float)) else str(value)


def render_phases(timeline: Timeline, color: bool = False, width: int = 80) -> str:
    from rich.console import Console

    out = StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False)
    data = timeline.as_dict()
    console.print(_("[bold]k8slint explain[/bold]: scenario {scenario}").format(scenario=scenario_name(data["scenario"])))
    _phase_tables(console, data)
    _objects(console, data)
    _services(console, data)
    _terminations(console, data)
    _rollouts(console, data)
    _scale(console, data)
    _problems(console, timeline)
    console.print("[bold]" + _("Assumptions") + "[/bold]")
    for text in data["assumptions"]:
        console.print(f"  - {text}")
    return out.getvalue()


def _phase_tables(console: Console, data: JSON) -> None:
    from rich.table import Table

    for phase in PHASES:
        rows = [e for e in data["events"] if e["phase"] == phase]
        if not rows:
            continue
        table = Table(title=_(PHASE_NAMES[phase]), title_justify="left", show_lines=False, expand=True)
        table.add_column("t", justify="right", no_wrap=True)
        table.add_column(_("actor"), no_wrap=True)
        table.add_column(_("object"), no_wrap=True)
        table.add_column(_("what happens"), ratio=1)
        for e in rows:
            obj = e["object"]
            table.add_row(_t(e["t"]), e["actor"], f"{obj['kind']}/{obj['name']}", e["message"])
        console.print(table)


def _objects(console: Console, data: JSON) -> None:
    from rich.tree import Tree

    if data["objects"] and data["scenario"] == "apply":
        tree = Tree("[bold]" + _("Objects") + "[/bold]")
        for entry in data["objects"]:
            _branch(tree, entry)
        console.print(tree)


def _services(console: Console, data: JSON) -> None:
    from rich.table import Table

    if data["services"]:
        table = Table(title="Services", title_justify="left", expand=True)
        for col in (_("service"), "ClusterIP", "DNS", _("endpoints")):
            table.add_column(col)
        for s in data["services"]:
            table.add_row(f"{s['namespace']}/{s['name']} ({s['type']})", s["cluster_ip"] or _("None (headless)"),
                          "\n".join(s["dns"]), ", ".join(s["endpoints"]) or _("none"))
        console.print(table)


def _terminations(console: Console, data: JSON) -> None:
    from rich.table import Table

    if data["terminations"]:
        table = Table(title=_("Terminations"), title_justify="left", expand=True)
        for col in (_("pod"), _("endpoint out"), "preStop", "SIGTERM", "SIGKILL", _("in-flight requests")):
            table.add_column(col)
        for term in data["terminations"]:
            table.add_row(term["pod"], _t(term["endpoint_removed_at"]), _t(term["prestop_started_at"]),
                          _t(term["sigterm_at"]), _t(term["sigkill_at"]), term["note"])
        console.print(table)


def _rollouts(console: Console, data: JSON) -> None:
    from rich.table import Table

    for roll in data["rollouts"]:
        if roll["max_surge"] is not None:
            title = _("Rollout {object} ({strategy}, replicas {replicas}, maxSurge {surge}, "
                      "maxUnavailable {unavailable})").format(
                object=roll["object"], strategy=roll["strategy"], replicas=roll["replicas"],
                surge=roll["max_surge"], unavailable=roll["max_unavailable"])
        else:
            title = _("Rollout {object} ({strategy}, replicas {replicas})").format(
                object=roll["object"], strategy=roll["strategy"], replicas=roll["replicas"])
        table = Table(title=title, title_justify="left", expand=True)
        for col in ("t", _("old"), _("new"), _("available"), _("step")):
            table.add_column(col)
        for step in roll["steps"]:
            table.add_row(_t(step["t"]), str(step["old"]), str(step["new"]), str(step["available"]), step["note"])
        console.print(table)


def _scale(console: Console, data: JSON) -> None:
    for entry in data["scale"]:
        console.print(_("[bold]Scale[/bold] {object}: {old} -> {new}; added: {added}; removed (in order): "
                        "{removed}").format(object=entry["object"], old=entry["from"], new=entry["to"],
                                            added=", ".join(entry["added"]) or _("none"),
                                            removed=", ".join(entry["removed"]) or _("none")))


def _problems(console: Console, timeline: Timeline) -> None:
    found = problems(timeline)
    if found:
        console.print("[bold red]" + _("Problems") + "[/bold red]")
        for line in found:
            console.print(f"  - {line}")
    for line in check_lines(timeline):
        console.print(line)


def _branch(tree: Any, entry: JSON) -> None:
    label = f"{entry['kind']}/{entry['name']}"
    if entry["kind"] == "Pod" and "node_name" in entry:
        if entry.get("pending"):
            label += " Pending"
        else:
            label += _(" on {node}, Ready at {time}").format(node=entry["node_name"], time=_t(entry.get("ready_at")))
    node = tree.add(label)
    for child in entry.get("children", []):
        _branch(node, child)
