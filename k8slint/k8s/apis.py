"""Deprecated and removed API versions of the built-in kinds, from Kubernetes 1.16 on.

Sources: kubernetes.io/docs/reference/using-api/deprecation-guide/ (removals and what must
change), kubernetes/api zz_generated.prerelease-lifecycle.go files (deprecated/removed
releases).
Alpha versions that disappeared are not typed here: the bundled schemas tell which
Kubernetes versions know an apiVersion/kind (k8slint.schema.versions_with), and a test
checks this table against them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_
from .versions import Version

_APPS_SELECTOR = N_("spec.selector becomes required, must match spec.template.metadata.labels "
                  "and can no longer be changed")
_INGRESS = N_("backend.serviceName/servicePort become backend.service.name and "
            "backend.service.port.number (or .name), every path needs a pathType, and "
            "spec.backend is renamed spec.defaultBackend")
_WEBHOOK = N_("webhooks[].admissionReviewVersions and sideEffects are required; failurePolicy "
            "now defaults to Fail, matchPolicy to Equivalent and timeoutSeconds to 10")
_CRD = N_("every spec.versions[] entry needs schema.openAPIV3Schema (structural), spec.scope is "
        "required, spec.validation/subresources/additionalPrinterColumns move into each "
        "spec.versions[] entry, and preserveUnknownFields: true is no longer allowed")
_HPA_V2BETA1 = N_("metric targets move under target: {type: Utilization|AverageValue|Value, "
                "averageUtilization|averageValue|value}, e.g. resource.targetAverageUtilization "
                "becomes resource.target.averageUtilization")
_FLOWCONTROL = N_("spec.limited.assuredConcurrencyShares is renamed nominalConcurrencyShares")


@dataclass(frozen=True)
class ApiChange:
    """One apiVersion (some or all of its kinds) that was deprecated and/or removed."""

    api_version: str
    kinds: tuple[str, ...]
    deprecated: Version | None
    removed: Version | None
    replacement: str              # apiVersion to use instead ("" when there is none)
    changes: str = ""             # what else must change when moving to the replacement


API_CHANGES: tuple[ApiChange, ...] = (
    # Removed in 1.16
    ApiChange("extensions/v1beta1", ("Deployment", "DaemonSet", "ReplicaSet"), (1, 8), (1, 16),
              "apps/v1", _APPS_SELECTOR),
    ApiChange("extensions/v1beta1", ("NetworkPolicy",), (1, 9), (1, 16), "networking.k8s.io/v1"),
    ApiChange("extensions/v1beta1", ("PodSecurityPolicy",), None, (1, 16), "",
              N_("PodSecurityPolicy is gone since 1.25: use Pod Security Admission "
                 "(pod-security.kubernetes.io/* namespace labels)")),
    ApiChange("apps/v1beta1", ("Deployment", "StatefulSet", "ControllerRevision"), (1, 8), (1, 16),
              "apps/v1", _APPS_SELECTOR),
    ApiChange("apps/v1beta2", ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                               "ControllerRevision"), (1, 9), (1, 16), "apps/v1", _APPS_SELECTOR),
    # Removed in 1.22
    ApiChange("extensions/v1beta1", ("Ingress",), (1, 14), (1, 22), "networking.k8s.io/v1", _INGRESS),
    ApiChange("networking.k8s.io/v1beta1", ("Ingress",), (1, 19), (1, 22), "networking.k8s.io/v1",
              _INGRESS),
    ApiChange("networking.k8s.io/v1beta1", ("IngressClass",), (1, 19), (1, 22), "networking.k8s.io/v1"),
    ApiChange("admissionregistration.k8s.io/v1beta1",
              ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"), (1, 16), (1, 22),
              "admissionregistration.k8s.io/v1", _WEBHOOK),
    ApiChange("apiextensions.k8s.io/v1beta1", ("CustomResourceDefinition",), (1, 16), (1, 22),
              "apiextensions.k8s.io/v1", _CRD),
    ApiChange("apiregistration.k8s.io/v1beta1", ("APIService",), None, (1, 22), "apiregistration.k8s.io/v1"),
    ApiChange("authentication.k8s.io/v1beta1", ("TokenReview",), (1, 19), (1, 22), "authentication.k8s.io/v1"),
    ApiChange("authorization.k8s.io/v1beta1",
              ("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview",
               "SelfSubjectRulesReview"), (1, 19), (1, 22), "authorization.k8s.io/v1",
              N_("spec.group is renamed spec.groups")),
    ApiChange("certificates.k8s.io/v1beta1", ("CertificateSigningRequest",), (1, 19), (1, 22),
              "certificates.k8s.io/v1",
              N_("spec.signerName and spec.usages are required; status.conditions may not repeat a type")),
    ApiChange("coordination.k8s.io/v1beta1", ("Lease",), (1, 19), (1, 22), "coordination.k8s.io/v1"),
    ApiChange("rbac.authorization.k8s.io/v1beta1",
              ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"), (1, 17), (1, 22),
              "rbac.authorization.k8s.io/v1"),
    ApiChange("scheduling.k8s.io/v1beta1", ("PriorityClass",), (1, 14), (1, 22), "scheduling.k8s.io/v1"),
    ApiChange("storage.k8s.io/v1beta1", ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"),
              (1, 17), (1, 22), "storage.k8s.io/v1"),
    # Removed in 1.25
    ApiChange("batch/v1beta1", ("CronJob",), (1, 21), (1, 25), "batch/v1"),
    ApiChange("discovery.k8s.io/v1beta1", ("EndpointSlice",), (1, 21), (1, 25), "discovery.k8s.io/v1",
              N_("endpoints[].topology[\"kubernetes.io/hostname\"] becomes endpoints[].nodeName and "
                 "topology[\"topology.kubernetes.io/zone\"] becomes endpoints[].zone")),
    ApiChange("events.k8s.io/v1beta1", ("Event",), (1, 22), (1, 25), "events.k8s.io/v1",
              N_("type must be Normal or Warning; deprecated* fields may not be set on create")),
    ApiChange("autoscaling/v2beta1", ("HorizontalPodAutoscaler",), (1, 22), (1, 25), "autoscaling/v2",
              _HPA_V2BETA1),
    ApiChange("policy/v1beta1", ("PodDisruptionBudget",), (1, 21), (1, 25), "policy/v1",
              N_("an empty spec.selector now selects every pod in the namespace (it selected none)")),
    ApiChange("policy/v1beta1", ("PodSecurityPolicy",), (1, 21), (1, 25), "",
              N_("there is no replacement: use Pod Security Admission "
                 "(pod-security.kubernetes.io/* namespace labels)")),
    ApiChange("policy/v1beta1", ("Eviction",), (1, 22), (1, 25), "policy/v1"),
    ApiChange("node.k8s.io/v1beta1", ("RuntimeClass",), (1, 22), (1, 25), "node.k8s.io/v1"),
    # Removed in 1.26
    ApiChange("autoscaling/v2beta2", ("HorizontalPodAutoscaler",), (1, 23), (1, 26), "autoscaling/v2"),
    ApiChange("flowcontrol.apiserver.k8s.io/v1beta1", ("FlowSchema", "PriorityLevelConfiguration"),
              (1, 23), (1, 26), "flowcontrol.apiserver.k8s.io/v1 (v1beta3 on 1.26-1.28)", _FLOWCONTROL),
    # Removed in 1.27
    ApiChange("storage.k8s.io/v1beta1", ("CSIStorageCapacity",), (1, 24), (1, 27), "storage.k8s.io/v1"),
    # Removed in 1.29
    ApiChange("flowcontrol.apiserver.k8s.io/v1beta2", ("FlowSchema", "PriorityLevelConfiguration"),
              (1, 26), (1, 29), "flowcontrol.apiserver.k8s.io/v1", _FLOWCONTROL),
    # Removed in 1.32
    ApiChange("flowcontrol.apiserver.k8s.io/v1beta3", ("FlowSchema", "PriorityLevelConfiguration"),
              (1, 29), (1, 32), "flowcontrol.apiserver.k8s.io/v1"),
    # Removed in 1.33
    ApiChange("authentication.k8s.io/v1beta1", ("SelfSubjectReview",), (1, 28), (1, 33),
              "authentication.k8s.io/v1"),
    # Removed in 1.34
    ApiChange("admissionregistration.k8s.io/v1beta1",
              ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"), (1, 31), (1, 34),
              "admissionregistration.k8s.io/v1"),
    # Removed in 1.37
    ApiChange("storage.k8s.io/v1beta1", ("VolumeAttributesClass",), (1, 34), (1, 37), "storage.k8s.io/v1"),
    ApiChange("networking.k8s.io/v1beta1", ("IPAddress", "ServiceCIDR"), (1, 34), (1, 37),
              "networking.k8s.io/v1"),
    # Deprecated, removal after the newest bundled version
    ApiChange("resource.k8s.io/v1beta1",
              ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"), (1, 35), (1, 38),
              "resource.k8s.io/v1"),
    ApiChange("resource.k8s.io/v1beta2",
              ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"), (1, 36), (1, 39),
              "resource.k8s.io/v1"),
    ApiChange("v1", ("ComponentStatus",), (1, 19), None, "",
              N_("read component health from the components' own /livez and /readyz endpoints")),
)

_BY_KEY: dict[tuple[str, str], ApiChange] = {
    (change.api_version, kind): change for change in API_CHANGES for kind in change.kinds
}


def api_change(api_version: str, kind: str) -> ApiChange | None:
    """The deprecation/removal record of an apiVersion and kind, if it has one."""
    return _BY_KEY.get((api_version, kind))
