"""By-name references: Ingress, HPA, PDB, NetworkPolicy, pod references, StatefulSet
serviceName, RBAC bindings, volume mounts.

Objects often live outside the repository (Secrets from a vault, ServiceAccounts made by a
platform team), so a missing target is a warning only when the input defines at least one
object of that kind in that namespace, and an info otherwise; `optional: true` never warns.
Which fields name which objects is data in k8s/references.py, shared with `explain`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from .. import schema
from ..engine import CheckContext, check
from ..graph import Graph, Object, PodTemplate
from ..i18n import N_, _
from ..k8s.kinds import BUILTIN_GROUPS
from ..k8s.podvalidation import rejected
from ..k8s.references import SCALABLE_KINDS, Reference, always_present
from ..model import JSON, Hit, Path, Severity
from ..placeholders import instance_of
from ..selector import Selector, from_label_selector
from .naming import named
from .selector import (
    applied,
    did_you_mean,
    replaced,
    run_time_creator,
    runs_to_completion,
    selects_nothing,
    service_ports,
    show,
    unmatched,
)

# What a pod cannot do without the object a field names (the reference's first path step
# inside the pod spec decides).
_POD_CONSEQUENCE = {
    "volumes": N_("the pod cannot mount volume {volume} and stays in ContainerCreating"),
    "env": N_("the container does not start (CreateContainerConfigError)"),
    "envFrom": N_("the container does not start (CreateContainerConfigError)"),
    "imagePullSecrets": N_("image pulls from a private registry fail (ImagePullBackOff)"),
    "serviceAccountName": N_("the controller cannot create pods: admission rejects them (error looking up "
                            "service account)"),
}
_POD_CONSEQUENCE["serviceAccount"] = _POD_CONSEQUENCE["serviceAccountName"]


# istiod's namespace controller keeps this ConfigMap (the mesh's root certificate) in every
# namespace (istio pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go
# CACertNamespaceConfigMap, features.CACertConfigMapName): gateways, ztunnel and injected
# sidecars mount it.
ISTIO_ROOT_CERT = "istio-ca-root-cert"
# On OpenShift the controller manager publishes the service serving CA in this ConfigMap of
# every namespace (since 4.12; OpenShift documentation, security/certificates/
# service-serving-certificate, "Access the service CA bundle in the default config map",
# https://github.com/openshift/openshift-docs/pull/87272).
OPENSHIFT_SERVICE_CA = "openshift-service-ca.crt"
# ConfigMaps a platform writes into every namespace, on the clusters that run it: an info.
PLATFORM_CONFIGMAPS: dict[str, str] = {
    ISTIO_ROOT_CERT: N_("{message} - unless it is created at run time: in an Istio mesh, istiod writes ConfigMap "
                        "{name} into every namespace, and the kubelet retries until it exists"),
    OPENSHIFT_SERVICE_CA: N_("{message} - unless it is created at run time: on OpenShift, the controller manager "
                             "writes ConfigMap {name} into every namespace, and the kubelet retries until it exists"),
}


def missing(graph: Graph, source: Object, ref: Reference, consequence: str,
            kind_word: str | None = None) -> Hit:
    """A finding for a reference whose target is nowhere in the input: a warning when the
    source's apply unit defines objects of that kind there (a did-you-mean among them), an
    info otherwise (the target is probably made elsewhere)."""
    platform = PLATFORM_CONFIGMAPS.get(ref.name) if ref.kind == "ConfigMap" else None
    names = [] if platform else graph.names_in(ref.kind, ref.namespace, near=source)
    where = _(" in namespace {ref_namespace}").format(ref_namespace=ref.namespace) if ref.namespace else ""
    message = (_("{value} {ref_name} does not exist{where} in the input{ref_name2}: {consequence}").format(value=kind_word or ref.kind, ref_name=ref.name, where=where, ref_name2=did_you_mean(ref.name, names), consequence=consequence))
    resource = _CREATED.get(ref.kind)
    creator = run_time_creator(graph, source, ref.namespace, resource) if resource else None
    if creator is not None:
        if ref.kind == "Secret":
            text = _("{message} - unless it is created at run time: {creator} may create "
                     "Secrets there, and the kubelet retries until it exists")
        elif ref.kind == "ConfigMap":
            text = _("{message} - unless it is created at run time: {creator} may create "
                     "ConfigMaps there, and the kubelet retries until it exists")
        else:
            text = _("{message} - unless it is created at run time: {creator} may create "
                     "Services there (an operator often makes the Service of what it runs)")
        return source.finding(ref.path, text.format(message=message, creator=creator), at="value",
                              severity=Severity.INFO)
    if platform:
        return source.finding(ref.path, _(platform).format(message=message, name=ref.name), at="value",
                              severity=Severity.INFO)
    if ref.namespace == "kube-system":
        # The cluster and its add-ons keep their own objects there (kube-dns, metrics-server,
        # a dashboard installed apart), which the input seldom shows.
        return source.finding(ref.path, _("{message} - unless it is created outside this input (kube-system "
                                          "holds objects that the cluster and its add-ons create)").format(
                                  message=message), at="value", severity=Severity.INFO)
    from ..context_namespace import same_name_apart, unless_applied_with  # only for a missing target
    apart = same_name_apart(graph, source, ref.kind, ref.namespace, ref.name,
                            named_by_source=ref.namespace == source.namespace)
    if apart is not None:
        return source.finding(ref.path, unless_applied_with(message, *apart), at="value", severity=Severity.INFO)
    template = instance_of(ref.name, names)
    if template is not None:
        # a template such as karmada's artifacts/deploy/karmada-config-secret.yaml
        # (`name: ${component}-config`), which hack/deploy-karmada.sh fills in with sed per component
        return source.finding(ref.path, _("{message} - unless it is made from {ref_kind} {template} of the input, "
                                          "whose placeholders are filled in before applying").format(
                                  message=message, ref_kind=ref.kind, template=template),
                              at="value", severity=Severity.INFO)
    made = _script_creator(source, ref)
    if made is not None:
        return source.finding(ref.path, _("{message} - unless it is created before: {script}:{line} creates "
                                          "{ref_kind} {ref_name} with kubectl").format(
            message=message, script=os.path.relpath(made[0]), line=made[1], ref_kind=ref.kind, ref_name=ref.name),
            at="value", severity=Severity.INFO)
    if names:
        return source.finding(ref.path, message, at="value")
    scope = _("its apply unit") if graph.several_units else _("the input")
    return source.finding(ref.path, _("{message} - unless it is created outside this input ({scope} has "
                                      "no {ref_kind}{where})").format(message=message, scope=scope, ref_kind=ref.kind, where=where), at="value", severity=Severity.INFO)


def _script_creator(source: Object, ref: Reference) -> tuple[str, int] | None:
    """The script line that creates a missing Secret or ConfigMap with kubectl
    (k8slint.scripted, imported only when one is missing: off the start-up path)."""
    if ref.kind not in ("Secret", "ConfigMap"):
        return None
    from .. import scripted

    return scripted.creator(source.file, ref.kind, ref.name)


# Kinds an operator of the input may create at run time -> their core resource. rook's
# operator (deploy/examples/operator.yaml, allowed by common.yaml's rook-ceph-cluster-mgmt)
# writes ConfigMap rook-ceph-mon-endpoints and Service rook-ceph-mgr-dashboard for the
# CephCluster of cluster.yaml, which direct-mount.yaml and dashboard-ingress-https.yaml use.
_CREATED = {"Secret": "secrets", "ConfigMap": "configmaps", "Service": "services"}


def _copy_for(source: Object, found: list[Object]) -> Object:
    """The copy of a referenced object to judge `source` against when its apply unit defines
    several (object-duplicate says so): the one in source's own file, written with it (a
    folder of alternative variants, as kubernetes/autoscaler's azure examples keep them, each
    file with its Deployment and its Secret), else the last, which `kubectl apply` keeps."""
    for obj in found:
        if obj.file == source.file:
            return obj
    return found[-1]


def _present(graph: Graph, ref: Reference) -> Object | None | bool:
    """The target object, True when the cluster always has it, None when absent."""
    if always_present(ref.kind, ref.name):
        return True
    return graph.provided_by(ref.kind, ref.namespace, ref.name)


# --- Ingress -----------------------------------------------------------------------------------
def _refs(graph: Graph, source: Object, *kinds: str) -> Iterator[Reference]:
    for ref in graph.references_from(source):
        if ref.kind in kinds:
            yield ref


# AWS Load Balancer Controller: a backend whose port is `use-annotation` names the action of
# the annotation alb.ingress.kubernetes.io/actions.<name> (forward with weights, redirect,
# fixed response), not a Service port; the controller reads the action instead. The
# annotation may be written at run time (Argo Rollouts' ALB traffic routing sets it on the
# Ingress it names), so the backend is never judged as a Service port.
# https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#actions
_ALB_ACTION_PORT = "use-annotation"


def _alb_action(ingress: Object, ref: Reference) -> bool:
    """The backend of `ref` is an AWS Load Balancer Controller action, not a Service port."""
    parent = ref.path[:-1]
    port = ingress.get(*parent, "servicePort") if ref.path[-1] == "serviceName" else \
        ingress.get(*parent, "port", "name")
    return bool(port == _ALB_ACTION_PORT)


@check("ingress-service-missing", kinds=("Ingress",), needs_graph=True)
def ingress_service_missing(ctx: CheckContext, ingress: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _refs(graph, ingress, "Service"):
        if _present(graph, ref) is None and not _alb_action(ingress, ref):
            yield missing(graph, ingress, ref, _("requests routed to this backend fail (503)"))


@check("ingress-service-port-missing", kinds=("Ingress",), needs_graph=True)
def ingress_service_port_missing(ctx: CheckContext, ingress: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _refs(graph, ingress, "Service"):
        if _alb_action(ingress, ref):
            continue
        found, local = graph.lookup(ingress, graph.named("Service", ref.namespace, ref.name))
        if not found or not local:
            continue                                   # elsewhere: never judged against this Ingress
        service = _copy_for(ingress, found)
        ports = [p for p, __ in service_ports(service)]
        if not ports:
            continue                                   # ExternalName or malformed
        parent = ref.path[:-1]
        if ref.path[-1] == "serviceName":              # v1beta1 backend
            wanted, wanted_path = ingress.get(*parent, "servicePort"), parent + ("servicePort",)
        else:
            port = ingress.get(*parent, "port")
            port = port if isinstance(port, dict) else {}
            key = "number" if "number" in port else "name"
            wanted, wanted_path = port.get(key), parent + ("port", key)
        if isinstance(wanted, str) and wanted.isdigit():
            wanted = int(wanted)
        if isinstance(wanted, bool) or not isinstance(wanted, (int, str)) or wanted == "":
            continue
        field = "port" if isinstance(wanted, int) else "name"
        if any(p.get(field) == wanted for p in ports):
            continue
        have = ", ".join(_service_port_text(p) for p in ports)
        names = [str(p.get(field)) for p in ports if p.get(field) is not None]
        yield ingress.finding(wanted_path, _("Service {ref_name} has no port {value}{wanted} (it has "
                                             "{have}){value2}: the ingress controller finds no endpoints "
                                             "for this backend (503)").format(ref_name=ref.name, value='named ' if field == 'name' else '', wanted=wanted, have=have, value2=did_you_mean(str(wanted), names) if field == 'name' else ''),
                              at="value")


def _service_port_text(port: JSON) -> str:
    name = port.get("name")
    return f"{port.get('port')}/{name}" if name else str(port.get("port"))


@check("ingress-class-missing", kinds=("Ingress",), needs_graph=True)
def ingress_class_missing(ctx: CheckContext, ingress: Object) -> Iterator[Hit]:
    graph = ctx.graph
    # Only the classes of the Ingress's own apply unit: a class another folder defines says
    # nothing about the one the controller this Ingress uses installs with itself
    # (eks-workshop-v2: `alb` from the AWS Load Balancer Controller chart, `eks-auto-alb` in
    # an unrelated module).
    classes = graph.names_in("IngressClass", None, near=ingress)
    if not classes:
        return                                         # classes are usually installed elsewhere
    for ref in _refs(graph, ingress, "IngressClass"):
        if _present(graph, ref) is None:
            yield ingress.finding(ref.path, _("IngressClass {ref_name} is not in the input (it has "
                                              "{classes}){ref_name2}: no ingress controller serves this "
                                              "Ingress").format(ref_name=ref.name, classes=', '.join(classes), ref_name2=did_you_mean(ref.name, classes)), at="value")


# --- HorizontalPodAutoscaler -------------------------------------------------------------------
@check("hpa-target-missing", kinds=("HorizontalPodAutoscaler",), needs_graph=True)
def hpa_target_missing(ctx: CheckContext, hpa: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in graph.references_from(hpa):
        builtin = ref.group in BUILTIN_GROUPS
        if builtin and ref.kind not in SCALABLE_KINDS:
            yield hpa.finding(("spec", "scaleTargetRef", "kind"), _("{ref_kind} has no scale subresource: "
                                                                    "the autoscaler cannot read or set its "
                                                                    "replicas").format(ref_kind=ref.kind),
                              at="value", severity=Severity.WARNING)
            continue
        if graph.named(ref.kind, ref.namespace, ref.name):
            continue
        other = [o for k in SCALABLE_KINDS - {ref.kind} for o in graph.named(k, ref.namespace, ref.name)]
        if other:
            yield hpa.finding(ref.path, _("no {ref_kind} {ref_name} in namespace {ref_namespace}, but "
                                          "{other} exists: scaleTargetRef.kind must name its kind; the "
                                          "autoscaler scales nothing").format(ref_kind=ref.kind, ref_name=ref.name, ref_namespace=ref.namespace, other=show(other[0])), at="value")
            continue
        yield missing(graph, hpa, ref, _("the autoscaler scales nothing (FailedGetScale)"))


# --- PodDisruptionBudget and NetworkPolicy: selectors that name pods ---------------------------
@check("pdb-selects-nothing", kinds=("PodDisruptionBudget",), needs_graph=True)
def pdb_selects_nothing(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    if pdb.api_version == "policy/v1" and isinstance(pdb.get("spec"), dict) and pdb.get("spec", "selector") is None:
        # policy/v1 PodDisruptionBudgetSpec.selector: "A null selector will match no pods".
        yield pdb.finding(("spec",), _("no spec.selector: in policy/v1 a budget without a selector "
                                       "selects no pod, so it protects nothing during node drains; set "
                                       "spec.selector to the labels of the workload's pods"))
        return
    selector = unmatched(ctx.graph, pdb)
    if selector is None:
        return
    message = (_("selector {selector} matches no pod template in namespace {pdb_namespace}: the budget "
                 "protects nothing during node drains").format(selector=selector, pdb_namespace=pdb.namespace))
    hit = selects_nothing(ctx, pdb, ("spec", "selector"), message, selector)
    if hit is not None:
        yield hit


@check("pdb-spans-workloads", kinds=("PodDisruptionBudget",), needs_graph=True)
def pdb_spans_workloads(ctx: CheckContext, pdb: Object) -> Iterator[Hit]:
    graph = ctx.graph
    workloads = [w for w in applied(graph, graph.selected_by(pdb)) if not runs_to_completion(w)]
    identities = {w.identity for w in workloads}
    if len(identities) < 2 or replaced(graph, pdb):
        return
    names = ", ".join(show(w) for w in workloads[:4])
    more = _(" and {value} more").format(value=len(workloads) - 4) if len(workloads) > 4 else ""
    yield pdb.finding(("spec", "selector"), _("selector {pdb} selects the pods of {n_identities} "
                                              "workloads ({names}{more}): they share one budget, so "
                                              "unavailable pods of one block evictions of the others").format(pdb=graph.selector_of(pdb), n_identities=len(identities), names=names, more=more))


@check("networkpolicy-selects-nothing", kinds=("NetworkPolicy",), needs_graph=True)
def networkpolicy_selects_nothing(ctx: CheckContext, policy: Object) -> Iterator[Hit]:
    graph = ctx.graph
    selector = unmatched(graph, policy)
    if selector is not None:
        message = (_("podSelector {selector} matches no pod template in namespace {policy_namespace}: "
                     "the policy isolates nothing").format(selector=selector, policy_namespace=policy.namespace))
        hit = selects_nothing(ctx, policy, ("spec", "podSelector"), message, selector)
        if hit is not None:
            yield hit
    for path, peer in _peer_selectors(policy):
        if graph.workloads_selected(policy.namespace, peer):
            continue
        direction = "from" if path[1] == "ingress" else "to"
        message = (_("peer podSelector {peer} matches no pod template in namespace {policy_namespace}: "
                     "this rule allows traffic {direction} no pod").format(peer=peer, policy_namespace=policy.namespace, direction=direction))
        hit = selects_nothing(ctx, policy, path, message, peer)
        if hit is not None:
            yield hit


def _peer_selectors(policy: Object) -> Iterator[tuple[Path, Selector]]:
    """Non-empty podSelectors of ingress `from` and egress `to` peers in the policy's own
    namespace (a peer with a namespaceSelector reaches other namespaces: not decidable)."""
    for section, peers_key in (("ingress", "from"), ("egress", "to")):
        rules = policy.get("spec", section)
        if not isinstance(rules, list):
            continue
        for i, rule in enumerate(rules):
            peers = rule.get(peers_key) if isinstance(rule, dict) else None
            if not isinstance(peers, list):
                continue
            for j, peer in enumerate(peers):
                if not isinstance(peer, dict) or "namespaceSelector" in peer:
                    continue
                selector = from_label_selector(peer.get("podSelector"))
                if selector is not None and not selector.empty:
                    yield ("spec", section, i, peers_key, j, "podSelector"), selector


# --- references out of pod specs ---------------------------------------------------------------
def _pod_refs(graph: Graph, workload: Object, kind: str) -> Iterator[Reference]:
    """References of a kind out of a workload's pods (a PodTemplate object runs none)."""
    if workload.kind != "PodTemplate":
        yield from _refs(graph, workload, kind)


