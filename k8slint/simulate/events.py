"""Every kind of event the simulator emits, with the Kubernetes source that backs it.

Each (component, action) pair names the Kubernetes Event reason or condition it stands for
(empty when Kubernetes records none), the place in the Kubernetes source or documentation
that says the component behaves so, and the k8slint function that decides it
(`module:function` under k8slint/, whose docstring or comments carry the details). A test
runs every scenario and checks that each event it sees is in this table and that the named
function exists, so no statement about a component's behaviour is left unbacked.
"""

from __future__ import annotations

from typing import NamedTuple


class EventKind(NamedTuple):
    reason: str          # Kubernetes Event reason or condition ("" when none is recorded)
    source: str          # Kubernetes source file and function, or a kubernetes.io page
    simulated_by: str    # k8slint module:function that produces it


_K = EventKind
_APISERVER = "staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Create"
_RS = "pkg/controller/replicaset/replica_set.go manageReplicas"
_STS = "pkg/controller/statefulset/stateful_set_control.go updateStatefulSet"
_JOB = "pkg/controller/job/job_controller.go syncJob"
_KUBELET_START = "pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod"
_KILL = "pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer"
_ES = "pkg/controller/endpointslice/endpointslice_controller.go syncService"
_PROXY = "pkg/proxy/iptables/proxier.go syncProxyRules"
_DNS = "kubernetes.io/docs/concepts/services-networking/dns-pod-service/"

