"""Controller-type fit: does each workload use the controller that suits it?

Facts: pkg/apis/{apps,batch}/v1/defaults.go (defaults), pkg/apis/{apps,batch}/validation
(validation, restartPolicy per controller), pkg/controller/deployment (rollout arithmetic).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..engine import CheckContext, check
from ..graph import Graph, Object, PodTemplate, pod_labels, service_selector
from ..i18n import N_, _
from ..k8s import pdb as budgets
from ..k8s.fields import as_int
from ..k8s.kinds import CONTROLLER_POD_LABELS, LONG_RUNNING_KINDS, split_api_version
from ..k8s.rollout import Fenceposts, fenceposts, scaled
from ..k8s.versions import Version, show
from ..lazyre import lazy_compile
from ..model import JSON, Hit, Path, Severity
from ..rules import fix_for
from ..selector import from_label_selector

# Groups whose workload kinds are the built-in ones (custom resources have their own rules).
_BUILTIN = ("", "apps", "batch", "extensions")
# Kinds whose replica count is spec.replicas, default 1 (pkg/apis/apps/v1/defaults.go).
_SCALED_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


# --- small readers -------------------------------------------------------------------
class ReplicaRange(NamedTuple):
    """How many pods a workload runs: fewest and most, and the HPA that scales it, if any."""

    fewest: int
    most: int
    autoscaler: Object | None = None


HPAs = dict[Object, list[Object]]        # HorizontalPodAutoscalers by the object they scale


def _literal_zero(value: Any) -> bool:
    """getIntOrPercentValue(v) == 0 in apps validation: 0, "0%", "00%"."""
    if as_int(value) is not None:
        return bool(value == 0)
    return isinstance(value, str) and bool(re.fullmatch(r"0+%", value))


def _builtin(obj: Object) -> bool:
    return obj.group in _BUILTIN


def hpa_target(graph: Graph, hpa: Object) -> Object | None:
    """The object an HPA's scaleTargetRef names, through the identity index when it can."""
    ref = hpa.get("spec", "scaleTargetRef")
    if not isinstance(ref, dict) or not isinstance(ref.get("kind"), str) or not isinstance(ref.get("name"), str):
        return None
    api_version = ref.get("apiVersion")
    group = split_api_version(api_version)[0] if isinstance(api_version, str) else None
    named = graph.named(ref["kind"], hpa.namespace, ref["name"])
    # The Deployment may use another group than the reference (extensions vs apps).
    named = [o for o in named if o.group == group] or named if group is not None else named
    # The HPA's own apply unit first: a base built by several kustomizations gives each
    # build its own Deployment, and only the HPA's build scales the one it holds.
    found, __ = graph.lookup(hpa, named)
    return found[0] if found else None


def hpas_by_target(graph: Graph) -> HPAs:
    """HorizontalPodAutoscalers by the object they scale (targets in the input only)."""
    index: dict[Object, list[Object]] = defaultdict(list)
    for hpa in graph.of_kind("HorizontalPodAutoscaler"):
        target = hpa_target(graph, hpa)
        if target is not None:
            index[target].append(hpa)
    return index


def replica_range(obj: Object, hpas: HPAs) -> ReplicaRange | None:
    """The pods of a workload; None when unknown."""
    for hpa in hpas.get(obj, ()):
        high = as_int(hpa.get("spec", "maxReplicas"))
        low = as_int(hpa.get("spec", "minReplicas", default=1))
        if high is not None and low is not None:
            return ReplicaRange(low, high, hpa)
        return None
    if obj.kind == "Pod":
        return ReplicaRange(1, 1)
    replicas = obj.get("spec", "replicas")
    if replicas is None and obj.kind in _SCALED_KINDS:
        return ReplicaRange(1, 1)
    count = as_int(replicas)
    return ReplicaRange(count, count) if count is not None else None


def _rolling_fenceposts(deployment: Object, replicas: int) -> Fenceposts | None:
    """(surge, unavailable) pods of a RollingUpdate Deployment (ResolveFenceposts), or
    None for Recreate and values we cannot read. Defaults 25%/25% (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment)."""
    strategy = deployment.get("spec", "strategy", default={})
    if not isinstance(strategy, dict) or strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return None
    rolling = strategy.get("rollingUpdate")
    rolling = rolling if isinstance(rolling, dict) else {}
    return fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas)


def _name(obj: Object) -> str:
    return obj.name or f"{obj.generate_name or ''}<generated>"


def _owned(obj: Object) -> bool:
    refs = obj.metadata.get("ownerReferences")
    return isinstance(refs, list) and bool(refs)


# --- 1. restartPolicy per controller -------------------------------------------------
@check("restart-policy-controller", workloads=True,
       kinds=tuple(LONG_RUNNING_KINDS) + ("Job", "CronJob"))
