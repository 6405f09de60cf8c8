"""Kustomizations in a check's input: which to build, and what the builds take out of the
plain file-by-file load.

Every kustomization found (a kustomization file among the input files, or in the folder of
an input file, or named with `-k DIR`) is built unless another one found references it
under `resources:` or `components:`: a base used through overlays is checked through them.
Each build is one apply unit. The files a build reads (resources, patches, generator
inputs, nested kustomizations) are not loaded as plain files: a patch is never checked as a
whole object. Other YAML files beside a kustomization, which it does not list, are checked
as plain files (`kubectl apply -f` on the folder would apply them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .. import listing
from ..i18n import _
from ..loader import LoadResult, Source
from ..model import Hit, Severity
from . import kustfile, scripts
from .build import Build, Builder, Shared, build
from .document import BuiltDocument
from .target import RULE_ERROR, RULE_NOT_BUILT, RULE_UNMATCHED
from .workers import Team


@dataclass
class KustomizeInput:
    builds: list[Build] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)          # normalized paths read by a build
    hits: list[Hit] = field(default_factory=list)

    def remaining(self, files: Iterable[str]) -> list[str]:
        """The input files still to load as plain files."""
        return [f for f in files if f == "-" or os.path.normpath(f) not in self.consumed]

    def as_written(self, files: Iterable[str]) -> list[str]:
        """The input files whose documents are objects: all but the patches, kustomization
        files and generator inputs of the builds (for checking files as written)."""
        objects = {os.path.normpath(f) for b in self.builds for f in b.resource_files}
        return [f for f in files if f == "-" or os.path.normpath(f) not in self.consumed
                or os.path.normpath(f) in objects]

    def spare_patches(self, files: Iterable[str]) -> dict[str, Hit]:
        """Spare patches: files named or placed as kustomize patches in the folders of built
        kustomizations that no build read. kubebuilder's scaffold keeps them there with their
        lines in kustomization.yaml commented out (config/default/manager_auth_proxy_patch.yaml,
        config/crd/patches/webhook_in_*.yaml): `kubectl apply -k` never applies them, and as
        objects they lack the fields their target has. One info each; not checked as objects.
        Other unlisted files are checked as they are (skaffold's rawYaml, say, applies them).
        A build that failed may not have read all it lists: a folder of its kustomizations
        counts only for files that its kustomization file does not name at all."""
        folders, patch_folders, patch_names = self._patch_places()
        found: dict[str, Hit] = {}
        for file in files:
            if file == "-":
                continue
            folder = os.path.dirname(os.path.normpath(file))
            owner = folders.get(folder)
            if owner is not None and owner.lists(file):
                owner = None
            if owner is not None and "patch" in os.path.basename(file).lower():
                message = _("{file} is a kustomize patch that {kustomization} does not list: `kubectl apply -k "
                            "{folder}` does not apply it; not checked as an object").format(
                    file=os.path.basename(file), kustomization=owner.file, folder=os.path.dirname(owner.file) or ".")
            elif owner is not None and (moved := _moved_patch(file, folder, patch_names)) is not None:
                message = _("{file} has the name of the kustomize patch {patch}, and {kustomization} does not "
                            "list it: `kubectl apply -k {folder}` does not apply it; not checked as an object").format(
                    file=os.path.basename(file), patch=os.path.relpath(moved),
                    kustomization=owner.file, folder=os.path.dirname(owner.file) or ".")
            elif (owner is None or not owner.complete) and (
                    folder in patch_folders or (os.path.basename(folder) in _PATCH_FOLDERS
                                                and _parent_lists_not(folders.get(os.path.dirname(folder)), file))):
                message = _("{file} lies among kustomize patches but no kustomization reads it: it is never "
                            "applied; not checked as an object").format(file=os.path.basename(file))
            else:
                continue
            found[file] = Hit(message=message, file=file, rule="not-kubernetes")
        return found

    def _patch_places(self) -> tuple[dict[str, Owner], set[str], dict[str, list[str]]]:
        """The folders of the builds' kustomizations (with their kustomization files), the
        folders of patches the builds read, and the paths of those patches by file name."""
        folders: dict[str, Owner] = {}
        patch_folders: set[str] = set()
        patch_names: dict[str, list[str]] = {}  # file name of a patch a build reads -> its paths
        for done in self.builds:
            read = {os.path.dirname(os.path.normpath(p)) for p in done.patch_files}
            failed = any(h.rule == RULE_ERROR and h.severity in (None, Severity.ERROR) for h in done.hits)
            for kfile in done.kustomizations:
                folder = os.path.dirname(os.path.normpath(kfile))
                if failed and folder not in folders:
                    folders[folder] = Owner(kfile, complete=False)
                elif not failed and not (folder in folders and folders[folder].complete):
                    folders[folder] = Owner(kfile, complete=True)
            if failed:
                # a failed build's patches were read all the same (kubevela's config/crd, whose
                # resource `make manifests` writes): a folder of its patches other than its
                # own holds patches
                patch_folders.update(read - {os.path.dirname(os.path.normpath(k)) for k in done.kustomizations})
                continue
            patch_folders.update(read)
            for p in sorted(done.patch_files):
                patch_names.setdefault(os.path.basename(p), []).append(os.path.normpath(p))
        return folders, patch_folders, patch_names

    def add_to(self, loaded: LoadResult) -> None:
        """The builds' objects and texts as sources of the load, and their hits."""
        have = {s.name for s in loaded.sources}
        for result in self.builds:
            unit = result.folder
            documents: list[Any] = [BuiltDocument(res, result.positions, i, unit)
                                    for i, res in enumerate(result.resources)]
            name = result.file or result.folder
            loaded.sources.append(Source(name, result.texts.get(name), documents))
            have.add(name)
            for file, text in result.texts.items():
                if file not in have:
                    loaded.sources.append(Source(file, text))
                    have.add(file)
        loaded.hits.extend(self.hits)


def candidates(files: Iterable[str], explicit: Iterable[str] = (), shared: Shared | None = None) -> list[str]:
    """Folders holding a kustomization: named with -k, or of the input's files."""
    folders: dict[str, None] = dict.fromkeys(explicit)
    seen = {os.path.normpath(d) for d in explicit}
    for file in files:
        if file == "-":
            continue
        folder = os.path.dirname(file) or "."
        if os.path.normpath(folder) not in seen:
            seen.add(os.path.normpath(folder))
            folders[folder] = None
    find = shared.find if shared is not None else kustfile.find
    return [f for f in folders if find(f)[0]]


def _read(folder: str, shared: Shared) -> dict[Any, Any] | None:
    __, file = shared.find(folder)
    if file is None:
        return None
    data = Builder(shared).kustomization(file)
    return data if isinstance(data, dict) else None


def _references(data: dict[Any, Any] | None, folder: str, shared: Shared) -> set[str]:
    """Real paths of the folders a kustomization lists under resources, bases, components."""
    out: set[str] = set()
    if data is None:
        return out
    for key in ("resources", "bases", "components"):
        entries = data.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, str):
                path = os.path.join(folder, entry)
                if listing.isdir(path):
                    out.add(shared.realpath(path))
    return out


