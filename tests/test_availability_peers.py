"""Agreement with Polaris's and kube-score's own tests of disruption budgets, autoscalers and
replicas (issue #18).

Polaris: tests/corpus/peers/polaris/checks/<check>/, where Polaris expects a failure on
`failure*` files and a pass on the others (test/schema_test.go). kube-score:
tests/corpus/peers/kube-score/expectations.yaml, the PodDisruptionBudget and HPA cases of its
own tests (warning or critical = flagged; ok or skipped = not).

A peer check "agrees" when it flags a file exactly when the mapped k8slint rules report a
finding on it (any severity: an info still tells the user). Every disagreement is listed below
with its reason, and every fixture the API server would reject is listed with why; the test
checks both lists, so a change in either direction shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
import yaml

from k8slint.api import check
from k8slint.config import Config
from k8slint.model import Finding, Severity
from tests.conftest import CORPUS

POLARIS = CORPUS / "peers" / "polaris" / "checks"
KUBE_SCORE = CORPUS / "peers" / "kube-score"

Flags = Callable[[list[Finding]], bool]


def _rules(*rules: str, kind: str | None = None) -> Flags:
    return lambda found: any(f.rule in rules and (kind is None or (f.object and f.object.kind == kind))
                             for f in found)


def _budget_vs_autoscaler(found: list[Finding]) -> bool:
    """Polaris's pdbMinAvailableGreaterThanHPAMinReplicas is about a budget against an
    autoscaler: our blocked-budget findings that name one (or a budget the API rejects)."""
    return any(f.rule == "pdb-budget-invalid" or
               (f.rule == "pdb-blocks-eviction" and "HorizontalPodAutoscaler" in f.message) for f in found)


POLARIS_RULES: dict[str, Flags] = {
    "hpaMaxAvailability": _rules("hpa-no-scaling"),
    "hpaMinAvailability": _rules("hpa-min-replicas-one"),
    "pdbDisruptionsIsZero": _rules("pdb-blocks-eviction", "pdb-budget-invalid"),
    "pdbMinAvailableGreaterThanHPAMinReplicas": _budget_vs_autoscaler,
    "missingPodDisruptionBudget": _rules("pdb-missing"),
    "deploymentMissingReplicas": _rules("single-replica"),
}
KUBE_SCORE_RULES: dict[str, Flags] = {
    "PodDisruptionBudget has policy": _rules("pdb-blocks-eviction", "pdb-budget-invalid",
                                             kind="PodDisruptionBudget"),
    "Deployment has PodDisruptionBudget": _rules("pdb-missing", kind="Deployment"),
    "StatefulSet has PodDisruptionBudget": _rules("pdb-missing", kind="StatefulSet"),
    "HorizontalPodAutoscaler has target": _rules("hpa-target-missing"),
    "HorizontalPodAutoscaler Replicas": _rules("hpa-min-replicas-one"),
    "Deployment targeted by HPA does not have replicas configured": _rules("hpa-target-sets-replicas",
                                                                          kind="Deployment"),
}
# pdb-missing is off by default; the comparison turns it on.
ENABLE = ["pdb-missing"]

# --- (peer, check, file) -> why we differ ----------------------------------------------------
INVALID_VERDICT = "not a valid object"
DISAGREEMENTS = {
    ("polaris", "hpaMinAvailability", "success.minReplicaAbsent.yaml"):
        "Polaris reads only an explicit minReplicas; unset it defaults to 1 (autoscaling/v2 "
        "SetDefaults_HorizontalPodAutoscaler), so the autoscaler scales the same way as with an "
        "explicit 1; the target is not in the file, so we say it as an info",
    ("polaris", "pdbDisruptionsIsZero", "success.both.yaml"):
        f"{INVALID_VERDICT}: minAvailable and maxUnavailable together are rejected by the API "
        "server (ValidatePodDisruptionBudgetSpec), which pdb-budget-invalid reports as an error",
    ("polaris", "pdbDisruptionsIsZero", "success.none.yaml"):
        "Polaris is wrong here: a budget with neither field makes the disruption controller expect 0 "
        "pods and allow 0 disruptions (pkg/controller/disruption getExpectedPodCount, updatePdbStatus), "
        "so every eviction of a Running pod it selects is refused, as with maxUnavailable 0",
    ("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "success.equals.yaml"):
        "Polaris is off by one: minAvailable 5 with minReplicas 5 leaves disruptionsAllowed = 5 - 5 = 0 "
        "whenever the autoscaler is at its floor (updatePdbStatus)",
    ("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "success.no-min-replicas.yaml"):
        "Polaris reads only an explicit minReplicas; it defaults to 1 (autoscaling/v2 "
        "SetDefaults_HorizontalPodAutoscaler), and minAvailable 2 of 1 pod allows no eviction at the floor",
    ("polaris", "deploymentMissingReplicas", "failure.yaml"):
        "an opinion we do not share: we say one replica only when a Service or a budget shows the pods "
        "serve something (a singleton controller may run one pod on purpose); the fixture is also "
        "rejected by the API server (Deployment in apiVersion v1, no containers)",
}

# --- fixtures the API server would reject (Kubernetes 1.37), and why -------------------------
NO_SELECTOR = "apps/v1 Deployment without spec.selector (required)"
V1_KIND = "apiVersion v1 has no such kind (PodDisruptionBudget is policy/v1, Deployment apps/v1)"
REMOVED = "an API version removed before 1.37 (policy/v1beta1, autoscaling/v2beta1, v2beta2)"
INVALID = {
    **{("polaris", "pdbDisruptionsIsZero", f.name): V1_KIND for f in (POLARIS / "pdbDisruptionsIsZero").glob("*.yaml")},
    **{("polaris", "deploymentMissingReplicas", f.name): V1_KIND
       for f in (POLARIS / "deploymentMissingReplicas").glob("*.yaml")},
    **{("polaris", c, f.name): NO_SELECTOR for c in ("pdbMinAvailableGreaterThanHPAMinReplicas",
                                                       "missingPodDisruptionBudget")
       for f in (POLARIS / c).glob("*.yaml")},
}


def _polaris_cases() -> list[tuple[str, str, str, bool]]:
    return [("polaris", check_dir.name, path.name, "failure" in path.name)
            for check_dir in sorted(POLARIS.iterdir()) for path in sorted(check_dir.glob("*.yaml"))]


def _kube_score_cases() -> list[tuple[str, str, str, bool]]:
    data = yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text(encoding="utf-8"))
    return [("kube-score", c["check"], c["file"], c["expected"] in ("warning", "critical"))
            for c in data["cases"] if c["check"] in KUBE_SCORE_RULES]


CASES = _polaris_cases() + _kube_score_cases()


def _path(peer: str, check_name: str, file: str) -> Path:
    return POLARIS / check_name / file if peer == "polaris" else KUBE_SCORE / "testdata" / file


@cache
def _findings(peer: str, check_name: str, file: str) -> tuple[Finding, ...]:
    return tuple(check([str(_path(peer, check_name, file))], Config(enable=ENABLE)).findings)


def _flagged(peer: str, check_name: str, file: str) -> bool:
    rules = POLARIS_RULES if peer == "polaris" else KUBE_SCORE_RULES
    return rules[check_name](list(_findings(peer, check_name, file)))


def _kube_score_invalid() -> dict[tuple[str, str, str], str]:
    out = {}
    for peer, check_name, file, _ in _kube_score_cases():
        text = _path(peer, check_name, file).read_text(encoding="utf-8")
        if "v1beta1" in text or "v2beta" in text:
            out[(peer, check_name, file)] = REMOVED
        elif "kind: Deployment" in text:
            out[(peer, check_name, file)] = NO_SELECTOR
    return out


INVALID.update(_kube_score_invalid())


@pytest.mark.parametrize("case", CASES, ids=[f"{p}:{c}:{f}" for p, c, f, _ in CASES])
def test_verdict_matches_the_peer_or_the_listed_reason(case):
    peer, check_name, file, expected = case
    key = (peer, check_name, file)
    agrees = _flagged(peer, check_name, file) == expected
    assert agrees != (key in DISAGREEMENTS), (key, "agrees" if agrees else "differs, unlisted",
                                               DISAGREEMENTS.get(key))


@pytest.mark.parametrize("case", CASES, ids=[f"{p}:{c}:{f}" for p, c, f, _ in CASES])
def test_listed_invalid_fixtures_are_errors_and_the_others_are_not(case):
    """Our own rules say which fixtures the API server rejects: an error on exactly the listed ones."""
    peer, check_name, file, _ = case
    errors = [f for f in _findings(peer, check_name, file) if f.severity is Severity.ERROR]
    listed = (peer, check_name, file) in INVALID or DISAGREEMENTS.get((peer, check_name, file), "").startswith(INVALID_VERDICT)
    assert bool(errors) == listed, (case, [(f.rule, f.message[:80]) for f in errors])


def _agreement(cases: list[tuple[str, str, str, bool]]) -> tuple[int, int]:
    counted = [c for c in cases if not DISAGREEMENTS.get(c[:3], "").startswith(INVALID_VERDICT)]
    agreed = [c for c in counted if c[:3] not in DISAGREEMENTS]
    return len(agreed), len(counted)


def test_agreement_is_at_least_90_percent():
    """Over both peers, leaving out the fixtures whose verdict turns on their being invalid."""
    agreed, counted = _agreement(CASES)
    assert (agreed, counted) == (53, 58)
    assert agreed / counted >= 0.9
    assert _agreement(_kube_score_cases()) == (21, 21)
    assert _agreement(_polaris_cases()) == (32, 37)


def test_agreement_on_fixtures_that_are_valid_objects():
    """Only the HPA fixtures of Polaris are objects the API server accepts as they are."""
    valid = [c for c in CASES if c[:3] not in INVALID and not DISAGREEMENTS.get(c[:3], "").startswith(INVALID_VERDICT)]
    assert sorted({(p, c) for p, c, _, _ in valid}) == [("polaris", "hpaMaxAvailability"),
                                                         ("polaris", "hpaMinAvailability")]
    assert _agreement(valid) == (5, 6)


def test_every_listed_disagreement_is_a_case():
    keys = {c[:3] for c in CASES}
    assert set(DISAGREEMENTS) <= keys
    assert set(INVALID) <= keys
