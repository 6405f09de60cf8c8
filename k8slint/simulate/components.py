"""What each component is and does, one line each, shown the first time it acts.

Sources: kubernetes.io/docs/concepts/overview/components/ (control plane and node
components), kubernetes.io/docs/concepts/architecture/controller/ (controllers inside
kube-controller-manager), kubernetes.io/docs/concepts/services-networking/ (kube-proxy,
EndpointSlices, DNS).
"""

from __future__ import annotations

from ..i18n import N_, _

# The name a learner meets in `kubectl get events` / the docs, and its role.
ROLES: dict[str, tuple[str, str]] = {
    "kube-apiserver": ("kube-apiserver", N_("checks, defaults and stores objects; all others watch it")),
    "etcd": ("etcd", N_("the database that holds every object")),
    "scheduler": ("kube-scheduler", N_("picks a node for each new pod")),
    "kubelet": ("kubelet", N_("node agent: runs containers via the runtime, probes them")),
    "kube-proxy": ("kube-proxy", N_("on every node: turns Services into packet rules")),
    "coredns": ("CoreDNS", N_("the cluster's DNS server for Service names")),
    "endpointslice-controller": (N_("endpointslice controller"), N_("lists the ready pods behind a Service")),
    "deployment-controller": (N_("deployment controller"), N_("keeps a ReplicaSet per pod template")),
    "replicaset-controller": (N_("replicaset controller"), N_("creates/deletes pods to match replicas")),
    "statefulset-controller": (N_("statefulset controller"), N_("named pods with volumes, in order")),
    "daemonset-controller": (N_("daemonset controller"), N_("one pod per eligible node")),
    "job-controller": (N_("job controller"), N_("runs pods to completion, retries failures")),
    "cronjob-controller": (N_("cronjob controller"), N_("creates a Job at each scheduled time")),
    "ttl-after-finished-controller": (N_("ttl-after-finished controller"), N_("deletes finished Jobs")),
    "horizontal-pod-autoscaler": ("horizontal-pod-autoscaler", N_("sets replicas from metrics")),
    "disruption-controller": (N_("disruption controller"), N_("computes PodDisruptionBudget status")),
    "garbage-collector": (N_("garbage collector"), N_("deletes objects whose owner is gone")),
    "cloud-controller-manager": ("cloud-controller-manager", N_("creates cloud load balancers")),
    "kubectl": ("kubectl", N_("the command-line client you run")),
}
# Controllers that run inside kube-controller-manager (its --controllers list).
IN_CONTROLLER_MANAGER = frozenset(k for k in ROLES if k.endswith("-controller") or k in
                                  ("horizontal-pod-autoscaler", "garbage-collector"))


def display_name(actor: str) -> str:
    """The component's name in the output language (controllers: "deployment controller")."""
    return _(ROLES.get(actor, (actor, ""))[0])


def role(actor: str) -> str:
    text = ROLES.get(actor, (actor, ""))[1]
    text = _(text) if text else text
    return _("in kube-controller-manager; {role}").format(role=text) if actor in IN_CONTROLLER_MANAGER and text \
        else text
