"""What each component is and does, one line each, shown the first time it acts.

Sources: kubernetes.io/docs/concepts/overview/components/ (control plane and node
components), kubernetes.io/docs/concepts/architecture/controller/ (controllers inside
kube-controller-manager), kubernetes.io/docs/concepts/services-networking/ (kube-proxy,
EndpointSlices, DNS).
"""

from __future__ import annotations

# The name a learner meets in `kubectl get events` / the docs, and its role.
ROLES: dict[str, tuple[str, str]] = {
    "kube-apiserver": ("kube-apiserver", "checks, defaults and stores objects; all others watch it"),
    "etcd": ("etcd", "the database that holds every object"),
    "scheduler": ("kube-scheduler", "picks a node for each new pod"),
    "kubelet": ("kubelet", "node agent: runs containers via the runtime, probes them"),
    "kube-proxy": ("kube-proxy", "on every node: turns Services into packet rules"),
    "coredns": ("CoreDNS", "the cluster's DNS server for Service names"),
    "endpointslice-controller": ("endpointslice controller", "lists the ready pods behind a Service"),
    "deployment-controller": ("deployment controller", "keeps a ReplicaSet per pod template"),
    "replicaset-controller": ("replicaset controller", "creates/deletes pods to match replicas"),
    "statefulset-controller": ("statefulset controller", "named pods with volumes, in order"),
    "daemonset-controller": ("daemonset controller", "one pod per eligible node"),
    "job-controller": ("job controller", "runs pods to completion, retries failures"),
    "cronjob-controller": ("cronjob controller", "creates a Job at each scheduled time"),
    "ttl-after-finished-controller": ("ttl-after-finished controller", "deletes finished Jobs"),
    "horizontal-pod-autoscaler": ("horizontal-pod-autoscaler", "sets replicas from metrics"),
    "disruption-controller": ("disruption controller", "computes PodDisruptionBudget status"),
    "garbage-collector": ("garbage collector", "deletes objects whose owner is gone"),
    "cloud-controller-manager": ("cloud-controller-manager", "creates cloud load balancers"),
    "kubectl": ("kubectl", "the command-line client you run"),
}
# Controllers that run inside kube-controller-manager (its --controllers list).
IN_CONTROLLER_MANAGER = frozenset(k for k in ROLES if k.endswith("-controller") or k in
                                  ("horizontal-pod-autoscaler", "garbage-collector"))


def display_name(actor: str) -> str:
    return ROLES.get(actor, (actor, ""))[0]


def role(actor: str) -> str:
    text = ROLES.get(actor, (actor, ""))[1]
    return f"in kube-controller-manager; {text}" if actor in IN_CONTROLLER_MANAGER and text else text
