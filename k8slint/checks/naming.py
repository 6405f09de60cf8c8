"""Names the API server validates beyond the schema: objects, labels, annotations, containers,
ports, volumes, environment variables; object identity (the same object twice, a namespace on
a cluster-scoped kind) (kubernetes.io/docs/concepts/overview/working-with-objects/names/,
staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..engine import CheckContext, check
from ..graph import Graph, Object
from ..i18n import _
from ..k8s import names
from ..k8s.kinds import BUILTIN_GROUPS, NAMELESS_KINDS
from ..k8s.podvalidation import pod_spec_validated, rejected
from ..k8s.versions import Version, show
from ..model import JSON, Hit, Path, Severity
from ..paths import format_path
from ..placeholders import has_placeholder


def _q(value: Any) -> str:
    return json.dumps(value)


def _line(obj: Object, path: Path) -> int:
    return obj.locate(path)[0]


def named(items: Any) -> Iterator[tuple[int, str]]:
    """(index, name) of the entries of a list (ports, volumes, env) that have a string name."""
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield i, item["name"]


def _syntax(obj: Object, where: Path, what: str, name: str, rule: names.Check,
            effect: str = "") -> Iterator[Hit]:
    """`container name "web_1" contains '_': it must be a DNS-1123 label (...)`, then the
    effect when one is given."""
    problem = rule(name)
    if problem:
        yield obj.finding(where, _("{what} {name} {problem}: it must be {DESCRIPTIONS}").format(what=what, name=_q(name), problem=problem, DESCRIPTIONS=names.describe(rule))
                          + (f"; {effect}" if effect else ""), at="value")


def _rejected(obj: Object) -> str:
    """What a pod-spec mistake does to this object (a StatefulSet's pods fail instead)."""
    return rejected(obj.kind, obj.group)


# --- identity: the same object twice; a namespace on a cluster-scoped kind -------------------
@check("object-duplicate", scope="graph")
def object_duplicate(ctx: CheckContext) -> Iterator[Hit]:
    """(group, kind, effective namespace, name) twice in one apply unit (graph.same_identity).

    In a kustomization the build fails (sigs.k8s.io/kustomize/api/resmap reswrangler.go
    Append: "may not add resource with an already registered id") when the apiVersions are
    the same too: an error. In a plain
    folder the API server accepts both and `kubectl apply` keeps the later one: a warning.
    Two files that define several of the same objects get one finding, not one per object."""
    graph = ctx.graph
    pairs: dict[tuple[str, str], list[tuple[Object, Object]]] = {}
    for obj in graph.objects:
        same = graph.same_identity(obj)
        if len(same) < 2 or same[0] is obj or has_placeholder(obj.name):
            continue
        from ..test_steps import sequential_steps  # only when there are duplicates (start-up time)

        if sequential_steps(same[0].file, obj.file):
            continue
        pairs.setdefault((same[0].file, obj.file), []).append((obj, same[0]))
    identities: dict[str, set[tuple[str, str, str | None, str]]] = {}
    for obj in graph.objects:
        identities.setdefault(obj.file, set()).add(obj.identity)
    yield from _many_copies(graph, pairs)
    for (earlier, later), items in pairs.items():
        # kustomize's resource id has the version (resid.ResId Gvk): one object written in two
        # versions (kubebuilder's samples of a v1 and a v2 CR) builds, and the cluster keeps
        # the later apply, as in a plain folder
        kustomized = _kustomized(items[0][0]) and all(obj.api_version == first.api_version for obj, first in items)
        severity = Severity.ERROR if kustomized else Severity.WARNING
        if not kustomized and earlier != later and _alternatives(identities[earlier], identities[later]):
            severity = Severity.INFO
        # copies equal to the last field (openfaas' artifacts/crds/crds.yaml, the bundle of the
        # CRD files beside it): applying both leaves the one object as written, nothing lost
        identical = not kustomized and all(obj.data == first.data for obj, first in items)
        if identical:
            severity = Severity.INFO
        effect = (_("kustomize refuses to build the folder (may not add resource with an already "
                    "registered id)")) if kustomized else _("the copies are identical, so applying both "
                                                         "changes nothing, until one is edited and the "
                                                         "other not") if identical else \
            _("applied together, the later silently replaces the earlier")
        if len(items) > 1 and earlier != later:
            obj = items[0][0]
            names_list = ", ".join(f"{o.kind}/{o.name}" for o, __ in items[:4])
            more = _(" and {value} more").format(value=len(items) - 4) if len(items) > 4 else ""
            hint = "" if kustomized else \
                _("; if they are alternatives, mark the folder `file` in apply-units")
            yield obj.finding(("metadata", "name"), _("{earlier} and {later} define the same {n_items} "
                                                      "objects ({names_list}{more}): {effect}{hint}").format(earlier=earlier, later=later, n_items=len(items), names_list=names_list, more=more, effect=effect, hint=hint), at="value",
                              severity=severity)
            continue
        for obj, first in items:
            line = first.locate(("metadata", "name"))[0]
            where = _("namespace {namespace}").format(namespace=obj.namespace) if obj.namespace else _("the cluster")
            yield obj.finding(("metadata", "name"), _("{kind} {name} in {where} is already defined at "
                                                      "{file}:{line}: {effect}").format(kind=obj.kind, name=obj.name, where=where, file=first.file, line=line, effect=effect), at="value", severity=severity)


def _many_copies(graph: Graph, pairs: dict[tuple[str, str], list[tuple[Object, Object]]]) -> Iterator[Hit]:
    """One warning for an object that three or more files of a plain folder define, and
    none of whose files shares a second object with another (tektoncd/pipeline's
    pkg/apis/config/testdata: twenty variants of ConfigMap config-defaults); its pairs are
    taken out of `pairs`, which would give one warning per later copy."""
    lonely = {key: items[0][0] for key, items in pairs.items()
              if len(items) == 1 and key[0] != key[1] and not _kustomized(items[0][0])}
    # per apply unit: the same identity duplicated in two folders is two findings
    by_identity: dict[tuple[str | None, tuple[str, str, str | None, str]], list[tuple[str, str]]] = {}
    for key, obj in lonely.items():
        by_identity.setdefault((obj.unit.id if obj.unit is not None else None, obj.identity), []).append(key)
    for keys in by_identity.values():
        if len(keys) < 2:
            continue
        copies = graph.same_identity(lonely[keys[0]])
        files = list(dict.fromkeys(o.file for o in copies))
        for key in keys:
            del pairs[key]
        last = copies[-1]
        shown = ", ".join(files[:4])
        more = _(" and {value} more").format(value=len(files) - 4) if len(files) > 4 else ""
        where = _("namespace {namespace}").format(namespace=last.namespace) if last.namespace else _("the cluster")
        if all(copy.data == last.data for copy in copies):      # as object_duplicate's identical pairs
            yield last.finding(("metadata", "name"), _("{kind} {name} in {where} is defined in {count} files of "
                                                       "this folder ({files}{more}): the copies are identical, so "
                                                       "applying them all changes nothing, until one is edited and "
                                                       "the others not").format(
                                   kind=last.kind, name=last.name, where=where, count=len(files), files=shown,
                                   more=more), at="value", severity=Severity.INFO)
            continue
        yield last.finding(("metadata", "name"), _("{kind} {name} in {where} is defined in {count} files of "
                                                   "this folder ({files}{more}): applied together, the last "
                                                   "({last}) silently replaces the others; if they are "
                                                   "alternatives, mark the folder `file` in apply-units").format(
                               kind=last.kind, name=last.name, where=where, count=len(files), files=shown,
                               more=more, last=last.file), at="value", severity=Severity.WARNING)


def _kustomized(obj: Object) -> bool:
    return obj.unit is not None and obj.unit.mode == "kustomization"


# Two files of one folder that share at least this many objects, and three quarters of the
# smaller one's, are variants of one bundle that people apply one at a time (Argo CD's
# install.yaml and namespace-install.yaml), not an object written twice by mistake.
_BUNDLE_SHARED = 5
_BUNDLE_SHARE = 0.75


def _alternatives(first: set[tuple[str, str, str | None, str]], second: set[tuple[str, str, str | None, str]]) -> bool:
    shared = len(first & second)
    return shared >= _BUNDLE_SHARED and shared >= _BUNDLE_SHARE * min(len(first), len(second))


@check("namespace-on-cluster-kind")
def namespace_on_cluster_kind(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.namespace is not None:               # namespaced: the common case, skipped at once
        return
    namespace = obj.metadata.get("namespace")
    if not (isinstance(namespace, str) and namespace):
        return
    if _set_by_kustomization(obj):
        yield obj.finding(("metadata", "namespace"), _("{kind} is cluster-scoped: the namespace {namespace!r} "
                                                       "that this kustomization sets on every object lands "
                                                       "on it too, and the API server clears it").format(kind=obj.kind, namespace=namespace), at="value",
                          severity=Severity.INFO)
        return
    yield obj.finding(("metadata", "namespace"), _("{kind} is cluster-scoped: metadata.namespace "
                                                   "{namespace!r} does not apply to it: the API "
                                                   "server drops it and the object acts cluster-wide").format(kind=obj.kind, namespace=namespace), at="value",
                      fix=_("Remove metadata.namespace."))


def _set_by_kustomization(obj: Object) -> bool:
    """The namespace of a cluster-scoped object of a build was written by a kustomization's
    `namespace:` field, not by its author. kustomize's namespace transformer skips the kinds
    its schema knows to be cluster-scoped (kyaml openapi IsCertainlyClusterScoped) and sets
    the namespace on all others: a custom cluster-scoped kind, or an object whose kind a later
    patch changed (k8ssandra-operator's components/cluster-scope turns Role k8ssandra-operator
    into a ClusterRole with a JSON patch of /kind, after config/default set its namespace).
    The API server clears it (apiserver pkg/registry/rest
    EnsureObjectNamespaceMatchesRequestNamespace: "cluster-scoped, clear namespace"), and the
    object is cluster-wide as its kind says: nothing the author wrote misleads (an info)."""
    if not _kustomized(obj):
        return False
    # only for a build's objects (off the start-up path)
    from ..kustomize.kustfile import is_kustomization_file

    return is_kustomization_file(obj.position(("metadata", "namespace"), "value")[0])


# --- metadata.name / generateName / namespace ----------------------------------------------
@check("object-name")
def object_name(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    version = ctx.kubernetes_version
    meta = obj.metadata
    name, generate = meta.get("name"), meta.get("generateName")
    namespace = meta.get("namespace")
    if isinstance(namespace, str) and namespace:
        yield from _syntax(obj, ("metadata", "namespace"), _("namespace"), namespace, names.check_dns1123_label)
    if obj.kind == "Ingress" and obj.group == "networking.k8s.io":
        yield from _ingress_backends(obj, version)
    if obj.kind == "CustomResourceDefinition" and obj.group == "apiextensions.k8s.io":
        yield from _crd_name(obj, name)
        return
    if name in (None, "") and generate in (None, ""):
        if (obj.group, obj.kind) in NAMELESS_KINDS:    # a question to the server, never stored
            return
        yield obj.finding(("metadata",) if "metadata" in obj.data else ("kind",),
                          _("metadata.name is required (or metadata.generateName): the API server "
                            "rejects an object without a name"))
        return
    rule = names.object_name_check(obj.kind, obj.group, version)
    if rule is None:
        return
    for field, value in (("name", name), ("generateName", generate)):
        if not isinstance(value, str) or not value or (field == "generateName" and name):
            continue
        text = names.mask_trailing_dash(value) if field == "generateName" else value
        problem = rule(text)
        where = ("metadata", field)
        if problem:
            yield obj.finding(where, _("{kind} {field} {value} {problem}: it must be {DESCRIPTIONS}{obj}").format(kind=obj.kind, field=field, value=_q(value), problem=problem, DESCRIPTIONS=names.describe(rule), obj=_version_note(obj, rule, text, version)),
                              at="value")
        elif field == "name":
            yield from _length_limits(obj, value, version)


def _ingress_backends(obj: Object, version: Version) -> Iterator[Hit]:
    """backend.service.name follows the Service name rule of the version (KEP-5311)."""
    rule = names.object_name_check("Service", "", version)
    paths: list[Path] = [("spec", "defaultBackend")]
    rules = obj.get("spec", "rules")
    for i, rule_entry in enumerate(rules if isinstance(rules, list) else ()):
        http = rule_entry.get("http") if isinstance(rule_entry, dict) else None
        paths_list = http.get("paths") if isinstance(http, dict) else None
        for j in range(len(paths_list) if isinstance(paths_list, list) else 0):
            paths.append(("spec", "rules", i, "http", "paths", j, "backend"))
    for path in paths:
        name = obj.get(*path, "service", "name")
        if isinstance(name, str) and name and rule is not None:
            yield from _syntax(obj, path + ("service", "name"), _("backend Service name"), name, rule)


def _version_note(obj: Object, rule: names.Check, name: str, version: Version) -> str:
    if obj.kind == "Service" and rule is names.check_dns1035_label and \
            not names.check_dns1123_label(name):
        return _(" up to Kubernetes 1.35; it is valid from 1.36 (target is {version})").format(version=show(version))
    return ""


def _length_limits(obj: Object, name: str, version: Version) -> Iterator[Hit]:
    if obj.kind == "CronJob" and obj.group == "batch" and len(name) > names.CRONJOB_NAME_MAX:
        yield obj.finding(("metadata", "name"), _("CronJob name {name} is {n_ame} characters, at most "
                                                  "{CRONJOB_NAME_MAX} (its Jobs append an 11-character "
                                                  "suffix)").format(name=_q(name), n_ame=len(name), CRONJOB_NAME_MAX=names.CRONJOB_NAME_MAX),
                          at="value")
    if obj.kind == "StatefulSet" and obj.group == "apps" and version < (1, 26):
        problem = names.check_dns1123_label(name)
        if problem:
            yield obj.finding(("metadata", "name"), _("StatefulSet name {name} {problem}: Kubernetes "
                                                      "{version} accepts it, but every pod fails to be "
                                                      "created because pod hostnames must be DNS-1123 "
                                                      "labels").format(name=_q(name), problem=problem, version=show(version)), at="value")


def _crd_name(obj: Object, name: Any) -> Iterator[Hit]:
    plural, group = obj.get("spec", "names", "plural"), obj.get("spec", "group")
    if isinstance(name, str) and isinstance(plural, str) and isinstance(group, str) \
            and name != f"{plural}.{group}":
        yield obj.finding(("metadata", "name"), _("CustomResourceDefinition name {name} must be "
                                                  "<spec.names.plural>.<spec.group>, i.e. {value}").format(name=_q(name), value=_q(plural + '.' + group)),
                          at="value", fix=_("Name it {plural}.{group}.").format(plural=plural, group=group))


# --- labels, selectors, annotations --------------------------------------------------------
def _label_selector_kind(obj: Object) -> bool:
    """Whether the API server validates the object's spec.selector as labels: built-in kinds
    only. A custom resource is validated by its CRD's schema alone, and its controller decides
    what a selector means (kwok's Stage selects with jq expressions such as
    `.metadata.deletionTimestamp`: kwok pkg/apis/v1alpha1 stage_types.go SelectorRequirement)."""
    return obj.group in BUILTIN_GROUPS


def _label_maps(obj: Object) -> Iterator[tuple[Path, JSON]]:
    """Every map of labels the API server validates as labels, with its path."""
    labels = obj.metadata.get("labels")
    if isinstance(labels, dict):
        yield ("metadata", "labels"), labels
    spec = obj.data.get("spec")
    if isinstance(spec, dict) and _label_selector_kind(obj):
        selector = spec.get("selector")
        if obj.kind in ("Service", "ReplicationController"):
            if isinstance(selector, dict):
                yield ("spec", "selector"), selector
        elif isinstance(selector, dict) and isinstance(selector.get("matchLabels"), dict):
            yield ("spec", "selector", "matchLabels"), selector["matchLabels"]
    template = obj.pod_template
    if template is not None:
        if template.path:
            labels = template.labels
            if labels:
                yield template.path + ("metadata", "labels"), labels
        node_selector = template.spec.get("nodeSelector")
        if isinstance(node_selector, dict):
            yield template.spec_path + ("nodeSelector",), node_selector


@check("label-syntax")
def label_syntax(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for path, labels in _label_maps(obj):
        # A StatefulSet's template labels are validated, its nodeSelector (part of the pod
        # spec) is not: there the pods are rejected instead (k8s/podvalidation.py).
        effect = (f"; {_rejected(obj)}" if path[-1] == "nodeSelector" and
                  not pod_spec_validated(obj.kind, obj.group) else "")
        for key, value in labels.items():
            problem = names.check_qualified_name(str(key))
            if problem:
                yield obj.finding(path + (key,), _("label key {key} {problem}: a label key is an "
                                                   "optional DNS subdomain prefix and '/', then a name "
                                                   "of at most 63 letters, digits, '-', '_' or '.' "
                                                   "starting and ending alphanumeric").format(key=_q(key), problem=problem)
                                  + effect)
            if isinstance(value, str):
                problem = names.check_label_value(value)
                if problem:
                    yield obj.finding(path + (key,), _("label value {value} of {key} {problem}: a label "
                                                       "value is empty or at most 63 letters, digits, "
                                                       "'-', '_' or '.' starting and ending "
                                                       "alphanumeric{effect}").format(value=_q(value), key=key, problem=problem, effect=effect), at="value")
    expressions = obj.get("spec", "selector", "matchExpressions")
    if isinstance(expressions, list) and obj.kind not in ("Service", "ReplicationController") \
            and _label_selector_kind(obj):
        for i, expr in enumerate(expressions):
            if isinstance(expr, dict) and isinstance(expr.get("key"), str):
                problem = names.check_qualified_name(expr["key"])
                if problem:
                    yield obj.finding(("spec", "selector", "matchExpressions", i, "key"),
                                      _("selector key {key} {problem}").format(key=_q(expr['key']), problem=problem), at="value")


@check("annotation-syntax")
def annotation_syntax(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    paths: list[Path] = [("metadata", "annotations")]
    template = obj.pod_template
    if template is not None and template.path:
        paths.append(template.path + ("metadata", "annotations"))
    for path in paths:
        annotations = obj.get(*path)
        if not isinstance(annotations, dict):
            continue
        total = 0
        for key, value in annotations.items():
            # Annotation keys are checked lower-cased: an upper-case prefix is allowed.
            problem = names.check_qualified_name(str(key).lower())
            if problem:
                yield obj.finding(path + (key,), _("annotation key {key} {problem}").format(key=_q(key), problem=problem))
            total += len(str(key).encode()) + (len(value.encode()) if isinstance(value, str) else 0)
        if total > names.ANNOTATIONS_MAX_BYTES:
            yield obj.finding(path, _("annotations total {total:,} bytes, more than the "
                                      "{ANNOTATIONS_MAX_BYTES:,} (256 KiB) the API server allows").format(total=total, ANNOTATIONS_MAX_BYTES=names.ANNOTATIONS_MAX_BYTES))


# --- containers, ports, volumes, env -------------------------------------------------------
@check("container-name", workloads=True)
def container_name(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    seen: dict[str, Path] = {}
    for container, path, __ in template.all_containers():
        name = container.get("name")
        if not isinstance(name, str):
            continue
        yield from _syntax(obj, path + ("name",), _("container name"), name, names.check_dns1123_label,
                           _rejected(obj))
        if name in seen:
            first = seen[name]
            yield obj.finding(path + ("name",), _("duplicate container name {name}: {first} (line {obj}) "
                                                  "has it too, and names are unique across init, regular "
                                                  "and ephemeral containers: {obj2}").format(name=_q(name), first=format_path(first), obj=_line(obj, first), obj2=_rejected(obj)),
                              at="value")
        else:
            seen[name] = path


@check("port-name")
def port_name(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.kind == "Service" and obj.group == "":
        yield from _service_ports(obj)
    template = obj.pod_template
    if template is None:
        return
    pod_names: dict[str, tuple[Path, int]] = {}
    for index, (container, path, __) in enumerate(template.all_containers()):
        own: set[str] = set()
        for i, name in named(container.get("ports")):
            where = path + ("ports", i, "name")
            yield from _syntax(obj, where, _("container port name"), name, names.check_port_name,
                               _rejected(obj))
            if name in own:
                yield obj.finding(where, _("duplicate port name {name} in container {value}: {obj}").format(name=_q(name), value=container.get('name'), obj=_rejected(obj)), at="value")
            elif name in pod_names and pod_names[name][1] != index:
                first = pod_names[name][0]
                yield obj.finding(where, _("port name {name} is also used by {first} (line {obj}) in "
                                           "another container: accepted with a warning; a Service's "
                                           "targetPort of that name gets the first container's port, "
                                           "while a probe looks only in its own container").format(name=_q(name), first=format_path(first), obj=_line(obj, first)),
                                  at="value", severity=Severity.WARNING)
            own.add(name)
            pod_names.setdefault(name, (where, index))


def _service_ports(obj: Object) -> Iterator[Hit]:
    ports = obj.get("spec", "ports")
    if not isinstance(ports, list):
        return
    seen: dict[str, Path] = {}
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        name = port.get("name")
        where = ("spec", "ports", i)
        if isinstance(name, str) and name:
            yield from _syntax(obj, where + ("name",), _("Service port name"), name, names.check_dns1123_label)
            if name in seen:
                yield obj.finding(where + ("name",), _("duplicate Service port name {name} (also at line "
                                                       "{obj}): the API server rejects it").format(name=_q(name), obj=_line(obj, seen[name])),
                                  at="value")
            seen.setdefault(name, where + ("name",))
        elif len(ports) > 1:
            yield obj.finding(where, _("Service port {value} of {n_ports} has no name: with more than "
                                       "one port every port needs a name; the API server rejects it").format(value=i + 1, n_ports=len(ports)),
                              fix=_("Name every port, e.g. name: http."))
        target = port.get("targetPort")
        if isinstance(target, str):
            # a quoted number is a port name too (intstr.IntOrString.UnmarshalJSON: a JSON
            # string is Type String), and validateServicePort's IsValidPortName wants a letter
            effect = _("the API server rejects it; write the number unquoted: targetPort: {port}").format(port=target) \
                if target.isdigit() else ""
            yield from _syntax(obj, where + ("targetPort",), "targetPort", target, names.check_port_name, effect)


@check("volume-name", workloads=True)
def volume_name(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    seen: dict[str, Path] = {}
    for i, name in named(template.spec.get("volumes")):
        where = template.spec_path + ("volumes", i, "name")
        yield from _syntax(obj, where, _("volume name"), name, names.check_dns1123_label, _rejected(obj))
        if name in seen:
            yield obj.finding(where, _("duplicate volume name {name} (also at line {obj}): {obj2}").format(name=_q(name), obj=_line(obj, seen[name]), obj2=_rejected(obj)), at="value")
        seen.setdefault(name, where)


@check("env-name", workloads=True)
def env_name(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, path, __ in template.all_containers():
        seen: dict[str, Path] = {}
        for i, name in named(container.get("env")):
            where = path + ("env", i, "name")
            problem = names.check_env_name(name, ctx.kubernetes_version)
            if problem:
                version = show(ctx.kubernetes_version)
                effect = (_("Kubernetes {version} rejects it").format(version=version) if pod_spec_validated(obj.kind, obj.group)
                          else _("on Kubernetes {version}, {obj}").format(version=version, obj=_rejected(obj)))
                yield obj.finding(where, _("environment variable name {name} {problem}: {effect}").format(name=_q(name), problem=problem, effect=effect),
                                  at="value")
            if name in seen:
                yield obj.finding(where, _("environment variable {name} is set twice in container "
                                           "{value} (first at line {obj}): the kubelet uses the last "
                                           "value, kubectl apply may drop one").format(name=name, value=container.get('name'), obj=_line(obj, seen[name])),
                                  at="value", severity=Severity.WARNING)
            seen.setdefault(name, where)
