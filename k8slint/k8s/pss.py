"""Pod Security Standards: the baseline and restricted controls as the PodSecurity
admission plugin evaluates them, and the namespace labels that select a level.

Sources: https://kubernetes.io/docs/concepts/security/pod-security-standards/ and
k8s.io/pod-security-admission/policy/check_*.go (kubernetes/kubernetes
staging/src/k8s.io/pod-security-admission): check ids, levels, the version each check
revision starts at, the allowed values. visitor.go walks initContainers, containers and
ephemeralContainers alike (sidecars get no exemption). api/helpers.go: `latest` and any
version newer than the cluster resolve to the cluster's policy.

Paths in Violations are relative to the pod template (the Pod object itself for a Pod).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, NamedTuple

from ..i18n import N_, _, ngettext
from ..lazyre import lazy_compile
from ..model import JSON, Path
from .versions import Version

LEVELS = ("privileged", "baseline", "restricted")
RANK = {level: i for i, level in enumerate(LEVELS)}
MODES = ("enforce", "audit", "warn")
LABEL_PREFIX = "pod-security.kubernetes.io/"
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class Control:
    id: str           # the PodSecurity check id (check_<id>.go)
    level: str
    title: str        # the name on the Pod Security Standards page
    since: Version    # first policy version that has the check


CONTROLS = {c.id: c for c in (
    Control("hostProcess", "baseline", "HostProcess", (1, 0)),
    Control("hostNamespaces", "baseline", "Host Namespaces", (1, 0)),
    Control("privileged", "baseline", "Privileged Containers", (1, 0)),
    Control("capabilities_baseline", "baseline", "Capabilities", (1, 0)),
    Control("hostPathVolumes", "baseline", "HostPath Volumes", (1, 0)),
    Control("hostPorts", "baseline", "Host Ports", (1, 0)),
    Control("hostProbesAndHostLifecycle", "baseline", "Host Probes / Lifecycle Hooks", (1, 34)),
    Control("appArmorProfile", "baseline", "AppArmor", (1, 0)),
    Control("seLinuxOptions", "baseline", "SELinux", (1, 0)),
    Control("procMount", "baseline", "/proc Mount Type", (1, 0)),
    Control("seccompProfile_baseline", "baseline", "Seccomp", (1, 19)),
    Control("sysctls", "baseline", "Sysctls", (1, 0)),
    Control("restrictedVolumes", "restricted", "Volume Types", (1, 0)),
    Control("allowPrivilegeEscalation", "restricted", "Privilege Escalation", (1, 8)),
    Control("runAsNonRoot", "restricted", "Running as Non-root", (1, 0)),
    Control("runAsUser", "restricted", "Running as Non-root user", (1, 23)),
    Control("seccompProfile_restricted", "restricted", "Seccomp", (1, 19)),
    Control("capabilities_restricted", "restricted", "Capabilities", (1, 22)),
    Control("procMount_restricted", "restricted", "/proc Mount Type", (1, 35)),
)}

# check_capabilities_baseline.go capabilities_allowed_1_0 (the container runtime's default set).
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})
RESTRICTED_ADD_CAPABILITY = "NET_BIND_SERVICE"        # check_capabilities_restricted.go

# check_seLinuxOptions.go: selinuxAllowedTypes1_0, 1_31.
SELINUX_TYPES: tuple[tuple[Version, frozenset[str]], ...] = (
    ((1, 0), frozenset({"", "container_t", "container_init_t", "container_kvm_t"})),
    ((1, 31), frozenset({"", "container_t", "container_init_t", "container_kvm_t",
                         "container_engine_t"})),
)

# check_sysctls.go: sysctlsAllowedV1Dot0 and the sets added at 1.27, 1.29, 1.32, 1.37.
_SYSCTLS_ADDED: tuple[tuple[Version, tuple[str, ...]], ...] = (
    ((1, 0), ("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
              "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
              "net.ipv4.ip_unprivileged_port_start")),
    ((1, 27), ("net.ipv4.ip_local_reserved_ports",)),
    ((1, 29), ("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
               "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes")),
    ((1, 32), ("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem")),
    ((1, 37), ("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat")),
)

# check_restrictedVolumes.go: the only volume sources restricted allows (image: 1.33+,
# patched into the 1.0 check so it applies at every pinned version).
RESTRICTED_VOLUME_SOURCES = frozenset({
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
    "persistentVolumeClaim", "projected", "secret",
})
APPARMOR_TYPES = frozenset({"RuntimeDefault", "Localhost"})
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
SECCOMP_TYPES = frozenset({"RuntimeDefault", "Localhost"})
# From policy 1.25 these restricted checks skip pods with spec.os.name: windows.
LINUX_ONLY = frozenset({"allowPrivilegeEscalation", "seccompProfile_restricted",
                        "capabilities_restricted"})
LINUX_ONLY_SINCE = (1, 25)
# From policy 1.35 user-namespace pods (spec.hostUsers: false) skip these (KEP-127).
USER_NAMESPACE_RELAXED = frozenset({"runAsNonRoot", "runAsUser", "procMount"})
USER_NAMESPACE_SINCE = (1, 35)
# Controls that read nothing but securityContexts: none can fail when none is set.
_SECURITY_CONTEXT_ONLY = frozenset({"hostProcess", "privileged", "capabilities_baseline",
                                    "seLinuxOptions", "procMount", "seccompProfile_baseline",
                                    "sysctls", "runAsUser", "procMount_restricted"})
_SKIP_NO_CONTEXT_NO_ANNOTATIONS = _SECURITY_CONTEXT_ONLY | {"appArmorProfile"}
_VOLUMES_ONLY = frozenset({"hostPathVolumes", "restrictedVolumes"})
_HOST_NAMESPACES_ONLY = frozenset({"hostNamespaces"})


def allowed_sysctls(version: Version) -> frozenset[str]:
    return frozenset(name for since, names in _SYSCTLS_ADDED if since <= version for name in names)


def selinux_types(version: Version) -> frozenset[str]:
    allowed = SELINUX_TYPES[0][1]
    for since, types in SELINUX_TYPES:
        if since <= version:
            allowed = types
    return allowed


# --- namespace labels ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ModePolicy:
    level: str
    version: Version | None        # None: latest (the cluster's own version)


_VERSION_LABEL = lazy_compile(r"v1\.(0|[1-9][0-9]*)\Z")


def namespace_policy(labels: JSON) -> dict[str, ModePolicy]:
    """mode -> policy from the pod-security.kubernetes.io/<mode>[-version] labels.
    An unknown level or version is ignored here (the API server refuses the label)."""
    policy: dict[str, ModePolicy] = {}
    for mode in MODES:
        level = labels.get(LABEL_PREFIX + mode)
        if not isinstance(level, str) or level not in RANK:
            continue
        raw = labels.get(LABEL_PREFIX + mode + "-version")
        match = _VERSION_LABEL.match(raw) if isinstance(raw, str) else None
        policy[mode] = ModePolicy(level, (1, int(match.group(1))) if match else None)
    return policy


def policy_version(pinned: Version | None, cluster: Version) -> Version:
    """A pinned version newer than the cluster, or `latest`, means the cluster's policy."""
    return cluster if pinned is None or pinned > cluster else pinned


