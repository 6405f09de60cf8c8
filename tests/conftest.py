"""Shared helpers: the checkout's paths, the test corpus kept in the repository, the
`lint` fixture, small manifests (a ConfigMap with a YAML trap, pod, service, workload), and
a guard that fails any test during which a rule crashed."""

from __future__ import annotations

import textwrap
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


def _block(text: str, indent: int) -> str:
    """YAML lines (any common indentation) re-indented to `indent` spaces, newline-ended."""
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * indent) + "\n"


def pod(spec: str, *, name: str = "web", labels: str = "") -> str:
    """A Pod manifest: `spec` is its spec's YAML (e.g. "containers: [...]")."""
    meta = f"{{name: {name}, labels: {{{labels}}}}}" if labels else f"{{name: {name}}}"
    return f"apiVersion: v1\nkind: Pod\nmetadata: {meta}\nspec:\n" + _block(spec, 2)


def service(name: str = "web", *, app: str | None = None, port: int = 80) -> str:
    """A Service selecting app: <app> (default: its name) on one port."""
    return (f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\n"
            f"spec: {{selector: {{app: {app or name}}}, ports: [{{port: {port}}}]}}\n")


def workload(pod_spec: str = "containers: [{name: web, image: nginx:1.27}]", *, name: str = "web",
             kind: str = "Deployment", namespace: str | None = None, spec: str = "",
             labels: str = "") -> str:
    """An apps/v1 workload (Deployment by default) whose selector and pod labels are
    app: <name> (plus `labels`); `pod_spec` is the pod's spec, `spec` more lines of its own
    spec (before the selector)."""
    meta = f"{{name: {name}, namespace: {namespace}}}" if namespace else f"{{name: {name}}}"
    pod_labels = f"{{app: {name}{', ' + labels if labels else ''}}}"
    return (f"apiVersion: apps/v1\nkind: {kind}\nmetadata: {meta}\nspec:\n"
            + (_block(spec, 2) if spec.strip() else "")
            + f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
            f"    metadata: {{labels: {pod_labels}}}\n    spec:\n" + _block(pod_spec, 6))


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


@pytest.fixture
def korean() -> Iterator[None]:
    """Korean output for the test (k8slint.i18n), English again after it."""
    from k8slint.i18n import language, set_language

    before = language()
    set_language("ko")
    try:
        yield
    finally:
        set_language(before)
