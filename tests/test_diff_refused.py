"""`k8slint diff`: every update the API server refuses, with the validation function that
refuses it (kubernetes/kubernetes source cited per test)."""

from __future__ import annotations

from k8slint.config import Config
from k8slint.diff import diff_texts
from k8slint.model import Severity

DEPLOY = """\
apiVersion: {api}
kind: {kind}
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {sel}}}
  template:
    metadata: {{labels: {sel}}}
    spec: {{containers: [{{name: web, image: web:1.0}}]}}
"""


def findings(before: str, after: str, version: str | None = None, rule: str | None = None) -> list:
    config = Config()
    if version:
        from k8slint.k8s.versions import parse_version
        config.kubernetes_version = parse_version(version)
    found = diff_texts(before, after, config).findings
    return [f for f in found if rule is None or f.rule == rule]


def errors(before: str, after: str, **kw: str) -> list:
    return [f for f in findings(before, after, **kw) if f.severity == Severity.ERROR]


# --- selectors ---------------------------------------------------------------------------------

def test_selector_is_immutable_for_each_apps_v1_workload():
    # pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate:
    # ValidateImmutableField(spec.selector) for every group/version but extensions/v1beta1 and apps/v1beta1.
    for kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        before = DEPLOY.format(api="apps/v1", kind=kind, sel="{app: web}")
        after = DEPLOY.format(api="apps/v1", kind=kind, sel="{app: web, tier: a}")
        found = errors(before, after)
        assert [(f.rule, f.line) for f in found] == [("change-selector-immutable", 5)], kind
        assert "field is immutable" in found[0].message


def test_statefulset_and_job_selectors_are_refused_too():
    # ValidateStatefulSetUpdate compares the whole spec but the mutable fields (selector included);
    # ValidateJobSpecUpdate: ValidateImmutableField(spec.Selector).
    before = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n"
              "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
              "    spec: {containers: [{name: db, image: db:1}]}\n")
    after = before.replace("{matchLabels: {app: db}}", "{matchLabels: {app: db, v: b}}") \
        .replace("{labels: {app: db}}", "{labels: {app: db, v: b}}")
    assert [f.rule for f in errors(before, after)] == ["change-statefulset-forbidden"]
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  manualSelector: true\n"
           "  selector: {matchLabels: {run: a}}\n  template:\n    metadata: {labels: {run: a}}\n"
           "    spec: {restartPolicy: Never, containers: [{name: j, image: j:1}]}\n")
    job_after = job.replace("matchLabels: {run: a}", "matchLabels: {run: b}").replace("labels: {run: a}",
                                                                                        "labels: {run: b}")
    rules = {f.rule for f in errors(job, job_after)}
    assert "change-selector-immutable" in rules


def test_extensions_v1beta1_kept_a_mutable_selector():
    # strategy.go ValidateUpdate: "no-op for compatibility" for extensions/v1beta1 and apps/v1beta1.
    before = DEPLOY.format(api="extensions/v1beta1", kind="Deployment", sel="{app: web}")
    after = DEPLOY.format(api="extensions/v1beta1", kind="Deployment", sel="{app: web, tier: a}")
    assert not [f for f in findings(before, after, version="1.25") if f.rule == "change-selector-immutable"]


# --- StatefulSet ---------------------------------------------------------------------------------

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db}}
spec:
  serviceName: {svc}
  podManagementPolicy: {policy}
  replicas: {replicas}
  minReadySeconds: {ready}
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec: {{containers: [{{name: db, image: {image}}}]}}
"""


def sts(svc: str = "db", policy: str = "OrderedReady", replicas: int = 3, ready: int = 0, image: str = "db:1") -> str:
    return STS.format(svc=svc, policy=policy, replicas=replicas, ready=ready, image=image)


def test_statefulset_service_name_and_pod_management_policy_are_forbidden():
    # pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate: `spec: Forbidden: updates to
    # statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', ...`
    found = errors(sts(), sts(svc="db-headless", policy="Parallel"))
    assert [(f.rule, f.line) for f in found] == [("change-statefulset-forbidden", 5),
                                                  ("change-statefulset-forbidden", 6)]
    assert all("updates to statefulset spec for fields other than" in f.message for f in found)


def test_statefulset_mutable_fields_pass():
    # replicas, template, minReadySeconds are set aside by ValidateStatefulSetUpdate.
    assert errors(sts(), sts(replicas=5, ready=10, image="db:2")) == []


def test_statefulset_revision_history_limit_depends_on_the_server_version():
    # Servers up to 1.31 forbid it (kubernetes issue 130263, a 1.31.4 server's message lists no
    # revisionHistoryLimit); newer messages list it among the mutable fields.
    before = sts()
    after = before.replace("  replicas: 3\n", "  replicas: 3\n  revisionHistoryLimit: 2\n")
    assert [f.rule for f in errors(before, after, version="1.31")] == ["change-statefulset-forbidden"]
    assert errors(before, after, version="1.34") == []


def test_volume_claim_templates_with_apiversion_and_kind_are_not_a_change():
    # The API server drops apiVersion/kind of embedded claim templates and defaults volumeMode
    # (SetDefaults_PersistentVolumeClaimSpec); writing them out is not an update.
    base = sts() + ("  volumeClaimTemplates:\n    - metadata: {name: data}\n"
                    "      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")
    written = base.replace("    - metadata: {name: data}\n", "    - apiVersion: v1\n      kind: PersistentVolumeClaim\n"
                           "      metadata: {name: data}\n").replace("{accessModes", "{volumeMode: Filesystem, accessModes")
    assert errors(base, written) == []


# --- Job ------------------------------------------------------------------------------------------

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {{name: job}}
spec:
{extra}  template:
    spec:
{spec}      restartPolicy: Never
      containers: [{{name: job, image: {image}}}]
"""


