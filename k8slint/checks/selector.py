"""Selectors and ports: controllers vs their templates, Services vs the pods they reach.

Pods are matched as their controllers create them (graph.controller_label_values), in the
selector's own namespace; a Service without a selector has no pods to find and is skipped.
Facts: pkg/apis/apps/validation ValidateDeploymentSpec (selector must match the template),
pkg/controller/endpointslice and pkg/api/v1/pod FindPort (endpoints, named targetPort).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..engine import CheckContext, check
from ..graph import Graph, Object, controller_label_values, pod_labels, workload_selector
from ..i18n import _
from ..k8s.fields import as_int
from ..k8s.kinds import RUN_TO_COMPLETION_KINDS
from ..k8s.versions import show as show_version
from ..model import JSON, Hit, Path, Severity
from ..selector import Requirement, Selector, from_label_selector
from .probe import SIDECARS_FROM

# Built-in controllers whose spec.selector picks (and adopts) pods.
CONTROLLER_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
                              "ReplicationController", "Job"})
# apps/v1 requires a non-empty selector (pkg/apis/apps/validation: "empty selector is invalid");
# the removed beta versions defaulted it from the template labels.
SELECTOR_REQUIRED_VERSIONS = frozenset({"apps/v1"})


# --- shared helpers (reference.py uses them too) --------------------------------------------
def show(obj: Object, relative_to: Object | None = None) -> str:
    """Kind/name, with the namespace when it differs from the other object's."""
    text = f"{obj.kind}/{obj.name}"
    if relative_to is not None and obj.namespace != relative_to.namespace and obj.namespace:
        text += _(" in namespace {namespace}").format(namespace=obj.namespace)
    return text


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest candidate, or ''."""
    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return _(" (did you mean \"{lowered}\"? names are case-sensitive)").format(lowered=lowered[name.lower()])
    import difflib  # only for a name that is not found

    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return _(" (did you mean \"{close}\"?)").format(close=close[0]) if close else ""


def is_controller(obj: Object) -> bool:
    """A built-in controller that selects pods with spec.selector (Jobs only with manualSelector)."""
    if obj.kind not in CONTROLLER_KINDS or obj.group not in ("", "apps", "batch", "extensions"):
        return False
    return obj.kind != "Job" or obj.get("spec", "manualSelector") is True


def replaced(graph: Graph, obj: Object) -> bool:
    """Whether a later object of obj's apply unit has its identity: `kubectl apply` keeps
    the last one (object-duplicate says so), so obj never exists beside it and must not
    count as a second workload, Service or budget (istio's operator goldens define
    Deployment/istiod three times in one folder)."""
    same = graph.same_identity(obj)
    return len(same) > 1 and same[-1] is not obj


def applied(graph: Graph, objs: Iterable[Object]) -> list[Object]:
    """`objs` without those a later object of their unit replaces."""
    return [o for o in objs if not replaced(graph, o)]


def runs_to_completion(workload: Object) -> bool:
    if workload.kind in RUN_TO_COMPLETION_KINDS:
        return True
    return workload.kind == "Pod" and workload.get("spec", "restartPolicy") in ("Never", "OnFailure")


def _labels_text(labels: JSON) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in labels.items()) + "}" if labels else "no labels"


# --- 1. controller selector vs its own template ----------------------------------------------
@check("workload-selector-mismatch", kinds=tuple(CONTROLLER_KINDS))
def workload_selector_mismatch(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if not is_controller(obj) or not obj.has_pod_template:
        return
    raw = obj.get("spec", "selector")
    required = obj.api_version in SELECTOR_REQUIRED_VERSIONS or obj.kind == "Job"
    kind = obj.kind
    if raw is None:
        if required:
            why = "manualSelector: true" if kind == "Job" else obj.api_version
            yield obj.finding(("spec",), _("{kind} has no spec.selector, which {why} requires: the API "
                                           "server rejects it").format(kind=kind, why=why))
        return
    selector = workload_selector(obj)
    if selector is None:
        return                                       # malformed: the schema rules say why
    if selector.empty:
        if required:
            yield obj.finding(("spec", "selector"), _("empty selector is invalid for a {kind} in "
                                                      "{api_version}: the API server rejects it (it "
                                                      "would select every pod in the namespace)").format(kind=kind, api_version=obj.api_version))
        return
    labels = pod_labels(obj)
    if selector.matches(labels):
        return
    failing = [r for r in selector.requirements if not r.matches(labels, {})]
    yield obj.finding(("spec", "selector"),
                      _("selector {selector} does not match the pod template labels {labels} (unmet: "
                        "{failing}): the API server rejects the {kind} (`selector` does not match "
                        "template `labels`)").format(selector=selector, labels=_labels_text(labels), failing=', '.join(map(str, failing)), kind=kind))


# --- 2. controllers whose selectors reach each other's pods -----------------------------------
@check("workload-selector-overlap", scope="graph")
def workload_selector_overlap(ctx: CheckContext) -> Iterator[Hit]:
    """Pairs of controllers of one apply unit, each pair reported once: a graph check.

    Since ControllerRef (an ownerReference with controller: true), a built-in controller
    only claims pods it owns or orphans (pkg/controller/controller_ref_manager.go
    PodControllerRefManager.ClaimPods), so two controllers no longer fight over running pods.
    What overlapping selectors still do: an orphaned pod (its owner deleted with
    --cascade=orphan) is adopted by whichever controller syncs first; Services, PDBs and
    NetworkPolicies select both; an HPA lists its target's pods by label
    (pkg/controller/podautoscaler/horizontal.go computeReplicasForMetrics), so its metrics
    mix both; `kubectl get/logs/delete -l` mix them. A bare pod has no controller: the
    controller adopts it and counts it as a replica."""
    graph = ctx.graph
    edges: dict[Object, list[Object]] = {}
    for obj in graph.workloads():
        if not is_controller(obj):
            continue
        selector = graph.selector_of(obj)
        if selector is None or selector.empty:
            continue                                 # workload-selector-mismatch covers it
        others = [w for w in graph.selected_by(obj) if w is not obj and w.identity != obj.identity
                  and (is_controller(w) or w.kind == "Pod")]
        if others:
            edges[obj] = others
    scalers = _autoscalers(graph) if edges else {}
    for obj, others in edges.items():
        for other in others:
            mutual = obj in edges.get(other, ())
            if mutual and other.order < obj.order:
                continue                             # reported once, on the first of the pair
            selector = graph.selector_of(obj)
            if other.kind == "Pod":
                yield obj.finding(("spec", "selector"), _("selector {selector} of {obj} selects bare "
                                                          "Pod/{other_name}: the controller adopts that "
                                                          "orphan pod, counts it as one of its replicas "
                                                          "and may delete it").format(selector=selector, obj=show(obj), other_name=other.name), severity=Severity.WARNING)
                continue
            what = _("and the selector of {other} select each other's pods").format(other=show(other)) if mutual else \
                _("also selects the pods of {other}").format(other=show(other))
            effects = (_("each controller keeps only the pods it owns (ControllerRef), but an orphaned "
                         "pod goes to whichever adopts it first, Services and PDBs select both, and "
                         "`kubectl -l` queries mix them"))
            hpa = next((h for w in (obj, other) for h in scalers.get(w, ()) if h.unit is obj.unit), None)
            if hpa is not None:
                target = obj if hpa in scalers.get(obj, ()) else other
                yield obj.finding(("spec", "selector"), _("selector {selector} of {obj} {what}: {hpa} "
                                                          "lists {target}'s pods by label, so its "
                                                          "metrics count both workloads' pods; {effects}").format(selector=selector, obj=show(obj), what=what, hpa=show(hpa), target=show(target), effects=effects), severity=Severity.WARNING)
            else:
                yield obj.finding(("spec", "selector"), _("selector {selector} of {obj} {what}: {effects}").format(selector=selector, obj=show(obj), what=what, effects=effects), severity=Severity.INFO)


def _autoscalers(graph: Graph) -> dict[Object, list[Object]]:
    """workload -> HorizontalPodAutoscalers that scale it (same namespace, kind and name)."""
    out: dict[Object, list[Object]] = defaultdict(list)
    for hpa in graph.of_kind("HorizontalPodAutoscaler"):
        ref = hpa.get("spec", "scaleTargetRef")
        if isinstance(ref, dict) and isinstance(ref.get("name"), str) and isinstance(ref.get("kind"), str):
            for target in graph.local(hpa, graph.named(ref["kind"], hpa.namespace, ref["name"])):
                out[target].append(hpa)
    return out


# --- 3. Services -------------------------------------------------------------------------------
@check("service-selects-nothing", kinds=("Service",), needs_graph=True)
def service_selects_nothing(ctx: CheckContext, service: Object) -> Iterator[Hit]:
    selector = unmatched(ctx.graph, service)
    if selector is None:
        return
    message = _("selector {selector} matches no pod template in namespace {service_namespace}: the "
                "Service has no endpoints and connections to it are refused").format(selector=selector, service_namespace=service.namespace)
    hit = selects_nothing(ctx, service, ("spec", "selector"), message, selector)
    if hit is not None:
        yield hit


def unmatched(graph: Graph, obj: Object) -> Selector | None:
    """The object's own selector when it is not empty and selects no workload (an empty
    one is namespace-wide on purpose)."""
    selector = graph.selector_of(obj)
    if selector is None or selector.empty or graph.selected_anywhere(obj):
        return None                      # pods in another apply unit count: they may be deployed too
    return selector


def selects_nothing(ctx: CheckContext, obj: Object, path: Path, message: str,
                    selector: Selector) -> Hit | None:
    """A warning naming the nearest miss of obj's apply unit; an info when the pods may exist
    outside it (no workload of that namespace in the unit, or a custom resource whose operator
    may run pods there), unless the same selector matches a workload of the unit in another
    namespace (then surely a mistake). None when the selector matches the labels of such a
    custom resource (operators copy those labels to the pods: Prometheus, Alertmanager)."""
    graph = ctx.graph
    if any(selector.matches(custom.labels) for custom in pod_running_resources(graph, obj.namespace)):
        return None
    near = ctx.index(NearMiss)                  # one index shared by every selector of the run
    elsewhere = near.elsewhere(obj, selector)
    if elsewhere:
        from ..context_namespace import from_context, together_with, unless_applied_with
        text = message + "; " + _("{found} matches it, but a selector only reaches pods in its own namespace").format(
            found=show(elsewhere[0], obj))
        apart = together_with(obj, obj.namespace, elsewhere, from_context(obj))
        if apart is not None:
            return obj.finding(path, unless_applied_with(text, *apart), severity=Severity.INFO)
        return obj.finding(path, text)
    closest = near.closest(obj, selector)
    text = f"{message}; {closest}" if closest else message
    unseen = unseen_pods(graph, obj)
    if unseen:
        return obj.finding(path, _("{text} - unless its pods are created outside this input ({unseen})").format(text=text, unseen=unseen), severity=Severity.INFO)
    labelled = _labelled_at_run_time(graph, obj, selector)
    if labelled is not None:
        return obj.finding(path, _("{text} - unless a controller adds the missing labels to the pods of {workload} "
                                   "at run time: {labeller} may update pods there").format(
                               text=text, workload=show(labelled[0]), labeller=labelled[1]), severity=Severity.INFO)
    return obj.finding(path, text)


def _labelled_at_run_time(graph: Graph, obj: Object, selector: Selector) -> tuple[Object, str] | None:
    """(workload, who may label its pods) when a workload of obj's unit and namespace meets
    some of the selector's requirements and lacks only the keys of the others (no label with
    another value), and a ServiceAccount of the unit may patch or update pods there: a
    controller may add those labels to running pods. MinIO's operator puts
    `operator: leader` on the pod that wins the leader election (minio/operator
    pkg/controller/main-controller.go), which Service `operator` selects."""
    for workload in graph.local(obj, graph.workloads(obj.namespace)):
        labels, unknown = pod_labels(workload), controller_label_values(workload)
        unmet = [req for req in selector.requirements if not req.matches(labels, unknown)]
        if not unmet or len(unmet) == len(selector.requirements) \
                or any(req.key in labels or req.operator not in ("In", "Exists") for req in unmet):
            continue
        labeller = run_time_creator(graph, obj, obj.namespace, "pods", ("patch", "update"))
        return (workload, labeller) if labeller is not None else None
    return None


# Custom resources that never run pods of their own: selectors, routes, policies, secrets,
# certificates, monitoring rules. Any other custom resource may be an operator's (a database
# cluster, Prometheus, a Ray cluster) whose pods carry the labels a Service selects.
_NO_POD_KINDS = frozenset({
    "ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe", "AlertmanagerConfig", "PodMonitoring",
    "ClusterPodMonitoring", "Rules", "ClusterRules", "Certificate", "CertificateRequest", "Issuer",
    "ClusterIssuer", "VirtualService", "DestinationRule", "Gateway", "HTTPRoute", "GRPCRoute",
    "TCPRoute", "TLSRoute", "UDPRoute", "ReferenceGrant", "ServiceEntry", "Sidecar",
    "PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication", "EnvoyFilter",
    "ExternalSecret", "SecretStore", "ClusterSecretStore", "SealedSecret", "BackendConfig",
    "FrontendConfig", "ManagedCertificate", "ServiceExport", "ServiceImport", "HealthCheckPolicy",
    "GCPBackendPolicy", "GCPGatewayPolicy", "IngressRoute", "Middleware", "CiliumNetworkPolicy",
    "VerticalPodAutoscaler", "ScaledObject", "ComputeClass", "BackendTLSPolicy",
    # AWS Load Balancer Controller and VPC Lattice configuration, Secrets Store CSI driver,
    # Flux sources and image automation: settings other controllers read (eks-workshop-v2)
    "LoadBalancerConfiguration", "TargetGroupConfiguration", "ListenerRuleConfiguration",
    "TargetGroupBinding", "TargetGroupPolicy", "VpcAssociationPolicy", "AccessLogPolicy",
    "IAMAuthPolicy", "SecurityGroupPolicy", "SecretProviderClass", "GitRepository",
    "HelmRepository", "OCIRepository", "ImageRepository", "ImagePolicy", "ImageUpdateAutomation",
})


def pod_running_resources(graph: Graph, namespace: str | None) -> list[Object]:
    """Custom resources of the namespace (anywhere in the input) whose operators may run pods."""
    return [custom for custom in graph.custom_resources(namespace) if custom.kind not in _NO_POD_KINDS]


def unseen_pods(graph: Graph, obj: Object) -> str:
    """Why obj's namespace may have pods its apply unit does not show ('' when it cannot)."""
    namespace = obj.namespace
    if namespace == "kube-system":
        # The control plane's static Pods (component=kube-scheduler, ...), CoreDNS and
        # kube-proxy run there in most clusters (kubeadm, kind) without any manifest of the input.
        return _("kube-system runs the cluster's own pods: control plane, DNS, kube-proxy")
    if not graph.local(obj, graph.workloads(namespace)):
        where = _("this apply unit") if graph.several_units else "the input"
        return _("{where} has no workload in namespace {namespace}").format(where=where, namespace=namespace)
    running = pod_running_resources(graph, namespace)
    return _("an operator may run pods for {running}").format(running=show(running[0])) if running else ""


