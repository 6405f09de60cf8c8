"""A resource during a build: its data and what kustomize keeps beside it.

kustomize keeps previous ids, name prefixes and suffixes, the hash and generator-behaviour
flags as internal annotations (api/resource/resource.go, api/internal/utils/annotations.go);
here they are attributes, removed from nothing because they never enter the data.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any, NamedTuple

from ..i18n import _
from .positions import Pos

DEFAULT_NAMESPACE = "default"
NOT_NAMESPACED = "_non_namespaceable_"   # kyaml/resid/resid.go TotallyNotANamespace


@lru_cache(maxsize=1)
def _cluster_scoped() -> frozenset[str]:
    return smp_schema()["cluster_scoped"]  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def smp_schema() -> dict[str, Any]:
    """The strategic-merge facts of kustomize's embedded OpenAPI (smp_schema.json.gz)."""
    import gzip  # only here: most runs build nothing

    with open(os.path.join(os.path.dirname(__file__), "smp_schema.json.gz"), "rb") as handle:
        data = handle.read()
    loaded: dict[str, Any] = json.loads(gzip.decompress(data))
    loaded["cluster_scoped"] = frozenset(loaded["cluster_scoped"])
    return loaded


def split_api_version(api_version: str) -> tuple[str, str]:
    """kyaml/resid/gvk.go ParseGroupVersion."""
    group, slash, version = api_version.partition("/")
    return (group, version) if slash else ("", api_version)


class Gvk(NamedTuple):
    group: str
    version: str
    kind: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def cluster_scoped(self) -> bool:
        """kyaml openapi IsCertainlyClusterScoped: only kinds its schema knows are."""
        found = _SCOPED.get(self)
        if found is None:
            if len(_SCOPED) > 4096:
                _SCOPED.clear()
            found = _SCOPED[self] = f"{self.api_version}/{self.kind}" in _cluster_scoped()
        return found

    def selected_by(self, group: str = "", version: str = "", kind: str = "") -> bool:
        """kyaml/resid/gvk.go IsSelected: empty selector fields match anything."""
        return (not group or group == self.group) and (not version or version == self.version) \
            and (not kind or kind == self.kind)

    def __str__(self) -> str:
        return f"{self.kind or '[noKind]'}.{self.version or '[noVer]'}.{self.group or '[noGrp]'}"


_SCOPED: dict[Gvk, bool] = {}       # Gvk.cluster_scoped's answers (a dict: asked very often)


class ResId(NamedTuple):
    gvk: Gvk
    name: str
    namespace: str

    @property
    def effective_namespace(self) -> str:
        """kyaml/resid/resid.go EffectiveNamespace."""
        if self.gvk.cluster_scoped:
            return NOT_NAMESPACED
        return self.namespace if self.namespace not in ("", DEFAULT_NAMESPACE) else DEFAULT_NAMESPACE

    def equals(self, other: ResId) -> bool:
        return self.gvk == other.gvk and self.name == other.name \
            and self.effective_namespace == other.effective_namespace

    def __str__(self) -> str:
        return f"{self.gvk}/{self.name or '[noName]'}.{self.namespace or '[noNs]'}"

    def show(self) -> str:
        """Kind/name (namespace) for messages."""
        where = _(" in namespace {namespace}").format(namespace=self.namespace) if self.namespace else ""
        return f"{self.gvk.kind}/{self.name}{where}"


_GVKS: dict[tuple[str, str], Gvk] = {}


def _gvk_of(api_version: str, kind: str) -> Gvk:
    found = _GVKS.get((api_version, kind))
    if found is None:
        if len(_GVKS) > 4096:
            _GVKS.clear()
        group, version = split_api_version(api_version)
        found = _GVKS[(api_version, kind)] = Gvk(group, version, kind)
    return found


def _texts(api_version: Any, kind: Any) -> tuple[str, str]:
    if api_version.__class__ is str and kind.__class__ is str:
        return api_version, kind
    return _text(api_version), _text(kind)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


