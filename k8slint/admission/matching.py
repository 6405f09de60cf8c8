"""Does a policy (and a binding) apply to an object? As the API server decides it for a
CREATE: k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go (Matcher.Match)
and pkg/admission/plugin/webhook/predicates (rules, namespace, object selectors)."""

from __future__ import annotations

from typing import Any

from ..graph import Object
from ..selector import from_label_selector

OPERATION = "CREATE"
# Admission configuration resources are never subject to policies, so that a bad policy
# cannot lock itself in (pkg/admission/plugin/policy/generic/policy_dispatcher.go,
# IsExemptAdmissionConfigurationResource).
EXEMPT = frozenset({("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
                    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
                    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
                    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
                    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
                    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding")})


def _listed(values: Any, value: str) -> bool:
    return isinstance(values, list) and ("*" in values or value in values)


def rule_matches(rule: Any, obj: Object, resource: str) -> bool:
    """One NamedRuleWithOperations (admissionregistration v1 RuleWithOperations) for a CREATE.

    matchPolicy Equivalent (the default) also matches the same resource requested through
    another version, so apiVersions is only compared under Exact (by the caller)."""
    if not isinstance(rule, dict):
        return False
    version = obj.api_version.rpartition("/")[2]
    if not (_listed(rule.get("operations"), OPERATION) and _listed(rule.get("apiGroups"), obj.group)):
        return False
    if not _resource_listed(rule.get("resources"), resource):
        return False
    scope = rule.get("scope", "*")
    if scope == "Cluster" and obj.namespace is not None or scope == "Namespaced" and obj.namespace is None:
        return False
    names = rule.get("resourceNames")
    if isinstance(names, list) and names and obj.name not in names:
        return False
    return rule.get("_exact") is not True or _listed(rule.get("apiVersions"), version)


def _resource_listed(resources: Any, resource: str) -> bool:
    # "*" is every resource, "*/*" every resource and subresource; a CREATE of the object
    # itself has no subresource (pkg/apis/admissionregistration RuleWithOperations).
    if not isinstance(resources, list):
        return False
    return any(r in ("*", "*/*", resource) for r in resources)


def selector_matches(selector: Any, labels: dict[str, Any]) -> bool:
    """A metav1.LabelSelector; absent or {} matches everything."""
    if not isinstance(selector, dict) or not selector:
        return True
    parsed = from_label_selector(selector)
    return parsed is None or parsed.matches({str(k): str(v) for k, v in labels.items()})


def namespace_labels(obj: Object, namespace_obj: dict[str, Any] | None) -> dict[str, Any] | None:
    """The labels a namespaceSelector is matched against; None for cluster-scoped objects,
    which every namespaceSelector matches (predicates/namespace/matcher.go MatchNamespaceSelector),
    except a Namespace, matched on its own labels."""
    if obj.kind == "Namespace" and obj.group == "":
        return obj.labels
    if obj.namespace is None:
        return None
    meta = (namespace_obj or {}).get("metadata") or {}
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    return labels


def constraints_match(constraints: dict[str, Any] | None, obj: Object, resource: str,
                      namespace_obj: dict[str, Any] | None) -> bool:
    """MatchResources: resourceRules, excludeResourceRules, namespace and object selectors."""
    if constraints is None:
        return True
    exact = constraints.get("matchPolicy") == "Exact"
    rules = constraints.get("resourceRules")
    if not isinstance(rules, list) or not any(
            rule_matches({**r, "_exact": exact} if isinstance(r, dict) else r, obj, resource) for r in rules):
        return False
    excluded = constraints.get("excludeResourceRules")
    if isinstance(excluded, list) and any(
            rule_matches({**r, "_exact": exact} if isinstance(r, dict) else r, obj, resource) for r in excluded):
        return False
    labels = namespace_labels(obj, namespace_obj)
    if labels is not None and not selector_matches(constraints.get("namespaceSelector"), labels):
        return False
    return selector_matches(constraints.get("objectSelector"), obj.labels)


def binding_constraints_match(match_resources: dict[str, Any] | None, obj: Object, resource: str,
                              namespace_obj: dict[str, Any] | None) -> bool:
    """A binding's matchResources narrows the policy's; without resourceRules it only
    filters by its selectors (matching.go: an empty rule list matches all resources)."""
    if match_resources is None:
        return True
    if "resourceRules" not in match_resources:
        match_resources = {**match_resources, "resourceRules": [
            {"apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"], "operations": ["*"]}]}
    return constraints_match(match_resources, obj, resource, namespace_obj)
