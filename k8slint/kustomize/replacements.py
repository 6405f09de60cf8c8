"""replacements: copy a field of one object into fields of others
(api/filters/replacement/replacement.go). Field paths are dot-separated, with `[key=value]`
to pick list items, `*` for every item and numbers for indexes. Values inside structured
strings (JSON or YAML text in a field) are not reached: such a target is reported as not
built."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..i18n import _
from . import labelselector
from .positions import Pos
from .resource import ResId, Resource
from .target import RULE_NOT_BUILT, BuildError

if TYPE_CHECKING:
    from .target import Target

DEFAULT_PATH = "metadata.name"


def split_path(text: str) -> list[str]:
    """kyaml/utils SmarterPathSplitter with ".": brackets keep their dots."""
    parts = text.split(".")
    if len(parts) > 1 and parts[0] == "":
        parts = parts[1:]
    joined: list[str] = [parts[0]]
    for part in parts[1:]:
        if joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + "." + part
        else:
            joined.append(part)
    out: list[str] = []
    i = 0
    while i < len(joined):
        elem = joined[i]
        if elem.startswith("[") and not elem.endswith("]"):
            group = [elem]
            while i < len(joined) - 1:
                i += 1
                group.append(joined[i])
                if joined[i].endswith("]"):
                    break
            text_group = ".".join(group)
            out.append(text_group if "=" in text_group else text_group.strip("[]"))
        else:
            out.append(elem)
        i += 1
    return out


def _lookup(node: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(node, dict):
            if part.startswith("[") and part.endswith("]"):
                return None
            node = node.get(part)
        elif isinstance(node, list):
            node = _item(node, part)
        else:
            return None
        if node is None:
            return None
    return node


def _item(items: list[Any], part: str) -> Any:
    if part.startswith("[") and part.endswith("]") and "=" in part:
        key, __, value = part[1:-1].partition("=")
        for item in items:
            if key == "" and _text(item) == value:
                return item
            if isinstance(item, dict) and _text(item.get(key)) == value:
                return item
        return None
    if part.isdigit():
        index = int(part)
        return items[index] if index < len(items) else None
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _ids(res: Resource) -> list[ResId]:
    return [res.cur_id(), *res.prev_ids()]


def _regex(value: Any) -> re.Pattern[str] | None:
    return re.compile(f"^(?:{value})$") if value else None


def _selector_matches(selector: dict[Any, Any], rid: ResId) -> bool:
    """types/replacement.go TargetSelectorRegex.Selects (regular expressions)."""
    for field, value in (("group", rid.gvk.group), ("version", rid.gvk.version), ("kind", rid.gvk.kind),
                         ("name", rid.name), ("namespace", rid.namespace)):
        pattern = _regex(selector.get(field))
        if pattern is not None and not pattern.match(value):
            return False
    return True


def _label_match(res: Resource, selector: dict[Any, Any]) -> bool:
    for field, values in (("labelSelector", res.labels()), ("annotationSelector", res.annotations())):
        if selector.get(field):
            test = labelselector.parse(str(selector[field]))
            if not test({str(k): _text(v) for k, v in values.items()}):
                return False
    return True


def apply_replacements(target: Target, ra: list[Resource], entries: list[Any]) -> None:
    for index, entry in enumerate(entries):
        at = target.at("replacements", index)
        if not isinstance(entry, dict):
            continue
        for one in _entries(target, entry, at):
            try:
                _one(target, ra, one, at, index)
            except BuildError as exc:
                target.error(exc.at, exc.message)
            except (labelselector.SelectorError, re.error) as exc:
                target.error(at, _("replacements: {exc}: kustomize build fails").format(exc=exc))


def _entries(target: Target, entry: dict[Any, Any], at: Pos) -> list[dict[Any, Any]]:
    """builtins/ReplacementTransformer.go Config: an inline replacement, or those of the file
    at `path` (a list of them, or one)."""
    if not entry.get("path"):
        return [entry]
    if entry.get("source") is not None or entry.get("targets"):
        target.error(at, _("a replacement cannot have both path and an inline source or targets: kustomize build fails"))
        return []
    full = target.local(str(entry["path"]))
    target.within_root(full, at, _("replacement file"))
    docs = target.builder.load_documents(full, at, patch=True)
    if docs is None:
        target.error(at, _("replacement file {entry} does not exist: kustomize build fails").format(entry=entry['path']))
        return []
    out: list[dict[Any, Any]] = []
    for data, __ in docs[:1]:
        items = data if isinstance(data, list) else [data]
        out.extend(item for item in items if isinstance(item, dict))
    return out


def _one(target: Target, ra: list[Resource], entry: dict[Any, Any], at: Pos, index: int) -> None:
    source = entry.get("source")
    targets = entry.get("targets")
    if not isinstance(targets, list) or (source is None and "sourceValue" not in entry):
        raise BuildError(at, _("a replacement needs a source and at least one target: kustomize build fails"))
    pos = target.positions
    if "sourceValue" in entry:
        value: Any = entry["sourceValue"]
        value_at = target.at("replacements", index, "sourceValue")
    else:
        if not isinstance(source, dict):
            raise BuildError(at, _("replacement source must be a mapping"))
        matches = [r for r in ra if any(_source_selects(source, i) for i in _ids(r))]
        if not matches and target.builder.incomplete:
            # the source may be among the objects k8slint did not build (a remote resource:
            # cluster-api-provider-azure's config/aso takes the ASO release from a URL)
            target.hit(RULE_NOT_BUILT, target.at("replacements", index, "source"), _(
                "replacement source selects nothing k8slint built, but the build is incomplete ({incomplete}): "
                "not decided").format(incomplete=target.builder.incomplete))
            return
        if len(matches) != 1:
            message = (_("replacement source selects nothing: kustomize build fails") if not matches else
                       _("replacement source selects {n_objects} objects: kustomize build fails").format(n_objects=len(matches)))
            raise BuildError(target.at("replacements", index, "source"), message)
        path = split_path(str(source.get("fieldPath") or DEFAULT_PATH))
        value = _lookup(matches[0].data, path)
        if value is None or value == {} or value == []:     # kyaml RNode.IsNilOrEmpty: "" is a value
            raise BuildError(target.at("replacements", index, "source"), _("replacement source field {value} is missing: kustomize build fails").format(value=source.get('fieldPath') or DEFAULT_PATH))
        value_at = pos.locate(matches[0].data, tuple(_steps(matches[0].data, path)), "value") or at
        source_options: Any = source.get("options") if isinstance(source.get("options"), dict) else {}
        if source_options.get("delimiter"):
            pieces = _text(value).split(str(source_options["delimiter"]))
            which = int(source_options.get("index") or 0)
            if not 0 <= which < len(pieces):
                raise BuildError(at, _("replacement source options.index {which} is out of range").format(which=which))
            value = pieces[which]
    for t_index, selector in enumerate(targets):
        if not isinstance(selector, dict) or not isinstance(selector.get("select"), dict):
            raise BuildError(target.at("replacements", index, "targets", t_index),
                             _("a replacement target must say what to select"))
        _apply_target(target, ra, selector, value, value_at, target.at("replacements", index, "targets", t_index))


def _source_selects(source: dict[Any, Any], rid: ResId) -> bool:
    """resid.go IsSelectedBy (plain equality, not regular expressions)."""
    if source.get("name") and source["name"] != rid.name:
        return False
    if source.get("namespace") and ResId(rid.gvk, "", str(source["namespace"])).effective_namespace \
            != rid.effective_namespace:
        return False
    return rid.gvk.selected_by(str(source.get("group") or ""), str(source.get("version") or ""),
                               str(source.get("kind") or ""))


def _steps(data: Any, parts: list[str]) -> list[Any]:
    """A lookup path as dict keys and list indexes (for positions)."""
    out: list[Any] = []
    node = data
    for part in parts:
        if isinstance(node, dict):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list):
            item = _item(node, part)
            if item is None:
                break
            out.append(next(i for i, x in enumerate(node) if x is item))
            node = item
        else:
            break
    return out


def _apply_target(target: Target, ra: list[Resource], selector: dict[Any, Any], value: Any, value_at: Pos, at: Pos) -> None:
    select = selector["select"]
    rejects = [r for r in selector.get("reject") or [] if isinstance(r, dict)]
    options: Any = selector.get("options") if isinstance(selector.get("options"), dict) else {}
    paths = selector.get("fieldPaths") or [DEFAULT_PATH]
    for res in ra:
        if not _label_match(res, select):
            continue
        if any((r.get("labelSelector") or r.get("annotationSelector")) and _label_match(res, r) for r in rejects):
            continue
        ids = _ids(res)
        id_rejects = [r for r in rejects if any(r.get(f) for f in ("group", "version", "kind", "name", "namespace"))]
        if any(_selector_matches(r, i) for r in id_rejects for i in ids):
            continue
        if not any(_selector_matches(select, i) for i in ids):
            continue
        for path in paths:
            found = _set_path(target, res.data, split_path(str(path)), value, value_at, options)
            if not found:
                raise BuildError(at, (_("replacement target field {path} is not in {res}: kustomize build fails") if options.get('create') else
                                 _("replacement target field {path} is not in {res} (options.create is not set): kustomize "
                                   "build fails")).format(path=path, res=res.cur_id().show()))


def _set_path(target: Target, node: Any, parts: list[str], value: Any, value_at: Pos, options: dict[Any, Any]) -> int:
    """Set every field the path names; the number set. Missing fields are created with
    options.create."""
    pos = target.positions
    create = bool(options.get("create"))
    part, rest = parts[0], parts[1:]
    if isinstance(node, list):
        if part == "*":
            return sum(_descend(target, node, i, rest, value, value_at, options) for i in range(len(node)))
        if part.startswith("[") and "=" in part:
            key, __, wanted = part[1:-1].partition("=")
            hits = [i for i, item in enumerate(node)
                    if (key == "" and _text(item) == wanted) or (isinstance(item, dict) and _text(item.get(key)) == wanted)]
            if not hits and create and key:
                fresh = {key: wanted}
                pos.set_items(node, [*node, fresh], [pos.item(node, i, value_at) for i in range(len(node))] + [value_at],
                              value_at)
                pos.mark(fresh, value_at)
                hits = [len(node) - 1]
            return sum(_descend(target, node, i, rest, value, value_at, options) for i in hits)
        if part.isdigit() and int(part) < len(node):
            return _descend(target, node, int(part), rest, value, value_at, options)
        return 0
    if not isinstance(node, dict):
        return 0
    if part not in node or node[part] is None:
        if not create:
            return 0
        if rest:
            pos.set(node, part, [] if rest[0].startswith("[") else {}, value_at)
        else:
            pos.set(node, part, "", value_at)         # PathMatcher creates an empty scalar
    return _descend(target, node, part, rest, value, value_at, options)


def _descend(target: Target, container: Any, key: Any, rest: list[str], value: Any, value_at: Pos,
             options: dict[Any, Any]) -> int:
    if rest:
        return _set_path(target, container[key], rest, value, value_at, options)
    pos = target.positions
    old = container[key]
    new = pos.copy(value)
    if old is not None and not isinstance(old, (dict, list)) and not isinstance(value, (dict, list)):
        new = _keep_tag(old, _text(value))       # setFieldValue keeps the target's tag
    if options.get("delimiter") and isinstance(container[key], str):
        pieces = container[key].split(str(options["delimiter"]))
        which = int(options.get("index") or 0)
        if which < 0:
            pieces.insert(0, _text(value))
        elif which >= len(pieces):
            pieces.append(_text(value))
        else:
            pieces[which] = _text(value)
        new = str(options["delimiter"]).join(pieces)
    if isinstance(container, dict):
        pos.set(container, key, new, pos.key(container, key, value_at)[0], value_at)
    else:
        pos.set_item(container, key, new, value_at)
    return 1


def _keep_tag(old: Any, text: str) -> Any:
    """A scalar takes the new text under the old value's YAML tag."""
    if isinstance(old, bool):
        return text == "true" if text in ("true", "false") else text
    if isinstance(old, int):
        try:
            return int(text)
        except ValueError:
            return text
    if isinstance(old, float):
        try:
            return float(text)
        except ValueError:
            return text
    return text
