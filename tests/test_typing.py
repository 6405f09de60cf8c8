"""k8slint/ is `mypy --strict` clean (settings in pyproject.toml [tool.mypy]): a type error
anywhere fails the suite, as it would fail CI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_strict_is_clean():
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "k8slint"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout
