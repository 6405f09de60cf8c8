"""Building a kustomization folder: the files it reads, the targets it nests, and the last
steps kustomize runs once at the top (api/internal/target/kusttarget.go
makeCustomizedResMap and api/krusty/kustomizer.go Run): name hashes, name references,
dropping local-config objects, and the output order."""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass, field
from typing import Any

from .. import gitignore, listing
from ..i18n import _
from ..loader import Document, decode, parse_text, read_bytes
from ..model import Hit, Severity
from . import fieldspec, generators, helmify, kustfile, nameref, variables
from .positions import Pos, Positions
from .resource import Resource
from .scripts import Loosening, ScriptLine
from .target import RULE_ERROR, RULE_NOT_BUILT, RULE_UNMATCHED, Target
from .transformers import Transformers

LOCAL_CONFIG = "config.kubernetes.io/local-config"      # konfig.IgnoredByKustomizeAnnotation
ORDER_FIRST = ("Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
               "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
               "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
               "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
               "StatefulSet", "CronJob", "PodDisruptionBudget")
ORDER_LAST = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


@dataclass(frozen=True)
class Override:
    """A field of an object, written in `file` (the object starts at `line`), that a patch
    replaced in this build."""

    file: str
    line: int
    kind: str
    name: str                              # as written in `file`
    path: tuple[Any, ...]
    patch: Pos
    kustomization: str


@dataclass
class Build:
    """The outcome of building one kustomization folder."""

    folder: str
    file: str | None                       # its kustomization file
    resources: list[Resource]
    positions: Positions
    hits: list[Hit]
    files: list[str]                       # every file read, kustomization files included
    kustomizations: list[str]              # the kustomization files of this build (nested too)
    patch_files: set[str] = field(default_factory=set)
    overrides: list[Override] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    resource_files: set[str] = field(default_factory=set)   # files whose documents are objects
    matched_targets: set[Pos] = field(default_factory=set)  # patch targets that selected something
    # the script line that builds the folder with the load restrictor off (k8slint.kustomize.
    # scripts), and the files outside a kustomization's folder the build read for that
    loosened_by: ScriptLine | None = None
    loosened: list[str] = field(default_factory=list)

    def locate(self, res: Resource, path: tuple[Any, ...], at: str = "key") -> Pos:
        return self.positions.locate(res.data, path, at) or res.origin


@dataclass
class Accumulated:
    """A folder's accumulated resources (kusttarget.go accumulateDirectory), kept for the
    other builds of this process that read the folder: what its build reads (to replay),
    the real paths of the folders it built, and how many builds are left to use it."""

    resources: list[Resource]
    config: fieldspec.Config
    events: list[tuple[str, str]]
    folders: frozenset[str]
    left: int


class Shared:
    """What several builds of one run share: file texts, parsed documents (copied for each
    use), real paths, and the positions of everything parsed."""

    def __init__(self) -> None:
        self.positions = Positions()
        self.raw: dict[str, str | bytes | None] = {}
        self.docs: dict[str, list[tuple[Any, Pos]]] = {}
        self.parse_hits: dict[str, list[Hit]] = {}
        self.real: dict[str, str] = {}
        self.found: dict[str, tuple[list[str], str | None]] = {}
        self.located: dict[tuple[Any, ...], Pos] = {}       # Target.at, by kustomization file
        self.restrict_loads = True          # kustomize's default LoadRestrictionsRootOnly
        self.scripts: Loosening | None = None   # builds the repository's scripts run without it
        # real paths of folders several builds read, with the number of builds left to read
        # them: their files are parsed once and copied for each use but the last; other
        # files are parsed for their one use and not copied
        self.reused: dict[str, int] = {}
        self.taken: dict[str, int] = {}
        self.accumulated: dict[str, Accumulated] = {}      # by real path of the folder
        self.fleet_bundles: dict[str, str | None] = {}      # k8slint.kustomize.fleet's answers

    def find(self, folder: str) -> tuple[list[str], str | None]:
        """kustfile.find, once per folder."""
        found = self.found.get(folder)
        if found is None:
            found = self.found[folder] = kustfile.find(folder)
        return found

    def realpath(self, path: str) -> str:
        """os.path.realpath, with the real path of each folder found once: a file that is
        not a link is its real folder joined with its name (one lstat, not one per folder)."""
        found = self.real.get(path)
        if found is None:
            head, tail = os.path.split(path)
            if head and tail not in ("", ".", "..") and not listing.islink(path):
                found = os.path.join(self.realpath(head), tail)
            elif head and tail in (".", "..") and listing.isdir(head):
                # the real path of a folder has no links: its parent is its folder name's
                real = self.realpath(head)
                found = real if tail == "." else os.path.dirname(real)
            else:
                found = os.path.realpath(path)
            self.real[path] = found
        return found


class Builder:
    """Reads each file once and keeps the positions of everything it read."""

    def __init__(self, shared: Shared | None = None) -> None:
        self.shared = shared or Shared()
        self.positions = self.shared.positions
        self.hits: list[Hit] = []
        self._seen_hits: set[tuple[Any, ...]] = set()
        self._raw = self.shared.raw
        self._docs = self.shared.docs
        self._inline: dict[tuple[Any, ...], list[tuple[Any, Pos]]] = {}
        self._read: set[str] = set()
        self.files: list[str] = []
        self.kustomizations: list[str] = []
        self.patch_files: set[str] = set()
        self.resource_files: set[str] = set()
        self.matched_targets: set[Pos] = set()
        self.overrides: list[Override] = []
        self.given: str | None = None          # a root kustomization given as text
        self.incomplete: str | None = None     # why objects may be missing from the build
        self.custom_schema: str | None = None  # the openapi schema file a kustomization of the build sets
        self.track_overrides = False           # record the fields patches override (fix)
        # What a folder's build does to this builder, in order, so that a build of this
        # process reusing it (nested) does the same: ("read", file), ("kustomization", file),
        # ("patch", file), ("resources", file), ("folder", real path).
        self.events: list[tuple[str, str]] = []
        self.hit_calls = 0                     # hit() calls, repeated ones too
        self.loosened_by: ScriptLine | None = None  # a script builds this without the restrictor
        self.loosened: list[str] = []          # files outside a folder read for that reason
        self.taking = 0                        # inside nested builds that will be kept

    # --- reporting -------------------------------------------------------------
    def hit(self, rule: str, at: Pos, message: str, severity: Severity | None = None) -> None:
        self.hit_calls += 1
        key = (rule, at, message)
        if key in self._seen_hits:
            return
        self._seen_hits.add(key)
        self.hits.append(Hit(message=message, file=at[0], line=at[1], column=at[2], rule=rule,
                             severity=severity))

    def loosen(self, path: str) -> None:
        """A file outside a kustomization's folder, read because a script builds so: counted
        as a hit call, so that no build with the restrictor on reuses the folder's result."""
        self.hit_calls += 1
        if path not in self.loosened:
            self.loosened.append(path)

    # --- files -----------------------------------------------------------------
    def read(self, path: str) -> str | bytes | None:
        """A file's text (bytes when it is not UTF-8); None when it cannot be read."""
        self.events.append(("read", path))
        if path not in self._raw:
            try:
                raw = read_bytes(path)
            except OSError:
                self._raw[path] = None
                return None
            text, _problem = decode(path, raw)
            self._raw[path] = text if text is not None else raw
        if path not in self._read and self._raw[path] is not None:
            self._read.add(path)
            self.files.append(path)
        return self._raw[path]

    def texts(self) -> dict[str, str]:
        return {p: t for p in self.files if isinstance(t := self._raw.get(p), str)}

    def _parse(self, path: str, text: str, shift: tuple[int, int] | None = None,
               duplicates_ok: bool = False) -> list[tuple[Any, Pos]]:
        documents, hits = parse_text(path, text)
        if shift is None:
            self.shared.parse_hits[path] = [h for h in hits if h.rule is not None and not (
                duplicates_ok and h.rule == "yaml-duplicate-key")]  # kustomize: the last key wins
            self._parse_hits(path)
        out = []
        for doc in documents:
            if shift is not None:
                _shift(doc, *shift)
            _yaml12_booleans(doc)
            if self.positions.adopt(doc):
                _deanchor(self.positions, doc.data)
            out.append((doc.data, self.positions.at(doc.data, (path, doc.line + (shift[0] if shift else 0), 1))
                        if isinstance(doc.data, (dict, list)) else (path, doc.line, 1)))
        return out

    def _parse_hits(self, path: str) -> None:
        for hit in self.shared.parse_hits.get(path, ()):
            self.hit(str(hit.rule), (path, hit.line, hit.column), hit.message, hit.severity)

    def load_documents(self, path: str, at: Pos, patch: bool = False) -> list[tuple[Any, Pos]] | None:
        """Copies of the documents of a file (parsed once); None when it cannot be read."""
        if patch:
            self.patch_files.add(path)
            self.events.append(("patch", path))
        text = self.read(path)
        if text is None:
            return None
        if isinstance(text, bytes):
            self.hit(RULE_ERROR, at, _("{path} is not UTF-8 text: kustomize build fails").format(path=os.path.relpath(path)))
            return None
        uses = self.shared.reused.get(self.shared.realpath(os.path.dirname(path) or "."), 0)
        if self.taking and uses > 1:
            # a nested build that is kept for the other builds reading it: it takes the
            # parse (they take copies of what it accumulates)
            self.shared.taken[path] = self.shared.taken.get(path, 0) + 1
            if path in self._docs:
                self._parse_hits(path)
                return self._docs.pop(path)
            return self._parse(path, text)
        if uses > 1:
            taken = self.shared.taken[path] = self.shared.taken.get(path, 0) + 1
            if path not in self._docs:
                self._docs[path] = self._parse(path, text)
            else:
                self._parse_hits(path)
            if taken == uses:                  # the last build to read it takes the parse
                return self._docs.pop(path)
            if taken < uses:
                return [(self.positions.copy(data), where) for data, where in self._docs[path]]
        return self._parse(path, text)

    def kustomization(self, file: str) -> Any:
        """The data of a kustomization file (a copy, keys in kustomize's spelling)."""
        text = self.read(file)
        if not isinstance(text, str):
            return None
        key = file + "\0kustomization"
        if key not in self._docs:
            docs = self._docs[key] = self._parse(file, text, duplicates_ok=True)
            if docs and isinstance(docs[0][0], dict):
                kustfile.normalize_keys(self.positions, docs[0][0])
        else:
            self._parse_hits(file)
        docs = self._docs[key]
        return docs[0][0] if docs else None      # read only: shared by every build

    def inline_documents(self, target: Target, text: str, value_path: tuple[Any, ...]) -> list[tuple[Any, Pos]]:
        """An inline patch, its positions placed where its text stands in the kustomization."""
        at = target.at(*value_path)
        key = (target.file, value_path, at)       # a file may hold several configurations
        if key not in self._inline:
            self._inline[key] = self._parse(target.file, text, _scalar_shift(self._raw.get(target.file), at))
        return [(self.positions.copy(data), where) for data, where in self._inline[key]]

    def load_resources(self, path: str, at: Pos) -> list[Resource]:
        self.resource_files.add(path)
        self.events.append(("resources", path))
        docs = self.load_documents(path, at)
        if docs is None:
            self.hit(RULE_ERROR, at, _("resource file {path} cannot be read: kustomize build fails").format(path=os.path.relpath(path)))
            self.incomplete = self.incomplete or _("{path} cannot be read").format(path=os.path.relpath(path))
            return []
        out: list[Resource] = []
        if all(data is None or data == {} for data, __ in docs):
            # an empty file listed as a resource is one written later (flux bootstrap
            # generates gotk-components.yaml): patches for its objects are not judged
            self.incomplete = self.incomplete or _("{path} holds no objects yet").format(path=os.path.relpath(path))
        for data, where in docs:
            if data is None or data == {}:
                continue
            if not isinstance(data, dict):
                self.hit(RULE_ERROR, where, _("a document of this resource file is not an object: kustomize build fails"))
                continue
            kind = data.get("kind")
            items = data.get("items")
            if isinstance(kind, str) and kind.endswith("List") and "items" in data:
                for index, item in enumerate(items if isinstance(items, list) else ()):
                    item_at = self.positions.item(items, index, where) if isinstance(items, list) else where
                    self._resource(out, item, item_at)
                continue
            self._resource(out, data, where)
        return out

    def _resource(self, out: list[Resource], data: Any, where: Pos) -> None:
        if not isinstance(data, dict):
            self.hit(RULE_ERROR, where, _("a list item is not an object: kustomize build fails"))
            return
        kind = data.get("kind")
        meta = data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        if not isinstance(kind, str) or not kind:
            self.hit(RULE_ERROR, where, _("an object without kind: kustomize build fails ('missing kind in object')"))
            return
        if not name:
            self.hit(RULE_ERROR, where, _("a {kind} without metadata.name: kustomize build fails (generateName is not supported by kustomize)").format(kind=kind))
            return
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(annotations, dict) and annotations:
            self._string_values(annotations)
        elif isinstance(meta, dict) and "annotations" in meta and (annotations is None or annotations == {}):
            # the reader's index annotation is set and removed again: kyaml clears a map left
            # empty (RNode.SetAnnotations of nothing), so `annotations: null` or `{}` is gone
            self.positions.delete(meta, "annotations")
        out.append(Resource(data, where, where[0], where[1]))

    def _string_values(self, mapping: dict[Any, Any]) -> None:
        """kustomize rewrites every object's annotations as strings when it reads them
        (kio.ByteReader sets its index annotation) and again at the end of the build
        (resource.go RemoveBuildAnnotations: SetAnnotations of GetAnnotations, each value the
        scalar's text): `port: 8080` becomes "8080", an empty value "" (`~` stays "~")."""
        for key, value in mapping.items():
            if not isinstance(value, str) and not isinstance(value, (dict, list)):
                raw = self.positions.raw_text(mapping, key)
                mapping[key] = raw if raw is not None else ("" if value is None else go_scalar_text(value))

    # --- kustomizations --------------------------------------------------------
    def _kustomization_made_before_building(self, folder: str, at: Pos) -> bool:
        """A folder without a kustomization file whose kustomization git ignores: the file is
        made before building (apache/solr-operator's Makefile copies kustomization_base.yaml
        to config/manager/kustomization.yaml and runs `kustomize edit` on it; .gitignore
        names the copy). One info, and the build marked incomplete; False otherwise."""
        for name in kustfile.FILE_NAMES:
            found = gitignore.ignored(os.path.join(folder, name))
            if found is not None:
                file = os.path.relpath(os.path.join(folder, name))
                self.hit(RULE_NOT_BUILT, at, _("{file} is not in the repository ({pattern} in {gitignore} ignores it): it is made before building, so what {folder} builds is not checked; kustomize build fails until it exists").format(
                    file=file, pattern=found.pattern, gitignore=os.path.relpath(found.gitignore), folder=os.path.relpath(folder)))
                self.incomplete = self.incomplete or _("{file} is made before building").format(file=file)
                return True
        return False

    def target(self, folder: str, at: Pos, stack: tuple[str, ...], component: bool | None) -> Target | None:
        """The kustomization of a folder, checked; None (with an error hit) when unusable.
        component: True for `components:`, False for `resources:`, None for the root."""
        real = self.shared.realpath(folder)
        if real in stack:
            self.hit(RULE_ERROR, at, _("{folder} includes itself (a cycle): kustomize build fails").format(folder=os.path.relpath(folder)))
            return None
        found, file = self.shared.find(folder)
        if not stack and self.given is not None:
            found, file = [self.given], self.given
        if len(found) > 1:
            self.hit(RULE_ERROR, at, _("{folder} has several kustomization files ({list}): kustomize build fails").format(folder=os.path.relpath(folder), list=', '.join(os.path.basename(f) for f in found)))
            return None
        if file is None:
            if not self._kustomization_made_before_building(folder, at):
                self.hit(RULE_ERROR, at, _("{folder} has no kustomization.yaml: kustomize build fails").format(folder=os.path.relpath(folder)))
            return None
        if not isinstance(self.read(file), str):
            self.hit(RULE_ERROR, at, _("{file} cannot be read").format(file=os.path.relpath(file)))
            return None
        self.kustomizations.append(file)
        self.events.append(("kustomization", file))
        self.events.append(("folder", real))
        data = self.kustomization(file)
        problems = kustfile.problems(data)
        for path, message in problems:
            where = self.positions.locate(data, path, "key") if isinstance(data, dict) else None
            self.hit(RULE_ERROR, where or (file, 1, 1), message)
        for path, message in kustfile.legacy_patches(data):
            self.hit(RULE_ERROR, self.positions.locate(data, path, "key") or (file, 1, 1), message, Severity.WARNING)
        # After an error in one field the rest is still built (best effort, to check what
        # can be checked); only a file that is no kustomization at all stops here.
        if not isinstance(data, dict) or any(not p for p, __ in problems):
            return None
        kind = data.get("kind") or kustfile.KUSTOMIZATION_KIND
        if component is True and kind != kustfile.COMPONENT_KIND:
            self.hit(RULE_ERROR, at, _("{folder} is listed as a component but its kind is {kind}: kustomize build fails").format(folder=os.path.relpath(folder), kind=kind))
            return None
        if component is False and kind == kustfile.COMPONENT_KIND:
            self.hit(RULE_ERROR, at, _("{folder} is a Component: list it under components, not resources (kustomize build fails)").format(folder=os.path.relpath(folder)))
            return None
        return Target(self, folder, file, data, (*stack, real))

    def nested(self, folder: str, at: Pos, stack: tuple[str, ...]) -> tuple[list[Resource], fieldspec.Config] | None:
        """The resources and configurations a folder listed under `resources:` accumulates
        (None when it cannot be built). kusttarget.go accumulateDirectory builds it on its
        own, whoever lists it: when other builds read it too, it is built once per process
        and they take copies (with its positions), unless its build said anything (a hit,
        objects missing), fields patches override are tracked or it would include the
        including folder."""
        real = self.shared.realpath(folder)
        uses = self.shared.reused.get(real, 0)
        reusable = uses > 1 and not self.track_overrides
        # A build already missing objects reuses what a complete one kept (a kept folder
        # said nothing, so nothing it says depends on that), but keeps nothing itself.
        keep = reusable and self.incomplete is None
        if reusable:
            kept = self.shared.accumulated.get(real)
            if kept is not None and not kept.folders.intersection(stack):
                return self._reuse(real, kept), kept.config
        start, hits = len(self.events), self.hit_calls
        self.taking += keep
        try:
            sub = self.target(folder, at, stack, component=False)
            resources = sub.accumulate([]) if sub is not None else None
        finally:
            self.taking -= keep
        if sub is None or resources is None:
            return None
        events = self.events[start:]
        if keep and self.hit_calls == hits and self.incomplete is None and real not in self.shared.accumulated:
            self.shared.accumulated[real] = Accumulated(
                [self._copy(res) for res in resources], sub.config, events,
                frozenset(path for kind, path in events if kind == "folder"), uses - 1)
        return resources, sub.config

    def _reuse(self, real: str, kept: Accumulated) -> list[Resource]:
        """What building the folder again would do to this builder, and its resources (the
        kept ones for the last use, else copies)."""
        for kind, path in kept.events:
            if kind == "read":
                self.read(path)
                continue
            self.events.append((kind, path))
            if kind == "kustomization":
                self.kustomizations.append(path)
            elif kind == "patch":
                self.patch_files.add(path)
            elif kind == "resources":
                self.resource_files.add(path)
        kept.left -= 1
        if kept.left <= 0:
            del self.shared.accumulated[real]
            return kept.resources
        return [self._copy(res) for res in kept.resources]

    def _copy(self, res: Resource) -> Resource:
        """A resource with a copy of its data (and positions) and of its build bookkeeping."""
        copy = Resource(self.positions.copy(res.data), res.origin, res.file, res.line)
        copy.prev, copy.prefixes, copy.suffixes = list(res.prev), list(res.prefixes), list(res.suffixes)
        copy.needs_hash, copy.behavior = res.needs_hash, res.behavior
        copy.allow_name_change, copy.allow_kind_change = res.allow_name_change, res.allow_kind_change
        copy.ref_vars = list(res.ref_vars)
        return copy

    def transform(self, target: Target, ra: list[Resource]) -> None:
        """The built-in transformers of a kustomization (transformers.py)."""
        Transformers(target).run(ra)

    # --- patch bookkeeping for `fix` -------------------------------------------
    def snapshot(self, data: dict[Any, Any]) -> dict[tuple[Any, ...], Pos]:
        """Position of every plain value of an object, by path (when tracking overrides)."""
        return _leaves(self.positions, data) if self.track_overrides else {}

    def record_overrides(self, res: Resource, before: dict[tuple[Any, ...], Pos], patch_at: Pos, target: Target) -> None:
        """Values written in the object's own file that the patch just changed or removed
        (paths as they were before the patch)."""
        if not self.track_overrides:
            return
        after = _leaves(self.positions, res.data)
        written = res.prev_ids()[0].name if res.prev else res.name
        for path, where in before.items():
            if where[0] != res.file:
                continue
            now = after.get(path)
            if now is None or now != where:
                self.overrides.append(Override(res.file, res.line, res.kind, written, path,
                                               now or patch_at, target.file))


