"""Field specs: which fields of which kinds a built-in transformer touches.

The walk follows api/filters/fieldspec/fieldspec.go: a path of slash-separated field names
(`\\/` escapes a slash); lists along the way are walked through, item by item; a name
ending in `[]` names a list and is never created; with `create`, missing mappings on the
way (and the last field, of the transformer's kind) are created.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Callable

from ..i18n import _
from .positions import Pos, Positions
from .resource import Gvk, split_api_version

Setter = Callable[[Any, Any], None]     # (container, key or index): set container[key]


@dataclass(frozen=True)
class FieldSpec:
    path: tuple[tuple[str, bool], ...]     # (field name, names a list)
    group: str = ""
    version: str = ""
    kind: str = ""
    create: bool = False
    text: str = ""

    def applies_to(self, gvk: Gvk) -> bool:
        """fieldspec.go isMatchGVK (the object's own apiVersion and kind)."""
        return gvk.selected_by(self.group, self.version, self.kind)


def split_path(text: str) -> list[str]:
    """kyaml/utils PathSplitter with "/": `a/b\\/c` -> [a, b/c]."""
    parts: list[str] = []
    current = ""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] == "/":
            current += "/"
            i += 2
            continue
        if char == "/":
            parts.append(current)
            current = ""
        else:
            current += char
        i += 1
    parts.append(current)
    return parts


