"""port-name: name the unnamed ports of a multi-port Service.

The name is the port's named targetPort when that is a valid, unused Service port name (the
author already chose it), else `port-<number>`. A new name changes nothing at run time:
nothing could refer to a port that had none."""

from __future__ import annotations

import re
from typing import Any

from ..i18n import _
from ..k8s.fields import as_int
from ..model import Path
from .edit import insert_after, walk
from .registry import FixContext, fixer

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


@fixer("port-name")
def name_service_port(obj: Any, path: Path, ctx: FixContext) -> str | None:
    if obj.get("kind") != "Service" or len(path) != 3 or path[:2] != ("spec", "ports"):
        return None
    ports = walk(obj, path[:2])
    port = walk(obj, path)
    if not isinstance(ports, list) or len(ports) < 2 or not isinstance(port, dict) or "name" in port:
        return None
    number = port.get("port")
    if as_int(number) is None:
        return None
    used = {p.get("name") for p in ports if isinstance(p, dict)}
    target = port.get("targetPort")
    candidates = [target] if isinstance(target, str) and not target.isdigit() else []
    candidates.append(f"port-{number}")
    name = next((c for c in candidates if _DNS1123_LABEL.match(c) and c not in used), None)
    if name is None:
        return None
    insert_after(port, None, "name", name)
    return _("named Service port {number} {name!r}").format(number=number, name=name)