def _leaves(positions: Positions, data: Any) -> dict[tuple[Any, ...], Pos]:
    out: dict[tuple[Any, ...], Pos] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        rec = positions.rec(node)
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    walk(value, (*path, key))
                elif rec is not None and key in rec.keys:
                    out[(*path, key)] = rec.keys[key][1]
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    walk(value, (*path, index))
                elif rec is not None and index < len(rec.items) and rec.items[index] is not None:
                    out[(*path, index)] = rec.items[index]  # type: ignore[assignment]

    walk(data, ())
    return out


# Plain scalars PyYAML (YAML 1.1) reads as booleans and go-yaml v3 (YAML 1.2 core schema,
# resolve.go), which kustomize reads with, as strings: `valid: yes` is built as "yes".
_YAML11_ONLY_BOOLEANS = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})


def _yaml12_booleans(doc: Document) -> None:
    """The document's values written yes/no/on/off as the strings kustomize reads."""
    raw = doc.source.raw
    found = {(cid, key): text for (cid, key), text in raw.items() if text in _YAML11_ONLY_BOOLEANS}
    if not found:
        return
    stack = [doc.data] if doc.data.__class__ is dict or doc.data.__class__ is list else []
    while stack:
        node = stack.pop()
        pairs = node.items() if node.__class__ is dict else enumerate(node)
        for key, value in list(pairs):
            if value.__class__ is dict or value.__class__ is list:
                stack.append(value)
            elif value.__class__ is bool and (id(node), key) in found:
                node[key] = found[id(node), key]
                del raw[id(node), key]


