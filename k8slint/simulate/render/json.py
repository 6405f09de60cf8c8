"""`k8slint explain --format json`: the Timeline contract (README), byte-stable."""

from __future__ import annotations

import json

from ..timeline import Timeline


def render_json(timeline: Timeline) -> str:
    return json.dumps(timeline.as_dict(), indent=2, ensure_ascii=False) + "\n"
