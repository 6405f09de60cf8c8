"""JSON patch (RFC 6902) on built objects, as kustomize applies it (evanphx/json-patch v4
through api/filters/patchjson6902): add, remove, replace, move, copy, test."""

from __future__ import annotations

from typing import Any

from ..i18n import _
from .positions import Pos, Positions


class PatchError(ValueError):
    pass


def parse_pointer(pointer: Any) -> list[str]:
    """RFC 6901: "/a/b~1c" -> ["a", "b/c"]."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise PatchError(_("path {pointer!r} is not a JSON pointer (it must start with /)").format(pointer=pointer))
    if pointer == "":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _index(container: list[Any], token: str, adding: bool) -> int:
    if token == "-" and adding:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchError(_("list index {token!r} is not a number").format(token=token))
    index = int(token)
    if index > len(container) or (index == len(container) and not adding):
        raise PatchError(_("list index {index} is out of range (the list has {n_items} items)").format(index=index, n_items=len(container)))
    return index


def _parent(doc: Any, tokens: list[str], op: str) -> Any:
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict):
            if token not in node:
                raise PatchError(_("{op}: the path's parent /{tokens} does not exist").format(op=op, tokens='/'.join(tokens[:-1])))
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, False)]
        else:
            raise PatchError(_("{op}: the path's parent /{tokens} does not exist").format(op=op, tokens='/'.join(tokens[:-1])))
    if not isinstance(node, (dict, list)):
        raise PatchError(_("{op}: the path's parent /{tokens} is not a mapping or list").format(op=op, tokens='/'.join(tokens[:-1])))
    return node


def _get(doc: Any, tokens: list[str], op: str) -> Any:
    if not tokens:
        return doc
    parent = _parent(doc, tokens, op)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(_("{op}: /{tokens} does not exist").format(op=op, tokens='/'.join(tokens)))
        return parent[last]
    return parent[_index(parent, last, False)]


def _tested(doc: Any, tokens: list[str]) -> Any:
    """The value a `test` compares: evanphx/json-patch v4 Patch.test reads a key missing from
    an existing mapping as null (partialDoc.get never fails), so `test` with `value: null`
    passes there (cluster-api-provider-azure's CI templates test /spec/preKubeadmCommands
    before adding it)."""
    if tokens:
        parent = _parent(doc, tokens, "test")
        if isinstance(parent, dict) and tokens[-1] not in parent:
            return None
    return _get(doc, tokens, "test")


def _add(positions: Positions, doc: Any, tokens: list[str], value: Any, at: Pos) -> None:
    parent = _parent(doc, tokens, "add")
    last = tokens[-1]
    if isinstance(parent, dict):
        positions.set(parent, last, value, positions.key(parent, last, at)[0] if last in parent else at, at)
        return
    index = _index(parent, last, True)
    default = positions.at(parent, at)
    where = [positions.item(parent, i, default) for i in range(len(parent))]
    positions.set_items(parent, parent[:index] + [value] + parent[index:],
                        where[:index] + [at] + where[index:], default)
    positions.mark(value, at)


def _remove(positions: Positions, doc: Any, tokens: list[str]) -> Any:
    parent = _parent(doc, tokens, "remove")
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(_("remove: /{tokens} does not exist").format(tokens='/'.join(tokens)))
        value = parent[last]
        positions.delete(parent, last)
        return value
    index = _index(parent, last, False)
    default = positions.at(parent, ("", 1, 1))
    where = [positions.item(parent, i, default) for i in range(len(parent))]
    value = parent[index]
    positions.set_items(parent, parent[:index] + parent[index + 1:], where[:index] + where[index + 1:], default)
    return value


def apply(positions: Positions, doc: dict[Any, Any], operations: list[Any], op_at: list[Pos]) -> None:
    """Apply the operations in order; raises PatchError at the first that fails."""
    for operation, at in zip(operations, op_at, strict=True):
        if not isinstance(operation, dict):
            raise PatchError(_("an operation is not a mapping"))
        op = operation.get("op")
        value_at = positions.value(operation, "value", at)
        tokens = parse_pointer(operation.get("path"))
        if op in ("add", "replace") and "value" not in operation:
            raise PatchError(_("{op}: the operation has no value").format(op=op))
        if op == "add":
            if not tokens:
                raise PatchError(_("add: cannot replace the whole object"))
            _add(positions, doc, tokens, positions.copy(operation["value"]), value_at)
        elif op == "remove":
            if not tokens:
                raise PatchError(_("remove: cannot remove the whole object"))
            _remove(positions, doc, tokens)
        elif op == "replace":
            if not tokens:
                raise PatchError(_("replace: cannot replace the whole object"))
            # evanphx/json-patch v4 Patch.replace: the parent must exist, but partialDoc.get
            # never fails, so a missing key of an object is set (kubeflow's oauth2-proxy
            # overlay replaces an absent jwksUri); an item of a list must exist
            parent = _parent(doc, tokens, "replace")
            value = positions.copy(operation["value"])
            if isinstance(parent, dict):
                key_at = positions.key(parent, tokens[-1], value_at)[0] if tokens[-1] in parent else value_at
                positions.set(parent, tokens[-1], value, key_at, value_at)
            else:
                positions.set_item(parent, _index(parent, tokens[-1], False), value, value_at)
        elif op in ("move", "copy"):
            source = parse_pointer(operation.get("from"))
            if op == "move":
                if tokens[:len(source)] == source and tokens != source:
                    raise PatchError(_("move: cannot move a value into itself"))
                moved = _remove(positions, doc, source)
            else:
                moved = positions.copy(_get(doc, source, "copy"))
            if not tokens:
                raise PatchError(_("{op}: cannot replace the whole object").format(op=op))
            _add(positions, doc, tokens, moved, at)
        elif op == "test":
            if _tested(doc, tokens) != operation.get("value"):
                raise PatchError(_("test: /{tokens} does not have the tested value").format(tokens='/'.join(tokens)))
        else:
            raise PatchError(_("unknown operation {op!r}").format(op=op))