def job(image: str = "j:1", extra: str = "", spec: str = "") -> str:
    return JOB.format(image=image, extra=extra, spec=spec)


def test_job_template_is_immutable():
    # pkg/apis/batch/validation/validation.go validatePodTemplateUpdate: ValidateImmutableField(template)
    found = errors(job(), job(image="j:2"))
    assert [(f.rule, f.line) for f in found] == [("change-job-immutable", 5)]
    assert found[0].fix and "kubectl replace --force" in found[0].fix


def test_suspended_job_may_change_scheduling_directives_only():
    # validatePodTemplateUpdate with AllowMutableSchedulingDirectives (pkg/registry/batch/job/strategy.go:
    # suspended and never started): nodeSelector, tolerations, node affinity, labels, annotations.
    suspended = "  suspend: true\n"
    assert errors(job(extra=suspended), job(extra=suspended, spec="      nodeSelector: {pool: gpu}\n")) == []
    found = errors(job(extra=suspended), job(image="j:2", extra=suspended))
    assert [f.rule for f in found] == ["change-job-immutable"]


def test_job_completions_rules():
    # validateCompletions: immutable unless Indexed and changed together with parallelism (ElasticIndexedJob).
    assert [f.rule for f in errors(job(extra="  completions: 2\n"), job(extra="  completions: 3\n"))] == \
        ["change-job-immutable"]
    indexed = "  completionMode: Indexed\n  completions: {n}\n  parallelism: {p}\n"
    assert errors(job(extra=indexed.format(n=2, p=2)), job(extra=indexed.format(n=4, p=4))) == []
    assert [f.rule for f in errors(job(extra=indexed.format(n=2, p=2)), job(extra=indexed.format(n=4, p=2)))] == \
        ["change-job-immutable"]


def test_job_completion_mode_is_immutable_and_its_default_is_not_a_change():
    # ValidateJobSpecUpdate: ValidateImmutableField(spec.CompletionMode); SetDefaults_Job: NonIndexed.
    assert errors(job(), job(extra="  completionMode: NonIndexed\n")) == []
    assert [f.rule for f in errors(job(), job(extra="  completionMode: Indexed\n  completions: 1\n"))] == \
        ["change-job-immutable"]


def test_job_with_ttl_is_a_warning_because_it_may_be_gone():
    ttl = "  ttlSecondsAfterFinished: 60\n"
    found = findings(job(extra=ttl), job(image="j:2", extra=ttl), rule="change-job-immutable")
    assert [f.severity for f in found] == [Severity.WARNING]


# --- Service --------------------------------------------------------------------------------------

def svc(spec: str) -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n{spec}  selector: {{app: s}}\n  ports: [{{port: 80}}]\n"


def test_service_cluster_ip_changes():
    # pkg/apis/core/validation/validation.go ValidateServiceUpdate, validateUpgradeDowngradeClusterIPs:
    # `spec.clusterIPs[0]: Invalid value: ...: may not change once set`.
    set_ip = "  clusterIP: 10.96.0.10\n"
    assert [f.rule for f in errors(svc(set_ip), svc("  clusterIP: 10.96.0.11\n"))] == ["change-service-immutable"]
    # ClusterIP -> headless and back: both directions are refused.
    assert [f.rule for f in errors(svc(""), svc("  clusterIP: None\n"))] == ["change-service-immutable"]
    assert [f.rule for f in errors(svc("  clusterIP: None\n"), svc("  clusterIP: 10.96.0.12\n"))] == \
        ["change-service-immutable"]


