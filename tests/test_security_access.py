"""Literal credentials in env and RBAC grants."""

from __future__ import annotations

import pytest

from k8slint.checks.security import credential_kind


@pytest.mark.parametrize("name, value", [
    ("DB_PASSWORD", "s3cr3t-pass"), ("GITHUB_TOKEN", "abcd1234"), ("STRIPE_API_KEY", "not-a-real-one"),
    ("ANYTHING", "AKIAIOSFODNN7EXAMPLE"), ("CONFIG", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
    ("DATABASE_URL", "postgres://app:pa55word@db:5432/app"),
    ("SLACK", "xoxb-1234567890-abcdefghij"),
])
def test_credentials(name, value):
    assert credential_kind(name, value)


@pytest.mark.parametrize("name, value", [
    ("DB_PASSWORD_FILE", "/run/secrets/db"), ("TOKEN_PATH", "/var/run/token"), ("SECRET_NAME", "db-credentials"),
    ("API_KEY_HEADER", "X-Api-Key"), ("PASSWORD", "$(DB_PASSWORD)"), ("TOKEN", "${TOKEN}"),
    ("SECRET_ENABLED", "true"), ("TOKEN_TTL", "3600"), ("AWS_ACCESS_KEY_ID", "from-vault"),
    ("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db:5432/app"), ("LOG_LEVEL", "debug"),
    ("PASSWORD", "abc"),
])
def test_not_credentials(name, value):
    assert credential_kind(name, value) is None


def test_role_binding_to_cluster_admin_is_namespace_wide(lint):
    text = """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci, namespace: build}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: ci}
  - {kind: User, name: alice}
"""
    found = lint(text, "rbac-cluster-admin-service-account")
    assert len(found) == 1 and "build/ci" in found[0].message
    assert "everything in namespace 'build'" in found[0].message


def test_read_only_aggregated_groups_are_not_wildcard_findings(lint):
    text = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics-reader}
rules:
  - {apiGroups: [metrics.k8s.io], resources: ["*"], verbs: ["*"]}
  - {apiGroups: [""], resources: [secrets], verbs: ["*"]}
"""
    found = lint(text, "rbac-wildcard")
    assert [f.path for f in found] == ["rules[1].verbs"]
