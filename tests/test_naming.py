"""Name syntax per kind and Kubernetes version (k8slint.k8s.names)."""

from __future__ import annotations

import pytest

from k8slint.k8s import names


@pytest.mark.parametrize("check, value, ok", [
    (names.check_dns1123_label, "web-1", True),
    (names.check_dns1123_label, "1web", True),
    (names.check_dns1123_label, "Web", False),
    (names.check_dns1123_label, "web.1", False),
    (names.check_dns1123_label, "a" * 64, False),
    (names.check_dns1035_label, "1web", False),
    (names.check_dns1123_subdomain, "web.example.com", True),
    (names.check_dns1123_subdomain, "web..com", False),
    (names.check_dns1123_subdomain, "web_1", False),
    (names.check_path_segment, "system:aggregate-to-view", True),
    (names.check_path_segment, "a/b", False),
    (names.check_path_segment, "..", False),
    (names.check_port_name, "http", True),
    (names.check_port_name, "h2c-8080", True),
    (names.check_port_name, "8080", False),
    (names.check_port_name, "http--alt", False),
    (names.check_port_name, "-http", False),
    (names.check_port_name, "metrics-endpoint", False),       # 16 characters
    (names.check_qualified_name, "app.kubernetes.io/name", True),
    (names.check_qualified_name, "Team_Name", True),
    (names.check_qualified_name, "a/b/c", False),
    (names.check_qualified_name, "/name", False),
    (names.check_qualified_name, "Example.com/name", False),  # prefix is a DNS subdomain
    (names.check_label_value, "", True),
    (names.check_label_value, "v1.2.3_rc-1", True),
    (names.check_label_value, "web server", False),
    (names.check_label_value, "web-", False),
])
def test_syntax(check, value, ok):
    assert (check(value) is None) == ok, check(value)


def test_reasons_are_specific():
    assert names.check_dns1123_label("Web_1") == "contains 'W', '_'"
    assert names.check_dns1123_label("-web") == "must start with a lowercase letter or digit"
    assert names.check_dns1035_label("2fa") == "must start with a lowercase letter"
    assert names.check_port_name("8080") == "must contain at least one letter"
    assert names.check_dns1123_label("a" * 70) == "is 70 characters, at most 63"


@pytest.mark.parametrize("kind, group, version, name, ok", [
    ("Service", "", (1, 35), "2fa-gateway", False),
    ("Service", "", (1, 36), "2fa-gateway", True),
    ("Service", "", (1, 37), "web.api", False),
    ("StatefulSet", "apps", (1, 25), "db.primary", True),
    ("StatefulSet", "apps", (1, 26), "db.primary", False),
    ("Deployment", "apps", (1, 30), "web.v2", True),
    ("Namespace", "", (1, 30), "team.a", False),
    ("ClusterRole", "rbac.authorization.k8s.io", (1, 30), "system:aggregate-to-view", True),
    ("RoleBinding", "rbac.authorization.k8s.io", (1, 30), "Admin:Binding", True),
    ("ConfigMap", "", (1, 30), "Admin:Binding", False),
])
def test_object_name_rules(kind, group, version, name, ok):
    check = names.object_name_check(kind, group, version)
    assert check is not None
    assert (check(name) is None) == ok


def test_special_names_have_no_syntax_rule():
    assert names.object_name_check("CustomResourceDefinition", "apiextensions.k8s.io", (1, 30)) is None
    assert names.object_name_check("IPAddress", "networking.k8s.io", (1, 33)) is None


@pytest.mark.parametrize("name, version, ok", [
    ("LOG_LEVEL", (1, 31), True),
    ("app.log-level", (1, 31), True),
    ("2FA", (1, 31), False),
    ("MY VAR", (1, 31), False),
    ("2FA", (1, 32), True),
    ("MY VAR", (1, 32), True),
    ("A=B", (1, 32), False),
    ("", (1, 32), False),
])
def test_env_names_by_version(name, version, ok):
    assert (names.check_env_name(name, version) is None) == ok


def test_generate_name_prefix():
    assert names.mask_trailing_dash("worker-") == "workera"
    assert names.check_dns1123_label(names.mask_trailing_dash("worker-")) is None
    assert names.mask_trailing_dash("-") == "-"
