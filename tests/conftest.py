"""Shared helpers: the checkout's paths, the test corpus kept in the repository, the
`lint` fixture, a ConfigMap with a YAML trap, and a guard that fails any test during which
a rule crashed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from k8slint import engine
from k8slint.api import check_text
from k8slint.config import Config
from k8slint.k8s.versions import parse_version
from k8slint.model import Finding

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CORPUS = TESTS / "corpus"          # real-world bundles and peers' fixtures (see corpus/README.md)
SCHEMAS = TESTS / "schemas"        # SARIF and JUnit schemas (see schemas/README.md)

# A ConfigMap whose label `version: 1.10` YAML reads as the number 1.1 (yaml-string-trap
# at line 6, column 14): the smallest manifest with a finding. Tests append `data:` etc.
TRAP_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    version: 1.10
"""


def lint(text: str, *rules: str, version: str | None = None, name: str = "-",
         **settings: object) -> list[Finding]:
    """The findings of `text` with only `rules` (every default rule when none), at a
    Kubernetes version ("1.30"), with other Config fields as keywords."""
    config = Config(only=list(rules) if rules else None, **settings)  # type: ignore[arg-type]
    if version is not None:
        config.kubernetes_version = parse_version(version)
    return check_text(text, config, name=name).findings


@pytest.fixture(name="lint")
def lint_fixture() -> Callable[..., list[Finding]]:
    """lint(text, *rules, version=None, **config): see `lint` above."""
    return lint


@pytest.fixture
def trap_configmap() -> str:
    return TRAP_CONFIGMAP


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rule_crash_expected: the test makes a rule crash on purpose")


@pytest.fixture(autouse=True)
def no_rule_crashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test when a rule crashed in any run during it. The engine's guard turns a
    crash into an info finding ("internal error in rule ..."), which a test that counts only
    errors and warnings would pass."""
    if request.node.get_closest_marker("rule_crash_expected"):
        yield
        return
    crashed: list[Finding] = []
    real = engine.run

    def run(*args: object, **kwargs: object) -> list[Finding]:
        findings = real(*args, **kwargs)  # type: ignore[arg-type]
        crashed.extend(f for f in findings if f.message.startswith(engine.CRASH_PREFIX))
        return findings

    monkeypatch.setattr(engine, "run", run)
    yield
    assert not crashed, "a rule crashed: " + "; ".join(f"{f.rule}: {f.message}" for f in crashed)
