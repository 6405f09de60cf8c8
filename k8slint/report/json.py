"""The JSON contract (version 1), documented in the README."""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..model import Finding

CONTRACT_VERSION = 1


def render_json(findings: Sequence[Finding], summary: dict[str, int], **_: Any) -> str:
    payload = {"version": CONTRACT_VERSION, "findings": [f.as_dict() for f in findings],
               "summary": summary}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
