"""Container resources as the API server validates them and the admission plugins
(LimitRanger, ResourceQuota) see them.

Facts: pkg/apis/core/validation/validation.go (ValidateResourceRequirements,
validateContainerResourceName, ValidateResourceQuantityValue), pkg/apis/core/v1/defaults.go
(a limit without a request makes the request; LimitRangeItem defaults),
plugin/pkg/admission/limitranger/admission.go (defaults, min/max/ratio per Container),
pkg/quota/v1/evaluator/core/pods.go (Constraints: a quota on cpu or memory makes every
container specify it), kubernetes.io/docs/concepts/workloads/pods/pod-qos/.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Iterator, NamedTuple
from weakref import WeakKeyDictionary

from ..engine import CheckContext, check, last_arguments
from ..graph import Graph, Object
from ..i18n import _
from ..k8s.fields import as_int
from ..k8s.kinds import ADDED_SIDECARS
from ..k8s.podvalidation import rejected
from ..k8s.pss import admission_effect
from ..k8s.quantity import QuantityError, quantity_value
from ..lazyre import lazy_compile
from ..model import JSON, Hit, Path, Severity

STANDARD = frozenset({"cpu", "memory", "ephemeral-storage"})
QUOTA_KEYS = {"cpu": ("requests", "cpu"), "requests.cpu": ("requests", "cpu"),
              "limits.cpu": ("limits", "cpu"), "memory": ("requests", "memory"),
              "requests.memory": ("requests", "memory"), "limits.memory": ("limits", "memory")}
_QUALIFIED = lazy_compile(r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                        r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")


def is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    return not is_native(name) and not name.startswith("requests.") and bool(_QUALIFIED.match(name))


def overcommittable(name: str) -> bool:
    """cpu, memory, ephemeral-storage: request may be below the limit. Hugepages and
    extended resources (nvidia.com/gpu): a limit is required and the request must equal it."""
    return is_native(name) and not is_hugepages(name)


@lru_cache(maxsize=1024)
def name_problem(name: str) -> str | None:
    if "/" not in name:
        if name in STANDARD or is_hugepages(name):
            return None
        return _("is not a container resource (cpu, memory, ephemeral-storage, hugepages-<size>, or a "
                 "<domain>/<name> extended resource)")
    if is_native(name) or is_extended(name):
        return None
    return _("is not a valid extended resource name (<domain>/<name>)")


# What a container's resource problem is (Box.problems): a bad resource name, a value that
# does not decode as a quantity (refused for every kind), or a decoded value out of range.
NAME, UNDECODABLE, VALUE = "name", "undecodable", "value"


class Box(NamedTuple):
    """One container's resources, parsed; only valid values are kept."""

    container: JSON
    path: Path
    name: str
    init: bool              # plain init container (runs to completion before the app)
    requests: dict[str, Fraction]
    limits: dict[str, Fraction]
    raw: dict[str, JSON]     # "requests"/"limits" -> the manifest's mapping
    problems: list[tuple[Path, str, str]]      # (path, message, NAME, UNDECODABLE or VALUE)

    def sets(self, resource: str, kinds: tuple[str, ...] = ("requests", "limits")) -> bool:
        """The manifest names the resource (valid or not: an invalid value is its own finding)."""
        raw = self.raw
        if not raw:
            return False
        return any(resource in raw[kind] for kind in kinds if kind in raw)


def _box(container: JSON, path: Path, list_name: str, index: int) -> Box:
    resources = container.get("resources")
    resources = resources if isinstance(resources, dict) else {}
    parsed: dict[str, dict[str, Fraction]] = {"requests": {}, "limits": {}}
    raw: dict[str, JSON] = {}
    problems: list[tuple[Path, str, str]] = []
    for kind in ("requests", "limits"):
        mapping = resources.get(kind)
        if not isinstance(mapping, dict):
            continue
        raw[kind] = mapping
        for resource, value in mapping.items():
            where = path + ("resources", kind, resource)
            resource = str(resource)
            problem = name_problem(resource)
            if problem:
                problems.append((where, f"{resource!r} {problem}", NAME))
                continue
            try:
                amount = quantity_value(value)
            except QuantityError as exc:
                problems.append((where, _("{kind}.{resource}: {value!r} is not a quantity: {exc}").format(kind=kind, resource=resource, value=value, exc=exc), UNDECODABLE))
                continue
            if amount < 0:
                problems.append((where, _("{kind}.{resource}: {value} must be greater than or equal to 0").format(kind=kind, resource=resource, value=value), VALUE))
                continue
            if amount.denominator != 1 and "/" in resource and is_extended(resource):
                problems.append((where, _("{kind}.{resource}: {value} must be an integer").format(kind=kind, resource=resource, value=value), VALUE))
                continue
            parsed[kind][resource] = amount
    name = container.get("name")
    shown = f"'{name}'" if isinstance(name, str) and name else f"{list_name}[{index}]"
    init = list_name == "initContainers" and container.get("restartPolicy") != "Always"
    return Box(container, path, shown, init, parsed["requests"], parsed["limits"], raw, problems)