def _deanchor(positions: Positions, root: Any) -> None:
    """kyaml RNode.DeAnchor (kio.ByteReader with AnchorsAweigh, as kustomize reads
    resources): every alias becomes a copy of its anchor's data, so that a transformer
    changing one place does not change the other; the copy keeps the anchor's positions.
    (A copy of the parse for another build is such a copy already.)"""
    seen: set[int] = set()
    stack = [root] if root.__class__ is dict or root.__class__ is list else []
    while stack:
        node = stack.pop()
        seen.add(id(node))
        pairs = node.items() if node.__class__ is dict else enumerate(node)
        for key, value in list(pairs):
            if value.__class__ is dict or value.__class__ is list:
                if id(value) in seen:
                    node[key] = positions.copy(value)
                else:
                    seen.add(id(value))
                    stack.append(value)


def go_scalar_text(value: Any) -> str:
    """The YAML text Go would print for a plain scalar value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace("inf", ".inf").replace("nan", ".nan")
    return str(value)


def _shift(doc: Document, lines: int, columns: int) -> None:
    """Move every position of a parsed document by (lines, columns)."""
    for marks in doc.source.marks.values():
        shifted = array("i", marks)
        for i in range(0, len(shifted), 2):
            shifted[i] += lines
            shifted[i + 1] += columns
        marks[:] = shifted
    doc.line += lines


def _scalar_shift(text: Any, at: Pos) -> tuple[int, int]:
    """Where line 1, column 1 of a string value stands in its file: after a block scalar
    indicator (| or >) the next line at the block's indentation; else at the value."""
    __, line, column = at
    if not isinstance(text, str):
        return (line - 1, column - 1)
    lines = text.splitlines()
    first = lines[line - 1] if 0 < line <= len(lines) else ""
    head = first[column - 1:column] if column >= 1 else ""
    if head in ("|", ">"):
        for following in lines[line:]:
            if following.strip():
                return (line, len(following) - len(following.lstrip(" ")))
        return (line, 0)
    if head in ("'", '"'):
        return (line - 1, column)
    return (line - 1, column - 1)


