"""`k8slint explain`: failures, worked out by hand from the kubelet's and the Job
controller's source.

Kubelet back-off (pkg/kubelet/kubelet.go backOffPeriod 10 s, MaxContainerBackOff 300 s;
kuberuntime_manager.go doBackOff): first restart immediate, then 10, 20, 40 ... s after the
exit, at most 300 s. Job pod back-off (pkg/controller/job/backoff_utils.go
getRemainingTimeForFailuresCount; job_controller.go DefaultJobPodFailureBackOff 10 s,
MaxJobPodFailureBackOff 10 min). Timing of the simulator: a container starts 3 s after its
pod is created on a fresh node (1 s sandbox, 2 s pull), 1 s after on a node that has the
image; a `--fail` container exits 1 s after each start.
"""

from __future__ import annotations

import pytest

from k8slint.simulate.backoff import crash_loop_delay, job_pod_delay
from k8slint.simulate.failures import parse_fail
from tests.test_explain_items import JOB, SERVICE, events, run
from tests.test_explain_scenarios import deployment


def test_back_off_arithmetic():
    assert [crash_loop_delay(n) for n in range(1, 9)] == [0, 10, 20, 40, 80, 160, 300, 300]
    assert crash_loop_delay(4, ran_for=601) == 0           # ran over 10 minutes: reset
    assert [job_pod_delay(n) for n in range(1, 8)] == [10, 20, 40, 80, 160, 320, 600]
    assert job_pod_delay(0) == 0


def test_parse_fail():
    assert parse_fail(["web", "db=3"]) == {"web": 1, "db": 3}
    with pytest.raises(ValueError):
        parse_fail(["web=x"])
    with pytest.raises(ValueError):
        parse_fail(["=1"])


def test_fail_gives_crash_loop_back_off_and_flapping_endpoints():
    # Start 3, exit 4; restart 1 at 4 (immediate), exit 5; +10 -> 15, exit 16; +20 -> 36;
    # +40 -> 77; +80 -> 158; +160 -> 319, exit 320; the next would wait 300 s (620 s), past
    # the 600 s followed after the start.
    data = run(deployment("web", 1) + SERVICE, fail=["web"])
    assert [e["t"] for e in events(data, "restart")] == [4, 15, 36, 77, 158, 319]
    assert [e["t"] for e in events(data, "crash")] == [4, 5, 16, 37, 78, 159, 320]
    back_off = events(data, "back-off")
    assert "waits 10 s" in back_off[0]["message"] and back_off[0]["t"] == 5
    assert data["pods"][0]["restarts"] == {"web": 6}
    # no readiness probe: Ready while running, so the endpoint comes and goes
    ready = [e["t"] for e in events(data, "endpoint-ready")]
    removed = [e["t"] for e in events(data, "endpoint-removed")]
    assert ready[:3] == [3, 4, 15] and removed[:3] == [4, 5, 16]
    assert any("CrashLoopBackOff" in p["message"] for p in data["problems"])


def test_obvious_failing_command_without_fail_option():
    container = "          command: [sh, -c, 'exit 3']"
    data = run(deployment("web", 1, container=container))
    crash = events(data, "crash")
    assert crash[0]["t"] == 3 and "exits with code 3" in crash[0]["message"]


def test_restart_policy_never_ends_failed():
    pod = """apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  containers:
    - {name: once, image: busybox:1.36, command: [sh, -c, 'exit 2']}
"""
    data = run(pod)
    [p] = data["pods"]
    assert p["failed_at"] == 3 and p["exit_codes"] == {"once": 2}
    assert not events(data, "restart")
    assert [e["t"] for e in events(data, "failed", "kubelet")] == [3]


