"""Precision on repositories no earlier round read (session 8, second helper): argo-events,
gatekeeper-library, postgres-operator, kubevirt and others. Each test is a finding that was
not true of what gets applied (or had the wrong severity), reduced to a small input;
docs/real-repositories.md lists them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from k8slint.api import check
from k8slint.config import Config


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))


def _findings(root: Path, config: Config | None = None) -> list[tuple[str, str, str, str]]:
    result = check([str(root)], config or Config())
    return [(Path(f.file).name, f.rule, f.severity.name, f.message) for f in result.findings]


def _errors(root: Path) -> list[tuple[str, str]]:
    return [(name, rule) for name, rule, severity, __ in _findings(root) if severity == "ERROR"]


# --- schema-violation: fields only the OpenAPI schema requires ---------------------------------

SYSCTL_WITHOUT_VALUE = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: app, namespace: default}
    spec:
      selector: {matchLabels: {app: app}}
      template:
        metadata: {labels: {app: app}}
        spec:
          securityContext:
            sysctls:
              - name: kernel.shm_rmid_forced
          containers: [{name: c, image: "nginx:1.27"}]
    """


def test_sysctl_without_value_is_not_a_rejection(tmp_path: Path) -> None:
    # kyverno's conformance tests set sysctls by name only. The Go type Sysctl has
    # `Value string json:"value"` (no omitempty), so the OpenAPI schema lists value as
    # required, but the API server validates pods with pkg/apis/core/validation/validation.go
    # validateSysctls, which requires only the name (Required on s.Name, nothing on Value).
    _write(tmp_path, {"app.yaml": SYSCTL_WITHOUT_VALUE})
    found = [f for f in _findings(tmp_path) if f[1] == "schema-violation"]
    assert [(f[2], f[3].split(":")[0]) for f in found] == [("WARNING", "spec.template.spec.securityContext.sysctls[0]")]
    assert "the API server accepts it" in found[0][3]


def test_sysctl_without_name_is_still_an_error(tmp_path: Path) -> None:
    # validateSysctls: `if len(s.Name) == 0 { field.Required(...name) }`.
    _write(tmp_path, {"app.yaml": SYSCTL_WITHOUT_VALUE.replace("- name: kernel.shm_rmid_forced", '- value: "1"')})
    assert _errors(tmp_path) == [("app.yaml", "schema-violation")]


def test_pss_names_a_nameless_sysctl_as_empty(tmp_path: Path) -> None:
    # pod-security-admission policy/check_sysctls.go compares sysctl.Name with the safe set:
    # a missing name is "", not Python's None.
    _write(tmp_path, {"app.yaml": SYSCTL_WITHOUT_VALUE.replace("- name: kernel.shm_rmid_forced", '- value: "1"')})
    found = [f[3] for f in _findings(tmp_path) if f[1] == "pod-security-baseline"]
    assert found and all("None" not in m and '""' in m for m in found), found


# --- files of test tools that are never applied (k8slint.test_steps) ------------------------

