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


CLUSTER_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: perconapgclusters.pgv2.percona.com}
spec:
  group: pgv2.percona.com
  names: {kind: PerconaPGCluster, plural: perconapgclusters, singular: perconapgcluster, listKind: PerconaPGClusterList}
  scope: Namespaced
  versions:
    - name: v2
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [instances, postgresVersion]
              properties:
                postgresVersion: {type: integer}
                instances: {type: array, items: {type: object}}
                extensions: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


def test_a_later_kuttl_step_merges_into_the_object_an_earlier_step_made(tmp_path: Path) -> None:
    # percona-postgresql-operator e2e-tests/tests/custom-extensions: 01-create-cluster.yaml
    # makes the cluster, 02-install-pg_stat_kcache.yaml holds only spec.extensions; kuttl
    # merges it into the existing object (41 errors "spec lacks 2 required fields")
    test = tmp_path / "e2e-tests" / "tests" / "custom-extensions"
    _write(tmp_path / "deploy", {"crd.yaml": CLUSTER_CRD})
    _write(test, {
        "01-create-cluster.yaml": """\
            apiVersion: pgv2.percona.com/v2
            kind: PerconaPGCluster
            metadata: {name: custom-extensions}
            spec: {postgresVersion: 17, instances: [{name: instance1}]}
            """,
        "02-install-pg_stat_kcache.yaml": """\
            apiVersion: pgv2.percona.com/v2
            kind: PerconaPGCluster
            metadata: {name: custom-extensions}
            spec:
              extensions: {custom: [{name: pg_stat_kcache, version: 2.3.1}]}
              postgresVersion: "17"
            """,
    })
    errors = [(name, rule) for name, rule, severity in _findings(tmp_path) if severity == "ERROR"]
    # the missing fields are the existing object's; a wrong type is still wrong after the merge
    assert errors == [("02-install-pg_stat_kcache.yaml", "schema-violation")]
    message, = [f.message for f in check([str(tmp_path)], Config()).findings
                if f.rule == "schema-violation"]
    assert "postgresVersion" in message and "integer" in message


def test_the_first_step_that_makes_an_object_needs_every_required_field(tmp_path: Path) -> None:
    test = tmp_path / "e2e-tests" / "tests" / "t"
    _write(tmp_path / "deploy", {"crd.yaml": CLUSTER_CRD})
    _write(test, {"01-create-cluster.yaml": """\
        apiVersion: pgv2.percona.com/v2
        kind: PerconaPGCluster
        metadata: {name: c}
        spec: {extensions: {}}
        """})
    assert ("01-create-cluster.yaml", "schema-violation", "ERROR") in _findings(tmp_path)


def test_a_later_kuttl_step_may_update_what_an_earlier_steps_commands_applied(tmp_path: Path) -> None:
    # percona-postgresql-operator custom-extensions: 01-create-cluster.yaml is a TestStep
    # whose script pipes the rendered cluster into `kubectl apply -f -`
    test = tmp_path / "e2e-tests" / "tests" / "custom-extensions"
    _write(tmp_path / "deploy", {"crd.yaml": CLUSTER_CRD})
    _write(test, {
        "01-create-cluster.yaml": """\
            apiVersion: kuttl.dev/v1beta1
            kind: TestStep
            commands:
              - script: |-
                  source ../../functions
                  get_cr | kubectl -n "${NAMESPACE}" apply -f -
            """,
        "02-install-pg_stat_kcache.yaml": """\
            apiVersion: pgv2.percona.com/v2
            kind: PerconaPGCluster
            metadata: {name: custom-extensions}
            spec:
              extensions: {custom: [{name: pg_stat_kcache, version: 2.3.1}]}
            """,
    })
    assert [f for f in _findings(tmp_path) if f[2] == "ERROR"] == []
    # a step whose earlier steps only wait or check applies its object whole
    (test / "01-create-cluster.yaml").write_text(textwrap.dedent("""\
        apiVersion: kuttl.dev/v1beta1
        kind: TestStep
        commands:
          - script: kubectl get pods
        """))
    from k8slint import test_steps
    test_steps._applying_steps.cache_clear()
    assert ("02-install-pg_stat_kcache.yaml", "schema-violation", "ERROR") in _findings(tmp_path)
