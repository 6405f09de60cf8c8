"""Precision on repositories no earlier round read (session 13, precision21): security,
policy and networking projects (kube-bench, trust-manager, kubewarden-controller,
kube-network-policies, haproxytech/kubernetes-ingress, kuma). Each test is a finding that was
not true of what gets applied, reduced to a small input copied from the repository named
beside it; docs/real-repositories.md lists them."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _placeholders(root: Path) -> list[str]:
    return [f[3] for f in _findings(root) if f[1] == "template-placeholder"]


# --- Linux capability lists are not `[PLACEHOLDER]` lists --------------------------------------

# kubernetes-sigs/kube-network-policies (Apache-2.0) install.yaml: `add: ["NET_ADMIN"]`
_NET_ADMIN = {"install.yaml": """\
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: kube-network-policies
      namespace: kube-system
    spec:
      selector:
        matchLabels: {app: kube-network-policies}
      template:
        metadata:
          labels: {app: kube-network-policies}
        spec:
          containers:
          - name: kube-network-policies
            image: registry.k8s.io/networking/kube-network-policies:v0.7.0
            securityContext:
              capabilities:
                add: ["NET_ADMIN"]
    """}

# haproxytech/kubernetes-ingress (Apache-2.0) deploy/haproxy-ingress.yaml: a block list
_NET_BIND = {"deploy.yaml": """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: haproxy-ingress
    spec:
      containers:
      - name: haproxy-ingress
        image: haproxytech/kubernetes-ingress:3.1.0
        securityContext:
          capabilities:
            drop:
              - ALL
            add:
              - NET_BIND_SERVICE
    """}


def test_capability_added_in_a_flow_list_is_not_a_placeholder(tmp_path: Path) -> None:
    _write(tmp_path, _NET_ADMIN)
    assert _placeholders(tmp_path) == []


def test_capability_added_in_a_block_list_is_not_a_placeholder(tmp_path: Path) -> None:
    _write(tmp_path, _NET_BIND)
    assert _placeholders(tmp_path) == []


def test_bracketed_token_in_a_string_field_is_still_a_placeholder(tmp_path: Path) -> None:
    # kubernetes/autoscaler's alicloud example Secret: `key: [YOUR_BASE64_REGION_ID]`
    _write(tmp_path, {"secret.yaml": """\
        apiVersion: v1
        kind: Secret
        metadata:
          name: cloud-config
        data:
          region: [YOUR_BASE64_REGION_ID]
        """})
    assert any("[YOUR_BASE64_REGION_ID]" in m for m in _placeholders(tmp_path))