KINDS: dict[tuple[str, str], EventKind] = {
    # --- kube-apiserver and etcd ---------------------------------------------------
    ("kube-apiserver", "admit"): _K("", _APISERVER + "; pkg/apis/*/v1/defaults.go",
                                    "simulate.admission:filled_defaults"),
    ("kube-apiserver", "reject"): _K("Invalid", "pkg/apis/core/validation/validation.go; "
                                     "plugin/pkg/admission/namespace/lifecycle/admission.go Admit",
                                     "simulate.apply:admit_objects"),
    ("kube-apiserver", "warn"): _K("", "staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/"
                                   "dispatcher.go (validationActions Warn)", "simulate.apply:admit_objects"),
    ("kube-apiserver", "audit"): _K("", "staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/"
                                    "dispatcher.go (validationActions Audit)", "simulate.apply:admit_objects"),
    ("kube-apiserver", "allocate-ip"): _K("", "pkg/registry/core/service/storage/alloc.go allocateCreate",
                                          "simulate.world:World.allocate_service"),
    ("kube-apiserver", "allocate-nodeport"): _K("", "pkg/registry/core/service/portallocator/allocator.go "
                                                "AllocateNext", "simulate.services:allocate_node_ports"),
    ("kube-apiserver", "delete"): _K("", "pkg/registry/core/pod/strategy.go CheckGracefulDelete",
                                     "simulate.termination:stop_pod"),
    ("kube-apiserver", "remove"): _K("", "pkg/registry/core/pod/strategy.go CheckGracefulDelete",
                                     "simulate.termination:stop_pod"),
    ("kube-apiserver", "evict"): _K("", "pkg/registry/core/pod/storage/eviction.go checkAndDecrement",
                                    "simulate.drain:evict"),
    ("kube-apiserver", "evict-refused"): _K("TooManyRequests", "pkg/registry/core/pod/storage/eviction.go "
                                            "checkAndDecrement", "simulate.drain:evict"),
    ("etcd", "store"): _K("", "staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go "
                          "NamespaceKeyFunc", "simulate.admission:etcd_key"),
    # --- controllers (kube-controller-manager) -------------------------------------
    ("deployment-controller", "create-replicaset"): _K("ScalingReplicaSet", "pkg/controller/deployment/"
                                                       "sync.go getNewReplicaSet",
                                                       "simulate.controllers:DeploymentController.start"),
    ("deployment-controller", "scale"): _K("ScalingReplicaSet", "pkg/controller/deployment/rolling.go "
                                           "reconcileNewReplicaSet, reconcileOldReplicaSets; sync.go scale",
                                           "simulate.rollout:DeploymentRollout.sync"),
    ("deployment-controller", "resolve"): _K("", "pkg/controller/deployment/util/deployment_util.go "
                                             "ResolveFenceposts", "k8s.rollout:fenceposts"),
    ("deployment-controller", "complete"): _K("NewReplicaSetAvailable", "pkg/controller/deployment/util/"
                                              "deployment_util.go DeploymentComplete",
                                              "simulate.rollout:DeploymentRollout.complete"),
    ("deployment-controller", "condition"): _K("ProgressDeadlineExceeded", "pkg/controller/deployment/"
                                               "progress.go syncRolloutStatus",
                                               "simulate.controllers:DeploymentController.stalled"),
    ("replicaset-controller", "create-pod"): _K("SuccessfulCreate", _RS,
                                                "simulate.controllers:ReplicaSetController.scale"),
    ("replicaset-controller", "failed-create"): _K("FailedCreate", _RS + "; pkg/controller/controller_utils.go",
                                                   "simulate.world:World.failed_create"),
    ("replicaset-controller", "delete-pod"): _K("SuccessfulDelete", _RS + "; controller_utils.go ActivePods",
                                                "simulate.scenarios:scale_replicaset"),
    ("replicaset-controller", "available"): _K("", "pkg/controller/replicaset/replica_set_utils.go "
                                               "calculateStatus; pkg/api/v1/pod/util.go IsPodAvailable",
                                               "simulate.rollout:Rolling.available_after"),
    ("statefulset-controller", "create-pod"): _K("SuccessfulCreate", _STS + " processReplica",
                                                 "simulate.controllers:StatefulSetController.create"),
    ("statefulset-controller", "create-pvc"): _K("SuccessfulCreate", "pkg/controller/statefulset/"
                                                 "stateful_pod_control.go createPersistentVolumeClaims",
                                                 "simulate.controllers:StatefulSetController.create"),
    ("statefulset-controller", "failed-create"): _K("FailedCreate", "pkg/controller/statefulset/"
                                                    "stateful_pod_control.go CreateStatefulPod",
                                                    "simulate.world:World.failed_create"),
    ("statefulset-controller", "delete"): _K("SuccessfulDelete", _STS + " processCondemned",
                                             "simulate.scenarios:scale_statefulset"),
    ("statefulset-controller", "keep"): _K("", "pkg/controller/statefulset/stateful_set_control.go "
                                           "updateStatefulSet (partition)", "simulate.rollout:StatefulSetRollout.start"),
    ("statefulset-controller", "update"): _K("", "kubernetes.io/docs/concepts/workloads/controllers/"
                                             "statefulset/#update-strategies",
                                             "simulate.rollout:StatefulSetRollout.start"),
    ("statefulset-controller", "complete"): _K("", _STS, "simulate.rollout:StatefulSetRollout.update_next"),
    ("statefulset-controller", "scale"): _K("", _STS, "simulate.controllers:StatefulSetController.scale"),
    ("daemonset-controller", "create-pod"): _K("SuccessfulCreate", "pkg/controller/daemon/"
                                               "daemon_controller.go syncNodes",
                                               "simulate.controllers:DaemonSetController.start"),
    ("daemonset-controller", "failed-create"): _K("FailedCreate", "pkg/controller/daemon/daemon_controller.go "
                                                  "syncNodes", "simulate.world:World.failed_create"),
    ("daemonset-controller", "skip-node"): _K("", "pkg/controller/daemon/daemon_controller.go "
                                              "NodeShouldRunDaemonPod",
                                              "simulate.controllers:daemon_ineligible"),
    ("daemonset-controller", "surge"): _K("", "pkg/controller/daemon/update.go rollingUpdate",
                                          "simulate.rollout:DaemonSetRollout.sync"),
    ("daemonset-controller", "delete"): _K("SuccessfulDelete", "pkg/controller/daemon/update.go rollingUpdate",
                                           "simulate.rollout:DaemonSetRollout.sync"),
    ("daemonset-controller", "update"): _K("", "kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/",
                                           "simulate.rollout:DaemonSetRollout.start"),
    ("job-controller", "create-pod"): _K("SuccessfulCreate", _JOB + " manageJob",
                                         "simulate.jobs:JobController.create"),
    ("job-controller", "failed-create"): _K("FailedCreate", _JOB + " manageJob",
                                            "simulate.world:World.failed_create"),
    ("job-controller", "suspended"): _K("Suspended", _JOB, "simulate.jobs:JobController.start"),
    ("job-controller", "complete"): _K("Completed", _JOB + "; newSuccessCondition",
                                       "simulate.jobs:JobController.pod_finished"),
    ("job-controller", "backoff"): _K("", "pkg/controller/job/backoff_utils.go "
                                      "getRemainingTimeForFailuresCount", "simulate.backoff:job_pod_delay"),
    ("job-controller", "failed"): _K("BackoffLimitExceeded", _JOB + " newFailureCondition; "
                                     "pastBackoffLimitOnFailure", "simulate.jobs:JobController.fail"),
    ("job-controller", "deadline"): _K("DeadlineExceeded", _JOB + " pastActiveDeadline",
                                       "simulate.jobs:JobController.deadline"),
    ("job-controller", "pod-failure-policy"): _K("PodFailurePolicy", "pkg/controller/job/pod_failure_policy.go "
                                                 "matchPodFailurePolicy",
                                                 "simulate.jobs:JobController.pod_failed"),
    ("ttl-after-finished-controller", "delete"): _K("", "pkg/controller/ttlafterfinished/"
                                                    "ttlafterfinished_controller.go processTTL",
                                                    "simulate.jobs:JobController.after_finished"),
    ("cronjob-controller", "schedule"): _K("", "pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob",
                                           "simulate.jobs:CronJobController.start"),
    ("cronjob-controller", "suspended"): _K("", "pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob",
                                            "simulate.jobs:CronJobController.start"),
    ("cronjob-controller", "create-job"): _K("SuccessfulCreate", "pkg/controller/cronjob/cronjob_controllerv2.go "
                                             "syncCronJob; utils.go getJobName",
                                             "simulate.cron:run_window"),
    ("cronjob-controller", "skip"): _K("JobAlreadyActive", "pkg/controller/cronjob/cronjob_controllerv2.go "
                                       "syncCronJob (concurrencyPolicy Forbid)", "simulate.cron:run_window"),
    ("cronjob-controller", "replace"): _K("SuccessfulDelete", "pkg/controller/cronjob/cronjob_controllerv2.go "
                                          "syncCronJob (concurrencyPolicy Replace)", "simulate.cron:run_window"),
    ("cronjob-controller", "missed"): _K("MissSchedule", "pkg/controller/cronjob/utils.go mostRecentScheduleTime",
                                         "simulate.cron:run_window"),
    ("cronjob-controller", "history"): _K("SuccessfulDelete", "pkg/controller/cronjob/cronjob_controllerv2.go "
                                          "cleanupFinishedJobs", "simulate.cron:run_window"),
    ("horizontal-pod-autoscaler", "scale"): _K("SuccessfulRescale", "pkg/controller/podautoscaler/horizontal.go "
                                               "reconcileAutoscaler", "simulate.apply:autoscalers"),
    ("horizontal-pod-autoscaler", "override"): _K("SuccessfulRescale", "pkg/controller/podautoscaler/"
                                                  "horizontal.go reconcileAutoscaler",
                                                  "simulate.scenarios:hpa_override"),
    ("disruption-controller", "budget"): _K("", "pkg/controller/disruption/disruption.go getExpectedPodCount, "
                                            "updatePdbStatus", "simulate.drain:status_of"),
    ("garbage-collector", "delete"): _K("", "pkg/controller/garbagecollector/garbagecollector.go "
                                        "attemptToDeleteItem", "simulate.termination:delete"),
    # --- scheduler --------------------------------------------------------------------
    ("scheduler", "bind"): _K("Scheduled", "pkg/scheduler/schedule_one.go schedulingCycle",
                              "simulate.scheduler:schedule"),
    ("scheduler", "failed-scheduling"): _K("FailedScheduling", "pkg/scheduler/framework/types.go "
                                           "FitError.Error", "simulate.scheduler:schedule"),
    # --- kubelet and the container runtime -------------------------------------------
    ("kubelet", "sandbox"): _K("", _KUBELET_START + " (createPodSandbox)", "simulate.kubelet:start_pod"),
    ("kubelet", "pull"): _K("Pulled", "pkg/kubelet/images/image_manager.go EnsureImageExists",
                            "simulate.kubelet:pull"),
    ("kubelet", "start"): _K("Started", _KUBELET_START + "; kuberuntime_container.go startContainer",
                             "simulate.kubelet:start_pod"),
    ("kubelet", "ready"): _K("", "pkg/kubelet/prober/worker.go doProbe; status/status_manager.go",
                             "simulate.kubelet:container_ready"),
    ("kubelet", "not-ready"): _K("Unhealthy", "pkg/kubelet/prober/worker.go doProbe",
                                 "simulate.kubelet:probe_problem"),
    ("kubelet", "succeeded"): _K("Completed", "pkg/kubelet/kubelet_pods.go getPhase",
                                 "simulate.kubelet:start_pod"),
    ("kubelet", "crash"): _K("", "pkg/kubelet/kubelet_pods.go getPhase; kubernetes.io/docs/concepts/"
                             "workloads/pods/pod-lifecycle/#container-restarts", "simulate.failures:lifecycle"),
    ("kubelet", "back-off"): _K("BackOff", "pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff; "
                                "pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff",
                                "simulate.backoff:crash_loop_delay"),
    ("kubelet", "restart"): _K("Started", "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions",
                               "simulate.failures:lifecycle"),
    ("kubelet", "failed"): _K("", "pkg/kubelet/kubelet_pods.go getPhase (restartPolicy Never/OnFailure)",
                              "simulate.failures:lifecycle"),
    ("kubelet", "probe-failed"): _K("Unhealthy", "pkg/kubelet/prober/worker.go doProbe",
                                    "simulate.failures:probe_kill"),
    ("kubelet", "kill"): _K("Killing", "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions "
                            "(liveness/startup failure)", "simulate.failures:probe_kill"),
    ("kubelet", "prestop"): _K("", _KILL + " (executePreStopHook)", "simulate.termination:stop_pod"),
    ("kubelet", "sigterm"): _K("Killing", _KILL, "k8s.termination:stop_times"),
    ("kubelet", "gone"): _K("", "pkg/kubelet/status/status_manager.go syncPod (deletes with grace 0)",
                            "simulate.termination:stop_pod"),
    # --- network ---------------------------------------------------------------------
    ("endpointslice-controller", "endpoint-ready"): _K("", _ES + "; endpointslice/utils.go podToEndpoint",
                                                       "simulate.world:World.join"),
    ("endpointslice-controller", "endpoint-removed"): _K("", _ES, "simulate.world:World.leave"),
    ("endpointslice-controller", "endpoint-terminating"): _K("", _ES + "; utils.go podToEndpoint (terminating)",
                                                             "simulate.termination:stop_pod"),
    ("kube-proxy", "program"): _K("", _PROXY, "simulate.services:proxy_rules"),
    ("coredns", "dns"): _K("", _DNS, "simulate.network:dns_names"),
    ("cloud-controller-manager", "lb-pending"): _K("", "staging/src/k8s.io/cloud-provider/controllers/service/"
                                                   "controller.go syncLoadBalancerIfNeeded",
                                                   "simulate.services:load_balancer"),
    # --- the user's tools --------------------------------------------------------------
    ("kubectl", "cordon"): _K("NodeNotSchedulable", "staging/src/k8s.io/kubectl/pkg/drain/cordon.go",
                              "simulate.drain:drain"),
    ("kubectl", "evict"): _K("", "staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods",
                             "simulate.drain:evict"),
    ("kubectl", "skip"): _K("", "staging/src/k8s.io/kubectl/pkg/drain/filters.go daemonSetFilter",
                            "simulate.drain:drain"),
    ("kubectl", "scale"): _K("", "staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go",
                             "simulate.scenarios:scale"),
}


def kind_of(actor: str, action: str) -> EventKind | None:
    return KINDS.get((actor, action))