def make(entry: dict[str, Any]) -> FieldSpec:
    text = str(entry.get("path") or "")
    steps = tuple((p[:-2], True) if p.endswith("[]") else (p, False) for p in split_path(text))
    return FieldSpec(steps, str(entry.get("group") or ""), str(entry.get("version") or ""),
                     str(entry.get("kind") or ""), bool(entry.get("create")), text)


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    # a plain read beside the module, as k8slint.i18n reads its catalogs (importlib.resources
    # costs some 7 ms of imports a run); JSON, which reads in 0.2 ms where the same YAML took 9
    with open(os.path.join(os.path.dirname(__file__), "fieldspecs.json"), encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def defaults(name: str) -> tuple[FieldSpec, ...]:
    """Default specs of one transformer (commonLabels, namespace, images, ...)."""
    return tuple(make(e) for e in _defaults()[name])


@lru_cache(maxsize=1)
def name_references_by_kind() -> tuple[dict[str, list[tuple[int, FieldSpec, Gvk]]],
                                       list[tuple[int, FieldSpec, Gvk]]]:
    """name_references() as (referrer kind -> [(order, spec, referred gvk)], those of any
    kind); `order` is the place in kustomize's list."""
    by_kind: dict[str, list[tuple[int, FieldSpec, Gvk]]] = {}
    any_kind: list[tuple[int, FieldSpec, Gvk]] = []
    order = 0
    for target, specs in name_references():
        for spec in specs:
            (by_kind.setdefault(spec.kind, []) if spec.kind else any_kind).append((order, spec, target))
            order += 1
    return by_kind, any_kind


@lru_cache(maxsize=1)
def name_references() -> tuple[tuple[Gvk, tuple[FieldSpec, ...]], ...]:
    """nameReference: (referred gvk, referrer field specs), in the order kustomize has them."""
    out = []
    for entry in _defaults()["nameReference"]:
        group, version = str(entry.get("group") or ""), str(entry.get("version") or "")
        out.append((Gvk(group, version, str(entry["kind"])),
                    tuple(make(e) for e in entry.get("fieldSpecs") or ())))
    return tuple(out)


# The sections of a transformer configuration file that k8slint's transformers read
# (api/internal/plugins/builtinconfig/transformerconfig.go TransformerConfig).
CONFIG_SECTIONS = ("namePrefix", "nameSuffix", "namespace", "commonLabels", "templateLabels",
                   "commonAnnotations", "images", "replicas", "varReference")


@dataclass(frozen=True)
class Config:
    """The field specs a kustomization adds to the defaults with `configurations:` files
    (builtinconfig.MakeTransformerConfig merges them into the default config); the
    accumulator merges a base's config into its user's (accumulator.ResAccumulator
    MergeConfig), so an overlay's transformers and the final name references use them too."""

    specs: dict[str, tuple[FieldSpec, ...]] = field(default_factory=dict)
    name_refs: tuple[tuple[Gvk, tuple[FieldSpec, ...]], ...] = ()
    # the accumulator's vars (k8slint.kustomize.variables.Var), which travel with it
    # (ResAccumulator.MergeAccumulator merges varSet beside tConfig)
    vars: tuple[Any, ...] = ()

    def of(self, name: str) -> tuple[FieldSpec, ...]:
        """The specs of one transformer: the defaults, and this config's beside them (the
        same tuple for the same configurations)."""
        extra = self.specs.get(name)
        return merge(defaults(name), extra) if extra else defaults(name)

    def merged(self, other: Config) -> Config:
        """TransformerConfig.Merge: field specs joined per section, name references per
        referred kind."""
        if not other.specs and not other.name_refs and not other.vars:
            return self
        if not self.specs and not self.name_refs and not self.vars:
            return other
        specs = dict(self.specs)
        for name, extra in other.specs.items():
            specs[name] = tuple(merge(specs.get(name, ()), extra))
        refs = dict(self.name_refs)
        for gvk, extra in other.name_refs:
            refs[gvk] = tuple(merge(refs.get(gvk, ()), extra))
        return Config(specs, tuple(refs.items()), self.vars + other.vars)

    def with_vars(self, incoming: tuple[Any, ...]) -> Config:
        return Config(self.specs, self.name_refs, self.vars + incoming) if incoming else self


def read_config(data: Any) -> Config:
    """One `configurations:` file (a TransformerConfig document)."""
    if not isinstance(data, dict):
        raise ValueError(_("is no transformer configuration (a mapping of field spec lists)"))
    specs = {name: tuple(make(e) for e in data.get(name) or () if isinstance(e, dict))
             for name in CONFIG_SECTIONS if data.get(name)}
    refs: list[tuple[Gvk, tuple[FieldSpec, ...]]] = []
    for entry in data.get("nameReference") or ():
        if isinstance(entry, dict) and entry.get("kind"):
            gvk = Gvk(str(entry.get("group") or ""), str(entry.get("version") or ""), str(entry["kind"]))
            refs.append((gvk, tuple(make(e) for e in entry.get("fieldSpecs") or () if isinstance(e, dict))))
    return Config(specs, tuple(refs))


_MERGED: dict[tuple[tuple[FieldSpec, ...], ...], tuple[FieldSpec, ...]] = {}
_MERGED_BY_ID: dict[tuple[int, ...], tuple[Any, tuple[FieldSpec, ...]]] = {}     # merge()'s answers by the ids of its tuples


def merge(*lists: tuple[FieldSpec, ...] | list[FieldSpec]) -> tuple[FieldSpec, ...]:
    """types/fieldspec.go FsSlice.MergeAll: one spec per (gvk, path), `create` if any has it.
    Equal inputs give the same tuple (kept), so what applies to a kind is remembered once
    (transformers.py _applicable)."""
    by_id = _MERGED_BY_ID.get(tuple(map(id, lists)))
    if by_id is not None and all(a is b for a, b in zip(by_id[0], lists, strict=True)):
        return by_id[1]                     # the same tuples again: no hash of every spec
    key = tuple(tuple(specs) for specs in lists)
    found = _MERGED.get(key)
    if found is None:
        if len(_MERGED) > 4096:
            _MERGED.clear()
        found = _MERGED[key] = tuple(_merge(key))
    if all(isinstance(specs, tuple) for specs in lists):
        if len(_MERGED_BY_ID) > 4096:
            _MERGED_BY_ID.clear()
        # the tuples are kept beside the answer, so a reused id() never matches
        _MERGED_BY_ID[tuple(map(id, lists))] = (lists, found)
    return found


def _merge(lists: tuple[tuple[FieldSpec, ...], ...]) -> list[FieldSpec]:
    out: list[FieldSpec] = []
    index: dict[tuple[Any, ...], int] = {}
    for specs in lists:
        for spec in specs:
            key = (spec.group, spec.version, spec.kind, spec.path)
            if key in index:
                old = out[index[key]]
                if spec.create and not old.create:
                    out[index[key]] = spec
                continue
            index[key] = len(out)
            out.append(spec)
    return out


def object_gvk(data: dict[Any, Any]) -> Gvk:
    api_version = data.get("apiVersion")
    group, version = split_api_version(api_version if isinstance(api_version, str) else "")
    kind = data.get("kind")
    return Gvk(group, version, kind if isinstance(kind, str) else "")


def apply(positions: Positions, data: dict[Any, Any], spec: FieldSpec, setter: Setter,
          create: str | None, at: Pos) -> None:
    """Call setter(container, key) at every field the spec names in `data`.

    `create`: "map" or "scalar" to create a missing last field of that kind (with
    spec.create), None never to create; created nodes are said to be written at `at`."""
    if spec.applies_to(object_gvk(data)):
        walk(positions, data, spec, setter, create, at)


def walk(positions: Positions, data: dict[Any, Any], spec: FieldSpec, setter: Setter, create: str | None,
         at: Pos) -> None:
    """apply() for a spec already known to apply to the object's kind."""
    may_create = spec.create and create is not None
    if not may_create and data.__class__ is dict:
        first = spec.path[0][0]
        if data.get(first) is None and (len(spec.path) > 1 or first not in data):
            return                          # most objects lack most paths: no call to _walk
    _walk(positions, data, spec.path, 0, may_create, create, setter, at)


def _walk(positions: Positions, node: Any, steps: tuple[tuple[str, bool], ...], step: int,
          may_create: bool, create: str | None, setter: Setter, at: Pos) -> None:
    last_step = len(steps) - 1
    while True:                            # down the mappings; a list is walked through
        if node.__class__ is list:
            for item in node:
                if item.__class__ is dict or item.__class__ is list:
                    _walk(positions, item, steps, step, may_create, create, setter, at)
            return
        if node.__class__ is not dict:
            return
        name, is_list = steps[step]
        last = step == last_step
        if node.get(name) is None:
            if not may_create or is_list:
                if last and name in node:
                    setter(node, name)         # a null field: the setter decides
                return
            fresh: Any = ({} if create == "map" else "") if last else {}
            positions.set(node, name, fresh, at)
        if last:
            setter(node, name)
            return
        node = node[name]
        step += 1
