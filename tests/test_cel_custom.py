"""Custom rules with `cel:` instead of a JSON Schema condition (k8slint.admission.custom_cel)."""

from __future__ import annotations

import pytest
import yaml

from k8slint.api import check_text
from k8slint.cel import available
from k8slint.config import Config, ConfigError
from k8slint.custom import parse_custom_rule
from k8slint.testing import test_custom_rules

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")

RULE = """
id: team-label
severity: warning
summary: Deployments carry a team label
match: {kinds: [Deployment]}
cel: "has(object.metadata.labels) && 'team' in object.metadata.labels && request.operation == 'CREATE'"
message: "{kind} {name} has no team label"
examples:
  - name: missing
    manifest: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
    expect: [{line: 5, severity: warning, message: "Deployment web has no team label"}]
  - name: present
    manifest: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {team: a}}
    expect: []
"""

CONTAINER_RULE = """
id: registry
severity: error
summary: Images come from the company registry
target: container
cel: "container.image.startsWith('registry.example.com/') && namespaceObject.metadata.labels['kubernetes.io/metadata.name'] == namespaceObject.metadata.name"
message: "container {container} of {name} pulls {image}"
examples:
  - name: docker hub
    manifest: |
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: shop}
      spec:
        containers:
          - name: a
            image: registry.example.com/a
          - name: b
            image: nginx
    expect: [{line: 9, severity: error, message: "container b of p pulls nginx"}]
  - name: registry
    manifest: |
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec: {containers: [{name: a, image: registry.example.com/a}]}
    expect: []
"""


@pytest.mark.parametrize("text", [RULE, CONTAINER_RULE])
def test_cel_custom_rules_pass_their_examples(text: str) -> None:
    assert test_custom_rules([parse_custom_rule(yaml.safe_load(text), "test")]) == []


def test_cel_that_does_not_compile_is_a_config_error() -> None:
    data = yaml.safe_load(RULE)
    data["cel"] = "object.metadata.labels.team =="
    with pytest.raises(ConfigError, match="does not compile"):
        parse_custom_rule(data, "test")


def test_cel_and_condition_are_exclusive() -> None:
    data = yaml.safe_load(RULE)
    data["condition"] = {"type": "object"}
    with pytest.raises(ConfigError):
        parse_custom_rule(data, "test")


def test_evaluation_error_is_a_finding() -> None:
    data = yaml.safe_load(RULE)
    data["cel"] = "object.spec.replicas > 1"
    rule = parse_custom_rule(data, "test")
    found = check_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
                       Config(custom_rules=[rule], only=["team-label"])).findings
    assert len(found) == 1 and found[0].line == 1
