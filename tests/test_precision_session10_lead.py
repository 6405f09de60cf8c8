"""Precision on repositories no earlier round read (session 10, lead): Percona's operators.
Each test is a finding that was not true of what gets applied, reduced to a small input;
docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config

# What percona-xtradb-cluster-operator's e2e-tests/default-cr/compare/service_cluster1-haproxy.yml
# holds (shortened): the Service the operator makes, as `kubectl get -o yaml` returns it once
# compare_kubectl (e2e-tests/functions) has deleted uid, namespace and the like.
READ_BACK = """\
apiVersion: v1
kind: Service
metadata:
  name: cluster1-haproxy
  ownerReferences:
    - controller: true
      kind: PerconaXtraDBCluster
      name: cluster1
spec:
  ports:
    - {name: mysql, port: 3306, protocol: TCP, targetPort: 3306}
  selector: {app.kubernetes.io/instance: cluster1}
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))


def _findings(root: Path) -> list[tuple[str, str, str]]:
    result = check([str(root)], Config())
    return sorted((Path(f.file).name, f.rule, f.severity.name) for f in result.findings)


def test_expected_read_backs_of_shell_e2e_tests_are_not_applied(tmp_path: Path) -> None:
    # percona-xtradb-cluster-operator: 1240 errors (ownerReferences without uid and
    # apiVersion, containers without image) in e2e-tests/*/compare/*.yml
    _write(tmp_path / "e2e-tests" / "default-cr", {"run": "#!/bin/bash\ncompare_kubectl service/cluster1-haproxy\n"})
    _write(tmp_path / "e2e-tests" / "default-cr" / "compare", {
        "service_cluster1-haproxy.yml": READ_BACK,
        "service_cluster1-haproxy-k122.yml": READ_BACK,
    })
    findings = _findings(tmp_path)
    assert findings == [("service_cluster1-haproxy-k122.yml", "not-kubernetes", "INFO")]
    message, = [f.message for f in check([str(tmp_path)], Config()).findings]
    assert message.startswith("2 file(s) in ") and "expects `kubectl get -o yaml` to return" in message


def test_a_compare_folder_outside_the_tests_is_checked(tmp_path: Path) -> None:
    # only a folder of tests makes `compare` a folder of expected read-backs
    _write(tmp_path / "deploy" / "compare", {"service.yml": READ_BACK})
    rules = {rule for __, rule, severity in _findings(tmp_path) if severity == "ERROR"}
    assert "schema-violation" in rules
