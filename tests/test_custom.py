"""Custom declarative rules: defined in YAML, tested through their own examples."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from k8slint.api import check_text
from k8slint.cli import main
from k8slint.config import Config, ConfigError, from_mapping
from k8slint.custom import parse_custom_rule
from k8slint.testing import test_custom_rules

REQUIRE_NAME = textwrap.dedent("""\
    id: require-name-label
    severity: warning
    summary: Workloads carry the app.kubernetes.io/name label
    fix: Add metadata.labels["app.kubernetes.io/name"].
    match:
      kinds: [Deployment, StatefulSet, DaemonSet]
    condition:
      required: [metadata]
      properties:
        metadata:
          required: [labels]
          properties:
            labels:
              required: [app.kubernetes.io/name]
    message: "{kind} {name} has no app.kubernetes.io/name label"
    examples:
      - name: missing label
        manifest: |
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            labels: {app: web}
          spec: {}
        expect: [{line: 5, object: Deployment/web, message: "Deployment web has no app.kubernetes.io/name label"}]
      - name: no labels at all
        manifest: |
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db}
        expect: [{line: 3, path: metadata}]
      - name: label present, and a kind the rule does not match
        manifest: |
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            labels: {app.kubernetes.io/name: web}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings}
        expect: []
    """)

NO_DOCKER_HUB = textwrap.dedent("""\
    id: no-docker-hub
    severity: error
    summary: Images in prod come from the company registry
    match:
      namespaces: [prod]
      labelSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [test]}]}
    target: container
    condition:
      properties:
        image: {pattern: "^registry\\\\.example\\\\.com/"}
    message: "container {container} of {kind}/{name} uses {image}: only registry.example.com is allowed"
    examples:
      - name: docker hub image in an init container and a container
        options: {namespace: prod}
        manifest: |
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                initContainers:
                  - {name: setup, image: busybox:1.36}
                containers:
                  - name: web
                    image: nginx:1.27
        expect:
          - {line: 8, message: "container setup of Deployment/web uses busybox:1.36"}
          - {line: 11, path: "spec.template.spec.containers[0].image"}
      - name: company registry, another namespace, and a test tier
        options: {namespace: prod}
        manifest: |
          apiVersion: v1
          kind: Pod
          metadata: {name: ok}
          spec:
            containers: [{name: web, image: registry.example.com/nginx:1.27}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: elsewhere, namespace: dev}
          spec:
            containers: [{name: web, image: nginx:1.27}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: tests, labels: {tier: test}}
          spec:
            containers: [{name: web, image: nginx:1.27}]
        expect: []
    """)


def _rule(text: str):
    import yaml
    return parse_custom_rule(yaml.safe_load(text), "test")


@pytest.mark.parametrize("text", [REQUIRE_NAME, NO_DOCKER_HUB], ids=["require-name", "no-docker-hub"])
def test_custom_rule_examples(text):
    assert test_custom_rules([_rule(text)]) == []


def test_custom_rule_metadata():
    rule = _rule(NO_DOCKER_HUB)
    assert rule.meta.category == "custom" and str(rule.meta.severity) == "error"
    assert rule.spec.kinds is None and rule.spec.scope == "object"


def test_wrong_examples_are_reported():
    broken = REQUIRE_NAME.replace("expect: [{line: 3, path: metadata}]", "expect: []")
    problems = test_custom_rules([_rule(broken)])
    assert [(r, e) for r, e, _ in problems] == [("require-name-label", "no labels at all")]


def test_config_file_and_rules_dir_and_rules_test_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "no-docker-hub.yaml").write_text(NO_DOCKER_HUB)
    import yaml
    config = {"custom-rules": [yaml.safe_load(REQUIRE_NAME)], "namespace": "prod"}
    (tmp_path / ".k8slint.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "app.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                       "spec: {containers: [{name: c, image: nginx}]}\n")
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--format", "compact", "--rules", "policies", "app.yaml"])
    assert "error [no-docker-hub] container c of Pod/p uses nginx" in result.output
    assert result.exit_code == 1
    tested = runner.invoke(main, ["rules", "test", "--rules", "policies"])
    assert tested.exit_code == 0 and "2 custom rule(s), 5 example(s): all pass" in tested.output
    listed = runner.invoke(main, ["rules", "--rules", "policies"])
    assert "no-docker-hub" in listed.output and "require-name-label" in listed.output
    shown = runner.invoke(main, ["rules", "show", "no-docker-hub", "--rules", "policies"])
    assert shown.exit_code == 0 and "[custom, error, on by default]" in shown.output
    disabled = runner.invoke(main, ["check", "--rules", "policies", "--disable", "custom", "app.yaml"])
    assert disabled.exit_code == 0


def test_custom_rules_can_be_configured_like_built_in_ones():
    import yaml
    config = from_mapping({"custom-rules": [yaml.safe_load(REQUIRE_NAME)],
                           "severity": {"require-name-label": "error"}})
    result = check_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n", config)
    assert [(f.rule, str(f.severity), f.category) for f in result.findings if f.category == "custom"] == [
        ("require-name-label", "error", "custom")]


@pytest.mark.parametrize("change, message", [
    (lambda r: {**r, "id": "yaml-syntax"}, "is a built-in rule"),
    (lambda r: {**r, "condition": {"type": "nonsense"}}, "not a valid JSON Schema"),
    (lambda r: {**r, "severity": "fatal"}, "severity"),
    (lambda r: {k: v for k, v in r.items() if k != "message"}, "'message' is a required property"),
    (lambda r: {**r, "category": "security"}, "category"),
    (lambda r: {**r, "target": "pod"}, "target"),
])
def test_bad_custom_rules_are_config_errors(change, message):
    import yaml
    with pytest.raises(ConfigError, match=message):
        from_mapping({"custom-rules": [change(yaml.safe_load(REQUIRE_NAME))]})


def test_two_rules_with_one_id_are_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(REQUIRE_NAME)
    (tmp_path / "b.yaml").write_text(REQUIRE_NAME)
    with pytest.raises(ConfigError, match="also defined"):
        from_mapping({"rules-dirs": ["."]}, root=str(tmp_path))


def test_odd_objects_never_raise():
    rule = _rule(NO_DOCKER_HUB)
    config = Config(custom_rules=[rule], namespace="prod")
    odd = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [7, {image: 3}, {image: docker.io/x}]}\n"
           "---\napiVersion: v1\nkind: Pod\nmetadata: []\nspec: []\n")
    found = [f for f in check_text(odd, config).findings if f.rule == "no-docker-hub"]
    assert [f.line for f in found] == [4]
    assert "internal error" not in " ".join(f.message for f in found)


def test_message_fields():
    rule = _rule(REQUIRE_NAME.replace('message: "{kind} {name} has no app.kubernetes.io/name label"',
                                      'message: "{namespace}/{name} {spec.replicas} {missing} {error}"'))
    found = check_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n",
                       Config(custom_rules=[rule])).findings
    assert found[0].message == "default/web 3 <unset> 'labels' is a required property"


def test_the_readme_example_rule_passes_its_examples():
    import re

    import yaml

    from tests.conftest import ROOT
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Custom rules")[1].split("\n## ")[0]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    rules = [parse_custom_rule(b, "README") for b in blocks]
    assert len(rules) == 2 and rules[0].meta.examples
    assert test_custom_rules(rules[:1]) == []