def test_leaving_cluster_ip_out_keeps_the_allocated_one():
    # pkg/registry/core/service/storage/storage.go patchAllocatedValues: an empty clusterIP on update
    # takes the old one, so the update is accepted (a headless Service stays headless).
    assert errors(svc("  clusterIP: 10.96.0.10\n"), svc("")) == []
    assert errors(svc("  clusterIP: None\n"), svc("")) == []


def test_a_specific_ip_over_an_allocated_one_is_a_warning():
    # The allocated IP is unknown from the manifests: refused unless equal (not certain: a warning).
    found = findings(svc(""), svc("  clusterIP: 10.96.0.10\n"), rule="change-service-immutable")
    assert [f.severity for f in found] == [Severity.WARNING]


def test_service_ip_families_and_load_balancer_class():
    # validateUpgradeDowngradeIPFamilies: the primary family may not change; releasing the secondary
    # needs ipFamilyPolicy SingleStack. validateLoadBalancerClassField: may not change once set.
    v4 = "  ipFamilies: [IPv4]\n"
    assert [f.rule for f in errors(svc(v4), svc("  ipFamilies: [IPv6]\n"))] == ["change-service-immutable"]
    dual = "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n"
    assert [f.rule for f in errors(svc(dual), svc("  ipFamilyPolicy: PreferDualStack\n" + v4))] == \
        ["change-service-immutable"]
    assert errors(svc(dual), svc("  ipFamilyPolicy: SingleStack\n" + v4)) == []
    lb = "  type: LoadBalancer\n  loadBalancerClass: {}\n"
    assert [f.rule for f in errors(svc(lb.format("a.io/x")), svc(lb.format("b.io/y")))] == ["change-service-immutable"]


def test_external_name_changes_are_not_checked():
    # validateUpgradeDowngradeClusterIPs / IPFamilies bail out when either side is ExternalName.
    assert errors(svc("  clusterIP: 10.96.0.10\n"), svc("  type: ExternalName\n  externalName: x.example.com\n")) == []


# --- PersistentVolumeClaim ----------------------------------------------------------------------------

def pvc(spec: str, size: str = "10Gi") -> str:
    return (f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data}}\nspec:\n{spec}"
            f"  resources: {{requests: {{storage: {size}}}}}\n")


def test_pvc_fixed_fields_and_shrinking():
    # ValidatePersistentVolumeClaimUpdate: `spec is immutable after creation except resources.requests and
    # volumeAttributesClassName for bound claims`; a smaller request: `field can not be less than previous value`.
    rwo, rwx = "  accessModes: [ReadWriteOnce]\n", "  accessModes: [ReadWriteMany]\n"
    assert [f.rule for f in errors(pvc(rwo), pvc(rwx))] == ["change-pvc-immutable"]
    found = errors(pvc(rwo), pvc(rwo, size="10000Mi"))          # 10000Mi < 10Gi (10240Mi)
    assert [f.rule for f in found] == ["change-pvc-immutable"] and "cannot shrink" in found[0].message
    assert errors(pvc(rwo), pvc(rwo, size="10240Mi")) == []      # the same quantity
    assert errors(pvc(rwo), pvc(rwo, size="20Gi")) == []
    assert [f.rule for f in errors(pvc(rwo + "  storageClassName: a\n"), pvc(rwo + "  storageClassName: b\n"))] == \
        ["change-pvc-immutable"]


def test_pvc_storage_class_named_later_is_a_warning():
    # validateStorageClassUpgradeFromNil allows it only when the live claim has no class; the
    # DefaultStorageClass admission plugin usually set the default one at creation.
    rwo = "  accessModes: [ReadWriteOnce]\n"
    found = findings(pvc(rwo), pvc(rwo + "  storageClassName: fast\n"), rule="change-pvc-immutable")
    assert [f.severity for f in found] == [Severity.WARNING]


# --- ConfigMap, Secret ------------------------------------------------------------------------------

def test_immutable_config_map_and_secret():
    # ValidateConfigMapUpdate / ValidateSecretUpdate: data and `immutable` are fixed once immutable is true.
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\nimmutable: {imm}\ndata: {{a: '{v}'}}\n"
    assert [f.rule for f in errors(cm.format(imm="true", v=1), cm.format(imm="true", v=2))] == ["change-immutable-data"]
    assert [f.rule for f in errors(cm.format(imm="true", v=1), cm.format(imm="false", v=1))] == ["change-immutable-data"]
    assert errors(cm.format(imm="false", v=1), cm.format(imm="true", v=2)) == []
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nimmutable: true\nstringData: {{a: '{v}'}}\n"
    assert [f.rule for f in errors(secret.format(v=1), secret.format(v=2))] == ["change-immutable-data"]


