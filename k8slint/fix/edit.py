"""Small helpers for fixers: walking a round-trip document by path, positions, new nodes."""

from __future__ import annotations

from typing import Any

from ..model import Path


def walk(node: Any, path: Path) -> Any:
    """The node at path, or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def value_position(container: Any, key: Any) -> tuple[int, int] | None:
    """0-based line and column where the value of container[key] is written."""
    lc = getattr(container, "lc", None)
    if lc is None:
        return None
    try:
        position: tuple[int, int] = lc.value(key) if isinstance(container, dict) else lc.item(key)
    except (KeyError, IndexError, TypeError):
        return None
    return position


def insert_after(mapping: Any, after: str | None, key: str, value: Any) -> None:
    """Insert key right after another key (or first when `after` is None or absent)."""
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else 0
    mapping.insert(position, key, value)


def new_map(pairs: Any = (), flow: bool = False) -> Any:
    """A round-trip mapping (block style unless flow) for nodes a fixer adds."""
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(pairs)
    if flow:
        mapping.fa.set_flow_style()
    return mapping


def is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def replace_key(mapping: Any, old: str, new: str, value: Any) -> None:
    """Put `new: value` where `old` was (same position). Comments stay: the old line's
    inline comment goes to the new value's first line, the comment lines below it to its
    last line."""
    position = list(mapping).index(old)
    entry = mapping.ca.items.pop(old, None)
    renamed = value is mapping[old]
    del mapping[old]
    mapping.insert(position, new, value)
    if entry is None:
        return
    token = entry[2] if len(entry) > 2 else None
    if renamed or not isinstance(value, (dict, list)) or token is None:
        mapping.ca.items[new] = entry
        return
    eol, _, tail = token.value.partition("\n")
    if eol.strip():
        _set_token(*_first_leaf(mapping, new), _token_like(token, eol + "\n"))
    if tail.strip():
        _set_token(*_last_leaf(mapping, new), _token_like(token, "\n" + tail))


def insert_before(mapping: Any, key: str | int, new: str, value: Any) -> None:
    """Insert `new: value` before `key`; comment lines above `key` stay above it."""
    keys = list(mapping)
    position = keys.index(key)
    tail, token = None, None
    if position > 0:
        token = _get_token(*_last_leaf(mapping, keys[position - 1]))
        if token is not None:
            eol, _, rest = token.value.partition("\n")
            if rest.strip():
                token.value, tail = eol + "\n", rest
    mapping.insert(position, new, value)
    if tail is not None and token is not None:
        _set_token(*_last_leaf(mapping, new), _token_like(token, "\n" + tail))


def pop_key(mapping: Any, key: str) -> Any:
    """Delete a key; returns the comment token that followed its value (or None)."""
    token = _get_token(*_last_leaf(mapping, key))
    mapping.ca.items.pop(key, None)
    del mapping[key]
    return token


def add_comment_after(mapping: Any, key: str, token: Any) -> None:
    """Attach a comment token (inline comment, then comment or blank lines) after the
    value of mapping[key]."""
    _set_token(*_last_leaf(mapping, key), _token_like(token, token.value))


def remove_item(sequence: Any, index: int) -> None:
    """Delete a list item; comment lines below it move to the item before."""
    token = _get_token(*_last_leaf(sequence, index))
    tail = None
    if token is not None:
        _, _, rest = token.value.partition("\n")
        tail = rest if rest.strip() else None
    del sequence[index]
    if tail is not None and index > 0:
        holder, key = _last_leaf(sequence, index - 1)
        before = _get_token(holder, key)
        if before is None:
            _set_token(holder, key, _token_like(token, "\n" + tail))
        else:
            before.value = before.value.rstrip("\n") + "\n" + tail


def _first_leaf(holder: Any, key: Any) -> tuple[Any, Any]:
    """The container and key of the first scalar written under holder[key] (block style)."""
    value = holder[key]
    while isinstance(value, (dict, list)) and value and not is_flow(value):
        holder, key = value, (next(iter(value)) if isinstance(value, dict) else 0)
        value = holder[key]
    return holder, key


def _last_leaf(holder: Any, key: Any) -> tuple[Any, Any]:
    """The container and key of the last scalar (or flow collection) under holder[key]:
    ruamel keeps the comment lines that follow a node on that leaf."""
    value = holder[key]
    while isinstance(value, (dict, list)) and value and not is_flow(value):
        holder, key = value, (list(value)[-1] if isinstance(value, dict) else len(value) - 1)
        value = holder[key]
    return holder, key


def _slot(holder: Any) -> int:
    return 2 if isinstance(holder, dict) else 0      # where ruamel keeps the comment after a value


def _get_token(holder: Any, key: Any) -> Any:
    entry = holder.ca.items.get(key)
    return entry[_slot(holder)] if entry and len(entry) > _slot(holder) else None


def _set_token(holder: Any, key: Any, token: Any) -> None:
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    current = entry[_slot(holder)]
    if current is not None:
        token.value = current.value.rstrip("\n") + "\n" + token.value.lstrip("\n") \
            if not token.value.startswith("\n") else current.value.rstrip("\n") + token.value
    entry[_slot(holder)] = token


def _token_like(token: Any, value: str) -> Any:
    import copy

    new = copy.copy(token)
    new.value = value
    return new


def plain(node: Any) -> Any:
    """Plain Python data of a round-trip node (for comparing entries)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
