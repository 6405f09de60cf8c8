"""Writes k8slint/rules_index.json, the metadata of every rule of rules/*.yaml (see
k8slint.rules.INDEX); `make docs` runs it, tests/test_rule_index.py checks it is current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from k8slint.rules import INDEX, rule_index  # noqa: E402


def render() -> str:
    return json.dumps(rule_index(ROOT / "rules"), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    INDEX.write_text(render(), encoding="utf-8")
    print(f"wrote {INDEX.relative_to(ROOT)}")
