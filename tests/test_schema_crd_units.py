"""Which CustomResourceDefinition judges a custom resource when the input holds several
for its kind (argo-workflows keeps minimal CRDs, which keep unknown fields, beside its full
ones): the one of the resource's own apply unit, else only what every one of them refuses."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check
from k8slint.config import Config


def _crd(strict: bool) -> str:
    spec = ("type: object\n              properties:\n                size: {type: integer}"
            if strict else "type: object\n              x-kubernetes-preserve-unknown-fields: true")
    return f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.example.com}}
spec:
  group: example.com
  names: {{kind: Widget, plural: widgets}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              {spec}
"""


WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big, colour: red}\n"


def _violations(tmp_path: Path, units: dict[str, str], widget_unit: str) -> list[str]:
    for folder, text in units.items():
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "crd.yaml").write_text(text)
    (tmp_path / widget_unit).mkdir(exist_ok=True)
    (tmp_path / widget_unit / "widget.yaml").write_text(WIDGET)
    result = check([str(tmp_path)], Config(only=["schema-violation"]))
    return sorted(f.message for f in result.findings)


def test_the_crd_of_the_resources_own_unit_judges_it(tmp_path):
    found = _violations(tmp_path, {"full": _crd(True), "minimal": _crd(False)}, "full")
    assert found == ['spec.colour: unknown field "colour"', "spec.size: expected integer, got string \"big\""]


def test_the_own_units_permissive_crd_accepts_it(tmp_path):
    assert _violations(tmp_path, {"full": _crd(True), "minimal": _crd(False)}, "minimal") == []


def test_crds_of_other_units_report_only_what_all_of_them_refuse(tmp_path):
    assert _violations(tmp_path, {"full": _crd(True), "minimal": _crd(False)}, "app") == []


def test_crds_of_other_units_that_agree_judge_it(tmp_path):
    found = _violations(tmp_path, {"one": _crd(True), "two": _crd(True)}, "app")
    # An unknown field is a warning that names the CRD: the cluster may have a newer version
    # of a CRD applied apart from the object (tests/test_precision_session7.py).
    assert found[0].startswith('spec.colour: unknown field "colour": the CustomResourceDefinition at ')
    assert "(another apply unit) does not know it" in found[0]
    assert found[1:] == ["spec.size: expected integer, got string \"big\""]


def _served(*versions: str) -> str:
    entries = "".join(f"""
    - name: {v}
      served: true
      storage: {str(i == 0).lower()}
      schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}"""
                      for i, v in enumerate(versions))
    return f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.example.com}}
spec:
  group: example.com
  names: {{kind: Widget, plural: widgets}}
  scope: Namespaced
  versions:{entries}
"""


def _unknown(tmp_path: Path, units: dict[str, str], widget_unit: str) -> list[str]:
    for folder, text in units.items():
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "crd.yaml").write_text(text)
    (tmp_path / widget_unit).mkdir(exist_ok=True)
    (tmp_path / widget_unit / "widget.yaml").write_text(WIDGET.replace("example.com/v1", "example.com/v2"))
    result = check([str(tmp_path)], Config(only=["api-version-unknown"]))
    return [f.message for f in result.findings]


def test_a_version_that_an_old_bundles_crd_lacks_is_served_by_todays(tmp_path):
    # kserve keeps install/v0.16.0 (v1alpha1 only) beside config/crd (v1alpha1 and
    # v1alpha2): a sample in a third folder may be applied with either; today's serves it
    units = {"config": _served("v1", "v2"), "install-old": _served("v1")}
    assert _unknown(tmp_path, units, "samples") == []


def test_the_own_units_crd_decides_the_served_versions(tmp_path):
    units = {"config": _served("v1", "v2"), "install-old": _served("v1")}
    assert _unknown(tmp_path, units, "install-old") == [
        "example.com/v2 Widget is not served by CustomResourceDefinition widgets.example.com "
        "(served: example.com/v1)"]


def test_no_crd_of_the_input_serves_it(tmp_path):
    assert len(_unknown(tmp_path, {"config": _served("v1"), "old": _served("v1")}, "samples")) == 1
