"""What a Service's type and policies mean: NodePorts, load balancers, traffic policies,
session affinity, and the kube-proxy rules that follow (kubernetes.io/docs/concepts/
services-networking/service/, .../service-traffic-policy/, .../virtual-ips/).

- NodePort and LoadBalancer Services get a port from the node-port range 30000-32767 on
  every node (pkg/registry/core/service/portallocator/allocator.go AllocateNext; the
  range is kube-apiserver --service-node-port-range); a LoadBalancer gets them too unless
  `allocateLoadBalancerNodePorts: false`.
- A LoadBalancer's external address comes from a cloud-controller-manager (or MetalLB and
  the like); without one EXTERNAL-IP stays `<pending>` forever (staging/src/k8s.io/
  cloud-provider/controllers/service/controller.go syncLoadBalancerIfNeeded).
- externalTrafficPolicy Local: traffic that arrives at a node through a NodePort or the load
  balancer goes only to ready endpoints on that node (and keeps the client's source IP);
  nodes without one drop it. internalTrafficPolicy Local: in-cluster traffic to the
  ClusterIP goes only to endpoints on the sending pod's node (pkg/proxy/topology.go
  CategorizeEndpoints).
- sessionAffinity ClientIP: kube-proxy sends each client IP to the endpoint it used last,
  until timeoutSeconds (default 10800) pass without a connection (pkg/proxy/iptables/
  proxier.go: the `recent` match; pkg/apis/core/v1/defaults.go SetDefaults_Service).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..i18n import _
from ..k8s.fields import as_int
from .timeline import Service

NODE_PORT_RANGE = (30000, 32767)
DEFAULT_AFFINITY_SECONDS = 10800


class NodePortPool:
    """Node ports in creation order: asked-for ports are kept, others drawn from a stable
    hash of the Service and port (the real allocator draws at random)."""

    def __init__(self) -> None:
        self.taken: set[int] = set()

    def take(self, wanted: int | None, seed: str) -> int:
        if wanted is not None:
            self.taken.add(wanted)
            return wanted
        low, high = NODE_PORT_RANGE
        size = high - low + 1
        start = zlib.crc32(seed.encode()) % size
        for i in range(size):
            port = low + (start + i) % size
            if port not in self.taken:
                self.taken.add(port)
                return port
        raise InputError(_("the node-port range is full"))


def allocate_node_ports(svc: Service, spec: Mapping[str, Any], pool: NodePortPool) -> str | None:
    """Give each port of a NodePort / LoadBalancer Service its node port; the message, or
    None when the type has none."""
    if svc.type not in ("NodePort", "LoadBalancer"):
        return None
    if svc.type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is False:
        return None
    for port in svc.ports:
        port.node_port = pool.take(port.node_port, f"{svc.namespace}/{svc.name}/{port.port}/{port.protocol}")
    shown = ", ".join(f"{p.port}->{p.node_port}" for p in svc.ports)
    return _("allocates node port(s) {ports} from {low}-{high}: every node accepts connections on them").format(
        ports=shown, low=NODE_PORT_RANGE[0], high=NODE_PORT_RANGE[1])


def load_balancer(svc: Service) -> str | None:
    """What happens to a LoadBalancer's external address in a cluster without a cloud."""
    if svc.type != "LoadBalancer":
        return None
    svc.external_ip = "<pending>"
    return _("no cloud-controller-manager (or MetalLB) is assumed: nothing creates the load "
             "balancer, `kubectl get svc` shows EXTERNAL-IP <pending> forever; the node ports "
             "still work")


def traffic_policies(svc: Service, spec: Mapping[str, Any]) -> list[str]:
    """Sentences on externalTrafficPolicy / internalTrafficPolicy Local and ClientIP affinity."""
    notes = []
    if spec.get("externalTrafficPolicy") == "Local" and svc.type in ("NodePort", "LoadBalancer"):
        svc.traffic["externalTrafficPolicy"] = "Local"
        notes.append(_("externalTrafficPolicy Local: traffic arriving at a node port goes only to ready "
                       "endpoints on that node (the client IP is kept); a node without one drops it"))
    if spec.get("internalTrafficPolicy") == "Local" and svc.cluster_ip:
        svc.traffic["internalTrafficPolicy"] = "Local"
        notes.append(_("internalTrafficPolicy Local: a pod reaching the ClusterIP gets only endpoints on "
                       "its own node; on a node without one the connection fails"))
    if spec.get("sessionAffinity") == "ClientIP" and svc.cluster_ip:
        timeout = affinity_timeout(spec)
        svc.traffic["sessionAffinity"] = f"ClientIP {timeout}s"
        notes.append(_("sessionAffinity ClientIP: each client IP keeps going to the same endpoint until "
                       "{seconds} s pass without a connection from it (clients behind one NAT all land "
                       "on one pod)").format(seconds=timeout))
    return notes


def affinity_timeout(spec: Mapping[str, Any]) -> int:
    config = spec.get("sessionAffinityConfig")
    client = config.get("clientIP") if isinstance(config, dict) else None
    value = as_int(client.get("timeoutSeconds")) if isinstance(client, dict) else None
    return value if value is not None and value > 0 else DEFAULT_AFFINITY_SECONDS


def proxy_rules(svc: Service) -> str:
    """What kube-proxy programs on every node for a Service with a ClusterIP."""
    ports = ", ".join(f"{p.port}/{p.protocol}" for p in svc.ports)
    node_ports = [p.node_port for p in svc.ports if p.node_port]
    if node_ports:
        return _("programs {ip} ports {ports} and node port(s) {node_ports} on every node; with no ready "
                 "endpoint connections are rejected").format(
            ip=svc.cluster_ip, ports=ports, node_ports=", ".join(str(p) for p in node_ports))
    return _("programs {ip} ports {ports} on every node; with no ready endpoint connections are "
             "rejected").format(ip=svc.cluster_ip, ports=ports)
