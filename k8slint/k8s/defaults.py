"""Defaults the API server fills in (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
pkg/apis/batch/v1/defaults.go). Rules and the simulator
read these; nobody re-types them."""

from __future__ import annotations

from typing import Any

from .fields import as_int

GRACE_PERIOD = 30     # terminationGracePeriodSeconds (pkg/apis/core/v1 SetDefaults_PodSpec)
POD: dict[str, object] = {
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": GRACE_PERIOD,
    "dnsPolicy": "ClusterFirst",
    "schedulerName": "default-scheduler",
    "enableServiceLinks": True,
}
CONTAINER = {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
PORT_PROTOCOL = "TCP"

PROBE = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1,
         "successThreshold": 1, "failureThreshold": 3}

DEPLOYMENT = {"replicas": 1, "strategy": "RollingUpdate", "maxSurge": "25%", "maxUnavailable": "25%",
              "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600, "minReadySeconds": 0}
STATEFULSET = {"replicas": 1, "podManagementPolicy": "OrderedReady", "updateStrategy": "RollingUpdate",
               "partition": 0, "revisionHistoryLimit": 10}
DAEMONSET = {"updateStrategy": "RollingUpdate", "maxUnavailable": 1, "maxSurge": 0}
JOB = {"backoffLimit": 6, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed"}
CRONJOB = {"concurrencyPolicy": "Allow", "suspend": False, "successfulJobsHistoryLimit": 3,
           "failedJobsHistoryLimit": 1}
SERVICE = {"type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}

# Kubelet: minimum time between SIGTERM and SIGKILL when the preStop hook used the grace
# period (pkg/kubelet/kuberuntime/kuberuntime_container.go, minimumGracePeriodInSeconds).
MIN_STOP_WINDOW_SECONDS = 2


# Probe and hook handlers (pkg/apis/core/validation/validation.go validateHandler,
# validateLifecycleHandler): exactly one per probe or hook.
PROBE_KINDS = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
PROBE_NUMBERS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                 "failureThreshold")
HOOK_KINDS = ("postStart", "preStop")
HOOK_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
# tcpSocket passes validation but the kubelet cannot run it as a hook ("Invalid handler":
# pkg/kubelet/lifecycle/handlers.go Run; API docs: "TCPSocket is NOT supported as a
# LifecycleHandler ... lifecycle hooks will fail at runtime").
HOOK_HANDLERS_UNSUPPORTED = ("tcpSocket",)
# `sleep.seconds: 0` is accepted from 1.33 (PodLifecycleSleepActionAllowZero); before, it
# must be > 0. Always ≤ the pod's terminationGracePeriodSeconds (validateSleepAction).
SLEEP_ZERO_ALLOWED_FROM = (1, 33)
# The sleep handler (PodLifecycleSleepAction): in the schema from 1.29 but alpha and off there
# (the API server drops it: pkg/api/pod/util.go dropDisabledFields), on by default from 1.30.
SLEEP_HANDLER_IN_SCHEMA_FROM = (1, 29)
SLEEP_HANDLER_FROM = (1, 30)
PORT_RANGE = (1, 65535)


def probe_value(probe: Any, field: str) -> int:
    """A probe field as the API server stores it: unset or 0 means the default."""
    value = as_int(probe.get(field)) if isinstance(probe, dict) else None
    return PROBE[field] if value is None or value == 0 else value


def grace_period(pod_spec: Any) -> int:
    value = as_int(pod_spec.get("terminationGracePeriodSeconds")) if isinstance(pod_spec, dict) else None
    if value is None:
        return GRACE_PERIOD
    return 1 if value < 0 else value          # negative is accepted and treated as 1 (1.27+)


def image_pull_policy(image: str) -> str:
    """Default imagePullPolicy: Always for :latest or no tag and no digest, else IfNotPresent."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"
