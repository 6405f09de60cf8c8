"""Precision on storage drivers, device plugins and data operators no earlier round read
(session 13, precision18): solr-operator, k8ssandra-operator, scylla-operator,
mariadb-operator and others. Each test is a finding that was not true of what gets applied,
reduced to a small input copied from the repository named beside it;
docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8slint.api import check_text
from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


def _repository(root: Path, files: dict[str, str]) -> None:
    """A checkout: `.git` at the top, as a CI clone has."""
    (root / ".git").mkdir()
    _write(root, files)


# --- a kustomization file made before building -------------------------------------------------

# apache/solr-operator (Apache-2.0): config/default lists ../manager, whose kustomization.yaml
# the Makefile's prepare-deploy-kustomize copies from kustomization_base.yaml before
# `kubectl apply -k config/default`; .gitignore names the copy.
_SOLR = {
    ".gitignore": """\
        # Remove the kustomize file for the manager, as it contains local information
        config/manager/kustomization.yaml
        """,
    "config/default/kustomization.yaml": """\
        namespace: solr-operator
        bases:
        - ../manager
        """,
    "config/manager/kustomization_base.yaml": """\
        generatorOptions:
          disableNameSuffixHash: true
        """,
    "config/manager/manager.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: solr-operator-config
        data:
          a: b
        """,
}


def _one_not_built(root: Path) -> str:
    """The message of the one kustomize-not-built info, when nothing louder is found."""
    assert _loud(root) == []
    info = [f[3] for f in _findings(root) if f[1] == "kustomize-not-built"]
    assert len(info) == 1
    return info[0]


# --- the ClusterServiceVersion base that operator-sdk writes -----------------------------------

# k8ssandra/k8ssandra-operator (Apache-2.0): config/manifests/kustomization.yaml lists
# bases/k8ssandra-operator.clusterserviceversion.yaml, which the Makefile's `bundle` target
# writes with `operator-sdk generate kustomize manifests` before `kustomize build
# config/manifests`.
_OLM = {
    "Makefile": """\
        bundle: manifests kustomize
        \t$(OPSDK) generate kustomize manifests -q
        \t$(KUSTOMIZE) build config/manifests | $(OPSDK) generate bundle $(BUNDLE_GEN_FLAGS)
        """,
    "config/manifests/kustomization.yaml": """\
        resources:
        - bases/k8ssandra-operator.clusterserviceversion.yaml
        - ../samples
        """,
    "config/samples/kustomization.yaml": """\
        resources:
        - sample.yaml
        """,
    "config/samples/sample.yaml": _SOLR["config/manager/manager.yaml"],
}


@pytest.mark.parametrize("files, said", [
    (_SOLR, "config/manager/kustomization.yaml is not in the repository"),
    (_OLM, "operator-sdk generate kustomize manifests"),
], ids=["gitignored-kustomization", "operator-sdk-csv-base"])
def test_a_file_made_before_building_is_an_info(tmp_path: Path, files: dict[str, str], said: str) -> None:
    _repository(tmp_path, files)
    assert said in _one_not_built(tmp_path)


@pytest.mark.parametrize("files, name, text", [
    (_SOLR, ".gitignore", "bin/\n"),
    (_OLM, "Makefile", "bundle:\n\t$(KUSTOMIZE) build config/manifests\n"),
], ids=["not-gitignored", "no-generator"])
def test_without_its_maker_a_missing_file_stays_an_error(tmp_path: Path, files: dict[str, str], name: str,
                                                         text: str) -> None:
    _repository(tmp_path, {**files, name: text})
    assert [(f[1], f[2]) for f in _loud(tmp_path)] == [("kustomize-build", "ERROR")]


# --- a nameless object in a patches folder ---------------------------------------------------

