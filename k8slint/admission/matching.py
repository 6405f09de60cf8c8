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


class _Rule:
    """One NamedRuleWithOperations (admissionregistration v1 RuleWithOperations), for a CREATE.

    matchPolicy Equivalent (the default) also matches the same resource requested through
    another version, so apiVersions is only compared under Exact."""

    __slots__ = ("applies", "groups", "versions", "resources", "scope", "names")

    def __init__(self, rule: Any, exact: bool) -> None:
        rule = rule if isinstance(rule, dict) else {}
        self.applies = _listed(rule.get("operations"), OPERATION)
        self.groups = _values(rule.get("apiGroups"))
        self.versions = _values(rule.get("apiVersions")) if exact else None
        # "*" is every resource, "*/*" every resource and subresource; a CREATE of the
        # object itself has no subresource.
        resources = _values(rule.get("resources"))
        self.resources = None if resources is None or "*/*" in resources else resources
        self.scope = rule.get("scope", "*")
        names = rule.get("resourceNames")
        self.names = frozenset(map(str, names)) if isinstance(names, list) and names else None

    def matches(self, obj: Object, resource: str) -> bool:
        if not self.applies:
            return False
        if self.groups is not None and obj.group not in self.groups:
            return False
        if self.resources is not None and resource not in self.resources:
            return False
        if self.versions is not None and obj.api_version.rpartition("/")[2] not in self.versions:
            return False
        if self.scope == "Cluster" and obj.namespace is not None or \
                self.scope == "Namespaced" and obj.namespace is None:
            return False
        return self.names is None or obj.name in self.names


def _listed(values: Any, value: str) -> bool:
    return isinstance(values, list) and ("*" in values or value in values)


def _values(values: Any) -> frozenset[str] | None:
    """The listed values; None for "*" (everything). Absent is an empty set (nothing)."""
    if not isinstance(values, list):
        return frozenset()
    return None if "*" in values else frozenset(map(str, values))


class _Selector:
    """A metav1.LabelSelector parsed once; absent or {} matches everything."""

    __slots__ = ("selector",)

    def __init__(self, selector: Any) -> None:
        self.selector = from_label_selector(selector) if isinstance(selector, dict) and selector else None

    def matches(self, labels: dict[str, Any]) -> bool:
        return self.selector is None or self.selector.matches({str(k): str(v) for k, v in labels.items()})


def selector_matches(selector: Any, labels: dict[str, Any]) -> bool:
    return _Selector(selector).matches(labels)


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


class Matcher:
    """MatchResources: resourceRules, excludeResourceRules, namespace and object selectors.

    A binding's matchResources narrows the policy's; without resourceRules it only filters
    by its selectors (matching.go: no rules match every resource): `every_resource`."""

    def __init__(self, constraints: dict[str, Any] | None, every_resource: bool = False) -> None:
        constraints = constraints or {}
        exact = constraints.get("matchPolicy") == "Exact"
        rules = constraints.get("resourceRules")
        self.any_resource = every_resource and "resourceRules" not in constraints
        self.rules = [_Rule(r, exact) for r in rules] if isinstance(rules, list) else []
        excluded = constraints.get("excludeResourceRules")
        self.excluded = [_Rule(r, exact) for r in excluded] if isinstance(excluded, list) else []
        self.namespaces = _Selector(constraints.get("namespaceSelector"))
        self.objects = _Selector(constraints.get("objectSelector"))
        self.everything = (self.any_resource and not self.excluded and self.namespaces.selector is None
                           and self.objects.selector is None)

    def may_match(self, group: str, resource: str) -> bool:
        """Whether some resource rule can match this group and resource (an index key)."""
        return self.any_resource or any(
            r.applies and (r.groups is None or group in r.groups)
            and (r.resources is None or resource in r.resources) for r in self.rules)

    def matches(self, obj: Object, resource: str, labels: dict[str, Any] | None) -> bool:
        """`labels`: namespace_labels() of the object."""
        if self.everything:
            return True
        if not self.any_resource and not any(r.matches(obj, resource) for r in self.rules):
            return False
        if any(r.matches(obj, resource) for r in self.excluded):
            return False
        if labels is not None and not self.namespaces.matches(labels):
            return False
        return self.objects.matches(obj.labels)
