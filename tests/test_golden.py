"""Every report format of `check` and every explain format, compared byte for byte with
tests/golden/. An intended change of output is regenerated with `make golden` and
reviewed in the diff."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import update_golden  # noqa: E402

CASES = list(update_golden.cases())


@pytest.mark.parametrize("name, args", CASES, ids=[name for name, _ in CASES])
def test_output_matches_golden_file(name: str, args: list[str]) -> None:
    expected = (update_golden.GOLDEN / name).read_text(encoding="utf-8")
    assert update_golden.run(args) == expected, f"{name} changed: run `make golden` and review the diff"


def test_every_golden_file_is_produced_by_a_case() -> None:
    names = {name for name, _ in CASES}
    on_disk = {p.name for p in update_golden.GOLDEN.iterdir() if p.name != "README.md"}
    assert on_disk == names
