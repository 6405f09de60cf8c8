"""Run settings: CLI flags (and, later, .k8slint.yaml) resolved into one Config."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .k8s.versions import LATEST, Version
from .model import Severity


@dataclass
class Config:
    kubernetes_version: Version = LATEST
    namespace: str = "default"
    fail_on: Severity | None = Severity.ERROR       # None: never fail
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    only: list[str] | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    pod_security_level: str = "none"
