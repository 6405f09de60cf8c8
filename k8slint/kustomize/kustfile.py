"""Finding and reading a kustomization file, and what kustomize checks in it.

api/types/kustomization.go: the recognised file names, the fields (kustomize decodes with
DisallowUnknownFields, so an unknown field fails the build), Kind and apiVersion."""

from __future__ import annotations

import os
from typing import Any

from .. import listing
from ..i18n import _

# konfig.RecognizedKustomizationFileNames, in kustomize's order.
FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZATION_KIND = "Kustomization"
COMPONENT_KIND = "Component"
API_VERSIONS = {KUSTOMIZATION_KIND: "kustomize.config.k8s.io/v1beta1",
                COMPONENT_KIND: "kustomize.config.k8s.io/v1alpha1"}

LIST = "list"
MAP = "map"
STR = "str"
ANY = "any"
# Field -> the shape kustomize decodes it into (types.Kustomization).
FIELDS: dict[str, str] = {
    "apiVersion": STR, "kind": STR, "metadata": MAP, "openapi": MAP,
    "namePrefix": STR, "nameSuffix": STR, "namespace": STR,
    "commonLabels": MAP, "labels": LIST, "commonAnnotations": MAP,
    "patchesStrategicMerge": LIST, "patchesJson6902": LIST, "patches": LIST,
    "images": LIST, "imageTags": LIST, "replacements": LIST, "replicas": LIST, "vars": LIST,
    "sortOptions": MAP, "resources": LIST, "components": LIST, "crds": LIST, "bases": LIST,
    "configMapGenerator": LIST, "secretGenerator": LIST, "helmGlobals": MAP, "helmCharts": LIST,
    "helmChartInflationGenerator": LIST, "generatorOptions": MAP, "configurations": LIST,
    "generators": LIST, "transformers": LIST, "validators": LIST, "buildMetadata": LIST,
}
# Fields of list entries, for the unknown-field check (types/*.go).
ENTRY_FIELDS: dict[str, frozenset[str]] = {
    "patches": frozenset({"path", "patch", "target", "options"}),
    "patchesJson6902": frozenset({"path", "patch", "target", "options"}),
    "images": frozenset({"name", "newName", "newTag", "digest", "tagSuffix"}),
    "imageTags": frozenset({"name", "newName", "newTag", "digest", "tagSuffix"}),
    "replicas": frozenset({"name", "count"}),
    "labels": frozenset({"pairs", "includeSelectors", "includeTemplates",
                         "includeVolumeClaimTemplates", "fields"}),
    "configMapGenerator": frozenset({"name", "namespace", "behavior", "literals", "files", "envs",
                                     "env", "options"}),
    "secretGenerator": frozenset({"name", "namespace", "behavior", "literals", "files", "envs",
                                  "env", "options", "type"}),
}
# Entry fields kustomize decodes into strings: a number or a boolean there fails the build
# ("json: cannot unmarshal number into Go struct field ... of type string").
STRING_FIELDS: dict[str, frozenset[str]] = {
    "images": frozenset({"name", "newName", "newTag", "digest", "tagSuffix"}),
    "imageTags": frozenset({"name", "newName", "newTag", "digest", "tagSuffix"}),
    "replicas": frozenset({"name"}),
    "patches": frozenset({"path", "patch"}),
    "patchesJson6902": frozenset({"path", "patch"}),
    "configMapGenerator": frozenset({"name", "namespace", "behavior", "env"}),
    "secretGenerator": frozenset({"name", "namespace", "behavior", "env", "type"}),
}
STRING_MAPS = ("commonLabels", "commonAnnotations")
SELECTOR_FIELDS = frozenset({"group", "version", "kind", "name", "namespace", "labelSelector",
                             "annotationSelector"})
OPTION_FIELDS = frozenset({"labels", "annotations", "disableNameSuffixHash", "immutable"})
STRING_LISTS = ("resources", "components", "bases", "crds", "configurations", "generators",
                "transformers", "validators", "buildMetadata", "patchesStrategicMerge")


def find(folder: str) -> tuple[list[str], str | None]:
    """The kustomization files of a folder (more than one is an error) and the one to use."""
    names = listing.names(folder)
    if names is None:
        try:
            names = dict.fromkeys(os.listdir(folder), 0)
        except OSError:
            return [], None
    found = [os.path.join(folder, n) for n in FILE_NAMES if n in names]
    return found, (found[0] if len(found) == 1 else None)


def is_kustomization_file(path: str) -> bool:
    return os.path.basename(path) in FILE_NAMES


def normalize_keys(positions: Any, data: dict[Any, Any]) -> None:
    """encoding/json matches field names without regard to case (`nameprefix` is
    namePrefix): rename such keys to kustomize's spelling, top level and list entries."""
    _rename(positions, data, FIELDS)
    for key, allowed in ENTRY_FIELDS.items():
        items = data.get(key)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict):
                _rename(positions, item, allowed)


def _rename(positions: Any, mapping: dict[Any, Any], known: Any) -> None:
    unknown = [key for key in mapping if isinstance(key, str) and key not in known]
    if not unknown:
        return                              # the usual case: no table of folded names
    folded = {k.lower(): k for k in known}
    for key in unknown:
        proper = folded.get(key.lower())
        if proper is not None and proper not in mapping:
            pair = positions.key(mapping, key, ("", 1, 1))
            value = mapping[key]
            positions.delete(mapping, key)
            positions.move(mapping, proper, value, pair)


def shape_of(value: Any) -> str:
    if isinstance(value, dict):
        return MAP
    if isinstance(value, list):
        return LIST
    return STR


