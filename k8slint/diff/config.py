"""When an edited ConfigMap or Secret reaches the pods that use it.

kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically
(and the same section for Secrets): a mounted volume is refreshed by the kubelet (its sync
period, 1 minute by default, plus the cache propagation delay); a subPath mount is never
refreshed; environment variables are read when a container starts, so running pods keep the
old values until they restart. A new name (kustomize's content hash) changes the pod template
of every workload that names it, which rolls them.
"""

from __future__ import annotations

from ..graph import Object
from ..i18n import N_, _
from ..k8s.references import Reference
from .emit import Context
from .model import ObjectChange

_DATA = ("data", "binaryData", "stringData")


def _changed_keys(change: ObjectChange) -> list[str]:
    keys: list[str] = []
    for f in change.fields:
        head, __, rest = f.label.partition(".")
        if head in _DATA:
            key = rest.split(".", 1)[0] if rest else "*"
            if key not in keys:
                keys.append(key)
    return keys


def data_changed(change: ObjectChange, ctx: Context) -> bool:
    """The consequence of edited data; False when no data key changed."""
    new = change.new
    assert new is not None
    keys = _changed_keys(change)
    if not keys:
        return False
    env, sub, mounted = _consumers(new, ctx, keys)
    rolling = _rolling(ctx)
    rolled = [w for w in env + sub if id(w) in rolling]
    env = [w for w in env if id(w) not in rolling]
    sub = [w for w in sub if id(w) not in rolling]
    where = next((f.path or f.old_path for f in change.fields if f.label.split(".")[0] in _DATA), ()) or ()
    shown = ", ".join(k for k in keys[:4] if k != "*") + (" …" if len(keys) > 4 else "")
    head = _("{kind} data changed ({keys})").format(kind=new.kind, keys=shown or _("all keys"))
    saying = (
        (env, "medium", N_("Running pods keep the old values until they restart: {who} read it as environment "
         "variables. {head}; environment variables are set when a container starts (`kubectl rollout restart` "
         "applies it)")),
        (sub, "medium", N_("Running pods keep the old files until they restart: {who} mount it with subPath. {head}; "
         "the kubelet never refreshes a subPath mount")),
        (mounted, "low", N_("Files change in running pods within about a minute: {who} mount it as a volume. {head}; "
         "the kubelet rewrites mounted files after its sync period plus cache delay, no pod restarts, and the "
         "application sees the change only if it rereads the files")),
        (rolled, "low", N_("The new values reach {who} with their rollout in this change. {head}; their pod templates "
         "change too, so each new pod reads the new values when it starts")),
    )
    for users, risk, text in saying:
        if users:
            ctx.emit.say(change, "change-config-reload", new, where, _(text).format(who=_names(users), head=head),
                         risk)
    if not (env or sub or mounted or rolled):
        ctx.emit.say(change, "change-config-reload", new, where,
                     _("No workload in the input uses {kind}/{name}. {head}; no pod of these manifests sees "
                       "it").format(kind=new.kind, name=new.name, head=head), "low")
    return True


def _consumers(obj: Object, ctx: Context, keys: list[str]) -> tuple[list[Object], list[Object], list[Object]]:
    """Workloads of the new side that read the changed keys: (as env vars, by subPath, as a volume)."""
    env: list[Object] = []
    sub: list[Object] = []
    mounted: list[Object] = []
    for source, ref in ctx.new.references_to(obj):
        if source.pod_template is None or ref.kind != obj.kind:
            continue
        if not _reads(ref, keys):
            continue
        if "envFrom" in ref.path or "env" in ref.path:
            _add(env, source)
        elif "volumes" in ref.path:
            volume = source.get(*ref.path[:ref.path.index("volumes") + 2], "name")
            if _sub_path(source, volume):
                _add(sub, source)
            else:
                _add(mounted, source)
    return env, sub, mounted


def _rolling(ctx: Context) -> set[int]:
    """The new-side workloads whose running pods this change replaces (k8slint.diff.workloads)."""
    found: set[int] = ctx.extra.get("rolling", set())
    return found


def _reads(ref: Reference, keys: list[str]) -> bool:
    """False when the reference names only keys that did not change (env valueFrom, volume items)."""
    if not ref.keys or "*" in keys:
        return True
    return any(key in keys for key, __ in ref.keys)


def _sub_path(workload: Object, volume: object) -> bool:
    template = workload.pod_template
    if template is None:
        return False
    for container, __, ___ in template.all_containers():
        for mount in container.get("volumeMounts") or []:
            if isinstance(mount, dict) and mount.get("name") == volume and (mount.get("subPath")
                                                                            or mount.get("subPathExpr")):
                return True
    return False


def _add(found: list[Object], obj: Object) -> None:
    if obj not in found:
        found.append(obj)


def _names(objects: list[Object]) -> str:
    names = [f"{o.kind}/{o.name}" for o in objects]
    return ", ".join(names) if len(names) <= 3 else ", ".join(names[:3]) + _(" and {count} more").format(
        count=len(names) - 3)


def renamed(change: ObjectChange, ctx: Context) -> None:
    """A generated ConfigMap/Secret whose content hash (so its name) changed."""
    old, new = change.old, change.new
    assert old is not None and new is not None
    users = [source for source, __ in ctx.new.references_to(new) if source.pod_template is not None]
    unique: list[Object] = []
    for user in users:
        _add(unique, user)
    rolls = _("{workloads} now name it, so their pod templates change and they roll out (see their "
              "rows)").format(workloads=_names(unique)) if unique else _("no workload in the input names it")
    ctx.emit.say(change, "change-config-renamed", new, ("metadata", "name"),
                 _("{kind} {old} is replaced by {new}. The generated name carries a hash of the content: "
                   "{rolls}; {old} stays in the cluster until it is pruned").format(
                     kind=new.kind, old=old.name, new=new.name, rolls=rolls), "low", at="value")


def rename_cause(change: ObjectChange, ctx: Context) -> str:
    """`, because ConfigMap app-x is now app-y (new content)` when a template change is a
    generated ConfigMap/Secret name."""
    for f in change.fields:
        if isinstance(f.old, str) and isinstance(f.new, str) and f.old != f.new:
            for other in ctx.changes:
                if other.change == "renamed" and other.old is not None and other.new is not None \
                        and other.old.name == f.old and other.new.name == f.new:
                    return _("; {kind} {old} is now {new}, its content changed").format(
                        kind=other.new.kind, old=f.old, new=f.new)
    return ""
