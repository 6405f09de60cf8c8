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


def test_a_check_pauses_the_collector_once_for_load_and_checks(monkeypatch, tmp_path) -> None:
    """One pause around the whole run: its freeze decision counts the objects of the load
    and of the checks together (apart, each could stay under the threshold while the
    whole does not, and the report's first collection would walk every document)."""
    from k8slint import api, loader, parallel

    seen: list[bool] = []
    load, build = parallel.load, api.graph_mod.build

    def spy_load(*args, **kwargs):
        seen.append(gc.isenabled())
        return load(*args, **kwargs)

    def spy_build(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(parallel, "load", spy_load)
    monkeypatch.setattr(api.graph_mod, "build", spy_build)
    (tmp_path / "m.yaml").write_text(MANIFEST)
    assert gc.isenabled()
    api.check([str(tmp_path)])
    assert seen == [False, False] and gc.isenabled()
    frozen = gc.get_freeze_count()
    monkeypatch.setattr(loader, "FREEZE_MIN_OBJECTS", 1)      # any run counts as large now
    api.check([str(tmp_path)])
    assert gc.get_freeze_count() > frozen
    gc.unfreeze()
