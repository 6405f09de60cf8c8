"""ValidatingAdmissionPolicy evaluation (k8slint.admission) through the checks.

Behaviour follows k8s.io/apiserver/pkg/admission/plugin/policy/validating (dispatcher.go,
validator.go) and .../policy/matching/matching.go; each test names the part it checks."""

from __future__ import annotations

import textwrap

import pytest

from k8slint.admission import admission_verdicts
from k8slint.cel import available
from k8slint.graph import build
from k8slint.loader import LoadResult, Source, parse_source
from tests.conftest import lint

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")

RULES = ["admission-policy-denied", "admission-policy-unbound", "cel-expression-invalid",
         "cel-not-evaluated"]


def run(text: str, rules: list[str] | None = None) -> list[tuple[str, str, int, str]]:
    return [(f.rule, str(f.severity), f.line, f.message) for f in lint(textwrap.dedent(text), *(rules or RULES))]


POLICY = """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
    - expression: object.spec.replicas <= int(params.data.maxReplicas)
      messageExpression: "'replicas must be at most ' + params.data.maxReplicas"
---
"""

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: NS}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
"""


def binding(actions: str = "[Deny]", extra: str = "") -> str:
    return f"""
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: replicas-binding}}
spec:
  policyName: replicas
  validationActions: {actions}
  paramRef: {{name: limits, namespace: default, parameterNotFoundAction: Deny}}
{extra}---
"""


LIMITS = """
apiVersion: v1
kind: ConfigMap
metadata: {name: limits, namespace: default}
data: {maxReplicas: "3"}
---
"""


def test_params_from_a_configmap_and_message_expression() -> None:
    found = run(POLICY + binding() + LIMITS + DEPLOYMENT.replace("NS", "default"))
    assert len(found) == 1
    rule, severity, line, message = found[0]
    assert (rule, severity) == ("admission-policy-denied", "error")
    # at the field the expression reads: spec.replicas of the Deployment
    assert (POLICY + binding() + LIMITS + DEPLOYMENT).splitlines()[line - 1].strip() == "replicas: 4"
    assert message.startswith("ValidatingAdmissionPolicy 'replicas' with binding 'replicas-binding' "
                              "denied request: replicas must be at most 3")
    assert "policy at -:2" in message


def test_params_allow_when_within_the_limit() -> None:
    assert run(POLICY + binding() + LIMITS.replace('"3"', '"4"') + DEPLOYMENT.replace("NS", "default")) == []


def test_missing_params_deny_or_allow_as_the_binding_says() -> None:
    # validator.go: parameterNotFoundAction Deny refuses every matching request.
    found = run(POLICY + binding() + DEPLOYMENT.replace("NS", "default"))
    assert len(found) == 1 and "no params found" in found[0][3]
    allow = binding().replace("parameterNotFoundAction: Deny", "parameterNotFoundAction: Allow")
    assert run(POLICY + allow + DEPLOYMENT.replace("NS", "default")) == []


@pytest.mark.parametrize("actions, severities", [
    ("[Deny]", ["error"]), ("[Warn]", ["warning"]), ("[Audit]", ["info"]),
    ("[Warn, Audit]", ["warning", "info"])])
def test_validation_actions(actions: str, severities: list[str]) -> None:
    found = run(POLICY + binding(actions) + LIMITS + DEPLOYMENT.replace("NS", "default"))
    assert sorted(f[1] for f in found) == sorted(severities)


NS_POLICY = """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: prod-replicas}
spec:
  matchConstraints:
    namespaceSelector:
      matchLabels: {environment: production}
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
    - expression: object.spec.replicas >= 5
      message: production needs 5 replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: prod-replicas}
