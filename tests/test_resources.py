"""Resources: validation, QoS warnings, ResourceQuota and LimitRange admission."""

from __future__ import annotations

from k8slint.api import check_text
from k8slint.config import Config
from tests.conftest import lint, workload
from tests.conftest import pod as pod_manifest

RULES = ["resource-quantity-invalid", "resource-name-invalid", "resource-request-above-limit",
         "resource-extended-limit", "resource-best-effort", "resource-memory-unset", "resource-unset",
         "resource-quota-unsatisfied", "resource-limit-range-violated"]


def found(text: str, rules=RULES) -> list[tuple[str, str, str | None]]:
    return [(f.rule, str(f.severity), f.path) for f in lint(text, *rules)]


def pod(resources: str, name: str = "web", namespace: str = "default", init: str = "") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  {init}
  containers:
    - name: app
      image: nginx:1.27.3
      resources: {resources}
"""


def test_limits_only_gives_no_resource_finding():
    assert found(pod("{limits: {cpu: 200m, memory: 1Gi}}")) == []
    assert found(pod("{limits: {memory: 1Gi}, requests: {cpu: 100m}}")) == []


def test_no_resources_is_one_best_effort_warning():
    assert found(pod("{}")) == [("resource-best-effort", "warning", "spec.containers[0]")]


def test_memory_missing_is_a_warning_cpu_missing_info():
    assert found(pod("{requests: {cpu: 100m}}")) == [
        ("resource-memory-unset", "warning", "spec.containers[0].resources")]
    assert found(pod("{requests: {memory: 64Mi}, limits: {memory: 64Mi}}")) == [
        ("resource-unset", "info", "spec.containers[0].resources")]


def test_plain_init_containers_need_no_memory_but_sidecars_do():
    plain = "initContainers: [{name: migrate, image: 'example/migrate:1.0.0'}]"
    assert found(pod("{limits: {memory: 64Mi, cpu: 100m}}", init=plain)) == []
    sidecar = "initContainers: [{name: proxy, image: 'envoyproxy/envoy:v1.31.2', restartPolicy: Always}]"
    assert ("resource-memory-unset", "warning", "spec.initContainers[0]") in found(
        pod("{limits: {memory: 64Mi, cpu: 100m}}", init=sidecar))


def test_exact_comparison_of_request_and_limit():
    assert found(pod("{requests: {memory: 1024Mi, cpu: '1'}, limits: {memory: 1Gi, cpu: 1000m}}")) == []
    assert found(pod("{requests: {memory: 1Gi}, limits: {memory: 1G}}")) == [
        ("resource-unset", "info", "spec.containers[0].resources"),
        ("resource-request-above-limit", "error", "spec.containers[0].resources.requests.memory")]


def test_pod_level_resources_count():
    text = "\n" + pod_manifest("""
resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 1Gi}}
containers: [{name: app, image: "nginx:1.27.3"}]
""")
    assert found(text) == []


QUOTA = """
apiVersion: v1
kind: ResourceQuota
metadata: {name: team-quota, namespace: team}
spec:
  hard: {requests.cpu: "10", requests.memory: 20Gi, limits.memory: 20Gi}
"""
LIMIT_RANGE = """
apiVersion: v1
kind: LimitRange
metadata: {name: team-defaults, namespace: team}
spec:
  limits:
    - type: Container
      default: {memory: 512Mi}
      defaultRequest: {cpu: 100m, memory: 256Mi}
      max: {memory: 4Gi}
      min: {cpu: 10m}
"""
DEPLOYMENT = "\n" + workload("""
initContainers: [{name: migrate, image: "example/migrate:1.0.0"}]
containers:
  - name: api
    image: example/api:1.0.0
    resources: RESOURCES
""", name="api", namespace="team")


def test_quota_without_limit_range_is_an_error_naming_the_quota():
    text = QUOTA + "---" + DEPLOYMENT.replace("RESOURCES", "{requests: {cpu: 100m, memory: 128Mi}}")
    result = check_text(text, Config(only=["resource-quota-unsatisfied"]))
    assert [(f.severity.name, f.path) for f in result.findings] == [
        ("ERROR", "spec.template.spec.initContainers[0]")]
    message = result.findings[0].message
    assert "ResourceQuota 'team-quota'" in message
    assert "limits.memory for 'migrate', 'api'" in message
    assert "requests.cpu for 'migrate'" in message
    assert "cannot create a single pod: FailedCreate" in message


def test_quota_with_limit_range_defaults_is_fine():
    text = QUOTA + "---" + LIMIT_RANGE + "---" + DEPLOYMENT.replace("RESOURCES", "{}")
    assert found(text) == []


def test_quota_scopes_and_other_namespaces():
    scoped = QUOTA.replace("spec:\n", "spec:\n  scopes: [Terminating]\n")
    assert found(scoped + "---" + DEPLOYMENT.replace("RESOURCES", "{limits: {memory: 1Gi}}"),
                 ["resource-quota-unsatisfied"]) == []
    elsewhere = DEPLOYMENT.replace("namespace: team", "namespace: other").replace("RESOURCES", "{}")
    assert found(QUOTA + "---" + elsewhere, ["resource-quota-unsatisfied"]) == []


def test_limit_range_bounds():
    over = DEPLOYMENT.replace("RESOURCES", "{requests: {cpu: 5m}, limits: {memory: 8Gi}}")
    result = found(LIMIT_RANGE + "---" + over, ["resource-limit-range-violated"])
    assert result == [
        ("resource-limit-range-violated", "error", "spec.template.spec.containers[0].resources.requests.cpu"),
        ("resource-limit-range-violated", "error", "spec.template.spec.containers[0].resources.limits.memory")]
    inside = DEPLOYMENT.replace("RESOURCES", "{requests: {cpu: 50m}, limits: {memory: 1Gi}}")
    assert found(LIMIT_RANGE + "---" + inside, ["resource-limit-range-violated"]) == []


def test_limit_range_ratio():
    lr = LIMIT_RANGE.replace("min: {cpu: 10m}", "maxLimitRequestRatio: {cpu: '2'}")
    bad = DEPLOYMENT.replace("RESOURCES", "{requests: {cpu: 100m}, limits: {cpu: 500m, memory: 1Gi}}")
    result = check_text(lr + "---" + bad, Config(only=["resource-limit-range-violated"])).findings
    assert len(result) == 1 and "ratio 5 is above the maximum 2" in result[0].message


def test_invalid_values_in_quota_and_limit_range():
    text = QUOTA.replace("20Gi, limits", "20GB, limits") + "---" + LIMIT_RANGE.replace("4Gi", "-4Gi")
    assert [p for _, _, p in found(text, ["resource-quantity-invalid"])] == [
        'spec.hard["requests.memory"]', "spec.limits[0].max.memory"]


def test_odd_input_never_raises():
    for resources in ("[]", "{requests: [], limits: 3}", "{requests: {cpu: null, memory: true}}",
                      "{limits: {'': 1, 'a/b/c': 2}}"):
        for f in check_text(pod(resources), Config(only=RULES)).findings:
            assert "internal error" not in f.message