POD_WITHOUT_CONTAINERS = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: nginx-disallowed}
    spec:
      ephemeralContainers: [{name: debug, image: "busybox:1.36"}]
    """


def test_gator_suite_objects_are_not_applied(tmp_path: Path) -> None:
    # gatekeeper-library library/*/suite.yaml: `gator verify` evaluates the template and
    # constraint offline against each case's `object` and `inventory` (gatekeeper
    # pkg/gator/verify Case.Object, Case.Inventory). disallowed_ephemeral.yaml has no
    # containers and update.yaml is an AdmissionReview: neither is ever applied.
    _write(tmp_path / "policy", {
        "suite.yaml": """\
            kind: Suite
            apiVersion: test.gatekeeper.sh/v1alpha1
            metadata: {name: privileged}
            tests:
            - name: privileged
              template: template.yaml
              constraint: samples/privileged/constraint.yaml
              cases:
              - {name: ephemeral, object: samples/privileged/disallowed_ephemeral.yaml}
              - name: update
                object: samples/privileged/update.yaml
                inventory: [samples/privileged/inventory.yaml]
            """,
    })
    _write(tmp_path / "policy" / "samples" / "privileged", {
        "disallowed_ephemeral.yaml": POD_WITHOUT_CONTAINERS,
        "update.yaml": """\
            apiVersion: admission.k8s.io/v1
            kind: AdmissionReview
            request:
              operation: UPDATE
              object: {apiVersion: v1, kind: Pod}
            """,
        "inventory.yaml": POD_WITHOUT_CONTAINERS.replace("nginx-disallowed", "Bad_Name"),
        "constraint.yaml": """\
            apiVersion: constraints.gatekeeper.sh/v1beta1
            kind: K8sPSPPrivilegedContainer
            metadata: {name: Psp-Privileged}
            """,
    })
    found = _findings(tmp_path)
    assert _errors(tmp_path) == [("constraint.yaml", "object-name")]   # the constraint is still checked
    skipped = [m for name, rule, __, m in found if rule == "not-kubernetes" and "objects of a gator test" in m]
    assert len(skipped) == 1 and "3 file(s)" in skipped[0], found


def test_a_suite_yaml_of_another_tool_names_nothing(tmp_path: Path) -> None:
    # Only a Suite of test.gatekeeper.sh names gator inputs; another file called suite.yaml
    # (here a plain ConfigMap) leaves the folder's objects checked.
    _write(tmp_path, {
        "suite.yaml": """\
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: suite}
            data: {object: pod.yaml}
            """,
        "pod.yaml": POD_WITHOUT_CONTAINERS,
    })
    assert ("pod.yaml", "schema-violation") in _errors(tmp_path)


def test_admission_review_is_not_an_object(tmp_path: Path) -> None:
    # k8s.io/api admission/v1 AdmissionReview is the body of a webhook call; the API server
    # serves no admission.k8s.io resource, so it is test data, not an object without a name.
    _write(tmp_path, {"review.yaml": """\
        apiVersion: admission.k8s.io/v1
        kind: AdmissionReview
        request: {uid: "1", operation: DELETE}
        """})
    found = _findings(tmp_path)
    assert [(rule, sev) for __, rule, sev, __m in found] == [("not-kubernetes", "INFO")], found
    assert "admission webhook call" in found[0][3]


# --- label-syntax: a custom resource's selector belongs to its controller --------------------

def test_kwok_stage_selector_keys_are_jq_expressions(tmp_path: Path) -> None:
    # kubevirt tests/performance/manifests/kwok/stage: kwok's Stage selects objects with jq
    # expressions (kwok pkg/apis/v1alpha1 stage_types.go SelectorRequirement.Key); the API
    # server validates a custom resource against its CRD schema only, never as labels.
    _write(tmp_path, {"stage.yaml": """\
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: vmi-ready, labels: {"bad key": x}}
        spec:
          resourceRef: {apiGroup: kubevirt.io/v1, kind: VirtualMachineInstance}
          selector:
            matchExpressions:
              - {key: .metadata.deletionTimestamp, operator: DoesNotExist}
              - {key: .status.phase, operator: In, values: [Scheduled]}
        """})
    found = [m for __, rule, __s, m in _findings(tmp_path) if rule == "label-syntax"]
    # metadata.labels are validated for every object (ValidateObjectMeta): still reported
    assert len(found) == 1 and "bad key" in found[0], found


FUZZED_VM = """\
    {"kind": "VirtualMachine", "apiVersion": "kubevirt.io/v1",
     "metadata": {"name": "nameValue", "namespace": "namespaceValue"},
     "spec": {"runStrategy": "runStrategyValue"}}
    """


def test_api_roundtrip_fixtures_are_not_applied(tmp_path: Path) -> None:
    # kubevirt staging/src/kubevirt.io/api/apitesting/testdata: the round-trip compatibility
    # test (k8s.io/apimachinery pkg/api/apitesting/roundtrip compatibility.go) fills every
    # field (`nameValue`) and keeps HEAD/<group>.<version>.<Kind>.json plus earlier releases'
    # files beside HEAD; they are decoded by the test, never applied.
    testdata = tmp_path / "apitesting" / "testdata"
    _write(testdata / "HEAD", {"kubevirt.io.v1.VirtualMachine.json": FUZZED_VM,
                               "apps.v1.Deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
                                                         "metadata: {name: nameValue}\n"})
    _write(testdata / "release-1.8", {"kubevirt.io.v1.VirtualMachine.after_roundtrip.json": FUZZED_VM})
    found = _findings(tmp_path)
    assert _errors(tmp_path) == [], found
    skipped = [m for __, rule, __s, m in found if rule == "not-kubernetes" and "round-trip" in m]
    assert len(skipped) == 2, found


def test_a_head_folder_without_roundtrip_names_is_checked(tmp_path: Path) -> None:
    # Only files named <group>.<version>.<Kind> in HEAD and its siblings are fixtures.
    _write(tmp_path / "deploy" / "HEAD", {"app.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
                                                      "metadata: {name: nameValue}\n"})
    assert ("app.yaml", "object-name") in _errors(tmp_path)


def test_go_vendor_tree_is_not_applied(tmp_path: Path) -> None:
    # kubevirt vendor/github.com/openshift/api: `go mod vendor` copies dependencies with
    # their files (https://go.dev/ref/mod#vendoring); their apiextensions/v1beta1 CRDs are
    # openshift's, never applied by kubevirt. One info for the whole tree.
    crd = "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata: {name: x.y.io}\n"
    _write(tmp_path / "vendor" / "github.com" / "openshift" / "api" / "config", {"a.crd.yaml": crd})
    _write(tmp_path / "vendor" / "github.com" / "openshift" / "api" / "operator", {"b.crd.yaml": crd})
    (tmp_path / "vendor" / "modules.txt").write_text("# github.com/openshift/api v0.0.0\n")
    found = _findings(tmp_path)
    assert _errors(tmp_path) == [], found
    vendor = [m for __, rule, __s, m in found if rule == "not-kubernetes" and "go mod vendor" in m]
    assert len(vendor) == 1 and vendor[0].startswith("2 file(s)"), found


def test_a_vendor_folder_without_modules_txt_is_checked(tmp_path: Path) -> None:
    # Without Go's vendor/modules.txt a folder called vendor is an ordinary folder.
    _write(tmp_path / "vendor", {"crd.yaml": "apiVersion: apiextensions.k8s.io/v1beta1\n"
                                             "kind: CustomResourceDefinition\nmetadata: {name: x.y.io}\n"})
    assert ("crd.yaml", "api-version-removed") in _errors(tmp_path)


# --- service-selects-nothing: labels a controller adds at run time ---------------------------

MINIO_OPERATOR = """\
    apiVersion: v1
    kind: Service
    metadata: {name: operator, namespace: minio-operator}
    spec:
      selector: {name: minio-operator, operator: leader}
      ports: [{port: 4221, name: http}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: minio-operator, namespace: minio-operator}
    spec:
      selector: {matchLabels: {name: minio-operator}}
      template:
        metadata: {labels: {name: minio-operator}}
        spec:
          serviceAccountName: minio-operator
          containers: [{name: operator, image: "minio/operator:v7.1.1"}]
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: minio-operator-role}
    rules:
      - {apiGroups: [""], resources: [pods, services], verbs: [get, list, watch, VERB]}
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: minio-operator-binding}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: minio-operator-role}
    subjects: [{kind: ServiceAccount, name: minio-operator, namespace: minio-operator}]
    """


def _service_selects_nothing(tmp_path: Path, verb: str) -> list[str]:
    _write(tmp_path, {"operator.yaml": MINIO_OPERATOR.replace("VERB", verb)})
    return [severity for __, rule, severity, __m in _findings(tmp_path) if rule == "service-selects-nothing"]


def test_leader_label_added_by_the_operator_is_an_info(tmp_path: Path) -> None:
    # minio/operator resources/base/service.yaml selects `operator: leader`, which the
    # operator puts on its own pod when it wins the leader election
    # (pkg/controller/main-controller.go: "I am the leader, applying leader labels on
    # myself"); its ClusterRole allows update and patch on pods.
    assert _service_selects_nothing(tmp_path, "patch") == ["INFO"]


def test_missing_label_without_pod_update_right_stays_a_warning(tmp_path: Path) -> None:
    assert _service_selects_nothing(tmp_path, "delete") == ["WARNING"]


def test_a_label_with_another_value_stays_a_warning(tmp_path: Path) -> None:
    # A pod label with another value is a mistake in the manifest, not a label added later.
    _write(tmp_path, {"operator.yaml": MINIO_OPERATOR.replace("VERB", "update").replace(
        "selector: {name: minio-operator, operator: leader}", "selector: {name: minio-operatr, operator: leader}")})
    assert [s for __, rule, s, __m in _findings(tmp_path) if rule == "service-selects-nothing"] == ["WARNING"]


def test_a_lone_kuttl_assertion_inside_e2e_tests_is_not_applied(tmp_path: Path) -> None:
    # jaeger-operator tests/e2e/elasticsearch/es-index-cleaner-upstream holds only
    # 04-assert.yaml (a Job without name, matched by ownerReferences); render.sh writes steps
    # 00-03 from templates before kuttl runs (https://kuttl.dev/docs/testing/steps.html).
    _write(tmp_path / "tests" / "e2e" / "es-index-cleaner", {"04-assert.yaml": """\
        apiVersion: batch/v1
        kind: Job
        metadata:
          ownerReferences: [{kind: CronJob, name: cleaner}]
        status: {succeeded: 1}
        """})
    found = _findings(tmp_path)
    assert _errors(tmp_path) == [], found
    assert [rule for __, rule, __s, __m in found] == ["not-kubernetes"], found


# --- object-duplicate: steps of an end-to-end test ------------------------------------------

JAEGER = "apiVersion: jaegertracing.io/v1\nkind: Jaeger\nmetadata: {name: all-in-one-ui}\nspec: {strategy: X}\n"


def test_later_kuttl_step_updating_an_object_is_no_duplicate(tmp_path: Path) -> None:
    # jaeger-operator tests/e2e/ui/allinone: 00-install.yaml creates Jaeger all-in-one-ui,
    # 03-install.yaml changes it; kuttl runs the steps in order
    # (https://kuttl.dev/docs/testing/steps.html), never both at once.
    _write(tmp_path / "tests" / "e2e" / "allinone", {"00-install.yaml": JAEGER.replace("X", "allInOne"),
                                                     "03-install.yaml": JAEGER.replace("X", "production")})
    assert [r for __, r, __s, __m in _findings(tmp_path) if r == "object-duplicate"] == []


def test_same_step_or_plain_folder_is_still_a_duplicate(tmp_path: Path) -> None:
    _write(tmp_path / "tests" / "e2e" / "allinone", {"00-install.yaml": JAEGER, "00-other.yaml": JAEGER})
    _write(tmp_path / "deploy", {"00-install.yaml": JAEGER, "03-install.yaml": JAEGER})
    found = sorted(m.split(" is ")[0] for __, r, __s, m in _findings(tmp_path) if r == "object-duplicate")
    assert len(found) == 2, found


def test_one_duplicate_per_folder_when_two_folders_repeat_the_same_object(tmp_path: Path) -> None:
    # Two apply units with the same duplicated identity: each unit's pair is its own finding
    # (before, both pairs were grouped as one object "defined in 2 files" of one folder).
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
    _write(tmp_path / "a", {"one.yaml": config, "two.yaml": config})
    _write(tmp_path / "b", {"one.yaml": config, "two.yaml": config})
    result = check([str(tmp_path)], Config())
    found = [f for f in result.findings if f.rule == "object-duplicate"]
    assert sorted(Path(f.file).parent.name for f in found) == ["a", "b"], [f.message for f in found]


def test_files_of_a_chainsaw_test_are_applied_one_operation_at_a_time(tmp_path: Path) -> None:
    # kyverno test/conformance/chainsaw/generate/...: policy.yaml and
    # chainsaw-step-09-apply-1-1.yaml define one ClusterPolicy; chainsaw-test.yaml applies each
    # file in an operation of its own, step after step, never the folder at once.
    _write(tmp_path / "clone-sync", {
        "chainsaw-test.yaml": """\
            apiVersion: chainsaw.kyverno.io/v1alpha1
            kind: Test
            metadata: {name: clone-sync}
            spec:
              steps:
              - try: [{apply: {file: policy.yaml}}]
              - try: [{apply: {file: chainsaw-step-09-apply-1-1.yaml}}]
            """,
        "policy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: '1'}\n",
        "chainsaw-step-09-apply-1-1.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                           "data: {a: '2'}\n",
    })
    assert [r for __, r, __s, __m in _findings(tmp_path) if r == "object-duplicate"] == []
