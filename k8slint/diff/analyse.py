"""The diff run: pair the objects of two sides, compare them, state what each change does."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..engine import select_rules
from ..graph import Graph
from ..k8s.versions import LATEST
from ..rules import RuleMeta, builtin_rules
from . import config as config_mod
from . import refused, removed, services, workloads
from .emit import Context, Emitter
from .fields import compare
from .match import pair
from .model import ADDED, MODIFIED, REMOVED, RENAMED, REPLACED, DiffResult, ObjectChange
from .normalize import normalized
from .read import Side

CATEGORY = "change"


def change_rules(rules: dict[str, RuleMeta] | None = None) -> dict[str, RuleMeta]:
    """The rules of the `change` category (their statements are the diff's findings)."""
    return {k: m for k, m in (rules or builtin_rules()).items() if m.category == CATEGORY}


def analyse(old: Side, new: Side, config: Config) -> DiffResult:
    """Every object change between the two sides, with its statements."""
    rules = change_rules()
    def ours(names: list[str]) -> list[str]:
        return [n for n in names if n in rules or n == CATEGORY]

    only = None if config.only is None else ours(list(config.only))
    active = select_rules(rules, only, ours(list(config.enable)), ours(list(config.disable)))
    emit = Emitter(rules, active, {r: s for r, s in config.severity.items() if r in rules},
                   lambda file: new.display(old.display(file)))
    changes = pair(old.graph, new.graph, old.display, new.display)
    _name_units(changes, old, new)
    ctx = Context(old.graph, new.graph, config.kubernetes_version or LATEST, emit, changes)
    kept: list[ObjectChange] = []
    unchanged = 0
    datas: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for change in changes:
        if change.change in (MODIFIED, REPLACED, RENAMED):
            assert change.old is not None and change.new is not None
            before = normalized(change.old.kind, change.old.data)
            after = normalized(change.new.kind, change.new.data)
            datas[id(change)] = (before, after)
            change.fields = compare(before, after)
            if change.change == MODIFIED and not change.fields and change.old.api_version == change.new.api_version:
                unchanged += 1
                continue
        kept.append(change)
    ctx.changes = kept
    # Workloads first: what a Service or ConfigMap edit means depends on whether the workloads
    # behind it are refused or roll out in the same apply.
    def stage(change: ObjectChange) -> int:
        return {"Service": 1, "ConfigMap": 2, "Secret": 2}.get(change.obj.kind, 0) if change.change == MODIFIED else 0

    for change in sorted(kept, key=stage):
        _state(change, ctx, datas.get(id(change)))
    return DiffResult(kept, old.graph, new.graph, old.label, new.label, rules,
                      io_errors=old.io_errors + new.io_errors, unchanged=unchanged)


def _name_units(changes: list[ObjectChange], old: Side, new: Side) -> None:
    """An identity built by several kustomizations (variants side by side) is named with the
    kustomization of each copy."""
    from collections import Counter

    from .match import identity, unit_of

    counts = Counter(identity(o) for side in (old, new) for o in side.graph.objects if o.name)
    for change in changes:
        obj = change.obj
        unit = unit_of(obj)
        if unit and max(counts[identity(obj)] - (change.old is not None and change.new is not None), 0) > 1:
            side = new if change.new is not None else old
            change.unit = side.display(unit)


def _state(change: ObjectChange, ctx: Context, datas: tuple[dict[str, Any], dict[str, Any]] | None) -> None:
    if change.change == REMOVED:
        removed.removed(change, ctx)
        return
    if refused.not_served(change, ctx):
        return
    if change.change == REPLACED:
        refused.kind_replaced(change, ctx)
        return
    if change.change == RENAMED:
        config_mod.renamed(change, ctx)
        return
    if change.change == ADDED or datas is None:
        return
    new = change.new
    assert new is not None
    if refused.refusals(change, ctx, *datas):
        ctx.extra.setdefault("refused", {})[id(new)] = change.old
        return
    if new.kind == "PersistentVolumeClaim" and new.group == "" and refused.claim_growth(change, ctx):
        _generic(change, ctx, [f for f in change.fields if not f.label.endswith("requests.storage")])
        return
    if new.kind in ("ConfigMap", "Secret") and new.group == "":
        if not config_mod.data_changed(change, ctx):
            _generic(change, ctx, change.fields)
        return
    if new.kind == "Service" and new.group == "":
        covered = services.service_changed(change, ctx)
        _generic(change, ctx, [f for f in change.fields if f.label not in covered])
        return
    if new.kind == "HorizontalPodAutoscaler" and workloads.autoscaler_changed(change, ctx):
        return
    if new.pod_template is not None:
        inside, outside = workloads.split_fields(change)
        if new.kind == "Pod":
            inside = [f for f in change.fields if (f.path or f.old_path or ("",))[0] == "spec"]
            outside = [f for f in change.fields if f not in inside]
        if inside:
            workloads.template_changed(change, ctx, inside, config_mod.rename_cause(change, ctx))
        workloads.outside_template(change, ctx, outside, template=bool(inside))
        return
    _generic(change, ctx, change.fields)


def _generic(change: ObjectChange, ctx: Context, fields: list[Any]) -> None:
    """Any other update: accepted, applied in place, restarts nothing by itself."""
    if not fields:
        return
    new = change.new
    assert new is not None
    workloads.outside_template(change, ctx, fields, template=False)


def diff_graphs(old: Graph, new: Graph, config: Config | None = None, old_label: str = "old",
                new_label: str = "new") -> DiffResult:
    """Compare two graphs already built (tests, the explain timeline)."""
    return analyse(Side(old, old_label), Side(new, new_label), config or Config())
