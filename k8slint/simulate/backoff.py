"""Back-off arithmetic: the kubelet's container restarts and the Job controller's pod retries.

Kubelet (pkg/kubelet/kubelet.go: backOffPeriod = 10 s, MaxContainerBackOff = 300 s;
pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff with client-go
util/flowcontrol.Backoff): the first restart of a crashed container is immediate; each
later one waits 10 s, 20 s, 40 s ... from the container's exit, capped at 300 s; a container
that ran longer than 10 minutes resets the back-off (the entry has expired), so its next
restart is immediate again.

Job controller (pkg/controller/job/job_controller.go DefaultJobPodFailureBackOff = 10 s,
MaxJobPodFailureBackOff = 10 min; backoff_utils.go getRemainingTimeForFailuresCount): after
n consecutive pod failures the replacement waits 10 s × 2^(n-1), capped at 10 minutes,
counted from the last failure.
"""

from __future__ import annotations

KUBELET_BACKOFF_SECONDS = 10.0
KUBELET_MAX_BACKOFF_SECONDS = 300.0
KUBELET_BACKOFF_RESET_SECONDS = 600.0          # 10 minutes of running resets the back-off
JOB_BACKOFF_SECONDS = 10.0
JOB_MAX_BACKOFF_SECONDS = 600.0


def crash_loop_delay(restart: int, ran_for: float = 0.0) -> float:
    """Seconds between a container's exit and its `restart`-th restart (1 = first).

    The first restart is immediate; the n-th (n ≥ 2) waits min(10 × 2^(n-2), 300) s. A run
    longer than 10 minutes resets the count, so the next restart is immediate."""
    if restart <= 1 or ran_for > KUBELET_BACKOFF_RESET_SECONDS:
        return 0.0
    return float(min(KUBELET_BACKOFF_SECONDS * 2.0 ** (restart - 2), KUBELET_MAX_BACKOFF_SECONDS))


def job_pod_delay(failures: int) -> float:
    """Seconds the Job controller waits after the last of `failures` consecutive pod
    failures before it creates the replacement (getRemainingTimeForFailuresCount)."""
    if failures <= 0:
        return 0.0
    delay = JOB_BACKOFF_SECONDS
    for _ in range(1, failures):
        delay *= 2
        if delay >= JOB_MAX_BACKOFF_SECONDS:
            return JOB_MAX_BACKOFF_SECONDS
    return delay
