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