# --- evaluation ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Violation:
    control: str
    level: str
    path: Path                     # relative to the pod template
    message: str                   # what is set, e.g. "container 'web' sets privileged: true"
    container: str | None = None


def evaluate(template: JSON, version: Version) -> list[Violation]:
    """Every baseline and restricted violation of a pod template (metadata + spec) at a
    policy version. A restricted control that the baseline one already reports (hostPath
    volume, Unconfined seccomp, a capability beyond the baseline set) is not repeated."""
    spec = template.get("spec")
    if not isinstance(spec, dict):
        return []
    metadata = template.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    found: list[Violation] = []
    windows = _get(spec, "os", "name") == "windows" and version >= LINUX_ONLY_SINCE
    userns = spec.get("hostUsers") is False and version >= USER_NAMESPACE_SINCE
    containers = list(_containers(spec))
    # Most pods set few security fields: skip the controls that read only securityContexts
    # (and annotations) when there are none.
    if spec.get("securityContext") or any(c.get("securityContext") for c, *__ in containers):
        skip: frozenset[str] = frozenset()
    else:
        skip = _SECURITY_CONTEXT_ONLY if metadata.get("annotations") else _SKIP_NO_CONTEXT_NO_ANNOTATIONS
    # Likewise the controls that read only volumes or the host namespace fields.
    if not spec.get("volumes"):
        skip = skip | _VOLUMES_ONLY
    if not (spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC")):
        skip = skip | _HOST_NAMESPACES_ONLY
    for control_id, func in _CHECKS:
        control = CONTROLS[control_id]
        if version < control.since or control_id in skip:
            continue
        if windows and control_id in LINUX_ONLY:
            continue
        if userns and control_id in USER_NAMESPACE_RELAXED:
            continue
        found.extend(func(spec, metadata, version, containers))
    return found


def _get(node: Any, *path: Any) -> Any:
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


class _Container(NamedTuple):
    container: JSON
    path: Path                      # relative to the pod template
    label: str                      # 'web', or initContainers[0] when it has no name


def _containers(spec: JSON) -> Iterator[_Container]:
    for list_name in CONTAINER_LISTS:
        items = spec.get(list_name)
        if isinstance(items, list):
            for i, container in enumerate(items):
                if isinstance(container, dict):
                    yield _Container(container, ("spec", list_name, i), _name(container, list_name, i))


def _name(container: JSON, list_name: str, index: int) -> str:
    name = container.get("name")
    return f"'{name}'" if isinstance(name, str) and name else f"{list_name}[{index}]"


def _sc(container: JSON) -> JSON:
    sc = container.get("securityContext")
    return sc if isinstance(sc, dict) else {}


def _v(control: str, path: Path, message: str, container: str | None = None) -> Violation:
    return Violation(control, CONTROLS[control].level, path, message, container)


def _sc_path(container: JSON, base: Path, *rest: str) -> Path:
    """Path of a securityContext field, or of the deepest part that exists (for a fix)."""
    sc = container.get("securityContext")
    if not isinstance(sc, dict):
        return base
    path = base + ("securityContext",)
    node: Any = sc
    for step in rest:
        if not isinstance(node, dict) or step not in node:
            break
        path += (step,)
        node = node[step]
    return path


# Baseline ---------------------------------------------------------------------------

def _host_process(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    if _get(spec, "securityContext", "windowsOptions", "hostProcess") is True:
        yield _v("hostProcess", ("spec", "securityContext", "windowsOptions", "hostProcess"),
                 _("the pod sets windowsOptions.hostProcess: true (a Windows HostProcess pod has "
                   "full access to the node)"))
    for c, base, name in cs:
        if _get(c, "securityContext", "windowsOptions", "hostProcess") is True:
            yield _v("hostProcess", base + ("securityContext", "windowsOptions", "hostProcess"),
                     _("container {name} sets windowsOptions.hostProcess: true").format(name=name), name)


def _host_namespaces(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    shared = [(field, what) for field, what in
              (("hostNetwork", N_("network")), ("hostPID", N_("process")), ("hostIPC", N_("IPC")))
              if spec.get(field) is True]
    if shared:
        fields = ", ".join(f"{field}: true" for field, __ in shared)
        kinds = _(" and ").join(_(what) for __, what in shared)
        message = ngettext("{fields} shares the node's {kinds} namespace with the pod",
                           "{fields} shares the node's {kinds} namespaces with the pod", len(shared))
        yield _v("hostNamespaces", ("spec", shared[0][0]), message.format(fields=fields, kinds=kinds))


def _privileged(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        if _sc(c).get("privileged") is True:
            yield _v("privileged", base + ("securityContext", "privileged"),
                     _("container {name} is privileged (full access to the node's devices and kernel)")
                     .format(name=name),
                     name)


def _added(container: JSON) -> list[tuple[int, str]]:
    add = _get(container, "securityContext", "capabilities", "add")
    if not isinstance(add, list):
        return []
    return [(i, cap) for i, cap in enumerate(add) if isinstance(cap, str)]


def _capabilities_baseline(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        bad = [(i, cap) for i, cap in _added(c) if cap not in BASELINE_CAPABILITIES]
        if bad:
            caps = ", ".join(cap for __, cap in bad)
            yield _v("capabilities_baseline",
                     base + ("securityContext", "capabilities", "add", bad[0][0]),
                     _("container {name} adds capabilities beyond the runtime's default set: {caps}")
                     .format(name=name, caps=caps),
                     name)


def _volumes(spec: JSON) -> Iterator[tuple[int, JSON, str]]:
    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        for i, volume in enumerate(volumes):
            if isinstance(volume, dict):
                name = volume.get("name")
                yield i, volume, f"'{name}'" if isinstance(name, str) else f"volumes[{i}]"


def _host_path_volumes(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    found = [(i, name, _get(volume, "hostPath", "path")) for i, volume, name in _volumes(spec)
             if volume.get("hostPath") is not None]
    if found:
        shown = ", ".join(name + (f" ({path})" if isinstance(path, str) else "") for __, name, path in found)
        yield _v("hostPathVolumes", ("spec", "volumes", found[0][0], "hostPath"),
                 ngettext("volume {shown} mounts directories of the node",
                          "volumes {shown} mount directories of the node", len(found)).format(shown=shown))


def _host_ports(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        ports = c.get("ports")
        if not isinstance(ports, list):
            continue
        bad = [(j, p.get("hostPort")) for j, p in enumerate(ports)
               if isinstance(p, dict) and p.get("hostPort") not in (None, 0)]
        if bad:
            shown = ", ".join(str(port) for __, port in bad)
            yield _v("hostPorts", base + ("ports", bad[0][0], "hostPort"),
                     _("container {name} binds host port {shown} on the node").format(name=name, shown=shown), name)


_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


def _host_probes(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        handlers: list[tuple[tuple[str, ...], Any]] = [((probe,), c[probe]) for probe in _PROBES if probe in c]
        lifecycle = c.get("lifecycle")
        if isinstance(lifecycle, dict):
            handlers += [(("lifecycle", hook), lifecycle[hook]) for hook in _HOOKS if hook in lifecycle]
        for path, handler in handlers:
            if not isinstance(handler, dict):
                continue
            hit = next((kind for kind in ("httpGet", "tcpSocket")
                        if isinstance(handler.get(kind), dict)
                        and handler[kind].get("host") not in (None, "")), None)
            if hit:
                yield _v("hostProbesAndHostLifecycle", base + path + (hit, "host"),
                         _("container {name} sets {field} ({host}): the kubelet connects to that host")
                         .format(name=name, field=f"{'.'.join(path)}.{hit}.host", host=handler[hit]['host']), name)
                break


def _app_armor(spec: JSON, meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    kind = _get(spec, "securityContext", "appArmorProfile", "type")
    if isinstance(kind, str) and kind not in APPARMOR_TYPES:
        yield _v("appArmorProfile", ("spec", "securityContext", "appArmorProfile", "type"),
                 _("the pod sets appArmorProfile.type: {kind}").format(kind=kind))
    for c, base, name in cs:
        kind = _get(c, "securityContext", "appArmorProfile", "type")
        if isinstance(kind, str) and kind not in APPARMOR_TYPES:
            yield _v("appArmorProfile", base + ("securityContext", "appArmorProfile", "type"),
                     _("container {name} sets appArmorProfile.type: {kind}").format(name=name, kind=kind), name)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for key, value in annotations.items():
            if (isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION_PREFIX)
                    and isinstance(value, str) and value not in ("", "runtime/default")
                    and not value.startswith("localhost/")):
                yield _v("appArmorProfile", ("metadata", "annotations", key),
                         _("annotation {key}: {value} disables the default AppArmor profile")
                         .format(key=key, value=value))


def _selinux(spec: JSON, _meta: JSON, version: Version, cs: list[_Container]) -> Iterator[Violation]:
    allowed = selinux_types(version)
    owners: list[tuple[Any, Path, str | None, str | None]] = [
        (_get(spec, "securityContext", "seLinuxOptions"), ("spec", "securityContext"), None, None)]
    owners += [(_get(c, "securityContext", "seLinuxOptions"), base + ("securityContext",),
                name, name) for c, base, name in cs]
    for options, base, who, container in owners:
        if not isinstance(options, dict):
            continue
        bad = [field for field in ("type", "user", "role")
               if options.get(field) not in (None, "")
               and not (field == "type" and isinstance(options.get(field), str)
                        and options[field] in allowed)]
        if bad:
            shown = ", ".join(f"{f}: {options[f]}" for f in bad)
            yield _v("seLinuxOptions", base + ("seLinuxOptions", bad[0]),
                     (_("container {name} sets seLinuxOptions {shown}").format(name=who, shown=shown) if who
                      else _("the pod sets seLinuxOptions {shown}").format(shown=shown)), container)


def _proc_mount(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container], control: str = "procMount") -> Iterator[Violation]:
    for c, base, name in cs:
        mount = _sc(c).get("procMount")
        if mount not in (None, "Default"):
            yield _v(control, base + ("securityContext", "procMount"),
                     _("container {name} sets procMount: {mount} (unmasked /proc)").format(name=name, mount=mount), name)


def _seccomp_baseline(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    if _get(spec, "securityContext", "seccompProfile", "type") == "Unconfined":
        yield _v("seccompProfile_baseline", ("spec", "securityContext", "seccompProfile", "type"),
                 _("the pod sets seccompProfile.type: Unconfined (no system-call filter)"))
    for c, base, name in cs:
        if _get(c, "securityContext", "seccompProfile", "type") == "Unconfined":
            yield _v("seccompProfile_baseline", base + ("securityContext", "seccompProfile", "type"),
                     _("container {name} sets seccompProfile.type: Unconfined").format(name=name), name)


def _sysctls(spec: JSON, _meta: JSON, version: Version, cs: list[_Container]) -> Iterator[Violation]:
    sysctls = _get(spec, "securityContext", "sysctls")
    if not isinstance(sysctls, list):
        return
    allowed = allowed_sysctls(version)
    bad = [(i, s.get("name")) for i, s in enumerate(sysctls)
           if isinstance(s, dict) and not (isinstance(s.get("name"), str) and s["name"] in allowed)]
    if bad:
        yield _v("sysctls", ("spec", "securityContext", "sysctls", bad[0][0]),
                 _("the pod sets sysctls outside the safe set: {names}").format(
                     names=", ".join(n if isinstance(n, str) and n else '""' for __, n in bad)))


# Restricted -------------------------------------------------------------------------

def _restricted_volumes(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    found = []
    for i, volume, name in _volumes(spec):
        sources = [k for k, v in volume.items() if k != "name" and v is not None]
        if not sources or "hostPath" in sources:
            continue        # no source defaults to emptyDir; hostPath is the baseline control
        if not any(s in RESTRICTED_VOLUME_SOURCES for s in sources):
            found.append((i, name, sources[0]))
    if found:
        shown = ", ".join(f"{name} ({source})" for __, name, source in found)
        yield _v("restrictedVolumes", ("spec", "volumes", found[0][0], found[0][2]),
                 ngettext("volume {shown} is not of a type restricted allows (configMap, secret, emptyDir, "
                          "projected, downwardAPI, persistentVolumeClaim, ephemeral, csi, image)",
                          "volumes {shown} are not of a type restricted allows (configMap, secret, emptyDir, "
                          "projected, downwardAPI, persistentVolumeClaim, ephemeral, csi, image)",
                          len(found)).format(shown=shown))


def _privilege_escalation(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        value = _sc(c).get("allowPrivilegeEscalation")
        if value is not False:
            message = _("container {name} sets allowPrivilegeEscalation: true") if value is True else \
                _("container {name} does not set allowPrivilegeEscalation: false")
            yield _v("allowPrivilegeEscalation", _sc_path(c, base, "allowPrivilegeEscalation"),
                     message.format(name=name), name)


def _run_as_non_root(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    pod = _get(spec, "securityContext", "runAsNonRoot")
    if pod is False:
        yield _v("runAsNonRoot", ("spec", "securityContext", "runAsNonRoot"),
                 _("the pod sets runAsNonRoot: false"))
    unset = []
    for c, base, name in cs:
        value = _sc(c).get("runAsNonRoot")
        if value is False:
            yield _v("runAsNonRoot", base + ("securityContext", "runAsNonRoot"),
                     _("container {name} sets runAsNonRoot: false").format(name=name), name)
        elif value is not True and pod is not True:
            unset.append(name)
    if unset and pod is not False:
        path = ("spec", "securityContext") if isinstance(spec.get("securityContext"), dict) else ("spec",)
        message = ngettext("neither the pod nor container {names} sets runAsNonRoot: true",
                           "neither the pod nor containers {names} sets runAsNonRoot: true", len(unset))
        yield _v("runAsNonRoot", path, message.format(names=", ".join(unset)))


def _run_as_user(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    if _get(spec, "securityContext", "runAsUser") == 0:
        yield _v("runAsUser", ("spec", "securityContext", "runAsUser"), _("the pod sets runAsUser: 0 (root)"))
    for c, base, name in cs:
        if _sc(c).get("runAsUser") == 0:
            yield _v("runAsUser", base + ("securityContext", "runAsUser"),
                     _("container {name} sets runAsUser: 0 (root)").format(name=name), name)


def _seccomp_restricted(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    pod = _get(spec, "securityContext", "seccompProfile", "type")
    pod_ok = isinstance(pod, str) and pod in SECCOMP_TYPES
    if isinstance(pod, str) and not pod_ok and pod != "Unconfined":
        yield _v("seccompProfile_restricted", ("spec", "securityContext", "seccompProfile", "type"),
                 _("the pod sets seccompProfile.type: {kind}").format(kind=pod))
    unset = []
    for c, base, name in cs:
        kind = _get(c, "securityContext", "seccompProfile", "type")
        if kind is None:
            if not pod_ok:
                unset.append(name)
        elif not (isinstance(kind, str) and kind in SECCOMP_TYPES) and kind != "Unconfined":
            yield _v("seccompProfile_restricted", base + ("securityContext", "seccompProfile", "type"),
                     _("container {name} sets seccompProfile.type: {kind}").format(name=name, kind=kind), name)
    if unset and pod is None:
        path = ("spec", "securityContext") if isinstance(spec.get("securityContext"), dict) else ("spec",)
        message = ngettext("neither the pod nor container {names} sets seccompProfile.type: RuntimeDefault or Localhost",
                           "neither the pod nor containers {names} sets seccompProfile.type: RuntimeDefault or "
                           "Localhost", len(unset))
        yield _v("seccompProfile_restricted", path, message.format(names=", ".join(unset)))


def _capabilities_restricted(spec: JSON, _meta: JSON, _v_: Version, cs: list[_Container]) -> Iterator[Violation]:
    for c, base, name in cs:
        drop = _get(c, "securityContext", "capabilities", "drop")
        if not (isinstance(drop, list) and "ALL" in drop):
            yield _v("capabilities_restricted", _sc_path(c, base, "capabilities", "drop"),
                     _("container {name} does not drop ALL capabilities").format(name=name), name)
        # Capabilities beyond the baseline set are reported by the baseline control.
        extra = [(i, cap) for i, cap in _added(c)
                 if cap in BASELINE_CAPABILITIES and cap != RESTRICTED_ADD_CAPABILITY]
        if extra:
            yield _v("capabilities_restricted",
                     base + ("securityContext", "capabilities", "add", extra[0][0]),
                     _("container {name} adds {caps} (restricted allows adding only NET_BIND_SERVICE)")
                     .format(name=name, caps=", ".join(cap for __, cap in extra)), name)


def _proc_mount_restricted(spec: JSON, meta: JSON, version: Version, cs: list[_Container]) -> Iterator[Violation]:
    # Only differs from the baseline control for user-namespace pods, where baseline relaxes.
    if spec.get("hostUsers") is False:
        yield from _proc_mount(spec, meta, version, cs, "procMount_restricted")


_CHECKS = (
    ("hostProcess", _host_process), ("hostNamespaces", _host_namespaces),
    ("privileged", _privileged), ("capabilities_baseline", _capabilities_baseline),
    ("hostPathVolumes", _host_path_volumes), ("hostPorts", _host_ports),
    ("hostProbesAndHostLifecycle", _host_probes), ("appArmorProfile", _app_armor),
    ("seLinuxOptions", _selinux), ("procMount", _proc_mount),
    ("seccompProfile_baseline", _seccomp_baseline), ("sysctls", _sysctls),
    ("restrictedVolumes", _restricted_volumes), ("allowPrivilegeEscalation", _privilege_escalation),
    ("runAsNonRoot", _run_as_non_root), ("runAsUser", _run_as_user),
    ("seccompProfile_restricted", _seccomp_restricted),
    ("capabilities_restricted", _capabilities_restricted),
    ("procMount_restricted", _proc_mount_restricted),
)


# --- what a pod admission rejection does to each kind --------------------------------
# Admission plugins (PodSecurity enforce, ResourceQuota, LimitRanger) judge Pod objects.
# A workload is accepted; its controller's pod creations then fail (FailedCreate events
# on the controller object, pkg/controller/controller_utils.go CreatePods), so the
# workload sits at 0 pods and `kubectl apply` reports success.
# Each a whole sentence for the catalogs: the kind and the controller that creates its pods.
_EFFECTS = {
    "Deployment": N_("the Deployment is accepted, but its ReplicaSet cannot create a single pod: FailedCreate "
                     "events, 0 pods running, and kubectl apply shows no error"),
    "CronJob": N_("the CronJob is accepted, but the Job of each run cannot create a single pod: FailedCreate "
                  "events, 0 pods running, and kubectl apply shows no error"),
    "Job": N_("the Job is accepted, but the Job controller cannot create a single pod: FailedCreate "
              "events, 0 pods running, and kubectl apply shows no error"),
    "StatefulSet": N_("the StatefulSet is accepted, but the StatefulSet controller cannot create a single pod: "
                      "FailedCreate events, 0 pods running, and kubectl apply shows no error"),
    "DaemonSet": N_("the DaemonSet is accepted, but the DaemonSet controller cannot create a single pod: "
                    "FailedCreate events, 0 pods running, and kubectl apply shows no error"),
    "ReplicaSet": N_("the ReplicaSet is accepted, but the ReplicaSet controller cannot create a single pod: "
                     "FailedCreate events, 0 pods running, and kubectl apply shows no error"),
    "ReplicationController": N_("the ReplicationController is accepted, but the replication controller cannot "
                                "create a single pod: FailedCreate events, 0 pods running, and kubectl apply "
                                "shows no error"),
}
_EFFECTS_WARNED = {
    "Deployment": N_("the Deployment is accepted, but its ReplicaSet cannot create a single pod: FailedCreate "
                     "events, 0 pods running, and kubectl apply only prints a warning"),
    "CronJob": N_("the CronJob is accepted, but the Job of each run cannot create a single pod: FailedCreate "
                  "events, 0 pods running, and kubectl apply only prints a warning"),
    "Job": N_("the Job is accepted, but the Job controller cannot create a single pod: FailedCreate "
              "events, 0 pods running, and kubectl apply only prints a warning"),
    "StatefulSet": N_("the StatefulSet is accepted, but the StatefulSet controller cannot create a single pod: "
                      "FailedCreate events, 0 pods running, and kubectl apply only prints a warning"),
    "DaemonSet": N_("the DaemonSet is accepted, but the DaemonSet controller cannot create a single pod: "
                    "FailedCreate events, 0 pods running, and kubectl apply only prints a warning"),
    "ReplicaSet": N_("the ReplicaSet is accepted, but the ReplicaSet controller cannot create a single pod: "
                     "FailedCreate events, 0 pods running, and kubectl apply only prints a warning"),
    "ReplicationController": N_("the ReplicationController is accepted, but the replication controller cannot "
                                "create a single pod: FailedCreate events, 0 pods running, and kubectl apply "
                                "only prints a warning"),
}


def admission_effect(kind: str, warned: bool = False) -> str:
    """What happens when every pod of this kind of object is refused at admission;
    `warned`: PodSecurity enforce, where kubectl apply prints the plugin's warning."""
    if kind == "Pod":
        return _("the API server rejects the Pod (kubectl apply fails)")
    known = (_EFFECTS_WARNED if warned else _EFFECTS).get(kind)
    if known is not None:
        return _(known)
    if warned:
        return _("the {kind} is accepted, but its controller cannot create a single pod: FailedCreate "
                 "events, 0 pods running, and kubectl apply only prints a warning").format(kind=kind)
    return _("the {kind} is accepted, but its controller cannot create a single pod: FailedCreate "
             "events, 0 pods running, and kubectl apply shows no error").format(kind=kind)


# The reason each check reports when the PodSecurity admission plugin refuses a pod
# (policy/check_<id>.go ForbiddenReason); the API error reads
# `pods "<name>" is forbidden: violates PodSecurity "<level>:<version>": <reason> (<detail>), ...`
# (admission/admission.go). Seen verbatim in FailedCreate events, e.g.
# github.com/redhat-developer/odo/issues/6847, open-policy-agent/gatekeeper/issues/2633.
FORBIDDEN_REASON = {
    "hostProcess": "hostProcess", "hostNamespaces": "host namespaces", "privileged": "privileged",
    "capabilities_baseline": "non-default capabilities", "hostPathVolumes": "hostPath volumes",
    "hostPorts": "hostPort", "hostProbesAndHostLifecycle": "probe or lifecycle host",
    "appArmorProfile": "forbidden AppArmor profile", "seLinuxOptions": "seLinuxOptions",
    "procMount": "procMount", "procMount_restricted": "procMount",
    "seccompProfile_baseline": "seccompProfile", "sysctls": "forbidden sysctls",
    "restrictedVolumes": "restricted volume types",
    "allowPrivilegeEscalation": "allowPrivilegeEscalation != false",
    "runAsNonRoot": "runAsNonRoot != true", "runAsUser": "runAsUser=0",
    "seccompProfile_restricted": "seccompProfile", "capabilities_restricted": "unrestricted capabilities",
}


def forbidden_reasons(template: JSON, level: str, version: Version) -> str:
    """`<reason> (<details>), ...` for the violations of a level, grouped per check in
    check order, as the PodSecurity error lists them (details in k8slint's words)."""
    grouped: dict[str, list[str]] = {}
    for v in evaluate(template, version):
        if RANK[v.level] <= RANK[level]:
            grouped.setdefault(FORBIDDEN_REASON.get(v.control, v.control), []).append(v.message)
    return ", ".join(f"{reason} ({'; '.join(details)})" for reason, details in grouped.items())
