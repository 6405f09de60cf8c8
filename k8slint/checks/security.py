"""Pod Security Standards as the PodSecurity admission plugin applies them, literal
credentials in env, and RBAC grants that are wider than they look.

The level that counts for a workload comes from its Namespace in the input
(pod-security.kubernetes.io/enforce|warn|audit labels, with -version), else from
--pod-security-level. Facts: k8s/pss.py (controls), kubernetes.io/docs/concepts/security/
pod-security-admission/ (enforce judges Pods only; warn and audit also workloads).
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from ..engine import CheckContext, check, last_arguments
from ..graph import Graph, Object
from ..i18n import N_, _, ngettext
from ..k8s import pss
from ..k8s.versions import Version
from ..lazyre import lazy_compile
from ..model import JSON, Hit, Path, Severity
from ..placeholders import has_placeholder


class Judged(NamedTuple):
    violation: pss.Violation
    severity: Severity
    message: str


# What to change, per control (the rule's fix text is the general one).
_FIX = {
    "hostProcess": N_("Remove windowsOptions.hostProcess: true."),
    "hostNamespaces": N_("Remove hostNetwork/hostPID/hostIPC: true; expose the app with a Service instead."),
    "privileged": N_("Remove privileged: true and add only the capabilities the container needs."),
    "capabilities_baseline": N_("Drop the added capabilities beyond the runtime's default set."),
    "hostPathVolumes": N_("Use a configMap, secret, emptyDir or persistentVolumeClaim volume instead of "
                         "hostPath."),
    "hostPorts": N_("Remove hostPort and reach the container through a Service."),
    "hostProbesAndHostLifecycle": N_("Remove the host field; probes and hooks then target the pod's own "
                                    "IP."),
    "appArmorProfile": N_("Use appArmorProfile type RuntimeDefault or Localhost."),
    "seLinuxOptions": N_("Remove seLinuxOptions user/role and use an allowed type (container_t ...)."),
    "procMount": N_("Remove procMount (Default masks /proc)."),
    "procMount_restricted": N_("Remove procMount (Default masks /proc)."),
    "seccompProfile_baseline": N_("Use seccompProfile type RuntimeDefault instead of Unconfined."),
    "sysctls": N_("Remove the unsafe sysctls or set them on the node."),
    "restrictedVolumes": N_("Use a persistentVolumeClaim (or csi) volume for this storage."),
    "allowPrivilegeEscalation": N_("Set securityContext.allowPrivilegeEscalation: false on the container."),
    "runAsNonRoot": N_("Set securityContext.runAsNonRoot: true on the pod (and run the image as a "
                      "non-root user)."),
    "runAsUser": N_("Set runAsUser to a non-zero user id."),
    "seccompProfile_restricted": N_("Set securityContext.seccompProfile.type: RuntimeDefault on the pod."),
    "capabilities_restricted": N_("Set securityContext.capabilities.drop: [ALL] (add back only "
                                 "NET_BIND_SERVICE)."),
}


# Before 1.30 AppArmor is set by annotation (the appArmorProfile field is GA from 1.30:
# https://kubernetes.io/docs/tutorials/security/apparmor/), so the fix follows what is written.
_FIX_APPARMOR_ANNOTATION = (N_("Set the annotation to runtime/default or localhost/<profile> (from "
                              "Kubernetes 1.30, securityContext.appArmorProfile), or remove it."))


def _fix(control: str, path: Path) -> str | None:
    if control == "appArmorProfile" and "annotations" in path:
        return _(_FIX_APPARMOR_ANNOTATION)
    fix = _FIX.get(control)
    return _(fix) if fix else None


_UNKNOWN_BASELINE = (N_("this breaks the baseline Pod Security Standard; a namespace enforcing baseline "
                       "or restricted refuses these pods"))


def _policy(graph: Graph, workload: Object) -> dict[str, pss.ModePolicy] | None:
    """The Pod Security labels of the workload's Namespace: the one of its own apply unit
    (kubeflow's ambient istio overlay makes istio-system privileged, its base restricted),
    else the one other units agree on; None when there is none, or when they disagree
    (which one the cluster gets depends on what is applied)."""
    found, local = graph.lookup(workload, graph.named("Namespace", None, workload.namespace or ""))
    policies = [pss.namespace_policy(ns.labels) for ns in found]
    if not policies or (not local and any(p != policies[0] for p in policies)):
        return None
    return policies[-1]


@last_arguments
def judged(ctx: CheckContext, workload: Object) -> list[Judged]:
    """PSS violations of a workload with the severity its namespace gives them (both PSS
    rules read them; a PodTemplate object runs no pods)."""
    if workload.kind == "PodTemplate":
        return []
    return _judge(workload, _policy(ctx.graph, workload) if workload.namespace else None, ctx)


def _judge(workload: Object, declared: dict[str, pss.ModePolicy] | None, ctx: CheckContext) -> list[Judged]:
    template = workload.template
    data = workload.get(*template.path) if template.path else workload.data
    if not isinstance(data, dict):
        return []
    assumed = ctx.pod_security_level in ("baseline", "restricted") and "enforce" not in (declared or {})
    if not declared and not assumed:
        return _no_policy(pss.evaluate(data, ctx.kubernetes_version), data)
    modes = dict(declared or {})
    if assumed:
        modes["enforce"] = pss.ModePolicy(ctx.pod_security_level, None)
    return _Judge(workload, data, ctx.kubernetes_version, modes, assumed).run()


def _no_policy(found: list[pss.Violation], data: JSON) -> list[Judged]:
    """No Pod Security label on the namespace and no --pod-security-level: the common case,
    made short. Baseline violations warn (many clusters enforce baseline), restricted ones
    are choices."""
    out = [Judged(v, Severity.WARNING, f"{v.message}: {_(_UNKNOWN_BASELINE)}")
           for v in found if v.level == "baseline"]
    choices = [v for v in found if v.level == "restricted"]
    return out + _choices(choices, None, False, "", data) if choices else out


class _Judge:
    """The PodSecurity admission plugin's modes for one workload, in the order a violation
    is reported: enforce (error), then warn and audit (warning), then what the cluster's
    latest policy version would add (staging/src/k8s.io/pod-security-admission/admission/
    admission.go EvaluatePod: enforce, audit and warn are evaluated separately, each at its
    own level and version). A violation is reported once, by the first mode that sees it."""

    def __init__(self, workload: Object, data: JSON, cluster: Version,
                 modes: dict[str, pss.ModePolicy], assumed: bool) -> None:
        self.workload, self.data, self.cluster = workload, data, cluster
        self.modes, self.assumed = modes, assumed
        self.enforce = modes.get("enforce")
        self.ns = workload.namespace or ""
        self.seen: set[tuple[str, Path]] = set()
        self._found: dict[Version, list[pss.Violation]] = {}

    def at(self, version: Version) -> list[pss.Violation]:
        """The violations at a policy version (evaluated once per version)."""
        if version not in self._found:
            self._found[version] = pss.evaluate(self.data, version)
        return self._found[version]

    def run(self) -> list[Judged]:
        out = self.enforced() + self.warned_or_audited("warn") + self.warned_or_audited("audit")
        return out + self.unchecked()

    def enforced(self) -> list[Judged]:
        """Violations the enforce level refuses: errors (for a workload, its pods are refused)."""
        enforce = self.enforce
        if enforce is None or enforce.level == "privileged":
            return []
        kind = self.workload.kind
        warned = "warn" in self.modes and pss.RANK[self.modes["warn"].level] >= pss.RANK[enforce.level]
        where = (_("with --pod-security-level {level} assumed for namespace '{ns}'").format(
                     level=enforce.level, ns=self.ns)
                 if self.assumed else
                 _("namespace '{ns}' enforces Pod Security level {enforce}").format(ns=self.ns, enforce=_level(enforce)))
        effect = pss.admission_effect(kind, warned=warned)
        out = []
        for v in self.at(pss.policy_version(enforce.version, self.cluster)):
            if pss.RANK[v.level] <= pss.RANK[enforce.level]:
                self.seen.add((v.control, v.path))
                out.append(Judged(v, Severity.ERROR, _("{message}: {where}, so {effect}").format(
                    message=v.message, where=where, effect=effect)))
        return out

    def warned_or_audited(self, mode: str) -> list[Judged]:
        """Violations the warn or audit level reports but nothing refuses: warnings."""
        policy = self.modes.get(mode)
        if policy is None or policy.level == "privileged":
            return []
        said = (_("kubectl apply prints a PodSecurity warning") if mode == "warn"
                else _("the API server records an audit annotation"))
        out = []
        for v in self.at(pss.policy_version(policy.version, self.cluster)):
            if (v.control, v.path) not in self.seen and pss.RANK[v.level] <= pss.RANK[policy.level]:
                self.seen.add((v.control, v.path))
                out.append(Judged(v, Severity.WARNING,
                                  _("{message}: namespace '{ns}' sets {mode}={policy}, so {said}; a "
                                    "namespace enforcing {level} would refuse these pods").format(
                                      message=v.message, ns=self.ns, mode=mode, policy=_level(policy), said=said,
                                      level=v.level)))
        return out

    def unchecked(self) -> list[Judged]:
        """Violations at the cluster's own policy version that no mode reported: a pinned
        older enforce-version that does not check them yet (warning), a baseline violation
        with no enforce label (warning), else a choice (info)."""
        enforce = self.enforce
        out: list[Judged] = []
        choices: list[pss.Violation] = []
        for v in self.at(self.cluster):
            if (v.control, v.path) in self.seen:
                continue
            if enforce is not None and pss.RANK[enforce.level] >= pss.RANK[v.level] and enforce.version:
                out.append(Judged(v, Severity.WARNING,
                                  _("{message}: namespace '{ns}' pins enforce-version v{version}.{version2}, "
                                    "which does not check this yet; newer {level} policy versions refuse "
                                    "these pods").format(message=v.message, ns=self.ns, version=enforce.version[0],
                                                         version2=enforce.version[1], level=v.level)))
            elif v.level == "baseline" and enforce is None:
                out.append(Judged(v, Severity.WARNING, f"{v.message}: {_(_UNKNOWN_BASELINE)}"))
            else:
                choices.append(v)
        if choices:
            out.extend(_choices(choices, enforce, self.assumed, self.ns, self.data))
        return out


def _choices(found: list[pss.Violation], enforce: pss.ModePolicy | None, assumed: bool, ns: str,
             template: JSON) -> list[Judged]:
    """Violations nothing enforces here (info). Restricted gaps become one finding per
    workload listing them: a choice to know about, not a line per field on every workload."""
    def why(level: str, count: int) -> str:
        if enforce is None:
            return ngettext("the {level} Pod Security Standard requires it; a namespace enforcing {level} "
                            "refuses these pods",
                            "the {level} Pod Security Standard requires them; a namespace enforcing {level} "
                            "refuses these pods", count).format(level=level)
        source = (_("assumed for namespace '{ns}' (--pod-security-level)").format(ns=ns) if assumed
                  else _("namespace '{ns}' enforces").format(ns=ns))
        return ngettext("allowed by the {level} level {source}; the {level2} Pod Security Standard forbids it",
                        "allowed by the {level} level {source}; the {level2} Pod Security Standard forbids them",
                        count).format(level=enforce.level, source=source, level2=level)

    out = [Judged(v, Severity.INFO, f"{v.message}: {why(v.level, 1)}") for v in found
           if v.level == "baseline"]
    gaps = [v for v in found if v.level == "restricted"]
    if len(gaps) == 1:
        out.append(Judged(gaps[0], Severity.INFO, f"{gaps[0].message}: {why('restricted', 1)}"))
    elif gaps:
        spec = template.get("spec")
        path = ("spec", "securityContext") if isinstance(spec, dict) and isinstance(
            spec.get("securityContext"), dict) else ("spec",)
        listed = "; ".join(v.message for v in gaps)
        summary = pss.Violation("restricted", "restricted", path,
                                _("{n_gaps} gaps to the restricted level: {listed}").format(n_gaps=len(gaps), listed=listed))
        out.append(Judged(summary, Severity.INFO, f"{summary.message}: {why('restricted', len(gaps))}"))
    return out


def _level(policy: pss.ModePolicy) -> str:
    version = _("v{version}.{version2}").format(version=policy.version[0], version2=policy.version[1]) if policy.version else "latest"
    return f'"{policy.level}:{version}"'


def _pss_hits(ctx: CheckContext, workload: Object, level: str) -> Iterator[Hit]:
    template = workload.pod_template
    base = template.path if template is not None else ()
    for item in judged(ctx, workload):
        if item.violation.level == level:
            yield workload.finding(base + item.violation.path, item.message,
                                   severity=item.severity, fix=_fix(item.violation.control, item.violation.path))


@check("pod-security-baseline", workloads=True, needs_graph=True)
def pod_security_baseline(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    yield from _pss_hits(ctx, obj, "baseline")


@check("pod-security-restricted", workloads=True, needs_graph=True)
def pod_security_restricted(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    yield from _pss_hits(ctx, obj, "restricted")


# --- literal credentials in env --------------------------------------------------------

_SECRET_NAME = lazy_compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL")
# Names that hold where or how a secret is found, not the secret itself.
_NOT_SECRET_NAME = lazy_compile(
    r"(_FILE|_PATH|_DIR|_NAME|_NAMES|_REF|_KEY_ID|_ID|_URL|_URI|_ENDPOINT|_HOST|_PORT|_ENABLED|_TTL|"
    r"_EXPIRY|_EXPIRATION|_LENGTH|_SIZE|_TYPE|_HEADER|_MODE|_FORMAT|_AUDIENCE|_ISSUER|_SECONDS|"
    r"_VERSION|_NAMESPACE|_PROJECT|_REGION|_LOCATION|_ARN|_PROVIDER|_STORE|_MOUNT)$")
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:(?!\$\()[^/\s@]+@")
# A URL to a host name reserved for documentation (RFC 2606 section 3, `example`, `example.com`,
# `example.net`, `example.org`, and the `.example`, `.test`, `.invalid` top-level names of its
# section 2) can reach no server: its password is an example (gpu-operator's
# internal/state/testdata/golden/driver-*.yaml, `HTTP_PROXY: http://user:pass@example:8080`).
_EXAMPLE_HOST = re.compile(r"(?:[\w-]+\.)*(?:example(?:\.(?:com|net|org))?|[\w-]+\.(?:example|test|invalid))(?![\w.-])",
                           re.I)
_KNOWN_KEYS = (
    (N_("an AWS access key"), re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    (N_("a GitHub token"), re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})")),
    (N_("a Slack token"), re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    (N_("a Google API key"), re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    (N_("a Stripe secret key"), re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}")),
    (N_("a private key"), re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    (N_("a JSON Web Token"), re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    (N_("a password in a URL"), _URL_PASSWORD),
)
# A value that is one filler character repeated (`xxxxxxxxxxxxxxxxx` in kubernetes/autoscaler's
# bizflycloud manifest, `********`) is a blank for the reader to fill, not a credential. A
# switch word (`disabled`, `off`) turns the feature off: grafana/k8s-monitoring-helm sets
# OpenCost's CLOUD_PROVIDER_API_KEY to "disabled" in every rendered example.
_PLACEHOLDER = lazy_compile(r"^(\$\(|\$\{|\{\{|<|%)|"
                            r"^(true|false|yes|no|none|null|disabled?|enabled?|off|on|\d+|x+|\*+)$", re.I)


_ANY_KEY = lazy_compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (__, p) in enumerate(_KNOWN_KEYS)))


def credential_kind(name: str, value: str) -> str | None:
    """Why a literal env value looks like a credential, or None."""
    # Every known key format is 20+ characters long, or a URL with a password.
    match = _ANY_KEY.search(value) if len(value) >= 20 or "@" in value else None
    if match:
        index = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
        if _KNOWN_KEYS[index][1] is _URL_PASSWORD and _EXAMPLE_HOST.match(value, match.end()):
            return None
        return _("holds what looks like {KNOWN_KEYS}").format(KNOWN_KEYS=_(_KNOWN_KEYS[index][0]))
    upper = name.upper()
    if (_SECRET_NAME.search(upper) and not _NOT_SECRET_NAME.search(upper) and len(value) >= 4
            and not value.startswith("/") and not _PLACEHOLDER.match(value) and value != name
            and not has_placeholder(value)):
        return _("has a credential-like name and a literal value")
    return None


def _dicts(value: object) -> list[JSON]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _ref_name(ref: object, key: str) -> str | None:
    return str(ref.get(key)) if isinstance(ref, dict) else None


def _secret_names(spec: JSON) -> set[str]:
    """Names of the Secrets a pod spec uses (volumes, projected sources, env and envFrom
    references, imagePullSecrets)."""
    names = {_ref_name(v.get("secret"), "secretName") for v in _dicts(spec.get("volumes"))}
    for volume in _dicts(spec.get("volumes")):
        projected = volume.get("projected")
        sources = projected.get("sources") if isinstance(projected, dict) else None
        names.update(_ref_name(source.get("secret"), "name") for source in _dicts(sources))
    names.update(_ref_name(ref, "name") for ref in _dicts(spec.get("imagePullSecrets")))
    for container in _dicts(spec.get("initContainers")) + _dicts(spec.get("containers")):
        for var in _dicts(container.get("env")):
            source = var.get("valueFrom")
            names.add(_ref_name(source.get("secretKeyRef"), "name") if isinstance(source, dict) else None)
        names.update(_ref_name(source.get("secretRef"), "name") for source in _dicts(container.get("envFrom")))
    return {name for name in names if name}


@check("env-secret-literal", workloads=True)
def env_secret_literal(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    used: set[str] | None = None
    for container, path, __ in template.all_containers():
        env = container.get("env")
        if not isinstance(env, list):
            continue
        for i, var in enumerate(env):
            if not isinstance(var, dict):
                continue
            name, value = var.get("name"), var.get("value")
            if not isinstance(name, str) or not isinstance(value, str) or not value:
                continue
            why = credential_kind(name, value)
            if why and used is None:
                used = _secret_names(template.spec)
            if why and value in (used or ()):
                # The name of a Secret the pod itself uses is a reference, not a credential
                # (ECK's operator: WEBHOOK_SECRET=elastic-webhook-server-cert, mounted as a volume).
                continue
            if why:
                yield obj.finding(path + ("env", i, "value"),
                                  _("env {name} of container '{value}' {why}: anyone who can read this "
                                    "object (or its last-applied annotation, or the repository) can read "
                                    "it").format(name=name, value=container.get('name'), why=why), at="value")


# --- RBAC ---------------------------------------------------------------------------------

# Aggregated APIs that serve only get, list and watch (metrics-server, prometheus-adapter):
# a wildcard there grants reads and nothing else.
READ_ONLY_GROUPS = frozenset({"metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"})
_ALL_VERBS = N_("get, list, watch, create, update, patch, delete, deletecollection and any added later")


@check("rbac-wildcard", kinds=("Role", "ClusterRole"))
def rbac_wildcard(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.group != "rbac.authorization.k8s.io":
        return
    rules = obj.get("rules")
    if not isinstance(rules, list):
        return
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        verbs, resources = rule.get("verbs"), rule.get("resources")
        wild_verbs = isinstance(verbs, list) and "*" in verbs
        wild_resources = isinstance(resources, list) and "*" in resources
        if not (wild_verbs or wild_resources):
            continue
        groups = rule.get("apiGroups")
        if isinstance(groups, list) and groups and all(isinstance(g, str) and g in READ_ONLY_GROUPS for g in groups):
            continue
        group_text = ", ".join(g or '""' for g in groups if isinstance(g, str)) if isinstance(groups, list) else ""
        scope = _("in every namespace") if obj.kind == "ClusterRole" else _("in namespace '{namespace}'").format(namespace=obj.namespace)
        if wild_verbs and wild_resources:
            what = _("every verb on every resource of API groups {value}, including ones added later").format(value=group_text or '(none)')
        elif wild_verbs:
            what = _("every verb ({ALL_VERBS}) on {resources}").format(ALL_VERBS=_(_ALL_VERBS), resources=_list(resources))
        else:
            what = _("{verbs} on every resource of API groups {value}, including ones added later").format(verbs=_list(verbs), value=group_text or '(none)')
        field = "verbs" if wild_verbs else "resources"
        yield obj.finding(("rules", i, field), _("{kind} {name} grants {what} {scope}").format(kind=obj.kind, name=obj.name, what=what, scope=scope))


def _list(items: object) -> str:
    return ", ".join(str(x) for x in items) if isinstance(items, list) else "nothing"


@check("rbac-cluster-admin-service-account", kinds=("ClusterRoleBinding", "RoleBinding"))
def rbac_cluster_admin_sa(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    if obj.get("roleRef", "kind") != "ClusterRole" or obj.get("roleRef", "name") != "cluster-admin":
        return
    subjects = obj.get("subjects")
    if not isinstance(subjects, list):
        return
    for i, subject in enumerate(subjects):
        if not isinstance(subject, dict) or subject.get("kind") != "ServiceAccount":
            continue
        sa_ns = subject.get("namespace") or obj.namespace or ctx.namespace
        reach = (_("the whole cluster") if obj.kind == "ClusterRoleBinding"
                 else _("everything in namespace '{namespace}'").format(namespace=obj.namespace))
        yield obj.finding(("subjects", i),
                          _("ServiceAccount {sa_ns}/{value} gets cluster-admin over {reach}: every pod "
                            "that runs as it, and anyone who can create pods in namespace '{sa_ns}', has "
                            "that power").format(sa_ns=sa_ns, value=subject.get('name'), reach=reach))
