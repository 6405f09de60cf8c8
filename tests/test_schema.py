"""The bundled schemas and the validator: verdicts, messages, custom resources."""

from __future__ import annotations

import json
import random
import sys

import pytest

from k8slint import schema
from k8slint.k8s.versions import SUPPORTED
from k8slint.resources import data_dir
from tests.conftest import ROOT


def deployment(**spec) -> dict:
    base = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
    base.update(spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": base}


def errors(data: dict, version=(1, 37)) -> list[str]:
    validator = schema.validator(version, data["apiVersion"], data["kind"])
    assert validator is not None
    found = [str(e) for e in validator.errors(data)]
    assert validator.is_valid(data) == (not found), found
    assert validator._compile()(data) == (not found), found      # the fast validator agrees
    return found


def test_bundle_covers_every_supported_version_and_stays_small():
    assert schema.bundled_versions() == list(SUPPORTED)
    for version in SUPPORTED:
        assert schema.has_kind(version, "apps/v1", "Deployment")
        assert schema.has_kind(version, "v1", "Service")
    size = sum(p.stat().st_size for p in data_dir("schemas").iterdir())
    assert size < 2_000_000


def test_unknown_kind_has_no_validator():
    assert schema.validator((1, 30), "apps/v1", "Deploymnet") is None
    assert schema.validator((1, 30), "extensions/v1beta1", "Deployment") is None


def test_valid_object():
    assert errors(deployment(replicas=3)) == []


def test_type_mismatch_names_path_and_value():
    assert errors(deployment(replicas="3")) == ['spec.replicas: expected integer, got string "3"']


def test_unknown_field_suggests_the_closest():
    data = deployment()
    data["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    assert errors(data) == ['spec.template.spec.containers[0].livenessprobe: unknown field '
                            '"livenessprobe" (did you mean "livenessProbe"?)']
    data = deployment(replica=2)
    assert errors(data) == ['spec.replica: unknown field "replica" (did you mean "replicas"?)']


def test_missing_required_field_points_at_the_parent():
    data = deployment()
    del data["spec"]["selector"]
    validator = schema.validator((1, 37), "apps/v1", "Deployment")
    [error] = validator.errors(data)
    assert (error.path, error.at, error.message) == (("spec",), "key", 'missing required field "selector"')


def test_int_or_string_quantities_and_nulls_accepted():
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "creationTimestamp": None},
           "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]}}
    assert errors(svc) == []
    svc["spec"]["ports"][0]["targetPort"] = True
    assert errors(svc) == ["spec.ports[0].targetPort: expected integer or string, got boolean true"]
    data = deployment()
    data["spec"]["template"]["spec"]["containers"][0]["resources"] = {
        "limits": {"cpu": 1, "memory": "512Mi"}, "requests": {"cpu": 0.5, "memory": 256000}}
    data["spec"]["template"]["spec"]["containers"][0]["args"] = None
    assert errors(data) == []


def test_booleans_are_not_integers():
    assert errors(deployment(replicas=True)) == ["spec.replicas: expected integer, got boolean true"]


def test_version_specific_schema():
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": deployment()["spec"]}
    assert errors(sts, (1, 32)) == ['spec: missing required field "serviceName"']
    assert errors(sts, (1, 33)) == []


def test_lazy_loading():
    schema._index.cache_clear()
    schema._pool.cache_clear()
    schema.validator.cache_clear()
    schema.definitions.cache_clear()
    assert schema._pool.cache_info().currsize == 0
    schema.kinds((1, 30))
    assert schema._pool.cache_info().currsize == 0      # the index alone answers kind questions
    schema.validator((1, 30), "v1", "ConfigMap")
    assert schema._pool.cache_info().currsize == 1


def test_pool_decodes_each_definition_as_the_whole_file_does():
    """The lazy pool finds every definition by its key in the text (schema._Pool)."""
    pool = schema._Pool(schema._pool()._text)
    whole = json.loads(pool._text)["pool"]
    for name in whole:                        # so any search finds the key itself
        assert pool._text.count(json.dumps(name) + ":{") == 1, name
    names = list(whole)
    random.Random(7).shuffle(names)
    for name in names:
        assert pool._decode(name) == whole[name], name
    assert pool._all is None                  # found by key, not by decoding everything
    assert len(pool) == len(whole) and set(pool) == set(whole)


def test_index_decodes_each_version_as_the_whole_file_does():
    """schema._Versions finds each version's entry by its line."""
    versions = schema._Versions(schema._index()._text)
    whole = json.loads(versions._text)["versions"]
    for version in reversed(list(whole)):
        assert versions[version] == whole[version], version
    assert versions._all is None
    assert list(versions) == list(whole)


