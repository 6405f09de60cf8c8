"""Reading one side of a diff: paths on disk, or the same paths at a git revision.

Both sides go through `read_paths`, the one place that turns files into a Graph the way
`check` does. A git revision is exported with `git archive` into a temporary folder, so the
working tree is never touched; file names are then mapped back to the paths the user gave.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace

from ..config import Config
from ..graph import Graph
from ..i18n import _


class GitError(Exception):
    """A git revision that cannot be read (exit code 2)."""


@dataclass
class Side:
    graph: Graph
    label: str
    io_errors: list[str] = field(default_factory=list)
    files: int = 0
    renames: list[tuple[str, str]] = field(default_factory=list)   # (temporary folder, what to show)

    def display(self, file: str) -> str:
        """A file name as the user would write it (an exported revision's temporary copy mapped
        back to the working-tree path)."""
        for folder, shown in self.renames:
            if file.startswith(folder + os.sep):
                return os.path.normpath(os.path.join(shown, file[len(folder) + 1:]))
        return file


def read_paths(paths: list[str], config: Config, label: str) -> Side:
    """The objects of `paths` (files, folders), read by `check` itself with no rule active:
    the same discovery, exclusions, apply units and kustomize builds."""
    from ..api import check

    result = check(paths, replace(config, only=[]))
    return Side(result.graph, label, list(result.io_errors), result.files)


def read_git(ref: str, paths: list[str], config: Config) -> Side:
    """`paths` (relative to the current folder) as they are at git revision `ref`."""
    top = _git(["rev-parse", "--show-toplevel"]).strip()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                  _("{ref}: not a git revision").format(ref=ref)).strip()
    here = os.path.realpath(os.getcwd())
    wanted: list[str] = []
    for path in paths:
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            raise GitError(_("{path}: outside the git repository {top}").format(path=path, top=top))
        wanted.append(rel)
    with tempfile.TemporaryDirectory(prefix="k8slint-diff-") as tmp:
        present = [p for p in wanted if p == "." or _exists(commit, p)]
        if present:
            # The whole tree: a kustomization may name files outside PATHS (`../base`). Only
            # when that cannot be read (a blob missing from a partial clone) the PATHS alone.
            try:
                _export(commit, ["."], tmp)
            except GitError:
                _export(commit, present, tmp)
        roots = [os.path.join(tmp, p) for p in present]
        side = read_paths([r for r in roots if os.path.exists(r)], config, ref)
        side.renames.append((tmp, os.path.relpath(top, here)))
        _rename(side)
        side.io_errors = [e.replace(tmp + os.sep, f"{ref}:") for e in side.io_errors]
    return side


def _git(args: list[str], failure: str | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GitError(_("cannot run git: {error}").format(error=exc.strerror or exc)) from None
    if done.returncode != 0:
        raise GitError(failure or (done.stderr.strip() or f"git {' '.join(args)} failed"))
    return done.stdout


def _exists(commit: str, rel: str) -> bool:
    done = subprocess.run(["git", "cat-file", "-e", f"{commit}:{rel}"], capture_output=True, check=False)
    return done.returncode == 0


def _export(commit: str, rels: list[str], into: str) -> None:
    """`git archive` of the paths, unpacked into `into` (tar's data filter: no absolute
    paths, no escaping links)."""
    top = _git(["rev-parse", "--show-toplevel"]).strip()
    pathspec = [] if "." in rels else ["--", *rels]
    proc = subprocess.Popen(["git", "-C", top, "archive", "--format=tar", commit, *pathspec],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise GitError(_("cannot read {commit}: {error}").format(commit=commit[:12], error=exc)) from None
    finally:
        proc.stdout.close()
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.wait() != 0:
            raise GitError(stderr.strip() or "git archive failed")


def _rename(side: Side) -> None:
    """Documents' file names as the user would write them in the working tree (positions
    inside kustomize builds are mapped when findings are made: Side.display)."""
    for obj in side.graph.objects:
        obj.doc.file = side.display(obj.doc.file)
