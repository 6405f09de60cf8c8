"""Allowed values of fields the OpenAPI schema leaves as free strings.

The API server checks them (validation "Unsupported value"), the schema does not: the bundled
definitions have no `enum` at all. Source: pkg/apis/core/validation/validation.go
(supportedPortProtocols, supportedRestartPolicies, validateDNSPolicy, validatePullPolicy,
supportedServiceType, supportedSessionAffinityType, ...), pkg/apis/apps/validation,
pkg/apis/batch/validation, pkg/apis/networking/validation.
Values are case-sensitive.
"""

from __future__ import annotations

PROTOCOLS = ("TCP", "UDP", "SCTP")

# Fields of every pod spec (Pod, and each pod template), relative to the spec.
POD_SPEC_ENUMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("restartPolicy",): ("Always", "OnFailure", "Never"),
    ("dnsPolicy",): ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"),
}

# Fields of every container (init, regular, ephemeral), relative to the container.
CONTAINER_ENUMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("imagePullPolicy",): ("Always", "IfNotPresent", "Never"),
    ("terminationMessagePolicy",): ("File", "FallbackToLogsOnError"),
}
# ...and of each item of a container's ports.
CONTAINER_PORT_ENUMS: dict[tuple[str, ...], tuple[str, ...]] = {("protocol",): PROTOCOLS}

# (group, kind) -> fields relative to the object; "*" steps through every item of a list.
OBJECT_ENUMS: dict[tuple[str, str], dict[tuple[str, ...], tuple[str, ...]]] = {
    ("", "Service"): {
        ("spec", "type"): ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"),
        ("spec", "sessionAffinity"): ("None", "ClientIP"),
        ("spec", "externalTrafficPolicy"): ("Cluster", "Local"),
        ("spec", "internalTrafficPolicy"): ("Cluster", "Local"),
        ("spec", "ipFamilyPolicy"): ("SingleStack", "PreferDualStack", "RequireDualStack"),
        ("spec", "ports", "*", "protocol"): PROTOCOLS,
    },
    ("networking.k8s.io", "Ingress"): {
        ("spec", "rules", "*", "http", "paths", "*", "pathType"): ("Exact", "Prefix", "ImplementationSpecific"),
    },
    ("networking.k8s.io", "NetworkPolicy"): {
        ("spec", "policyTypes", "*"): ("Ingress", "Egress"),
        ("spec", "ingress", "*", "ports", "*", "protocol"): PROTOCOLS,
        ("spec", "egress", "*", "ports", "*", "protocol"): PROTOCOLS,
    },
    ("apps", "Deployment"): {("spec", "strategy", "type"): ("Recreate", "RollingUpdate")},
    ("apps", "StatefulSet"): {
        ("spec", "podManagementPolicy"): ("OrderedReady", "Parallel"),
        ("spec", "updateStrategy", "type"): ("RollingUpdate", "OnDelete"),
    },
    ("apps", "DaemonSet"): {("spec", "updateStrategy", "type"): ("RollingUpdate", "OnDelete")},
    ("batch", "CronJob"): {("spec", "concurrencyPolicy"): ("Allow", "Forbid", "Replace")},
    ("batch", "Job"): {("spec", "completionMode"): ("NonIndexed", "Indexed")},
    ("", "PersistentVolumeClaim"): {
        ("spec", "accessModes", "*"): ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"),
        ("spec", "volumeMode"): ("Filesystem", "Block"),
    },
}
