"""Schemas of custom resources from outside the input: `--schema-location` and the
`schema-locations:` config key. Local paths only: k8slint never reaches the network.

A location is one of
- `bundled`: the schemas shipped with k8slint (schemas/crds.json.gz: Gateway API,
  cert-manager, Prometheus Operator, KEDA, Argo Rollouts; see schemas/README.md);
- a folder: JSON schemas laid out as the CRDs-catalog does, `GROUP/KIND_VERSION.json`
  (kind in lower case), and CustomResourceDefinition documents in *.yaml / *.yml files
  anywhere below it;
- a CRD file (*.yaml, *.yml or *.json holding CustomResourceDefinitions);
- a path template in kubeconform's syntax, e.g.
  `schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`.

A JSON schema file in that layout is a CRD version's openAPIV3Schema (as
scripts/crd_to_schemas.py writes it, or as the CRDs-catalog's openapi2jsonschema.py
does); it is converted the way the API server reads it (k8slint.schema.crd_validator).
The input's own CRDs come first; locations are tried in the order given.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .i18n import _
from .k8s.versions import Version, show
from .resources import data_dir
from .schema import Validator, crd_schemas, crd_validator

BUNDLED = "bundled"
BUNDLE_FILE = "crds.json.gz"
# kubeconform's template variables (pkg/registry/registry.go, schemaPath).
_TEMPLATE_VAR = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
TEMPLATE_VARS = ("Group", "ResourceKind", "ResourceAPIVersion", "KindSuffix",
                 "NormalizedKubernetesVersion", "StrictSuffix")
CRD_SUFFIXES = (".yaml", ".yml")
Key = tuple[str, str, str]          # (group, version, kind)


class SchemaLocationError(ValueError):
    """A schema location that cannot be used offline."""


def check_location(location: str) -> None:
    """SchemaLocationError unless the location is usable: local, existing, known variables."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location):
        raise SchemaLocationError(_("{location}: only local paths (k8slint never reaches the network): "
                                    "download the schemas and give their folder").format(location=location))
    if location == BUNDLED:
        return
    if "{{" in location:
        unknown = sorted(set(_TEMPLATE_VAR.findall(location)) - set(TEMPLATE_VARS))
        if unknown:
            raise SchemaLocationError(_("{location}: unknown template variable {name!r} (known: {known})")
                                      .format(location=location, name=unknown[0], known=", ".join(TEMPLATE_VARS)))
        fixed = os.path.dirname(location[:location.index("{{")]) or "."
        if not os.path.isdir(fixed):
            raise SchemaLocationError(_("{location}: no such folder {folder}").format(location=location, folder=fixed))
        return
    if not os.path.exists(location):
        raise SchemaLocationError(_("{path}: no such file or directory").format(path=location))


def layout_path(group: str, version: str, kind: str) -> str:
    """`GROUP/KIND_VERSION.json` as the CRDs-catalog names it (kind in lower case)."""
    return f"{group}/{kind.lower()}_{version}.json"


def expand_template(template: str, group: str, version: str, kind: str, target: Version) -> str:
    """A kubeconform path template filled in for one kind."""
    values = {"Group": group, "ResourceKind": kind.lower(), "ResourceAPIVersion": version,
              "KindSuffix": f"-{group.split('.')[0]}-{version}" if group else f"-{version}",
              "NormalizedKubernetesVersion": f"v{show(target)}.0", "StrictSuffix": "-strict"}
    return _TEMPLATE_VAR.sub(lambda m: values.get(m.group(1), m.group(0)), template)


# --- reading ---------------------------------------------------------------------------
def load_documents(path: str) -> list[Any]:
    """The documents of a JSON or YAML file ([] when unreadable: a missing schema is
    reported as such by the schema-missing rule, not as a crash)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return []
    if path.endswith(".json"):
        try:
            return [json.loads(text)]
        except ValueError:
            return []
    import yaml

    try:
        return [d for d in yaml.load_all(text, Loader=_crd_loader()) if d is not None]
    except yaml.YAMLError:
        return []


@lru_cache(maxsize=1)
def _crd_loader() -> Any:
    """A safe loader that reads a plain `=` as the string "=" (YAML 1.1 resolves it to
    the `value` type, which PyYAML cannot construct; CRDs have `=` in enums of operators)."""
    from .safe_yaml import SafeLoader

    loader: Any = type("CrdLoader", (SafeLoader,), {})
    loader.add_constructor("tag:yaml.org,2002:value", lambda self, node: self.construct_scalar(node))
    return loader


def is_crd(document: Any) -> bool:
    return isinstance(document, dict) and document.get("kind") == "CustomResourceDefinition" \
        and str(document.get("apiVersion", "")).startswith("apiextensions.k8s.io/")


def crd_documents_in(documents: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """CRDs among documents, items of a List included."""
    for document in documents:
        if is_crd(document):
            yield document
        elif isinstance(document, dict) and isinstance(document.get("items"), list):
            yield from (item for item in document["items"] if is_crd(item))


def crd_versions(crd: Mapping[str, Any]) -> Iterator[tuple[Key, dict[str, Any]]]:
    """((group, version, kind), openAPIV3Schema) for each served version that has one."""
    spec = crd.get("spec")
    if not isinstance(spec, dict):
        return
    group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return
    for version, schema in crd_schemas(crd).items():
        if schema is not None:
            yield (group, version, kind), schema


@dataclass
class _Location:
    """One location's schemas, read lazily and kept (a language server asks again and again)."""

    text: str
    crds: dict[tuple[str, str], dict[str, Any]] | None = None    # (group, kind) -> CRD
    files: dict[str, Any] = field(default_factory=dict)           # path -> schema or None

    def openapi(self, key: Key, target: Version) -> dict[str, Any] | None:
        group, version, kind = key
        if self.text == BUNDLED:
            return _bundle().get(layout_path(group, version, kind))
        if "{{" in self.text:
            return self._schema_file(expand_template(self.text, group, version, kind, target))
        if os.path.isdir(self.text):
            found = self._schema_file(os.path.join(self.text, layout_path(group, version, kind)))
            if found is not None:
                return found
        crd = self._crds().get((group, kind))
        return crd_schemas(crd).get(version) if crd is not None else None

    def _schema_file(self, path: str) -> dict[str, Any] | None:
        if path not in self.files:
            documents = load_documents(path) if os.path.isfile(path) else []
            first = documents[0] if documents else None
            self.files[path] = first if isinstance(first, dict) and not is_crd(first) else None
        schema: dict[str, Any] | None = self.files[path]
        return schema

    def _crds(self) -> dict[tuple[str, str], dict[str, Any]]:
        if self.crds is None:
            self.crds = {}
            for path in self._crd_files():
                for crd in crd_documents_in(load_documents(path)):
                    spec = crd.get("spec") or {}
                    names = spec.get("names") if isinstance(spec, dict) else None
                    if isinstance(names, dict):
                        self.crds.setdefault((str(spec.get("group", "")), str(names.get("kind"))), crd)
        return self.crds

    def _crd_files(self) -> Iterator[str]:
        if self.text == BUNDLED or "{{" in self.text:
            return
        if os.path.isfile(self.text):
            yield self.text
            return
        for folder, dirs, names in os.walk(self.text):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.endswith(CRD_SUFFIXES) and not name.startswith("."):
                    yield os.path.join(folder, name)