# scylladb/scylla-operator (Apache-2.0) bundle/patches/manifests/logo.clusterserviceversion.yaml,
# which the Makefile's patch-bundle merges into the generated ClusterServiceVersion with
# `yq -i -e '. *= (load("$f") | ...)'`
_CSV_PATCH = """\
    # This file is populated automatically. DO NOT EDIT THE VALUES MANUALLY!
    apiVersion: operators.coreos.com/v1alpha1
    kind: ClusterServiceVersion
    spec:
      icon:
        - base64data: PHN2Zz4=
          mediatype: 'image/svg+xml'
    """


def test_a_nameless_object_in_a_patches_folder_is_a_patch(tmp_path: Path) -> None:
    _write(tmp_path, {"bundle/patches/manifests/logo.clusterserviceversion.yaml": _CSV_PATCH})
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found] == [("not-kubernetes", "INFO")]
    assert "a patch that a tool merges into another manifest" in found[0][3]


def test_a_nameless_object_elsewhere_stays_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {"bundle/manifests/logo.clusterserviceversion.yaml": _CSV_PATCH})
    assert ("object-name", "ERROR") in [(f[1], f[2]) for f in _findings(tmp_path)]


def test_a_named_object_in_a_patches_folder_stays_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"deploy/patches/pod.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: Web
        spec:
          containers:
          - name: web
            image: nginx:1.27
        """})
    assert ("object-name", "ERROR") in [(f[1], f[2]) for f in _findings(tmp_path)]


# --- a kustomization's namespace on an object a patch made cluster-scoped ------------------------

# k8ssandra/k8ssandra-operator (Apache-2.0): config/default sets `namespace: k8ssandra-operator`;
# the cluster-scope component turns Role k8ssandra-operator into a ClusterRole with a JSON patch
# of /kind, so the built ClusterRole keeps the namespace (the API server clears it).
_CLUSTER_SCOPE = {
    "base/kustomization.yaml": """\
        namespace: k8ssandra-operator
        resources:
        - role.yaml
        """,
    "base/role.yaml": """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: k8ssandra-operator
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          verbs: [get]
        """,
    "overlay/kustomization.yaml": """\
        resources:
        - ../base
        patches:
        - target:
            group: rbac.authorization.k8s.io
            version: v1
            kind: Role
            name: k8ssandra-operator
          patch: |-
            - op: replace
              path: /kind
              value: ClusterRole
        """,
}


def test_a_kustomization_namespace_left_on_a_cluster_kind_is_an_info(tmp_path: Path) -> None:
    _write(tmp_path, _CLUSTER_SCOPE)
    found = [f for f in _findings(tmp_path) if f[1] == "namespace-on-cluster-kind"]
    assert [(f[0], f[2]) for f in found] == [("kustomization.yaml", "INFO")]
    assert "that this kustomization sets on every object" in found[0][3]


def test_a_namespace_written_on_a_cluster_kind_stays_a_warning(tmp_path: Path) -> None:
    files = dict(_CLUSTER_SCOPE)
    files["base/kustomization.yaml"] = "resources:\n- role.yaml\n"
    files["base/role.yaml"] = files["base/role.yaml"].replace(
        "name: k8ssandra-operator\n", "name: k8ssandra-operator\n          namespace: k8ssandra-operator\n")
    _write(tmp_path, files)
    found = [f for f in _findings(tmp_path) if f[1] == "namespace-on-cluster-kind"]
    assert [(f[0], f[2]) for f in found] == [("role.yaml", "WARNING")]


# --- a Secret a Makefile creates with kubectl --------------------------------------------------

# mariadb-operator/mariadb-operator (MIT): hack/manifests/azurite/deployment.yaml mounts Secret
# azurite-certs, which make/azure.mk (included by the Makefile) creates with
# `$(KUBECTL) create secret generic azurite-certs --from-file=cert.pem --from-file=key.pem`.
_AZURITE = {
    "Makefile": "include make/azure.mk\n",
    "make/azure.mk": """\
        install-azurite:
        \t$(KUBECTL) kustomize ./hack/manifests/azurite/ | $(KUBECTL) apply -f -
        \t@if ! $(KUBECTL) get secret azurite-certs >/dev/null 2>&1; then \\
        \t\t\t$(KUBECTL) create secret generic azurite-certs --from-file=cert.pem --from-file=key.pem; \\
        \tfi
        """,
    "hack/manifests/azurite/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: azurite
        spec:
          selector:
            matchLabels: {app: azurite}
          template:
            metadata:
              labels: {app: azurite}
            spec:
              volumes:
                - name: azurite-certs
                  secret:
                    secretName: azurite-certs
              containers:
                - name: azurite
                  image: mcr.microsoft.com/azure-storage/azurite:3.34.0
                  volumeMounts:
                    - name: azurite-certs
                      mountPath: /etc/ssl
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: azurite-key
        stringData:
          key: value
        """,
}