def problems(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """(path, message) for what kustomize's decoding and EnforceFields reject."""
    if data is None:
        return [((), "the kustomization is empty")]
    if not isinstance(data, dict):
        return [((), "the kustomization is not a mapping")]
    out: list[tuple[tuple[Any, ...], str]] = []
    for key, value in data.items():
        shape = FIELDS.get(key)
        if shape is None:
            out.append(((key,), _("unknown field {key!r} in the kustomization: kustomize build rejects it (a typo, or a field of a newer kustomize?)").format(key=key)))
            continue
        if value is None:
            continue
        if shape == STR and isinstance(value, (dict, list)):
            out.append(((key,), _("{key} must be a string").format(key=key)))
        elif shape in (LIST, MAP) and shape_of(value) != shape:
            out.append(((key,), (_("{key} must be a list") if shape == LIST else _("{key} must be a mapping")).format(key=key)))
        elif shape == LIST:
            out.extend(_entries(key, value))
        elif key in STRING_MAPS:
            out.extend(_string_values(value, (key,)))
    kind = data.get("kind") or KUSTOMIZATION_KIND
    if kind not in API_VERSIONS:
        out.append((("kind",), _("kind must be {KUSTOMIZATION_KIND} or {COMPONENT_KIND}").format(KUSTOMIZATION_KIND=KUSTOMIZATION_KIND, COMPONENT_KIND=COMPONENT_KIND)))
    elif data.get("apiVersion") and data["apiVersion"] != API_VERSIONS[kind]:
        out.append((("apiVersion",), _("apiVersion of a {kind} must be {API_VERSIONS}").format(kind=kind, API_VERSIONS=API_VERSIONS[kind])))
    if all(k in ("apiVersion", "kind") for k in data):
        out.append(((), _("the kustomization is empty: kustomize build refuses it")))
    return out


def _entries(key: str, items: list[Any]) -> list[tuple[tuple[Any, ...], str]]:
    out: list[tuple[tuple[Any, ...], str]] = []
    allowed = ENTRY_FIELDS.get(key)
    for index, item in enumerate(items):
        if key in STRING_LISTS:
            if key == "patchesStrategicMerge" or isinstance(item, str):
                continue
            out.append(((key, index), _("{key} entries must be strings").format(key=key)))
            continue
        if allowed is None:
            continue
        if not isinstance(item, dict):
            if key != "patches" or not isinstance(item, str):      # a string: legacy_patches
                out.append(((key, index), _("{key} entries must be mappings").format(key=key)))
            continue
        for field in item:
            if field not in allowed:
                out.append(((key, index, field), _("unknown field {field!r} in {key}: kustomize build rejects it").format(field=field, key=key)))
        for field in STRING_FIELDS.get(key, ()):
            if item.get(field) is not None and not isinstance(item[field], str):
                out.append(((key, index, field), _not_string(f"{key}[{index}].{field}", item[field])))
        if key == "replicas" and "count" in item and \
                (not isinstance(item["count"], int) or isinstance(item["count"], bool)):
            out.append(((key, index, "count"), _("replicas[{index}].count must be a number: kustomize build fails").format(index=index)))
        if key == "labels" and isinstance(item.get("pairs"), dict):
            out.extend(_string_values(item["pairs"], (key, index, "pairs")))
        for field in ("literals", "files", "envs"):
            values = item.get(field) if key in ("configMapGenerator", "secretGenerator") else None
            if isinstance(values, list):
                out.extend(((key, index, field, i), _not_string(f"{key}[{index}].{field}[{i}]", v))
                           for i, v in enumerate(values) if not isinstance(v, str))
        target = item.get("target")
        if isinstance(target, dict):
            out.extend(((key, index, "target", f), _("unknown field {field!r} in a patch target: "
                                                     "kustomize build rejects it").format(field=f))
                       for f in target if f not in SELECTOR_FIELDS)
        options = item.get("options")
        if key in ("configMapGenerator", "secretGenerator") and isinstance(options, dict):
            out.extend(((key, index, "options", f), _("unknown generator option {option!r}: kustomize "
                                                      "build rejects it").format(option=f))
                       for f in options if f not in OPTION_FIELDS)
    return out


def legacy_patches(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """(path, message) for string entries of `patches`, a warning: kustomize 3 and 4 read a
    `patches` list holding a string as patchesStrategicMerge (api/types/fix.go
    FixKustomizationPreUnmarshalling, useLegacyPatch, up to kustomize/v4.5.7); kustomize
    5.0 dropped that (kubernetes-sigs/kustomize#4911, "drop support for legacy patches"),
    so its build, and kubectl's from 1.27, fails decoding the string into types.Patch."""
    items = data.get("patches") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(("patches", index), _("this patches entry is a string, which kustomize 3 and 4 read as a "
                                   "patchesStrategicMerge entry; kustomize 5.0 and later (kubectl 1.27 and "
                                   "later) refuse it (cannot unmarshal string into types.Patch): write "
                                   "`- path: {entry}`").format(entry=item if "\n" not in item else "FILE"))
            for index, item in enumerate(items) if isinstance(item, str)]


def _not_string(where: str, value: Any) -> str:
    if isinstance(value, bool):
        message = _("{where} is a boolean, not a string: kustomize build fails (quote it)")
    elif isinstance(value, (int, float)):
        message = _("{where} is a number, not a string: kustomize build fails (quote it)")
    else:
        message = _("{where} is not a string, not a string: kustomize build fails (quote it)")
    return message.format(where=where)


def _string_values(mapping: dict[Any, Any], path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """Values of a map[string]string field: null is read as empty, anything else but a
    string fails the build."""
    return [((*path, k), _not_string(".".join(str(p) for p in (*path, k)), v))
            for k, v in mapping.items() if v is not None and not isinstance(v, str)]
