"""Fields the API server refuses to change on update, per kind, each with the Kubernetes
validation function that refuses it.

`update_refusals(kind, group, old, new, version)` compares two manifests of one object (as
`kubectl apply` would send them) and returns what the API server would refuse. Values the
manifest leaves out are compared as the API server stores them (its defaults, or the value it
allocated and keeps), so leaving a defaulted field out is not a change.

Sources (kubernetes/kubernetes):
- pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate: spec.selector
  is immutable for every group/version but extensions/v1beta1 and apps/v1beta1.
- pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate: the spec may change only in
  replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy,
  minReadySeconds (and revisionHistoryLimit on newer servers, see below).
- pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate, validatePodTemplateUpdate,
  validateCompletions; pkg/registry/batch/job/strategy.go (scheduling directives of a
  suspended Job that never started are mutable: JobMutableSchedulingDirectives, GA 1.27).
- pkg/apis/core/validation/validation.go ValidateServiceUpdate (validateUpgradeDowngradeClusterIPs,
  validateUpgradeDowngradeIPFamilies, validateLoadBalancerClassField);
  pkg/registry/core/service/storage/storage.go patchAllocatedValues (a left-out clusterIP keeps
  the allocated one); ValidatePersistentVolumeClaimUpdate; ValidateConfigMapUpdate;
  ValidateSecretUpdate; ValidatePodUpdate.
- pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate,
  ValidateClusterRoleBindingUpdate: roleRef cannot change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, _
from .quantity import parse_quantity
from .versions import Version, show

Path = tuple[str | int, ...]

# StatefulSet revisionHistoryLimit joined the mutable fields in a later release: servers up to
# 1.31 answer "... other than 'replicas', 'ordinals', 'template', 'updateStrategy',
# 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" (kubernetes
# issue 130263, server 1.31.4), newer ones list 'revisionHistoryLimit' too. The exact release
# could not be read from the source history here; 1.34 is the release we found evidence for.
STS_REVISION_HISTORY_MUTABLE_FROM: Version = (1, 34)

# Deployment/ReplicaSet/DaemonSet selector immutability applies to these API groups' newer
# versions; extensions/v1beta1 and apps/v1beta1 kept it mutable (strategy.go ValidateUpdate).
_SELECTOR_MUTABLE_VERSIONS = frozenset({"extensions/v1beta1", "apps/v1beta1"})

RECREATE = N_("delete and re-create it (`kubectl replace --force -f FILE`, or delete, then apply)")


@dataclass(frozen=True)
class Refusal:
    """One change the API server refuses on update."""

    rule: str
    path: Path                 # the changed field
    message: str               # what happens, with the API server's own words where short
    instead: str               # what to do instead
    source: str                # the Kubernetes function that refuses it
    certain: bool = True       # False: refused only under a condition the manifests cannot show


@dataclass(frozen=True)
class ImmutableField:
    """A field that may not change once the object exists (compared with `default` filled in)."""

    group: str
    kind: str
    path: Path
    rule: str
    source: str
    default: Any = None
    answer: str = "field is immutable"      # the end of the API server's error


_APPS_SELECTOR = "pkg/registry/apps/{}/strategy.go ValidateUpdate (ValidateImmutableField)"
_JOB = "pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate"
_PVC = "pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate"

IMMUTABLE_FIELDS: tuple[ImmutableField, ...] = (
    ImmutableField("apps", "Deployment", ("spec", "selector"), "change-selector-immutable",
                   _APPS_SELECTOR.format("deployment")),
    ImmutableField("apps", "ReplicaSet", ("spec", "selector"), "change-selector-immutable",
                   _APPS_SELECTOR.format("replicaset")),
    ImmutableField("apps", "DaemonSet", ("spec", "selector"), "change-selector-immutable",
                   _APPS_SELECTOR.format("daemonset")),
    # The StatefulSet selector is part of the spec ValidateStatefulSetUpdate compares whole.
    ImmutableField("batch", "Job", ("spec", "selector"), "change-selector-immutable", _JOB),
    ImmutableField("batch", "Job", ("spec", "completionMode"), "change-job-immutable", _JOB, "NonIndexed"),
    ImmutableField("batch", "Job", ("spec", "podFailurePolicy"), "change-job-immutable", _JOB),
    ImmutableField("batch", "Job", ("spec", "backoffLimitPerIndex"), "change-job-immutable", _JOB),
    ImmutableField("batch", "Job", ("spec", "managedBy"), "change-job-immutable", _JOB),
    ImmutableField("batch", "Job", ("spec", "successPolicy"), "change-job-immutable", _JOB),
    ImmutableField("batch", "Job", ("spec", "manualSelector"), "change-job-immutable", _JOB),
    ImmutableField("", "PersistentVolumeClaim", ("spec", "accessModes"), "change-pvc-immutable", _PVC),
    ImmutableField("", "PersistentVolumeClaim", ("spec", "volumeMode"), "change-pvc-immutable", _PVC,
                   "Filesystem"),
    ImmutableField("", "PersistentVolumeClaim", ("spec", "selector"), "change-pvc-immutable", _PVC),
    ImmutableField("", "PersistentVolumeClaim", ("spec", "dataSource"), "change-pvc-immutable", _PVC),
    ImmutableField("", "PersistentVolumeClaim", ("spec", "dataSourceRef"), "change-pvc-immutable", _PVC),
    ImmutableField("", "Secret", ("type",), "change-immutable-data",
                   "pkg/apis/core/validation/validation.go ValidateSecretUpdate", "Opaque"),
    ImmutableField("rbac.authorization.k8s.io", "RoleBinding", ("roleRef",), "change-roleref-immutable",
                   "pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate", answer="cannot change roleRef"),
    ImmutableField("rbac.authorization.k8s.io", "ClusterRoleBinding", ("roleRef",), "change-roleref-immutable",
                   "pkg/apis/rbac/validation/validation.go ValidateClusterRoleBindingUpdate",
                   answer="cannot change roleRef"),
)

# What to do instead, per rule; {recreate} is RECREATE (each a whole sentence for the catalogs).
_INSTEAD = {
    "change-selector-immutable": N_("keep the old selector (add labels to the template instead), or create the "
                                    "workload under a new name and delete the old one after the new pods are ready"),
    "change-job-immutable": N_("{recreate}; or give the Job a new name per run (a version suffix) "
                               "and ttlSecondsAfterFinished so finished Jobs go away"),
    "change-pvc-immutable": N_("create a new claim under a new name and copy the data (a VolumeSnapshot or "
                               "a copy Job), then point the workload at it"),
    "change-immutable-data": N_("create it under a new name (kustomize configMapGenerator/secretGenerator add a "
                                "content hash) and point the workloads at it; or {recreate}"),
    "change-roleref-immutable": N_("{recreate}; the subjects lose the permissions between delete and create"),
}


def _instead(text: str) -> str:
    """A text of _INSTEAD (or another with {recreate}) in the output language."""
    return _(text).format(recreate=_(RECREATE))


def _get(data: Any, path: Path) -> Any:
    node = data
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def _show(value: Any, width: int = 40) -> str:
    """A value in a message: `app=web,tier=front` for a flat mapping (selectors), `Role/reader`
    for a reference, a short JSON text otherwise."""
    if value is None:
        return "unset"
    if isinstance(value, dict):
        if "matchLabels" in value and len(value) == 1:
            value = value["matchLabels"]
        if "kind" in value and "name" in value:
            return f"{value['kind']}/{value['name']}"
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            text = ",".join(f"{k}={v}" for k, v in value.items())
        else:
            text = json.dumps(value, separators=(",", ":"), default=str)
    elif isinstance(value, list):
        text = json.dumps(value, separators=(",", ":"), default=str)
    else:
        text = str(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def update_refusals(kind: str, group: str, api_version: str, old: dict[str, Any], new: dict[str, Any],
                    version: Version) -> list[Refusal]:
    """What the API server refuses when `new` is applied over an object created from `old`."""
    out: list[Refusal] = []
    for entry in IMMUTABLE_FIELDS:
        if entry.kind != kind or entry.group != group:
            continue
        if entry.rule == "change-selector-immutable" and api_version in _SELECTOR_MUTABLE_VERSIONS:
            continue
        before = _get(old, entry.path)
        after = _get(new, entry.path)
        before = entry.default if before is None else before
        after = entry.default if after is None else after
        if before != after:
            field = ".".join(str(p) for p in entry.path)
            out.append(Refusal(entry.rule, entry.path,
                               _("{field} cannot change once the {kind} exists ({before} -> {after}). "
                                 "The API server answers `{field}: Invalid value: ...: {answer}`").format(
                                   field=field, kind=kind, before=_show(before), after=_show(after),
                                   answer=entry.answer),
                               _instead(_INSTEAD[entry.rule]), entry.source))
    special = _SPECIAL.get((group, kind))
    if special is not None:
        out.extend(special(old, new, version))
    return out


# --- StatefulSet --------------------------------------------------------------------------

_STS_DEFAULTS = {"podManagementPolicy": "OrderedReady", "revisionHistoryLimit": 10, "serviceName": ""}


def _statefulset(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    """ValidateStatefulSetUpdate: the spec minus the mutable fields must be equal."""
    mutable = {"replicas", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
               "minReadySeconds", "ordinals"}
    if version >= STS_REVISION_HISTORY_MUTABLE_FROM:
        mutable.add("revisionHistoryLimit")
    before = _dict(old.get("spec"))
    after = _dict(new.get("spec"))
    out = []
    for key in _ordered_keys(after, before):
        if key in mutable:
            continue
        a = before.get(key, _STS_DEFAULTS.get(key))
        b = after.get(key, _STS_DEFAULTS.get(key))
        if key == "volumeClaimTemplates":
            a, b = _claim_templates(a), _claim_templates(b)
        if a != b:
            extra = ""
            if key == "revisionHistoryLimit":
                extra = _(" before Kubernetes {version}").format(version=version_text(STS_REVISION_HISTORY_MUTABLE_FROM))
            out.append(Refusal(
                "change-statefulset-forbidden", ("spec", key),
                _("StatefulSet spec.{key} cannot change after creation{extra}. The API server answers `spec: "
                  "Forbidden: updates to statefulset spec for fields other than {allowed} are forbidden`").format(
                    key=key, extra=extra, allowed=_sts_allowed(version)),
                _("delete the StatefulSet but keep its pods and claims (`kubectl delete statefulset NAME "
                  "--cascade=orphan`), then apply: the new StatefulSet adopts the running pods; claims already "
                  "created from volumeClaimTemplates keep their old spec"),
                "pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate"))
    return out


def _sts_allowed(version: Version) -> str:
    """The field list of the server's own message (its order, which changed over releases)."""
    if version >= STS_REVISION_HISTORY_MUTABLE_FROM:
        return ("'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
                "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'")
    return "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"


