"""Agreement with kube-score's own expectations for its cross-object checks.

A kube-score grade of warning or critical must match at least one finding of the mapped
rule (any severity: an info still tells the user), and ok/skipped must match none.
"""

from __future__ import annotations

import pytest
import yaml

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

KUBE_SCORE = CORPUS / "peers" / "kube-score"

CHECK_TO_RULE = {
    "Service Targets Pod": "service-selects-nothing",
    "Ingress targets Service": "ingress-service-missing",
    "HorizontalPodAutoscaler has target": "hpa-target-missing",
    "NetworkPolicy targets Pod": "networkpolicy-selects-nothing",
    "StatefulSet has ServiceName": "statefulset-service-invalid",
    "StatefulSet Pod Selector labels match template metadata labels": "workload-selector-mismatch",
}

# (file, kube-score check) -> why we differ.
DISAGREEMENTS = {
    ("ingress_issue363.yaml", "Ingress targets Service"):
        "a networking.k8s.io/v1 Ingress written with the v1beta1 fields serviceName/servicePort "
        "(kube-score keeps it only to test that it does not panic). kube-score reads v1 fields, "
        "finds no service name and says critical; we read either spelling and the named Service "
        "app-service exists, so the reference holds. The wrong field names are a schema error, "
        "reported by the schema rules, not a dangling reference.",
}

# Cases we agree on only through an info (the target may exist outside the input).
AGREE_BY_INFO = {
    ("ingress-v1-invalid-backend.yaml", "Ingress targets Service"):
        "the input has no Service at all in the namespace: we say info, not warning",
}


def _cases() -> list[dict]:
    data = yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text(encoding="utf-8"))
    return [c for c in data["cases"] if c["check"] in CHECK_TO_RULE]


def _verdict(case: dict) -> tuple[bool, list]:
    rule = CHECK_TO_RULE[case["check"]]
    result = check([str(KUBE_SCORE / "testdata" / case["file"])], Config(only=[rule]))
    return bool(result.findings), result.findings


def test_agreement_with_kube_score_wiring_checks():
    cases = _cases()
    assert len(cases) >= 40
    disagreements = {}
    infos = set()
    for case in cases:
        flagged, findings = _verdict(case)
        expected = case["expected"] in ("warning", "critical")
        key = (case["file"], case["check"])
        if flagged != expected:
            disagreements[key] = case["expected"]
        elif flagged and all(str(f.severity) == "info" for f in findings):
            infos.add(key)
    assert set(disagreements) == set(DISAGREEMENTS), disagreements
    assert infos == set(AGREE_BY_INFO), infos
    agreement = 1 - len(disagreements) / len(cases)
    assert agreement >= 0.95, f"{agreement:.1%} agreement"


@pytest.mark.parametrize("check_name", sorted(CHECK_TO_RULE))
def test_every_mapped_check_has_cases(check_name):
    assert any(c["check"] == check_name for c in _cases())
