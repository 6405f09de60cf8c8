"""Session 12 (lead): findings not true of what gets applied, found reading
openfaas/faas-netes (MIT; input reduced)."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write


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


def test_three_identical_copies_are_an_info_too(tmp_path: Path) -> None:
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {level: info}\n"
    _write(tmp_path, {"conf/a.yaml": cm, "conf/b.yaml": cm, "conf/c.yaml": cm})
    found = [f for f in _findings(tmp_path) if f[1] == "object-duplicate"]
    assert [(f[0], f[2]) for f in found] == [("c.yaml", "INFO")]
    assert "the copies are identical" in found[0][3]
    _write(tmp_path, {"conf/c.yaml": cm.replace("info", "debug")})
    assert [(f[0], f[2]) for f in _findings(tmp_path) if f[1] == "object-duplicate"] == [("c.yaml", "WARNING")]
