"""kube-score's own expectations for Container Resources, Ephemeral Storage, Image Tag and
Pull Policy, compared with ours at family level: a kube-score warning or critical should be
at least one finding of the mapped rules, ok or skipped none. Where the cluster does not
behave as kube-score assumes, the difference is listed below with the reason."""

from __future__ import annotations

import pytest
import yaml

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

KUBE_SCORE = CORPUS / "peers" / "kube-score"

# kube-score check -> (our rules, which of their findings count)
MAPPING = {
    "Container Resources": (["resource-best-effort", "resource-memory-unset", "resource-unset"], None),
    "Container Ephemeral Storage Request and Limit": (["resource-unset"], "ephemeral-storage"),
    "Container Image Tag": (["image-latest-tag"], None),
    "Container Image Pull Policy": (["image-pull-policy"], None),
}

# (file, check) -> why we differ: kube-score wants an explicit request where the API server
# sets the request to the limit (pkg/apis/core/v1/defaults.go), so the pod is Guaranteed
# (or Burstable with requests == limits) exactly as if both were written.
DISAGREE = {
    ("pod-test-resources-only-limits.yaml", "Container Resources"):
        "limits only: the API server sets requests = limits (Guaranteed QoS)",
    ("deployment-test-resources.yaml", "Container Resources"):
        "limits only: the API server sets requests = limits (Guaranteed QoS)",
    ("statefulset-test-resources.yaml", "Container Resources"):
        "limits only: the API server sets requests = limits (Guaranteed QoS)",
    ("pod-ephemeral-storage-missing-request.yaml", "Container Ephemeral Storage Request and Limit"):
        "an ephemeral-storage limit alone makes the request equal to it",
}


def cases() -> list[dict]:
    if not KUBE_SCORE.is_dir():
        return []
    data = yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text())
    return [c for c in data["cases"] if c["check"] in MAPPING]


def flagged(case: dict) -> bool:
    rules, needle = MAPPING[case["check"]]
    result = check([str(KUBE_SCORE / "testdata" / case["file"])], Config(only=rules))
    return any(needle is None or needle in (f.path or "") for f in result.findings)


def test_every_mapped_case_is_known():
    assert len(cases()) == 15


@pytest.mark.parametrize("case", cases(), ids=lambda c: f"{c['check']}: {c['file']}")
def test_family_level_agreement(case):
    theirs = case["expected"] in ("warning", "critical")
    ours = flagged(case)
    if (case["file"], case["check"]) in DISAGREE:
        assert ours != theirs, f"now agrees; drop it from DISAGREE: {case}"
    else:
        assert ours == theirs, case
