"""Agreement with kube-score's "Deployment targeted by HPA does not have replicas configured"
(tests/corpus/peers/kube-score/expectations.yaml, derived from kube-score's own tests).

kube-score grades `critical` where our `hpa-target-sets-replicas` reports the Deployment, and
`ok` or `skipped` where it reports nothing. Ours is broader on purpose (any HPA target with
spec.replicas, not only Deployments), which kube-score's cases do not exercise.
"""

from __future__ import annotations

import yaml

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS

KUBE_SCORE = CORPUS / "peers" / "kube-score"
CHECK = "Deployment targeted by HPA does not have replicas configured"
RULE = "hpa-target-sets-replicas"


def test_agreement_with_kube_score_hpa_replicas():
    cases = [c for c in yaml.safe_load((KUBE_SCORE / "expectations.yaml").read_text())["cases"]
             if c["check"] == CHECK]
    assert len(cases) >= 2
    for case in cases:
        result = check([str(KUBE_SCORE / "testdata" / case["file"])], Config(only=[RULE]))
        fired = [f for f in result.findings if f.rule == RULE]
        assert bool(fired) == (case["expected"] == "critical"), (case, fired)
        assert all(f.object.kind == "Deployment" and f.path == "spec.replicas" for f in fired)
