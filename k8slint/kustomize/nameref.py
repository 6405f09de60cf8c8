"""Name references: after prefixes, suffixes and hashes changed names, fields that name
another object follow (api/internal/accumulator/namereferencetransformer.go and
api/filters/nameref/nameref.go). A renamed value keeps the position where it was written:
a finding about the reference points at the reference."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..i18n import _
from . import fieldspec
from .positions import Positions
from .resource import Gvk, ResId, Resource


class ReferenceError(ValueError):
    pass


class _Ids:
    """The ids of one resource, computed once for the whole pass."""

    __slots__ = ("res", "cur", "has_prev", "prev_names", "org", "cluster", "namespace", "group", "version",
                 "prev_kinds")

    def __init__(self, res: Resource) -> None:
        self.res = res
        self.cur = res.cur_id()
        prev = res.prev                       # (kind, name, namespace), oldest first
        self.has_prev = bool(prev)
        self.prev_names = {name for __, name, __ in prev}
        self.org = res.org_id()
        self.cluster = self.cur.gvk.cluster_scoped
        self.namespace = self.cur.effective_namespace
        # previous ids share today's group and version (Resource.prev_ids)
        self.group, self.version = self.cur.gvk.group, self.cur.gvk.version
        self.prev_kinds = frozenset(kind for kind, __, __ in prev)

    def selected_by(self, group: str, version: str, kind: str) -> bool:
        """Is any previous id of this kind (resid.go IsSelected on each)?"""
        return self.has_prev and (not group or group == self.group) \
            and (not version or version == self.version) and (not kind or kind in self.prev_kinds)


class _Trie:
    """The referrer fields of one kind as a tree of field names: one walk finds them all."""

    __slots__ = ("children", "leaves")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.leaves: list[tuple[fieldspec.FieldSpec, Gvk]] = []


@lru_cache(maxsize=256)
def _trie(gvk: Gvk) -> _Trie | None:
    """The name-reference fields of a referrer of this (original) kind, in kustomize's order."""
    by_kind, any_kind = fieldspec.name_references_by_kind()
    return _make_trie(gvk, by_kind.get(gvk.kind, []) + any_kind)


def _make_trie(gvk: Gvk, entries: list[tuple[int, fieldspec.FieldSpec, Gvk]]) -> _Trie | None:
    root = _Trie()
    found = False
    for __, spec, target in sorted(entries, key=lambda e: e[0]):
        if not gvk.selected_by(spec.group, spec.version, spec.kind):
            continue
        node = root
        for name, __ in spec.path:
            node = node.children.setdefault(name, _Trie())
        node.leaves.append((spec, target))
        found = True
    return root if found else None


def _tries(extra: tuple[tuple[Gvk, tuple[fieldspec.FieldSpec, ...]], ...]) -> Any:
    """_trie, with the name references of `configurations:` files after the defaults."""
    if not extra:
        return _trie
    by_kind, any_kind = fieldspec.name_references_by_kind()
    order = sum(len(v) for v in by_kind.values()) + len(any_kind)
    added: list[tuple[int, fieldspec.FieldSpec, Gvk]] = []
    for target, specs in extra:
        for spec in specs:
            added.append((order, spec, target))
            order += 1
    made: dict[Gvk, _Trie | None] = {}

    def trie(gvk: Gvk) -> _Trie | None:
        if gvk not in made:
            mine = [e for e in added if not e[1].kind or e[1].kind == gvk.kind]
            made[gvk] = _make_trie(gvk, by_kind.get(gvk.kind, []) + any_kind + mine)
        return made[gvk]
    return trie


def fix(positions: Positions, resources: list[Resource],
        extra: tuple[tuple[Gvk, tuple[fieldspec.FieldSpec, ...]], ...] = ()) -> None:
    """Update every name reference in place; raises ReferenceError when a reference could
    name two objects (kustomize refuses to guess). `extra`: the name references of the
    build's `configurations:` files."""
    if not any(r.prev for r in resources):
        return                          # nothing was renamed: every reference still holds
    ids = [_Ids(r) for r in resources]
    by_old: dict[str, list[_Ids]] = {}
    for entry in ids:
        for name in entry.prev_names:
            by_old.setdefault(name, []).append(entry)
    trie_of = _tries(extra)
    for referrer in ids:
        trie = trie_of(referrer.org.gvk)
        if trie is None:
            continue
        walker = _Walker(positions, referrer, ids, by_old)
        walker.walk(referrer.res.data, trie)


def _referable(referrer: _Ids, ids: list[_Ids]) -> list[_Ids]:
    """reswrangler.go SubsetThatCouldBeReferencedByResource (namespaces of _Ids, each
    computed once per pass)."""
    if referrer.cluster:
        return ids
    binding_namespaces: set[str] = set()
    if referrer.res.kind == "RoleBinding":
        subjects = referrer.res.data.get("subjects")
        for subject in subjects if isinstance(subjects, list) else ():
            if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" \
                    and isinstance(subject.get("namespace"), str):
                binding_namespaces.add(subject["namespace"])
    namespace = referrer.namespace
    return [c for c in ids if c.cluster or c.namespace == namespace
            or (binding_namespaces and c.res.namespace in binding_namespaces)]


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


