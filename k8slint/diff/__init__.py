"""`k8slint diff`: what applying the new manifests over the old ones does to a running cluster.

    diff_paths(old_paths, new_paths, config) -> DiffResult
    diff_git(ref, paths, config, to_ref=None) -> DiffResult   # working tree (or to_ref) vs ref
    diff_texts(old_text, new_text, config) -> DiffResult      # tests and rule examples

Each statement is a finding of a `change` rule (rules/change-*.yaml), located at the changed
line of the new manifests (of the old ones for a removed object).
"""

from __future__ import annotations

from .. import graph as graph_mod
from .. import loader
from ..config import Config
from .analyse import analyse, change_rules, diff_graphs
from .model import DiffResult, ObjectChange
from .read import GitError, Side, read_git, read_paths

__all__ = ["DiffResult", "GitError", "ObjectChange", "change_rules", "diff_git", "diff_graphs",
           "diff_paths", "diff_texts"]


def diff_paths(old_paths: list[str], new_paths: list[str], config: Config | None = None) -> DiffResult:
    config = config or Config()
    old = read_paths(old_paths, config, " ".join(old_paths))
    new = read_paths(new_paths, config, " ".join(new_paths))
    return analyse(old, new, config)


def diff_git(ref: str, paths: list[str], config: Config | None = None, to_ref: str | None = None) -> DiffResult:
    """`paths` at git revision `ref` against the working tree (or against `to_ref`)."""
    config = config or Config()
    old = read_git(ref, paths, config)
    new = read_git(to_ref, paths, config) if to_ref else read_paths(paths, config, "working tree")
    return analyse(old, new, config)


def diff_texts(old_text: str, new_text: str, config: Config | None = None,
               old_name: str = "before.yaml", new_name: str = "after.yaml") -> DiffResult:
    config = config or Config()
    return analyse(_side(old_text, old_name, config), _side(new_text, new_name, config), config)


def _side(text: str, name: str, config: Config) -> Side:
    loaded = loader.LoadResult()
    source = loader.Source(name, text)
    loaded.sources.append(source)
    loader.parse_source(source)
    built, _ = graph_mod.build(loaded, config.namespace)
    return Side(built, name)