# --- what the ServiceAccounts of a unit's workloads may do at run time (RBAC bound to them):
# an operator that creates Secrets, ConfigMaps or Services, or labels pods, makes objects the
# input does not show.
def run_time_creator(graph: Graph, source: Object, namespace: str | None,
                     resource: str = "secrets", verbs: tuple[str, ...] = ("create",)) -> str | None:
    """A workload of source's apply unit whose ServiceAccount may create `resource` (core
    secrets by default; or another of `verbs`) in `namespace` (a Role or ClusterRole rule
    with the verb on it, bound to it), as 'ServiceAccount argocd-redis of
    Deployment/argocd-redis'; None when there is none. Argo CD's redis pod makes the argocd-redis Secret in an init container
    (`argocd admin redis-initial-password`) that its other pods read; a create request
    carries no name, so resourceNames never limit it
    (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)."""
    if namespace is None:
        return None
    for binding in graph.local(source, graph.of_kind("RoleBinding", "ClusterRoleBinding")):
        if binding.kind == "RoleBinding" and binding.namespace != namespace:
            continue
        role_ref = binding.get("roleRef")
        if not isinstance(role_ref, dict) or not _grants(graph, binding, role_ref, resource, verbs):
            continue
        subjects = binding.get("subjects")
        for subject in subjects if isinstance(subjects, list) else ():
            if not isinstance(subject, dict) or subject.get("kind") != "ServiceAccount":
                continue
            account_namespace = subject.get("namespace") or binding.namespace
            if binding.kind == "RoleBinding" and account_namespace != namespace:
                continue              # it may create Secrets here, but runs elsewhere: still a creator
            for workload in graph.local(source, graph.workloads(account_namespace)):
                template = workload.pod_template
                if template is not None and template.spec.get("serviceAccountName") == subject.get("name"):
                    return _("ServiceAccount {account} of {workload}").format(account=subject.get("name"),
                                                                            workload=show(workload))
    return None