class _Walker:
    def __init__(self, positions: Positions, referrer: _Ids, ids: list[_Ids],
                 by_old: dict[str, list[_Ids]]) -> None:
        self.positions = positions
        self.referrer = referrer
        self.ids = ids
        self._referable: list[_Ids] | None = None        # made on first use (most walks find
        self._candidates: set[int] | None = None         # no renamed name)
        self.by_old = by_old

    @property
    def referable(self) -> list[_Ids]:
        if self._referable is None:
            self._referable = _referable(self.referrer, self.ids)
        return self._referable

    def _allowed(self, candidate: _Ids) -> bool:
        """Is the candidate in the referable subset? Said from namespaces computed once,
        except for a RoleBinding (its subjects' namespaces widen the subset)."""
        referrer = self.referrer
        if referrer.cluster:
            return True
        if referrer.res.kind != "RoleBinding":
            return candidate.cluster or candidate.namespace == referrer.namespace
        if self._candidates is None:
            self._candidates = {id(c) for c in self.referable}
        return id(candidate) in self._candidates

    def walk(self, node: Any, trie: _Trie) -> None:
        """fieldspec.go's walk for every referrer field at once (lists walked through)."""
        if node.__class__ is list:
            for item in node:
                if item.__class__ is dict or item.__class__ is list:
                    self.walk(item, trie)
            return
        if node.__class__ is not dict:
            return
        for name, child in trie.children.items():
            if name not in node:
                continue
            for spec, target in child.leaves:
                self.visit(node, name, spec, target)
            value = node[name]
            if child.children and (value.__class__ is dict or value.__class__ is list):
                self.walk(value, child)

    def visit(self, container: Any, key: Any, spec: fieldspec.FieldSpec, target: Gvk) -> None:
        value = container[key]
        if value is None:
            return
        if isinstance(value, str):
            self._scalar(container, key, spec, target)
        elif isinstance(value, dict):
            self._mapping(value, spec, target)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    self._scalar(value, index, spec, target)
                elif isinstance(item, dict):
                    self._mapping(item, spec, target)

    def _scalar(self, container: Any, key: Any, spec: fieldspec.FieldSpec, target: Gvk) -> None:
        old = container[key]
        if old not in self.by_old:
            return                        # no renamed object ever had this name
        referral = self._select(old, None, spec, target, by_namespace=False)
        if referral is not None and referral.name != old:
            container[key] = referral.name

    def _mapping(self, node: dict[Any, Any], spec: fieldspec.FieldSpec, target: Gvk) -> None:
        if "name" not in node:
            raise ReferenceError(_("{text}: no 'name' field in the referring node").format(text=spec.text))
        old = node["name"]
        if not isinstance(old, str) or old not in self.by_old:
            return
        within: set[int] | None = None
        namespace = node.get("namespace")
        if namespace is not None:
            # nameref.go filterMapCandidatesByNamespace: the candidates of that original
            # namespace when there are any, else those of that current namespace
            wanted = str(namespace)
            by_org = {id(c) for c in self.referable if not c.org.gvk.cluster_scoped
                      and c.org.effective_namespace == wanted}
            within = by_org or {id(c) for c in self.referable
                                if not c.cluster and c.namespace == wanted}
        referral = self._select(old, within, spec, target, by_namespace=True)
        if referral is None or (referral.name == old and referral.namespace == ""):
            return
        node["name"] = referral.name
        if referral.namespace:
            where = self.positions.key(node, "name", self.positions.at(node, ("", 1, 1)))
            if "namespace" in node:
                node["namespace"] = referral.namespace
            else:
                self.positions.set(node, "namespace", referral.namespace, where[0], where[1])

    def _select(self, old: str, within: set[int] | None, spec: fieldspec.FieldSpec, target: Gvk,
                by_namespace: bool) -> Resource | None:
        """nameref.go selectReferral."""
        found = [c for c in self.by_old.get(old, ()) if c.selected_by(*target)]
        if found:
            found = [c for c in found if self._allowed(c)] if within is None \
                else [c for c in found if id(c) in within]
        referrer = self.referrer
        if spec.text.endswith("roleRef/name"):
            role_ref = referrer.res.data.get("roleRef")
            if isinstance(role_ref, dict) and role_ref.get("apiGroup") is not None \
                    and role_ref.get("kind") is not None:
                group, kind = str(role_ref["apiGroup"]), str(role_ref["kind"])
                found = [c for c in found if c.selected_by(group, "", kind)]
        if not referrer.cluster:
            namespace = referrer.namespace
            found = [c for c in found if c.cluster or c.res.kind == "ServiceAccount"
                     or c.namespace == namespace]
        if len(found) == 1:
            return found[0].res
        found = [c for c in found if _affixes_equal(c.res, referrer.res, True)]
        if len(found) > 1:
            found = [c for c in found if _affixes_equal(c.res, referrer.res, False)]
        if len(found) == 1:
            return found[0].res
        if not found:
            return None
        first = found[0].res
        if all(c.res.name == first.name and (not by_namespace or c.res.namespace == first.namespace)
               for c in found):
            return first
        names = ", ".join(str(c.cur) for c in found)
        raise ReferenceError(_("{cur}: {text} {old!r} could name several objects ({names}); kustomize refuses to choose").format(cur=_show(referrer.cur), text=spec.text, old=old, names=names))


def _show(rid: ResId) -> str:
    return rid.show()
