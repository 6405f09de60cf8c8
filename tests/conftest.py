"""Shared helpers: the checkout's paths and the test corpus kept in the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CORPUS = TESTS / "corpus"          # real-world bundles and peers' fixtures (see corpus/README.md)
SCHEMAS = TESTS / "schemas"        # SARIF and JUnit schemas (see schemas/README.md)
