"""What the ServiceAccounts of an apply unit's workloads may do at run time (RBAC rules bound
to them): an operator that creates Secrets, ConfigMaps or Services, or labels pods, makes
objects the input does not show."""

from __future__ import annotations

from ..graph import Graph, Object
from ..i18n import _
from ..model import JSON


def run_time_creator(graph: Graph, source: Object, namespace: str | None,
                     resource: str = "secrets", verbs: tuple[str, ...] = ("create",)) -> str | None:
    """A workload of source's apply unit whose ServiceAccount may create `resource` (core
    secrets by default; or another of `verbs`) in `namespace` (a Role or ClusterRole rule
    with the verb on it, bound to it), as 'ServiceAccount argocd-redis of
    Deployment/argocd-redis'; None when there is none. Argo CD's redis pod makes the argocd-redis Secret in an init container
    (`argocd admin redis-initial-password`) that its other pods read; a create request
    carries no name, so resourceNames never limit it
    (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)."""
    if namespace is None:
        return None
    for binding in graph.local(source, graph.of_kind("RoleBinding", "ClusterRoleBinding")):
        if binding.kind == "RoleBinding" and binding.namespace != namespace:
            continue
        role_ref = binding.get("roleRef")
        if not isinstance(role_ref, dict) or not _grants(graph, binding, role_ref, resource, verbs):
            continue
        subjects = binding.get("subjects")
        for subject in subjects if isinstance(subjects, list) else ():
            if not isinstance(subject, dict) or subject.get("kind") != "ServiceAccount":
                continue
            account_namespace = subject.get("namespace") or binding.namespace
            if binding.kind == "RoleBinding" and account_namespace != namespace:
                continue              # it may create Secrets here, but runs elsewhere: still a creator
            for workload in graph.local(source, graph.workloads(account_namespace)):
                template = workload.pod_template
                if template is not None and template.spec.get("serviceAccountName") == subject.get("name"):
                    return _("ServiceAccount {account} of {workload}").format(account=subject.get("name"),
                                                                            workload=f"{workload.kind}/{workload.name}")
    return None


def _grants(graph: Graph, binding: Object, role_ref: JSON, resource: str, verbs: tuple[str, ...]) -> bool:
    """The role a binding names grants one of `verbs` on a core resource."""
    kind, name = role_ref.get("kind"), role_ref.get("name")
    if not isinstance(name, str) or kind not in ("Role", "ClusterRole"):
        return False
    roles = graph.named(kind, binding.namespace if kind == "Role" else None, name)
    for role in graph.local(binding, roles):
        rules = role.get("rules")
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, dict) and _has(rule, "apiGroups", "") and _has(rule, "resources", resource) \
                    and any(_has(rule, "verbs", verb) for verb in verbs):
                return True
    return False


def _has(rule: JSON, field: str, wanted: str) -> bool:
    values = rule.get(field)
    return isinstance(values, list) and (wanted in values or "*" in values)
