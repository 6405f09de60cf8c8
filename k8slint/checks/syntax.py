"""YAML 1.1 traps: plain values that stop being strings where Kubernetes needs strings;
template placeholders; suppressions that silence nothing."""

from __future__ import annotations

from typing import Any, Iterator

from ..engine import CheckContext, check
from ..graph import Object
from ..i18n import _, ngettext
from ..model import Hit, Path, Severity
from ..placeholders import scan, sed_near

# Maps whose values must be strings (relative to the object, or to each pod template).
_STRING_MAPS: tuple[Path, ...] = (("metadata", "labels"), ("metadata", "annotations"))
_CONFIG_MAPS: dict[str, tuple[Path, ...]] = {
    "ConfigMap": (("data",),),
    "Secret": (("stringData",),),
}
_SELECTOR_MAPS: tuple[Path, ...] = (("spec", "selector", "matchLabels"), ("spec", "selector"))

# Rules of this category whose findings the loader and the graph builder make while they
# read the input (k8slint/loader.py, k8slint/graph.py): a rule file each, no check function.
FROM_LOADER = frozenset({"yaml-syntax", "yaml-duplicate-key", "yaml-too-complex", "not-kubernetes",
                         "helm-template", "kustomize-build", "kustomize-patch-unmatched",
                         "kustomize-not-built",      # these three: k8slint/kustomize builds
                         "kustomize-load-restrictor-from-script"})   # k8slint/kustomize/scripts.py


@check("template-placeholder")
def template_placeholder(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    """One info per object listing its placeholders (k8slint.placeholders)."""
    found: dict[str, Path] = {}
    for path, placeholder in scan(obj.data, obj.kind, obj.group, lambda: sed_near(obj.file)):
        found.setdefault(placeholder, path)
    if not found:
        return
    listing = ", ".join(list(found)[:6]) + (_(" and {value} more").format(value=len(found) - 6) if len(found) > 6 else "")
    message = ngettext("a template placeholder ({listing}) would be applied literally: substitute it before "
                       "applying (envsubst, sed, kustomize, ko or your CI)",
                       "{count} template placeholders ({listing}) would be applied literally: substitute them "
                       "before applying (envsubst, sed, kustomize, ko or your CI)", len(found))
    yield obj.finding(next(iter(found.values())), message.format(count=len(found), listing=listing),
                      at="value")


@check("yaml-string-trap")
def yaml_string_trap(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    maps = list(_STRING_MAPS) + list(_CONFIG_MAPS.get(obj.kind, ()))
    if obj.kind == "Service" or obj.kind == "ReplicationController":
        maps.append(("spec", "selector"))
    elif isinstance(obj.get("spec", "selector"), dict):
        maps.append(("spec", "selector", "matchLabels"))
    template = obj.pod_template
    if template is not None and template.path:
        maps += [template.path + m for m in _STRING_MAPS]
    for path in maps:
        mapping = obj.get(*path)
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                yield from _trap(obj, mapping, key, value, path + (key,))
    if template is not None:
        for container, cpath, __ in template.all_containers():
            for field in ("command", "args"):
                items = container.get(field)
                if isinstance(items, list):
                    for i, item in enumerate(items):
                        yield from _trap(obj, items, i, item, cpath + (field, i))
            env = container.get("env")
            if isinstance(env, list):
                for i, entry in enumerate(env):
                    if isinstance(entry, dict) and "value" in entry:
                        yield from _trap(obj, entry, "value", entry["value"], cpath + ("env", i, "value"))


def _trap(obj: Object, container: Any, key: Any, value: Any, path: Path) -> Iterator[Hit]:
    raw = obj.doc.source.raw_text(container, key)
    if isinstance(value, str):
        if raw is None:
            return
        # A plain scalar PyYAML keeps as text but Go's YAML reads as a number (1e3).
        yield obj.finding(path, _("unquoted {raw} is read as a number by kubectl's YAML decoder; the API "
                                  "server then rejects it here: quote it: \"{raw}\"").format(raw=raw),
                          at="value", fix=_("Write \"{raw}\" (quoted) so it stays a string.").format(raw=raw))
        return
    if value is None:
        if raw is None:
            return                          # `key:` with nothing: empty, Kubernetes reads ""
        # JSON null into a Go string leaves it "" (encoding/json): accepted, silently empty.
        yield obj.finding(path, _("unquoted {raw} is null in YAML 1.1, and a null where a string belongs "
                                  "decodes to \"\": the API server accepts the object with an empty value; "
                                  "quote it if the text was meant: \"{raw}\"").format(raw=raw), at="value",
                          severity=Severity.WARNING, fix=_("Write \"{raw}\" (quoted) if the text was meant.").format(raw=raw))
        return
    elif isinstance(value, (bool, int, float)):
        text = raw if raw is not None else (str(value).lower() if isinstance(value, bool) else str(value))
    else:
        return
    became = "" if raw is None or str(value).lower() == raw.lower() else f" ({value!r})"
    message = _("unquoted {text} is a boolean{became} in YAML 1.1, but this field must be a string: the API "
                "server rejects the object; quote it: \"{text}\"") if isinstance(value, bool) else \
        _("unquoted {text} is a number{became} in YAML 1.1, but this field must be a string: the API server "
          "rejects the object; quote it: \"{text}\"")
    yield obj.finding(path, message.format(text=text, became=became),
                      at="value", severity=Severity.ERROR, fix=_("Write \"{text}\" (quoted).").format(text=text))


@check("unused-suppression", scope="after")
def unused_suppression(ctx: CheckContext) -> Iterator[Hit]:
    """Suppressions that silenced nothing: runs after they were applied (scope "after")."""
    if ctx.suppressor is not None:
        yield from ctx.suppressor.unused()
