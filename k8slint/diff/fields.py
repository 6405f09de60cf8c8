"""Field-by-field comparison of two normalized objects.

Lists of objects are matched by their merge key, as strategic merge patch does (containers,
env, volumes by `name`; container ports by `containerPort`; Service ports by `port`; mounts
by `mountPath`: the patchMergeKey tags in k8s.io/api/core/v1/types.go), so reordering is not a
change and a changed container is named, not numbered.
"""

from __future__ import annotations

from typing import Any

from ..model import Path
from .model import FieldChange

MERGE_KEYS = ("name", "containerPort", "port", "mountPath", "devicePath", "ip", "key")


def compare(old: Any, new: Any) -> list[FieldChange]:
    """Every changed leaf or subtree between two normalized objects."""
    out: list[FieldChange] = []
    _compare(old, new, (), (), "", out)
    return out


def _compare(old: Any, new: Any, old_path: Path, new_path: Path, label: str,
             out: list[FieldChange]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(new) + [k for k in old if k not in new]:
            child = f"{label}.{key}" if label else str(key)
            if key not in new:
                out.append(FieldChange(child, old[key], None, None, old_path + (key,)))
            elif key not in old:
                out.append(FieldChange(child, None, new[key], new_path + (key,), None))
            else:
                _compare(old[key], new[key], old_path + (key,), new_path + (key,), child, out)
        return
    if isinstance(old, list) and isinstance(new, list) and old != new:
        key = _merge_key(old, new)
        if key is not None:
            _compare_keyed(old, new, key, old_path, new_path, label, out)
            return
        if len(old) == len(new) and all(isinstance(x, dict) for x in old + new):
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                _compare(a, b, old_path + (i,), new_path + (i,), f"{label}[{i}]", out)
            return
    if old == new and (type(old) is type(new) or _same_number(old, new) or isinstance(old, str)):
        return                        # `true` and `1` differ; `1` and `1.0`, str and Quantity do not
    out.append(FieldChange(label, old, new, new_path, old_path))


def _same_number(a: Any, b: Any) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
        and not isinstance(b, bool) and a == b


def _merge_key(old: list[Any], new: list[Any]) -> str | None:
    items = old + new
    if not items or not all(isinstance(x, dict) for x in items):
        return None
    for key in MERGE_KEYS:
        if all(_hashable(x.get(key)) for x in items):
            if len({_key(x, key) for x in old}) == len(old) and len({_key(x, key) for x in new}) == len(new):
                return key
    return None


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _key(item: dict[str, Any], key: str) -> Any:
    # Ports are unique by number and protocol (containerPort 53 TCP and 53 UDP both exist).
    return (item.get(key), item.get("protocol")) if key in ("containerPort", "port") else item.get(key)


def _compare_keyed(old: list[Any], new: list[Any], key: str, old_path: Path, new_path: Path, label: str,
                   out: list[FieldChange]) -> None:
    old_at = {_key(x, key): i for i, x in enumerate(old)}
    new_at = {_key(x, key): i for i, x in enumerate(new)}
    for k, j in new_at.items():
        name = k[0] if isinstance(k, tuple) else k
        child = f"{label}[{name}]"
        i = old_at.get(k)
        if i is None:
            out.append(FieldChange(child, None, new[j], new_path + (j,), None))
        else:
            _compare(old[i], new[j], old_path + (i,), new_path + (j,), child, out)
    for k, i in old_at.items():
        if k not in new_at:
            name = k[0] if isinstance(k, tuple) else k
            out.append(FieldChange(f"{label}[{name}]", old[i], None, None, old_path + (i,)))
