"""By-name references between objects: which field of which kind names which other object.

The tables are the data; `extract` walks them over one object's plain data. Rules and the
`explain` simulator share them. Sources: the API types in staging/src/k8s.io/api (core/v1
PodSpec, Volume, EnvVarSource, EnvFromSource; networking/v1 IngressBackend; autoscaling/v2
CrossVersionObjectReference; rbac/v1 RoleRef, Subject; apps/v1 StatefulSetSpec.serviceName);
pkg/api/v1/pod/util.go VisitPodSecretNames / VisitPodConfigmapNames list the same pod fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .kinds import split_api_version

Path = tuple[Any, ...]
JSON = dict[str, Any]
EACH = "*"                      # a path step meaning "every item of this list"
POD_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class RefField:
    """A field naming an object: `path` ends at the name; siblings are read from its parent."""

    path: Path
    kind: str
    group: str = ""
    optional: str | None = None      # sibling key that, when true, makes the reference optional
    key: str | None = None           # sibling key naming one entry (ConfigMap/Secret key)
    items: str | None = None         # sibling list of {key: ...} (volume items)


# Inside a pod spec (a Pod's spec, or a template's spec).
POD_SPEC_REFERENCES: tuple[RefField, ...] = (
    RefField(("serviceAccountName",), "ServiceAccount"),
    RefField(("serviceAccount",), "ServiceAccount"),            # deprecated alias
    RefField(("imagePullSecrets", EACH, "name"), "Secret"),
    RefField(("volumes", EACH, "configMap", "name"), "ConfigMap", optional="optional", items="items"),
    RefField(("volumes", EACH, "secret", "secretName"), "Secret", optional="optional", items="items"),
    RefField(("volumes", EACH, "persistentVolumeClaim", "claimName"), "PersistentVolumeClaim"),
    RefField(("volumes", EACH, "projected", "sources", EACH, "configMap", "name"), "ConfigMap",
             optional="optional", items="items"),
    RefField(("volumes", EACH, "projected", "sources", EACH, "secret", "name"), "Secret",
             optional="optional", items="items"),
) + tuple(
    field
    for lst in POD_CONTAINER_LISTS
    for field in (
        RefField((lst, EACH, "env", EACH, "valueFrom", "configMapKeyRef", "name"), "ConfigMap",
                 optional="optional", key="key"),
        RefField((lst, EACH, "env", EACH, "valueFrom", "secretKeyRef", "name"), "Secret",
                 optional="optional", key="key"),
        RefField((lst, EACH, "envFrom", EACH, "configMapRef", "name"), "ConfigMap", optional="optional"),
        RefField((lst, EACH, "envFrom", EACH, "secretRef", "name"), "Secret", optional="optional"),
    )
)

# Object-level references by kind (paths from the object root).
OBJECT_REFERENCES: dict[str, tuple[RefField, ...]] = {
    "Ingress": (
        RefField(("spec", "rules", EACH, "http", "paths", EACH, "backend", "service", "name"), "Service"),
        RefField(("spec", "defaultBackend", "service", "name"), "Service"),
        # extensions/v1beta1 and networking.k8s.io/v1beta1 (removed in 1.22) spell it serviceName.
        RefField(("spec", "rules", EACH, "http", "paths", EACH, "backend", "serviceName"), "Service"),
        RefField(("spec", "backend", "serviceName"), "Service"),
        RefField(("spec", "ingressClassName",), "IngressClass", "networking.k8s.io"),
    ),
    "StatefulSet": (RefField(("spec", "serviceName"), "Service"),),
}

# Kinds that are cluster-scoped among reference targets (the namespace of a reference is None).
CLUSTER_SCOPED_TARGETS = frozenset({"IngressClass", "ClusterRole", "PersistentVolume",
                                    "PriorityClass", "StorageClass", "RuntimeClass"})

# Objects every cluster has, so a reference to them is never dangling
# (ServiceAccount `default` and ConfigMap `kube-root-ca.crt` are created in every namespace by
# the serviceaccounts and root-ca-cert-publisher controllers; bootstrap RBAC roles come from
# plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go and namespace_policy.go).
ALWAYS_PRESENT: dict[str, frozenset[str]] = {
    "ServiceAccount": frozenset({"default"}),
    "ConfigMap": frozenset({"kube-root-ca.crt"}),
    "ClusterRole": frozenset({"cluster-admin", "admin", "edit", "view"}),
    "Role": frozenset({"extension-apiserver-authentication-reader"}),
}
ALWAYS_PRESENT_PREFIXES: dict[str, str] = {"ClusterRole": "system:", "Role": "system:"}

# Custom resources whose controllers create an object of a built-in kind: (group, kind) ->
# (created kind, paths of its name in order of preference; the object's own name last).
# Bitnami sealed-secrets, external-secrets.io, cert-manager (their CRD documentation).
CREATED_BY: dict[tuple[str, str], tuple[str, tuple[Path, ...]]] = {
    ("bitnami.com", "SealedSecret"): ("Secret", (("spec", "template", "metadata", "name"),
                                                 ("metadata", "name"))),
    ("external-secrets.io", "ExternalSecret"): ("Secret", (("spec", "target", "name"),
                                                           ("metadata", "name"))),
    ("cert-manager.io", "Certificate"): ("Secret", (("spec", "secretName"),)),
}
# Built-in objects whose annotation names an object a platform's controller creates for them:
# (group, kind) -> (created kind, annotation), in order of preference. OpenShift's service-ca
# operator writes a serving certificate into the Secret that a Service's annotation names, in
# the Service's namespace (openshift/service-ca-operator pkg/controller/api/api.go
# ServingCertSecretAnnotation and AlphaServingCertSecretAnnotation; servingcert controller
# requiresCertGeneration reads the beta annotation, then the alpha one).
CREATED_BY_ANNOTATION: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("", "Service"): (("Secret", "service.beta.openshift.io/serving-cert-secret-name"),
                      ("Secret", "service.alpha.openshift.io/serving-cert-secret-name")),
}
# Custom resources that make several such objects, one per list item. The Secrets Store CSI
# driver syncs `spec.secretObjects[].secretName` of a SecretProviderClass into Secrets of its
# namespace when a pod mounts the class's volume, before the pod's containers start
# (https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret).
CREATED_EACH_BY: dict[tuple[str, str], tuple[str, Path]] = {
    ("secrets-store.csi.x-k8s.io", "SecretProviderClass"): ("Secret", ("spec", "secretObjects", EACH,
                                                                      "secretName")),
}

# Custom resources whose operator names what it creates after the resource: (group, kind) ->
# (created kind, suffix to the resource's name, path that must be true or None, path that
# names an account of the user's instead (then none is created)). The OpenTelemetry operator
# (open-telemetry/opentelemetry-operator internal/naming/main.go: ServiceAccount is
# "%s-collector", TargetAllocatorServiceAccount "%s-targetallocator",
# OpAMPBridgeServiceAccount "%s-opamp-bridge") makes these ServiceAccounts unless
# spec.serviceAccount (spec.targetAllocator.serviceAccount) names one; charts bind them
# (opentelemetry-kube-stack's ClusterRoleBindings).
_Suffixed = tuple[str, str, Path | None, Path]
CREATED_SUFFIXED_BY: dict[tuple[str, str], tuple[_Suffixed, ...]] = {
    ("opentelemetry.io", "OpenTelemetryCollector"): (
        ("ServiceAccount", "-collector", None, ("spec", "serviceAccount")),
        ("ServiceAccount", "-targetallocator", ("spec", "targetAllocator", "enabled"),
         ("spec", "targetAllocator", "serviceAccount"))),
    ("opentelemetry.io", "TargetAllocator"): (
        ("ServiceAccount", "-targetallocator", None, ("spec", "serviceAccount")),),
    ("opentelemetry.io", "OpAMPBridge"): (
        ("ServiceAccount", "-opamp-bridge", None, ("spec", "serviceAccount")),),
}



def _alloy_accounts(data: JSON) -> list[tuple[str, str]]:
    """The ServiceAccount of a grafana/alloy-operator `Alloy` resource. The operator installs
    Grafana's alloy Helm chart with the resource's name as release name and its spec as
    values (github.com/grafana/alloy-operator); the chart names the account
    `serviceAccount.name`, else its fullname: `fullnameOverride`, else the release name when
    it contains the chart's name `alloy`, else `<release>-alloy` (grafana/alloy
    operations/helm/charts/alloy/templates/_helpers.tpl, alloy.fullname and
    alloy.serviceAccountName). None with `serviceAccount.create: false`."""
    own = _get(data, ("metadata", "name"))
    if _get(data, ("spec", "serviceAccount", "create")) is False or not isinstance(own, str) or not own:
        return []
    for name in (_get(data, ("spec", "serviceAccount", "name")), _get(data, ("spec", "fullnameOverride"))):
        if isinstance(name, str) and name:
            return [("ServiceAccount", name)]
    return [("ServiceAccount", own if "alloy" in own else own + "-alloy")]


CREATED_BY_OPERATOR_CHART = {("collectors.grafana.com", "Alloy"): _alloy_accounts}

# Kinds an HPA can scale among built-ins (those with a scale subresource).
SCALABLE_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"})


def always_present(kind: str, name: str) -> bool:
    """True for objects the control plane creates itself."""
    prefix = ALWAYS_PRESENT_PREFIXES.get(kind)
    return name in ALWAYS_PRESENT.get(kind, ()) or (prefix is not None and name.startswith(prefix))


@dataclass(frozen=True, slots=True)
class Reference:
    """One by-name reference out of an object."""

    kind: str
    group: str
    namespace: str | None           # of the target (None: cluster-scoped)
    name: str
    path: Path                      # of the name value, from the source object's root
    optional: bool = False
    keys: tuple[tuple[str, Path], ...] = ()     # (key, path of the key value) the source needs
    api_version: str | None = None              # when the reference says (scaleTargetRef)


def extract(kind: str, data: JSON, namespace: str | None,
            template_spec_path: Path | None = None) -> Iterator[Reference]:
    """Every by-name reference of one object's data.

    `template_spec_path` is the path of its pod spec (("spec",) for a Pod, the template's
    spec for a workload), None when it has none.
    """
    fields = OBJECT_REFERENCES.get(kind)
    if fields:
        yield from _walk(data, (), _trie(kind), namespace)
    if template_spec_path is not None:
        spec = _get(data, template_spec_path)
        if isinstance(spec, dict):
            yield from _walk(spec, template_spec_path, _trie(None), namespace)
    if kind == "HorizontalPodAutoscaler":
        yield from _scale_target(data, namespace)
    elif kind in ("RoleBinding", "ClusterRoleBinding"):
        yield from _rbac(kind, data, namespace)


@dataclass(slots=True)
class _Trie:
    """The field paths of one table merged into a tree, so each data node is visited once."""

    steps: dict[str, _Trie] = field(default_factory=dict)
    fields: list[RefField] = field(default_factory=list)      # the fields ending at this node


_TRIES: dict[str | None, _Trie] = {}


def _trie(kind: str | None) -> _Trie:
    trie = _TRIES.get(kind)
    if trie is None:
        trie = _Trie()
        for ref_field in POD_SPEC_REFERENCES if kind is None else OBJECT_REFERENCES[kind]:
            node = trie
            for step in ref_field.path[:-1]:
                node = node.steps.setdefault(step, _Trie())
            node.fields.append(ref_field)
        _TRIES[kind] = trie
    return trie


def _walk(node: Any, path: Path, trie: _Trie, namespace: str | None) -> list[Reference]:
    """References under `node` along the fields of `trie`."""
    found: list[Reference] = []
    _collect(node, path, trie, namespace, found)
    return found


def _collect(node: Any, path: Path, trie: _Trie, namespace: str | None, found: list[Reference]) -> None:
    # A plain recursive function appending to one list: much cheaper than nested generators.
    if isinstance(node, dict):
        for ref_field in trie.fields:
            ref = _reference(node, path, ref_field, namespace)
            if ref is not None:
                found.append(ref)
        for step, sub in trie.steps.items():
            child = node.get(step)
            if child is not None:
                _collect(child, path + (step,), sub, namespace, found)
    elif isinstance(node, list):
        each = trie.steps.get(EACH)
        if each is not None:
            for i, item in enumerate(node):
                _collect(item, path + (i,), each, namespace, found)


def _reference(node: JSON, path: Path, field: RefField, namespace: str | None) -> Reference | None:
    """The reference `field` makes from its parent `node`, if it names something."""
    leaf = field.path[-1]
    name = node.get(leaf)
    if not isinstance(name, str) or not name:
        return None
    optional = bool(field.optional and node.get(field.optional) is True)
    keys: list[tuple[str, Path]] = []
    if field.key and isinstance(node.get(field.key), str):
        keys.append((node[field.key], path + (field.key,)))
    if field.items and isinstance(node.get(field.items), list):
        for i, item in enumerate(node[field.items]):
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                keys.append((item["key"], path + (field.items, i, "key")))
    ns = None if field.kind in CLUSTER_SCOPED_TARGETS else namespace
    return Reference(field.kind, field.group, ns, name, path + (leaf,), optional, tuple(keys))


def _scale_target(data: JSON, namespace: str | None) -> Iterator[Reference]:
    ref = _get(data, ("spec", "scaleTargetRef"))
    if not isinstance(ref, dict):
        return
    kind, name, api_version = ref.get("kind"), ref.get("name"), ref.get("apiVersion")
    if isinstance(kind, str) and kind and isinstance(name, str) and name:
        group = split_api_version(api_version)[0] if isinstance(api_version, str) else ""
        yield Reference(kind, group, namespace, name, ("spec", "scaleTargetRef", "name"),
                        api_version=api_version if isinstance(api_version, str) else None)


def _rbac(kind: str, data: JSON, namespace: str | None) -> Iterator[Reference]:
    role = data.get("roleRef")
    if isinstance(role, dict) and isinstance(role.get("name"), str) and role["name"]:
        role_kind = role.get("kind")
        # A ClusterRoleBinding may only name a ClusterRole (the API server rejects a Role).
        if role_kind == "ClusterRole" or role_kind == "Role" and kind == "RoleBinding":
            yield Reference(role_kind, "rbac.authorization.k8s.io",
                            namespace if role_kind == "Role" else None, role["name"],
                            ("roleRef", "name"))
    subjects = data.get("subjects")
    if not isinstance(subjects, list):
        return
    for i, subject in enumerate(subjects):
        if not isinstance(subject, dict) or subject.get("kind") != "ServiceAccount":
            continue
        name, ns = subject.get("name"), subject.get("namespace")
        if not isinstance(name, str) or not name:
            continue
        if not (isinstance(ns, str) and ns):
            if kind == "ClusterRoleBinding":
                continue                   # rejected by validation: the schema rules say so
            ns = namespace                 # RoleBinding: defaults to the binding's namespace
        yield Reference("ServiceAccount", "", ns, name, ("subjects", i, "name"))


def created_names(group: str, kind: str, data: JSON) -> list[tuple[str, str]]:
    """(kind, name) of each built-in object a custom resource's controller creates, or a
    platform's controller creates for an annotated built-in object (CREATED_BY_ANNOTATION)."""
    annotated = CREATED_BY_ANNOTATION.get((group, kind))
    if annotated is not None:
        notes = _get(data, ("metadata", "annotations"))
        for created, key in annotated:
            name = notes.get(key) if isinstance(notes, dict) else None
            if isinstance(name, str) and name:
                return [(created, name)]
        return []
    entry = CREATED_BY.get((group, kind))
    if entry is not None:
        for path in entry[1]:
            name = _get(data, path)
            if isinstance(name, str) and name:
                return [(entry[0], name)]
        return []
    chart = CREATED_BY_OPERATOR_CHART.get((group, kind))
    if chart is not None:
        return chart(data)
    suffixed = CREATED_SUFFIXED_BY.get((group, kind))
    if suffixed is not None:
        return _suffixed_names(suffixed, data)
    each = CREATED_EACH_BY.get((group, kind))
    if each is None:
        return []
    created_kind, path = each
    at = path.index(EACH)
    items = _get(data, path[:at])
    names = [_get(item, path[at + 1:]) for item in items] if isinstance(items, list) else []
    return [(created_kind, name) for name in names if isinstance(name, str) and name]


def _suffixed_names(entries: tuple[_Suffixed, ...], data: JSON) -> list[tuple[str, str]]:
    """(kind, name) of what an operator names after its resource (CREATED_SUFFIXED_BY)."""
    own = _get(data, ("metadata", "name"))
    if not isinstance(own, str) or not own:
        return []
    return [(created_kind, own + suffix) for created_kind, suffix, enabled, instead in entries
            if (enabled is None or _get(data, enabled) is True) and not _get(data, instead)]


def _get(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return None
            data = data[step]
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data