def _grants(graph: Graph, binding: Object, role_ref: JSON, resource: str, verbs: tuple[str, ...]) -> bool:
    """The role a binding names grants one of `verbs` on a core resource."""
    kind, name = role_ref.get("kind"), role_ref.get("name")
    if not isinstance(name, str) or kind not in ("Role", "ClusterRole"):
        return False
    roles = graph.named(kind, binding.namespace if kind == "Role" else None, name)
    for role in graph.local(binding, roles):
        rules = role.get("rules")
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, dict) and _has(rule, "apiGroups", "") and _has(rule, "resources", resource) \
                    and any(_has(rule, "verbs", verb) for verb in verbs):
                return True
    return False


def _has(rule: JSON, field: str, wanted: str) -> bool:
    values = rule.get(field)
    return isinstance(values, list) and (wanted in values or "*" in values)


class NearMiss:
    """Why a selector almost matched: another value, another case, another namespace."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.by_key: dict[tuple[str | None, str], list[Object]] = defaultdict(list)
        self.namespaces = sorted({w.namespace for w in graph.workloads()}, key=str)
        for workload in graph.workloads():
            for key in pod_labels(workload):
                self.by_key[(workload.namespace, key.lower())].append(workload)

    def elsewhere(self, source: Object, selector: Selector) -> list[Object]:
        """The workloads of the first other namespace that the selector would select there."""
        for other in self.namespaces:
            if other != source.namespace:
                found = self.graph.local(source, self.graph.workloads_selected(other, selector))
                if found:
                    return found
        return []

    def closest(self, source: Object, selector: Selector) -> str:
        """The workload of the namespace that meets most requirements (at least one, or one
        almost: same key with a similar value or another case)."""
        best: tuple[float, Object, list[str]] | None = None
        seen: set[Object] = set()
        for requirement in selector.requirements:
            for workload in self.by_key.get((source.namespace, requirement.key.lower()), ()):
                if workload in seen or (workload.unit is not source.unit and self.graph.several_units):
                    continue
                seen.add(workload)
                misses = _misses(selector, workload)
                met = len(selector.requirements) - len(misses)
                score = met + 0.5 * sum(similar for __, similar in misses)
                if (met or score) and (best is None or score > best[0]):
                    best = (score, workload, [text for text, __ in misses])
        if best is None:
            return ""
        return _("closest is {best}, whose pods have ").format(best=show(best[1])) + "; ".join(best[2])


def _misses(selector: Selector, workload: Object) -> list[tuple[str, bool]]:
    """(what the pod labels have instead, whether it is almost right) per unmet requirement."""
    labels = pod_labels(workload)
    unknown = controller_label_values(workload)
    lowered = {k.lower(): k for k in labels}
    return [_miss(req, labels, lowered) for req in selector.requirements
            if not req.matches(labels, unknown)]


def _miss(req: Requirement, labels: JSON, lowered: dict[str, str]) -> tuple[str, bool]:
    key = req.key
    wanted = next(iter(req.values)) if req.operator == "In" and len(req.values) == 1 else None
    if key in labels:
        value = str(labels[key])
        if wanted is not None and value.lower() == wanted.lower():
            return _("{key}={value} (label values are case-sensitive)").format(key=key, value=value), True
        import difflib

        similar = wanted is not None and difflib.SequenceMatcher(None, value, wanted).ratio() >= 0.6
        return _("{key}={value} instead of {req}").format(key=key, value=value, req=req), similar
    if key.lower() in lowered:
        real = lowered[key.lower()]
        return _("{real}={labels} (label keys are case-sensitive; selector wants {req})").format(real=real, labels=labels[real], req=req), True
    return _("no label {key} (selector wants {req})").format(key=key, req=req), False


@check("service-spans-workloads", kinds=("Service",), needs_graph=True)
def service_spans_workloads(ctx: CheckContext, service: Object) -> Iterator[Hit]:
    graph = ctx.graph
    workloads = applied(graph, graph.workloads_behind(service))
    if len(workloads) < 2 or replaced(graph, service):
        return
    ports = {w: frozenset((p.number, p.protocol) for p in container_ports(w)) for w in workloads}
    if len(set(ports.values())) < 2:
        return
    listing = "; ".join(f"{show(w)}: {_ports_text(ports[w])}" for w in workloads[:4])
    more = _(" and {value} more").format(value=len(workloads) - 4) if len(workloads) > 4 else ""
    yield service.finding(("spec", "selector"),
                          _("selector {service} selects the pods of {n_workloads} workloads whose "
                            "containers expose different ports ({listing}{more}): traffic is spread over "
                            "unrelated pods").format(service=graph.selector_of(service), n_workloads=len(workloads), listing=listing, more=more))


def _ports_text(ports: frozenset[tuple[int | None, str]]) -> str:
    if not ports:
        return _("no ports")
    return ", ".join(f"{n}/{p}" if p != "TCP" else str(n) for n, p in sorted(ports, key=str))


@check("service-selects-job-pods", kinds=("Service",), needs_graph=True)
def service_selects_job_pods(ctx: CheckContext, service: Object) -> Iterator[Hit]:
    graph = ctx.graph
    workloads = graph.workloads_behind(service)
    if workloads and all(runs_to_completion(w) for w in workloads):
        if any(_pod_spec(w).get("subdomain") == service.name for w in workloads):
            return        # the documented pod-to-pod pattern: a headless Service as the pods' subdomain
        names = ", ".join(show(w) for w in workloads[:3])
        yield service.finding(("spec", "selector"),
                              _("selector {service} selects only pods that run to completion ({names}): "
                                "the Service has endpoints only while a run is in progress and none "
                                "between runs").format(service=graph.selector_of(service), names=names))


def _pod_spec(workload: Object) -> JSON:
    template = workload.pod_template
    return template.spec if template is not None else {}


# --- 4. ports ----------------------------------------------------------------------------------
class ContainerPort(NamedTuple):
    """One declared container port."""

    name: str | None
    number: int | None
    protocol: str
    container: str
    list_name: str
    sidecar: bool = False           # an init container with restartPolicy: Always


def container_ports(workload: Object, endpoints_only: bool = True, sidecars: bool = True) -> list[ContainerPort]:
    """Declared ports of the app containers and restartable (sidecar) init containers;
    those are the ones endpoint resolution reads (pkg/api/v1/pod/util.go FindPort).
    sidecars=False: a Kubernetes version without SidecarContainers, where the API server
    drops an init container's restartPolicy (pkg/api/pod/util.go dropDisabledFields), so
    its ports count for nothing."""
    template = workload.pod_template
    if template is None:
        return []
    out = []
    for container, __, list_name in template.all_containers():
        if list_name == "ephemeralContainers":
            continue
        if list_name == "initContainers" and endpoints_only \
                and (not sidecars or container.get("restartPolicy") != "Always"):
            continue
        ports = container.get("ports")
        if not isinstance(ports, list):
            continue
        for port in ports:
            if not isinstance(port, dict):
                continue
            number = port.get("containerPort")
            name = port.get("name")
            protocol = port.get("protocol") or "TCP"
            out.append(ContainerPort(name if isinstance(name, str) else None,
                                     number if isinstance(number, int) else None,
                                     protocol, str(container.get("name", "")), list_name,
                                     container.get("restartPolicy") == "Always"))
    return out


def service_ports(service: Object) -> Iterator[tuple[JSON, Path]]:
    ports = service.get("spec", "ports")
    if isinstance(ports, list):
        for i, port in enumerate(ports):
            if isinstance(port, dict):
                yield port, ("spec", "ports", i)


@check("service-target-port-missing", kinds=("Service",), needs_graph=True)
def service_target_port_missing(ctx: CheckContext, service: Object) -> Iterator[Hit]:
    """A named targetPort that a selected pod does not declare: the API server accepts the
    Service, and endpoint resolution (pkg/controller/endpointslice, podutil.FindPort) leaves
    those pods out for that port. No pod has it: the port cannot work (error); some lack it:
    they get none of its traffic (warning)."""
    workloads = ctx.graph.workloads_behind(service)
    if not workloads:
        return
    sidecars = ctx.kubernetes_version >= SIDECARS_FROM
    for port, path in service_ports(service):
        target = port.get("targetPort")
        if not isinstance(target, str) or not target or target.isdigit():
            continue
        protocol = port.get("protocol") or "TCP"
        lacking = [w for w in workloads
                   if not any(p.name == target and p.protocol == protocol
                              for p in container_ports(w, sidecars=sidecars))
                   and (target, protocol) not in _injected_ports(ctx.graph, w)]
        everyone = len(lacking) == len(workloads)
        for workload in lacking:
            declared = container_ports(workload, endpoints_only=False)
            yield service.finding(path + ("targetPort",), _missing_name(
                service, port, target, protocol, workload, declared, everyone, sidecars), at="value",
                severity=Severity.ERROR if everyone else Severity.WARNING)


def _injected_ports(graph: Graph, workload: Object) -> set[tuple[str, str]]:
    """(name, protocol) of the container ports that an OpenKruise SidecarSet of the
    workload's apply unit injects into its pods: its admission webhook adds spec.containers
    to every pod its selector matches, in its namespace when spec.namespace is set
    (https://openkruise.io/docs/user-manuals/sidecarset; kruise apis/apps/v1alpha1
    sidecarset_types.go). kruise docs/tutorial/v1's guestbook Service targets the port
    `sidecar-server` that guestbook-sidecar.yaml injects."""
    found: set[tuple[str, str]] = set()
    for sidecar_set in graph.local(workload, graph.of_kind("SidecarSet")):
        if sidecar_set.group != "apps.kruise.io":
            continue
        namespace = sidecar_set.get("spec", "namespace")
        if isinstance(namespace, str) and namespace and namespace != workload.namespace:
            continue
        selector = from_label_selector(sidecar_set.get("spec", "selector"))
        if selector is None or not selector.matches(pod_labels(workload)):
            continue
        containers = sidecar_set.get("spec", "containers")
        for container in containers if isinstance(containers, list) else ():
            ports = container.get("ports") if isinstance(container, dict) else None
            for entry in ports if isinstance(ports, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    found.add((entry["name"], str(entry.get("protocol") or "TCP")))
    return found


def _missing_name(service: Object, port: JSON, target: str, protocol: str, workload: Object,
                  declared: list[ContainerPort], everyone: bool, sidecars: bool) -> str:
    label = port.get("name") or port.get("port")
    effect = _("connections to port {label} fail (no endpoints)").format(label=label) if everyone else \
        _("they get none of its traffic")
    message = (_("targetPort {target} ({protocol}) of port {label} names no container port of "
                 "{workload}: the API server accepts it, but its pods never become endpoints for that "
                 "port, so {effect}").format(target=target, protocol=protocol, label=label, workload=show(workload), effect=effect))
    same_name = [p for p in declared if p.name == target]
    if same_name and same_name[0].list_name == "initContainers" and not sidecars and same_name[0].sidecar:
        return message + _(" (sidecar {container} declares it, but restartable sidecars are off by default "
                           "before Kubernetes {version}: its restartPolicy is dropped and it runs as a plain "
                           "init container)").format(container=same_name[0].container, version=show_version(SIDECARS_FROM))
    if same_name and same_name[0].list_name == "initContainers":
        return message + _(" (init container {container} declares it, but only app containers and "
                           "restartable sidecars count)").format(container=same_name[0].container)
    if same_name:
        return message + _(" (container {container} declares it as {protocol})").format(container=same_name[0].container, protocol=same_name[0].protocol)
    names = [p.name for p in declared if p.name]
    if names:
        return message + _("; it declares {names}").format(names=', '.join(names)) + did_you_mean(target, names)
    return message + _("; it declares no named ports")


@check("service-target-port-undeclared", kinds=("Service",), needs_graph=True)
def service_target_port_undeclared(ctx: CheckContext, service: Object) -> Iterator[Hit]:
    numeric = [(port, path, target) for port, path in service_ports(service)
               if (target := _numeric_target(port)) is not None]
    workloads = ctx.graph.workloads_behind(service) if numeric else []
    if not workloads:
        return
    ports = [container_ports(w) for w in workloads]
    # Container ports are informational: when some selected pod declares none we cannot tell.
    if not all(any(p.number is not None for p in ps) for ps in ports):
        return
    for port, path, target in numeric:
        protocol = port.get("protocol") or "TCP"
        if any(p.number == target and p.protocol == protocol for ps in ports for p in ps):
            continue
        where = path + ("targetPort",) if "targetPort" in port else path + ("port",)
        declared = sorted({p.number for ps in ports for p in ps if p.number is not None})
        yield service.finding(where, _("target port {target}/{protocol} is declared by no container of "
                                       "{value} (they declare {declared}): declaring is informational, "
                                       "so this works if the process listens there; if not, connections "
                                       "are refused").format(target=target, protocol=protocol, value=', '.join(show(w) for w in workloads[:3]), declared=', '.join(map(str, declared))),
                              at="value")


def _numeric_target(port: JSON) -> int | None:
    """The port number a Service port forwards to (targetPort defaults to port); None for names."""
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, str) and target.isdigit():
        target = int(target)
    return as_int(target)