spec: {policyName: prod-replicas, validationActions: [Deny]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {environment: production}}
---
apiVersion: v1
kind: Namespace
metadata: {name: sandbox, labels: {environment: test}}
---
"""


def test_namespace_selector_matches_only_some_namespaces() -> None:
    text = NS_POLICY + "".join(DEPLOYMENT.replace("NS", ns).replace("name: web", f"name: web-{ns}")
                               for ns in ("shop", "sandbox", "elsewhere"))
    found = run(text, ["admission-policy-denied"])
    assert len(found) == 1 and "production needs 5 replicas" in found[0][3]
    graph, _ = build(_load(text))
    by_name = {o.name: o for o in graph.of_kind("Deployment")}
    assert [v.action for v in admission_verdicts(graph, by_name["web-shop"])] == ["Deny"]
    assert admission_verdicts(graph, by_name["web-sandbox"]) == []
    # a namespace not in the input has only its kubernetes.io/metadata.name label
    assert admission_verdicts(graph, by_name["web-elsewhere"]) == []


def test_namespace_name_label_is_always_there() -> None:
    text = NS_POLICY.replace("matchLabels: {environment: production}",
                             "matchLabels: {kubernetes.io/metadata.name: elsewhere}")
    text += DEPLOYMENT.replace("NS", "elsewhere")
    assert len(run(text, ["admission-policy-denied"])) == 1


def _load(text: str) -> LoadResult:
    loaded = LoadResult()
    source = Source("-", textwrap.dedent(text))
    loaded.sources.append(source)
    loaded.hits.extend(parse_source(source))
    return loaded


def test_compile_error_at_its_line_with_the_compiler_message() -> None:
    text = POLICY.replace("int(params.data.maxReplicas)", "int(params.data.maxReplicas") + binding()
    found = run(text)
    errors = [f for f in found if f[0] == "cel-expression-invalid"]
    assert len(errors) == 1
    assert errors[0][1] == "error" and errors[0][2] == 11
    assert "Syntax error" in errors[0][3] and "compilation failed" in errors[0][3]


def test_type_error_is_a_compile_error() -> None:
    text = POLICY.replace("object.spec.replicas <= int(params.data.maxReplicas)", "1 + 'a' == 2")
    found = [f for f in run(text + binding()) if f[0] == "cel-expression-invalid"]
    assert len(found) == 1 and "no matching overload for '_+_'" in found[0][3]


def test_unbound_policy_is_one_info_on_the_policy() -> None:
    found = run(POLICY + DEPLOYMENT.replace("NS", "default"))
    assert found == [("admission-policy-unbound", "info", 4, found[0][3])]


def test_match_conditions_variables_and_exclusions() -> None:
    text = """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: images}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
    excludeResourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], resourceNames: [legacy]}
  matchConditions:
    - name: not-system
      expression: "!object.metadata.name.startsWith('system-')"
  variables:
    - name: images
      expression: object.spec.template.spec.containers.map(c, c.image)
  validations:
    - expression: variables.images.all(i, i.startsWith('registry.example.com/'))
      messageExpression: "'images from elsewhere: ' + variables.images.filter(i, !i.startsWith('registry.example.com/')).join(', ')"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: images}
spec: {policyName: images, validationActions: [Deny]}
---
"""
    for name in ("web", "legacy", "system-x"):
        text += DEPLOYMENT.replace("NS", "default").replace("name: web,", f"name: {name},")
    found = run(text, ["admission-policy-denied"])
    assert [f[3].split(": ", 1)[1].split(" (policy")[0] for f in found] == [
        "images from elsewhere: nginx:1.25"]


def test_failure_policy_on_evaluation_error() -> None:
    text = (POLICY.replace("  paramKind: {apiVersion: v1, kind: ConfigMap}\n", "").replace(
        "object.spec.replicas <= int(params.data.maxReplicas)", "object.spec.missing > 1").replace(
        "messageExpression: \"'replicas must be at most ' + params.data.maxReplicas\"", "message: x")
        + binding().replace("  paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}\n", "")
        + DEPLOYMENT.replace("NS", "default"))
    found = run(text, ["admission-policy-denied"])
    assert len(found) == 1 and "resulted in error" in found[0][3] and "missing" in found[0][3]
    assert run(text.replace("spec:\n  matchConstraints", "spec:\n  failurePolicy: Ignore\n  matchConstraints"),
               ["admission-policy-denied"]) == []


def test_policies_never_apply_to_admission_configuration() -> None:
    # IsExemptAdmissionConfigurationResource: a policy matching everything skips policies.
    text = """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: everything}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
  validations:
    - expression: "false"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: everything}
spec: {policyName: everything, validationActions: [Warn]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
"""
    found = run(text, ["admission-policy-denied"])
    assert [(f[1], f[2]) for f in found] == [("warning", 17)]     # the ConfigMap only


def test_request_and_namespace_object_variables() -> None:
    text = NS_POLICY.replace("object.spec.replicas >= 5",
                             "request.operation == 'CREATE' && request.userInfo.username == "
                             "'kubernetes-admin' && namespaceObject.metadata.name == 'shop' && "
                             "request.resource.resource == 'deployments' && false")
    text += DEPLOYMENT.replace("NS", "shop")
    found = run(text, ["admission-policy-denied"])
    assert len(found) == 1


def test_explain_shows_the_refusing_and_the_warning_policy() -> None:
    from k8slint.simulate import explain

    text = textwrap.dedent(POLICY + binding() + LIMITS + DEPLOYMENT.replace("NS", "default"))
    events = explain(None, text=text).as_dict()["events"]
    rejected = [e for e in events if e["action"] == "reject"]
    assert len(rejected) == 1 and rejected[0]["object"]["name"] == "web"
    assert "ValidatingAdmissionPolicy 'replicas' with binding 'replicas-binding' denied request: " \
           "replicas must be at most 3" in rejected[0]["message"]
    warned = explain(None, text=text.replace("validationActions: [Deny]", "validationActions: [Warn]"))
    events = warned.as_dict()["events"]
    assert [e["object"]["name"] for e in events if e["action"] == "warn"] == ["web"]
    assert not [e for e in events if e["action"] == "reject"]


def test_without_cel_installed_admission_rules_say_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import k8slint.cel

    monkeypatch.setattr(k8slint.cel, "available", lambda: False)
    text = POLICY + binding() + LIMITS + DEPLOYMENT.replace("NS", "default") + NS_POLICY
    found = run(text, RULES + ["crd-validation-rule"])
    assert [(f[0], f[1]) for f in found] == [("cel-not-evaluated", "info")]
    assert "pip install" not in found[0][3] and "k8slint[cel]" in found[0][3]