class PodResources(NamedTuple):
    workload: Object
    boxes: list[Box]
    pod_level: JSON             # spec.resources (pod-level resources, beta 1.34)
    spec: JSON
    limits: Limits            # the LimitRange defaults and bounds of its namespace
    best_effort: bool           # QoS BestEffort after LimitRange defaults


@last_arguments
def boxes(workload: Object) -> list[Box]:
    """The workload's containers with parsed resources (every rule of this module asks;
    a PodTemplate object runs no pods and has none)."""
    template = workload.pod_template
    if template is None or workload.kind == "PodTemplate":
        return []
    return [_box(ref.container, ref.path, ref.list_name, ref.list_index)
            for ref in template.containers(("initContainers", "containers"))]


@last_arguments
def pod_resources(ctx: CheckContext, workload: Object) -> PodResources | None:
    """A workload's resources with the LimitRange defaults of its namespace (needs_graph)."""
    template = workload.pod_template
    if template is None or workload.kind == "PodTemplate":
        return None
    found = boxes(workload)
    spec = template.spec
    pod_level = spec.get("resources")
    pod_level = pod_level if isinstance(pod_level, dict) else {}
    limits = limits_in(ctx.graph, workload.namespace)
    best_effort = _best_effort(found, pod_level, limits) and (workload.group, workload.kind) not in ADDED_SIDECARS
    return PodResources(workload, found, pod_level, spec, limits, best_effort)


# --- LimitRange defaults per namespace ------------------------------------------------------

class Limits(NamedTuple):
    """The Container items of a namespace's LimitRanges, defaults resolved as the API does."""

    default: dict[str, tuple[Fraction, Object]]          # limit defaults
    default_request: dict[str, tuple[Fraction, Object]]
    min: dict[str, tuple[Fraction, Object, Path]]
    max: dict[str, tuple[Fraction, Object, Path]]
    ratio: dict[str, tuple[Fraction, Object, Path]]


_LIMITS: WeakKeyDictionary[Graph, dict[str | None, Limits]] = WeakKeyDictionary()


def limits_in(graph: Graph, namespace: str | None) -> Limits:
    by_ns = _LIMITS.get(graph)
    if by_ns is None:
        by_ns = {}
        for lr in graph.of_kind("LimitRange"):
            by_ns.setdefault(lr.namespace, Limits({}, {}, {}, {}, {}))
            _add_limit_range(by_ns[lr.namespace], lr)
        _LIMITS[graph] = by_ns
    return by_ns.get(namespace) or Limits({}, {}, {}, {}, {})


def _values(obj: Object, path: Path) -> dict[str, Fraction]:
    mapping = obj.get(*path)
    out: dict[str, Fraction] = {}
    if isinstance(mapping, dict):
        for key, value in mapping.items():
            try:
                out[str(key)] = quantity_value(value)
            except QuantityError:
                pass
    return out


def _add_limit_range(into: Limits, lr: Object) -> None:
    items = lr.get("spec", "limits")
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        base = ("spec", "limits", i)
        values = {k: _values(lr, base + (k,)) for k in ("default", "defaultRequest", "min", "max",
                                                        "maxLimitRequestRatio")}
        # SetDefaults_LimitRangeItem: default <- max; defaultRequest <- default, then min.
        default = {**values["max"], **values["default"]}
        default_request = {**values["min"], **default, **values["defaultRequest"]}
        for resource, amount in default.items():
            into.default.setdefault(resource, (amount, lr))
        for resource, amount in default_request.items():
            into.default_request.setdefault(resource, (amount, lr))
        for key, target in (("min", into.min), ("max", into.max), ("maxLimitRequestRatio", into.ratio)):
            for resource, amount in values[key].items():
                target.setdefault(resource, (amount, lr, base + (key, resource)))