def version_text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def _claim_templates(value: Any) -> Any:
    """volumeClaimTemplates as stored: `apiVersion`/`kind` of each entry are dropped and
    volumeMode defaults to Filesystem (pkg/apis/core/v1 SetDefaults_PersistentVolumeClaimSpec)."""
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, dict):
            item = {k: v for k, v in item.items() if k not in ("apiVersion", "kind", "status")}
            spec = item.get("spec")
            if isinstance(spec, dict) and "volumeMode" not in spec:
                item["spec"] = {**spec, "volumeMode": "Filesystem"}
        out.append(item)
    return out


# --- Job ----------------------------------------------------------------------------------

_SCHEDULING_DIRECTIVES = (("spec", "nodeSelector"), ("spec", "tolerations"), ("spec", "schedulingGates"),
                          ("metadata", "labels"), ("metadata", "annotations"))


def _job(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    out = []
    before_t = _dict(_get(old, ("spec", "template")))
    after_t = _dict(_get(new, ("spec", "template")))
    suspended = _get(old, ("spec", "suspend")) is True
    if before_t != after_t:
        only_scheduling = _without_scheduling(before_t) == _without_scheduling(after_t)
        if not (suspended and only_scheduling):
            ttl = _get(old, ("spec", "ttlSecondsAfterFinished"))
            gone = isinstance(ttl, int) and not isinstance(ttl, bool)
            what = _("A Job's pod template cannot change once the Job exists, unless the old Job is already gone "
                     "(ttlSecondsAfterFinished {ttl} deletes it {ttl} s after it finishes). The API server answers "
                     "`spec.template: Invalid value: ...: field is immutable`").format(ttl=ttl) if gone else \
                _("A Job's pod template cannot change once the Job exists. The API server answers "
                  "`spec.template: Invalid value: ...: field is immutable`")
            out.append(Refusal("change-job-immutable", ("spec", "template"), what,
                               _instead(_INSTEAD["change-job-immutable"]),
                               "pkg/apis/batch/validation/validation.go validatePodTemplateUpdate", certain=not gone))
    out.extend(_completions(old, new, version))
    return out


def _without_scheduling(template: dict[str, Any]) -> dict[str, Any]:
    """The template minus the scheduling directives a suspended Job may change."""
    copy = {k: (dict(v) if isinstance(v, dict) else v) for k, v in template.items()}
    for section, key in _SCHEDULING_DIRECTIVES:
        part = copy.get(section)
        if isinstance(part, dict):
            part.pop(key, None)
    spec = copy.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("affinity"), dict):
        affinity = {k: v for k, v in spec["affinity"].items() if k != "nodeAffinity"}
        spec["affinity"] = affinity or None
    return copy


