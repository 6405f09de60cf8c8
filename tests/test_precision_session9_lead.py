"""False findings the lead's session-9 round found on public repositories (see
docs/real-repositories.md, "session 9 (lead)"); each test is the smallest input that gave
one, with the repository and file it comes from."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check, check_text
from k8slint.config import Config


def _found(result) -> list[tuple[str, str, str, int]]:
    return [(f.rule, str(f.severity), Path(f.file).name, f.line) for f in result.findings]


def test_a_placeholder_a_kustomize_patch_writes_silences_the_format_rules(tmp_path: Path) -> None:
    """cluster-api-provider-aws test/e2e/data/.../addons/cni/patches/cluster-cni.yaml: a
    patch gives the built Cluster the label `cni: "${CLUSTER_NAME}-crs-0"`, which envsubst
    fills in after the build. The label-syntax finding is placed at the patch, not at the
    object's own file, and was not matched with the object whose value holds a placeholder."""
    (tmp_path / "kustomization.yaml").write_text("resources: [cm.yaml]\npatches:\n- path: patch.yaml\n")
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: \"${X}-b\"}\ndata: {k: v}\n")
    (tmp_path / "patch.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {cni: \"${CLUSTER_NAME}-crs-0\"}\n")
    result = check([str(tmp_path)], Config())
    assert _found(result) == [("template-placeholder", "info", "cm.yaml", 5)]


def test_shell_parameter_expansions_are_placeholders() -> None:
    """cluster-api-provider-aws templates/cluster-template-rosa-machinepool.yaml
    (`${CLUSTER_NAME:0:54}`, a substring) and config/rbac/serviceaccount.yaml (drone/envsubst's
    `${AWS_CONTROLLER_IAM_ROLE/#arn/eks.amazonaws.com/role-arn: arn}`, which YAML splits into
    an annotation key and value): no invalid name, no invalid annotation key."""
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: controller-manager
  annotations:
    ${AWS_CONTROLLER_IAM_ROLE/#arn/eks.amazonaws.com/role-arn: arn}
---
apiVersion: v1
kind: Service
metadata:
  name: ${CLUSTER_NAME:0:54}
spec:
  ports: [{port: 80}]
"""
    assert _found(check_text(text, Config(), name="sa.yaml")) == [("template-placeholder", "info", "sa.yaml", 11)]