def _pod_consequence(workload: Object, ref: Reference) -> str:
    template = workload.pod_template
    inner = ref.path[len(template.spec_path):] if template is not None else ref.path
    step = inner[2] if inner and inner[0] in ("containers", "initContainers", "ephemeralContainers") \
        and len(inner) > 2 else (inner[0] if inner else "")
    text = _(_POD_CONSEQUENCE.get(step, N_("pods that need it do not start")))
    if "{volume}" in text:
        volume = workload.get(*(template.spec_path if template else ()), "volumes", inner[1], "name") \
            if len(inner) > 1 else None
        text = text.format(volume=volume or "")
    return text


def _check_pod_refs(graph: Graph, workload: Object, kind: str,
                    key_sources: tuple[str, ...]) -> Iterator[Hit]:
    for ref in _pod_refs(graph, workload, kind):
        if ref.optional:
            continue
        target = _present(graph, ref)
        if target is None:
            yield missing(graph, workload, ref, _pod_consequence(workload, ref))
        elif isinstance(target, Object) and ref.keys:
            found, local = graph.lookup(workload, graph.named(kind, ref.namespace, ref.name))
            if found and local:                        # keys are judged in the apply unit only
                yield from _missing_keys(workload, ref, _copy_for(workload, found), key_sources)