def test_job_backoff_limit_exceeded_after_backoff_limit_plus_one_failures():
    # backoffLimit 2. Pod 1: created 0, starts 3, fails 4; failures 1 <= 2: replacement after
    # 10 s at 14 (node-1 has the image: starts 15, fails 16); failures 2: 20 s -> 36 (starts
    # 37, fails 38); failures 3 > 2: BackoffLimitExceeded at 38 (job_controller.go syncJob:
    # exceedsBackoffLimit := failed > backoffLimit).
    data = run(JOB % ("backoffLimit: 2", ""), fail=["report"])
    assert [p["created_at"] for p in data["pods"]] == [0, 14, 36]
    assert [p["failed_at"] for p in data["pods"]] == [4, 16, 38]
    failed = events(data, "failed", "job-controller")
    assert failed[0]["t"] == 38
    assert "FailureTarget=True, reason BackoffLimitExceeded: Job has reached the specified backoff limit" \
        in failed[0]["message"]
    assert "Failed=True" in failed[-1]["message"]
    assert [e["message"].split("back-off of ")[1] for e in events(data, "backoff")] == ["10 s", "20 s"]


def test_job_on_failure_counts_container_restarts():
    # restartPolicy OnFailure: the kubelet restarts in place; pastBackoffLimitOnFailure:
    # restarts >= backoffLimit. backoffLimit 2: restart 1 at 4, restart 2 at 15 -> fails at 15,
    # its pod is deleted (SIGTERM 15, gone 16).
    text = (JOB % ("backoffLimit: 2", "")).replace("restartPolicy: Never", "restartPolicy: OnFailure")
    data = run(text, fail=["report"])
    failed = events(data, "failed", "job-controller")
    assert failed[0]["t"] == 15 and "2 container restarts >= backoffLimit 2" in failed[0]["message"]
    assert [e["t"] for e in events(data, "sigterm")] == [15]


def test_pod_failure_policy_fail_job():
    # pkg/controller/job/pod_failure_policy.go matchPodFailurePolicy: the first matching rule;
    # FailJob -> reason PodFailurePolicy with the container, pod, exit code and rule index.
    spec = """podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes: {operator: In, values: [42]}"""
    data = run(JOB % (spec, ""), fail=["report=42"])
    [pod] = data["pods"]
    policy = events(data, "pod-failure-policy")
    assert policy[0]["t"] == 4
    assert policy[0]["message"] == (f"Container report for pod default/{pod['name']} failed with exit code 42 "
                                    "matching FailJob rule at index 0")
    assert "reason PodFailurePolicy" in events(data, "failed", "job-controller")[0]["message"]


def test_ttl_seconds_after_finished_deletes_the_job():
    # ttlafterfinished_controller.go processTTL: deleted ttl seconds after it finished.
    # The pod starts at 3 and runs 10 s: Complete at 13, deleted at 113.
    data = run(JOB % ("ttlSecondsAfterFinished: 100", ""))
    [complete] = events(data, "complete", "job-controller")
    [delete] = events(data, "delete", "ttl-after-finished-controller")
    assert (complete["t"], delete["t"]) == (13, 113)


LIVENESS = "          livenessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 10, periodSeconds: 10}"


def test_slow_start_within_liveness_budget_survives():
    # liveness ticks at 13, 23, 33 (start 3 + 10 + k*10); the app answers at 3 + 25 = 28:
    # two failures, then success at 33.
    data = run(deployment("web", 1, container=LIVENESS), slow_start=25)
    assert not events(data, "kill") and data["pods"][0]["ready_at"] == 28


def test_slow_start_without_startup_probe_gets_killed():
    # answers at 3 + 40 = 43: ticks 13, 23, 33 fail (failureThreshold 3) -> killed at 33,
    # restarted at once (first restart); the new run answers at 73, its ticks 43, 53, 63
    # fail -> killed at 63; restart 2 waits 10 s -> 73.
    data = run(deployment("web", 1, container=LIVENESS), slow_start=40)
    assert [e["t"] for e in events(data, "kill")][:2] == [33, 63]
    assert [e["t"] for e in events(data, "restart")][:2] == [33, 73]
    assert data["pods"][0]["ready_at"] is None


def test_slow_start_with_startup_probe_waits():
    # startupProbe period 10, failureThreshold 30: ticks 3, 13, 23, 33, 43 -> started at 43
    # (answers at 43); no readiness probe: Ready at 43; liveness only runs after that.
    container = LIVENESS + "\n          startupProbe: {httpGet: {path: /, port: 8080}, failureThreshold: 30}"
    data = run(deployment("web", 1, container=container), slow_start=40)
    assert not events(data, "kill") and data["pods"][0]["ready_at"] == 43
