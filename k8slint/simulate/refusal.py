"""The API server's answer when admission refuses a workload's pods (PodSecurity enforce,
LimitRanger, ResourceQuota), worded as it words it, for FailedCreate events.

Validating admission runs in plugin order (pkg/kubeapiserver/options/plugins.go
AllOrderedPlugins: LimitRanger, ..., PodSecurity, ..., ResourceQuota) and stops at the first
refusal, so one reason is shown. Wording: k8s.io/pod-security-admission/admission
("violates PodSecurity"), plugin/pkg/admission/resourcequota/controller.go ("failed quota:
<name>: must specify ..."), plugin/pkg/admission/limitranger/admission.go (the LimitRange
min/max messages, here in k8slint's words).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from .. import i18n
from ..i18n import N_, _
from ..k8s import pss
from . import admission

# The check messages read back (checks/resources.py), by the shape of their message in the
# output language: each field of the msgid becomes a group, so a translation that orders the
# fields otherwise still matches.
_QUOTA_MESSAGE = N_("ResourceQuota '{quota_name}' in namespace '{quota_namespace}' limits {quota}, so "
                    "every container must specify them and no LimitRange in the namespace provides a "
                    "default: must specify {what}; {kind}")
_QUOTA_PART = N_("{k} for {v}")
_LIMIT_MESSAGE = N_("container {box_name}: {resource} {what} of LimitRange '{lr_name}' in namespace "
                    "'{lr_namespace}', so LimitRanger refuses the pods: {effect}")


@lru_cache(maxsize=64)
def _shape(msgid: str, language: str, known: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """The translated message as a pattern: literal text, fields as named lazy groups, or
    the `known` text of a field (the admission effect, which may hold any separator)."""
    values = dict(known)
    pattern = ""
    for literal, field, _spec, _conversion in string.Formatter().parse(_(msgid)):
        pattern += re.escape(literal)
        if field is not None:
            pattern += re.escape(values[field]) if field in values else f"(?P<{field}>.*?)"
    return re.compile(pattern + "$", re.S)


def _read(msgid: str, message: str, **known: str) -> re.Match[str] | None:
    return _shape(msgid, i18n.language(), tuple(sorted(known.items()))).match(message)


def refusal_reason(obj: Any, findings: list[Any], graph: Any, version: tuple[int, int]) -> str:
    """What follows `pods "<name>" is forbidden: ` for this workload's pods."""
    by_rule = {f.rule: f for f in reversed(findings)}       # the first finding of each rule
    limit = by_rule.get(admission.LIMIT_RANGE_RULE)
    if limit is not None:
        match = _read(_LIMIT_MESSAGE, limit.message)
        if match is None:
            return f"[{limit.message}]"
        return f"[{limit.message[:match.start('effect')].rstrip(': ')}]" if i18n.language() != "en" else \
            f"[{limit.message[:limit.message.index(', so LimitRanger refuses the pods')]}]"
    if any(rule in by_rule for rule in admission.PSS_RULES):
        return _pod_security(obj, by_rule, graph, version)
    quota = by_rule[admission.QUOTA_RULE]
    match = _read(_QUOTA_MESSAGE, quota.message, kind=pss.admission_effect(obj.kind))
    if not match:
        return f"failed quota: {quota.message}"
    parts = []
    for part in match.group("what").split("; "):      # as the API server words it: `requests.cpu for: web`
        found = _read(_QUOTA_PART, part)
        parts.append(f"{found.group('k')} for: {found.group('v')}".replace("'", "") if found else part)
    return f"failed quota: {match.group('quota_name')}: must specify {'; '.join(parts)}"


def _pod_security(obj: Any, by_rule: dict[str, Any], graph: Any, version: tuple[int, int]) -> str:
    namespace = graph.get("Namespace", None, obj.namespace) if graph is not None else None
    policy = pss.namespace_policy(namespace.labels).get("enforce") if namespace is not None else None
    if policy is not None:
        level, pinned = policy.level, policy.version
    else:                       # a level assumed with --pod-security-level
        level = "restricted" if "pod-security-restricted" in by_rule else "baseline"
        pinned = None
    shown = f"v{pinned[0]}.{pinned[1]}" if pinned else "latest"
    template = obj.pod_template
    data = obj.get(*template.path) if template is not None and template.path else obj.data
    reasons = pss.forbidden_reasons(data if isinstance(data, dict) else {}, level,
                                    pss.policy_version(pinned, version))
    return f'violates PodSecurity "{level}:{shown}": {reasons}'


# Controllers retry a failed sync with per-object exponential back-off: the default
# controller rate limiter starts at 5 ms and doubles up to 1000 s (client-go
# util/workqueue DefaultTypedControllerRateLimiter); the Job controller's starts at 1 s
# and stops doubling at 60 s (pkg/controller/job DefaultJobApiBackOff, MaxJobApiBackOff).
BACKOFF = {"Job": (1.0, 60.0)}
DEFAULT_BACKOFF = (0.005, 1000.0)
SHOWN_RETRIES = 4            # retries listed one by one; then one line says it goes on


def attempts(pod_name: str, owner_kind: str, t: float) -> list[tuple[float, str]]:
    """(time, pod name) of the first creation and the retries shown. A generateName pod
    gets a new 5-character suffix on each try; a StatefulSet retries the same ordinal."""
    from .naming import generated_name

    base, cap = BACKOFF.get(owner_kind, DEFAULT_BACKOFF)
    out, at, delay = [(t, pod_name)], t, base
    prefix = pod_name[:-5]
    for retry in range(1, SHOWN_RETRIES + 1):
        at += delay
        delay = min(delay * 2, cap)
        name = pod_name if owner_kind == "StatefulSet" else generated_name(prefix, "retry", pod_name, retry)
        out.append((round(at, 3), name))
    return out


def failed_create(owner_kind: str, owner_name: str, pod_name: str, reason: str) -> str:
    """The FailedCreate event as the controller records it (pkg/controller/controller_utils.go
    "Error creating: %v"; the StatefulSet controller's stateful_pod_control.go
    "create Pod %s in StatefulSet %s failed error: %s")."""
    error = f'pods "{pod_name}" is forbidden: {reason}'
    if owner_kind == "StatefulSet":
        return f"FailedCreate: create Pod {pod_name} in StatefulSet {owner_name} failed error: {error}"
    return f"FailedCreate: Error creating: {error}"


def backoff_note(owner_kind: str) -> str:
    base, cap = BACKOFF.get(owner_kind, DEFAULT_BACKOFF)
    return _("keeps retrying with exponential back-off ({base} s doubling up to {cap} s); every try is refused "
             "the same way, so no pod is ever created (kubectl get events shows FailedCreate, later ones "
             "'combined from similar events')").format(base=f"{base:g}", cap=f"{cap:g}")
