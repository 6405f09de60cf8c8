"""kustomize's own tests and documented examples (tests/kustomize/upstream, Apache-2.0):
the native build gives the output kustomize gives, object for object and in order."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from k8slint.kustomize import RULE_UNMATCHED, build

ROOT = Path(__file__).parent / "kustomize" / "upstream"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "case.yaml").is_file())


def test_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_upstream_case(case: str) -> None:
    meta = yaml.safe_load((ROOT / case / "case.yaml").read_text())
    result = build(str(ROOT / case / "input" / meta["build"]), reorder=meta["order"])
    problems = [f"{h.rule} {h.line}: {h.message}" for h in result.hits if h.rule != RULE_UNMATCHED]
    assert problems == []
    expected = [d for d in yaml.safe_load_all((ROOT / case / "expected.yaml").read_text()) if d is not None]
    assert [r.data for r in result.resources] == expected
