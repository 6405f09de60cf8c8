"""Services: ClusterIPs, DNS names (kubernetes.io/docs/concepts/services-networking/
dns-pod-service/), endpoints and the environment variables (pkg/kubelet/envvars/envvars.go)."""

from __future__ import annotations

import ipaddress
from typing import Any

from ..k8s.fields import as_int
from .timeline import Pod, Service, ServicePort

SERVICE_CIDR = "10.96.0.0/12"
CLUSTER_DOMAIN = "cluster.local"
# The `kubernetes` Service holds the first address of the service CIDR, port 443 named https
# (pkg/controlplane/controller/kubernetesservice). .10 is kube-dns by convention; user
# Services start after it.
KUBERNETES_SERVICE_IP = "10.96.0.1"
KUBERNETES_SERVICE_PORTS = [ServicePort("https", 443, "TCP", 6443)]
FIRST_USER_OFFSET = 11


class IPPool:
    """Deterministic ClusterIPs from 10.96.0.0/12, in creation order (illustrative)."""

    def __init__(self) -> None:
        self._network = ipaddress.ip_network(SERVICE_CIDR)
        self._next = FIRST_USER_OFFSET
        self._taken = {KUBERNETES_SERVICE_IP}

    def take(self, wanted: Any = None) -> str:
        if isinstance(wanted, str) and wanted and wanted != "None":
            self._taken.add(wanted)
            return wanted
        while True:
            ip = str(self._network[self._next])
            self._next += 1
            if ip not in self._taken:
                self._taken.add(ip)
                return ip


def env_prefix(name: str) -> str:
    """envvars.go makeEnvVariableName: upper case, `-` -> `_`, nothing else."""
    return name.upper().replace("-", "_")


def service_ports(spec: Any) -> list[ServicePort]:
    """Ports with the API defaults filled in: protocol TCP, targetPort = port
    (pkg/apis/core/v1/defaults.go SetDefaults_Service)."""
    ports = spec.get("ports") if isinstance(spec, dict) else None
    result = []
    for port in ports if isinstance(ports, list) else []:
        if not isinstance(port, dict) or not isinstance(port.get("port"), int):
            continue
        target = port.get("targetPort") or port["port"]
        node_port = port.get("nodePort")
        result.append(ServicePort(str(port.get("name") or ""), port["port"],
                                  str(port.get("protocol") or "TCP"),
                                  target if isinstance(target, (int, str)) else port["port"],
                                  node_port if isinstance(node_port, int) and node_port else None))
    return result


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"     # net.JoinHostPort


def service_env(name: str, ip: str, ports: list[ServicePort]) -> dict[str, str]:
    """The variables one Service gives a container (pkg/kubelet/envvars/envvars.go FromServices)."""
    if not ports:
        return {}
    prefix = env_prefix(name)
    env = {f"{prefix}_SERVICE_HOST": ip, f"{prefix}_SERVICE_PORT": str(ports[0].port)}
    for port in ports:
        if port.name:
            env[f"{prefix}_SERVICE_PORT_{env_prefix(port.name)}"] = str(port.port)
    for i, port in enumerate(ports):
        proto = port.protocol
        url = f"{proto.lower()}://{_host_port(ip, port.port)}"
        if i == 0:
            env[f"{prefix}_PORT"] = url          # Docker special-cases the first port
        base = f"{prefix}_PORT_{port.port}_{proto.upper()}"
        env[base] = url
        env[base + "_PROTO"] = proto.lower()
        env[base + "_PORT"] = str(port.port)
        env[base + "_ADDR"] = ip
    return env


def kubernetes_service_env() -> dict[str, str]:
    return service_env("kubernetes", KUBERNETES_SERVICE_IP, KUBERNETES_SERVICE_PORTS)


def pod_service_env(pod: Pod, services: list[Service], started_at: float,
                    created: dict[int, float]) -> dict[str, str]:
    """Service variables a container of `pod` gets when it starts at `started_at`.

    kubelet_pods.go getServiceEnvVarMap: default/kubernetes always; with service links on,
    every Service of the pod's namespace with a ClusterIP that exists at that moment (one of
    the same name in the pod's namespace replaces default/kubernetes)."""
    chosen: dict[str, dict[str, str]] = {"kubernetes": kubernetes_service_env()}
    links = pod.spec.get("enableServiceLinks")
    if links is not False:
        for svc in services:
            if svc.namespace != pod.namespace or svc.cluster_ip is None:
                continue
            if created.get(id(svc), 0.0) <= started_at:
                chosen[svc.name] = svc.env
    env: dict[str, str] = {}
    for name in sorted(chosen):
        env.update(chosen[name])
    return env


def dns_names(svc: Service) -> list[str]:
    """A/AAAA (or CNAME) name and SRV names of named ports."""
    fqdn = f"{svc.name}.{svc.namespace}.svc.{CLUSTER_DOMAIN}"
    names = [fqdn]
    for port in svc.ports:
        if port.name:
            names.append(f"_{port.name}._{port.protocol.lower()}.{fqdn}")
    return names


def resolve_target_port(pod: Pod, target: Any, protocol: str = "TCP") -> int | None:
    """A Service targetPort for one pod: a number, or the first container port of that name
    and protocol in the regular containers, then in the restartable sidecars (init
    containers with restartPolicy Always): pkg/api/v1/pod/util.go FindPort."""
    number = as_int(target)
    if number is not None:
        return number
    if isinstance(target, str) and target.isdigit():
        return int(target)
    sidecars = [c for c in pod.spec.get("initContainers") or []
                if isinstance(c, dict) and c.get("restartPolicy") == "Always"]
    for container in list(pod.spec.get("containers") or []) + sidecars:
        if not isinstance(container, dict):
            continue
        for port in container.get("ports") or []:
            if isinstance(port, dict) and port.get("name") == target \
                    and str(port.get("protocol") or "TCP") == protocol:
                number = port.get("containerPort")
                return number if isinstance(number, int) else None
    return None
