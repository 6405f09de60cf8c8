"""Name, label and identifier syntax the API server enforces, per Kubernetes version.

Source: staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label,
IsDNS1123Subdomain, IsDNS1035Label, IsValidPortName, IsQualifiedName, IsValidLabelValue,
IsEnvVarName, IsRelaxedEnvVarName), staging/src/k8s.io/apimachinery/pkg/api/validation/path
(IsValidPathSegmentName), pkg/apis/core/validation/validation.go (which rule each name uses;
ValidateServiceName switched to DNS-1123 labels in 1.36), pkg/apis/rbac/validation
(ValidateRBACName: path segments), apiextensions-apiserver validation (a CRD is `<plural>.<group>`).

Each `check_*` returns None when the value is valid, else one short reason ("contains '_'",
"is 70 characters, at most 63"), so messages can say exactly what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from ..i18n import N_, _, language
from .versions import Version

Check = Callable[[str], "str | None"]


def _cached(func: Callable[..., str | None]) -> Callable[..., str | None]:
    """lru_cache per output language: the reasons are texts in that language."""
    cached = lru_cache(maxsize=8192)(lambda lang, *args: func(*args))   # the same names repeat

    @wraps(func)
    def wrapper(*args: Any) -> str | None:
        return cached(language(), *args)
    return wrapper

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_LABEL_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_QUALIFIED_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_ENV_STRICT = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_IANA = re.compile(r"[-a-z0-9]+")

LABEL_MAX = 63
SUBDOMAIN_MAX = 253
PORT_NAME_MAX = 15
ANNOTATIONS_MAX_BYTES = 256 * 1024      # TotalAnnotationSizeLimitB
CRONJOB_NAME_MAX = 52                   # 63 minus 11 for the Job suffix (pkg/apis/batch/validation)


_LOWER_OR_DIGIT = N_("must start with a lowercase letter or digit"), N_("must end with a lowercase letter or digit")
_LETTER_OR_DIGIT = N_("must start with a letter or digit"), N_("must end with a letter or digit")


def _shape(value: str, allowed: str, first: str = "[a-z0-9]", last: str = "[a-z0-9]",
           words: tuple[str, str] = _LOWER_OR_DIGIT) -> str:
    """The first concrete reason a value breaks a name rule (characters, first, last);
    `words`: what the first and the last character must be, as whole reasons."""
    if not value:
        return _("is empty")
    bad = sorted({c for c in value if not re.fullmatch(allowed, c)})
    if bad:
        return _contains(bad)
    if not re.fullmatch(first, value[0]):
        return _(words[0])
    if not re.fullmatch(last, value[-1]):
        return _(words[1])
    return _("is not valid")


def _contains(bad: list[str]) -> str:
    return _("contains {characters}").format(characters=", ".join(repr(c) for c in bad[:3]))


def _too_long(value: str, most: int) -> str:
    return _("is {length} characters, at most {most}").format(length=len(value), most=most)


@_cached
def check_dns1123_label(value: str) -> str | None:
    if len(value) > LABEL_MAX:
        return _too_long(value, LABEL_MAX)
    if _LABEL.fullmatch(value):
        return None
    return _shape(value, r"[-a-z0-9]")


@_cached
def check_dns1035_label(value: str) -> str | None:
    if len(value) > LABEL_MAX:
        return _too_long(value, LABEL_MAX)
    if _LABEL_1035.fullmatch(value):
        return None
    return _shape(value, r"[-a-z0-9]", "[a-z]", words=(N_("must start with a lowercase letter"),
                                                      _LOWER_OR_DIGIT[1]))


@_cached
def check_dns1123_subdomain(value: str) -> str | None:
    if len(value) > SUBDOMAIN_MAX:
        return _too_long(value, SUBDOMAIN_MAX)
    if not value:
        return _("is empty")
    for part in value.split("."):
        if not _LABEL.fullmatch(part):
            if not part:
                return _("has an empty part between dots")
            return _shape(part, r"[-a-z0-9]")
    return None


def check_path_segment(value: str) -> str | None:
    """RBAC and other names that only need to be one URL path segment."""
    if value in (".", ".."):
        return _("may not be {value}").format(value=repr(value))
    for bad in ("/", "%"):
        if bad in value:
            return _("may not contain {value}").format(value=repr(bad))
    return None if value else _("is empty")


@_cached
def check_port_name(value: str) -> str | None:
    """IANA_SVC_NAME: container ports, string targetPorts, named probe ports."""
    if len(value) > PORT_NAME_MAX:
        return _too_long(value, PORT_NAME_MAX)
    if not _IANA.fullmatch(value):
        return _shape(value, r"[-a-z0-9]")
    if "--" in value:
        return _("may not contain '--'")
    if value.startswith("-") or value.endswith("-"):
        return _("may not start or end with '-'")
    if not any(c.isalpha() for c in value):
        return _("must contain at least one letter")
    return None


@_cached
def check_qualified_name(value: str) -> str | None:
    """Label and annotation keys: [prefix/]name; prefix a DNS subdomain, name <= 63."""
    prefix, slash, name = value.rpartition("/")
    if value.count("/") > 1:
        return _("may contain at most one '/'")
    if slash:
        if not prefix:
            return _("has an empty prefix before '/'")
        problem = check_dns1123_subdomain(prefix)
        if problem:
            return _("prefix {prefix} {problem}").format(prefix=repr(prefix), problem=problem)
    if not name:
        return _("has an empty name")
    if len(name) > LABEL_MAX:
        return _("name part {problem}").format(problem=_too_long(name, LABEL_MAX))
    return _label_part(name)


@_cached
def check_label_value(value: str) -> str | None:
    return _label_part(value) if value else None


def _label_part(value: str) -> str | None:
    """The name of a label key, or a label value: at most 63 of [-A-Za-z0-9_.], alphanumeric ends."""
    if len(value) > LABEL_MAX:
        return _too_long(value, LABEL_MAX)
    if not _QUALIFIED_PART.fullmatch(value):
        return _shape(value, r"[-A-Za-z0-9_.]", "[A-Za-z0-9]", "[A-Za-z0-9]", _LETTER_OR_DIGIT)
    return None


@_cached
def check_env_name(value: str, version: Version) -> str | None:
    """Strict C-like-with-dots rule up to 1.31; any printable ASCII but '=' from 1.32
    (RelaxedEnvironmentVariableValidation on by default)."""
    if not value:
        return _("is empty")
    if version >= (1, 32):
        bad = sorted({c for c in value if not (" " <= c <= "~") or c == "="})
        return _contains(bad) if bad else None
    if _ENV_STRICT.fullmatch(value):
        return None
    if value[0].isdigit():
        return _("may not start with a digit (allowed from Kubernetes 1.32)")
    bad = sorted({c for c in value if not re.fullmatch(r"[-._a-zA-Z0-9]", c)})
    return _contains(bad)


# What each rule is called in messages.
DESCRIPTIONS: dict[Check, str] = {       # N_: translated where shown (describe())
    check_dns1123_label: N_("a DNS-1123 label (lowercase letters, digits and '-', at most 63)"),
    check_dns1035_label: N_("a DNS-1035 label (lowercase letters, digits and '-', starting with a "
                            "letter, at most 63)"),
    check_dns1123_subdomain: N_("a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', "
                                "at most 253)"),
    check_path_segment: N_("a path segment (no '/' or '%')"),
    check_port_name: N_("an IANA service name (lowercase letters, digits and '-', at most 15, "
                        "at least one letter)"),
}


def describe(rule: Check) -> str:
    """What a name rule is called, in the output language."""
    return _(DESCRIPTIONS[rule])

# Kinds whose names are only path segments (pkg/apis/rbac/validation: ValidateRBACName).
PATH_SEGMENT_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
# Kinds with a name rule of their own that no syntax check expresses: CRDs must be
# <plural>.<group> (checked separately); IPAddress names are IP addresses.
SPECIAL_NAME_KINDS = frozenset({"CustomResourceDefinition", "IPAddress"})


def object_name_check(kind: str, group: str, version: Version) -> Check | None:
    """The metadata.name rule for a kind at a Kubernetes version (None: no syntax rule)."""
    if kind in SPECIAL_NAME_KINDS and group in ("apiextensions.k8s.io", "networking.k8s.io"):
        return None
    if group == "rbac.authorization.k8s.io" and kind in PATH_SEGMENT_KINDS:
        return check_path_segment
    if group == "" and kind == "Service":
        # RelaxedServiceNameValidation (KEP-5311): DNS-1123 labels from 1.36.
        return check_dns1123_label if version >= (1, 36) else check_dns1035_label
    if group == "" and kind == "Namespace":
        return check_dns1123_label
    if group == "apps" and kind == "StatefulSet" and version >= (1, 26):
        return check_dns1123_label
    return check_dns1123_subdomain


def mask_trailing_dash(prefix: str) -> str:
    """generateName prefixes may end with '-' (apimachinery maskTrailingDash)."""
    return prefix[:-1] + "a" if len(prefix) > 1 and prefix.endswith("-") else prefix
