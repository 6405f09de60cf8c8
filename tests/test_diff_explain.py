"""`k8slint explain --diff`: the change simulated with the explain simulator; rollout steps worked
out by hand from pkg/controller/deployment/rolling.go and stateful_set_control.go."""

from __future__ import annotations

import re

from k8slint.config import Config
from k8slint.diff import _side
from k8slint.diff.explain import render, simulate_diff

BEFORE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'web:1'}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: 'db:1'}]}
"""


def simulate(before: str, after: str):  # noqa: ANN201 - test helper
    config = Config()
    return simulate_diff(_side(before, "before.yaml", config), _side(after, "after.yaml", config), config)


def test_deployment_rollout_steps_by_hand():
    # 4 replicas, 25%/25%: maxSurge ceil(1) = 1, maxUnavailable floor(1) = 1 -> at most 5 pods,
    # at least 3 available. reconcileNewReplicaSet: new = min(5 - all, 4 - new); reconcileOldReplicaSets:
    # scale down at most all - minAvailable(3) - newUnavailable. New pods become available 3 s
    # after creation (the simulator's illustrative sandbox 1 s + image pull 2 s, as at apply).
    explained = simulate(BEFORE, BEFORE.replace("web:1", "web:2"))
    roll = next(r for r in explained.timeline.rollouts if r.object == "Deployment/web")
    steps = [(s.t, s.old, s.new, s.available) for s in roll.steps]
    assert steps == [
        (0, 4, 0, 4),     # start
        (0, 4, 1, 4),     # new up to min(5 - 4, 4) = 1
        (0, 3, 1, 3),     # old down by 5 - 3 - 1 unavailable new = 1
        (0, 3, 2, 3),     # new up to 2 (4 pods now, room for 1)
        (3, 3, 2, 5),     # both new pods available
        (3, 1, 2, 3),     # old down by 5 - 3 - 0 = 2
        (3, 1, 4, 3),     # new up to 4 (3 pods, room for 2)
        (6, 1, 4, 5),     # the last two new pods available
        (6, 0, 4, 4),     # old down to 0: done
    ]


def test_statefulset_steps_by_hand_and_pods_side_by_side():
    # One at a time from the highest ordinal; the next only after the previous is Ready: each step
    # is the old pod's exit (1 s in the simulator: no preStop, the app exits on SIGTERM) plus the
    # new pod's start (3 s), so deletions at 0, 4 and 8 s.
    explained = simulate(BEFORE, BEFORE.replace("db:1", "db:2"))
    roll = next(r for r in explained.timeline.rollouts if r.object == "StatefulSet/db")
    deleted = [(s.t, s.note) for s in roll.steps if s.note.endswith("deleted")]
    assert deleted == [(0, "db-2 deleted"), (4, "db-1 deleted"), (8, "db-0 deleted")]
    [pair] = explained.pairs
    assert [p["name"] for p in pair["old"]] == [p["name"] for p in pair["new"]] == ["db-0", "db-1", "db-2"]
    assert {p["images"][0] for p in pair["old"]} == {"db:1"} and {p["images"][0] for p in pair["new"]} == {"db:2"}
    text = render("human", explained)
    assert "  images: db:1 -> db:2\n" in text
    assert re.search(r"\n  db-0 on node-\d -> db-0 on node-\d\n", text)


def test_refused_change_is_a_rejection_in_the_timeline():
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
           "      restartPolicy: Never\n      containers: [{name: j, image: 'j:1'}]\n")
    explained = simulate(job, job.replace("j:1", "j:2"))
    events = [(e.actor, e.action) for e in explained.timeline.events]
    assert events == [("kube-apiserver", "reject")]
    assert explained.timeline.problems and "change-job-immutable" in explained.timeline.problems[0]["message"]
    assert explained.timeline.rollouts == []
