"""Kustomize, natively: build a kustomization folder the way `kustomize build` does and
keep, for every field of every built object, the file, line and column that wrote it.

Entry point: build(folder) -> Build (objects, positions, hits about the kustomization)."""

from __future__ import annotations

from .build import Build, Override, build
from .kustfile import FILE_NAMES, is_kustomization_file
from .resource import Resource
from .target import RULE_ERROR, RULE_NOT_BUILT, RULE_UNMATCHED

__all__ = ["FILE_NAMES", "RULE_ERROR", "RULE_NOT_BUILT", "RULE_UNMATCHED", "Build", "Override",
           "Resource", "build", "is_kustomization_file"]
