"""Session 12 (lead): findings not true of what gets applied, found reading
grafana/grafana-operator and openfaas/faas-netes (both Apache-2.0 / MIT; inputs reduced)."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write

_CRD = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: grafanas.grafana.integreatly.org}
    spec:
      group: grafana.integreatly.org
      names: {kind: Grafana, plural: grafanas, singular: grafana, listKind: GrafanaList}
      scope: Namespaced
      versions:
      - name: v1beta1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  version: {type: string}
                  disableDefaultAdminSecret: {type: boolean}
    """

# grafana-operator tests/e2e/example-test: chainsaw evaluates `(expression)` values (JMESPath
# with the test's bindings) before it applies the file; a binding (`($disable)`) is no call,
# which placeholders.find takes for one wherever it stands
_GRAFANA = """\
    apiVersion: grafana.integreatly.org/v1beta1
    kind: Grafana
    metadata: {name: grafana}
    spec:
      version: (env('GF_TEST_CONTAINER_VERSION'))
      disableDefaultAdminSecret: ($disable)
    """


def test_a_chainsaw_expression_is_evaluated_before_apply(tmp_path: Path) -> None:
    _write(tmp_path, {"config/crd/grafanas.yaml": _CRD,
                      "tests/e2e/example/chainsaw-test.yaml": """\
                          apiVersion: chainsaw.kyverno.io/v1alpha1
                          kind: Test
                          metadata: {name: example}
                          spec:
                            template: true
                            steps:
                            - try:
                              - apply: {file: 00-create-grafana.yaml}
                          """,
                      "tests/e2e/example/00-create-grafana.yaml": _GRAFANA})
    assert [f for f in _findings(tmp_path) if f[2] == "ERROR"] == []
    # the same value in a file no chainsaw test applies is a string where a boolean belongs
    _write(tmp_path, {"other/grafana.yaml": _GRAFANA})
    assert [(f[0], f[1]) for f in _findings(tmp_path) if f[2] == "ERROR"] == [("grafana.yaml", "schema-violation")]


def test_identical_copies_in_a_folder_are_an_info(tmp_path: Path) -> None:
    # openfaas/faas-netes artifacts/crds: crds.yaml joins the CRD files beside it, equal to them
    crd = """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: profiles.openfaas.com}
        spec:
          group: openfaas.com
          names: {kind: Profile, plural: profiles, singular: profile, listKind: ProfileList}
          scope: Namespaced
          versions:
          - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
        """
    _write(tmp_path, {"crds/crds.yaml": crd, "crds/openfaas.com_profiles.yaml": crd})
    assert [(f[0], f[1], f[2]) for f in _findings(tmp_path) if f[1] == "object-duplicate"] == [
        ("openfaas.com_profiles.yaml", "object-duplicate", "INFO")]
    # one copy edited: the later replaces the earlier, a warning
    _write(tmp_path, {"crds/openfaas.com_profiles.yaml": crd.replace("served: true", "served: false")})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[1] == "object-duplicate"] == [
        ("object-duplicate", "WARNING")]
