"""kube-scheduler, reduced to its filters and the scores that decide spreading.

Filters (pkg/scheduler/framework/plugins): node unschedulable, nodeSelector, required node
affinity, taints (NoSchedule and NoExecute), requests against allocatable and max pods,
host ports, required pod (anti-)affinity and DoNotSchedule topology spread.
Scores, in this order of weight (a stable stand-in for the weighted sum):
- default topology spreading (pkg/scheduler/apis/config/v1/default_plugins.go and
  podtopologyspread/plugin.go systemDefaultConstraints: hostname maxSkew 3 and zone maxSkew
  5, both ScheduleAnyway): fewer pods of the same owner on the node, then in its zone;
- NodeResourcesFit LeastAllocated with non-zero requests (pkg/scheduler/util/pod_resources.go
  DefaultMilliCPURequest 100, DefaultMemoryRequest 200 MB): a pod without requests still
  counts as 100m CPU and 200 MB, so pods without requests spread too;
- then node order.
FailedScheduling messages follow framework/types.go FitError.Error, with the preemption
suffix (framework/preemption/preemption.go): with equal priorities no pod can be evicted
to make room ("No preemption victims found for incoming pod"), and nodes that fail for a
reason preemption cannot fix say "Preemption is not helpful for scheduling".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..i18n import _
from ..k8s.fields import as_int
from ..selector import from_label_selector
from .cluster import Node, quantity
from .timeline import Pod, mapping

# Tolerations the DaemonSet controller adds to its pods (
# pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations).
DAEMONSET_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
)
HOSTNETWORK_TOLERATION = {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists",
                          "effect": "NoSchedule"}
DEFAULT_MILLI_CPU = 100.0                      # pkg/scheduler/util/pod_resources.go
DEFAULT_MEMORY = 200.0 * 1024 * 1024
# Filter failures that preemption cannot resolve (UnschedulableAndUnresolvable).
UNRESOLVABLE = ("node(s) were unschedulable", "node(s) didn't match Pod's node affinity/selector",
                "node(s) had untolerated taint", "node(s) didn't match pod affinity rules")


def _requests(container: Any) -> tuple[float, float]:
    """(milli-CPU, bytes) a container requests; a limit alone stands for the request."""
    resources = container.get("resources") if isinstance(container, dict) else None
    resources = resources if isinstance(resources, dict) else {}
    requests = mapping(resources.get("requests"))
    limits = mapping(resources.get("limits"))
    cpu = quantity(requests.get("cpu", limits.get("cpu")))
    memory = quantity(requests.get("memory", limits.get("memory")))
    return (cpu or 0.0) * 1000, memory or 0.0


def pod_request(spec: dict[str, Any]) -> tuple[float, float]:
    """Effective request: max(app + sidecars, each init + the sidecars before it) + overhead;
    a pod-level spec.resources replaces the container sum (kubernetes.io/docs/concepts/
    configuration/manage-resources-containers/; pkg/api/v1/resource/helpers.go PodRequests)."""
    level = spec.get("resources")
    if isinstance(level, dict) and (level.get("requests") or level.get("limits")):
        cpu, memory = _requests(spec)
    else:
        sidecar_cpu = sidecar_mem = 0.0
        init_cpu = init_mem = 0.0
        for init in _list(spec.get("initContainers")):
            c, m = _requests(init)
            if init.get("restartPolicy") == "Always":
                sidecar_cpu, sidecar_mem = sidecar_cpu + c, sidecar_mem + m
            else:
                init_cpu, init_mem = max(init_cpu, c + sidecar_cpu), max(init_mem, m + sidecar_mem)
        app = [_requests(c) for c in _list(spec.get("containers"))]
        cpu = max(sum(c for c, __ in app) + sidecar_cpu, init_cpu)
        memory = max(sum(m for __, m in app) + sidecar_mem, init_mem)
    overhead = mapping(spec.get("overhead"))
    cpu += (quantity(overhead.get("cpu")) or 0.0) * 1000
    memory += quantity(overhead.get("memory")) or 0.0
    return cpu, memory


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def tolerates(tolerations: Iterable[dict[str, Any]], taint: dict[str, Any]) -> bool:
    for tol in tolerations:
        effect = tol.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        key = tol.get("key")
        if tol.get("operator") == "Exists":
            if not key or key == taint.get("key"):
                return True
        elif key == taint.get("key") and str(tol.get("value", "")) == str(taint.get("value", "")):
            return True
    return False


def _expression_matches(expr: dict[str, Any], labels: dict[str, str]) -> bool:
    key, op = expr.get("key"), expr.get("operator")
    values = [str(v) for v in expr.get("values") or []]
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op in ("Gt", "Lt") and key in labels and values:
        try:
            left, right = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return left > right if op == "Gt" else left < right
    return False


def node_affinity_ok(spec: dict[str, Any], node: Node) -> bool:
    selector = spec.get("nodeSelector")
    if isinstance(selector, dict) and any(node.labels.get(str(k)) != str(v) for k, v in selector.items()):
        return False
    required = _get(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    terms = _list(required.get("nodeSelectorTerms")) if isinstance(required, dict) else []
    if not terms:
        return True
    fields = {"metadata.name": node.name}
    for term in terms:       # terms are ORed, expressions inside one term ANDed
        exprs = _list(term.get("matchExpressions"))
        field_exprs = _list(term.get("matchFields"))
        if (exprs or field_exprs) and all(_expression_matches(e, node.labels) for e in exprs) \
                and all(_expression_matches(e, fields) for e in field_exprs):
            return True
    return False


def _get(data: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _host_ports(spec: dict[str, Any]) -> set[tuple[str, int]]:
    ports = set()
    for container in _list(spec.get("containers")) + _list(spec.get("initContainers")):
        for port in _list(container.get("ports")):
            host = as_int(port.get("hostPort") or (port.get("containerPort") if spec.get("hostNetwork") else None))
            if host is not None:
                ports.add((str(port.get("protocol", "TCP")), host))
    return ports


def _affinity_terms(spec: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    required = _get(spec, "affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution")
    return _list(required)


def _term_matches(term: dict[str, Any], pod: Pod, other: Pod) -> bool:
    namespaces = term.get("namespaces") or [pod.namespace]
    if other.namespace not in namespaces:
        return False
    selector = from_label_selector(term.get("labelSelector"))
    return selector is not None and selector.matches(other.labels)


def _domain_pods(nodes: list[Node], node: Node, key: str) -> list[Pod]:
    value = node.labels.get(key)
    if value is None:
        return []
    return [p for n in nodes if n.labels.get(key) == value for p in n.pods]


def _affinity_ok(pod: Pod, node: Node, nodes: list[Node]) -> tuple[bool, str]:
    spec = pod.spec
    for term in _affinity_terms(spec, "podAntiAffinity"):
        if any(_term_matches(term, pod, other) for other in _domain_pods(nodes, node, str(term.get("topologyKey")))):
            return False, "node(s) didn't match pod anti-affinity rules"
    # existing pods' anti-affinity against the incoming pod (symmetry)
    for other in (p for n in nodes for p in n.pods):
        for term in _affinity_terms(other.spec, "podAntiAffinity"):
            key = str(term.get("topologyKey"))
            if node.labels.get(key) is not None and other.node is not None and \
                    node.labels.get(key) == _node_label(nodes, other.node, key) and _term_matches(term, other, pod):
                return False, "node(s) didn't satisfy existing pods anti-affinity rules"
    for term in _affinity_terms(spec, "podAffinity"):
        domain = _domain_pods(nodes, node, str(term.get("topologyKey")))
        if any(_term_matches(term, pod, other) for other in domain):
            continue
        anywhere = any(_term_matches(term, pod, p) for n in nodes for p in n.pods)
        if anywhere or not _term_matches(term, pod, pod):   # the first pod may match itself
            return False, "node(s) didn't match pod affinity rules"
    return True, ""


def _node_label(nodes: list[Node], name: str, key: str) -> str | None:
    for node in nodes:
        if node.name == name:
            return node.labels.get(key)
    return None


def _spread_ok(pod: Pod, node: Node, nodes: list[Node], eligible: list[Node]) -> bool:
    for constraint in _list(pod.spec.get("topologySpreadConstraints")):
        if constraint.get("whenUnsatisfiable", "DoNotSchedule") != "DoNotSchedule":
            continue
        key = str(constraint.get("topologyKey"))
        selector = from_label_selector(constraint.get("labelSelector"))
        max_skew = constraint.get("maxSkew", 1)
        if node.labels.get(key) is None:
            return False
        counts = {c.labels[key]: 0 for c in eligible if key in c.labels}
        for other in nodes:
            value = other.labels.get(key)
            if value in counts:
                counts[value] += sum(1 for p in other.pods if p.namespace == pod.namespace
                                     and selector is not None and selector.matches(p.labels))
        if not counts:
            continue
        written = as_int(max_skew)
        skew = 1 if written is None else written
        if counts.get(node.labels[key], 0) + 1 - min(counts.values()) > skew:
            return False
    return True


def schedule(pod: Pod, nodes: list[Node], tolerations: list[dict[str, Any]]) -> tuple[Node | None, str]:
    """The node the pod is bound to, or None and the scheduler's FailedScheduling message."""
    cpu, memory = pod_request(pod.spec)
    reasons: Counter[str] = Counter()
    eligible = [n for n in nodes if node_affinity_ok(pod.spec, n)]
    feasible: list[Node] = []
    for node in nodes:
        reason = _filter(pod, node, nodes, eligible, cpu, memory, tolerations)
        if reason:
            reasons[reason] += 1
        else:
            feasible.append(node)
    if not feasible:
        return None, fit_error(len(nodes), reasons)
    best = min(feasible, key=lambda node: _score(pod, node, nodes))
    best.pods.append(pod)
    best.used_cpu += cpu
    best.used_memory += memory
    best.scored_cpu += cpu or DEFAULT_MILLI_CPU
    best.scored_memory += memory or DEFAULT_MEMORY
    if not cpu and not memory:
        return best, _("no CPU or memory requests")
    return best, _("requests {cpu}m CPU, {memory}Mi").format(cpu=f"{cpu:g}", memory=f"{memory / 1024 ** 2:g}")


