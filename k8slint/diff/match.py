"""Pairing the objects of two sides by identity: (API group, kind, namespace, name).

The version is not part of an identity (apps/v1 and apps/v1beta2 Deployments of one name are
one object). Kinds that one storage serves under two groups keep their identity when a
manifest moves between the groups (kubernetes.io/docs/reference/using-api/deprecation-guide/:
"all existing persisted objects are accessible via the new API").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from ..graph import Graph, Object
from .model import ADDED, MODIFIED, REMOVED, RENAMED, REPLACED, ObjectChange

GROUP_ALIASES: dict[tuple[str, str], str] = {
    ("extensions", "Deployment"): "apps",
    ("extensions", "DaemonSet"): "apps",
    ("extensions", "ReplicaSet"): "apps",
    ("extensions", "Ingress"): "networking.k8s.io",
    ("extensions", "NetworkPolicy"): "networking.k8s.io",
    ("extensions", "PodSecurityPolicy"): "policy",
    ("events.k8s.io", "Event"): "",
}

# kustomize's name hash: `-` and 10 characters of its encoding alphabet (no vowels), appended
# by configMapGenerator/secretGenerator (sigs.k8s.io/kustomize/api/hasher encode).
HASH_SUFFIX = re.compile(r"-[bcdfghkmt2456789]{10}$")

Identity = tuple[str, str, str | None, str]


def identity(obj: Object) -> Identity:
    group = GROUP_ALIASES.get((obj.group, obj.kind), obj.group)
    return (group, obj.kind, obj.namespace, obj.name)


def unit_of(obj: Object) -> str | None:
    """The kustomization that built the object (None for a plain file's document)."""
    unit = getattr(obj.doc, "unit", None)
    return unit if isinstance(unit, str) else None


def pair(old: Graph, new: Graph, old_display: Callable[[str], str] = str,
         new_display: Callable[[str], str] = str) -> list[ObjectChange]:
    """Every object as MODIFIED (both sides; maybe unchanged), ADDED, REMOVED, REPLACED (same
    name, other kind or group) or RENAMED (a generated ConfigMap/Secret with a new hash)."""
    olds: dict[Identity, list[Object]] = defaultdict(list)
    for obj in old.objects:
        if obj.name:                                   # generateName objects are not applied
            olds[identity(obj)].append(obj)
    changes: list[ObjectChange] = []
    added: list[Object] = []
    for obj in new.objects:
        if not obj.name:
            continue
        candidates = olds.get(identity(obj)) or []
        # A kustomization's output pairs with the same kustomization's output only (several
        # kustomizations may build one identity: variants side by side); a plain file's object
        # with the copy in the same file first, else in input order.
        unit = new_display(unit_of(obj) or "")
        if unit:
            match = next((c for c in candidates if old_display(unit_of(c) or "") == unit), None)
        else:
            plain = [c for c in candidates if not unit_of(c)]
            match = next((c for c in plain if c.file == obj.file), plain[0] if plain else None)
        if match is None:
            added.append(obj)
            continue
        candidates.remove(match)
        changes.append(ObjectChange(MODIFIED, match, obj))
    removed = [o for group in olds.values() for o in group]
    removed.sort(key=lambda o: o.order)
    changes.extend(_leftovers(removed, added))
    return changes


def _leftovers(removed: list[Object], added: list[Object]) -> list[ObjectChange]:
    out: list[ObjectChange] = []
    by_name: dict[tuple[str | None, str], list[Object]] = defaultdict(list)
    for obj in removed:
        by_name[(obj.namespace, obj.name)].append(obj)
    by_base: dict[tuple[str, str | None, str], list[Object]] = defaultdict(list)
    for obj in removed:
        if obj.kind in ("ConfigMap", "Secret") and HASH_SUFFIX.search(obj.name):
            by_base[(obj.kind, obj.namespace, HASH_SUFFIX.sub("", obj.name))].append(obj)
    used: set[int] = set()
    for obj in added:
        same = [o for o in by_name.get((obj.namespace, obj.name), []) if id(o) not in used]
        base = (obj.kind, obj.namespace, HASH_SUFFIX.sub("", obj.name))
        hashed = [o for o in by_base.get(base, []) if id(o) not in used] if HASH_SUFFIX.search(obj.name) else []
        if len(same) == 1:
            used.add(id(same[0]))
            out.append(ObjectChange(REPLACED, same[0], obj))
        elif len(hashed) == 1:
            used.add(id(hashed[0]))
            out.append(ObjectChange(RENAMED, hashed[0], obj))
        else:
            out.append(ObjectChange(ADDED, None, obj))
    out.extend(ObjectChange(REMOVED, o, None) for o in removed if id(o) not in used)
    return out
