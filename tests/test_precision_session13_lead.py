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
