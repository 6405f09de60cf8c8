"""Fixes in files that kustomize patches: say when a patch overrides what was fixed.

`fix` edits objects where they are written (a base file). A kustomization that builds that
file may patch the same field: then the fix does not change what that kustomization
applies. The kustomizations around the fixed files are built (k8slint.kustomize) and each
fix whose field a patch overrides gets a note naming the patch line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ..i18n import _
from ..kustomize import Override, kustfile, repository
from ..kustomize.inputs import plan
from ..model import Finding
from ..paths import format_path, parse_path

MAX_FOLDERS = 2000           # folders walked when looking for the kustomizations around a file


def search_root(file: str) -> str:
    """The repository around a file (the nearest folder with .git), else two levels up."""
    folder = os.path.dirname(os.path.abspath(file))
    found = repository.git_top(folder)
    return found if found is not None else os.path.dirname(os.path.dirname(folder)) or folder


def kustomization_folders(root: str) -> list[str]:
    folders: list[str] = []
    walked = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        walked += 1
        if walked > MAX_FOLDERS:
            break
        if any(n in kustfile.FILE_NAMES for n in names):
            folders.append(folder)
    return folders


def overrides(files: Iterable[str]) -> list[Override]:
    """Overrides by patches, of fields written in `files`, in every kustomization around."""
    wanted = {os.path.abspath(f) for f in files if f != "-"}
    if not wanted:
        return []
    roots = {search_root(f) for f in wanted}
    folders: list[str] = []
    for root in sorted(roots):
        folders.extend(kustomization_folders(root))
    kustomizations = [k for k in (kustfile.find(f)[1] for f in folders) if k is not None]
    out = []
    seen: set[tuple[Any, ...]] = set()
    for result in plan(kustomizations, track_overrides=True).builds:
        for override in result.overrides:
            key = (os.path.abspath(override.file), override.kind, override.name, override.path,
                   override.patch)
            if os.path.abspath(override.file) in wanted and key not in seen:
                seen.add(key)
                out.append(override)
    return out


def notes_for(file: str, findings: list[Finding], lines: set[int], known: list[Override]) -> list[str]:
    """A note per fixed finding (at `lines`) whose object a kustomize patch changes: the
    patch of the same field when there is one, else the object's patched fields."""
    mine = [o for o in known if os.path.abspath(o.file) == os.path.abspath(file)]
    notes = []
    for finding in findings:
        if not mine or finding.line not in lines or finding.object is None:
            continue
        same = [o for o in mine if o.kind == finding.object.kind and o.name == finding.object.name]
        if not same:
            continue
        path = tuple(parse_path(finding.path or ""))
        field = [o for o in same if path[:len(o.path)] == o.path[:len(path)]]
        override = (field or same)[0]
        patch_file, patch_line, __ = override.patch
        folder = os.path.relpath(os.path.dirname(override.kustomization))
        if field:
            what = _("patches this field")
        else:
            fields = sorted({format_path(o.path) for o in same})
            what = _("patches this object ({fields})").format(
                fields=", ".join(fields[:3]) + (" ..." if len(fields) > 3 else ""))
        notes.append(_("{file}:{line}: {rule}: note: {patch}:{patch_line} {what} in the build of {folder}/: "
                       "check that the fix still holds in what that kustomization applies").format(
            file=file, line=finding.line, rule=finding.rule, patch=os.path.relpath(patch_file),
            patch_line=patch_line, what=what, folder=folder))
    return notes