def fit_error(total: int, reasons: Counter[str]) -> str:
    """FitError.Error: the reasons histogram (sorted as strings), then the preemption part."""
    detail = ", ".join(sorted(f"{count} {reason}" for reason, count in reasons.items()))
    hopeless = sum(c for r, c in reasons.items() if r.startswith(UNRESOLVABLE))
    victims = total - hopeless
    post = sorted(([f"{hopeless} Preemption is not helpful for scheduling"] if hopeless else [])
                  + ([f"{victims} No preemption victims found for incoming pod"] if victims else []))
    return (f"0/{total} nodes are available: {detail}. preemption: 0/{total} nodes are available: "
            f"{', '.join(post)}..")


def _score(pod: Pod, node: Node, nodes: list[Node]) -> tuple[int, int, float, int]:
    """Lower is better: same-owner pods on the node, then in its zone, then the node's share
    of (non-zero) requested CPU and memory, then node order."""
    def mine(other: Pod) -> bool:
        return other.owner.get("name") == pod.owner.get("name") and other.owner.get("kind") == \
            pod.owner.get("kind") and other.namespace == pod.namespace
    on_node = sum(1 for p in node.pods if mine(p))
    zone = node.labels.get("topology.kubernetes.io/zone")
    in_zone = sum(1 for n in nodes if zone is not None and n.labels.get("topology.kubernetes.io/zone") == zone
                  for p in n.pods if mine(p))
    share = (node.scored_cpu / node.cpu if node.cpu else 1.0) + \
        (node.scored_memory / node.memory if node.memory else 1.0)
    return on_node, in_zone, share, node.index