def _reused(roots: list[str], shared: Shared, scanned: dict[str, set[str]]) -> dict[str, int]:
    """Real paths of the folders more than one build reads, with the number of reads.
    `scanned`: the references of the folders already read, by real path."""
    counts: dict[str, int] = {}

    def visit(folder: str, depth: int) -> None:
        if depth > 50:                        # a cycle; the build reports it
            return
        refs = scanned.get(shared.realpath(folder))
        for ref in refs if refs is not None else _references(_read(folder, shared), folder, shared):
            counts[ref] = counts.get(ref, 0) + 1
            visit(ref, depth + 1)

    for root in roots:
        visit(root, 0)
    return {folder: count for folder, count in counts.items() if count > 1}


def _scan(folder: str, shared: Shared) -> tuple[set[str], bool]:
    """The real paths a kustomization folder lists, and whether it is a Component."""
    data = _read(folder, shared)
    return _references(data, folder, shared), data is not None and data.get("kind") == kustfile.COMPONENT_KIND


def _detect_scripts(folders: list[str], shared: Shared) -> scripts.Loosening:
    """scripts.detect for the kustomization folders, kept for the builds of the process
    that ran it (a job beside the scan: Team.scan)."""
    shared.scripts = scripts.detect(folders, shared.realpath)
    return shared.scripts


