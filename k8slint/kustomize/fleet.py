"""Kustomizations that Rancher Fleet builds over a Helm chart's output.

A Fleet bundle is a folder with a `fleet.yaml` (https://fleet.rancher.io/ref-fleet-yaml).
When it names a chart (`helm.chart`, also per target under `targetCustomizations`) and a
kustomization folder (`kustomize.dir`, relative to the bundle), Fleet renders the chart and
runs kustomize there as the chart's post-renderer: it writes the rendered objects into
`fleet-manifests.yaml` beside the kustomization and puts that file first in its
`resources` (rancher/fleet internal/helmdeployer postrender.go postRender.Run, which calls
internal/kustomize Process and modifyKustomize). Such a kustomization often lists no
resources at all and only patches the chart's objects: `kustomize build` of the folder
alone fails, Fleet's build does not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import yaml

from .. import listing
from . import repository

BUNDLE_FILES = ("fleet.yaml", "fleet.yml")
MANIFESTS_FILE = "fleet-manifests.yaml"     # rancher/fleet internal/kustomize ManifestsYAML


def chart_post_renderer(folder: str, nearest: dict[str, str | None] | None = None,
                        realpath: Callable[[str], str] = os.path.realpath) -> str | None:
    """The fleet.yaml of the nearest bundle at or above `folder` (up to the repository's top)
    when it names a Helm chart and `folder` as a kustomize dir (top-level or of a target
    customization); None otherwise. `nearest`: the answers of _nearest_bundle, kept for a
    run (every build asks: most folders share their parents)."""
    real = realpath(folder)
    bundle_file = _nearest_bundle(real, {} if nearest is None else nearest)
    if bundle_file is None:
        return None
    return bundle_file if _names(bundle_file, os.path.dirname(bundle_file), real) else None


def _nearest_bundle(folder: str, memo: dict[str, str | None]) -> str | None:
    """The bundle file at or above a real folder, up to the folder holding `.git` (else the
    file system's root), read from the walk's listings where it has them; each folder on the
    way is remembered in `memo`."""
    def look(current: str) -> tuple[str | None, bool]:
        entries = listing.names(current)
        found = next((os.path.join(current, name) for name in BUNDLE_FILES
                      if (entries.get(name, 0) & listing.FILE if entries is not None
                          else listing.isfile(os.path.join(current, name)))), None)
        return found, repository.holds_git(current)

    return repository.nearest_up(folder, memo, look)


def _names(bundle_file: str, bundle: str, folder: str) -> bool:
    """Whether the bundle's fleet.yaml names a chart and `folder` as a kustomize dir."""
    text = repository.read(bundle_file)
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return False
    if not isinstance(data, dict):
        return False
    options = [data] + [t for t in data.get("targetCustomizations") or () if isinstance(t, dict)]
    if not any(_chart(o) for o in options):
        return False
    dirs = {_dir(data) or "."} | {_dir(o) for o in options[1:]}    # Process: "" is the bundle
    return any(d is not None and os.path.normpath(os.path.join(bundle, d)) == folder for d in dirs)


def _chart(options: dict[Any, Any]) -> bool:
    helm = options.get("helm")
    return isinstance(helm, dict) and bool(helm.get("chart"))


def _dir(options: dict[Any, Any]) -> str | None:
    kustomize = options.get("kustomize")
    if not isinstance(kustomize, dict):
        return None
    found = kustomize.get("dir")
    return found if isinstance(found, str) else None
