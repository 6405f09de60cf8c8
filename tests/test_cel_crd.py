"""CRD validation rules (k8slint.admission.crd_rules): `self` bound as
k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go binds it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from k8slint.admission.crd_rules import escape, rule_problems, validate_custom_object
from k8slint.cel import available

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")


def crd(spec_schema: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"kind": "Widget", "plural": "widgets"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                         "openAPIV3Schema": {"type": "object", "properties": {"spec": spec_schema}}}}]}}


def widget(spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec}


NESTED = yaml.safe_load("""
type: object
properties:
  listeners:
    type: array
    x-kubernetes-list-type: map
    x-kubernetes-list-map-keys: [name]
    items:
      type: object
      x-kubernetes-validations:
        - rule: "self.protocol == 'HTTPS' ? has(self.tls) : !has(self.tls)"
          messageExpression: "'listener ' + self.name + ': tls is for HTTPS only'"
          fieldPath: .tls
          reason: FieldValueForbidden
        - rule: self.port == oldSelf.port
          message: port is immutable
      properties:
        name: {type: string}
        protocol: {type: string}
        port: {type: integer}
        tls: {type: object, x-kubernetes-preserve-unknown-fields: true}
""")


def test_nested_rule_with_field_path_message_expression_and_reason() -> None:
    obj = widget({"listeners": [{"name": "a", "protocol": "HTTPS", "port": 443, "tls": {}},
                                {"name": "b", "protocol": "HTTP", "port": 80, "tls": {"x": 1}}]})
    found = validate_custom_object(crd(NESTED), obj)
    assert [(v.path, v.message, v.kind) for v in found] == [
        (("spec", "listeners", 1, "tls"),
         "spec.listeners[1].tls: Forbidden: listener b: tls is for HTTPS only", "invalid")]
    assert found[0].rule_path == ("spec", "versions", 0, "schema", "openAPIV3Schema", "properties",
                                  "spec", "properties", "listeners", "items",
                                  "x-kubernetes-validations", 0)


def test_transition_rules_skip_on_create_and_run_with_an_old_object() -> None:
    new = widget({"listeners": [{"name": "a", "protocol": "HTTP", "port": 8080}]})
    assert validate_custom_object(crd(NESTED), new) == []
    old = widget({"listeners": [{"name": "a", "protocol": "HTTP", "port": 80},
                                {"name": "gone", "protocol": "HTTP", "port": 1}]})
    found = validate_custom_object(crd(NESTED), new, old)
    assert [v.message for v in found] == [
        'spec.listeners[0]: Invalid value: "object": port is immutable']


def test_default_message_is_the_failed_rule() -> None:
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "self.a < self.b"}],
              "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    found = validate_custom_object(crd(schema), widget({"a": 2, "b": 1}))
    assert [v.message for v in found] == ['spec: Invalid value: "object": failed rule: self.a < self.b']


def test_property_names_are_escaped() -> None:
    # escaping.go: namespace is a CEL reserved word, '-' becomes __dash__.
    assert escape("namespace") == "__namespace__"
    assert escape("x-forwarded") == "x__dash__forwarded"
    assert escape("a.b/c__d") == "a__dot__b__slash__c__underscores__d"
    assert escape("1abc") is None
    schema = {"type": "object", "x-kubernetes-validations": [
        {"rule": "self.__namespace__ == 'ns' && self.max__dash__size == 3"}],
        "properties": {"namespace": {"type": "string"}, "max-size": {"type": "integer"}}}
    assert validate_custom_object(crd(schema), widget({"namespace": "ns", "max-size": 3})) == []


def test_int_or_string_number_and_maps() -> None:
    schema = {"type": "object", "x-kubernetes-validations": [
        {"rule": "type(self.port) == string ? self.port.size() > 0 : self.port > 0"},
        {"rule": "self.ratio == 1.0 && type(self.ratio) == double"},
        {"rule": "self.labels.all(k, k.startsWith('x-'))"}],
        "properties": {"port": {"x-kubernetes-int-or-string": True},
                       "ratio": {"type": "number"},
                       "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}
    assert validate_custom_object(crd(schema), widget({"port": "http", "ratio": 1,
                                                       "labels": {"x-a": "1"}})) == []
    found = validate_custom_object(crd(schema), widget({"port": 0, "ratio": 1, "labels": {"y": "1"}}))
    assert len(found) == 2


def test_embedded_resource_shows_type_and_name_only() -> None:
    # model.WithTypeAndObjectMeta: metadata has name and generateName only.
    schema = {"type": "object", "properties": {"template": {
        "type": "object", "x-kubernetes-embedded-resource": True,
        "x-kubernetes-preserve-unknown-fields": True,
        "x-kubernetes-validations": [{"rule": "self.kind == 'Pod' && !has(self.metadata.labels)"
                                              " && self.metadata.name == 'p'"}]}}}
    obj = widget({"template": {"apiVersion": "v1", "kind": "Pod",
                               "metadata": {"name": "p", "labels": {"a": "b"}}}})
    assert validate_custom_object(crd(schema), obj) == []


def test_absent_values_are_not_validated() -> None:
    schema = {"type": "object", "properties": {"opt": {
        "type": "object", "x-kubernetes-validations": [{"rule": "false"}]}}}
    assert validate_custom_object(crd(schema), widget({})) == []
    assert len(validate_custom_object(crd(schema), widget({"opt": {}}))) == 1


def test_compile_errors_and_unsupported_rules_of_a_crd() -> None:
    schema = {"type": "object", "x-kubernetes-validations": [
        {"rule": "self.a <"}, {"rule": "self.m.all(k, v, v > 0)"}, {"rule": "true"}]}
    problems = rule_problems(crd(schema))
    assert [(p.kind, p.rule_path[-1]) for p in problems] == [("compile", "rule"), ("unsupported", "rule")]
