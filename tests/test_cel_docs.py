"""The ValidatingAdmissionPolicy examples of the Kubernetes documentation give the verdicts
the documentation states (tests/cel/k8s-docs/README.md says where each file comes from)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8slint.api import check_text
from k8slint.cel import available
from k8slint.config import Config

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")

DOCS = Path(__file__).parent / "cel" / "k8s-docs"
RULES = ["admission-policy-denied", "cel-expression-invalid", "admission-policy-unbound"]


def docs(*names: str) -> str:
    return "".join("---\n" + (DOCS / name).read_text() + "\n" for name in names)


def namespace(name: str, environment: str) -> str:
    return f"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {{environment: {environment}}}}}\n"


def deployment(name: str, ns: str, replicas: int, image: str = "nginx") -> str:
    """As `kubectl create deployment` makes it (with its app label), which the page uses."""
    return textwrap.dedent(f"""\
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}, namespace: {ns}, labels: {{app: {name}}}}}
        spec:
          replicas: {replicas}
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}}}}}
            spec: {{containers: [{{name: c, image: "{image}"}}]}}
        """)


def messages(text: str) -> list[tuple[str, str]]:
    found = check_text(text, Config(only=RULES)).findings
    return [(f.object.name if f.object else "", f.message.split(" (policy at")[0]) for f in found]


def test_basic_example() -> None:
    # "When trying to create a deployment with replicas set not satisfying the validation
    # expression, an error will return containing message: ..." (the page, quoted); the
    # binding selects namespaces labelled environment=test only.
    text = docs("basic-example-policy.yaml", "basic-example-binding.yaml")
    text += namespace("qa", "test") + namespace("shop", "prod")
    text += deployment("in-test", "qa", 6) + deployment("in-prod", "shop", 6) + deployment("small", "qa", 5)
    assert messages(text) == [("in-test", "ValidatingAdmissionPolicy 'demo-policy.example.com' with "
                               "binding 'demo-binding-test.example.com' denied request: failed "
                               "expression: object.spec.replicas <= 5")]


def test_parameter_resources_per_environment() -> None:
    # "This policy parameter resource limits deployments to a max of 3 replicas" in the test
    # environment; the other binding gives every other environment a limit of 100.
    text = docs("policy-with-param.yaml", "binding-with-param.yaml", "binding-with-param-prod.yaml",
                "replicalimit-param.yaml", "replicalimit-param-prod.yaml")
    text += namespace("qa", "test") + namespace("shop", "prod")
    text += deployment("test-4", "qa", 4) + deployment("test-3", "qa", 3)
    text += deployment("prod-50", "shop", 50) + deployment("prod-101", "shop", 101)
    found = messages(text)
    assert found == [
        ("test-4", "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding "
                   "'replicalimit-binding-test.example.com' denied request: failed expression: "
                   "object.spec.replicas <= params.maxReplicas"),
        ("prod-101", "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding "
                     "'replicalimit-binding-nontest' denied request: failed expression: "
                     "object.spec.replicas <= params.maxReplicas")]


def test_variable_composition_image_policy() -> None:
    # "With the policy bound to the namespace default, which is labeled environment: prod,
    # the following attempt to create a deployment would be rejected ... only prod images
    # are allowed in namespace default" (the page, quoted).
    binding = textwrap.dedent("""\
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: demo-binding-test.example.com}
        spec:
          policyName: image-matches-namespace-environment.policy.example.com
          validationActions: [Deny]
          matchResources:
            namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}
        """)
    text = docs("image-matches-namespace-environment.policy.yaml") + binding
    text += namespace("default", "prod")
    text += deployment("invalid", "default", 1, "dev.example.com/nginx")
    text += deployment("valid", "default", 1, "prod.example.com/nginx")
    text += deployment("elsewhere", "default", 1, "docker.io/nginx")
    assert messages(text) == [("invalid", "ValidatingAdmissionPolicy 'image-matches-namespace-"
                               "environment.policy.example.com' with binding 'demo-binding-test."
                               "example.com' denied request: only prod images are allowed in "
                               "namespace default")]


def test_match_conditions_example_does_not_compile() -> None:
    # The example calls startWith, which CEL does not have (startsWith): the API server
    # refuses the policy on create ("undeclared reference"). The file is v1alpha1, no longer
    # served; it is read as v1 here.
    text = docs("validating-admission-policy-match-conditions.yaml").replace(
        "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1")
    found = check_text(text, Config(only=["cel-expression-invalid"])).findings
    assert len(found) == 1
    assert "undeclared reference to 'startWith'" in found[0].message
    assert found[0].line == 22        # line 21 of the file, after the "---" docs() puts first