class Resource:
    """One object being built."""

    __slots__ = ("data", "prev", "prefixes", "suffixes", "needs_hash", "behavior", "origin",
                 "allow_name_change", "allow_kind_change", "file", "line", "ref_vars", "_id", "_prev")

    def __init__(self, data: dict[Any, Any], origin: Pos, file: str, line: int) -> None:
        self.data = data
        self.prev: list[tuple[str, str, str]] = []   # previous (kind, name, namespace), oldest first
        self.prefixes: list[str] = []
        self.suffixes: list[str] = []
        self.needs_hash = False
        self.behavior = ""                    # generator behaviour: create, merge, replace
        self.origin = origin                  # where the object (or its generator) was written
        self.allow_name_change = False
        self.allow_kind_change = False
        self.file = file                      # the file the object starts in
        self.line = line
        self.ref_vars: list[str] = []         # vars that read a field of this object (MergeVars)
        self._id: tuple[Any, ...] = ()        # (apiVersion, kind, name, namespace, ResId) last seen
        self._prev: tuple[Any, ...] = ()      # (prev list, its length, gvk, prev_ids()) last made

    def __getstate__(self) -> tuple[Any, ...]:
        """For another process (kustomize/workers.py): without the id caches."""
        return (self.data, self.prev, self.prefixes, self.suffixes, self.needs_hash, self.behavior, self.origin,
                self.allow_name_change, self.allow_kind_change, self.file, self.line, self.ref_vars)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        # one assignment per slot, in __getstate__'s order (a loop of setattr is several times slower)
        (self.data, self.prev, self.prefixes, self.suffixes, self.needs_hash, self.behavior, self.origin,
         self.allow_name_change, self.allow_kind_change, self.file, self.line, self.ref_vars) = state
        self._id = ()
        self._prev = ()

    # --- identity ------------------------------------------------------------
    @property
    def metadata(self) -> dict[Any, Any]:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def kind(self) -> str:
        return _text(self.data.get("kind"))

    @property
    def name(self) -> str:
        return _text(self.metadata.get("name"))

    @property
    def namespace(self) -> str:
        return _text(self.metadata.get("namespace"))

    @property
    def gvk(self) -> Gvk:
        data = self.data
        return _gvk_of(*_texts(data.get("apiVersion"), data.get("kind")))

    def cur_id(self) -> ResId:
        data = self.data
        meta = data.get("metadata")
        if meta.__class__ is not dict:
            meta = {}
        api, kind, name, namespace = data.get("apiVersion"), data.get("kind"), meta.get("name"), \
            meta.get("namespace")
        last = self._id
        if last and last[0] is api and last[1] is kind and last[2] is name and last[3] is namespace:
            return last[4]  # type: ignore[no-any-return]
        rid = ResId(_gvk_of(*_texts(api, kind)), _text(name), _text(namespace))
        self._id = (api, kind, name, namespace, rid)
        return rid

    def prev_ids(self) -> tuple[ResId, ...]:
        """api/internal/utils/makeResIds.go PrevIds: previous kinds with today's group and
        version (made again only when the previous ids or the group and version change)."""
        group, version, __ = gvk = self.gvk
        prev = self.prev
        made = self._prev
        if made and made[0] is prev and made[1] == len(prev) and made[2] == gvk:
            return made[3]  # type: ignore[no-any-return]
        ids = tuple(ResId(Gvk(group, version, kind), name, namespace) for kind, name, namespace in prev)
        self._prev = (prev, len(prev), gvk, ids)
        return ids

    def known_as(self, name: Any) -> bool:
        """Is `name` the name of one of any_ids()? (said without making them)"""
        return self.cur_id().name == name or any(prev[1] == name for prev in self.prev)

    def org_id(self) -> ResId:
        """prev_ids()[0] (the oldest id), or cur_id(); made without the other previous ids."""
        if not self.prev:
            return self.cur_id()
        __, name, namespace = self.prev[0]
        return ResId(self.org_gvk(), name, namespace)

    def org_gvk(self) -> Gvk:
        """org_id().gvk, without making the previous ids."""
        gvk = self.gvk
        if not self.prev:
            return gvk
        return _gvk_of(gvk.api_version, _text(self.prev[0][0]))

    def any_ids(self) -> list[ResId]:
        return [*self.prev_ids(), self.cur_id()]

    def store_previous_id(self) -> None:
        """api/resource/resource.go StorePreviousId (the namespace is the effective one)."""
        cur = self.cur_id()
        self.prev.append((cur.gvk.kind, cur.name, cur.effective_namespace))

    def labels(self) -> dict[Any, Any]:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    def annotations(self) -> dict[Any, Any]:
        annotations = self.metadata.get("annotations")
        return annotations if isinstance(annotations, dict) else {}

    def __repr__(self) -> str:
        return f"<Resource {self.cur_id()}>"
