"""prestop-exceeds-grace: raise terminationGracePeriodSeconds to the preStop sleep plus the
grace period the pod had, so the app keeps the shutdown time it was given."""

from __future__ import annotations

import math
from typing import Any

from ..i18n import _
from ..k8s.defaults import grace_period
from ..k8s.fields import as_int
from ..k8s.termination import handler_seconds
from ..model import Path
from .edit import insert_before, walk
from .registry import FixContext, fixer

_CONTAINER_LISTS = ("containers", "initContainers")


@fixer("prestop-exceeds-grace")
def raise_grace(obj: Any, path: Path, ctx: FixContext) -> str | None:
    split = next((i for i, step in enumerate(path) if step in _CONTAINER_LISTS), None)
    if split is None or "preStop" not in path:
        return None
    spec = walk(obj, path[:split])
    hook = walk(obj, path[:path.index("preStop") + 1])
    if not isinstance(spec, dict) or not isinstance(hook, dict):
        return None
    written = spec.get("terminationGracePeriodSeconds")
    if written is not None and (as_int(written) is None or written <= 0):
        return None
    sleep = handler_seconds(hook)
    if sleep is None or math.isinf(sleep):
        return None
    # The grace the pod was written with: remembered per pod spec across its findings.
    original = ctx.memo.setdefault(("grace", id(spec)), grace_period(spec))
    wanted = int(math.ceil(sleep)) + original
    if isinstance(written, int) and written >= wanted:
        return None
    keys = list(spec)
    if "terminationGracePeriodSeconds" in spec:
        spec["terminationGracePeriodSeconds"] = wanted
    elif keys.index(path[split]) > 0:                 # just before the containers
        insert_before(spec, path[split], "terminationGracePeriodSeconds", wanted)
    elif len(keys) > 1:                               # containers first: just after them
        insert_before(spec, keys[1], "terminationGracePeriodSeconds", wanted)
    else:
        spec["terminationGracePeriodSeconds"] = wanted
    before = written if written is not None else _("unset (30)")
    return _("terminationGracePeriodSeconds {before} -> {wanted}: the {sleep:g} s preStop sleep plus the "
             "{original} s the app had").format(before=before, wanted=wanted, sleep=sleep, original=original)
