"""Session 13 (lead): findings on real repositories that the merged rounds changed together."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check
from k8slint.config import Config
from tests.test_precision_session10b import _write

SERVICE_ACCOUNT = """\
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: operator
    """
BINDING = """\
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: operator
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    subjects:
    - kind: ServiceAccount
      name: operator
      namespace: myproject
    """


def test_an_apply_namespace_finding_on_identical_copies_is_one(tmp_path: Path) -> None:
    # strimzi-kafka-operator: install/cluster-operator/ and its copy under documentation/ hold
    # a ServiceAccount without a namespace and bindings to it in `myproject` (the install
    # guide sets the namespace with sed, then applies with -n). The info that names the
    # `kubectl apply -n myproject` names no file, so the copies' findings stay one.
    _write(tmp_path, {"install/010-sa.yaml": SERVICE_ACCOUNT, "install/020-rb.yaml": BINDING,
                      "documentation/install/010-sa.yaml": SERVICE_ACCOUNT,
                      "documentation/install/020-rb.yaml": BINDING})
    result = check([str(tmp_path)], Config())
    found = [f for f in result.findings if f.rule == "rolebinding-subject-missing"]
    assert len(found) == 1, [f.message for f in found]
    assert found[0].severity.name == "INFO"
    assert "unless the unit is applied with `kubectl apply -n myproject`, which puts ServiceAccount operator " \
           "and what sets no namespace of its own in one namespace (the same for the identical " \
           "RoleBinding/operator at " in found[0].message


def test_a_custom_schema_of_a_shared_base_holds_in_every_build_that_reuses_it(tmp_path: Path) -> None:
    # precision19's seldon-core case, with `openapi:` in a folder two overlays build. A folder
    # two builds read is built once per process and its accumulation reused (k8slint.kustomize
    # .build Builder.nested), which does not carry Builder.custom_schema; it holds because a
    # folder whose build says anything (here the openapi not-built info) is never reused, and
    # both overlays must still see the schema, at --jobs 1 and 2
    from tests.test_precision_session13b import _SELDON_OVERLAY

    files = {name: text for name, text in _SELDON_OVERLAY.items() if not name.startswith("overlay/")}
    files["mid/crd-schema.json"] = _SELDON_OVERLAY["overlay/crd-schema.json"]
    files["mid/patch_envoy.yaml"] = _SELDON_OVERLAY["overlay/patch_envoy.yaml"]
    files["mid/kustomization.yaml"] = "resources:\n- ../base\nopenapi:\n  path: crd-schema.json\npatches:\n- path: patch_envoy.yaml\n"
    for overlay in ("a", "b"):
        files[f"{overlay}/patch_envoy_json6902.yaml"] = _SELDON_OVERLAY["overlay/patch_envoy_json6902.yaml"]
        files[f"{overlay}/kustomization.yaml"] = ("resources:\n- ../mid\npatches:\n- path: patch_envoy_json6902.yaml\n"
                                                  "  target:\n    kind: SeldonConfig\n    name: default\n")
    _write(tmp_path, files)
    for jobs in (1, 2):
        result = check([str(tmp_path)], Config(jobs=jobs))
        assert [f for f in result.findings if f.rule == "kustomize-build"] == [], jobs
        undecided = [f for f in result.findings if f.rule == "kustomize-not-built" and "out of range" in f.message]
        assert sorted(Path(f.file).parent.name for f in undecided) == ["a", "b"], jobs
