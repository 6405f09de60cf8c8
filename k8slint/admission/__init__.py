"""Admission as the cluster runs it, offline: ValidatingAdmissionPolicies (validating.py)
and CRD validation rules (crd_rules.py), both in CEL (k8slint.cel).

`admission_verdicts(graph, obj)` is what `explain` and the checks ask: which policies of
the input refuse, warn about or audit a CREATE of this object.
"""

from __future__ import annotations

import weakref

from ..graph import Graph, Object
from ..k8s.versions import LATEST, Version
from .validating import Admission, PolicyProblem, Verdict

_CACHE: weakref.WeakKeyDictionary[Graph, dict[Version, Admission]] = weakref.WeakKeyDictionary()


def admission_for(graph: Graph, version: Version = LATEST) -> Admission:
    """The policies of this graph, compiled once (cached per graph and version)."""
    per_graph = _CACHE.setdefault(graph, {})
    if version not in per_graph:
        per_graph[version] = Admission(graph, version)
    return per_graph[version]


def admission_verdicts(graph: Graph, obj: Object, version: Version = LATEST) -> list[Verdict]:
    """The verdicts of the input's ValidatingAdmissionPolicies on a CREATE of `obj`."""
    return admission_for(graph, version).verdicts(obj)


__all__ = ["Admission", "PolicyProblem", "Verdict", "admission_for", "admission_verdicts"]