def test_a_secret_that_a_makefile_creates_with_kubectl_is_an_info(tmp_path: Path) -> None:
    _repository(tmp_path, _AZURITE)
    found = [f for f in _findings(tmp_path) if f[1] == "secret-ref-missing"]
    assert [f[2] for f in found] == ["INFO"]
    assert "make/azure.mk:4 creates Secret azurite-certs with kubectl" in found[0][3]


def test_a_secret_no_script_creates_stays_a_warning(tmp_path: Path) -> None:
    files = dict(_AZURITE)
    files["make/azure.mk"] = "install-azurite:\n\tkubectl apply -k ./hack/manifests/azurite/\n"
    _repository(tmp_path, files)
    found = [f for f in _findings(tmp_path) if f[1] == "secret-ref-missing"]
    assert [f[2] for f in found] == ["WARNING"]


# --- a manifest that Go code fills with fmt.Sprintf ---------------------------------------------

# topolvm/topolvm (Apache-2.0) test/e2e/testdata/cloning/clone-pvc-template.yaml, which
# test/e2e/clone_test.go embeds (`//go:embed`) and fills with fmt.Sprintf
_CLONE_PVC = """\
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: %s
    spec:
      storageClassName: topolvm-provisioner-thin
      dataSourceRef:
        name: %s
        kind: PersistentVolumeClaim
      accessModes:
       - ReadWriteOnce
      resources:
        requests:
          storage: %d
    """
_CLONE_TEST = """\
    package e2e

    import _ "embed"

    var (
    \t//go:embed manifests/cloning/clone-pvc-template.yaml
    \tthinPVCCloneTemplateYAML string
    )
    """


def test_a_manifest_a_go_file_embeds_with_printf_verbs_is_a_template(tmp_path: Path) -> None:
    _repository(tmp_path, {"e2e/manifests/cloning/clone-pvc-template.yaml": _CLONE_PVC,
                           "e2e/clone_test.go": _CLONE_TEST})
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found] == [("helm-template", "INFO")]
    assert "e2e/clone_test.go:6" in found[0][3]