def _sort_key(res: Resource, orders: dict[str, int]) -> tuple[Any, ...]:
    """builtins/SortOrderTransformer.go legacy order: kinds first/last by table (`orders`,
    see _kind_orders), then the group_version_kind string, then "namespace|name" as one
    string (legacyResIDSortString: "kubeflow-system|x" sorts before "kubeflow|y")."""
    gvk = res.gvk
    gvk_text = "_".join((gvk.group or "~G", gvk.version or "~V", gvk.kind or "~K"))
    return (orders.get(gvk.kind, 0), gvk_text, f"{res.namespace or '~X'}|{res.name or '~N'}")


def _kind_orders(first: tuple[str, ...], last: tuple[str, ...]) -> dict[str, int]:
    """Kinds of the orderFirst table before every other kind (negative), of orderLast after."""
    orders = {kind: i - len(first) for i, kind in enumerate(first)}
    orders.update({kind: 1 + i for i, kind in enumerate(last)})
    return orders


def build(folder: str, reorder: str = "legacy", root_text: tuple[str, str] | None = None,
          shared: Shared | None = None, track_overrides: bool = False) -> Build:
    """Build the kustomization in `folder` as `kustomize build` would (see the README for
    what is supported); problems are hits, never exceptions. `reorder`: "legacy" (the
    default of kustomize build) or "fifo" (kustomize's --reorder none: input order).
    `root_text`: (file name, text) of the kustomization when it is not on disk; `shared`:
    the caches of other builds of the same run."""
    builder = Builder(None if root_text is not None else shared)
    builder.track_overrides = track_overrides
    if root_text is not None:
        builder.given = root_text[0]
        builder._raw[root_text[0]] = root_text[1]
    folder = folder.rstrip("/") or folder
    resources: list[Resource] = []
    root_file: str | None = None
    target = builder.target(folder, (os.path.join(folder, "kustomization.yaml"), 1, 1), (), None)
    if target is not None:
        root_file = target.file
        if builder.shared.scripts is not None and builder.shared.restrict_loads:
            text = builder._raw.get(target.file)
            builder.loosened_by = builder.shared.scripts.line_for(
                builder.shared.realpath(folder), target.file, text if isinstance(text, str) else "")
        resources = target.accumulate([])
        resources = finish(builder, target, resources, reorder)
        written = helmify.action(builder._raw.get(target.file))
        if written is not None:                # k8slint.kustomize.helmify: a chart's templates
            resources, builder.hits[:] = [], helmify.hits(builder.hits, target.file, written)
    # a target unmatched in one use of its kustomization (a Component listed by a base and its
    # overlay) and matched in another does something: not reported
    hits = [h for h in builder.hits
            if h.rule != RULE_UNMATCHED or (h.file, h.line, h.column) not in builder.matched_targets]
    return Build(folder, root_file, resources, builder.positions, hits, builder.files,
                 builder.kustomizations, builder.patch_files, builder.overrides, builder.texts(),
                 builder.resource_files, builder.matched_targets, builder.loosened_by, builder.loosened)


