"""Strategic merge as kustomize does it (kyaml/yaml/merge2 with the walk package).

Mappings merge field by field; a null in the patch deletes the field; `$patch: delete`
removes a mapping (a list item, or the whole object), `$patch: replace` takes the patch's
mapping as it is. A list is merged by key only where kustomize's OpenAPI document gives
`x-kubernetes-patch-strategy: merge` (containers and env by name, container ports by
containerPort and protocol, volumes by name, volumeMounts by mountPath, ...); merged lists
put the patch's items first, then the others in their order (MergeOptionsListPrepend).
Every other list, and every list of a custom resource, is replaced by the patch's list.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..i18n import _
from .positions import KeyPos, Positions
from .resource import smp_schema

DIRECTIVE = "$patch"
MISSING: Any = object()          # a field or item one side does not have (None is a null)


class MergeError(ValueError):
    pass


Schema = tuple[int, str, list[str]] | None     # (definition, patch strategy, merge keys)


def root_definition(api_version: str, kind: str) -> int | None:
    found = smp_schema()["kinds"].get(f"{api_version}/{kind}")
    return int(found) if found is not None else None


_FIELDS: dict[tuple[int, Any], Schema] = {}     # _field's answers (a merge asks for each key)


def _field(definition: int | None, name: str) -> Schema:
    if definition is None:
        return None
    key = (definition, name)
    found = _FIELDS.get(key, MISSING)
    if found is not MISSING:
        return found  # type: ignore[no-any-return]
    fields = smp_schema()["defs"].get(str(definition))
    entry = fields.get(name) if fields else None
    schema: Schema = None if entry is None else (entry[0], entry[1], entry[2])
    if len(_FIELDS) > 65536:
        _FIELDS.clear()
    _FIELDS[key] = schema
    return schema


def merge_object(positions: Positions, dest: dict[Any, Any], patch: dict[Any, Any],
                 definition: int | None) -> dict[Any, Any] | None:
    """Merge `patch` into `dest` in place; None when the patch deletes the object."""
    result = _merge_map(positions, dest, patch, definition)
    if not isinstance(result, dict):
        return None
    _drop_nulls(positions, result, definition)
    return result


def _drop_nulls(positions: Positions, node: dict[Any, Any], definition: int | None) -> None:
    """kyaml's merge walks every field of the result and writes it back with FieldSetter,
    which clears a null field (kyaml/yaml/fns.go FieldSetter.Filter) unless it was written
    as a word (`null`, `~`: merge2.go Merger.VisitMap keeps it, MakePersistentNullNode): after
    a strategic-merge patch an empty `key:` is gone, down through mappings and the lists
    merged by key (walk.Walker walkAssociativeSequence); other lists are kept whole
    (walkNonAssociativeSequence)."""
    for key in [k for k, v in node.items() if v is None and positions.raw_text(node, k) is None]:
        positions.delete(node, key)
    for key, value in node.items():
        if not isinstance(value, (dict, list)):
            continue                        # no schema needed for a plain value
        schema = _field(definition, key)
        inner = schema[0] if schema and schema[0] >= 0 else None
        if isinstance(value, dict):
            _drop_nulls(positions, value, inner)
        elif schema and "merge" in schema[1].split(",") and schema[2]:
            for item in value:
                if isinstance(item, dict):
                    _drop_nulls(positions, item, inner)


def _settle(positions: Positions, node: Any, schema: Schema) -> None:
    """What kyaml's merge does to a part the patch does not have: the walker visits it too,
    and a list merged by one key keeps one item per key, a later item taking an earlier
    one's place (walk/associative_sequence.go, ElementSetter: `kubectl kustomize` turns
    env A=1, B=2, A=3 into A=3, B=2 once any strategic-merge patch touches the object)."""
    if isinstance(node, dict):
        definition = schema[0] if schema and schema[0] >= 0 else None
        if definition is None or definition not in _settling():
            return                                  # no list merged by one key below it
        for key, value in node.items():
            if value.__class__ is dict or value.__class__ is list:
                _settle(positions, value, _field(definition, key))
    elif isinstance(node, list) and schema is not None and "merge" in schema[1].split(",") and len(schema[2]) == 1:
        _collapse(positions, node, schema[2][0])
        element: Schema = (schema[0], "", [])
        for item in node:
            if item.__class__ is dict:
                _settle(positions, item, element)


@lru_cache(maxsize=1)
def _settling() -> frozenset[int]:
    """The definitions with a list merged by one key among their fields, or below them
    (what _settle can change): the others are passed over whole."""
    defs = smp_schema()["defs"]
    users: dict[int, set[int]] = {}
    found: set[int] = set()
    for name, fields in defs.items():
        definition = int(name)
        for inner, strategy, keys in fields.values():
            if "merge" in strategy.split(",") and len(keys) == 1:
                found.add(definition)
            if inner >= 0:
                users.setdefault(inner, set()).add(definition)
    todo = list(found)
    while todo:
        for user in users.get(todo.pop(), ()):
            if user not in found:
                found.add(user)
                todo.append(user)
    return frozenset(found)


def _collapse(positions: Positions, items: list[Any], key: str) -> None:
    """One item per value of `key`, each where its value was first seen, the last written."""
    default = positions.at(items, ("", 1, 1))
    first: dict[str, int] = {}
    out: list[Any] = []
    where: list[Any] = []
    for index, item in enumerate(items):
        at = positions.item(items, index, default)
        value = item.get(key) if isinstance(item, dict) else None
        if value is None:
            out.append(item)
            where.append(at)
            continue
        text = _scalar_text(value)
        if text in first:
            out[first[text]] = item
            where[first[text]] = at
        else:
            first[text] = len(out)
            out.append(item)
            where.append(at)
    if len(out) < len(items):
        positions.set_items(items, out, where, default)


def _directive(positions: Positions, patch: dict[Any, Any]) -> str:
    value = patch.get(DIRECTIVE)
    if value is None:
        return "merge"
    if value not in ("delete", "replace", "merge"):
        raise MergeError(_("unknown patch strategy {value!r}").format(value=value))
    positions.delete(patch, DIRECTIVE)
    return str(value)


def _merge_map(positions: Positions, dest: Any, patch: Any, definition: int | None) -> Any:
    if patch is MISSING:
        return dest
    if dest is None or dest is MISSING:
        if isinstance(patch, dict) and _directive(positions, patch) == "delete":
            return None
        return patch
    if patch is None:
        return None
    if not isinstance(dest, dict) or not isinstance(patch, dict):
        raise MergeError(_("a mapping in one is not a mapping in the other"))
    directive = _directive(positions, patch)
    if directive == "delete":
        return None
    if directive == "replace":
        return patch
    for key in sorted(set(dest) | set(patch), key=str):
        if key not in patch:
            if isinstance(dest[key], (dict, list)):        # _settle changes nothing else
                _settle(positions, dest[key], _field(definition, key))
            continue
        pair = positions.key(patch, key, positions.at(patch, ("", 1, 1)))
        merged = _walk(positions, dest.get(key, MISSING), patch[key], _field(definition, key))
        if merged is None:
            positions.delete(dest, key)
        elif key in dest and merged is dest[key]:
            continue
        elif key in dest:
            old_key = positions.key(dest, key, pair[0])[0]
            positions.move(dest, key, merged, (old_key, pair[1]))
        else:
            positions.move(dest, key, merged, pair)
    return dest


def _walk(positions: Positions, dest: Any, patch: Any, schema: Schema) -> Any:
    """kyaml walk.Walker.Walk for one field: the kind is the first non-null source's.
    Either side may be MISSING; None is a null, which deletes."""
    if patch is MISSING:
        _settle(positions, dest, schema)
        return dest
    kind = dest if dest is not None and dest is not MISSING else patch
    if isinstance(kind, dict):
        if patch is not None and patch is not MISSING and not isinstance(patch, dict):
            raise MergeError(_("a mapping is patched with a value that is not a mapping"))
        return _merge_map(positions, dest, patch, schema[0] if schema and schema[0] >= 0 else None)
    if isinstance(kind, list):
        if patch is not None and patch is not MISSING and not isinstance(patch, list):
            raise MergeError(_("a list is patched with a value that is not a list"))
        if dest is not None and dest is not MISSING and not isinstance(dest, list):
            raise MergeError(_("a value that is not a list is patched with a list"))
        if patch is MISSING:
            return dest
        if patch is None:
            return None
        if dest is MISSING or dest is None:
            return patch
        if schema is not None and "merge" in schema[1].split(","):
            return _merge_list(positions, dest, patch, schema)
        return patch
    if dest is not None and dest is not MISSING and isinstance(patch, (dict, list)):
        raise MergeError(_("a plain value is patched with a mapping or a list"))
    return dest if patch is MISSING else patch


def _list_directive(positions: Positions, patch: list[Any]) -> str:
    for index, item in enumerate(patch):
        if isinstance(item, dict) and DIRECTIVE in item and len(item) == 1:
            value = item[DIRECTIVE]
            if value not in ("delete", "replace", "merge"):
                raise MergeError(_("unknown patch strategy {value!r}").format(value=value))
            rest = patch[:index] + patch[index + 1:]
            where = [positions.item(patch, i, ("", 1, 1)) for i in range(len(patch)) if i != index]
            positions.set_items(patch, rest, where, positions.at(patch, ("", 1, 1)))
            return str(value)
    return "merge"


def _merge_list(positions: Positions, dest: list[Any], patch: list[Any], schema: Schema) -> list[Any] | None:
    assert schema is not None
    directive = _list_directive(positions, patch)
    if directive == "delete":
        return None
    if directive == "replace":
        return patch
    keys = list(schema[2])
    element = schema[0] if schema[0] >= 0 else None
    if not keys:
        return _merge_primitives(positions, dest, patch)
    valid = [k for k in keys if any(isinstance(i, dict) and i.get(k) not in (None, "")
                                    for i in (*dest, *patch))] or keys
    dest_keys = [_values(item, valid) for item in dest]
    patch_keys = [_values(item, valid) for item in patch]
    order: list[tuple[str, ...]] = []
    for values in (*patch_keys, *dest_keys):      # the patch's items first (Prepend)
        if not any(_compatible(values, seen) for seen in order):
            order.append(values)
    default = positions.at(dest, ("", 1, 1))
    merged_items: list[Any] = []
    merged_where: list[Any] = []
    used_dest: set[int] = set()
    for values in order:
        d_index = next((i for i, v in enumerate(dest_keys) if i not in used_dest and _compatible(v, values)), None)
        p_index = next((i for i, v in enumerate(patch_keys) if _compatible(v, values)), None)
        d_item = dest[d_index] if d_index is not None else MISSING
        p_item = patch[p_index] if p_index is not None else MISSING
        if d_index is not None:
            used_dest.add(d_index)
        where = positions.item(dest, d_index, default) if d_index is not None \
            else positions.item(patch, p_index or 0, default)
        value = _walk(positions, d_item, p_item, (element if element is not None else -1, "", []))
        if value is None or value == {}:
            continue
        if isinstance(value, dict):
            for key, key_value in zip(valid, values, strict=True):
                if key not in value and key_value != "":
                    positions.set(value, key, key_value, where)
        merged_items.append(value)
        merged_where.append(where)
    positions.set_items(dest, merged_items, merged_where, default)
    return dest


def _values(item: Any, keys: list[str]) -> tuple[str, ...]:
    if not isinstance(item, dict):
        return tuple("" for __ in keys)
    return tuple(_scalar_text(item.get(k)) for k in keys)


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """walk/associative_sequence.go match: equal where both have a value, one in common."""
    common = False
    for x, y in zip(a, b, strict=False):
        if x == y:
            common = True
        elif x and y:
            return False
    return common


def _merge_primitives(positions: Positions, dest: list[Any], patch: list[Any]) -> list[Any]:
    """A merged list of plain values (finalizers): the patch's first, then the others."""
    default = positions.at(dest, ("", 1, 1))
    items: list[Any] = []
    where: list[Any] = []
    seen: set[str] = set()
    for source, values in ((patch, patch), (dest, dest)):
        for index, value in enumerate(values):
            text = _scalar_text(value)
            if text in seen:
                continue
            seen.add(text)
            items.append(value)
            where.append(positions.item(source, index, default))
    positions.set_items(dest, items, where, default)
    return dest


def key_pair(positions: Positions, mapping: dict[Any, Any], key: Any) -> KeyPos:
    return positions.key(mapping, key, positions.at(mapping, ("", 1, 1)))
