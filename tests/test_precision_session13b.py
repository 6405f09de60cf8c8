"""Precision on repositories no earlier round read (session 13, precision19): kpt,
seldon-core, calico, krane, tektoncd/catalog, testkube and others. Each test is a finding
that was not true of what gets applied, reduced to a small input copied from the repository
named beside it; docs/real-repositories.md lists them."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


# --- kpt function tests expected to fail ----------------------------------------------------

# GoogleContainerTools/kpt (Apache-2.0) e2e/testdata/fn-render/kubeval-failure: kpt's test
# runner renders the package and expects exit code 1 and kubeval's refusal
_KUBEVAL_FAILURE = {
    "fn-render/kubeval-failure/.expected/config.yaml": """\
        exitCode: 1
        stdErr: '[ERROR] selector is required in object "apps/v1/Deployment/nginx-deployment"'
        """,
    "fn-render/kubeval-failure/Kptfile": """\
        apiVersion: kpt.dev/v1
        kind: Kptfile
        metadata:
          name: app
        pipeline:
          validators:
            - image: gcr.io/kpt-fn/kubeval:v0.1
        """,
    "fn-render/kubeval-failure/resources.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-deployment
        spec:
          replicas: invalid
        """,
}


def test_package_of_a_kpt_test_expected_to_fail_is_not_checked(tmp_path: Path) -> None:
    _write(tmp_path, _KUBEVAL_FAILURE)
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found if f[0] == "resources.yaml"] == [("not-kubernetes", "INFO")]
    assert "kpt function test that expects kpt to fail" in found[-1][3]


def test_package_of_a_passing_kpt_test_stays_checked(tmp_path: Path) -> None:
    files = dict(_KUBEVAL_FAILURE)
    files["fn-render/kubeval-failure/.expected/config.yaml"] = "exitCode: 0\n"
    _write(tmp_path, files)
    assert "schema-violation" in [f[1] for f in _loud(tmp_path)]


def test_fn_config_and_subpackage_of_a_failing_eval_case(tmp_path: Path) -> None:
    # kpt e2e/testdata/fn-eval/fnconfig-missing-name: the case is pkg/, its function config
    # is named by fnConfig relative to .expected (../../config.yaml), outside the case
    _write(tmp_path, {
        "fnconfig-missing-name/pkg/.expected/config.yaml": """\
            testType: eval
            image: gcr.io/kpt-fn/set-namespace:v0.1
            fnConfig: ../../config.yaml
            exitCode: 1
            stdErr: "resource must have `metadata.name`"
            """,
        "fnconfig-missing-name/config.yaml": """\
            apiVersion: v1
            kind: ConfigMap
            data:
              namespace: staging
            """,
        "fnconfig-missing-name/pkg/db/resources.yaml": """\
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
            spec:
              replicas: 3
            """,
    })
    found = _findings(tmp_path)
    assert [f[1] for f in found] == ["not-kubernetes"]
    assert "2 file(s)" in found[0][3]


# --- kustomize with a custom openapi schema -------------------------------------------------

# SeldonIO/seldon-core (Apache-2.0) k8s/kustomize/helm-components-sc: crd-schema.json gives
# SeldonConfig's components a merge key, so the strategic-merge patch merges one component
# into the base's list and the JSON patch then replaces a field of the fifth
_SELDON_CONFIG = "apiVersion: mlops.seldon.io/v1alpha1\nkind: SeldonConfig\nmetadata: {name: default}\nspec:\n  components:\n"
_SELDON_OVERLAY = {
    "base/kustomization.yaml": "resources:\n- config.yaml\n",
    "base/config.yaml": _SELDON_CONFIG + "  - name: a\n  - name: b\n  - name: seldon-envoy\n",
    "overlay/crd-schema.json": "{}\n",
    "overlay/patch_envoy.yaml": _SELDON_CONFIG + "  - name: seldon-envoy\n    replicas: 1\n",
    "overlay/patch_envoy_json6902.yaml": """\
        - op: replace
          path: /spec/components/2/replicas
          value: 2
        """,
    "overlay/kustomization.yaml": """\
        resources:
        - ../base
        openapi:
          path: crd-schema.json
        patches:
        - path: patch_envoy.yaml
        - path: patch_envoy_json6902.yaml
          target:
            kind: SeldonConfig
            name: default
        """,
}


def test_patch_failure_under_a_custom_openapi_schema_is_not_decided(tmp_path: Path) -> None:
    _write(tmp_path, _SELDON_OVERLAY)
    assert [f for f in _loud(tmp_path) if f[1] == "kustomize-build"] == []
    undecided = [f for f in _findings(tmp_path) if f[1] == "kustomize-not-built" and "out of range" in f[3]]
    assert len(undecided) == 1 and "list index 2 is out of range" in undecided[0][3]


def test_patch_failure_without_openapi_stays_an_error(tmp_path: Path) -> None:
    files = dict(_SELDON_OVERLAY)
    files["overlay/kustomization.yaml"] = files["overlay/kustomization.yaml"].replace(
        "        openapi:\n          path: crd-schema.json\n", "")
    _write(tmp_path, files)
    assert [f[1] for f in _loud(tmp_path)].count("kustomize-build") == 1


# --- objects apart only by the namespace the apply gives --------------------------------------