# ElasticIndexedJob (pkg/features/kube_features.go): beta and on by default from 1.27.
_ELASTIC_INDEXED_JOB_FROM = (1, 27)


def _completions(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    """validateCompletions: immutable, except an Indexed Job may change completions together
    with parallelism (ElasticIndexedJob: beta and on from 1.27, GA 1.31)."""
    def effective(spec: dict[str, Any]) -> Any:
        if spec.get("completions") is None and spec.get("parallelism") is None:
            return 1                                   # SetDefaults_Job
        return spec.get("completions")

    before, after = _dict(old.get("spec")), _dict(new.get("spec"))
    a, b = effective(before), effective(after)
    if a == b:
        return []
    elastic = version >= _ELASTIC_INDEXED_JOB_FROM
    if elastic and after.get("completionMode") == "Indexed" and b is not None and b == after.get("parallelism"):
        return []
    indexed = after.get("completionMode") == "Indexed"
    why = (_("an Indexed Job may change it only together with spec.parallelism, to the same value")
           if indexed and elastic
           else _("it is immutable before Kubernetes {version}, even for an Indexed Job").format(
               version=show(_ELASTIC_INDEXED_JOB_FROM))
           if indexed else _("it is immutable for a NonIndexed Job"))
    return [Refusal("change-job-immutable", ("spec", "completions"),
                    _("spec.completions cannot change ({before} -> {after}): {why}. The API server answers "
                      "`spec.completions: Invalid value: ...`").format(before=_show(a), after=_show(b), why=why),
                    _instead(_INSTEAD["change-job-immutable"]),
                    "pkg/apis/batch/validation/validation.go validateCompletions")]


# --- Service ------------------------------------------------------------------------------

_SVC = "pkg/apis/core/validation/validation.go ValidateServiceUpdate"


def _service(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    before, after = _dict(old.get("spec")), _dict(new.get("spec"))
    old_type = before.get("type") or "ClusterIP"
    new_type = after.get("type") or "ClusterIP"
    if "ExternalName" in (old_type, new_type):
        return []                                      # validateUpgradeDowngrade* bail out
    out = []
    old_ip, new_ip = before.get("clusterIP"), after.get("clusterIP")
    instead = _instead(N_("leave clusterIP as it is; to switch between headless and a ClusterIP, {recreate} "
                          "(clients see no Service in between)"))
    if new_ip not in (None, "") and new_ip != old_ip:
        if old_ip in (None, ""):
            message = (_("spec.clusterIP {ip} is refused: the Service already has the cluster IP it was given at "
                         "creation. The API server answers `spec.clusterIPs[0]: Invalid value: ...: may not change "
                         "once set`") if new_ip == "None" else
                       _("spec.clusterIP {ip} is refused: the Service already has the cluster IP it was given at "
                         "creation (unless it is that IP). The API server answers `spec.clusterIPs[0]: Invalid "
                         "value: ...: may not change once set`")).format(ip=repr(new_ip))
            certain = new_ip == "None"
        else:
            message = _("spec.clusterIP cannot change once set ({before} -> {after}). The API server answers "
                        "`spec.clusterIPs[0]: Invalid value: ...: may not change once set`").format(
                before=repr(old_ip), after=repr(new_ip))
            certain = True
        out.append(Refusal("change-service-immutable", ("spec", "clusterIP"), message, instead,
                           _SVC + " (validateUpgradeDowngradeClusterIPs)", certain=certain))
    old_ips, new_ips = before.get("clusterIPs"), after.get("clusterIPs")
    if isinstance(old_ips, list) and isinstance(new_ips, list) and old_ips and new_ips and old_ips[0] != new_ips[0]:
        out.append(Refusal("change-service-immutable", ("spec", "clusterIPs", 0),
                           _("spec.clusterIPs[0] cannot change once set ({before} -> {after})").format(
                               before=repr(old_ips[0]), after=repr(new_ips[0])),
                           instead, _SVC + " (validateUpgradeDowngradeClusterIPs)"))
    old_fam, new_fam = before.get("ipFamilies"), after.get("ipFamilies")
    headless = old_ip == "None" or new_ip == "None"
    if not headless and isinstance(old_fam, list) and isinstance(new_fam, list) and old_fam and new_fam:
        if old_fam[0] != new_fam[0]:
            out.append(Refusal("change-service-immutable", ("spec", "ipFamilies", 0),
                               _("The primary IP family cannot change ({before} -> {after}). The API server "
                                 "answers `spec.ipFamilies[0]: Invalid value: ...: may not change once set`").format(
                                   before=old_fam[0], after=new_fam[0]), instead,
                               _SVC + " (validateUpgradeDowngradeIPFamilies)"))
        elif len(new_fam) < len(old_fam) and after.get("ipFamilyPolicy") != "SingleStack":
            out.append(Refusal("change-service-immutable", ("spec", "ipFamilyPolicy"),
                               _("Dropping the secondary IP family needs ipFamilyPolicy: SingleStack. The API server "
                                 "answers `must be set to 'SingleStack' when releasing the secondary ipFamily`"),
                               _("set spec.ipFamilyPolicy: SingleStack in the same change"),
                               _SVC + " (validateUpgradeDowngradeIPFamilies)"))
    if old_type == new_type == "LoadBalancer" and before.get("loadBalancerClass") != after.get("loadBalancerClass"):
        out.append(Refusal("change-service-immutable", ("spec", "loadBalancerClass"),
                           _("spec.loadBalancerClass of a LoadBalancer Service cannot change. The API server answers "
                             "`spec.loadBalancerClass: Invalid value: ...: may not change once set`"),
                           _instead(N_("{recreate}; the load balancer and its external IP are replaced")),
                           _SVC + " (validateLoadBalancerClassField)"))
    return out


# --- PersistentVolumeClaim ----------------------------------------------------------------

def _pvc(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    before, after = _dict(old.get("spec")), _dict(new.get("spec"))
    out = []
    old_class, new_class = before.get("storageClassName"), after.get("storageClassName")
    if new_class is not None and new_class != old_class:
        if old_class is None:
            # validateStorageClassUpgradeFromNil: allowed when the live claim has no class; the
            # DefaultStorageClass admission plugin usually gave it the default class at creation.
            out.append(Refusal("change-pvc-immutable", ("spec", "storageClassName"),
                               _("spec.storageClassName {name} is refused unless it is the class the claim got at "
                                 "creation. A claim created without one usually got the cluster's default "
                                 "StorageClass").format(name=repr(new_class)),
                               _instead(_INSTEAD["change-pvc-immutable"]), _PVC, certain=False))
        else:
            out.append(Refusal("change-pvc-immutable", ("spec", "storageClassName"),
                               _("spec.storageClassName cannot change ({before} -> {after}). The API server "
                                 "answers `spec: Forbidden: spec is immutable after creation except resources.requests "
                                 "and volumeAttributesClassName for bound claims`").format(
                                   before=repr(old_class), after=repr(new_class)),
                               _instead(_INSTEAD["change-pvc-immutable"]), _PVC))
    old_size = _storage(before)
    new_size = _storage(after)
    if old_size is not None and new_size is not None and new_size < old_size:
        out.append(Refusal("change-pvc-immutable", ("spec", "resources", "requests", "storage"),
                           _("A claim cannot shrink ({before} -> {after}). The API server "
                             "answers `spec.resources.requests.storage: Forbidden: field can not be less than previous "
                             "value`").format(before=_storage_text(before), after=_storage_text(after)),
                           _("keep the size; to get a smaller volume create a new claim and copy the data"), _PVC))
    return out


def _storage(spec: dict[str, Any]) -> Any:
    text = _get(spec, ("resources", "requests", "storage"))
    try:
        return parse_quantity(str(text)) if text is not None else None
    except ValueError:
        return None


def _storage_text(spec: dict[str, Any]) -> str:
    return str(_get(spec, ("resources", "requests", "storage")))


# --- ConfigMap and Secret -----------------------------------------------------------------

def _immutable_data(kind: str, source: str, keys: tuple[str, ...]) -> Any:
    def check(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
        if old.get("immutable") is not True:
            return []
        out = []
        if new.get("immutable") is not True:
            out.append(Refusal("change-immutable-data", ("immutable",),
                               _("immutable: true cannot be taken back. The API server answers `immutable: Forbidden: "
                                 "field is immutable when `immutable` is set`"),
                               _instead(_INSTEAD["change-immutable-data"]), source))
        if any(_data(old, k) != _data(new, k) for k in keys):
            changed = next(k for k in keys if _data(old, k) != _data(new, k))
            path: Path = (changed,) if changed in new else ()
            out.append(Refusal("change-immutable-data", path,
                               _("The {changed} of a {kind} with immutable: true cannot change. The API server answers "
                                 "`{changed}: Forbidden: field is immutable when `immutable` is set`").format(
                                   changed=changed, kind=kind),
                               _instead(_INSTEAD["change-immutable-data"]), source))
        return out
    return check


def _data(obj: dict[str, Any], key: str) -> Any:
    if key == "data" and "stringData" in obj:          # stringData is merged into data on write
        merged = dict(_dict(obj.get("data")))
        merged.update({k: ("<string>", v) for k, v in _dict(obj.get("stringData")).items()})
        return merged
    return obj.get(key)


# --- Pod ----------------------------------------------------------------------------------

def _pod(old: dict[str, Any], new: dict[str, Any], version: Version) -> list[Refusal]:
    """ValidatePodUpdate: only container and init container images, activeDeadlineSeconds,
    added tolerations and a negative terminationGracePeriodSeconds set to 1 may change."""
    before, after = _pod_core(_dict(old.get("spec"))), _pod_core(_dict(new.get("spec")))
    changed = [k for k in _ordered_keys(after, before) if before.get(k) != after.get(k)]
    old_grace = _get(old, ("spec", "terminationGracePeriodSeconds"))
    if "terminationGracePeriodSeconds" in changed and isinstance(old_grace, int) and old_grace < 0 \
            and _get(new, ("spec", "terminationGracePeriodSeconds")) == 1:
        changed.remove("terminationGracePeriodSeconds")
    old_tol = _get(old, ("spec", "tolerations")) or []
    new_tol = _get(new, ("spec", "tolerations")) or []
    if isinstance(old_tol, list) and isinstance(new_tol, list) and any(t not in new_tol for t in old_tol):
        changed.append("tolerations")
    if not changed:
        return []
    key = changed[0]
    return [Refusal("change-pod-spec", ("spec", key),
                    _("A running Pod's spec.{key} cannot change. The API server answers `spec: Forbidden: pod updates "
                      "may not change fields "
                      "other than spec.containers[*].image, spec.initContainers[*].image, spec.activeDeadlineSeconds, "
                      "spec.tolerations (only additions to existing tolerations), spec.terminationGracePeriodSeconds "
                      "(allow it to be set to 1 if it was previously negative)`").format(key=key),
                    _instead(N_("run the pod from a Deployment (its template may change), or {recreate}")),
                    "pkg/apis/core/validation/validation.go ValidatePodUpdate")]


def _pod_core(spec: dict[str, Any]) -> dict[str, Any]:
    """The pod spec without the fields ValidatePodUpdate lets change (tolerations are
    compared apart: additions are allowed)."""
    copy = {k: v for k, v in spec.items() if k not in ("activeDeadlineSeconds", "tolerations")}
    for list_name in ("containers", "initContainers"):
        items = copy.get(list_name)
        if isinstance(items, list):
            copy[list_name] = [{k: v for k, v in c.items() if k != "image"} if isinstance(c, dict) else c
                               for c in items]
    return copy


# --- helpers ------------------------------------------------------------------------------

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ordered_keys(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return list(first) + [k for k in second if k not in first]


_SPECIAL = {
    ("apps", "StatefulSet"): _statefulset,
    ("batch", "Job"): _job,
    ("", "Service"): _service,
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "ConfigMap"): _immutable_data("ConfigMap", "pkg/apis/core/validation/validation.go ValidateConfigMapUpdate",
                                       ("data", "binaryData")),
    ("", "Secret"): _immutable_data("Secret", "pkg/apis/core/validation/validation.go ValidateSecretUpdate", ("data",)),
    ("", "Pod"): _pod,
}