class SchemaLocations:
    """The custom resource schemas of a list of locations (first match wins)."""

    def __init__(self, locations: Iterable[str]) -> None:
        self.locations = [_Location(text) for text in locations]
        self._validators: dict[tuple[Key, Version], Validator | None] = {}

    def openapi_schema(self, group: str, version: str, kind: str,
                       target: Version | None = None) -> dict[str, Any] | None:
        """The openAPIV3Schema of one custom kind and version as its source gives it, with
        the x-kubernetes-* extensions (x-kubernetes-validations: the CRD's CEL rules, for a
        CEL evaluator); None when no location has it. Do not modify the result."""
        from .k8s.versions import LATEST

        for location in self.locations:
            found = location.openapi((group, version, kind), target or LATEST)
            if found is not None:
                return found
        return None

    def validator(self, group: str, version: str, kind: str, target: Version) -> Validator | None:
        key = ((group, version, kind), target)
        if key not in self._validators:
            openapi = self.openapi_schema(group, version, kind, target)
            self._validators[key] = crd_validator(openapi, target) if openapi is not None else None
        return self._validators[key]

    def crd_documents(self) -> list[dict[str, Any]]:
        """Every CustomResourceDefinition document found in the folders and files of the
        locations, as written there (x-kubernetes-validations and other extensions kept).
        The bundle and path templates hold schemas, not CRDs, so they add nothing here."""
        return [crd for location in self.locations for crd in location._crds().values()]


@lru_cache(maxsize=16)
def schema_locations(locations: tuple[str, ...]) -> SchemaLocations:
    """The SchemaLocations of these locations, kept for the life of the process (files are
    read once; an editor server restarts to see a changed schema file)."""
    return SchemaLocations(locations)


def for_locations(locations: Iterable[str]) -> SchemaLocations:
    """The (cached) SchemaLocations of locations as a config or the CLI gives them."""
    return schema_locations(tuple(loc if loc == BUNDLED else os.path.abspath(loc) for loc in locations))


def openapi_schema(locations: Iterable[str], group: str, version: str, kind: str,
                   target: Version | None = None) -> dict[str, Any] | None:
    """The openAPIV3Schema, x-kubernetes-validations included, of a custom kind given by
    `--schema-location`/`schema-locations:` (Config.schema_locations). The input's own CRDs
    are not searched here: k8slint.schema.custom_kinds(graph) has those. None when no
    location has it."""
    return for_locations(locations).openapi_schema(group, version, kind, target)


def crd_documents(locations: Iterable[str]) -> list[dict[str, Any]]:
    """The original CustomResourceDefinition documents found in the locations' folders and
    files (see SchemaLocations.crd_documents), e.g. to evaluate their CEL rules."""
    return for_locations(locations).crd_documents()


@lru_cache(maxsize=1)
def _bundle() -> dict[str, dict[str, Any]]:
    """`GROUP/KIND_VERSION.json` -> schema, of the bundled CRDs (read on first use)."""
    path = data_dir("schemas") / BUNDLE_FILE
    try:
        with gzip.open(path, "rb") as handle:
            data = json.loads(handle.read())
    except OSError:
        return {}
    schemas: dict[str, dict[str, Any]] = data["schemas"]
    return schemas


# --- writing the layout (scripts/crd_to_schemas.py) -------------------------------------
DROPPED_KEYS = frozenset({"description"})


def slim(schema: Any) -> Any:
    """A schema without descriptions (most of a CRD's size); every validation keyword and
    x-kubernetes-* extension is kept. Property names are data, never dropped."""
    if isinstance(schema, list):
        return [slim(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROPPED_KEYS and isinstance(value, str):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: slim(sub) for name, sub in value.items()}
        else:
            out[key] = slim(value)
    return out


def layout(documents: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """`GROUP/KIND_VERSION.json` -> slimmed openAPIV3Schema, for every CRD version."""
    out: dict[str, dict[str, Any]] = {}
    for crd in crd_documents_in(documents):
        for (group, version, kind), schema in crd_versions(crd):
            out[layout_path(group, version, kind)] = slim(schema)
    return out
