"""`k8slint explain --format json`: the Timeline contract of issue 7, byte-stable."""

from __future__ import annotations

import json
from typing import Any


def render_explain_json(timeline: Any) -> str:
    return json.dumps(timeline.as_dict(), indent=2, ensure_ascii=False) + "\n"
