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


SNAPSHOT_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: volumesnapshots.snapshot.storage.k8s.io}
spec:
  group: snapshot.storage.k8s.io
  names: {kind: VolumeSnapshot, plural: volumesnapshots, singular: volumesnapshot, listKind: VolumeSnapshotList}
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
              type: object
              required: [source]
              properties:
                source:
                  type: object
                  properties:
                    persistentVolumeClaimName: {type: string}
                    volumeSnapshotContentName: {type: string}
                  x-kubernetes-validations:
                    - rule: "has(self.persistentVolumeClaimName) != has(self.volumeSnapshotContentName)"
                      message: exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set
"""

BOTH_SOURCES = """\
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: {name: snap}
spec:
  source: {persistentVolumeClaimName: pvc, volumeSnapshotContentName: content}
"""


def _errors(root: Path) -> list[tuple[str, str]]:
    return [(name, rule) for name, rule, severity in _findings(root) if severity == "ERROR"]


def test_a_manifest_with_an_err_file_beside_it_is_a_negative_test_case(tmp_path: Path) -> None:
    # kubernetes-csi/external-snapshotter client/hack/cel-tests: run-cel-tests.sh applies
    # vs-source-multiple.yaml with --dry-run=server and greps the refusal for the .err text
    _write(tmp_path / "client" / "config", {"crd.yaml": SNAPSHOT_CRD})
    cases = tmp_path / "client" / "hack" / "cel-tests" / "volumesnapshot"
    _write(cases, {"vs-source-multiple.yaml": BOTH_SOURCES, "vs-source-pvc.yaml": BOTH_SOURCES})
    (cases / "vs-source-multiple.yaml.err").write_text("exactly one of volumeSnapshotContentName\n")
    # the case without a .err file is expected to be accepted: its refusal is a finding
    assert _errors(tmp_path) == [("vs-source-pvc.yaml", "crd-validation-rule")]
    infos = [f.message for f in check([str(tmp_path)], Config()).findings if f.rule == "not-kubernetes"]
    assert any("are negative test cases" in m and "vs-source-multiple.yaml" in m for m in infos)


def test_examples_whose_path_says_invalid_are_not_meant_to_be_applied(tmp_path: Path) -> None:
    # external-snapshotter examples/kubernetes/invalid-snapshot-v1.yaml; gateway-api
    # hack/invalid-examples/; istio pkg/config/validation/testdata/crds/*-invalid.yaml
    _write(tmp_path / "client" / "config", {"crd.yaml": SNAPSHOT_CRD})
    _write(tmp_path / "examples" / "kubernetes", {"invalid-snapshot-v1.yaml": BOTH_SOURCES})
    _write(tmp_path / "hack" / "invalid-examples" / "v1", {"snapshot.yaml": BOTH_SOURCES})
    _write(tmp_path / "testdata" / "crds", {"snapshot-invalid.yaml": BOTH_SOURCES})
    assert _errors(tmp_path) == []
    infos = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "not-kubernetes"]
    assert len(infos) == 3 and all("are examples of invalid input" in f.message for f in infos)


def test_invalid_in_a_name_outside_examples_and_tests_is_no_reason(tmp_path: Path) -> None:
    # a deployed manifest may have the word in its name (a cache-invalidation job)
    _write(tmp_path / "client" / "config", {"crd.yaml": SNAPSHOT_CRD})
    _write(tmp_path / "deploy", {"invalid-snapshot.yaml": BOTH_SOURCES,
                                 "invalidation.yaml": BOTH_SOURCES.replace("name: snap", "name: other")})
    assert sorted(_errors(tmp_path)) == [("invalid-snapshot.yaml", "crd-validation-rule"),
                                         ("invalidation.yaml", "crd-validation-rule")]


def test_a_resource_a_helm_post_renderer_writes_before_building_is_not_a_build_failure(tmp_path: Path) -> None:
    # apache/flink-kubernetes-operator examples/kustomize/sidecar: `render` is Helm's
    # post-renderer with kustomize (https://helm.sh/docs/topics/advanced/#post-rendering)
    folder = tmp_path / "examples" / "kustomize" / "sidecar"
    _write(folder, {
        "kustomization.yaml": """\
            resources:
              - template.yaml
            patches:
              - path: patch.yaml
                target: {kind: Deployment, name: ".*"}
            """,
        "patch.yaml": "- op: add\n  path: /metadata/labels/x\n  value: y\n",
        "render": '#!/bin/bash\nBASEDIR=$(dirname "$0")\ncat <&0 > $BASEDIR/template.yaml\n'
                  'kustomize build $BASEDIR && rm $BASEDIR/template.yaml\n',
    })
    findings = check([str(tmp_path)], Config()).findings
    assert [f for f in findings if f.severity.name == "ERROR"] == []
    said = [f.message for f in findings if f.rule == "kustomize-not-built" and "writes it before" in f.message]
    assert len(said) == 1 and "render:3 writes it before it runs kustomize build" in said[0]
    # without the script, the missing resource fails the build
    (folder / "render").unlink()
    errors = [f.rule for f in check([str(tmp_path)], Config()).findings if f.severity.name == "ERROR"]
    assert errors == ["kustomize-build"]


def test_a_file_named_on_the_command_line_is_checked_whatever_its_name_says(tmp_path: Path) -> None:
    # gateway-api's invalid examples are refused when asked for by name (tests/test_cel_gateway.py)
    _write(tmp_path / "client" / "config", {"crd.yaml": SNAPSHOT_CRD})
    _write(tmp_path / "examples", {"invalid-snapshot.yaml": BOTH_SOURCES})
    files = [str(tmp_path / "client" / "config" / "crd.yaml"), str(tmp_path / "examples" / "invalid-snapshot.yaml")]
    rules = [f.rule for f in check(files, Config()).findings if f.severity.name == "ERROR"]
    assert rules == ["crd-validation-rule"]
