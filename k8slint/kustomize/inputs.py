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
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..loader import LoadResult, Source, parse_text
from ..model import Finding, Hit
from . import kustfile
from .build import Build, build
from .document import BuiltDocument
from .target import RULE_NOT_BUILT


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

    def add_to(self, loaded: LoadResult) -> None:
        """The builds' objects and texts as sources of the load, and their hits."""
        have = {s.name for s in loaded.sources}
        for result in self.builds:
            unit = result.folder
            documents = [BuiltDocument(res, result.positions, i, unit) for i, res in enumerate(result.resources)]
            name = result.file or result.folder
            loaded.sources.append(Source(name, result.texts.get(name), documents))
            have.add(name)
            for file, text in result.texts.items():
                if file not in have:
                    loaded.sources.append(Source(file, text))
                    have.add(file)
        loaded.hits.extend(self.hits)


def candidates(files: Iterable[str], explicit: Iterable[str] = ()) -> list[str]:
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
    return [f for f in folders if kustfile.find(f)[0]]


def _read(folder: str) -> dict | None:
    _, file = kustfile.find(folder)
    if file is None:
        return None
    try:
        with open(file, encoding="utf-8") as handle:
            documents, _ = parse_text(file, handle.read())
    except (OSError, UnicodeDecodeError):
        return None
    data = documents[0].data if documents else None
    return data if isinstance(data, dict) else None


def _references(data: dict | None, folder: str) -> set[str]:
    """Real paths of the folders a kustomization lists under resources, bases, components."""
    out: set[str] = set()
    if data is None:
        return out
    for key in ("resources", "bases", "components"):
        entries = data.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, str):
                path = os.path.join(folder, entry)
                if os.path.isdir(path):
                    out.add(os.path.realpath(path))
    return out


def plan(files: list[str], explicit: Iterable[str] = ()) -> KustomizeInput:
    """Build the kustomizations of the input (see the module docstring)."""
    explicit = list(explicit)
    found = candidates(files, explicit)
    result = KustomizeInput()
    if not found:
        return result
    used: set[str] = set()
    components: set[str] = set()
    for folder in found:
        data = _read(folder)
        used |= _references(data, folder)
        if data is not None and data.get("kind") == kustfile.COMPONENT_KIND:
            components.add(folder)
    # a Component is applied only through the kustomizations that list it
    roots = [f for f in found if f in explicit or (os.path.realpath(f) not in used and f not in components)]
    seen_hits: set[tuple] = set()
    for folder in roots:
        built = build(folder)
        result.builds.append(built)
        for path in built.files:
            result.consumed.add(os.path.normpath(path))
        for hit in built.hits:
            key = (hit.rule, hit.file, hit.line, hit.column, hit.message)
            if key not in seen_hits:
                seen_hits.add(key)
                result.hits.append(hit)
    # kustomization files of folders found but not built on their own are used by a build,
    # or are Components no kustomization of the input lists: their files are patches and
    # configurations, never objects, and they are not checked on their own.
    built_kustomizations = {os.path.normpath(k) for b in result.builds for k in b.kustomizations}
    for folder in found:
        _, kfile = kustfile.find(folder)
        if kfile is None:
            continue
        if os.path.normpath(kfile) not in built_kustomizations and folder in components:
            result.consumed.update(os.path.normpath(p) for p in build(folder).files)
            result.hits.append(Hit(message=f"Component {folder} is not listed under `components:` by "
                                   "any kustomization of the input: it is not checked on its own",
                                   file=kfile, rule=RULE_NOT_BUILT))
        result.consumed.add(os.path.normpath(kfile))
    return result


def plan_text(name: str, text: str) -> KustomizeInput:
    """A kustomization given as text (check_text with a kustomization file name)."""
    result = KustomizeInput()
    built = build(os.path.dirname(name) or ".", root_text=(name, text))
    result.builds.append(built)
    result.hits.extend(built.hits)
    return result


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per file, line, column, rule and message: a base checked through two
    overlays reports its own problems once."""
    seen: set[tuple] = set()
    out = []
    for finding in findings:
        key = (finding.file, finding.line, finding.column, finding.rule, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
