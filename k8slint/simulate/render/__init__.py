"""Renderers of a Timeline: human (walk-through or per-phase tables), markdown, mermaid, json,
html (a self-contained page).

They only read the Timeline (k8slint/simulate/timeline.py); walk.py holds the
format-independent walk-through (summary, collapsed steps, containers) both human and
markdown lay out."""

from __future__ import annotations

from ..timeline import Timeline

FORMATS = ("human", "json", "markdown", "mermaid", "html")
GROUPINGS = ("time", "phase")


def render(fmt: str, timeline: Timeline, *, width: int = 80, color: bool = False, verbose: bool = False,
           group_by: str = "time", lang: str = "en") -> str:
    if fmt == "json":
        from .json import render_json
        return render_json(timeline)
    if fmt == "markdown":
        from .markdown import render_markdown
        return render_markdown(timeline, verbose=verbose, group_by=group_by)
    if fmt == "html":
        from .html import render_html
        return render_html(timeline, lang=lang)
    if fmt == "mermaid":
        from .mermaid import render_mermaid
        return render_mermaid(timeline)
    if group_by == "phase":
        from .phases import render_phases
        return render_phases(timeline, color=color, width=width)
    from .human import render_human
    return render_human(timeline, width=width, color=color, verbose=verbose)
