"""Name references: after prefixes, suffixes and hashes changed names, fields that name
another object follow (api/internal/accumulator/namereferencetransformer.go and
api/filters/nameref/nameref.go). A renamed value keeps the position where it was written:
a finding about the reference points at the reference."""

from __future__ import annotations

from typing import Any

from . import fieldspec
from .positions import Positions
from .resource import Gvk, Resource


class ReferenceError(ValueError):
    pass


def fix(positions: Positions, resources: list[Resource]) -> None:
    """Update every name reference in place; raises ReferenceError when a reference could
    name two objects (kustomize refuses to guess)."""
    plan: dict[int, list[tuple[fieldspec.FieldSpec, Gvk]]] = {}
    org_gvks = [r.org_id().gvk for r in resources]
    for target, specs in fieldspec.name_references():
        for spec in specs:
            for index, gvk in enumerate(org_gvks):
                if gvk.selected_by(spec.group, spec.version, spec.kind):
                    plan.setdefault(index, []).append((spec, target))
    for index, filters in plan.items():
        referrer = resources[index]
        candidates = _referable(referrer, resources)
        for spec, target in filters:
            _Filter(positions, referrer, spec, target, candidates).run()


def _referable(referrer: Resource, resources: list[Resource]) -> list[Resource]:
    """reswrangler.go SubsetThatCouldBeReferencedByResource."""
    cur = referrer.cur_id()
    if cur.gvk.cluster_scoped:
        return resources
    binding_namespaces: set[str] = set()
    if referrer.kind == "RoleBinding":
        subjects = referrer.data.get("subjects")
        for subject in subjects if isinstance(subjects, list) else ():
            if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" \
                    and isinstance(subject.get("namespace"), str):
                binding_namespaces.add(subject["namespace"])
    out = []
    for candidate in resources:
        cid = candidate.cur_id()
        if cid.gvk.cluster_scoped or cid.effective_namespace == cur.effective_namespace \
                or candidate.namespace in binding_namespaces:
            out.append(candidate)
    return out


def _same_ending(a: list[str], b: list[str]) -> bool:
    """api/internal/utils SameEndingSubSlice."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return len(long) == 0
    return long[len(long) - len(short):] == short


def _affixes_equal(a: Resource, b: Resource, allow_empty: bool) -> bool:
    if allow_empty:
        return (not a.prefixes or not b.prefixes or _same_ending(a.prefixes, b.prefixes)) \
            and (not a.suffixes or not b.suffixes or _same_ending(a.suffixes, b.suffixes))
    return _same_ending(a.prefixes, b.prefixes) and _same_ending(a.suffixes, b.suffixes)


class _Filter:
    def __init__(self, positions: Positions, referrer: Resource, spec: fieldspec.FieldSpec,
                 target: Gvk, candidates: list[Resource]) -> None:
        self.positions = positions
        self.referrer = referrer
        self.spec = spec
        self.target = target
        self.candidates = candidates

    def run(self) -> None:
        # The spec's own kind was matched against the referrer's original id already.
        spec = fieldspec.FieldSpec(self.spec.path, create=False, text=self.spec.text)
        fieldspec.apply(self.positions, self.referrer.data, spec, self.set, None, ("", 1, 1))

    def set(self, container: Any, key: Any) -> None:
        value = container[key]
        if value is None:
            return
        if isinstance(value, str):
            self._scalar(container, key)
        elif isinstance(value, dict):
            self._mapping(value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    self._scalar(value, index)
                elif isinstance(item, dict):
                    self._mapping(item)

    def _scalar(self, container: Any, key: Any) -> None:
        old = container[key]
        referral = self._select(old, self.candidates, by_namespace=False)
        if referral is not None and referral.name != old:
            container[key] = referral.name

    def _mapping(self, node: dict) -> None:
        if "name" not in node:
            raise ReferenceError(f"{self.spec.text}: no 'name' field in the referring node")
        old = node["name"]
        if not isinstance(old, str):
            return
        candidates = self.candidates
        namespace = node.get("namespace")
        if namespace is not None:
            wanted = str(namespace)
            by_org = [c for c in candidates if not c.org_id().gvk.cluster_scoped
                      and c.org_id().effective_namespace == wanted]
            candidates = by_org or [c for c in candidates if not c.cur_id().gvk.cluster_scoped
                                    and c.cur_id().effective_namespace == wanted]
        referral = self._select(old, candidates, by_namespace=True)
        if referral is None or (referral.name == old and referral.namespace == ""):
            return
        node["name"] = referral.name
        if referral.namespace:
            where = self.positions.key(node, "name", self.positions.at(node, ("", 1, 1)))
            if "namespace" in node:
                node["namespace"] = referral.namespace
            else:
                self.positions.set(node, "namespace", referral.namespace, where[0], where[1])

    def _select(self, old: str, candidates: list[Resource], by_namespace: bool) -> Resource | None:
        """nameref.go selectReferral."""
        found = [c for c in candidates if any(i.name == old for i in c.prev_ids())]
        found = [c for c in found if any(i.gvk.selected_by(*self.target) for i in c.prev_ids())]
        if self.spec.text.endswith("roleRef/name"):
            role_ref = self.referrer.data.get("roleRef")
            if isinstance(role_ref, dict) and role_ref.get("apiGroup") is not None \
                    and role_ref.get("kind") is not None:
                group, kind = str(role_ref["apiGroup"]), str(role_ref["kind"])
                found = [c for c in found if any(i.gvk.selected_by(group, "", kind) for i in c.prev_ids())]
        cur = self.referrer.cur_id()
        if not cur.gvk.cluster_scoped:
            found = [c for c in found if c.cur_id().gvk.cluster_scoped or c.kind == "ServiceAccount"
                     or c.cur_id().effective_namespace == cur.effective_namespace]
        if len(found) == 1:
            return found[0]
        found = [c for c in found if _affixes_equal(c, self.referrer, True)]
        if len(found) > 1:
            found = [c for c in found if _affixes_equal(c, self.referrer, False)]
        if len(found) == 1:
            return found[0]
        if not found:
            return None
        first = found[0]
        if all(c.name == first.name and (not by_namespace or c.namespace == first.namespace) for c in found):
            return first
        names = ", ".join(str(c.cur_id()) for c in found)
        raise ReferenceError(f"{self.referrer.cur_id().show()}: {self.spec.text} {old!r} could name "
                             f"several objects ({names}); kustomize refuses to choose")
