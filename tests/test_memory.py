"""Memory of long-lived processes: checking small inputs again and again (the language
server, the fuzzer, a library user) must not keep anything of each run."""

from __future__ import annotations

import gc

from k8slint.api import check_text

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: other}, ports: [{port: 80}]}
"""


def test_small_checks_leave_nothing_frozen_or_uncollectable() -> None:
    check_text(MANIFEST)                          # lazy imports and caches, once
    gc.collect()
    frozen = gc.get_freeze_count()
    tracked = len(gc.get_objects())
    for _ in range(30):
        result = check_text(MANIFEST)
    assert any(f.rule == "service-selects-nothing" for f in result.findings)   # a real run
    del result
    gc.collect()
    # Before: every run's cyclic garbage was frozen (immortal), some 50 KB per run.
    assert gc.get_freeze_count() == frozen
    assert len(gc.get_objects()) < tracked + 2_000
