"""Availability: will a workload stay up through node drains, rollouts, node loss and load?

Disruption budgets (the arithmetic is k8s/pdb.py, shared with `explain --scenario drain`),
autoscalers, replica counts, spreading, ports shared inside a pod and data that dies with
its pod. Sources are named per rule (rules/<id>.yaml `sources`) and in the comments below.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..engine import CheckContext, check
from ..globs import path_matches
from ..graph import Graph, Object, PodTemplate, controller_label_values, pod_labels
from ..i18n import _
from ..k8s import pdb as budgets
from ..k8s.kinds import RUN_TO_COMPLETION_KINDS
from ..k8s.rollout import fenceposts, scaled
from ..k8s.stateful_images import (
    DATA_DIR_ANNOTATION,
    NOT_STATEFUL,
    StatefulImage,
    covers,
    find_image,
    flag_value,
    postgres_dirs,
    redis_persistence_in_args,
    redis_persistence_in_config,
)
from ..model import Hit, Path, Severity
from ..selector import Selector, from_label_selector
from .controller import hpa_target, hpas_by_target, replica_range
from .resources import boxes, limits_in
from .selector import applied, replaced

JSON = dict[str, Any]
_APPS = ("apps", "extensions")
# Per-pod labels the StatefulSet controller adds: a selector on them picks single pods, so
# which budgets share a pod cannot be told from workloads alone.
_PER_POD_LABELS = ("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dict(value: Any) -> JSON:
    return value if isinstance(value, dict) else {}


def _plural(count: int, word: str) -> str:
    return _("{count} {word}{value}").format(count=count, word=word, value='' if count == 1 else 's')


def _served(workload: Object) -> bool:
    """Long-running pods a budget can protect (Jobs finish; a PodTemplate runs nothing)."""
    return workload.kind not in RUN_TO_COMPLETION_KINDS and workload.kind != "PodTemplate" \
        and not (workload.kind == "Pod" and workload.get("spec", "restartPolicy") in ("Never", "OnFailure"))


def budgets_by_workload(graph: Graph) -> dict[Object, list[Object]]:
    """PodDisruptionBudgets by the workloads whose pods they select (input order; the
    graph's selection, so within one apply unit)."""
    index: dict[Object, list[Object]] = defaultdict(list)
    for budget in graph.of_kind("PodDisruptionBudget"):
        if _rejected(budget):
            continue
        for workload in graph.selected_by(budget):
            if _served(workload):
                index[workload].append(budget)
    return index


def _rejected(budget: Object) -> bool:
    """The API server rejects the budget (pdb-budget-invalid): it never exists."""
    return bool(budgets.spec_errors(_dict(budget.get("spec"))))


def _per_pod(selector: Selector | None) -> bool:
    return selector is not None and any(key in str(selector) for key in _PER_POD_LABELS)


# --- PodDisruptionBudget ---------------------------------------------------------------------
@check("pdb-budget-invalid", kinds=("PodDisruptionBudget",))
def pdb_budget_invalid(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    spec = _dict(pdb.get("spec"))
    for field, reason in budgets.spec_errors(spec):
        if field is None:
            yield pdb.finding(("spec", "maxUnavailable"), _("PodDisruptionBudget {pdb_name} sets both "
                                                            "minAvailable {minAvailable} and "
                                                            "maxUnavailable {maxUnavailable}: the API "
                                                            "server rejects it (minAvailable and "
                                                            "maxUnavailable cannot be both set); keep "
                                                            "one of them").format(pdb_name=pdb.name, minAvailable=spec['minAvailable'], maxUnavailable=spec['maxUnavailable']))
        else:
            yield pdb.finding(("spec", field), _("{field} {spec}: the API server rejects the "
                                                 "PodDisruptionBudget ({reason}); use an integer such as "
                                                 "1 or a percentage from 0% to 100% such as \"50%\"").format(field=field, spec=json.dumps(spec[field]), reason=reason), at="value")


@check("pdb-multiple-budgets", kinds=("PodDisruptionBudget",), needs_graph=True)
def pdb_multiple_budgets(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    graph = ctx.graph
    if _per_pod(graph.selector_of(pdb)) or _rejected(pdb) or replaced(graph, pdb):
        return
    index = ctx.index(budgets_by_workload)
    for workload in applied(graph, graph.selected_by(pdb)):
        earlier = [b for b in index.get(workload, ()) if b.order < pdb.order and b.identity != pdb.identity
                   and not replaced(graph, b) and not _per_pod(graph.selector_of(b))]
        if not earlier:
            continue
        # pkg/registry/core/pod/storage/eviction.go Create: len(pdbs) > 1 -> a 500 Status.
        yield pdb.finding(("spec", "selector"), _("PodDisruptionBudget {pdb_name} and "
                                                  "PodDisruptionBudget {name} both select the pods of "
                                                  "{workload_kind} {workload_name}: the eviction API "
                                                  "refuses every eviction of them with an error (500: "
                                                  "{MULTIPLE_MESSAGE}), so kubectl drain fails on their "
                                                  "nodes; keep one budget per workload (merge them or "
                                                  "narrow the selectors)").format(pdb_name=pdb.name, name=earlier[0].name, workload_kind=workload.kind, workload_name=workload.name, MULTIPLE_MESSAGE=budgets.MULTIPLE_MESSAGE))
        return


def _may_stay_unready(workload: Object) -> str | None:
    """The probe that can keep a Running pod of the workload not Ready, if any."""
    template = workload.pod_template
    if template is None:
        return None
    for container, *__ in template.containers(("initContainers", "containers")):
        for probe in ("readinessProbe", "startupProbe"):
            if isinstance(container.get(probe), dict):
                return _("{probe} of container {value}").format(probe=probe, value=container.get('name'))
    return None


@check("pdb-unhealthy-eviction-policy", kinds=("PodDisruptionBudget",), needs_graph=True)
def pdb_unhealthy_eviction_policy(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    # The field is beta and on by default from 1.27 (PDBUnhealthyPodEvictionPolicy), GA 1.31.
    spec = _dict(pdb.get("spec"))
    if ctx.kubernetes_version < (1, 27) or "unhealthyPodEvictionPolicy" in spec \
            or pdb.api_version != "policy/v1" or _rejected(pdb):
        return
    for workload in ctx.graph.selected_by(pdb):
        if not _served(workload):
            continue
        probe = _may_stay_unready(workload)
        if probe is None:
            continue
        yield pdb.finding(("spec",), _("PodDisruptionBudget {pdb_name} sets no "
                                       "unhealthyPodEvictionPolicy: with the default IfHealthyBudget, "
                                       "Running pods of {workload_kind} {workload_name} that are not "
                                       "Ready (the {probe} failing, a crash loop) can only be evicted "
                                       "while the budget has all its healthy pods, so a broken rollout "
                                       "also blocks node drains; unhealthyPodEvictionPolicy: AlwaysAllow "
                                       "lets drains evict pods that are not Ready").format(pdb_name=pdb.name, workload_kind=workload.kind, workload_name=workload.name, probe=probe))
        return


@check("pdb-missing", kinds=("Deployment", "StatefulSet"), needs_graph=True)
def pdb_missing(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.group not in _APPS or not obj.has_pod_template:
        return
    hpas = ctx.index(hpas_by_target)
    replicas = _int(obj.get("spec", "replicas"))
    bounds = replica_range(obj, hpas)
    scaler = bounds[2] if bounds else None
    if scaler is not None:
        if bounds is not None and bounds[1] < 2:
            return
        count = _("{bounds} to {bounds2} replicas (HorizontalPodAutoscaler {scaler_name})").format(bounds=bounds[0], bounds2=bounds[1], scaler_name=scaler.name) if bounds else ""
    elif replicas is not None:
        if replicas < 2:
            return
        count = _plural(replicas, "replica")
    else:
        count = (_("replicas unset: 1 pod unless an overlay or an autoscaler sets more; a budget only "
                   "helps with 2 or more"))
    if ctx.index(budgets_by_workload).get(obj):
        return
    yield obj.finding(("kind",), _("no PodDisruptionBudget selects the pods of {kind} {name} ({count}): "
                                   "evictions do not wait for replacements to be Ready, so draining a "
                                   "node that runs several of them, or nodes one after another "
                                   "(upgrades, autoscaler scale-down), can take them all down; add a "
                                   "PodDisruptionBudget with maxUnavailable: 1").format(kind=obj.kind, name=obj.name, count=count), at="value")


# --- HorizontalPodAutoscaler -----------------------------------------------------------------
def _hpa_bounds(hpa: Object) -> tuple[int, int] | None:
    high = _int(hpa.get("spec", "maxReplicas"))
    low = _int(hpa.get("spec", "minReplicas", default=1))      # SetDefaults: minReplicas 1
    return (low, high) if high is not None and low is not None else None


@check("hpa-no-scaling", kinds=("HorizontalPodAutoscaler",))
def hpa_no_scaling(ctx: CheckContext, hpa: Object) -> Iterator[Hit]:
    bounds = _hpa_bounds(hpa)
    if bounds is None or bounds[0] != bounds[1]:
        return
    count = bounds[0]
    given = (_("minReplicas and maxReplicas are both {count}").format(count=count) if "minReplicas" in _dict(hpa.get("spec"))
             else _("maxReplicas {count} equals minReplicas (unset, so {count})").format(count=count))
    yield hpa.finding(("spec", "maxReplicas"), _("{given}: the autoscaler never changes the replica "
                                                 "count, it only holds it at {count}; raise maxReplicas "
                                                 "above {count} to let it scale, or remove the "
                                                 "HorizontalPodAutoscaler and set replicas: {count}").format(given=given, count=count), at="value")


@check("hpa-min-replicas-one", kinds=("HorizontalPodAutoscaler",), needs_graph=True)
def hpa_min_replicas_one(ctx: CheckContext, hpa: Object) -> Iterator[Hit]:
    bounds = _hpa_bounds(hpa)
    if bounds is None or bounds[0] != 1 or bounds[1] <= 1:
        return
    target = hpa_target(ctx.graph, hpa)
    given = "spec" in hpa.data and "minReplicas" in _dict(hpa.get("spec"))
    if target is None:
        yield from _min_one_unknown_target(hpa, given)
        return
    services = ctx.graph.services_in_front(target)
    if not services:
        return                          # a worker without a Service may live with one pod
    events = (_("a node drain, node loss, crash or rollout (a StatefulSet deletes its pod before "
                "recreating it)") if target is not None and target.kind == "StatefulSet"
              else _("a node drain, node loss or crash"))
    yield hpa.finding(("spec", "minReplicas") if given else ("spec",),
                      _("minReplicas {value}: at low load the autoscaler scales {value2} {value3} down "
                        "to one pod, so Service {name} has no endpoint during {events} until a "
                        "replacement is Ready; set minReplicas: 2").format(value='1' if given else _('unset (defaults to 1)'), value2=target.kind if target else '', value3=target.name if target else '', name=services[0].name, events=events),
                      at="value" if given else "key")


def _min_one_unknown_target(hpa: Object, given: bool) -> Iterator[Hit]:
    """The target is not in the input: whether a Service sends it traffic is unknown (info)."""
    ref = _dict(_dict(hpa.get("spec")).get("scaleTargetRef"))
    what = f"{ref.get('kind')} {ref.get('name')}" if ref.get("kind") and ref.get("name") else _("its target")
    yield hpa.finding(("spec", "minReplicas") if given else ("spec",),
                      _("minReplicas {value}: at low load the autoscaler scales {what} (not in the input) "
                        "down to one pod; if a Service sends it traffic, a node drain, node loss or crash "
                        "leaves no endpoint until a replacement is Ready; set minReplicas: 2 unless one pod "
                        "may be down").format(value="1" if given else _("unset (defaults to 1)"), what=what),
                      at="value" if given else "key", severity=Severity.INFO)


_METRIC_KEYS = {"Resource": "resource", "ContainerResource": "containerResource"}


def _utilization_metrics(hpa: Object) -> Iterator[tuple[Path, str, str | None]]:
    """(path, resource, container or None) of each Utilization target on a resource."""
    spec = _dict(hpa.get("spec"))
    if hpa.api_version == "autoscaling/v1":
        if _int(spec.get("targetCPUUtilizationPercentage")) is not None:
            yield ("spec", "targetCPUUtilizationPercentage"), "cpu", None
        return
    metrics = spec.get("metrics")
    for i, metric in enumerate(metrics if isinstance(metrics, list) else ()):
        if not isinstance(metric, dict):
            continue
        key = _METRIC_KEYS.get(str(metric.get("type")))
        source = _dict(metric.get(key)) if key else {}
        name = source.get("name")
        target = _dict(source.get("target"))
        # autoscaling/v2 (and v2beta2): target.type Utilization; v2beta1: targetAverageUtilization.
        utilization = target.get("type") == "Utilization" or "targetAverageUtilization" in source
        if isinstance(name, str) and utilization and key is not None:
            container = source.get("container") if key == "containerResource" else None
            yield ("spec", "metrics", i, key, "name"), name, container if isinstance(container, str) else None


@check("hpa-utilization-no-request", kinds=("HorizontalPodAutoscaler",), needs_graph=True)
def hpa_utilization_no_request(ctx: CheckContext, hpa: Object) -> Iterator[Hit]:
    wanted = list(_utilization_metrics(hpa))
    target = hpa_target(ctx.graph, hpa) if wanted else None
    template = target.pod_template if target is not None else None
    if target is None or template is None:
        return
    pod_level = _dict(_dict(template.spec.get("resources")).get("requests"))
    pod_limits = _dict(_dict(template.spec.get("resources")).get("limits"))
    defaults = limits_in(ctx.graph, target.namespace).default_request
    metrics = _dict(hpa.get("spec")).get("metrics")
    count = len(metrics) if isinstance(metrics, list) and hpa.api_version != "autoscaling/v1" else 1
    for path, resource, only in wanted:
        # Pod-level resources (beta and on by default from 1.34) replace the container sum.
        if ctx.kubernetes_version >= (1, 34) and (resource in pod_level or resource in pod_limits):
            continue
        if resource in defaults:
            continue                          # the namespace's LimitRange fills the request in
        # calculatePodRequests: regular containers and restartable init containers (sidecars);
        # a limit alone is also the request (API defaulting).
        missing = [box.name for box in boxes(target) if not box.init
                   and (only is None or box.container.get("name") == only)
                   and not box.sets(resource)]
        if not missing:
            continue
        effect = (_("it does not scale at all (ScalingActive False, FailedGetResourceMetric)") if count <= 1
                  else _("it still scales up on the other metric") + ("s" if count > 2 else "") + _(" but never down"))
        yield hpa.finding(path, _("HorizontalPodAutoscaler {hpa_name} targets {resource} utilization but "
                                  "container {missing} of {target_kind} {target_name} requests no "
                                  "{resource}: the autoscaler cannot compute it (missing request for "
                                  "{resource} in container {value}) and {effect}; set "
                                  "resources.requests.{resource} on {value2}").format(hpa_name=hpa.name, resource=resource, missing=missing[0], target_kind=target.kind, target_name=target.name, value=missing[0].strip(chr(39)), effect=effect, value2=_('every container') if len(missing) > 1 else _('that container')),
                          at="value")


# --- replicas and spreading ------------------------------------------------------------------
def _rollout_text(obj: Object) -> str | None:
    """What a rollout does to a one-replica Deployment or StatefulSet; None when it takes it
    down in a way single-replica-rollout-outage reports (a RollingUpdate Deployment)."""
    if obj.kind == "StatefulSet":
        strategy = _dict(obj.get("spec", "updateStrategy")).get("type", "RollingUpdate")
        if strategy == "OnDelete":
            return _("it is replaced only when its pod is deleted, which takes it down")
        return _("every rollout takes it down too (RollingUpdate deletes the pod before creating its "
                 "replacement)")
    strategy = _dict(obj.get("spec", "strategy"))
    if strategy.get("type", "RollingUpdate") == "Recreate":
        return _("every rollout takes it down too (Recreate stops the old pod first)")
    rolling = _dict(strategy.get("rollingUpdate"))
    fence = fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), 1)
    if fence is None or fence.max_unavailable >= 1:
        return None
    return (_("a rolling update starts the new pod first (maxSurge {value} rounds up to {max_surge}, "
              "maxUnavailable {value2} down to 0), so rollouts keep it up").format(value=rolling.get('maxSurge', '25%'), max_surge=fence.max_surge, value2=rolling.get('maxUnavailable', '25%')))


@check("single-replica", kinds=("Deployment", "StatefulSet"), needs_graph=True)
def single_replica(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    replicas = obj.get("spec", "replicas", default=1)
    if obj.group not in _APPS or not obj.has_pod_template or replicas != 1 \
            or obj in ctx.index(hpas_by_target):
        return
    services = ctx.graph.services_in_front(obj)
    pdbs = ctx.index(budgets_by_workload).get(obj, [])
    if not services and not pdbs:
        return
    rollout = _rollout_text(obj)
    if rollout is None and services:
        return                                # single-replica-rollout-outage says it
    behind = _("behind Service {name}").format(name=services[0].name) if services else _("guarded by PodDisruptionBudget {name}").format(name=pdbs[0].name)
    parts = [_("{kind} {name} runs 1 replica{value} {behind}: a node drain, node loss or crash leaves it "
               "with no pod until a replacement is Ready").format(kind=obj.kind, name=obj.name, value=_(' (the default)') if 'replicas' not in _dict(obj.get('spec')) else '', behind=behind)]
    if rollout:
        parts.append(rollout)
    if pdbs:
        spec = _dict(pdbs[0].get("spec"))
        allowed = budgets.allowed_when_ready(spec, 1)
        if allowed == 0:
            parts.append(_("PodDisruptionBudget {name} allows no eviction of its only pod, so drains of "
                           "its node wait until they time out").format(name=pdbs[0].name))
        elif allowed is not None:
            parts.append(_("PodDisruptionBudget {name} still lets a drain evict it").format(name=pdbs[0].name))
    severity = None
    patterns = ctx.option("single-replica", "warning-paths", []) or []
    if any(path_matches(obj.file, str(p)) for p in patterns):
        severity = Severity.WARNING
    path = ("spec", "replicas") if "replicas" in _dict(obj.get("spec")) else ("spec",)
    yield obj.finding(path, "; ".join(parts) + _("; run 2 or more replicas"), severity=severity,
                      at="value" if path[-1] == "replicas" else "key")


def _replica_count(ctx: CheckContext, obj: Object) -> tuple[int, str] | None:
    bounds = replica_range(obj, ctx.index(hpas_by_target))
    if bounds is None:
        return None
    if bounds[2] is not None:
        return bounds[1], _("up to {bounds} replicas (HorizontalPodAutoscaler {name})").format(bounds=bounds[1], name=bounds[2].name)
    return bounds[1], _plural(bounds[1], "replica")


@check("topology-spread-default", kinds=("Deployment", "StatefulSet", "ReplicaSet"), needs_graph=True)
def topology_spread_default(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.pod_template
    if template is None or obj.group not in _APPS:
        return
    spec = template.spec
    if spec.get("topologySpreadConstraints") or _dict(spec.get("affinity")).get("podAntiAffinity"):
        return
    found = _replica_count(ctx, obj)
    if found is None or found[0] < 2:
        return
    # pkg/scheduler/framework/plugins/podtopologyspread/plugin.go systemDefaultConstraints.
    yield obj.finding(template.spec_path, _("{kind} {name} runs {found} with no "
                                            "topologySpreadConstraints and no pod anti-affinity: the "
                                            "scheduler's default spreading is best effort "
                                            "(ScheduleAnyway, maxSkew 3 per node and 5 per zone), so "
                                            "several replicas can land on one node and go down with it; "
                                            "add topologySpreadConstraints on kubernetes.io/hostname "
                                            "(and topology.kubernetes.io/zone)").format(kind=obj.kind, name=obj.name, found=found[1]))


# Labels the kubelet or the cloud provider puts on every node
# (https://kubernetes.io/docs/reference/labels-annotations-taints/).
NODE_LABELS = frozenset({
    "kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
    "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch",
})


@check("topology-spread-ineffective", workloads=True)
def topology_spread_ineffective(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.pod_template
    if template is None:
        return
    constraints = template.spec.get("topologySpreadConstraints")
    if not isinstance(constraints, list) or obj.kind == "PodTemplate":
        return
    extra = {str(k) for k in ctx.option("topology-spread-ineffective", "topology-keys", []) or []}
    labels, tests = pod_labels(obj), controller_label_values(obj)
    for i, constraint in enumerate(constraints):
        if not isinstance(constraint, dict):
            continue
        base = template.spec_path + ("topologySpreadConstraints", i)
        hard = constraint.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
        yield from _spread_selector(obj, base, constraint, labels, tests)
        key = constraint.get("topologyKey")
        if isinstance(key, str) and key and key not in NODE_LABELS and key not in extra:
            effect = (_("with whenUnsatisfiable DoNotSchedule, pods stay Pending on every node without "
                        "it (node(s) didn't match pod topology spread constraints (missing required "
                        "label))")
                      if hard else _("the constraint only spreads over nodes that carry it"))
            yield obj.finding(base + ("topologyKey",), _("topologyKey {key} is not a label Kubernetes "
                                                         "puts on nodes (kubernetes.io/hostname, "
                                                         "topology.kubernetes.io/zone, "
                                                         "topology.kubernetes.io/region): {effect}; use "
                                                         "one of those, or list your own node label in "
                                                         "the rule option topology-keys").format(key=key, effect=effect), at="value")


def _spread_selector(obj: Object, base: Path, constraint: JSON, labels: dict[str, str],
                     tests: Any) -> Iterator[Hit]:
    raw = constraint.get("labelSelector")
    if raw is None:
        if not constraint.get("matchLabelKeys"):
            yield obj.finding(base, _("topologySpreadConstraint without labelSelector: the scheduler "
                                      "counts no pods for it, so it spreads nothing; set labelSelector "
                                      "to the pod's own labels"))
        return
    selector = from_label_selector(raw)
    if selector is None or selector.matches(labels, tests):
        return
    shown = ", ".join(f"{k}: {v}" for k, v in labels.items()) or "none"
    yield obj.finding(base + ("labelSelector",), _("labelSelector {selector} does not match the pod's "
                                                   "own labels ({shown}): the scheduler counts other "
                                                   "pods, not these replicas, so the constraint does not "
                                                   "spread them; select the labels of this pod template").format(selector=selector, shown=shown))


@check("rolling-update-all-unavailable", kinds=("Deployment",))
def rolling_update_all_unavailable(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    strategy = _dict(obj.get("spec", "strategy"))
    rolling = _dict(strategy.get("rollingUpdate"))
    unavailable = rolling.get("maxUnavailable")
    if obj.group not in _APPS or strategy.get("type", "RollingUpdate") != "RollingUpdate" or unavailable is None:
        return
    replicas = _int(obj.get("spec", "replicas"))
    if replicas is None and unavailable == "100%":
        shown = _("every replica")
    elif replicas is not None and replicas >= 2:
        resolved = scaled(unavailable, replicas, round_up=False)    # ResolveFenceposts rounds down
        if resolved is None or resolved < replicas:
            return
        shown = _("{resolved} of {replicas} replicas").format(resolved=resolved, replicas=replicas)
    else:
        return
    yield obj.finding(("spec", "strategy", "rollingUpdate", "maxUnavailable"), _("maxUnavailable {unavailable} lets a "
                                                                                 "rollout stop {shown} at once (0 must "
                                                                                 "stay available): the old pods go down "
                                                                                 "as soon as it starts and nothing serves "
                                                                                 "until new pods are Ready; use the "
                                                                                 "default 25%, or a number below the "
                                                                                 "replica count").format(unavailable=unavailable, shown=shown),
                      at="value")


@check("progress-deadline-invalid", kinds=("Deployment",))
def progress_deadline_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.api_version != "apps/v1":
        return                                # older versions default the deadline to "never"
    spec = _dict(obj.get("spec"))
    deadline = _int(spec.get("progressDeadlineSeconds", 600))      # SetDefaults_Deployment
    ready = _int(spec.get("minReadySeconds", 0))
    if deadline is None or ready is None or deadline > ready:
        return
    given = "progressDeadlineSeconds" in spec
    where = ("spec", "progressDeadlineSeconds") if given else ("spec", "minReadySeconds")
    yield obj.finding(where, _("progressDeadlineSeconds {deadline}{value} is not greater than "
                               "minReadySeconds {ready}: the API server rejects the Deployment (must be "
                               "greater than minReadySeconds), since a rollout would count as stalled "
                               "before any new pod could become available; set progressDeadlineSeconds "
                               "above {ready}").format(deadline=deadline, value='' if given else _(' (the default)'), ready=ready), at="value")


# --- pods --------------------------------------------------------------------------------------
def _running_containers(template: PodTemplate | None) -> Iterator[tuple[JSON, Path]]:
    """Containers that run side by side: regular ones and restartable init containers."""
    if template is None:
        return
    for container, path, list_name in template.containers(("initContainers", "containers")):
        if list_name == "containers" or container.get("restartPolicy") == "Always":
            yield container, path


@check("container-port-conflict", workloads=True)
def container_port_conflict(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    # pkg/api/pod/warnings.go warningsForPodSpecAndMeta: the same containerPort/protocol twice
    # gets "duplicate port definition"; validation rejects only hostPort clashes.
    seen: dict[tuple[int, str], str] = {}
    for container, path in _running_containers(obj.pod_template):
        name = str(container.get("name"))
        ports = container.get("ports")
        own: set[tuple[int, str]] = set()
        for i, port in enumerate(ports if isinstance(ports, list) else ()):
            number = _int(port.get("containerPort")) if isinstance(port, dict) else None
            if number is None:
                continue
            key = (number, str(port.get("protocol") or "TCP"))
            if key in own:
                continue
            own.add(key)
            if key in seen:
                yield obj.finding(path + ("ports", i, "containerPort"), _("containers {seen} and {name} both "
                                                                          "declare containerPort {number}/{key}: "
                                                                          "containers of a pod share one network "
                                                                          "namespace, so only one of them can "
                                                                          "listen on it and the other gets "
                                                                          "'address already in use' when it binds "
                                                                          "(the API server accepts it with a "
                                                                          "warning: duplicate port definition); "
                                                                          "give one of them another port").format(seen=seen[key], name=name, number=number, key=key[1]), at="value")
            else:
                seen[key] = name


def _annotation_dir(obj: Object, container: str) -> str | None:
    template = obj.pod_template
    for found in (template.metadata.get("annotations") if template else None, obj.annotations):
        if not isinstance(found, dict):
            continue
        for key in (f"{DATA_DIR_ANNOTATION}.{container}", DATA_DIR_ANNOTATION):
            value = found.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _env(container: JSON, name: str) -> str | None:
    env = container.get("env")
    for item in env if isinstance(env, list) else ():
        if isinstance(item, dict) and item.get("name") == name and isinstance(item.get("value"), str):
            return str(item["value"])
    return None


def _words(container: JSON) -> list[str]:
    words: list[str] = []
    for field in ("command", "args"):
        value = container.get(field)
        if isinstance(value, list):
            words += [str(w) for w in value]
    return words


def _runs_server(container: JSON, entry: StatefulImage) -> bool:
    """False when the command runs something else (psql, pg_dump, redis-cli, a shell loop
    without the server): the image then serves as a client or a tool."""
    command, args = container.get("command"), container.get("args")
    if not entry.servers:
        return True
    if isinstance(command, list) and command:
        text = " ".join(str(w) for w in command + (args if isinstance(args, list) else []))
        return any(server in text for server in entry.servers)
    if isinstance(args, list) and args:
        first = str(args[0])
        # The images' entrypoints run a first argument that is not a flag as the command (the
        # redis one also takes a first argument ending in .conf as the server's config file).
        return first.startswith("-") or first.endswith(".conf") \
            or any(first.endswith(server) for server in entry.servers)
    return True


def _data_dirs(container: JSON, entry: StatefulImage, tag: str | None) -> tuple[str, ...]:
    """The data directories of a recognised container, after its environment and flags."""
    words = _words(container)
    if entry.positional_after is not None:                 # `minio server /data`
        after = [w for i, w in enumerate(words[1:], 1) if words[i - 1] == entry.positional_after]
        env_value = _env(container, entry.env[0]) if entry.env else None
        dirs: list[str] = after[:1] or ([env_value] if env_value else [])
    else:
        dirs = list(postgres_dirs(tag) if entry.name == "PostgreSQL" else entry.data_dirs)
        for i, var in enumerate(entry.env):
            value = _env(container, var)
            if value and entry.name == "PostgreSQL":
                dirs = [value]
            elif value and i < len(dirs):
                dirs[i] = value
        for flag in entry.flags:
            value = flag_value(words, flag)
            if value:
                dirs[0:1] = [value]
        if entry.name == "etcd" and not flag_value(words, "--data-dir") and not _env(container, "ETCD_DATA_DIR"):
            # etcd's default --data-dir is `${name}.etcd` in its working directory.
            name = flag_value(words, "--name") or _env(container, "ETCD_NAME") or "default"
            dirs = [_("{value}/{name}.etcd").format(value=str(container.get('workingDir') or '').rstrip('/'), name=name)]
    split = [part.strip() for d in dirs for part in d.split(",")]      # KAFKA_LOG_DIRS=a,b
    return tuple(d for d in split if d.startswith("/") and "{" not in d)


def _redis_persists(ctx: CheckContext, obj: Object, container: JSON) -> bool:
    words = _words(container)
    if redis_persistence_in_args(words):
        return True
    if not any(w.endswith(".conf") for w in words):
        return False
    # A redis.conf from a mounted ConfigMap: look at its text.
    template = obj.pod_template
    volumes = template.spec.get("volumes") if template else None
    for volume in volumes if isinstance(volumes, list) else ():
        source = _dict(_dict(volume).get("configMap"))
        name = source.get("name")
        if not isinstance(name, str):
            continue
        for config in ctx.graph.named("ConfigMap", obj.namespace, name):
            data = _dict(config.get("data"))
            if any(isinstance(text, str) and redis_persistence_in_config(text) for text in data.values()):
                return True
    return False


def _volume_kinds(obj: Object, template: PodTemplate) -> dict[str, tuple[str, JSON]]:
    """Volume name -> (source type, source) of the pod's volumes and, for a StatefulSet, its
    volumeClaimTemplates (type `volumeClaimTemplate`)."""
    kinds: dict[str, tuple[str, JSON]] = {}
    volumes = template.spec.get("volumes")
    for volume in volumes if isinstance(volumes, list) else ():
        if not isinstance(volume, dict) or not isinstance(volume.get("name"), str):
            continue
        sources = [k for k in volume if k != "name"]
        source = sources[0] if sources else "emptyDir"          # no source: emptyDir (defaults)
        kinds[volume["name"]] = (source, _dict(volume.get(source)))
    if obj.kind == "StatefulSet":
        claims = obj.get("spec", "volumeClaimTemplates")
        for claim in claims if isinstance(claims, list) else ():
            name = _dict(_dict(claim).get("metadata")).get("name")
            if isinstance(name, str):
                kinds[name] = ("volumeClaimTemplate", {})
    return kinds


_PERSISTENT_NOT_NEEDED = ("configMap", "secret", "downwardAPI", "projected", "image")


@check("data-dies-with-pod", workloads=True, needs_graph=True)
def data_dies_with_pod(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.pod_template
    if template is None or obj.kind in RUN_TO_COMPLETION_KINDS or obj.kind == "PodTemplate":
        return
    extra = ctx.option("data-dies-with-pod", "images", {}) or {}
    volumes = _volume_kinds(obj, template)
    for container, path in _running_containers(template):
        name = str(container.get("name"))
        annotated = _annotation_dir(obj, name)
        if annotated == NOT_STATEFUL:
            continue
        image = container.get("image")
        entry, tag = find_image(image, extra) if isinstance(image, str) else (None, None)
        if annotated is not None:
            entry = StatefulImage(entry.name if entry else f"container {name}", (), (annotated,),
                                  f"annotation {DATA_DIR_ANNOTATION}")
            dirs: tuple[str, ...] = (annotated,)
        elif entry is None or not _runs_server(container, entry):
            continue
        else:
            if entry.needs_persistence and not _redis_persists(ctx, obj, container):
                continue
            dirs = _data_dirs(container, entry, tag)
        hit = _data_hit(obj, container, path, entry, dirs, volumes)
        if hit is not None:
            yield hit


def _data_hit(obj: Object, container: JSON, path: Path, entry: StatefulImage, dirs: tuple[str, ...],
              volumes: dict[str, tuple[str, JSON]]) -> Hit | None:
    if not dirs:
        return None
    listed = container.get("volumeMounts")
    mounts = [(i, m) for i, m in enumerate(listed if isinstance(listed, list) else ())
              if isinstance(m, dict) and isinstance(m.get("mountPath"), str) and isinstance(m.get("name"), str)]
    postgres_any = entry.name == "PostgreSQL" and len(dirs) == 2     # unversioned tag: either dir
    verdicts: list[tuple[str, int | None, JSON | None]] = []
    for directory in dirs:
        holders = [(i, m) for i, m in mounts if covers(m["mountPath"], directory)]
        if not holders:
            verdicts.append((directory, None, None))
            continue
        deepest = max(holders, key=lambda h: len(h[1]["mountPath"]))   # the deepest mount wins
        verdicts.append((directory, deepest[0], deepest[1]))
    if postgres_any:
        verdicts = [v for v in verdicts if v[2] is not None][:1] or verdicts[:1]
    fix = (_("add a volumeClaimTemplates entry mounted there") if obj.kind == "StatefulSet"
           else _("use a StatefulSet with volumeClaimTemplates mounted there"))
    lost = (_("lost whenever the container restarts or the pod is deleted, evicted or rescheduled (a new "
              "container starts from the image)"))
    bare = [d for d, __, m in verdicts if m is None]
    if bare:
        shown = " and ".join(bare)
        return obj.finding(path + ("image",), _("{entry_name} keeps its data in {shown} and no volume is "
                                                "mounted there: the data lives in the container's "
                                                "writable layer and is {lost}; {fix} (source: {source})").format(entry_name=entry.name, shown=shown, lost=lost, fix=fix, source=entry.source), at="value")
    for directory, index, mount in verdicts:
        if mount is None or index is None:
            continue
        kind, source = volumes.get(mount["name"], ("", {}))
        where = path + ("volumeMounts", index, "mountPath")
        if kind in ("emptyDir", "ephemeral"):
            memory = (_(" and, with medium: Memory (tmpfs), the files also count against the container's "
                        "memory limit") if kind == "emptyDir" and source.get("medium") == "Memory" else "")
            what = "emptyDir" if kind == "emptyDir" else _("generic ephemeral volume")
            return obj.finding(where, _("{entry_name} keeps its data in {directory} on {what} {name}: it "
                                        "survives container restarts but is deleted with the pod (every "
                                        "rollout, node drain, eviction or rescheduling){memory}; {fix}").format(entry_name=entry.name, directory=directory, what=what, name=mount['name'], memory=memory, fix=fix),
                               at="value")
        if kind == "hostPath":
            return obj.finding(where, _("{entry_name} keeps its data in {directory} on hostPath {value} "
                                        "of whichever node runs the pod: a pod rescheduled to another "
                                        "node starts without it; use a PersistentVolumeClaim (a "
                                        "StatefulSet with volumeClaimTemplates) unless the pod is pinned "
                                        "to its node").format(entry_name=entry.name, directory=directory, value=source.get('path', '')), at="value", severity=Severity.INFO)
    return None
