"""The real-world bundles: no error from the security, resources and image rules, and
exactly the warnings we defend (see the reasons)."""

from __future__ import annotations

from collections import Counter

import pytest

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

CATEGORIES = ("security", "resources", "image")

# bundle -> {rule: count} of warnings, each defended:
WARNINGS = {
    # Five Deployments without any resources (BestEffort, evicted first); the three app
    # images have no tag (:latest); postgres runs with a literal POSTGRES_PASSWORD.
    "example-voting-app": {"resource-best-effort": 5, "image-latest-tag": 3, "env-secret-literal": 1},
    # node-exporter breaks baseline (hostNetwork+hostPID, hostPath, a host port, SYS_TIME):
    # its namespace must not enforce baseline. prometheus-operator gets every verb on its
    # CRDs, StatefulSets, and on ConfigMaps and Secrets in every namespace.
    "kube-prometheus": {"pod-security-baseline": 4, "rbac-wildcard": 3},
    # Skaffold templates: images are bare names that skaffold replaces; applied as they are,
    # they pull docker.io/library/<name>:latest.
    "microservices-demo": {"image-latest-tag": 11},
    "microservices-demo-release": {},
}


@pytest.mark.parametrize("bundle", sorted(WARNINGS))
def test_real_bundle(bundle):
    result = check([str(CORPUS / "real" / bundle)], Config(enable=list(CATEGORIES)))
    mine = [f for f in result.findings if f.category in CATEGORIES]
    assert [f for f in mine if str(f.severity) == "error"] == []
    warnings = Counter(f.rule for f in mine if str(f.severity) == "warning")
    assert dict(warnings) == WARNINGS[bundle]