def effective(box: Box, limits: Limits) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """(requests, limits) after API defaulting and LimitRanger defaults."""
    lim = dict(box.limits)
    for resource, (amount, __) in limits.default.items():
        lim.setdefault(resource, amount)
    req = {**box.limits, **box.requests}        # a lone limit is the request (API defaulting)
    for resource, (amount, __) in limits.default_request.items():
        req.setdefault(resource, amount)
    return req, lim


# --- per-container rules --------------------------------------------------------------------

@check("resource-quantity-invalid")
def resource_quantity_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for box in boxes(obj):
        for path, message, problem in box.problems:
            if problem == NAME:
                continue            # resource-name-invalid
            # A quantity that does not parse fails when the object is decoded, whatever its
            # kind (resource.Quantity UnmarshalJSON); a negative or fractional one fails the
            # pod validation, which a StatefulSet's template does not get.
            effect = (_("the API server rejects the object") if problem == UNDECODABLE
                      else rejected(obj.kind, obj.group, "the object"))
            yield obj.finding(path, _("container {box_name}: {message}; {effect}").format(box_name=box.name, message=message, effect=effect), at="value")
    if obj.kind == "ResourceQuota":
        yield from _invalid_map(obj, ("spec", "hard"))
    elif obj.kind == "LimitRange":
        items = obj.get("spec", "limits")
        for i in range(len(items) if isinstance(items, list) else 0):
            for key in ("default", "defaultRequest", "min", "max", "maxLimitRequestRatio"):
                yield from _invalid_map(obj, ("spec", "limits", i, key))


def _invalid_map(obj: Object, path: Path) -> Iterator[Hit]:
    mapping = obj.get(*path)
    if not isinstance(mapping, dict):
        return
    for key, value in mapping.items():
        try:
            amount = quantity_value(value)
        except QuantityError as exc:
            yield obj.finding(path + (key,), _("{key}: {value!r} is not a quantity: {exc}; the API "
                                               "server rejects the object").format(key=key, value=value, exc=exc), at="value")
            continue
        if amount < 0:
            yield obj.finding(path + (key,), _("{key}: {value} must be greater than or equal to 0").format(key=key, value=value),
                              at="value")


@check("resource-name-invalid", workloads=True)
def resource_name_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for box in boxes(obj):
        for path, message, problem in box.problems:
            if problem == NAME:
                yield obj.finding(path, _("container {box_name}: resource {message}; {kind}").format(box_name=box.name, message=message, kind=rejected(obj.kind, obj.group, 'the object')))


