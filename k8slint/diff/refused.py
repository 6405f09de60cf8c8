"""Changes the API server refuses: immutable fields (k8slint.k8s.immutable), an apiVersion the
target version does not serve, and a changed kind under the same name (not refused: a second
object)."""

from __future__ import annotations

from typing import Any

from .. import schema
from ..i18n import _
from ..k8s.apis import api_change
from ..k8s.immutable import update_refusals
from ..k8s.kinds import BUILTIN_GROUPS
from ..k8s.versions import show
from ..model import Severity
from .emit import Context
from .model import ADDED, MODIFIED, REPLACED, ObjectChange


def refusals(change: ObjectChange, ctx: Context, old_data: dict[str, Any], new_data: dict[str, Any]) -> bool:
    """State each refused field of a modified object; True when the update is refused for sure."""
    assert change.old is not None and change.new is not None
    new = change.new
    refused = False
    for refusal in update_refusals(new.kind, new.group, new.api_version, old_data, new_data, ctx.version):
        ctx.emit.say(change, refusal.rule, new, refusal.path, f"{refusal.message} ({cite(refusal.source)})",
                     "refused" if refusal.certain else "high",
                     severity=None if refusal.certain else Severity.WARNING,
                     fix=refusal.instead[:1].upper() + refusal.instead[1:], at="key")
        refused = refused or refusal.certain
    return refused


def cite(source: str) -> str:
    """`pkg/.../deployment/strategy.go ValidateUpdate (ValidateImmutableField)` ->
    `deployment strategy ValidateUpdate`; `.../validation.go ValidateServiceUpdate
    (validateUpgradeDowngradeClusterIPs)` -> `ValidateServiceUpdate, validateUpgradeDowngradeClusterIPs`."""
    main, __, inner = source.partition(" (")
    file, __, function = main.rpartition(" ")
    text = function
    if file.endswith("strategy.go"):
        text = f"{file.split('/')[-2]} strategy {function}"
    inner = inner.rstrip(")")
    if inner and inner[:1].islower():
        text += f", {inner}"
    return text


def not_served(change: ObjectChange, ctx: Context) -> bool:
    """An added or re-versioned built-in object whose apiVersion the target does not serve:
    kubectl finds no REST mapping and stops (`no matches for kind`)."""
    new = change.new
    if new is None or change.change not in (ADDED, MODIFIED, REPLACED) or new.group not in BUILTIN_GROUPS:
        return False
    if change.change == MODIFIED and change.old is not None and change.old.api_version == new.api_version:
        return False                              # unchanged apiVersion: `check` reports it
    if schema.has_kind(ctx.version, new.api_version, new.kind):
        return False
    record = api_change(new.api_version, new.kind)
    instead = record.replacement.split(" ")[0] if record is not None and record.replacement else None
    message = _("{api_version} {kind} is not served by Kubernetes {version}. kubectl apply fails "
                "with `no matches for kind \"{kind}\" in version \"{api_version}\"`").format(
        api_version=new.api_version, kind=new.kind, version=show(ctx.version))
    ctx.emit.say(change, "change-api-not-served", new, ("apiVersion",), message, "refused", at="value",
                 fix=_("Use apiVersion {api_version}").format(api_version=instead) if instead else None)
    return True


def kind_replaced(change: ObjectChange, ctx: Context) -> None:
    """Same name, another kind or group: a second object, created beside the first."""
    old, new = change.old, change.new
    assert old is not None and new is not None
    what = f"{old.kind}/{old.name}" if old.kind != new.kind else f"{old.kind}/{old.name} ({old.api_version})"
    message = _("Applying creates {new} beside {old}, which keeps running. The manifests replace "
                "{old} with {new} ({api_version}), but the API server sees two objects: the old "
                "one stays until it is deleted or pruned").format(new=f"{new.kind}/{new.name}", old=what,
                                                                 api_version=new.api_version)
    running = old.pod_template is not None and new.pod_template is not None
    if running:
        message += _("; while both run, a Service that selects their pods sends traffic to both")
    ctx.emit.say(change, "change-kind-replaced", new, ("kind",), message, "high" if running else "medium",
                 at="value")


def claim_growth(change: ObjectChange, ctx: Context) -> bool:
    """A bigger claim: the PersistentVolumeClaimResize admission plugin
    (plugin/pkg/admission/storage/persistentvolume/resize/admission.go) lets it grow only when
    its StorageClass has allowVolumeExpansion: true; then the volume is expanded in place."""
    from ..k8s.quantity import parse_quantity

    old, new = change.old, change.new
    assert old is not None and new is not None
    try:
        before = parse_quantity(str(old.get("spec", "resources", "requests", "storage")))
        after = parse_quantity(str(new.get("spec", "resources", "requests", "storage")))
    except ValueError:
        return False
    if after <= before:
        return False
    path = ("spec", "resources", "requests", "storage")
    name = new.get("spec", "storageClassName")
    klass = ctx.new.get("StorageClass", None, name) if isinstance(name, str) and name else None
    shown = f"{old.get(*path)} -> {new.get(*path)}"
    if klass is not None and klass.get("allowVolumeExpansion") is True:
        ctx.emit.say(change, "change-pvc-immutable", new, path,
                     _("The volume is expanded in place ({shown}). StorageClass {name} allows volume expansion; no "
                       "pod restarts, though some drivers grow the file system only when a pod next mounts "
                       "it").format(shown=shown, name=name), "low", severity=Severity.INFO)
    elif klass is not None:
        ctx.emit.say(change, "change-pvc-immutable", new, path,
                     _("The claim cannot grow ({shown}): StorageClass {name} does not set allowVolumeExpansion: "
                       "true. The API server answers `only dynamically provisioned pvc can be resized and the "
                       "storageclass that provisions the pvc must support resize`").format(shown=shown, name=name),
                     "refused",
                     fix=_("Set allowVolumeExpansion: true on the StorageClass first, or copy the data to a new "
                           "claim"))
    else:
        where = _("StorageClass {name}").format(name=name) if isinstance(name, str) and name \
            else _("its StorageClass (the default one)")
        ctx.emit.say(change, "change-pvc-immutable", new, path,
                     _("The claim grows ({shown}) only if {where} has allowVolumeExpansion: true. Otherwise the "
                       "PersistentVolumeClaimResize admission plugin refuses it").format(shown=shown, where=where),
                     "medium", severity=Severity.WARNING)
    return True
