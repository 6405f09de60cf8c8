"""env-name: remove an env entry that repeats an earlier one exactly.

Only when every entry of that name in the container is identical: then the value the
kubelet uses (the last) and every $(VAR) reference stay the same. A duplicate with another
value is a decision for a human (which one was meant?)."""

from __future__ import annotations

from typing import Any

from ..i18n import _
from ..model import Path
from .edit import plain, remove_item, walk
from .registry import FixContext, fixer


@fixer("env-name")
def remove_duplicate_env(obj: Any, path: Path, ctx: FixContext) -> str | None:
    if len(path) < 3 or path[-1] != "name" or path[-3] != "env" or not isinstance(path[-2], int):
        return None
    env = walk(obj, path[:-2])
    index = path[-2]
    if not isinstance(env, list) or not 0 < index < len(env) or not isinstance(env[index], dict):
        return None
    entry = plain(env[index])
    name = entry.get("name")
    same_name = [plain(e) for e in env if isinstance(e, dict) and e.get("name") == name]
    if len(same_name) < 2 or any(other != entry for other in same_name):
        return None
    remove_item(env, index)
    return _("removed env {name}, an exact repeat of an earlier entry").format(name=name)