def plan(files: list[str], explicit: Iterable[str] = (), track_overrides: bool = False,
         restrict_loads: bool = True, jobs: int | None = 1, from_scripts: bool = False) -> KustomizeInput:
    """Build the kustomizations of the input (see the module docstring); track_overrides
    records the fields patches override (for fix); restrict_loads=False is kustomize's
    --load-restrictor LoadRestrictionsNone; `jobs`: processes for the builds
    (k8slint.kustomize.workers; None: every core when there are many); from_scripts: build
    without the restriction what the repository's scripts build so (k8slint.kustomize.scripts)."""
    explicit = list(explicit)
    shared = Shared()
    shared.restrict_loads = restrict_loads
    found = candidates(files, explicit, shared)
    result = KustomizeInput()
    if not found:
        return result
    seen_hits: set[tuple[Any, ...]] = set()
    with Team(shared, 1 if track_overrides else jobs, len(found), partial(_scan, shared=shared),
              partial(build, shared=shared, track_overrides=track_overrides)) as team:
        scans, shared.scripts = team.scan(found, partial(_detect_scripts, found) if from_scripts and restrict_loads
                                          else None)
        used = {ref for refs, __ in scans for ref in refs}
        components = {folder for folder, (__, component) in zip(found, scans, strict=True) if component}
        # a Component is applied only through the kustomizations that list it
        roots = [f for f in found if f in explicit or (shared.realpath(f) not in used and f not in components)]
        shared.reused = _reused(roots, shared, {shared.realpath(f): refs for f, (refs, __) in zip(found, scans, strict=True)})
        for built in team.build(roots):
            result.builds.append(built)
            for path in built.files:
                result.consumed.add(os.path.normpath(path))
            for hit in built.hits:
                key = (hit.rule, hit.file, hit.line, hit.column, hit.message)
                if key not in seen_hits:
                    seen_hits.add(key)
                    result.hits.append(hit)
    result.hits.extend(scripts.report((b.folder, b.loosened_by, b.loosened) for b in result.builds
                                      if b.loosened_by is not None))
    matched = _matched_elsewhere(result.builds)
    result.hits = [hit for hit in result.hits if not matched(hit)]
    # kustomization files of folders found but not built on their own are used by a build,
    # or are Components no kustomization of the input lists: their files are patches and
    # configurations, never objects, and they are not checked on their own.
    built_kustomizations = {os.path.normpath(k) for b in result.builds for k in b.kustomizations}
    for folder in found:
        __, kfile = shared.find(folder)
        if kfile is None:
            continue
        if os.path.normpath(kfile) not in built_kustomizations and folder in components:
            result.consumed.update(os.path.normpath(p) for p in build(folder, shared=shared).files)
            result.hits.append(Hit(message=_("Component {folder} is not listed under `components:` by any kustomization of the input: it is not checked on its own").format(folder=folder),
                                   file=kfile, rule=RULE_NOT_BUILT))
        result.consumed.add(os.path.normpath(kfile))
    return result


@dataclass
class Owner:
    """The kustomization file of a folder that a build read; `complete`: from a build that
    succeeded, so it read all that its kustomization lists."""

    file: str
    complete: bool
    _named: set[str] | None = None

    def lists(self, file: str) -> bool:
        """Whether a failed build's kustomization names the file anywhere (a resource, a patch
        or generator input it may not have read before failing)."""
        if self.complete:
            return False
        if self._named is None:
            folder = os.path.dirname(self.file)
            data = Builder(Shared()).kustomization(self.file)
            self._named = {os.path.normpath(os.path.join(folder, v)) for v in _strings(data)}
        return os.path.normpath(file) in self._named


def _strings(value: Any) -> Iterable[str]:
    """Every string value of parsed YAML."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# Folder names that say "kustomize patches": `patches/` (kubebuilder's config/crd/patches) and
# `patch/` (goharbor/harbor-operator's manifests/harbor/patch/image-source.yaml, whose line
# in kustomization.yaml is commented out: "uncomment this patch ... Then rebuild").
_PATCH_FOLDERS = frozenset({"patches", "patch"})


def _parent_lists_not(owner: Owner | None, file: str) -> bool:
    """A file of a `patches/` (or `patch/`) folder below a built kustomization that does not
    list it."""
    return owner is not None and not owner.lists(file)


def _moved_patch(file: str, folder: str, patch_names: dict[str, list[str]]) -> str | None:
    """A patch of the same name that a build reads below the file's folder: the file is a copy
    left behind when the patch moved into a Component (Kong's
    config/variants/postgres/kong-ingress-postgres.yaml; the build reads wait/'s)."""
    below = os.path.join(folder, "")
    for path in patch_names.get(os.path.basename(file), []):
        if path.startswith(below) and path != os.path.normpath(file):
            return path
    return None


def _matched_elsewhere(builds: list[Build]) -> Callable[[Hit], bool]:
    """Whether an unmatched patch target matched in another build (or another use in the
    same build) of its kustomization.

    A Component is built into each kustomization that lists it, on that kustomization's
    resources: its patch for every Deployment (bank-of-anthos' src/components/cloud-sql-fwi)
    matches nothing in the user with only a Job and works in the others; a base and its
    overlay may both list it. The patch is reported only when it matched nowhere."""
    matched = {at for done in builds for at in done.matched_targets}

    def test(hit: Hit) -> bool:
        return hit.rule == RULE_UNMATCHED and (hit.file, hit.line, hit.column) in matched
    return test


def plan_text(name: str, text: str) -> KustomizeInput:
    """A kustomization given as text (check_text with a kustomization file name)."""
    result = KustomizeInput()
    built = build(os.path.dirname(name) or ".", root_text=(name, text))
    result.builds.append(built)
    result.hits.extend(built.hits)
    return result
