"""Assertion files of chainsaw and kuttl end-to-end tests are compared with the cluster,
never applied (k8slint.test_steps): not checked as objects, one info per test folder
(open-telemetry/opentelemetry-operator tests/e2e*: ~1,000 errors on partial objects)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config
from k8slint.test_steps import assertion_files

APPLIED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: app, image: "app:1.0"}]
"""
# what the operator should have made: only the fields the test expects
ASSERTED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers: [{name: app}]
"""
CHAINSAW = """\
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
spec:
  steps:
    - try:
        - apply: {file: install.yaml}
        - assert: {file: expected.yaml}
      catch:
        - error: {file: gone.yaml}
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))


def _errors(root: Path) -> list[tuple[str, str]]:
    result = check([str(root)], Config())
    return [(Path(f.file).name, f.rule) for f in result.findings if f.severity.name == "ERROR"]


def test_kuttl_assert_and_errors_files_are_not_objects(tmp_path: Path) -> None:
    _write(tmp_path / "e2e" / "smoke", {"00-install.yaml": APPLIED, "00-assert.yaml": ASSERTED,
                                        "01-errors.yaml": ASSERTED, "01-assert-second.yaml": ASSERTED})
    assert _errors(tmp_path) == []
    result = check([str(tmp_path)], Config())
    infos = [f for f in result.findings if f.rule == "not-kubernetes"]
    assert len(infos) == 1 and infos[0].message.startswith("3 file(s) of the end-to-end test")
    assert result.objects == 1


def test_chainsaw_names_its_assertions(tmp_path: Path) -> None:
    _write(tmp_path / "t", {"chainsaw-test.yaml": CHAINSAW, "install.yaml": APPLIED,
                            "expected.yaml": ASSERTED, "gone.yaml": ASSERTED})
    assert _errors(tmp_path) == []
    found = assertion_files([str(tmp_path / "t" / n) for n in
                             ("chainsaw-test.yaml", "install.yaml", "expected.yaml", "gone.yaml")])
    assert sorted(Path(f).name for f in found) == ["chainsaw-test.yaml", "expected.yaml", "gone.yaml"]


def test_a_lone_file_named_like_an_assertion_is_still_checked(tmp_path: Path) -> None:
    # no step files beside it and no chainsaw test: nothing says a test tool reads it
    _write(tmp_path / "deploy", {"01-assert.yaml": ASSERTED})
    assert ("01-assert.yaml", "workload-selector-mismatch") in _errors(tmp_path)


def test_kep_metadata_is_not_a_manifest(tmp_path: Path) -> None:
    # keps/NNNN-name/kep.yaml (kubernetes/enhancements' layout; kueue's three do not parse)
    _write(tmp_path / "keps" / "1432-checks", {"kep.yaml": "title: Checks\nreviewers:\n  - a\n bad: [\n"})
    result = check([str(tmp_path)], Config())
    assert [(f.rule, f.severity.name) for f in result.findings] == [("not-kubernetes", "INFO")]


def test_a_go_template_that_declares_variables_is_a_template(tmp_path: Path) -> None:
    # text/template variable declarations ({{$x := 100}}) in clusterloader2 configs (kueue
    # test/performance): rendered by the tool, never applied as written
    _write(tmp_path, {"test-config.yaml": """\
        {{$PODS_TOTAL_QUOTA := 100}}
        {{$podsPerGroup := DefaultParam .CL2_PODS_PER_GROUP 10}}
        name: podgroups
        namespace:
          number: 1
        """})
    result = check([str(tmp_path)], Config())
    assert [f.rule for f in result.findings] == ["helm-template"]
