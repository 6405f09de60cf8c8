"""Template placeholders: text that envsubst, sed, a CI job or a tutorial reader replaces
before the manifest is applied.

Recognised forms: `${VAR}` and `${VAR:-default}` (shell/envsubst), `$VAR`, `<SOMETHING>`, `<< Name >>`,
`#{NAME}` (token replacement: Octopus Deploy, Azure Pipelines' replacetokens, litmus's
chaoscenter manifests), `(fn(...))` (a chainsaw template's JMESPath call),
`{{ ... }}` (sed-style; real Helm templates are reported by the loader instead), a choice
between words written `a | b | c` (a reference page's synopsis: keptn's
docs/docs/assets/crd/examples/yaml-synopsis.yaml has `optional: true | false`), and
ALL_CAPS_WITH_UNDERSCORES tokens where the field must be lower-case (names, image
repositories), where such a token cannot be a real value, and `ko://<Go import path>`:
`ko resolve` / `ko apply -f` build that Go package and put the image's reference in place
of every string with that prefix (https://ko.build/features/k8s/; knative's config/). `$(VAR)` is Kubernetes' own
dependent-variable expansion (kubelet expand.go), not a placeholder.

`has_placeholder(value)` is the predicate the format rules share: a value holding a
placeholder is not judged by its format (the template-placeholder info says it once).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .lazyre import lazy_compile
from .model import JSON, Finding, ObjectRef, Path
from .paths import parse_path

_STRONG = lazy_compile(
    r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-=+?]|[:/#%^,])[^}]*)?\}"   # ${VAR}, ${VAR:-default}, ${VAR:0:54}
    # ${VAR/#arn/eks...: arn}, drone/envsubst's prefix substitution, whose ': ' YAML
    # splits into a key and a value (cluster-api-provider-aws config/rbac/serviceaccount.yaml)
    r"|^\$\{[A-Za-z_][A-Za-z0-9_]*[/#%][^}\s]*$"
    # ${ name }, ${ var.tag }: Terraform template interpolation, spaces and dots allowed
    # (https://developer.hashicorp.com/terraform/language/expressions/strings#interpolation;
    # cncf/demo's provisioning/packet/modules/*/kube-proxy.yml, read by template_file)
    r"|\$\{ *[A-Za-z_][A-Za-z0-9_.]* *\}"
    r"|\{\{[^{}]*\}\}"                                      # {{ VAR }}
    r"|<[A-Za-z][A-Za-z0-9_ .-]*>"                          # <SOMETHING>, <your-project>
    r"|<< *[A-Za-z][A-Za-z0-9_.-]* *>>"                     # << Name >> (open-cluster-management e2e)
    r"|\$\$[A-Za-z_][A-Za-z0-9_]*\$\$"                        # $$name$$ (argo-rollouts e2e templates)
    r"|\{[A-Z][A-Z0-9_]*\}"                                   # {IMAGE} (sed and Go-template style)
    r"|\{[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[\w-]+\])+\}"         # {self.path.k8s}, {images[app]} (str.format)
    r"|(?<![$\\])\$[A-Za-z_][A-Za-z0-9_]*"                  # $VAR (not $(VAR), not $$VAR)
    r"|^ko://\S+"                                           # ko://import/path (ko build tool)
    r"|@[A-Z][A-Z0-9_]*@"                                    # @NAME@ (autoconf, sed)
    r"|(?<!%)%%%+(?!%)"                                      # %%% (camel-k's e2e, replaced by its Go test)
    r"|#\{[A-Za-z_][\w.-]*\}#?"                               # #{NAME}, #{NAME}# (token replacement)
)
# `(fn(...))`: a chainsaw template's JMESPath call as a whole value, evaluated before the step
# applies the file, its result of any type (`disableDefaultAdminSecret: (semver_compare(...))`,
# https://kyverno.github.io/chainsaw/latest/general/templating/). One call only: a CEL rule
# such as `(has(self.a) || has(self.b))` is no placeholder.
_CALL_START = lazy_compile(r"\([a-z_][a-z0-9_]*\(")
# The usual words for "put yours here" in a lower-case field (REPLACEME-canary, CHANGE_ME):
# a real name with capitals is rejected, these are meant to be replaced before applying.
# `vX.Y.Z` is the usual stand-in for a release version (operator-sdk's CSV bases,
# `<operator>.vX.Y.Z`, which `operator-sdk generate bundle` fills in).
# `YOUR ID`, `[YOUR ALIAS]`: a tutorial's words for the reader's own value, spaces and all
# (dapr's tests/apps/*/service.yaml `image: docker.io/YOUR ID/e2e-runtime:dev`).
_FILLED_BY_WORDS = r"(?:FILLED|SET|REPLACED|POPULATED|INJECTED)[ _](?:IN[ _])?BY(?:[ _][A-Z][A-Z0-9]*)+"
# `FILLED BY THE OPERATOR`, `FILLED_BY_VALIDATOR`: an operator's embedded template says which
# program sets the value before it creates the object (NVIDIA/gpu-operator's assets/*/*.yaml,
# whose controllers/object_controls.go sets namespace and images, and
# validator/manifests/*.yaml, which its validator fills in).
_WORDS = lazy_compile(r"(?<![A-Za-z0-9])(?:REPLACE[_-]?ME|CHANGE[_-]?ME|PLACEHOLDER|TODO|FIXME|XXXX*|v?X\.Y\.Z"
                    r"|YOUR(?:[ _-][A-Z][A-Z0-9]*)+"
                    r"|" + _FILLED_BY_WORDS + r")(?![A-Za-z0-9])")
# `$(VAR)`: Kubernetes' own expansion in command, args and env values, but a make-style
# placeholder in a name or an image.
_MAKE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_.-]*\)")   # kustomize vars: $(kfp-app-name)
_CAPS = lazy_compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9])")
# A whole repository path segment in capitals (gcr.io/PROJECT/app): repositories are lower-case.
_CAPS_SEGMENT = lazy_compile(r"(?:^|/)([A-Z][A-Z0-9_-]{2,})(?=/|$)")
# A whole `-` or `.` separated part in capitals of a lower-case name (`app-ID`): a placeholder
# when a script nearby replaces that word with sed (k8slint.sed_words).
_CAPS_PART = lazy_compile(r"(?:^|(?<=[-.]))[A-Z][A-Z0-9_]*(?=[-.]|$)")
# A whole value in capitals where a number or a port name belongs (containerPort: PORT).
_CAPS_WORD = re.compile(r"[A-Z][A-Z0-9_]{2,}")
_PORT_KEYS = frozenset({"port", "containerPort", "targetPort", "hostPort", "nodePort", "number",
                        "replicas"})
# `{Organization name}`, `{IPv6}`: a word or words in braces, of any case, in a field that
# cannot hold a brace (a name, an image: kubernetes/autoscaler's huaweicloud example image
# `swr.cn-north-4.myhuaweicloud.com/{Organization name}/cluster-autoscaler:dev`).
_BRACED = re.compile(r"\{[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z0-9_]+)*\}")
# A synopsis's choice between words, `true | false`, `prometheus | dynatrace |dql`: two or
# more words (no spaces inside) joined by `|` with a space on at least one side; a regex's
# `a|b`, a shell pipe (`cat x | grep y`) and CEL's `a || b` are not this.
_CHOICE = re.compile(r"[\w.<>-]+(?:(?: +\| *| *\| +)[\w.<>-]+)+")
# An elided value in documentation (`namespace: ...`): the reader fills it in.
_ELISIONS = frozenset({"...", "\u2026"})


def find(value: str, lower_case: bool = False, image: bool = False, port: bool = False,
         sed: frozenset[str] = frozenset()) -> list[str]:
    """The placeholders in a string; ALL_CAPS tokens only in lower-case fields, a whole
    ALL_CAPS word also where a number or a port name belongs (`port`), and in lower-case
    fields a capital part that a script replaces with sed (`sed`)."""
    if not value or value.__class__ is not str:
        return []
    if port and _CAPS_WORD.fullmatch(value):
        return [value]
    if value.strip() in _ELISIONS:
        return [value.strip()]
    if "|" in value and _CHOICE.fullmatch(value.strip()):
        return [value.strip()]
    found = _STRONG.findall(value)
    if value[0] == "(" and _chainsaw_call(value):
        found.append(value)
    if lower_case or image:
        found += _MAKE.findall(value)
        rest = _MAKE.sub(" ", _STRONG.sub(" ", value))
        found += [m for m in _BRACED.findall(rest) if m not in found]
        if image:
            rest = _repository(rest)
            found += [m for m in _CAPS_SEGMENT.findall(rest) if m not in found]
        found += [m for m in _CAPS.findall(rest) if m not in found]
        found += [m for m in _WORDS.findall(rest) if m not in found]
        if sed and lower_case:
            found += [m for m in _CAPS_PART.findall(rest) if m in sed and m not in found]
    return found


def _chainsaw_call(value: str) -> bool:
    """Whether a value is one function call in parentheses, `(fn(...))` (see _CALL_START)."""
    start = _CALL_START.match(value)
    if start is None or not value.endswith("))"):
        return False
    depth = 1
    for i in range(start.end(), len(value) - 1):
        char = value[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:                      # the call's own parenthesis closes here
                return i == len(value) - 2
    return False


def has_placeholder(value: Any, lower_case: bool = True, image: bool = False, port: bool = False) -> bool:
    """True when a value holds a placeholder: format rules stay silent on it. ALL_CAPS
    tokens count only in lower-case fields (`lower_case`), image repositories and, as a
    whole value, in number and port fields (`port`)."""
    if value.__class__ is list:
        return bracketed(value) is not None
    if value.__class__ is dict:
        return braced(value) is not None
    if value.__class__ is not str or not value:
        return False
    if "." in value and value.strip() in _ELISIONS:
        return True
    # a whole ALL_CAPS token with a placeholder word, in any field: Gateway API's conformance
    # Gateway has `value: "PLACEHOLDER_USABLE_ADDRS"` in spec.addresses, which its Applier
    # (conformance/utils/kubernetes/apply.go prepareGateway) replaces before applying
    if "_" in value and _CAPS_WHOLE.fullmatch(value) and _WORDS.search(value):
        return True
    if "$" in value or "{" in value or "@" in value or "<" in value or "_" in value or "%" in value or "|" in value or \
            image or port or \
            value[0] == "(" or \
            _WORDS.search(value):
        return bool(find(value, lower_case=lower_case, image=image, port=port))
    return False


def instance_of(name: str, templates: Iterable[str]) -> str | None:
    """The first of `templates` (names holding placeholders, such as `${component}-config`)
    that `name` fills in (`karmada-webhook-config`), else None."""
    for template in templates:
        found = find(template, lower_case=True) if template.__class__ is str else []
        if not found:
            continue
        pattern = re.escape(template)
        for placeholder in sorted(set(found), key=len, reverse=True):
            pattern = pattern.replace(re.escape(placeholder), ".+")
        if re.fullmatch(pattern, name):
            return template
    return None


# `key: [YOUR_BASE64_REGION_ID]`: a tutorial's placeholder in brackets, which YAML reads as a
# list of one string (kubernetes/autoscaler's alicloud and volcengine example Secrets,
# external-secrets' `projectID: [PROJECT_ID]` snippets).
_CAPS_WHOLE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def bracketed(value: Any) -> str | None:
    """`[TOKEN]` when a value is a list of one ALL_CAPS_WITH_UNDERSCORES string, else None."""
    if value.__class__ is list and len(value) == 1 and value[0].__class__ is str \
            and _CAPS_WHOLE.fullmatch(value[0]):
        return f"[{value[0]}]"
    return None


# `{self.path.k8s}`: a str.format field with attributes, which YAML reads as a mapping of one
# key to null (emissary's python/tests/src/tests/integration/manifests, filled by its tests).
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def braced(value: Any) -> str | None:
    """`{TOKEN}` when a value is a mapping of one ALL_CAPS_WITH_UNDERSCORES key to null, as
    YAML reads an unquoted `gatewayClassName: {GATEWAY_CLASS_NAME}` (envoyproxy/gateway's
    test/e2e/testdata; Gateway API's conformance Applier.prepareGateway sets the field), or
    of one dotted name (`{self.path.k8s}`, a str.format field), else None."""
    if value.__class__ is dict and len(value) == 1:
        ((key, item),) = value.items()
        if item is None and key.__class__ is str and (_CAPS_WHOLE.fullmatch(key) or _DOTTED.fullmatch(key)):
            return f"{{{key}}}"
    return None


def _repository(image: str) -> str:
    """The repository part of an image reference (no tag, no digest)."""
    image = image.split("@", 1)[0]
    slash = image.rfind("/")
    colon = image.rfind(":")
    return image[:colon] if colon > slash else image


# --- where to look ------------------------------------------------------------------------

# Subtrees of free text, where `$VAR` and `{{ }}` are meant literally (configs, alert
# templates, annotations): only a value that is a placeholder as a whole counts there.
_FREE_TEXT = frozenset({"data", "stringData", "binaryData", "annotations", "description"})
# Commands run by a shell expand `$VAR` themselves: never scanned.
_SHELL = frozenset({"command", "args"})
# Fields that must be lower-case DNS names or references to such names.
_LOWER_KEYS = frozenset({
    "name", "namespace", "generateName", "serviceAccountName", "serviceAccount", "claimName",
    "secretName", "storageClassName", "ingressClassName", "priorityClassName",
    "runtimeClassName", "serviceName", "host", "hostname", "subdomain", "volumeName",
    "schedulerName", "nodeName", "hosts",
})
# Kinds whose names and subjects are not DNS names (path segments; users, groups).
_FREE_NAME_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
_BUILTIN_KIND_GROUPS = frozenset({"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io",
                                  "rbac.authorization.k8s.io", "storage.k8s.io",
                                  "scheduling.k8s.io", "node.k8s.io", "extensions"})


Sed = Callable[[], frozenset[str]]          # the words scripts nearby replace (sed_words.near)


def scan(data: JSON, kind: str, group: str, sed: Sed | None = None) -> Iterator[tuple[Path, str]]:
    """(path, placeholder) in an object, in document order. Custom resources are scanned in
    their metadata only: their spec may use `{{ }}` on purpose (Argo Workflows). `sed` gives
    the capital words that count in lower-case names, asked only when one has such a part."""
    out: list[tuple[Path, str]] = []
    if group not in _BUILTIN_KIND_GROUPS:
        meta = data.get("metadata")
        if isinstance(meta, dict):
            _walk(meta, ["metadata"], kind, False, out, sed)
    else:
        _walk(data, [], kind, False, out, sed)
    return iter(out)


# A lower-case `$name` as a whole annotation value is the proxy's own variable, read at
# request time: ingress-nginx's `upstream-hash-by: "$arg_predictorid"` or `"$request_uri"`
# (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-nginx-upstream-hashing,
# nginx's $arg_<name> and $request_uri variables). envsubst-style variables are in capitals.
_PROXY_VARIABLE = lazy_compile(r"\$[a-z][a-z0-9_]*")
_STRONG_START = re.compile(r"[${<@|]|^ko://|%%%|^\([a-z_]")  # what the forms other than ALL_CAPS need
_UPPER = re.compile(r"[A-Z]")
_CAPS_KEYS = frozenset(_LOWER_KEYS | _PORT_KEYS | {"image"})   # where ALL_CAPS may count
# securityContext.capabilities.add and drop are lists of Linux capability names, which are
# ALL_CAPS by definition (core/v1 Capabilities: `Add []Capability`, k8s.io/api/core/v1/types.go):
# `add: ["NET_ADMIN"]` is the list the API asks for, not a tutorial's `[PROJECT_ID]`.
_CAPABILITY_LISTS = frozenset({"add", "drop"})


def _walk(node: Any, path: list[Any], kind: str, free: bool, out: list[tuple[Path, str]],
          sed: Sed | None) -> None:
    """Containers are walked with one shared path list; a string is looked at (and gets a
    path tuple) only when it may hold a placeholder: most values are names, numbers and
    enumerations, passed over with a regex search or two."""
    if node.__class__ is dict:
        items: Iterable[tuple[Any, Any]] = node.items()
        in_list = None
    elif node.__class__ is list:
        items = enumerate(node)
        in_list = path[-1] if path else None     # list items: the list's field decides (hosts)
    else:
        return
    strong, upper = _STRONG_START.search, _UPPER.search
    for key, value in items:
        cls = value.__class__
        if cls is str:
            field = key if in_list is None else in_list
            if (strong(value) is not None or (field in _CAPS_KEYS and upper(value) is not None)
                    or value in _ELISIONS) and "\n" not in value:
                _string(value, (*path, key), kind, free or key in _FREE_TEXT, out, sed)
        elif cls is list and len(value) == 1 and key not in _SHELL and bracketed(value) is not None \
                and not (key in _CAPABILITY_LISTS and path and path[-1] == "capabilities"):
            out.append(((*path, key), f"[{value[0]}]"))
        elif cls is dict and len(value) == 1 and key not in _SHELL and (token := braced(value)) is not None:
            out.append(((*path, key), token))
        elif (cls is dict or cls is list) and key not in _SHELL:
            path.append(key)
            _walk(value, path, kind, free or key in _FREE_TEXT, out, sed)
            path.pop()


def _string(value: str, path: Path, kind: str, free: bool, out: list[tuple[Path, str]],
            sed: Sed | None) -> None:
    if free:
        if _STRONG.fullmatch(value.strip()) and not _PROXY_VARIABLE.fullmatch(value.strip()):
            out.append((path, value.strip()))
        return
    last = path[-1]
    lower = _lower_case(path, kind)
    words = sed() if sed is not None and lower and _CAPS_PART.search(value) else frozenset()
    for placeholder in find(value, lower_case=lower, image=last == "image", port=last in _PORT_KEYS, sed=words):
        out.append((path, placeholder))


def _lower_case(path: Path, kind: str) -> bool:
    """Must the field at this path be lower-case?"""
    if not path:
        return False
    last = path[-1]
    if isinstance(last, int):                    # an item of a list field (hosts)
        last = path[-2] if len(path) > 1 else ""
        if last != "hosts":
            return False
    if last not in _LOWER_KEYS:
        return False
    if last == "name" and len(path) >= 3 and path[-3] in ("env", "subjects"):
        return False                             # env var names; RBAC users and groups
    if kind in _FREE_NAME_KINDS and path in (("metadata", "name"),):
        return False
    return True


# --- silence for the format rules -------------------------------------------------------------

# Rules that judge a value's format (names, labels, images, quantities, enumerations,
# schema types) or look an object up by a name: silent when the value they point at holds
# a placeholder (template-placeholder reports it once instead).
SILENT_RULES = frozenset({
    "object-name", "label-syntax", "annotation-syntax", "container-name", "port-name",
    "volume-name", "env-name", "image-invalid", "image-latest-tag", "image-pull-policy",
    "resource-quantity-invalid", "resource-name-invalid", "schema-violation", "value-unsupported",
    "cronjob-schedule-invalid", "configmap-ref-missing", "secret-ref-missing", "pvc-ref-missing",
    "service-account-missing", "ingress-service-missing", "ingress-service-port-missing",
    "ingress-class-missing", "hpa-target-missing", "rolebinding-role-missing",
    "rolebinding-subject-missing", "statefulset-service-invalid", "probe-named-port-missing",
    "service-target-port-missing", "volume-mount-unknown", "api-version-unknown",
})


def silence(findings: list[Finding], objects: Iterable[Any]) -> list[Finding]:
    """The findings without those of SILENT_RULES on a value holding a placeholder.

    `objects`: the graph's objects (anything with `file`, `ref`, `unit` and `get(*path)`)."""
    candidates = [f for f in findings if f.rule in SILENT_RULES and f.object is not None and f.path]
    if not candidates:
        return findings
    index: dict[tuple[str, ObjectRef], Any] = {}
    by_ref: dict[ObjectRef, list[Any]] = {}
    for obj in objects:
        index.setdefault((obj.file, obj.ref), obj)
        by_ref.setdefault(obj.ref, []).append(obj)
    dropped: set[int] = set()
    for finding in candidates:
        assert finding.object is not None and finding.path is not None
        obj = index.get((finding.file, finding.object)) or _built(finding, by_ref.get(finding.object, ()))
        if obj is None:
            continue
        path = parse_path(finding.path)
        value = obj.get(*path)
        lower = _lower_case(path, obj.kind)
        if has_placeholder(value, lower_case=lower, image=path[-1:] == ("image",),
                           port=bool(path) and path[-1] in _PORT_KEYS) or _name_placeholder(obj, path) \
                or _key_placeholder(path) or (lower and _sed_placeholder(obj, value)) \
                or (finding.rule in _PROGRAM_BUILT_RULES and _program_filled(obj)):
            dropped.add(id(finding))
    return [f for f in findings if id(f) not in dropped] if dropped else findings


# Rules on a pod's own parts that the program filling in an object also adds: gpu-operator's
# assets/state-driver/0500_daemonset.yaml mounts `shared-nvidia-driver-toolkit`, a volume
# that controllers/object_controls.go (transformOpenShiftDriverToolkitContainer) appends to
# the pod before it creates the DaemonSet.
_PROGRAM_BUILT_RULES = frozenset({"volume-mount-unknown"})
_FILLED_BY = lazy_compile(_FILLED_BY_WORDS)


def _program_filled(obj: Any) -> bool:
    """Whether an object's namespace or name says a program fills it in (`namespace: FILLED BY
    THE OPERATOR`): the object is that program's template, which it completes in code."""
    return any(value.__class__ is str and _FILLED_BY.fullmatch(value)
               for value in (obj.get("metadata", "namespace"), obj.get("metadata", "name")))


def _built(finding: Finding, same_ref: Iterable[Any]) -> Any:
    """The object of a finding placed in another file than the object's: a kustomize build's
    field written by a patch is reported at the patch. None unless one object of the finding's
    apply unit has its identity."""
    found = [obj for obj in same_ref
             if finding.unit is None or getattr(getattr(obj, "unit", None), "id", None) == finding.unit]
    return found[0] if len(found) == 1 else None


def _key_placeholder(path: Path) -> bool:
    """A finding on a label or annotation whose key is a placeholder, or on a resource whose
    name is a placeholder word (`limits: {"FILLED_BY_VALIDATOR": 1}`: gpu-operator's
    validator/manifests/plugin-workload-validation.yaml, whose key the validator replaces with
    the GPU resource name before it creates the Pod)."""
    if len(path) < 2 or not isinstance(path[-1], str):
        return False
    if path[-2] in ("labels", "annotations"):
        return bool(_STRONG.search(path[-1]))
    return path[-2] in ("limits", "requests") and bool(_WORDS.search(path[-1]))


def _name_placeholder(obj: Any, path: Path) -> bool:
    """A finding on a container, port or reference entry whose `name` is a placeholder."""
    value = obj.get(*path, "name") if path else None
    lower = _lower_case(path + ("name",), obj.kind)
    return has_placeholder(value, lower_case=lower) or (lower and _sed_placeholder(obj, value))


def _sed_placeholder(obj: Any, value: Any) -> bool:
    """A lower-case field's value with a capital part that a script near the object's file
    replaces with sed (k8slint.sed_words)."""
    if value.__class__ is not str or not _CAPS_PART.search(value):
        return False
    return bool(find(value, lower_case=True, sed=sed_near(obj.file)))


def sed_near(file: str) -> frozenset[str]:
    """sed_words.near, imported only when a name has a capital part (seldom)."""
    from . import sed_words
    return sed_words.near(file)
