"""Kinds: API group, scope, where the pod template lives, controller-added pod labels.

Scope: the `namespaced` flag of each resource in the API discovery documents
(`kubectl api-resources --namespaced=false`). Pod-template paths: the API types of each workload kind.
"""

from __future__ import annotations

CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "APIService", "CSIDriver",
    "CSINode", "VolumeAttachment", "VolumeAttributesClass", "CertificateSigningRequest",
    "ClusterTrustBundle", "FlowSchema", "PriorityLevelConfiguration", "IPAddress", "ServiceCIDR",
    "DeviceClass", "ResourceSlice", "DeviceTaintRule", "StorageVersion", "StorageVersionMigration",
    "ComponentStatus", "TokenReview", "SubjectAccessReview", "SelfSubjectAccessReview",
    "SelfSubjectRulesReview", "SelfSubjectReview", "PodSecurityPolicy",
})

# Create-only kinds whose objects are questions, answered in the response and never stored,
# so they take no name: the access reviews' validation wants their metadata empty
# (kubernetes pkg/apis/authorization/validation/validation.go ValidateSubjectAccessReview and
# the others: "must be empty"; LocalSubjectAccessReview keeps its namespace), TokenReview and
# SelfSubjectReview check only the spec (pkg/registry/authentication tokenreview and
# selfsubjectreview REST Create). Agones' GameServerAllocation, served by its own API server,
# is created the same way (`kubectl create -f`, https://agones.dev/site/docs/reference/gameserverallocation/).
# (group, kind)
NAMELESS_KINDS = frozenset({
    ("authentication.k8s.io", "TokenReview"), ("authentication.k8s.io", "SelfSubjectReview"),
    ("authorization.k8s.io", "SubjectAccessReview"), ("authorization.k8s.io", "LocalSubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectAccessReview"), ("authorization.k8s.io", "SelfSubjectRulesReview"),
    ("allocation.agones.dev", "GameServerAllocation"),
})

# Built-in groups whose kinds are known to us; anything else is a custom resource.
BUILTIN_GROUPS = frozenset({
    "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
    "storage.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
    "apiregistration.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io",
    "discovery.k8s.io", "events.k8s.io", "certificates.k8s.io", "flowcontrol.apiserver.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "resource.k8s.io", "internal.apiserver.k8s.io",
    "storagemigration.k8s.io", "extensions",
})

# kind -> path of the PodTemplateSpec inside the object ("" for a Pod: the object is one).
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}

LONG_RUNNING_KINDS = frozenset({"Deployment", "ReplicaSet", "ReplicationController",
                                "StatefulSet", "DaemonSet"})
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})

# Workload-like custom resources whose controller adds a container that requests resources
# to every pod it makes from the template: Knative Serving puts the queue-proxy sidecar,
# requesting 25m CPU unless an operator sets otherwise, beside the user's containers
# (knative/serving pkg/reconciler/revision/resources/queue.go makeQueueContainer,
# pkg/deployment/config.go QueueSidecarCPURequestDefault). Their pods are never BestEffort.
# (group, kind) -> the added container.
ADDED_SIDECARS: dict[tuple[str, str], str] = {
    ("serving.knative.dev", "Service"): "queue-proxy",
    ("serving.knative.dev", "Configuration"): "queue-proxy",
    ("serving.knative.dev", "Revision"): "queue-proxy",
}

# Labels the controllers add to the pods they create (kubernetes.io/docs/reference/labels-
# annotations-taints/: pod-template-hash, controller-revision-hash, statefulset.kubernetes.io/
# pod-name, apps.kubernetes.io/pod-index, batch.kubernetes.io/job-name ...). A selector
# that requires one of them still selects the controller's pods. Values: None means
# "any value the controller picks"; the simulator computes the real ones.
CONTROLLER_POD_LABELS: dict[str, frozenset[str]] = {
    "Deployment": frozenset({"pod-template-hash"}),
    "ReplicaSet": frozenset(),
    "StatefulSet": frozenset({"controller-revision-hash", "statefulset.kubernetes.io/pod-name",
                              "apps.kubernetes.io/pod-index"}),
    "DaemonSet": frozenset({"controller-revision-hash", "pod-template-generation"}),
    "Job": frozenset({"controller-uid", "job-name", "batch.kubernetes.io/controller-uid",
                      "batch.kubernetes.io/job-name", "batch.kubernetes.io/job-completion-index"}),
    "CronJob": frozenset({"controller-uid", "job-name", "batch.kubernetes.io/controller-uid",
                          "batch.kubernetes.io/job-name",
                          "batch.kubernetes.io/job-completion-index"}),
}


def split_api_version(api_version: str) -> tuple[str, str]:
    """'apps/v1' -> ('apps', 'v1'); 'v1' -> ('', 'v1')."""
    group, _, version = api_version.rpartition("/")
    return group, version


def is_cluster_scoped(kind: str, group: str, crd_scopes: dict[tuple[str, str], str]) -> bool:
    """Scope of a kind: a CRD in the input decides for custom kinds."""
    scope = crd_scopes.get((group, kind))
    if scope is not None:
        return scope == "Cluster"
    return kind in CLUSTER_SCOPED
