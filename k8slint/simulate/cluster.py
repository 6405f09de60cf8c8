"""The simulated cluster: nodes (default or from --cluster) and their running pods.

Default: three worker nodes of 4 CPU / 16 GiB, max 110 pods each (the kubelet's default
max-pods), no taints. A `--cluster` file of Node manifests replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..i18n import _
from .timeline import Pod

DEFAULT_NODES = 3
DEFAULT_CPU_MILLI = 4000
DEFAULT_MEMORY = 16 * 1024 ** 3
DEFAULT_MAX_PODS = 110              # kubelet --max-pods default (pkg/kubelet/apis/config/v1beta1/defaults.go)
ZONES = ("zone-a", "zone-b", "zone-c")

_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$")
_SUFFIX = {"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
           "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}


def quantity(value: Any) -> float | None:
    """A resource quantity as a number of base units; None when unreadable.

    Only what scheduling needs: the resources rules validate the grammar itself."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _QUANTITY.match(str(value).strip())
    if not match or match.group(2) not in _SUFFIX:
        return None
    try:
        return float(match.group(1)) * _SUFFIX[match.group(2)]
    except ValueError:
        return None


@dataclass
class Node:
    name: str
    labels: dict[str, str]
    taints: list[dict[str, Any]]
    cpu: float                       # millicores allocatable
    memory: float                    # bytes allocatable
    max_pods: int
    index: int
    unschedulable: bool = False
    pods: list[Pod] = field(default_factory=list)
    used_cpu: float = 0.0
    used_memory: float = 0.0
    next_ip: int = 2
    images: dict[str, float] = field(default_factory=dict)    # image -> time it is on the node
    address: str = ""                # the node's InternalIP (hostNetwork pods use it)
    scored_cpu: float = 0.0          # requests as the scorers count them (non-zero defaults)
    scored_memory: float = 0.0

    def allocate_ip(self) -> str:
        """Pod IPs from the node's illustrative pod CIDR 10.244.<n>.0/24."""
        ip = f"10.244.{self.index}.{self.next_ip}"
        self.next_ip += 1
        return ip

    def describe(self) -> str:
        return f"{self.name} ({self.cpu / 1000:g} CPU, {self.memory / 1024 ** 3:g} GiB)"


def default_nodes(count: int = DEFAULT_NODES) -> list[Node]:
    return [Node(name=f"node-{i}", labels=_node_labels(f"node-{i}", ZONES[(i - 1) % len(ZONES)]),
                 taints=[], cpu=DEFAULT_CPU_MILLI, memory=DEFAULT_MEMORY,
                 max_pods=DEFAULT_MAX_PODS, index=i, address=node_address(i))
            for i in range(1, count + 1)]


def node_address(index: int) -> str:
    """Illustrative InternalIP of the index-th node (1-based)."""
    return f"192.168.0.{10 + index}"


def _internal_ip(status: Any) -> str | None:
    addresses = status.get("addresses") if isinstance(status, dict) else None
    for entry in addresses if isinstance(addresses, list) else []:
        if isinstance(entry, dict) and entry.get("type") == "InternalIP" and entry.get("address"):
            return str(entry["address"])
    return None


def _node_labels(name: str, zone: str | None) -> dict[str, str]:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64"}
    if zone:
        labels["topology.kubernetes.io/zone"] = zone
    return labels


def nodes_from_file(path: str) -> tuple[list[Node], list[str]]:
    """Node manifests of a --cluster file; notes say which values were assumed."""
    from .. import graph as graph_mod
    from .. import parallel

    loaded = parallel.load([path])
    if loaded.io_errors:
        raise InputError("; ".join(loaded.io_errors))
    graph, _findings = graph_mod.build(loaded)
    nodes: list[Node] = []
    notes: list[str] = []
    for i, obj in enumerate(graph.of_kind("Node"), start=1):
        status = obj.get("status", default={}) or {}
        alloc = status.get("allocatable") or status.get("capacity") or {}
        alloc = alloc if isinstance(alloc, dict) else {}
        cpu, memory = quantity(alloc.get("cpu")), quantity(alloc.get("memory"))
        pods = quantity(alloc.get("pods"))
        if cpu is None or memory is None:
            notes.append(_("Node {name} gives no status.allocatable cpu/memory: 4 CPU / 16 GiB "
                           "assumed").format(name=obj.name))
        labels = {str(k): str(v) for k, v in obj.labels.items()}
        labels.setdefault("kubernetes.io/hostname", obj.name)
        taints = obj.get("spec", "taints", default=[]) or []
        nodes.append(Node(name=obj.name, labels=labels,
                          taints=[t for t in taints if isinstance(t, dict)],
                          cpu=DEFAULT_CPU_MILLI if cpu is None else cpu * 1000,
                          memory=DEFAULT_MEMORY if memory is None else memory,
                          max_pods=DEFAULT_MAX_PODS if pods is None else int(pods), index=i,
                          unschedulable=obj.get("spec", "unschedulable") is True,
                          address=_internal_ip(status) or node_address(i)))
    if not nodes:
        raise InputError(_("{path}: no Node objects found").format(path=path))
    return nodes, notes