@check("resource-request-above-limit", workloads=True)
def resource_request_above_limit(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for box in boxes(obj):
        for resource, request in box.requests.items():
            limit = box.limits.get(resource)
            if limit is not None and overcommittable(resource) and request > limit:
                yield obj.finding(
                    box.path + ("resources", "requests", resource),
                    _("container {box_name} requests {box} {resource} but its limit is {box2}: {kind} "
                      "(must be less than or equal to {resource} limit)").format(box_name=box.name, box=_raw(box, 'requests', resource), resource=resource, box2=_raw(box, 'limits', resource), kind=rejected(obj.kind, obj.group, 'the object')), at="value")


@check("resource-extended-limit", workloads=True)
def resource_extended_limit(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    for box in boxes(obj):
        for resource in sorted(set(box.requests) | set(box.limits)):
            if overcommittable(resource):
                continue
            request, limit = box.requests.get(resource), box.limits.get(resource)
            if request is not None and limit is None:
                yield obj.finding(
                    box.path + ("resources", "requests", resource),
                    _("container {box_name} requests {resource} without a limit: {resource} cannot be "
                      "overcommitted, so {kind} (Limit must be set for non overcommitable resources)").format(box_name=box.name, resource=resource, kind=rejected(obj.kind, obj.group, 'the object')))
            elif request is not None and limit is not None and request != limit:
                yield obj.finding(
                    box.path + ("resources", "requests", resource),
                    _("container {box_name} requests {box} {resource} but limits it to {box2}: a "
                      "resource that cannot be overcommitted needs the request equal to the limit (or "
                      "left out), so {kind} (must be equal to {resource} limit of {box2})").format(box_name=box.name, box=_raw(box, 'requests', resource), resource=resource, box2=_raw(box, 'limits', resource), kind=rejected(obj.kind, obj.group, 'the object')), at="value")


def _raw(box: Box, kind: str, resource: str) -> str:
    return str(box.raw.get(kind, {}).get(resource))


def _pod_sets(pod: PodResources, resource: str) -> bool:
    return any(isinstance(pod.pod_level.get(k), dict) and resource in pod.pod_level[k]
               for k in ("requests", "limits"))


def _app(pod: PodResources) -> list[Box]:
    """Containers that run beside the app: regular ones and restartable sidecars."""
    return [b for b in pod.boxes if not b.init]


def _best_effort(boxes: list[Box], pod_level: JSON, limits: Limits) -> bool:
    if not boxes or any(isinstance(pod_level.get(k), dict) for k in ("requests", "limits")):
        return False
    if any(r in limits.default or r in limits.default_request for r in ("cpu", "memory")):
        return False
    return not any(b.sets(r) for b in boxes for r in ("cpu", "memory"))


@check("resource-best-effort", workloads=True, needs_graph=True)
def resource_best_effort(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    pod = pod_resources(ctx, obj)
    if pod is None:
        return
    if pod.best_effort:
        first = pod.boxes[0]
        yield pod.workload.finding(
            first.path,
            _("no container requests or limits CPU or memory, so the pods are BestEffort: the scheduler "
              "reserves nothing for them, and the kubelet evicts them first when the node runs short of "
              "memory"))


@check("resource-memory-unset", workloads=True, needs_graph=True)
def resource_memory_unset(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    pod = pod_resources(ctx, obj)
    if pod is None:
        return
    limits = pod.limits
    if pod.best_effort or _pod_sets(pod, "memory"):
        return
    if "memory" in limits.default or "memory" in limits.default_request:
        return
    for box in _app(pod):
        if not box.sets("memory"):
            yield pod.workload.finding(
                _resources_path(box),
                _("container {box_name} has no memory request and no memory limit: the scheduler counts "
                  "it as using no memory, it can grow until the node runs out, and then it is among the "
                  "first killed or evicted").format(box_name=box.name))


def _resources_path(box: Box) -> Path:
    return box.path + ("resources",) if "resources" in box.container else box.path


@check("resource-unset", workloads=True, needs_graph=True)
def resource_unset(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    pod = pod_resources(ctx, obj)
    if pod is None:
        return
    limits = pod.limits
    if pod.best_effort:
        return
    for box in _app(pod):
        if (not box.sets("cpu") and not _pod_sets(pod, "cpu")
                and "cpu" not in limits.default_request):
            yield pod.workload.finding(
                _resources_path(box),
                _("container {box_name} has no CPU request: the scheduler reserves no CPU for it, so "
                  "under contention it gets only the minimum share").format(box_name=box.name))
        if ("memory" in box.requests and not box.sets("memory", ("limits",))
                and not _pod_sets(pod, "memory") and "memory" not in limits.default):
            yield pod.workload.finding(
                box.path + ("resources", "requests", "memory"),
                _("container {box_name} requests {box} memory with no limit: it may use more until the "
                  "node runs short, and is then evicted before pods that stay within their requests").format(box_name=box.name, box=_raw(box, 'requests', 'memory')))
        if "ephemeral-storage" in box.requests and not box.sets("ephemeral-storage", ("limits",)) \
                and "ephemeral-storage" not in limits.default:
            yield pod.workload.finding(
                box.path + ("resources", "requests", "ephemeral-storage"),
                _("container {box_name} requests ephemeral-storage with no limit: its logs and writable "
                  "layer can fill the node's disk until the kubelet evicts pods").format(box_name=box.name))


@check("resource-cpu-limit-unset", workloads=True, needs_graph=True)
def resource_cpu_limit_unset(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    pod = pod_resources(ctx, obj)
    if pod is None:
        return
    limits = pod.limits
    if _pod_sets(pod, "cpu") or "cpu" in limits.default:
        return
    for box in _app(pod):
        if "cpu" in box.requests and not box.sets("cpu", ("limits",)):
            yield pod.workload.finding(
                box.path + ("resources", "requests", "cpu"),
                _("container {box_name} requests {box} CPU with no limit: it may use idle CPU of the "
                  "node (a choice: a limit throttles it even when the node is idle)").format(box_name=box.name, box=_raw(box, 'requests', 'cpu')))


# --- namespace policy objects ------------------------------------------------------------

def _quotas(graph: Graph) -> dict[str | None, list[Object]]:
    """ResourceQuotas that limit cpu or memory, by namespace."""
    by_ns: dict[str | None, list[Object]] = {}
    for quota in graph.of_kind("ResourceQuota"):
        if _quota_keys(quota):
            by_ns.setdefault(quota.namespace, []).append(quota)
    return by_ns


def binds(graph: Graph, policy: Object, workload: Object) -> bool:
    """Whether a namespace's policy object (LimitRange, ResourceQuota) is known to reach the
    workload: it is of the workload's apply unit, or both name their namespace. An object
    without metadata.namespace is created in the namespace its own apply gives (-n, the
    context; https://kubernetes.io/docs/reference/kubectl/generated/kubectl_apply/), so such
    objects of two units (tektoncd/pipeline's examples/v1/taskruns/no-ci/limitrange.yaml and
    a vendored Pod) need not meet."""
    if not graph.several_units or policy.unit is workload.unit:
        return True
    return all(isinstance(o.get("metadata", "namespace"), str) for o in (policy, workload))


@check("resource-quota-unsatisfied", workloads=True, needs_graph=True)
def resource_quota_unsatisfied(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    quotas = [q for q in ctx.index(_quotas).get(obj.namespace, []) if binds(ctx.graph, q, obj)]
    pod = pod_resources(ctx, obj) if quotas else None
    if pod is None:
        return
    for quota in quotas:
        if not _in_scope(quota, pod) or not pod.boxes:
            continue
        if pod.pod_level:       # pod-level resources satisfy the quota (1.34+)
            continue
        limits = pod.limits
        missing: dict[str, list[str]] = {}
        first: Box | None = None
        for box in pod.boxes:
            req, lim = effective(box, limits)
            for key in _quota_keys(quota):
                kind, resource = QUOTA_KEYS[key]
                if resource not in (req if kind == "requests" else lim):
                    missing.setdefault(f"{kind}.{resource}", []).append(box.name)
                    first = first or box
        if missing and first is not None:
            hit = _quota_hit(pod, quota, missing, first)
            graph = ctx.graph
            yield hit if not graph.several_units or quota.unit is obj.unit else elsewhere(hit, quota)


def _quota_hit(pod: PodResources, quota: Object, missing: dict[str, list[str]], first: Box) -> Hit:
    """The finding for the containers that leave a quota's resources unspecified."""
    what = "; ".join(_("{k} for {v}").format(k=k, v=', '.join(dict.fromkeys(v))) for k, v in sorted(missing.items()))
    return pod.workload.finding(
        _resources_path(first),
        _("ResourceQuota '{quota_name}' in namespace '{quota_namespace}' limits {quota}, so "
          "every container must specify them and no LimitRange in the namespace provides a "
          "default: must specify {what}; {kind}").format(quota_name=quota.name, quota_namespace=quota.namespace, quota=', '.join(_quota_keys(quota)), what=what, kind=admission_effect(pod.workload.kind)))


def _quota_keys(quota: Object) -> list[str]:
    hard = quota.get("spec", "hard")
    return [k for k in hard if k in QUOTA_KEYS] if isinstance(hard, dict) else []


def _in_scope(quota: Object, pod: PodResources) -> bool:
    """Quota scopes (pkg/quota/v1/evaluator/core/pods.go podMatchesScopeFunc); a quota with
    a scopeSelector or another scope is left out rather than guessed."""
    if quota.get("spec", "scopeSelector") is not None:
        return False
    scopes = quota.get("spec", "scopes")
    if not isinstance(scopes, list):
        return True
    for scope in scopes:
        deadline = as_int(pod.spec.get("activeDeadlineSeconds"))
        terminating = deadline is not None and deadline >= 0
        best_effort = not any(b.sets(r) for b in pod.boxes for r in ("cpu", "memory"))
        if scope == "Terminating" and not terminating or scope == "NotTerminating" and terminating:
            return False
        if scope == "NotBestEffort" and best_effort or scope == "BestEffort" and not best_effort:
            return False
        if scope not in ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort"):
            return False
    return True


@check("resource-limit-range-violated", workloads=True, needs_graph=True)
def resource_limit_range_violated(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    pod = pod_resources(ctx, obj) if ctx.graph.of_kind("LimitRange") else None
    if pod is None:
        return
    limits = pod.limits
    if not (limits.min or limits.max or limits.ratio):
        return
    effect = admission_effect(pod.workload.kind)
    graph = ctx.graph
    for hit, lr in _limit_range_hits(pod, limits, effect):
        if binds(graph, lr, obj):
            yield hit if not graph.several_units or lr.unit is obj.unit else elsewhere(hit, lr)


def elsewhere(hit: Hit, policy: Object) -> Hit:
    """A policy object of another apply unit binds only if both units reach one cluster
    (apply units: another unit's object never raises a conflict; kyverno's chainsaw tests
    each create and delete their own LimitRange in `default`): a warning that says so."""
    hit.message = _("{message} - if both are applied to one cluster ({kind} {name} is of another apply "
                    "unit: {file})").format(message=hit.message, kind=policy.kind, name=policy.name,
                                            file=policy.file)
    hit.severity = Severity.WARNING
    return hit


def _limit_range_hits(pod: PodResources, limits: Limits, effect: str) -> Iterator[tuple[Hit, Object]]:
    """(finding, LimitRange) for each bound a container breaks."""
    for box in pod.boxes:
        req, lim = effective(box, limits)
        for resource, (bound, lr, where) in limits.min.items():
            low = req.get(resource)
            if low is not None and low < bound:
                yield _lr_hit(pod, box, "requests", resource,
                              _("request {box} is below the minimum {value}").format(box=_shown(box, 'requests', resource, low), value=lr.get(*where)), lr, effect), lr
            elif lim.get(resource) is not None and lim[resource] < bound:
                yield _lr_hit(pod, box, "limits", resource,
                              _("limit {box} is below the minimum {value}").format(box=_shown(box, 'limits', resource, lim[resource]), value=lr.get(*where)), lr, effect), lr
        for resource, (bound, lr, where) in limits.max.items():
            high = lim.get(resource)
            if high is not None and high > bound:
                yield _lr_hit(pod, box, "limits", resource,
                              _("limit {box} is above the maximum {value}").format(box=_shown(box, 'limits', resource, high), value=lr.get(*where)), lr, effect), lr
            elif req.get(resource) is not None and req[resource] > bound:
                yield _lr_hit(pod, box, "requests", resource,
                              _("request {box} is above the maximum {value}").format(box=_shown(box, 'requests', resource, req[resource]), value=lr.get(*where)), lr, effect), lr
        for resource, (bound, lr, where) in limits.ratio.items():
            low, high = req.get(resource), lim.get(resource)
            if low and high and high / low > bound:
                yield _lr_hit(pod, box, "limits", resource,
                              _("limit/request ratio {value:g} is above the maximum {value2}").format(value=float(high / low), value2=lr.get(*where)), lr, effect), lr


def _shown(box: Box, kind: str, resource: str, value: Fraction) -> str:
    raw = box.raw.get(kind, {}).get(resource)
    return str(raw) if raw is not None else _("{value} (a LimitRange default)").format(value=_fmt(value))


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _lr_hit(pod: PodResources, box: Box, kind: str, resource: str, what: str, lr: Object,
            effect: str) -> Hit:
    path = box.path + ("resources", kind, resource)
    if resource not in box.raw.get(kind, {}):
        path = _resources_path(box)
    return pod.workload.finding(
        path, _("container {box_name}: {resource} {what} of LimitRange '{lr_name}' in namespace "
                "'{lr_namespace}', so LimitRanger refuses the pods: {effect}").format(box_name=box.name, resource=resource, what=what, lr_name=lr.name, lr_namespace=lr.namespace, effect=effect))
