"""Agreement with kube-score's "Pod Probes" and "Pod Probes Identical" expectations
(tests/corpus/peers/kube-score/expectations.yaml, derived from kube-score's own tests).

kube-score grades `critical` where we report a finding of the mapped rule, and `ok` or
`skipped` where we report none. Where we disagree on purpose the case is listed below with
the reason; the test fails on any unlisted disagreement and on a listed one that went away.
"""

from __future__ import annotations

import yaml

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

KUBE_SCORE = CORPUS / "peers" / "kube-score"
RULE_FOR_CHECK = {
    "Pod Probes": "probe-readiness-missing",
    "Pod Probes Identical": "probe-liveness-identical",
}
# file -> why we grade it differently from kube-score. None so far: kube-score's "Pod Probes"
# also asks for a readiness probe per pod (not per container), skips Jobs and CronJobs and
# matches Services in the pod's namespace only, as we do. Known differences that its tests
# do not exercise: kube-score (score/probes/probes.go as read) treats any pod with a
# serviceAccountName as "behind a Service" (we do not), counts plain init containers' probes
# (we count app containers and sidecars) and calls probes with the same path and port
# identical even when liveness is more patient (we only flag a liveness probe that gives up
# as fast as readiness or faster; zegl/kube-score#339).
DISAGREEMENTS: dict[str, str] = {}


def _cases() -> list[dict]:
    data = yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text())
    return [c for c in data["cases"] if c["check"] in RULE_FOR_CHECK]


def _verdicts() -> dict[str, tuple[str, bool]]:
    """file -> (kube-score grade, whether our mapped rule fired)."""
    out = {}
    for case in _cases():
        rule = RULE_FOR_CHECK[case["check"]]
        result = check([str(KUBE_SCORE / "testdata" / case["file"])], Config(only=[rule]))
        out[case["file"]] = (case["expected"], any(f.rule == rule for f in result.findings))
    return out


def test_agreement_with_kube_score_probe_checks():
    verdicts = _verdicts()
    assert len(verdicts) >= 13
    disagree = {f for f, (grade, fired) in verdicts.items() if fired != (grade == "critical")}
    assert disagree == set(DISAGREEMENTS), {f: verdicts[f] for f in disagree ^ set(DISAGREEMENTS)}
    agreement = 1 - len(disagree) / len(verdicts)
    assert agreement >= 0.95, f"{agreement:.0%} agreement"