def _filter(pod: Pod, node: Node, nodes: list[Node], eligible: list[Node], cpu: float,
            memory: float, tolerations: list[dict[str, Any]]) -> str:
    if node.unschedulable and not tolerates(tolerations, {"key": "node.kubernetes.io/unschedulable",
                                                          "effect": "NoSchedule"}):
        return "node(s) were unschedulable"
    if node not in eligible:
        return "node(s) didn't match Pod's node affinity/selector"
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerates(tolerations, taint):
            value = f": {taint['value']}" if taint.get("value") else ""
            return f"node(s) had untolerated taint {{{taint.get('key')}{value}}}"
    if len(node.pods) + 1 > node.max_pods:
        return "Too many pods"
    if cpu and node.used_cpu + cpu > node.cpu:
        return "Insufficient cpu"
    if memory and node.used_memory + memory > node.memory:
        return "Insufficient memory"
    wanted = _host_ports(pod.spec)
    if wanted and any(wanted & _host_ports(p.spec) for p in node.pods):
        return "node(s) didn't have free ports for the requested pod ports"
    ok, reason = _affinity_ok(pod, node, nodes)
    if not ok:
        return reason
    if not _spread_ok(pod, node, nodes, eligible):
        return "node(s) didn't match pod topology spread constraints"
    return ""
