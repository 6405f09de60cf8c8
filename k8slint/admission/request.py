"""The variables an admission expression sees for a CREATE by `kubectl apply`.

`request` follows admission.k8s.io/v1 AdmissionRequest as CEL reads it
(k8s.io/apiserver/pkg/admission/plugin/cel/activation.go CreateAdmissionRequest). Its
userInfo is assumed: kubeadm's administrator (user kubernetes-admin in the group
kubeadm:cluster-admins), because a file says nothing of who applies it (docs/cel.md).
"""

from __future__ import annotations

from typing import Any

from ..cel.library.authz import authorizer, request_resource
from ..graph import Graph, Object

USER_INFO = {"username": "kubernetes-admin",
             "groups": ["kubeadm:cluster-admins", "system:authenticated"]}
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"     # set on every Namespace (1.21+)


def namespace_object(graph: Graph, obj: Object) -> dict[str, Any] | None:
    """The Namespace of a namespaced object: from the input, else as the API server has it
    for a namespace that exists already (only its name label); None when cluster-scoped."""
    if obj.namespace is None:
        return None
    found = graph.get("Namespace", None, obj.namespace, "")
    data: dict[str, Any] = dict(found.data) if found is not None else {
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": obj.namespace}}
    meta = dict(data.get("metadata") or {})
    labels = dict(meta.get("labels") or {}) if isinstance(meta.get("labels"), dict) else {}
    labels.setdefault(NAMESPACE_NAME_LABEL, obj.namespace)
    meta["labels"] = labels
    data["metadata"] = meta
    return data


def admission_request(obj: Object, resource: str) -> dict[str, Any]:
    version = obj.api_version.rpartition("/")[2]
    kind = {"group": obj.group, "version": version, "kind": obj.kind}
    res = {"group": obj.group, "version": version, "resource": resource}
    return {
        "kind": kind, "resource": res, "subResource": "", "requestKind": kind,
        "requestResource": res, "requestSubResource": "", "name": obj.name,
        "namespace": obj.namespace or "", "operation": "CREATE", "userInfo": USER_INFO,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions",
                    "fieldManager": "kubectl-client-side-apply"},
    }


def authorizer_variable(obj: Object, resource: str) -> dict[str, Any]:
    auth = authorizer()
    auth["requestResource"] = request_resource(obj.group, resource, obj.namespace or "", obj.name)
    return auth
