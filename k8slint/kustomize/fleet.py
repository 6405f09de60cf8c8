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
from typing import Any

import yaml

from .. import listing
from . import repository

BUNDLE_FILES = ("fleet.yaml", "fleet.yml")
MANIFESTS_FILE = "fleet-manifests.yaml"     # rancher/fleet internal/kustomize ManifestsYAML


def chart_post_renderer(folder: str) -> str | None:
    """The fleet.yaml of the nearest bundle at or above `folder` when it names a Helm chart
    and `folder` as a kustomize dir (top-level or of a target customization); None otherwise."""
    real = os.path.realpath(folder)
    top = repository.git_top(real)          # the repository's top; outside one, every folder above
    current = real
    while True:
        for name in BUNDLE_FILES:
            path = os.path.join(current, name)
            if listing.isfile(path):
                return path if _names(path, current, real) else None
        parent = os.path.dirname(current)
        if current == top or parent == current:
            return None
        current = parent


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