def test_a_quoted_printf_verb_below_testdata_is_a_template(tmp_path: Path) -> None:
    # topolvm test/e2e/testdata/empty_storageclass/manifest.yaml: `namespace: "%s"`
    _repository(tmp_path, {"test/testdata/manifest.yaml": """\
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: test-empty-storageclass
          namespace: "%s"
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path)] == [("helm-template", "INFO")]


def test_printf_verbs_nothing_reads_stay_a_yaml_error(tmp_path: Path) -> None:
    _repository(tmp_path, {"deploy/clone-pvc.yaml": _CLONE_PVC})
    assert ("yaml-syntax", "ERROR") in [(f[1], f[2]) for f in _findings(tmp_path)]


def test_text_that_is_no_file_reads_no_script_around_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # fuzz (check target): text checked by a name that is no file read the Makefile of the
    # working folder; neither the kubectl lines nor a go:embed are read for such text
    _repository(tmp_path, {"Makefile": _AZURITE["make/azure.mk"], "clone_test.go": _CLONE_TEST.replace(
        "manifests/cloning/clone-pvc-template.yaml", "fuzz.yaml")})
    monkeypatch.chdir(tmp_path)
    manifest = _AZURITE["hack/manifests/azurite/deployment.yaml"]
    found = check_text(textwrap.dedent(manifest), name="fuzz.yaml").findings
    assert [f.severity.name for f in found if f.rule == "secret-ref-missing"] == ["WARNING"]
    found = check_text(textwrap.dedent(_CLONE_PVC), name="fuzz.yaml").findings
    assert "yaml-syntax" in [f.rule for f in found]


# --- a CRD the target version cannot create beside one it can -------------------------------------

# k8ssandra/cass-operator (Apache-2.0): tests/testdata/cass-operator-1.7.1-manifests.yaml, the
# 1.7.1 release bundle for the upgrade test, holds an apiextensions.k8s.io/v1beta1 CRD whose
# `serverVersion` allows 3.11, 4.0 and 6.8 only and that has no `config`; the test objects
# beside it are written for today's CRD in config/crd/bases (63 schema-violation errors).
_CRD_HEAD = """\
    kind: CustomResourceDefinition
    metadata:
      name: cassandradatacenters.cassandra.datastax.com
    spec:
      group: cassandra.datastax.com
      names: {kind: CassandraDatacenter, plural: cassandradatacenters, singular: cassandradatacenter}
      scope: Namespaced
"""
_OLD_CRD = "    apiVersion: apiextensions.k8s.io/v1beta1\n" + _CRD_HEAD + """\
      version: v1beta1
      validation:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                serverVersion: {type: string, pattern: '(6\\.8\\.\\d+)|(3\\.11\\.\\d+)|(4\\.0\\.\\d+)'}
    """
_NEW_CRD = "    apiVersion: apiextensions.k8s.io/v1\n" + _CRD_HEAD + """\
      versions:
      - name: v1beta1
        served: true
        storage: true
        schema:
          openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {
            serverVersion: {type: string}, config: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}}
    """
_DATACENTER = """\
    apiVersion: cassandra.datastax.com/v1beta1
    kind: CassandraDatacenter
    metadata:
      name: dc1
    spec:
      serverVersion: "5.0.6"
      config:
        jvm-server-options: {initial_heap_size: 512M}
    """


def test_a_removed_crd_version_does_not_judge_beside_a_current_crd(tmp_path: Path) -> None:
    _write(tmp_path, {"tests/testdata/cass-operator-1.7.1-manifests.yaml": _OLD_CRD,
                      "tests/testdata/dc.yaml": _DATACENTER,
                      "config/crd/bases/cassandra.datastax.com_cassandradatacenters.yaml": _NEW_CRD})
    assert [f for f in _loud(tmp_path) if f[1] == "schema-violation"] == []
    assert [(f[0], f[1]) for f in _loud(tmp_path)] == [("cass-operator-1.7.1-manifests.yaml", "api-version-removed")]


def test_a_removed_crd_version_alone_still_judges(tmp_path: Path) -> None:
    _write(tmp_path, {"tests/testdata/cass-operator-1.7.1-manifests.yaml": _OLD_CRD,
                      "tests/testdata/dc.yaml": _DATACENTER})
    assert "schema-violation" in [f[1] for f in _loud(tmp_path)]


def test_cass_operator_image_config_is_a_tool_file(tmp_path: Path) -> None:
    # k8ssandra/cass-operator (Apache-2.0) tests/testdata/image_config_parsing_v2.yaml
    _write(tmp_path, {"image_config.yaml": """\
        apiVersion: config.k8ssandra.io/v1beta2
        kind: ImageConfig
        metadata:
          name: image-config
        images:
          cassandra:
            repository: "k8ssandra/cass-management-api"
        """})
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found] == [("not-kubernetes", "INFO")]
    assert "cass-operator image configuration" in found[0][3]