def finish(builder: Builder, target: Target, resources: list[Resource], reorder: str) -> list[Resource]:
    """Hashes, name references, local-config objects, order."""
    for res in resources:
        if res.needs_hash:
            res.store_previous_id()
            meta = res.data.get("metadata")
            if isinstance(meta, dict):
                meta["name"] = f"{res.name}-{generators.content_hash(res.data)}"
    try:
        nameref.fix(builder.positions, resources, target.config.name_refs)
    except nameref.ReferenceError as exc:
        builder.hit(RULE_ERROR, (target.file, 1, 1), _("{exc}: kustomize build fails").format(exc=exc))
    try:
        variables.resolve(builder.positions, resources, target.config)
    except variables.VarError as exc:
        builder.hit(RULE_ERROR, exc.at, str(exc))
    resources = [r for r in resources if LOCAL_CONFIG not in (notes := r.annotations())
                 or str(notes[LOCAL_CONFIG]).lower() == "false"]
    options = target.data.get("sortOptions")
    order = options.get("order") if isinstance(options, dict) else None
    if order == "fifo" or (order is None and reorder == "fifo"):
        return resources
    if order not in (None, "legacy"):
        builder.hit(RULE_ERROR, target.at("sortOptions", "order"), _("sortOptions.order must be legacy or fifo: kustomize build fails"))
        return resources
    legacy = options.get("legacySortOptions") if isinstance(options, dict) else None
    first = tuple(legacy.get("orderFirst") or ()) if isinstance(legacy, dict) else ORDER_FIRST
    last = tuple(legacy.get("orderLast") or ()) if isinstance(legacy, dict) else ORDER_LAST
    orders = _kind_orders(first, last)
    return sorted(resources, key=lambda r: _sort_key(r, orders))