# What the walker implements exactly, as JSON Schema 2020-12 and jsonschema-rs read it (its
# `pattern` is Python's re, not ECMA 262; `format` and the rest it does not know).
WALKER_EXACT = {"type", "$ref", "properties", "additionalProperties", "items", "required", "enum",
                "oneOf", "anyOf", "allOf", "minimum", "maximum", "minItems", "maxItems",
                "minLength", "maxLength"}


def _keywords(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, sub in value.items():
            out.add(key)
            if key == "properties":
                for field in sub.values():
                    _keywords(field, out)
            else:
                _keywords(sub, out)
    elif isinstance(value, list):
        for sub in value:
            _keywords(sub, out)
    return out


def test_bundled_schemas_use_only_what_the_walker_does_exactly():
    """Validators of built-in kinds are `exact` (their first verdicts come from the walker):
    true only while the bundle keeps to these keywords."""
    used = _keywords(list(json.loads(schema._pool()._text)["pool"].values()), set())
    assert used <= WALKER_EXACT, sorted(used - WALKER_EXACT)
    assert schema.validator((1, 37), "v1", "Pod").exact


def _fixture_objects() -> list[dict]:
    from k8slint.loader import parse_text

    objects = []
    for path in sorted((ROOT / "fixtures").rglob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml")):
        documents, __ = parse_text(str(path), path.read_text(encoding="utf-8", errors="replace"))
        objects += [d.data for d in documents if isinstance(d.data, dict)
                    and isinstance(d.data.get("apiVersion"), str) and isinstance(d.data.get("kind"), str)]
    return objects


def test_walker_and_fast_validator_give_the_same_verdicts_on_the_fixtures():
    objects = _fixture_objects()
    checked = invalid = 0
    compiled = {}
    for version in ((1, 23), (1, 37)):
        for data in objects:
            validator = schema.validator(version, data["apiVersion"], data["kind"])
            if validator is None:
                continue
            walked = not validator._walk(data)
            if validator not in compiled:
                compiled[validator] = validator._compile()
            assert compiled[validator](data) == walked, (version, data.get("metadata"))
            checked += 1
            invalid += not walked
    assert checked > 200 and invalid > 20          # both verdicts were seen


def test_first_verdicts_come_from_the_walker(monkeypatch):
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)       # an import would fail over to jsonschema
    validator = schema.Validator({"$ref": "#/$defs/x"}, schema.definitions((1, 37)), exact=True)
    validator.root = {"$ref": "#/$defs/io.k8s.api.core.v1.ConfigMap"}
    for __ in range(schema.WALKED_FIRST // 2):
        assert validator.is_valid({"data": {"a": "b"}}) and not validator.is_valid({"data": 1})
        assert validator._fast is None
    assert validator.is_valid({"data": {"a": "b"}}) and validator._fast is not None


def test_python_fallback_gives_the_same_verdicts(monkeypatch):
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    validator = schema.Validator({"$ref": "#/$defs/x"}, {"x": {"type": "object", "properties": {
        "n": {"type": "integer"}}, "additionalProperties": False}})
    assert validator.is_valid({"n": 1})
    assert not validator.is_valid({"n": "1"})
    assert not validator.is_valid({"m": 1})


CRD_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["port"],
            "properties": {
                "port": {"x-kubernetes-int-or-string": True,
                         "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "mode": {"type": "string", "enum": ["fast", "safe"]},
                "size": {"type": "integer", "minimum": 1, "exclusiveMaximum": True, "maximum": 10},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "properties": {"spec": {"type": "object"}}},
                "name": {"type": "string", "pattern": "^[a-z]+$", "nullable": True},
            },
        },
    },
}


