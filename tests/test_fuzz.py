"""The fuzz harnesses (fuzz/harness.py) under atheris for a few seconds each: what CI runs
of `make fuzz`. Skipped, with the reason, where atheris is not installed (pip install -e
'.[fuzz]'). The crashes they ever found are replayed in tests/test_robustness.py."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

SECONDS = 5          # per harness: three harnesses stay well under CI's 60 s for fuzzing


@pytest.mark.parametrize("target", ["loader", "check", "fix"])
def test_fuzz_harness_runs_clean(target: str, tmp_path) -> None:
    pytest.importorskip("atheris", reason="atheris not installed (the fuzz extra)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in ("fixtures/demo/web.yaml", "fixtures/everyday/shop.yaml"):
        (corpus / seed.replace("/", "_")).write_bytes((ROOT / seed).read_bytes()[:1024])
    process = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--target", target, f"-max_total_time={SECONDS}",
         "-max_len=1024", f"-artifact_prefix={tmp_path}/crash-", str(corpus)],
        capture_output=True, text=True, timeout=SECONDS + 60)
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert process.returncode == 0 and not crashes, process.stderr[-3000:]
    assert " DONE " in process.stderr or "Done " in process.stderr
