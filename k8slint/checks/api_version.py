"""apiVersion/kind against the target Kubernetes version: removed, unknown, deprecated, off by default."""

from __future__ import annotations

from collections.abc import Iterator

from .. import schema
from ..engine import CheckContext, check
from ..graph import Object
from ..i18n import _
from ..k8s.apis import ApiChange, api_change
from ..k8s.kinds import BUILTIN_GROUPS
from ..k8s.versions import SUPPORTED, Version, show
from ..model import Hit, Severity


def _builtin(obj: Object) -> bool:
    return obj.group in BUILTIN_GROUPS


@check("api-version-removed")
def api_version_removed(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if _builtin(obj) and not schema.has_kind(ctx.kubernetes_version, obj.api_version, obj.kind):
        hit = _removal(obj, ctx.kubernetes_version)
        if hit is not None:
            yield hit


def _removal(obj: Object, version: Version) -> Hit | None:
    """The finding for an apiVersion/kind removed by the target version (None if it was not):
    from the table, else from the bundled schemas (alpha versions that went away)."""
    what = f"{obj.api_version} {obj.kind}"
    change = api_change(obj.api_version, obj.kind)
    if change is not None and change.removed is not None and change.removed <= version:
        message = _("{what} was removed in Kubernetes {removed}{change}").format(what=what, removed=show(change.removed), change=_advice(change))
        served = _served_replacement(change, obj.kind, version)
        fix = _("Change apiVersion to {served}").format(served=served) if served else None
        return obj.finding(("apiVersion",), message + _("; target is {version}").format(version=show(version)), at="value", fix=fix)
    known = schema.versions_with(obj.api_version, obj.kind)
    if known and known[-1] < version:
        last = known[-1]
        removed = SUPPORTED[SUPPORTED.index(last) + 1]
        return obj.finding(("apiVersion",), _("{what} was removed in Kubernetes {removed} (last served "
                                              "in {last}){version}; target is {version2}").format(what=what, removed=show(removed), last=show(last), version=_current(version, obj), version2=show(version)), at="value")
    return None


@check("api-version-unknown", needs_graph=True, try_early=True)      # the graph: custom kinds only
def api_version_unknown(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    version = ctx.kubernetes_version
    if _builtin(obj):
        if schema.has_kind(version, obj.api_version, obj.kind):
            return
        if _removal(obj, version) is None:       # else api-version-removed says it
            yield _unknown_builtin(obj, version, schema.versions_with(obj.api_version, obj.kind))
        return
    # The CRD of the object's own apply unit decides; else any CRD of the input that may be
    # the one applied (a repository keeps old release bundles beside today's CRDs).
    kinds = schema.judging_kinds(ctx.graph, obj, version)
    if not kinds:
        return                                   # no CRD in the input: nothing to compare
    api_version_name = obj.api_version.rpartition("/")[2]
    if not any(api_version_name in kind.versions for kind in kinds):
        served = kinds[-1]
        names = ", ".join(f"{obj.group}/{v}" for v in served.versions) or "none"
        graph = ctx.graph
        if graph.several_units and all(kind.crd.unit is not obj.unit for kind in kinds):
            # Only CRDs of other apply units judge it: the cluster may have another version of
            # the CRD (nginx/kubernetes-ingress examples/custom-resources/waf-plm uses the
            # appprotect.f5.com/v1 CRDs that F5's policy controller installs, not the repository's
            # v1beta1 ones), as schema-violation does for unknown fields.
            yield obj.finding(("apiVersion",), _("{api_version} {kind} is not served by CustomResourceDefinition "
                                                 "{name} at {file} (another apply unit; served: {names}): the API "
                                                 "server rejects the object if the cluster has that version of the "
                                                 "CRD").format(api_version=obj.api_version, kind=obj.kind,
                                                               name=served.crd.name, file=served.crd.file, names=names),
                              at="value", severity=Severity.WARNING)
            return
        yield obj.finding(("apiVersion",), _("{api_version} {kind} is not served by "
                                             "CustomResourceDefinition {name} (served: {names})").format(api_version=obj.api_version, kind=obj.kind, name=served.crd.name, names=names),
                          at="value")


def _served_replacement(change: ApiChange, kind: str, version: Version) -> str | None:
    """The replacement the target version serves: the table's first choice, else the newest
    version of its group that the target's schemas have (flowcontrol v1 only from 1.29, so
    v1beta3 on 1.26-1.28)."""
    if not change.replacement:
        return None
    first = change.replacement.split(" ")[0]
    if schema.has_kind(version, first, kind):
        return first
    group = first.rpartition("/")[0]
    for name in ("v1", "v1beta3", "v1beta2", "v1beta1"):
        candidate = f"{group}/{name}" if group else name
        if candidate != change.api_version and schema.has_kind(version, candidate, kind):
            return candidate
    return first


def _advice(change: ApiChange) -> str:
    """': use apps/v1 (spec.selector becomes required ...)'."""
    text = _(": use {replacement}").format(replacement=change.replacement) if change.replacement else ""
    return text + (_(" ({changes})").format(changes=_(change.changes)) if change.changes else "")


def _unknown_builtin(obj: Object, version: Version, known: list[Version]) -> Hit:
    what = f"{obj.api_version} {obj.kind}"
    later = [v for v in known if v > version]
    if later:
        return obj.finding(("apiVersion",), _("{what} is not available in Kubernetes {version}: it was "
                                              "added in {later}{version2}").format(what=what, version=show(version), later=show(later[0]), version2=_current(version, obj)), at="value")
    kinds_here = schema.kinds_of(version, obj.api_version)
    if kinds_here:
        hint = schema.closest(obj.kind, kinds_here)
        extra = _("; did you mean {hint}?").format(hint=hint) if hint else ""
        return obj.finding(("kind",), _("{api_version} has no kind {kind} in Kubernetes {version}{extra}").format(api_version=obj.api_version, kind=obj.kind, version=show(version), extra=extra), at="value")
    served = schema.api_versions_of_group(version, obj.group)
    offer = _("; {value} serves {served}").format(value=obj.group or _('the core group'), served=', '.join(served)) if served else ""
    return obj.finding(("apiVersion",), _("{api_version} is not an API version of Kubernetes "
                                          "{version}{value}").format(api_version=obj.api_version, version=show(version), value=_current(version, obj) or offer), at="value")


def _current(version: Version, obj: Object) -> str:
    """'; use apps/v1' when another apiVersion of the same group serves the kind."""
    for api_version in schema.api_versions_of_group(version, obj.group):
        if api_version != obj.api_version and schema.has_kind(version, api_version, obj.kind):
            return _("; use {api_version}").format(api_version=api_version)
    return ""


@check("api-version-deprecated", needs_graph=True, try_early=True)   # the graph: custom kinds only
def api_version_deprecated(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    version = ctx.kubernetes_version
    if _builtin(obj):
        if not schema.has_kind(version, obj.api_version, obj.kind):
            return
        change = api_change(obj.api_version, obj.kind)
        if change is None or change.deprecated is None or change.deprecated > version:
            return
        removal = _(" and removed in {removed}").format(removed=show(change.removed)) if change.removed else ""
        yield obj.finding(("apiVersion",), _("{api_version} {kind} is deprecated since Kubernetes "
                                             "{deprecated}{removal}{change}").format(api_version=obj.api_version, kind=obj.kind, deprecated=show(change.deprecated), removal=removal, change=_advice(change)), at="value")
        return
    served = schema.custom_kinds(ctx.graph).get((obj.group, obj.kind))
    note = served.deprecated.get(obj.api_version.rpartition("/")[2]) if served else None
    if note is not None:
        yield obj.finding(("apiVersion",), _("{api_version} {kind} is deprecated by its "
                                             "CustomResourceDefinition: {note}").format(api_version=obj.api_version, kind=obj.kind, note=note), at="value")


@check("api-version-not-default", scope="graph")
def api_version_not_default(ctx: CheckContext) -> Iterator[Hit]:
    """Alpha APIs, and beta APIs added after 1.24 (KEP-3136), are off unless enabled."""
    graph = ctx.graph
    version = ctx.kubernetes_version
    seen: set[tuple[str, str]] = set()
    for obj in graph.objects:
        if not _builtin(obj) or (obj.api_version, obj.kind) in seen:
            continue
        if not schema.has_kind(version, obj.api_version, obj.kind):
            continue
        level = obj.api_version.rpartition("/")[2]
        if "alpha" in level:
            why = _("an alpha API")
        elif "beta" in level and not schema.has_kind(SUPPORTED[0], obj.api_version, obj.kind):
            first = schema.versions_with(obj.api_version, obj.kind)[0]
            why = (_("a beta API added in {first}; beta APIs added after 1.24 are off by default "
                     "(KEP-3136)").format(first=show(first)))
        else:
            continue
        seen.add((obj.api_version, obj.kind))
        yield obj.finding(("apiVersion",), _("{api_version} {kind} is {why}: a cluster serves it only "
                                             "when enabled (--runtime-config={api_version}=true and its "
                                             "feature gate); check that yours does").format(api_version=obj.api_version, kind=obj.kind, why=why), at="value")