def test_secret_type_is_immutable_with_opaque_as_default():
    # ValidateSecretUpdate: ValidateImmutableField(Type); SetDefaults_Secret: Opaque.
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\n{type}data: {{a: YQ==}}\n"
    assert errors(secret.format(type=""), secret.format(type="type: Opaque\n")) == []
    assert [f.rule for f in errors(secret.format(type=""), secret.format(type="type: kubernetes.io/basic-auth\n"))] \
        == ["change-immutable-data"]


# --- Pod ------------------------------------------------------------------------------------------

def pod(container: str, spec: str = "") -> str:
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}  containers: [{container}]\n"


def test_pod_updates_beyond_the_allowed_fields_are_refused():
    # ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations, and a negative
    # terminationGracePeriodSeconds set to 1 may change.
    c = "{name: a, image: a:1}"
    assert errors(pod(c), pod("{name: a, image: a:2}")) == []
    assert [f.rule for f in errors(pod(c), pod("{name: a, image: a:1, env: [{name: X, value: y}]}"))] == \
        ["change-pod-spec"]
    tol = "  tolerations: [{key: a, operator: Exists}]\n"
    two = "  tolerations: [{key: a, operator: Exists}, {key: b, operator: Exists}]\n"
    assert errors(pod(c, tol), pod(c, two)) == []                              # an addition
    assert [f.rule for f in errors(pod(c, two), pod(c, tol))] == ["change-pod-spec"]   # a removal
    assert errors(pod(c, "  terminationGracePeriodSeconds: -1\n"), pod(c, "  terminationGracePeriodSeconds: 1\n")) == []
    assert errors(pod(c), pod(c, "  activeDeadlineSeconds: 60\n")) == []


def test_pod_image_change_restarts_the_container_in_place():
    # pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions: a changed container spec hash
    # kills and restarts that container.
    found = findings(pod("{name: a, image: a:1}"), pod("{name: a, image: a:2}"), rule="change-rollout")
    assert len(found) == 1 and "container(s) a restart in place" in found[0].message


# --- RBAC, API versions, kinds -----------------------------------------------------------------------

def test_role_binding_role_ref_is_immutable():
    # pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate: `cannot change roleRef`.
    rb = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: b}}\n"
          "roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}\n"
          "subjects: [{{kind: ServiceAccount, name: a, namespace: x}}]\n")
    found = errors(rb.format(role="view"), rb.format(role="edit"))
    assert [(f.rule, f.line) for f in found] == [("change-roleref-immutable", 4)]
    assert "cannot change roleRef" in found[0].message


def test_an_api_version_the_target_does_not_serve():
    # kubectl: no REST mapping for an unserved apiVersion -> `no matches for kind`.
    before = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {schedule: '* * * * *', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: c}]}}}}}\n"
    after = before.replace("batch/v1", "batch/v1beta1")
    found = errors(before, after, version="1.26")
    assert [f.rule for f in found] == ["change-api-not-served"]
    assert 'no matches for kind "CronJob" in version "batch/v1beta1"' in found[0].message
    assert found[0].fix == "Use apiVersion batch/v1"
    assert errors(before, after, version="1.25") != []        # removed in 1.25 (deprecation guide)


def test_a_new_kind_under_the_same_name_is_a_second_object():
    before = DEPLOY.format(api="apps/v1", kind="Deployment", sel="{app: web}")
    after = DEPLOY.format(api="apps/v1", kind="DaemonSet", sel="{app: web}")
    found = findings(before, after, rule="change-kind-replaced")
    assert [(f.severity, f.line) for f in found] == [(Severity.WARNING, 2)]
    assert not findings(before, after, rule="change-removed")      # paired, not also "removed"


def test_a_move_between_groups_of_one_storage_is_the_same_object():
    # deprecation guide: objects persisted under extensions/v1beta1 are served by apps/v1 and
    # networking.k8s.io/v1; a manifest moving between them updates the same object.
    before = DEPLOY.format(api="extensions/v1beta1", kind="Deployment", sel="{app: web}")
    after = DEPLOY.format(api="apps/v1", kind="Deployment", sel="{app: web}")
    found = diff_texts(before, after).changes
    assert [c.change for c in found] == ["modified"]