def _missing_keys(workload: Object, ref: Reference, target: Object,
                  sources: tuple[str, ...]) -> Iterator[Hit]:
    keys: set[str] = set()
    for field in sources:
        data = target.get(field)
        if isinstance(data, dict):
            keys.update(str(k) for k in data)
    for key, path in ref.keys:
        if key in keys:
            continue
        have = ", ".join(sorted(keys)[:8]) or "no keys"
        # With no keys at all the object may be filled at run time: a warning, not an error.
        yield workload.finding(path, _("{target_kind} {ref_name} has no key {key} (it has {have}){key2}: "
                                       "{workload}").format(target_kind=target.kind, ref_name=ref.name, key=key, have=have, key2=did_you_mean(key, keys), workload=_pod_consequence(workload, ref)),
                               at="value", severity=Severity.ERROR if keys else Severity.WARNING)


@check("configmap-ref-missing", workloads=True, needs_graph=True)
def configmap_ref_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    yield from _check_pod_refs(ctx.graph, workload, "ConfigMap", ("data", "binaryData"))


@check("secret-ref-missing", workloads=True, needs_graph=True)
def secret_ref_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    yield from _check_pod_refs(ctx.graph, workload, "Secret", ("data", "stringData"))


@check("pvc-ref-missing", workloads=True, needs_graph=True)
def pvc_ref_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _pod_refs(graph, workload, "PersistentVolumeClaim"):
        if _present(graph, ref) is None:
            yield missing(graph, workload, ref, _("the pod stays Pending until the claim exists"),
                          "PersistentVolumeClaim")