# tektoncd/triggers (Apache-2.0) docs/getting-started/rbac/admin-role.yaml, applied with
# `kubectl -n getting-started apply -f` (docs/getting-started/README.md)
_TRIGGERS_RBAC = """\
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: tekton-triggers-example-sa
    {namespace}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: tekton-triggers-createwebhook, namespace: getting-started}
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: triggers-example-eventlistener-clusterbinding}
    subjects:
    - kind: ServiceAccount
      name: tekton-triggers-example-sa
      namespace: getting-started
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: tekton-triggers-eventlistener-clusterroles
    """


def test_subject_without_namespace_may_be_applied_into_the_bindings(tmp_path: Path) -> None:
    _write(tmp_path, {"rbac/admin-role.yaml": _TRIGGERS_RBAC.replace("{namespace}", "")})
    found = [f for f in _findings(tmp_path) if f[1] == "rolebinding-subject-missing"]
    assert [f[2] for f in found] == ["INFO"]
    assert "kubectl apply -n getting-started" in found[0][3]


def test_subject_in_another_named_namespace_stays_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, {"rbac/admin-role.yaml": _TRIGGERS_RBAC.replace("{namespace}", "  namespace: default")})
    assert [f[2] for f in _findings(tmp_path) if f[1] == "rolebinding-subject-missing"] == ["WARNING"]


# hashicorp/vault-k8s (MPL-2.0) deploy/: the Service names namespace vault, the Deployment none
_VAULT_DEPLOY = {
    "deploy/kustomization.yaml": "resources:\n- injector-deployment.yaml\n- injector-service.yaml\n",
    "deploy/injector-deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: vault-injector
        {namespace}
        spec:
          selector:
            matchLabels: {app.kubernetes.io/name: vault-injector}
          template:
            metadata:
              labels: {app.kubernetes.io/name: vault-injector}
            spec:
              containers:
                - name: sidecar-injector
                  image: hashicorp/vault-k8s:1.4.0
        """,
    "deploy/injector-service.yaml": """\
        apiVersion: v1
        kind: Service
        metadata:
          name: vault-agent-injector-svc
          namespace: vault
        spec:
          ports:
          - name: https
            port: 443
            targetPort: 8080
          selector:
            app.kubernetes.io/name: vault-injector
        """,
}


def _vault(tmp_path: Path, namespace: str) -> list[tuple[str, str, str, str]]:
    files = dict(_VAULT_DEPLOY)
    files["deploy/injector-deployment.yaml"] = files["deploy/injector-deployment.yaml"].replace("{namespace}", namespace)
    _write(tmp_path, files)
    return [f for f in _findings(tmp_path) if f[1] == "service-selects-nothing"]


def test_service_may_select_a_workload_applied_into_its_namespace(tmp_path: Path) -> None:
    found = _vault(tmp_path, "")
    assert [f[2] for f in found] == ["INFO"] and "kubectl apply -n vault" in found[0][3]


def test_service_and_workload_in_two_named_namespaces_stay_a_warning(tmp_path: Path) -> None:
    assert [f[2] for f in _vault(tmp_path, "  namespace: vault-system")] == ["WARNING"]


# --- objects named by generateName in messages ------------------------------------------------

# Shopify/krane (MIT) test/fixtures/generateName/pdb.yml and pod.yml
def test_pdb_message_names_generated_objects(tmp_path: Path) -> None:
    _write(tmp_path, {"generateName/pdb.yml": """\
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          generateName: test-
        spec:
          minAvailable: 1
          selector:
            matchLabels:
              type: pod-using-generate-name
        """, "generateName/pod.yml": """\
        apiVersion: v1
        kind: Pod
        metadata:
          generateName: pod-using-generate-name-
          labels:
            type: pod-using-generate-name
        spec:
          containers:
          - name: busybox-container
            image: busybox:1.36
        """})
    found = [f for f in _findings(tmp_path) if f[1] == "pdb-blocks-eviction"]
    assert len(found) == 1
    assert "PodDisruptionBudget test-<generated> requires" in found[0][3]
    assert "(Pod pod-using-generate-name-<generated>)" in found[0][3]


# --- a reference of a kind's fields ---------------------------------------------------------

# kubeshop/testkube (MIT) pkg/mcp/tools/schemas/workflow_schema.yaml, every field empty
def _skeleton(name: str) -> str:
    fields = "".join(f"      field{i}: \"\"\n" for i in range(16))
    return ("apiVersion: testworkflows.testkube.io/v1\n"
            "kind: TestWorkflow\n"
            f"metadata: {name}\n"
            "spec:\n"
            "  content:\n"
            "    git:\n"
            "      authType: \"\"\n"
            "      retry: {count: 0}\n"
            "      paths: []\n"
            "      cone: false\n"
            f"{fields}"
            "  steps:\n"
            "  - name: \"\"\n"
            "    use: []\n"
            "  after: []\n")


def test_a_kind_listed_with_empty_fields_is_not_an_object(tmp_path: Path) -> None:
    _write(tmp_path, {"schemas/workflow_schema.yaml": _skeleton("{}")})
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found] == [("not-kubernetes", "INFO")]
    assert "all empty" in found[0][3]


def test_a_named_object_with_empty_fields_stays_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"schemas/workflow_schema.yaml": _skeleton("{name: smoke}")})
    assert "not-kubernetes" not in [f[1] for f in _findings(tmp_path)]
