"""Objects whose namespace the apply command decides.

A namespaced object that sets no metadata.namespace goes to the namespace `kubectl apply -n`
names, else to the kubeconfig context's (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go:
ApplyFlags.ToOptions reads it with f.ToRawKubeConfigLoader().Namespace(), and
ApplyOptions.GetObjects builds with NamespaceParam(o.Namespace).DefaultNamespace(), which
sets it on each object without one). k8slint assumes `default` (or --namespace). When such
an object and one that names a namespace are apart only by that assumption, the unit applied
with `-n <that namespace>` puts them together: tektoncd/triggers' docs/getting-started has
the ServiceAccount without a namespace and the ClusterRoleBinding naming it in
`getting-started`, and its README applies every file with `kubectl -n getting-started`.
"""

from __future__ import annotations

from .graph import Graph, Object
from .i18n import _


def from_context(obj: Object) -> bool:
    """Whether a namespaced object sets no namespace of its own."""
    if obj.namespace is None:
        return False
    namespace = obj.get("metadata", "namespace")
    return not (isinstance(namespace, str) and namespace)


def together_with(source: Object, source_side: str | None, others: list[Object],
                  source_from_context: bool) -> tuple[Object, str] | None:
    """(other, namespace) for the first of `others` (objects of source's unit in another
    namespace than `source_side`) that `kubectl apply -n namespace` would put in one
    namespace with the source side: exactly one of the two sets no namespace."""
    for other in others:
        if other.namespace is None or other.namespace == source_side:
            continue
        if from_context(other) and not source_from_context and source_side is not None:
            return other, source_side
        if source_from_context and not from_context(other):
            return other, other.namespace
    return None


def unless_applied_with(message: str, other: Object, namespace: str) -> str:
    """The finding's message, with the apply that would make it untrue. It names no file:
    identical copies of a manifest in several folders then say the same, and their findings
    become one (k8slint.repeats: strimzi's install/ and its documentation's copy)."""
    return _("{message} - unless the unit is applied with `kubectl apply -n {namespace}`, which puts "
             "{kind} {name} and what sets no namespace of its own in one namespace").format(
        message=message, namespace=namespace, kind=other.kind, name=other.name)


def same_name_apart(graph: Graph, source: Object, kind: str, namespace: str | None, name: str,
                    named_by_source: bool) -> tuple[Object, str] | None:
    """For a reference from `source` to kind/name in `namespace` that finds nothing there:
    an object of that kind and name in source's unit that the apply's namespace would put
    there (`named_by_source`: the namespace is the source's own, not a field of the reference)."""
    others = [o for o in graph.local(source, graph.of_kind(kind)) if o.name == name]
    if not others:
        return None
    return together_with(source, namespace, others, named_by_source and from_context(source))