@check("service-account-missing", workloads=True, needs_graph=True)
def service_account_missing(ctx: CheckContext, workload: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _pod_refs(graph, workload, "ServiceAccount"):
        template = workload.template
        if ref.path[-1] == "serviceAccount" and template is not None \
                and template.spec.get("serviceAccountName"):
            continue                                   # the deprecated alias; the name wins
        if _present(graph, ref) is None:
            yield missing(graph, workload, ref, _pod_consequence(workload, ref))


# --- StatefulSet governing Service -------------------------------------------------------------
@check("statefulset-service-invalid", kinds=("StatefulSet",), needs_graph=True)
def statefulset_service_invalid(ctx: CheckContext, sts: Object) -> Iterator[Hit]:
    graph = ctx.graph
    if sts.group != "apps" or not sts.has_pod_template:
        return
    name = sts.get("spec", "serviceName")
    if not isinstance(name, str) or not name:
        # Required by the schemas up to 1.32 (the schema rules report it there).
        if ctx.kubernetes_version >= (1, 33):
            yield sts.finding(("spec",), _("no serviceName: the pods run but get no per-pod DNS names "
                                           "(<pod>.<service>.{sts_namespace}.svc)").format(sts_namespace=sts.namespace))
        return
    ref = next((r for r in graph.references_from(sts) if r.path == ("spec", "serviceName")), None)
    if ref is None:
        return
    found, local = graph.lookup(sts, graph.named("Service", sts.namespace, name))
    if not found:
        yield missing(graph, sts, ref, _("its pods get no per-pod DNS names"))
        return
    if not local:
        return                                         # in another apply unit: not judged here
    service = _copy_for(sts, found)
    if service.get("spec", "clusterIP") != "None":
        yield sts.finding(ref.path, _("Service {name} is not headless (it lacks clusterIP: None): the "
                                      "pods get no per-pod DNS names").format(name=name), at="value")
    elif sts not in graph.workloads_behind(service):
        selector = graph.selector_of(service)
        why = _("has no selector") if selector is None else \
            _("selects {selector}, not the StatefulSet's pods").format(selector=selector)
        yield sts.finding(ref.path, _("headless Service {name} {why}: the pods get no per-pod DNS names").format(name=name, why=why), at="value")


# --- RBAC --------------------------------------------------------------------------------------
@check("rolebinding-role-missing", kinds=("RoleBinding", "ClusterRoleBinding"), needs_graph=True)
def rolebinding_role_missing(ctx: CheckContext, binding: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _refs(graph, binding, "Role", "ClusterRole"):
        if _present(graph, ref) is None:
            yield missing(graph, binding, ref, _("the binding grants nothing"))


@check("rolebinding-subject-missing", kinds=("RoleBinding", "ClusterRoleBinding"), needs_graph=True)
def rolebinding_subject_missing(ctx: CheckContext, binding: Object) -> Iterator[Hit]:
    graph = ctx.graph
    for ref in _refs(graph, binding, "ServiceAccount"):
        if ref.namespace == "kube-system":
            continue          # the control plane makes its accounts there (kube-controller-manager)
        if _present(graph, ref) is None:
            yield missing(graph, binding, ref, _("pods meant to run as it lack these permissions "
                                                 "(Forbidden)"))


# --- volumes named by mounts -------------------------------------------------------------------
@check("volume-mount-unknown", workloads=True)
def volume_mount_unknown(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    available = _volume_names(obj, template)
    for container, path, __ in template.all_containers():
        for field in ("volumeMounts", "volumeDevices"):
            for i, name in named(container.get(field)):
                if name in available:
                    continue
                hint = schema.closest(name, sorted(available))
                known = ", ".join(sorted(available)) or "none"
                extra = _("; did you mean {hint}?").format(hint=json.dumps(hint)) if hint else ""
                yield obj.finding(path + (field, i, "name"), _("{field}[{i}] of container {value} names "
                                                               "volume {name}, which the pod does not "
                                                               "define (volumes: {known}): {kind}{extra}").format(field=field, i=i, value=container.get('name'), name=json.dumps(name), known=known, kind=rejected(obj.kind, obj.group), extra=extra), at="value")


def _volume_names(obj: Object, template: PodTemplate) -> set[str]:
    found = {name for __, name in named(template.spec.get("volumes"))}
    if obj.kind == "StatefulSet":
        claims = obj.get("spec", "volumeClaimTemplates")
        for claim in claims if isinstance(claims, list) else ():
            name = claim.get("metadata", {}).get("name") if isinstance(claim, dict) else None
            if isinstance(name, str):
                found.add(name)
    return found
