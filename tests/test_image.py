"""Image references (distribution/reference) and the image rules."""

from __future__ import annotations

import pytest

from k8slint.api import check_text
from k8slint.config import Config
from k8slint.k8s.defaults import image_pull_policy
from k8slint.k8s.image import ImageError, moving_tag, parse_image, uppercase_registry

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize("image, domain, path, tag, digest", [
    ("nginx", "docker.io", "library/nginx", None, None),
    ("nginx:1.27.3", "docker.io", "library/nginx", "1.27.3", None),
    ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", None),
    ("quay.io/prometheus/node-exporter:v1.8.2", "quay.io", "prometheus/node-exporter", "v1.8.2", None),
    ("localhost:5000/web", "localhost:5000", "web", None, None),
    ("localhost/web:1", "localhost", "web", "1", None),
    ("registry:5000/a/b/c:Tag_1.0-x", "registry:5000", "a/b/c", "Tag_1.0-x", None),
    (f"nginx@{DIGEST}", "docker.io", "library/nginx", None, DIGEST),
    (f"nginx:1.27@{DIGEST}", "docker.io", "library/nginx", "1.27", DIGEST),
    ("[::1]:5000/web:2", "[::1]:5000", "web", "2", None),
    ("gcr.io/my-project/my__app.v2-x:1", "gcr.io", "my-project/my__app.v2-x", "1", None),
    ("Registry.Example.com/app:1", "Registry.Example.com", "app", "1", None),
])
def test_valid(image, domain, path, tag, digest):
    ref = parse_image(image)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (domain, path, tag, digest)


@pytest.mark.parametrize("image, reason", [
    ("nginx ", "whitespace"), ("ngi nx", "whitespace"), ("", "empty"),
    ("example/Web:1", "must be lowercase"), ("nginx@sha256:abc", "algorithm:hex"),
    (f"nginx@{DIGEST.upper().replace('SHA256', 'sha256')}", "lower-case"),
    ("nginx@md5:" + "0" * 32, "not supported"), ("nginx@sha256:" + "0" * 63, "64"),
    ("nginx:-bad", "tag"), ("nginx:" + "a" * 129, "tag"), ("a//b", "not valid"), ("-a/b", "not valid"),
    ("a" * 64, "image ID"), (":1.0", "empty"), ("web_/x", "not valid"),
])
def test_invalid(image, reason):
    with pytest.raises(ImageError, match=reason):
        parse_image(image)


def test_uppercase_first_component_is_read_as_a_registry():
    ref = parse_image("MyOrg/app:1.0")
    assert ref.domain == "MyOrg" and uppercase_registry(ref, "MyOrg/app:1.0")
    assert not uppercase_registry(parse_image("Registry.Example.com/app:1"), "Registry.Example.com/app:1")


@pytest.mark.parametrize("tag, moving", [
    (None, True), ("latest", True), ("stable", True), ("3", True), ("1.27", True), ("3.12-slim", True),
    ("v2", True), ("main", True), ("1.27.3", False), ("v1.8.2", False), ("20240101", False),
    ("sha-4f2a9c1", False), ("1.0.0-alpine", False), ("1.2.3.4", False),
])
def test_moving_tags(tag, moving):
    assert moving_tag(tag) is moving


@pytest.mark.parametrize("image, policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
    (f"nginx@{DIGEST}", "IfNotPresent"), ("localhost:5000/web", "Always"),
])
def test_default_pull_policy(image, policy):
    assert image_pull_policy(image) == policy


def test_init_and_ephemeral_containers_are_checked():
    text = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: app, image: "app:1.0.0"}]
  ephemeralContainers: [{name: debug, image: "Busy Box"}]
"""
    result = check_text(text, Config(only=["image-invalid", "image-latest-tag"]))
    assert [(f.rule, f.path) for f in result.findings] == [
        ("image-latest-tag", "spec.initContainers[0].image"),
        ("image-invalid", "spec.ephemeralContainers[0].image")]


def test_non_string_image_is_left_to_the_schema_and_a_missing_one_is_refused():
    """A number is the schema's to report (expected string); no image at all passes the
    OpenAPI schema (the field is optional there) but not validateContainerCommon (Required)."""
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: 3}, {name: b}]}\n"
    found = check_text(text, Config(only=["image-invalid", "image-latest-tag", "image-pull-policy"])).findings
    assert [(f.rule, f.path, str(f.severity)) for f in found] == [
        ("image-invalid", "spec.containers[1].name", "error")]