def restart_policy_controller(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    if not _builtin(obj) or not isinstance(obj.get(*template.spec_path), dict):
        return
    policy = template.spec.get("restartPolicy")
    path = template.spec_path + ("restartPolicy",)
    if obj.kind in LONG_RUNNING_KINDS:
        if policy in ("OnFailure", "Never"):
            yield obj.finding(path, _("restartPolicy {policy} in a {kind} pod template: the API server "
                                      "rejects it (supported: Always), because a {kind} keeps its pods "
                                      "running; for work that should finish, use a Job with "
                                      "restartPolicy {policy}, or drop the field here").format(policy=policy, kind=obj.kind), at="value")
    elif policy == "Always":
        yield obj.finding(path, _("restartPolicy Always in a {kind} pod template: the API server rejects "
                                  "it (supported: OnFailure, Never), since a pod that restarts forever "
                                  "never completes; use OnFailure (retry in the same pod) or Never (a "
                                  "new pod per retry), or a Deployment for a process that should keep "
                                  "running").format(kind=obj.kind), at="value")
    elif policy is None:
        yield obj.finding(template.spec_path, _("the {kind} pod template sets no restartPolicy: the API "
                                                "server rejects it (restartPolicy: Required value: valid "
                                                "values: OnFailure, Never; the pod default Always does "
                                                "not apply to Jobs); add restartPolicy: OnFailure (retry "
                                                "in the same pod) or Never (a new pod per retry)").format(kind=obj.kind))


# --- 2. ReadWriteOnce volume in a Deployment -----------------------------------------
_SHARED_MODES = ("ReadWriteMany", "ReadOnlyMany")


@check("deployment-rwo-volume", kinds=("Deployment",), needs_graph=True)
def deployment_rwo_volume(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    report_unknown = bool(ctx.option("deployment-rwo-volume", "unknown-claims", True))
    template = obj.pod_template
    if template is None or not _builtin(obj):
        return
    volumes = template.spec.get("volumes")
    if not isinstance(volumes, list):
        return
    for i, volume in enumerate(volumes):
        claim = volume.get("persistentVolumeClaim") if isinstance(volume, dict) else None
        name = claim.get("claimName") if isinstance(claim, dict) else None
        if not isinstance(name, str):
            continue
        graph = ctx.graph
        claims, local = graph.lookup(obj, graph.named("PersistentVolumeClaim", obj.namespace, name))
        pvc = claims[0] if claims and local else None     # another unit's claim: mode unknown here
        modes = pvc.get("spec", "accessModes") if pvc is not None else None
        modes = [m for m in modes if isinstance(m, str)] if isinstance(modes, list) else []
        if any(m in _SHARED_MODES for m in modes):
            continue
        if not modes and not report_unknown:
            continue
        hit = _rwo_hit(obj, template, i, name, modes, ctx.index(hpas_by_target))
        if hit is not None:
            yield hit


def _rwo_hit(obj: Object, template: PodTemplate, index: int, claim: str, modes: list[str],
             hpas: HPAs) -> Hit | None:
    bounds = replica_range(obj, hpas)
    most = bounds.most if bounds else 1
    fence = _rolling_fenceposts(obj, most)
    overlap = fence is not None and fence.max_surge >= 1     # a new pod starts before an old one stops
    if most <= 1 and not overlap:
        return None
    # ReadWriteOnce is per node: pods on the node that has the volume attached share it, others
    # wait in ContainerCreating (Multi-Attach error, the attach/detach controller).
    # ReadWriteOncePod is per pod: the scheduler leaves a second pod Pending (VolumeRestrictions).
    # A rollout that cannot make progress stops at progressDeadlineSeconds (ProgressDeadlineExceeded).
    one_pod = "ReadWriteOncePod" in modes
    if one_pod:
        mode = _("ReadWriteOncePod (one pod at a time)")
    elif modes:
        mode = _("ReadWriteOnce (one node at a time)")
    else:
        mode = _("whose access mode is unknown here (the claim is not in this apply unit); if it is "
                 "ReadWriteOnce")
    problems = []
    if most > 1:
        scale = _("up to {most} replicas (HorizontalPodAutoscaler)").format(most=most) if bounds and bounds.autoscaler else _("{most} replicas").format(most=most)
        problems.append(_("with {scale}, only one pod can use it and the others stay Pending").format(scale=scale) if one_pod else
                        _("with {scale}, pods that land on another node cannot attach it and stay in "
                          "ContainerCreating (Multi-Attach error); pods on the same node share it").format(scale=scale))
    if overlap:
        problems.append(_("a rolling update starts each new pod before the old one stops, so the new pod "
                          "stays Pending until the old one is gone, and the rollout is stuck until "
                          "progressDeadlineSeconds marks it ProgressDeadlineExceeded") if one_pod else
                        _("a rolling update starts each new pod before the old one stops: when the new "
                          "pod lands on another node it waits for the volume, and the rollout is stuck "
                          "until progressDeadlineSeconds marks it ProgressDeadlineExceeded"))
    return obj.finding(template.spec_path + ("volumes", index, "persistentVolumeClaim"),
                       _("Deployment {name} mounts PersistentVolumeClaim {claim}, {mode}: {problems}; "
                         "use a StatefulSet with volumeClaimTemplates (a volume per pod), or strategy: "
                         "Recreate with replicas: 1").format(name=obj.name, claim=claim, mode=mode, problems='; '.join(problems)),
                       severity=None if modes else Severity.INFO)


# --- 3. pods and ReplicaSets without a managing controller ---------------------------
@check("bare-pod", kinds=("Pod",))
def bare_pod(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    annotations = obj.annotations
    # Owned pods are controller output; Helm test hooks and mirror pods are meant to be bare.
    if obj.group or _owned(obj) or "helm.sh/hook" in annotations \
            or "kubernetes.io/config.mirror" in annotations:
        return
    policy = obj.get("spec", "restartPolicy", default="Always")
    instead = (_("a Job (it retries and records completion)") if policy in ("Never", "OnFailure")
               else _("a Deployment (or a Job for work that finishes)"))
    yield obj.finding(("kind",), _("Pod {obj} has no controller: when its node fails, drains or evicts "
                                   "it, nothing creates it again, and a change needs a delete and "
                                   "re-create; run it from {instead}").format(obj=_name(obj), instead=instead), at="value")


@check("bare-replicaset", kinds=("ReplicaSet", "ReplicationController"))
def bare_replicaset(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if not _builtin(obj) or _owned(obj):
        return
    if obj.kind == "ReplicaSet":
        why = (_("a changed pod template only applies to pods created later: running pods are never "
                 "replaced, and there is no rollout or rollback"))
    else:
        why = (_("ReplicationController is the legacy ReplicaSet: no set-based selectors, and no rolling "
                 "update since kubectl rolling-update was removed"))
    yield obj.finding(("kind",), _("{kind} {name} is not managed by a Deployment: {why}; use a "
                                   "Deployment, which creates and rolls ReplicaSets for you").format(kind=obj.kind, name=obj.name, why=why), at="value")


# --- 4. run-to-completion work in the wrong controller -------------------------------
# Commands that finish (migrations, dumps, one-off kubectl/helm calls, --once flags).
_ONE_SHOT = lazy_compile(
    r"\bmanage\.py\s+(migrate|collectstatic|loaddata)\b|\bdb:(migrate|seed|setup|create)\b"
    r"|\b(alembic|flask\s+db)\s+upgrade\b|\bflyway\b.*\bmigrate\b|\bliquibase\b.*\bupdate\b"
    r"|\bmigrate\s+(-path|-source|-database|up)\b|\b(pg_dump|pg_dumpall|pg_restore|mysqldump"
    r"|mongodump|mongorestore)\b|\bkubectl\s+(apply|create|delete|patch|annotate|label)\b"
    r"|\bhelm\s+(install|upgrade|uninstall)\b|--(run-)?once\b|--one-?shot\b")
# A whole command that is only a print or a no-op (checked only when `command` is given).
_TRIVIAL = lazy_compile(r"(/\S*/)?(echo|true|date|printf)(\s|$)")
# Anything that keeps the process alive or hands over to a server.
_LONG_LIVED = lazy_compile(
    r"\b(while|until|for|sleep|watch|tail|wait|cron|crond|loop|forever|serve|server|daemon"
    r"|runserver|gunicorn|uvicorn|nginx|httpd|java|node|npm|supervisord|worker|listen|start)\b")
_SHELL = lazy_compile(r"^(/\S*/)?(ba|da|a|z)?sh\s+(-[a-z]+\s+)*")
_SEPARATORS = lazy_compile(r"&&|\|\||[;|\n]")


def _one_shot_evidence(container: JSON) -> tuple[str, str] | None:
    """(shown command, field) when the container's command plainly runs to completion."""
    command, args = container.get("command"), container.get("args")
    parts = [str(p) for p in (command if isinstance(command, list) else [])]
    parts += [str(p) for p in (args if isinstance(args, list) else [])]
    if not parts:
        return None
    text = " ".join(parts).strip()
    script = _SHELL.sub("", text)
    last = [s.strip() for s in _SEPARATORS.split(script) if s.strip()]
    if not last or _LONG_LIVED.search(script):
        return None
    final = last[-1]
    if not (_ONE_SHOT.search(final) or (isinstance(command, list) and _TRIVIAL.match(final))):
        return None
    shown = text if len(text) <= 80 else text[:77] + "..."
    return shown, "command" if isinstance(command, list) else "args"


@check("one-shot-in-long-running", kinds=("Deployment", "StatefulSet"), needs_graph=True)
def one_shot_in_long_running(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.pod_template
    if template is None or not _builtin(obj):
        return
    containers = list(template.containers())
    if len(containers) != 1:
        return
    container, path, __ = containers[0]
    if container.get("ports") or any(container.get(p) for p in _PROBES):
        return
    evidence = _one_shot_evidence(container)
    if evidence is None or ctx.graph.services_in_front(obj):
        return
    shown, field = evidence
    yield obj.finding(path + (field,), _("{kind} {name} looks like run-to-completion work: its only "
                                         "container runs `{shown}`, has no ports and no probes, and no "
                                         "Service selects it; when the command exits the {kind} restarts "
                                         "it forever (CrashLoopBackOff, the task runs again and again); "
                                         "run it as a Job (or a CronJob, or an init container of the app "
                                         "that needs it)").format(kind=obj.kind, name=obj.name, shown=shown))


_JOB_LABELS = CONTROLLER_POD_LABELS["Job"]


@check("job-behind-service", scope="graph")
def job_behind_service(ctx: CheckContext) -> Iterator[Hit]:
    """One pass over the Services for all Jobs at once: a graph check."""
    graph = ctx.graph
    jobs = [j for j in graph.of_kind("Job") + graph.of_kind("CronJob")
            if j.group == "batch" and j.has_pod_template]
    if not jobs:
        return
    # One pass over the Services (not Jobs x Services); a Service can only select a Job when
    # each pair of its selector is a Job pod label or a label the Job controller adds.
    wanted = set(jobs)
    pairs = {(str(k), str(v)) for job in jobs for k, v in pod_labels(job).items()}
    selected: dict[Object, list[tuple[Object, list[Object]]]] = defaultdict(list)
    for service in graph.of_kind("Service"):
        raw = service.get("spec", "selector")
        if not isinstance(raw, dict) or not all(
                (str(k), str(v)) in pairs or k in _JOB_LABELS for k, v in raw.items()):
            continue
        selector = service_selector(service)
        if selector is None or selector.empty or service.get("spec", "clusterIP") == "None":
            continue                       # headless: how Indexed Job pods find each other
        workloads = graph.local(service, graph.workloads_selected(service.namespace, selector))
        for job in wanted.intersection(workloads):
            selected[job].append((service, workloads))
    for job in jobs:
        template = job.template
        for service, workloads in selected.get(job, ()):
            others = [w.name for w in workloads if w.kind in LONG_RUNNING_KINDS]
            if not others:
                continue    # only run-to-completion pods: service-selects-job-pods says so
            yield job.finding(template.path + ("metadata", "labels"),
                              _("Service {service_name} selects the pods of {job_kind} {job_name} as "
                                "well as {others}: while a run is in progress its pod is an endpoint and "
                                "gets a share of {service_name}'s traffic, which it does not serve; give "
                                "the Job's pods labels the Service does not select").format(service_name=service.name, job_kind=job.kind, job_name=job.name, others=', '.join(others[:3])))


# --- 5. node agents in a Deployment --------------------------------------------------
# Node paths only a per-node agent reads (logs, container runtime, kubelet, kernel views).
_NODE_PATHS = ("/var/log", "/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet",
               "/proc", "/sys")


def _node_path(path: str) -> bool:
    path = path.rstrip("/") or "/"
    return any(path == p or path.startswith(p + "/") for p in _NODE_PATHS)


@check("node-agent-in-deployment", kinds=("Deployment",))
def node_agent_in_deployment(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.pod_template
    if template is None or not _builtin(obj):
        return
    spec = template.spec
    evidence: list[str] = []
    where: Path = ()
    volumes = spec.get("volumes")
    for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
        host = volume.get("hostPath") if isinstance(volume, dict) else None
        path = host.get("path") if isinstance(host, dict) else None
        if isinstance(path, str) and _node_path(path):
            evidence.append(_("mounts the node's {path} (hostPath)").format(path=path))
            where = where or template.spec_path + ("volumes", i, "hostPath")
    tolerations = spec.get("tolerations")
    tolerates_all = isinstance(tolerations, list) and any(
        isinstance(t, dict) and t.get("operator") == "Exists" and not t.get("key") and not t.get("effect")
        for t in tolerations)
    host_ns = [f for f in ("hostNetwork", "hostPID") if spec.get(f) is True]
    if host_ns and tolerates_all:
        evidence.append(_("uses {host_ns} and tolerates every taint").format(host_ns=' and '.join(host_ns)))
        where = where or template.spec_path + (host_ns[0],)
    if not evidence:
        return
    replicas = as_int(obj.get("spec", "replicas", default=1))
    pods = _("its pods") if replicas is None else _("{replicas} pod{value}").format(replicas=replicas, value='' if replicas == 1 else 's')
    yield obj.finding(where, _("Deployment {name} {evidence}, the shape of a node agent: a Deployment "
                               "runs {pods} wherever the scheduler puts them, so some nodes get none and "
                               "others two; use a DaemonSet, which runs one pod on every node and "
                               "follows nodes as they join").format(name=obj.name, evidence=_(' and ').join(evidence), pods=pods))


# --- 7. replicas, rollouts, autoscaling and disruption budgets -----------------------
@check("rolling-update-budget-invalid", kinds=("Deployment", "DaemonSet"))
def rolling_update_budget_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.group not in ("apps", "extensions"):
        return
    field = "strategy" if obj.kind == "Deployment" else "updateStrategy"
    strategy = obj.get("spec", field)
    strategy = strategy if isinstance(strategy, dict) else {}
    rolling = strategy.get("rollingUpdate")
    if strategy.get("type", "RollingUpdate") != "RollingUpdate" or not isinstance(rolling, dict):
        return
    base = ("spec", field, "rollingUpdate")
    # API defaults: Deployment 25%/25%, DaemonSet maxUnavailable 1 and maxSurge 0.
    defaults = ("25%", "25%") if obj.kind == "Deployment" else (0, 1)
    surge = rolling.get("maxSurge", defaults[0])
    unavailable = rolling.get("maxUnavailable", defaults[1])
    if _literal_zero(surge) and _literal_zero(unavailable):
        where = base + ("maxUnavailable",) if "maxUnavailable" in rolling else base
        yield obj.finding(where, _("maxSurge {surge} and maxUnavailable {unavailable}: the API server "
                                   "rejects the ").format(surge=surge, unavailable=unavailable) + obj.kind + _(" (maxUnavailable may not be 0 when "
                                                               "maxSurge is 0), since a rollout could "
                                                               "neither add a new pod nor remove an old "
                                                               "one; set maxSurge: 1 (surge first) or "
                                                               "maxUnavailable: 1"),
                          at="value" if where != base else "key")
    elif obj.kind == "DaemonSet" and None not in (scaled(surge, 1, True), scaled(unavailable, 1, True)) \
            and not _literal_zero(surge) and not _literal_zero(unavailable):
        implied = "" if "maxUnavailable" in rolling else _(" (maxUnavailable defaults to 1)")
        yield obj.finding(base + ("maxSurge",), _("maxSurge {surge} with maxUnavailable "
                                                  "{unavailable}{implied}: the API server rejects the "
                                                  "DaemonSet (maxSurge may not be set when "
                                                  "maxUnavailable is non-zero); set maxUnavailable: 0 to "
                                                  "surge a new pod onto each node first, or drop maxSurge").format(surge=surge, unavailable=unavailable, implied=implied),
                          at="value")


@check("single-replica-rollout-outage", kinds=("Deployment",), needs_graph=True)
def single_replica_rollout_outage(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if not _builtin(obj) or obj.get("spec", "replicas", default=1) != 1:
        return
    fence = _rolling_fenceposts(obj, 1)
    if fence is None or fence.max_unavailable < 1:
        return
    if obj in ctx.index(hpas_by_target):
        return                                # the HPA decides the count
    services = ctx.graph.services_in_front(obj)
    if not services:
        return
    rolling = obj.get("spec", "strategy", "rollingUpdate", default={})
    rolling = rolling if isinstance(rolling, dict) else {}
    key = "maxUnavailable" if "maxUnavailable" in rolling else "maxSurge"
    where = ("spec", "strategy", "rollingUpdate", key) if key in rolling else ("spec", "strategy")
    yield obj.finding(where, _("Deployment {name} runs one replica behind Service {name2} and its "
                               "rolling update may take it down (maxUnavailable {value}, maxSurge "
                               "{value2}: 1 of 1 pod may be unavailable): every rollout stops the only "
                               "pod before its replacement is ready, so {name2} has no endpoint "
                               "meanwhile; set maxUnavailable: 0 with maxSurge: 1, or run 2 or more "
                               "replicas").format(name=obj.name, name2=services[0].name, value=rolling.get('maxUnavailable', '25%'), value2=rolling.get('maxSurge', '25%')),
                      at="value" if key in rolling else "key")


@check("hpa-target-sets-replicas", scope="graph")
def hpa_target_sets_replicas(ctx: CheckContext) -> Iterator[Hit]:
    """Reported on the target (any kind), once however many HPAs scale it: a graph check."""
    for target, hpas in ctx.index(hpas_by_target).items():
        replicas = as_int(target.get("spec", "replicas"))
        if replicas is None:
            continue
        hpa = hpas[0]
        yield target.finding(("spec", "replicas"), _("HorizontalPodAutoscaler {hpa_name} owns the "
                                                     "replica count of {target_kind} {target_name}, yet "
                                                     "the manifest sets replicas: {replicas}: every "
                                                     "apply resets the scale to {replicas}, undoing the "
                                                     "autoscaler until it reacts again (a scale-down "
                                                     "storm or a spike on each deploy); remove "
                                                     "spec.replicas and let the HPA own it (minReplicas "
                                                     "is the floor)").format(hpa_name=hpa.name, target_kind=target.kind, target_name=target.name, replicas=replicas))


@check("hpa-min-above-max", kinds=("HorizontalPodAutoscaler",))
def hpa_min_above_max(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    high = as_int(obj.get("spec", "maxReplicas"))
    low = as_int(obj.get("spec", "minReplicas", default=1))
    if high is None or low is None or low <= high:
        return
    given = "" if "minReplicas" in (obj.get("spec") or {}) else _(" (the default)")
    yield obj.finding(("spec", "maxReplicas"), _("maxReplicas {high} is below minReplicas {low}{given}: "
                                                 "the API server rejects the HorizontalPodAutoscaler "
                                                 "(maxReplicas must be greater than or equal to "
                                                 "minReplicas); raise maxReplicas or lower minReplicas").format(high=high, low=low, given=given), at="value")


@check("pdb-blocks-eviction", kinds=("PodDisruptionBudget",), needs_graph=True)
def pdb_blocks_eviction(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    """The budget arithmetic is k8s/pdb.py, the same as `explain --scenario drain`."""
    spec = pdb.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    if budgets.spec_errors(spec):
        return                                # rejected: pdb-budget-invalid says why
    selector = from_label_selector(spec.get("selector"))
    if selector is not None and selector.empty and pdb.api_version == "policy/v1beta1":
        return                                # v1beta1: an empty selector selects nothing
    min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
    # Forms that allow nothing at any scale, judged without the workloads.
    if min_available is None and max_unavailable is None:
        yield pdb.finding(("spec",) if "spec" in pdb.data else (), _("PodDisruptionBudget {pdb_name} sets "
                                                                     "neither minAvailable nor "
                                                                     "maxUnavailable: the disruption "
                                                                     "controller expects 0 pods and allows 0 "
                                                                     "disruptions, so the eviction API "
                                                                     "refuses (429) every eviction of a "
                                                                     "Running pod it selects, as "
                                                                     "maxUnavailable: 0 would; {BLOCKED}; set "
                                                                     "maxUnavailable: 1 (or minAvailable)").format(pdb_name=pdb.name, BLOCKED=_(_BLOCKED)))
        return
    field, value = ("maxUnavailable", max_unavailable) if max_unavailable is not None \
        else ("minAvailable", min_available)
    if (field == "maxUnavailable" or isinstance(value, str)) and budgets.allowed_when_ready(spec, 100) == 0:
        # maxUnavailable 0 or 0%, minAvailable 100%: no eviction at any pod count
        yield pdb.finding(("spec", field), _("PodDisruptionBudget {pdb_name} sets {field} {value}: no "
                                             "eviction of its pods is ever allowed (disruptionsAllowed "
                                             "stays 0); {BLOCKED}; use maxUnavailable: 1 (or a "
                                             "percentage)").format(pdb_name=pdb.name, field=field, value=value, BLOCKED=_(_BLOCKED)), at="value")
        return
    if max_unavailable is not None:
        return                                # any other maxUnavailable allows at least one
    workloads = [w for w in ctx.graph.selected_by(pdb) if w.kind not in ("Job", "CronJob")]
    if workloads:
        hit = _pdb_hit(pdb, spec, workloads, ctx.index(hpas_by_target))
        if hit is not None:
            yield hit


# What a budget that allows no eviction does (staging/src/k8s.io/kubectl/pkg/drain/drain.go
# evictPods retries a 429 every 5 s; the cluster autoscaler skips nodes it cannot drain).
_BLOCKED = (N_("kubectl drain retries every 5 s until its --timeout (no limit by default), the cluster "
              "autoscaler never scales those nodes down and node upgrades stall"))


def _pdb_hit(pdb: Object, spec: JSON, workloads: list[Object], hpas: HPAs) -> Hit | None:
    """minAvailable against the pods of the selected workloads: at their largest scale (no
    eviction ever), else at the HPAs' minReplicas (none while the autoscaler is at its floor)."""
    found = [replica_range(w, hpas) for w in workloads]
    ranges = [r for r in found if r is not None]
    if len(ranges) < len(found):
        return None                           # a DaemonSet or custom workload: count unknown
    low = sum(r.fewest for r in ranges)
    most = sum(r.most for r in ranges)
    autoscalers = [r.autoscaler.name for r in ranges if r.autoscaler is not None]
    owners = ", ".join(f"{w.kind} {_name(w)}" for w in workloads[:3])
    value = spec["minAvailable"]
    for pods, at_floor in ((most, False), (low, True)):
        if pods <= 0 or (at_floor and (not autoscalers or low == most)):
            continue
        status = budgets.budget(spec, pods, pods, pods)
        if status is None or status.disruptions_allowed > 0:
            continue
        shown = _("{value} (= {desired_healthy} pods)").format(value=value, desired_healthy=status.desired_healthy) if isinstance(value, str) else value
        if at_floor:
            scope = (_("of the {pods} pod{value} that HorizontalPodAutoscaler {autoscalers} keeps at "
                       "minReplicas ({owners})").format(pods=pods, value='s' if pods > 1 else '', autoscalers=autoscalers[0], owners=owners))
            when = (_("allows no eviction while the autoscaler is at its floor, which is when load is "
                      "low and nodes get drained or scaled down"))
            fix = _("set minAvailable below {pods} or raise minReplicas above {desired_healthy}").format(pods=pods, desired_healthy=status.desired_healthy)
        else:
            bound = _("at most {pods}").format(pods=pods) if autoscalers else _("the {pods}").format(pods=pods)
            hpa = _(", HorizontalPodAutoscaler {autoscalers} maxReplicas").format(autoscalers=autoscalers[0]) if autoscalers else ""
            scope = _("of {bound} pod{value} ({owners}{hpa})").format(bound=bound, value='s' if pods > 1 else '', owners=owners, hpa=hpa)
            when = _("allows no eviction at all (disruptionsAllowed stays 0)")
            fix = _("set minAvailable below {pods}, or use maxUnavailable: 1").format(pods=pods)
        return pdb.finding(("spec", "minAvailable"), _("PodDisruptionBudget {pdb_name} requires "
                                                       "minAvailable {shown} {scope}: it {when}; "
                                                       "{BLOCKED}; {fix}").format(pdb_name=_name(pdb), shown=shown, scope=scope, when=when, BLOCKED=_(_BLOCKED), fix=fix), at="value")
    return None


# --- 8. Jobs and CronJobs ------------------------------------------------------------
@check("cronjob-schedule-invalid", kinds=("CronJob",))
def cronjob_schedule_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.group != "batch":
        return
    fix = fix_for("cronjob-schedule-invalid", ctx.kubernetes_version)
    for hit in _cron_problems(obj, ctx.kubernetes_version):
        hit.fix = fix
        yield hit


def _cron_problems(obj: Object, version: Version) -> Iterator[Hit]:
    from ..k8s import cron  # its tables and regexes only for a CronJob

    schedule = obj.get("spec", "schedule")
    time_zone = obj.get("spec", "timeZone")
    time_zone = time_zone if isinstance(time_zone, str) else None
    if time_zone is not None and cron.TIME_ZONE_IN_SCHEMA_FROM <= version < cron.TIME_ZONE_FROM:
        yield obj.finding(("spec", "timeZone"), _("timeZone {time_zone!r} is alpha and off by default on "
                                                  "{version}: the API server drops it, so the schedule "
                                                  "runs in kube-controller-manager's time zone (on by "
                                                  "default from {TIME_ZONE_FROM})").format(time_zone=time_zone, version=show(version), TIME_ZONE_FROM=show(cron.TIME_ZONE_FROM)), at="value", severity=Severity.WARNING)
        time_zone = None
    if isinstance(schedule, str) and schedule:
        yield from _schedule_hits(obj, schedule, time_zone, version)
    if time_zone is not None:
        error = cron.time_zone_error(time_zone)
        if error:
            yield obj.finding(("spec", "timeZone"), _("timeZone {time_zone!r}: the API server rejects it "
                                                      "({error}); use an IANA name such as Europe/Paris "
                                                      "or America/New_York, or Etc/UTC").format(time_zone=time_zone, error=error), at="value")


def _schedule_hits(obj: Object, schedule: str, time_zone: str | None, version: Version) -> Iterator[Hit]:
    from ..k8s import cron

    error = cron.schedule_error(schedule, version, time_zone)
    path = ("spec", "schedule")
    prefix = cron.tz_prefix(schedule)
    zone = _("spec.timeZone{value}").format(value=': ' + prefix if prefix else '')
    if error and "TZ" in schedule and "TZ" in error:
        yield obj.finding(path, _("schedule {schedule!r}: the API server rejects it on {version} "
                                  "({error}); drop the prefix and set {zone} instead").format(schedule=schedule, version=show(version), error=error, zone=zone),
                          at="value")
    elif error:
        yield obj.finding(path, _("schedule {schedule!r}: the API server rejects it ({error}); write "
                                  "five fields (minute hour day-of-month month day-of-week, e.g. '30 2 * "
                                  "* *') or a macro such as @hourly or @daily").format(schedule=schedule, error=error), at="value")
    elif prefix is not None and version >= cron.TZ_WARNED_FROM:
        yield obj.finding(path, _("schedule {schedule!r} carries a time zone prefix: {version} accepts "
                                  "it with a warning, but from {TZ_REJECTED_FROM} the API server rejects "
                                  "new CronJobs with it; set {zone} instead").format(schedule=schedule, version=show(version), TZ_REJECTED_FROM=show(cron.TZ_REJECTED_FROM), zone=zone), at="value", severity=Severity.WARNING)
    elif prefix is not None:
        yield obj.finding(path, _("schedule {schedule!r} carries a time zone prefix: {version} accepts "
                                  "it and the controller honours it, unofficially; 1.25-1.28 warn about "
                                  "it and from {TZ_REJECTED_FROM} the API server rejects it: on 1.25 or "
                                  "later, set {zone} instead").format(schedule=schedule, version=show(version), TZ_REJECTED_FROM=show(cron.TZ_REJECTED_FROM), zone=zone), at="value",
                          severity=Severity.INFO)
    elif cron.never_runs(schedule):
        yield obj.finding(path, _("schedule {schedule!r} matches no date (the day of month does not "
                                  "exist in the chosen months): the API server accepts it but the "
                                  "CronJob never starts a Job; fix the day or the month").format(schedule=schedule), at="value")


@check("cronjob-runs-overlap", kinds=("CronJob",))
def cronjob_runs_overlap(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    from ..k8s import cron

    schedule = obj.get("spec", "schedule")
    deadline = as_int(obj.get("spec", "jobTemplate", "spec", "activeDeadlineSeconds"))
    if obj.group != "batch" or not isinstance(schedule, str) or not deadline:
        return
    zone = obj.get("spec", "timeZone")
    gap = cron.min_interval(schedule, zone if isinstance(zone, str) else None)
    if gap is None or deadline <= gap.total_seconds():
        return
    every = _duration(int(gap.total_seconds()))
    policy = obj.get("spec", "concurrencyPolicy", default="Allow")
    runs = (_("a run may take up to {deadline} (activeDeadlineSeconds {deadline2}) but the schedule "
              "starts one every {every}").format(deadline=_duration(deadline), deadline2=deadline, every=every))
    if policy == "Allow":
        yield obj.finding(("spec", "schedule"), _("{runs}: with concurrencyPolicy Allow (the default) "
                                                  "runs overlap and pile up, each holding its pods; set "
                                                  "concurrencyPolicy: Forbid (skip a run while one is "
                                                  "active) with startingDeadlineSeconds, or Replace").format(runs=runs), at="value")
    elif policy == "Forbid" and obj.get("spec", "startingDeadlineSeconds") is None:
        yield obj.finding(("spec", "concurrencyPolicy"), _("{runs}: with concurrencyPolicy Forbid and no "
                                                           "startingDeadlineSeconds, a run that was due "
                                                           "while another was active starts as soon as "
                                                           "it ends, so runs go back to back; set "
                                                           "startingDeadlineSeconds below "
                                                           "{total_seconds} to skip late runs").format(runs=runs, total_seconds=int(gap.total_seconds())), at="value")


def _duration(seconds: int) -> str:
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _job_spec(obj: Object) -> tuple[Path, JSON] | None:
    path = ("spec",) if obj.kind == "Job" else ("spec", "jobTemplate", "spec")
    spec = obj.get(*path)
    return (path, spec) if isinstance(spec, dict) and obj.group == "batch" else None


@check("job-no-limits", kinds=("Job", "CronJob"))
def job_no_limits(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    found = _job_spec(obj)
    if found is None or _owned(obj):
        return
    path, spec = found
    if any(k in spec for k in ("backoffLimit", "backoffLimitPerIndex", "activeDeadlineSeconds")):
        return
    extra = (_(" and, with concurrencyPolicy Forbid, blocks every later run")
             if obj.kind == "CronJob" and obj.get("spec", "concurrencyPolicy") == "Forbid" else "")
    yield obj.finding(path, _("{kind} {obj} sets neither backoffLimit nor activeDeadlineSeconds: a "
                              "failing pod is retried 6 times (the default) with back-off of up to "
                              "several minutes, and a hung pod runs forever{extra}; set "
                              "activeDeadlineSeconds to bound the run time and backoffLimit to what a "
                              "retry can fix").format(kind=obj.kind, obj=_name(obj), extra=extra))


_CLEANED_BY_TOOL = ("helm.sh/hook-delete-policy", "argocd.argoproj.io/hook-delete-policy")


@check("job-no-ttl", kinds=("Job",))
def job_no_ttl(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    found = _job_spec(obj)
    if found is None or _owned(obj) or "ttlSecondsAfterFinished" in found[1]:
        return
    if any(key in obj.annotations for key in _CLEANED_BY_TOOL):
        return                                # Helm or Argo CD deletes the finished Job
    yield obj.finding(("spec",), _("Job {obj} has no ttlSecondsAfterFinished: the finished Job and its "
                                   "pods stay until someone deletes them, and applying a changed "
                                   "template later fails (a Job's template is immutable); set "
                                   "ttlSecondsAfterFinished (e.g. 86400) so the TTL controller removes it").format(obj=_name(obj)))
