"""Agreement with kube-score's own expectations (tests/corpus/peers/kube-score/
expectations.yaml, derived from kube-score's tests), one case per test.

A kube-score grade of warning or critical must match at least one finding of the mapped
rules (any severity: an info still tells the user), ok or skipped must match none. Where we
grade differently on purpose, the case is listed in DISAGREE with the reason; a listed case
that starts to agree fails too, so the list stays true.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import yaml

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

KUBE_SCORE = CORPUS / "peers" / "kube-score"


@dataclass(frozen=True)
class Ours:
    rules: tuple[str, ...]
    path: str | None = None          # only findings at a path containing this count
    exact_path: str | None = None    # every finding of the rules must be at this path
    wiring: bool = False             # cross-object: an agreement by infos alone is listed


MAPPING = {
    # probes
    "Pod Probes": Ours(("probe-readiness-missing",)),
    "Pod Probes Identical": Ours(("probe-liveness-identical",)),
    # resources and images
    "Container Resources": Ours(("resource-best-effort", "resource-memory-unset", "resource-unset")),
    "Container Ephemeral Storage Request and Limit": Ours(("resource-unset",), path="ephemeral-storage"),
    "Container Image Tag": Ours(("image-latest-tag",)),
    "Container Image Pull Policy": Ours(("image-pull-policy",)),
    # controllers
    "Deployment targeted by HPA does not have replicas configured":
        Ours(("hpa-target-sets-replicas",), exact_path="spec.replicas"),
    # wiring between objects
    "Service Targets Pod": Ours(("service-selects-nothing",), wiring=True),
    "Ingress targets Service": Ours(("ingress-service-missing",), wiring=True),
    "HorizontalPodAutoscaler has target": Ours(("hpa-target-missing",), wiring=True),
    "NetworkPolicy targets Pod": Ours(("networkpolicy-selects-nothing",), wiring=True),
    "StatefulSet has ServiceName": Ours(("statefulset-service-invalid",), wiring=True),
    "StatefulSet Pod Selector labels match template metadata labels": Ours(("workload-selector-mismatch",), wiring=True),
}

# (file, kube-score check) -> why we grade it differently.
LIMITS_ONLY = "limits only: the API server sets requests = limits (pkg/apis/core/v1/defaults.go), Guaranteed QoS"
DISAGREE = {
    ("pod-test-resources-only-limits.yaml", "Container Resources"): LIMITS_ONLY,
    ("deployment-test-resources.yaml", "Container Resources"): LIMITS_ONLY,
    ("statefulset-test-resources.yaml", "Container Resources"): LIMITS_ONLY,
    ("pod-ephemeral-storage-missing-request.yaml", "Container Ephemeral Storage Request and Limit"):
        "an ephemeral-storage limit alone makes the request equal to it",
    ("ingress_issue363.yaml", "Ingress targets Service"):
        "a networking.k8s.io/v1 Ingress written with the v1beta1 fields serviceName/servicePort "
        "(kube-score keeps it only to test that it does not panic). kube-score reads v1 fields, "
        "finds no service name and says critical; we read either spelling and the named Service "
        "app-service exists, so the reference holds. The wrong field names are a schema error, "
        "reported by the schema rules, not a dangling reference.",
}

# Cross-object cases we agree on only through an info (the target may exist outside the input).
AGREE_BY_INFO = {
    ("ingress-v1-invalid-backend.yaml", "Ingress targets Service"):
        "the input has no Service at all in the namespace: we say info, not warning",
}

# Known differences kube-score's tests do not exercise (so no case above shows them):
# kube-score (score/probes/probes.go as read) treats any pod with a serviceAccountName as
# "behind a Service" (we do not), counts plain init containers' probes (we count app
# containers and sidecars) and calls probes with the same path and port identical even when
# liveness is more patient (we only flag a liveness probe that gives up as fast as readiness
# or faster; zegl/kube-score#339). hpa-target-sets-replicas is broader than its Deployment
# check on purpose (any HPA target with spec.replicas).


def _cases() -> list[dict]:
    data = yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text(encoding="utf-8"))
    return [c for c in data["cases"] if c["check"] in MAPPING]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['check']}: {c['file']}")
def test_agreement(case):
    ours = MAPPING[case["check"]]
    result = check([str(KUBE_SCORE / "testdata" / case["file"])], Config(only=list(ours.rules)))
    found = [f for f in result.findings if f.rule in ours.rules]
    counted = [f for f in found if ours.path is None or ours.path in (f.path or "")]
    flagged = bool(counted)
    theirs = case["expected"] in ("warning", "critical")
    key = (case["file"], case["check"])
    if key in DISAGREE:
        assert flagged != theirs, f"now agrees with kube-score; drop it from DISAGREE: {key}"
    else:
        assert flagged == theirs, (case, [f.message for f in found])
    if ours.wiring:
        only_infos = flagged and all(str(f.severity) == "info" for f in counted)
        assert only_infos == (key in AGREE_BY_INFO), [(f.severity, f.message) for f in counted]
    if ours.exact_path is not None:
        assert all(f.path == ours.exact_path for f in found), [f.path for f in found]


@pytest.mark.parametrize("check_name", sorted(MAPPING))
def test_every_mapped_check_has_cases(check_name):
    assert any(c["check"] == check_name for c in CASES)


def test_the_listed_differences_are_cases():
    keys = {(c["file"], c["check"]) for c in CASES}
    assert set(DISAGREE) | set(AGREE_BY_INFO) <= keys
    assert len(CASES) == 71          # every kube-score case of the mapped checks