def custom(**spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Thing", "metadata": {"name": "t"}, "spec": spec}


@pytest.mark.parametrize("spec, expected", [
    ({"port": 80}, []),
    ({"port": "http", "mode": None, "name": None, "extra": {"anything": [1, 2]},
      "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}}}, []),
    ({"port": True}, ["spec.port: expected integer or string, got boolean true"]),
    ({}, ['spec: missing required field "port"']),
    ({"port": 1, "mode": "quick"}, ['spec.mode: unsupported value "quick"; allowed: "fast", "safe"']),
    ({"port": 1, "size": 10}, ["spec.size: must be less than 10, is 10"]),
    ({"port": 1, "size": 0}, ["spec.size: must be at least 1, is 0"]),
    ({"port": 1, "labels": {"a": 1}}, ["spec.labels.a: expected string, got integer 1"]),
    ({"port": 1, "name": "Abc"}, ['spec.name: "Abc" does not match the pattern ^[a-z]+$']),
    ({"port": 1, "prot": 2}, ['spec.prot: unknown field "prot" (did you mean "port"?)']),
])
def test_custom_resource_schema(spec, expected):
    validator = schema.crd_validator(CRD_SCHEMA, (1, 30))
    data = custom(**spec)
    found = [str(e) for e in validator.errors(data)]
    assert found == expected
    assert validator.is_valid(data) == (not expected)


def test_custom_resource_metadata_is_object_meta():
    validator = schema.crd_validator(CRD_SCHEMA, (1, 30))
    data = custom(port=1)
    data["metadata"]["lables"] = {}
    assert [str(e) for e in validator.errors(data)] == [
        'metadata.lables: unknown field "lables" (did you mean "labels"?)']


def test_crd_schemas_per_served_version():
    crd = {"spec": {"versions": [
        {"name": "v1", "served": True, "schema": {"openAPIV3Schema": {"type": "object"}}},
        {"name": "v1beta1", "served": False, "schema": {"openAPIV3Schema": {"type": "object"}}},
        {"name": "v2", "served": True}]}}
    assert schema.crd_schemas(crd) == {"v1": {"type": "object"}, "v2": None}
    legacy = {"spec": {"version": "v1", "validation": {"openAPIV3Schema": {"type": "object"}}}}
    assert schema.crd_schemas(legacy) == {"v1": {"type": "object"}}


@pytest.mark.parametrize("bad", [
    {"type": 5, "properties": [], "required": "spec"},
    {"type": "object", "properties": {"spec": {"type": "object", "required": ["a", 1],
                                               "pattern": "([", "minimum": "1", "enum": "x",
                                               "items": [], "anyOf": "y"}}},
    {"type": "object", "properties": {"spec": {"type": "string", "pattern": "(?<=a)b"}}},
])
def test_malformed_crd_schemas_never_raise(bad):
    validator = schema.crd_validator(bad, (1, 30))
    for spec in ({"a": 1}, "text", None, [1]):
        data = custom()
        data["spec"] = spec
        validator.is_valid(data)
        validator.errors(data)



def test_a_missing_workload_selector_is_reported_once() -> None:
    # pkg/apis/apps/validation ValidateDaemonSetSpec requires spec.selector; the schema
    # requires it too: one finding, workload-selector-mismatch's, not a schema-violation beside it
    from k8slint.api import check_text

    text = ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n"
            "    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: agent:1}]\n")
    errors = [(f.rule, f.line) for f in check_text(text).findings if f.severity.name == "ERROR"]
    assert errors == [("workload-selector-mismatch", 4)]


def _one_of(kind: str, branches: list[dict]) -> dict:
    return {"type": "object", "properties": {"spec": {
        "type": "object", kind: branches,
        "properties": {"folderRef": {"type": "string"}, "organizationRef": {"type": "string"},
                       "projectRef": {"type": "string"}, "displayName": {"type": "string"}}}}}


FIELDS = '"folderRef", "organizationRef", "projectRef"'
ONE_EACH = [{"required": ["folderRef"]}, {"required": ["organizationRef"]}, {"required": ["projectRef"]}]


@pytest.mark.parametrize("kind, branches, spec, expected", [
    # a CRD's "exactly one of these fields" (k8s-config-connector's parent references) is said
    # as the fields, not as the first branch's missing field
    ("oneOf", ONE_EACH, {"displayName": "x"}, [("key", f"spec: needs exactly one of {FIELDS}, has none")]),
    ("oneOf", ONE_EACH, {"folderRef": "f", "projectRef": "p"},
     [("value", f'spec: sets "folderRef", "projectRef": only one of {FIELDS} is allowed')]),
    ("oneOf", ONE_EACH, {"projectRef": "p"}, []),
    ("anyOf", ONE_EACH, {}, [("key", f"spec: needs at least one of {FIELDS}, has none")]),
    ("anyOf", ONE_EACH, {"folderRef": "f", "projectRef": "p"}, []),
    # branches that are not one required field each keep the general messages
    ("oneOf", [{"required": ["folderRef", "projectRef"]}, {"required": ["organizationRef"]}], {},
     [("key", 'spec: missing required field "organizationRef"')]),
    ("oneOf", [{"required": ["folderRef"]}, {"properties": {"projectRef": {"type": "string"}}}],
     {"folderRef": "f"}, [("value", "spec: matches more than one of the allowed shapes")]),
])
def test_one_field_of_several(kind, branches, spec, expected):
    validator = schema.crd_validator(_one_of(kind, branches), (1, 30))
    data = custom(**spec)
    assert [(e.at, str(e)) for e in validator.errors(data)] == expected
    assert validator.is_valid(data) == (not expected)
