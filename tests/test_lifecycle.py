"""Termination timing (pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer) and the lifecycle rules beyond their examples."""

from __future__ import annotations

import math

import pytest

from k8slint.api import check
from k8slint.config import Config
from k8slint.k8s.defaults import grace_period
from k8slint.k8s.termination import command_sleep_seconds, prestop_seconds, stop_times
from tests.conftest import CORPUS, pod, service

LIFECYCLE_RULES = ["lifecycle"]          # the category: every lifecycle rule


@pytest.mark.parametrize("grace, prestop, sigterm, sigkill, cut", [
    (45, 10.0, 10, 45, False),       # §8.4 example
    (30, 60.0, 30, 32, True),        # §8.4 example: hook cut, 2 s stop window
    (30, 29.0, 29, 31, False),       # less than 2 s left: the window still is 2 s
    (30, 30.0, 30, 32, True),
    (0, 10.0, 1, 3, True),           # §8.5: the kubelet's 1 s minimum, then 2 s
    (30, None, 0, 30, False),        # no hook: SIGTERM at once
    (1, None, 0, 2, False),
])
def test_stop_times(grace, prestop, sigterm, sigkill, cut):
    times = stop_times(grace, prestop, has_hook=prestop is not None)
    assert (times.sigterm, times.sigkill, times.hook_cut) == (sigterm, sigkill, cut)


@pytest.mark.parametrize("command, seconds", [
    (["sleep", "10"], 10),
    (["/bin/sh", "-c", "sleep 5 && nginx -s quit; sleep 10"], 15),
    (["/bin/sleep", "1m"], 60),
    (["sh", "-c", "sleep 2.5s"], 2.5),
    (["sleep", "infinity"], math.inf),
    (["sh", "-c", "while pgrep nginx; do sleep 1; done"], None),   # depends on the app
    (["sh", "-c", "echo sleeping; nosleep 5"], None),
    (["sleep", "$(DELAY)"], None),
    ("sleep 5", None),
])
def test_command_sleep_seconds(command, seconds):
    assert command_sleep_seconds(command) == seconds


def test_prestop_seconds_shapes():
    assert prestop_seconds({"preStop": {"sleep": {"seconds": 7}}}) == (True, 7.0)
    assert prestop_seconds({"preStop": {"httpGet": {"path": "/drain", "port": 80}}}) == (True, None)
    assert prestop_seconds({"postStart": {"sleep": {"seconds": 7}}}) == (False, None)
    assert prestop_seconds("nonsense") == (False, None)


def test_grace_period_defaults():
    assert grace_period({}) == 30
    assert grace_period({"terminationGracePeriodSeconds": 0}) == 0
    assert grace_period({"terminationGracePeriodSeconds": -5}) == 1   # treated as 1
    assert grace_period({"terminationGracePeriodSeconds": "60"}) == 30


def test_sidecar_prestop_counts_and_plain_init_containers_do_not(lint):
    text = pod("""
  terminationGracePeriodSeconds: 10
  initContainers:
    - name: proxy
      image: proxy:1
      restartPolicy: Always
      lifecycle: {preStop: {exec: {command: [sleep, "15"]}}}
  containers:
    - {name: web, image: web:1}
""")
    found = lint(text, "prestop-exceeds-grace")
    assert [f.path for f in found] == ["spec.initContainers[0].lifecycle.preStop.exec.command"]


def test_exec_sleep_longer_than_grace_is_a_warning_not_a_rejection(lint):
    # Only the sleep handler is checked against the grace period by the API server.
    text = pod("""
  containers:
    - name: web
      image: web:1
      lifecycle: {preStop: {exec: {command: [sleep, "40"]}}}
""")
    found = lint(text, *LIFECYCLE_RULES)
    assert [(f.rule, str(f.severity)) for f in found] == [("prestop-exceeds-grace", "warning")]
    assert "SIGTERM at 30 s, SIGKILL at 32 s" in found[0].message


def test_grace_zero_does_not_also_report_prestop_timing(lint):
    text = pod("""
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: web:1
      lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
""")
    assert [f.rule for f in lint(text, *LIFECYCLE_RULES)] == ["grace-period-zero"]


def test_sleep_zero_is_valid_from_133(lint):
    text = pod("""
  containers:
    - {name: web, image: web:1, lifecycle: {preStop: {sleep: {seconds: 0}}}}
""")
    assert lint(text, "lifecycle-hook-invalid", version="1.33") == []
    assert len(lint(text, "lifecycle-hook-invalid", version="1.32")) == 1


def test_prestop_missing_skips_jobs_and_unselected_workloads(lint):
    text = """
apiVersion: batch/v1
kind: Job
metadata: {name: seed}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Never
      containers: [{name: seed, image: seed:1}]
---
""" + service()
    assert lint(text, "prestop-missing") == []


def test_no_lifecycle_errors_on_real_manifests():
    for bundle in sorted((CORPUS / "real").iterdir()):
        if not bundle.is_dir():
            continue
        result = check([str(bundle)], Config(only=LIFECYCLE_RULES))
        errors = [f for f in result.findings if str(f.severity) == "error"]
        assert errors == [], (bundle.name, errors)
