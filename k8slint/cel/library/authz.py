"""The Kubernetes authorizer library (k8s.io/apiserver/pkg/cel/library/authz.go), as a stub.

k8slint has no cluster to ask, so every check is allowed: the applier is assumed to be
authorized for what it applies (the same assumption as `request.userInfo`, docs/cel.md).
A policy that lets authorized users bypass a rule therefore never refuses here.
"""

from __future__ import annotations

from typing import Any

from ..values import AUTHORIZER, DECISION, PATH_CHECK, RESOURCE_CHECK, unwrap, wrap
from .decl import Decl, member

REASON = "k8slint assumes the applier is authorized (no cluster to ask)"


def authorizer() -> dict[str, Any]:
    return wrap(AUTHORIZER, "")


def request_resource(group: str, resource: str, namespace: str, name: str) -> dict[str, Any]:
    """The `authorizer.requestResource` check of a request for this resource."""
    return wrap(RESOURCE_CHECK, f"{group}/{resource}/{namespace}/{name}")


def _path(auth: Any, path: str) -> dict[str, Any]:
    unwrap(auth, AUTHORIZER)
    if not path:
        raise ValueError("path must not be empty")
    return wrap(PATH_CHECK, path)


def _group(auth: Any, group: str) -> dict[str, Any]:
    unwrap(auth, AUTHORIZER)
    return wrap(RESOURCE_CHECK, group)


def _refine(check: Any, value: str) -> dict[str, Any]:
    return wrap(RESOURCE_CHECK, f"{unwrap(check, RESOURCE_CHECK)}/{value}")


def _resource(check: Any, resource: str) -> dict[str, Any]:
    if not resource:
        raise ValueError("resource must not be empty")
    return _refine(check, resource)


def _check(check: Any, verb: str) -> dict[str, Any]:
    try:
        unwrap(check, PATH_CHECK)
    except TypeError:
        unwrap(check, RESOURCE_CHECK)
    return wrap(DECISION, "allow")


def declarations() -> list[Decl]:
    s, a, r, p, d = "string", "authorizer", "resourcecheck", "pathcheck", "decision"
    return [
        member("path", "authorizer_path", [a, s], p, _path),
        member("group", "authorizer_group", [a, s], r, _group),
        member("serviceAccount", "authorizer_serviceaccount", [a, s, s], a,
               lambda auth, ns, name: wrap(AUTHORIZER, f"system:serviceaccount:{ns}:{name}")),
        member("resource", "groupcheck_resource", [r, s], r, _resource),
        member("subresource", "resourcecheck_subresource", [r, s], r, _refine),
        member("namespace", "resourcecheck_namespace", [r, s], r, _refine),
        member("name", "resourcecheck_name", [r, s], r, _refine),
        member("fieldSelector", "authorizer_fieldselector", [r, s], r, _refine),
        member("labelSelector", "authorizer_labelselector", [r, s], r, _refine),
        member("check", "pathcheck_check", [p, s], d, _check),
        member("check", "resourcecheck_check", [r, s], d, _check),
        member("errored", "decision_errored", [d], "bool", lambda dec: not unwrap(dec, DECISION)),
        member("error", "decision_error", [d], s, lambda dec: ""),
        member("allowed", "decision_allowed", [d], "bool", lambda dec: unwrap(dec, DECISION) == "allow"),
        member("reason", "decision_reason", [d], s, lambda dec: REASON),
    ]
