"""Schema validation against the bundled schemas (built-in kinds) and the input's CRDs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .. import schema
from ..engine import CheckContext, check
from ..graph import Graph, Object
from ..i18n import _
from ..k8s.enums import CONTAINER_ENUMS, CONTAINER_PORT_ENUMS, OBJECT_ENUMS, POD_SPEC_ENUMS
from ..k8s.kinds import BUILTIN_GROUPS
from ..k8s.podvalidation import pod_spec_validated, rejected
from ..k8s.versions import Version, show
from ..model import Hit, Path, Severity
from ..paths import format_path

if TYPE_CHECKING:
    from ..schema_locations import SchemaLocations


def _validators(ctx: CheckContext, obj: Object) -> list[schema.Validator]:
    """The schemas the object may meet: a built-in kind's; the CRD of its own apply unit;
    else every CRD of the input that defines its kind (which of them the cluster has
    depends on what is applied); else --schema-location's."""
    if obj.group in BUILTIN_GROUPS:
        found = schema.validator(ctx.kubernetes_version, obj.api_version, obj.kind)
        return [found] if found is not None else []
    kinds = schema.judging_kinds(ctx.graph, obj, ctx.kubernetes_version)
    version_name = obj.api_version.rpartition("/")[2]
    if not kinds:
        found = _external(ctx).validator(obj.group, version_name, obj.kind, ctx.kubernetes_version)
        return [found] if found is not None else []
    validators = [kind.validator(version_name, ctx.kubernetes_version) for kind in kinds]
    return [v for v in validators if v is not None]


def _foreign_crd(ctx: CheckContext, obj: Object) -> Object | None:
    """The CRD that judges a custom resource when only CRDs of other apply units define its
    kind (the first of them); None for built-in kinds and when the object's own unit has one."""
    if obj.group in BUILTIN_GROUPS:
        return None
    variants = schema.creatable_variants(ctx.graph, obj, ctx.kubernetes_version)
    crds, local = ctx.graph.lookup(obj, [kind.crd for kind in variants])
    return None if local or not crds else crds[0]


def _version_skew(error: schema.SchemaError) -> bool:
    """An unknown field with no known field close to it (not a typo): what a newer version
    of the same CRD typically adds (istio's samples against a CRD copy in its operator
    goldens; a SPIRE sample against another sample's older CRD). An enum value stays an
    error: a wrong one (an HTTP method GETT) is far more common than a new one."""
    return error.message.startswith("unknown field") and "did you mean" not in error.message


def _errors(validators: list[schema.Validator], data: Any) -> list[schema.SchemaError]:
    """What every schema says is wrong (none when one of them accepts the object)."""
    if not validators or any(v.is_valid(data) for v in validators):
        return []
    errors = validators[0].errors(data)
    for other in validators[1:]:
        said = {(e.path, str(e)) for e in other.errors(data)}
        errors = [e for e in errors if (e.path, str(e)) in said]
    return errors


def _external(ctx: CheckContext) -> SchemaLocations:
    """Schemas from --schema-location (the input's CRDs come first)."""
    from ..schema_locations import for_locations

    return for_locations(ctx.schema_locations)


@check("schema-violation", needs_graph=True, try_early=True)         # the graph: custom kinds only
def schema_violation(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    errors = _errors(_validators(ctx, obj), obj.data)
    if errors and _status_reset(ctx, obj):
        errors = [e for e in errors if not _status_validation(e, obj.group in BUILTIN_GROUPS)]
    if any(_missing_field(e) is not None for e in errors) and _updates_an_earlier_step(ctx, obj):
        errors = [e for e in errors if _missing_field(e) is None]
    if not errors:
        return
    enums = {where for where, __ in _enum_values(obj)} if obj.group in BUILTIN_GROUPS else set()
    fragments = _fragments(obj, errors)
    for error in errors:
        if _string_trap(obj, error.path):
            continue
        if error.path in enums and error.message.startswith("unsupported value"):
            continue                            # value-unsupported says it, with a suggestion
        if error.path in fragments and _missing_field(error) is not None:
            if fragments[error.path]:           # the first of them says it for all
                yield _fragment(obj, error, fragments[error.path])
                fragments[error.path] = []
            continue
        if _selector_rule_says_it(obj, error):
            continue
        if obj.group in BUILTIN_GROUPS and error.message.startswith("missing required field"):
            yield _missing(obj, error, ctx.kubernetes_version)
            continue
        webhook = _mutating_webhook(ctx, obj) if error.message.startswith("missing required field") else None
        if webhook is not None:
            # Mutating admission runs before the schema is checked (the apiserver's admission
            # chain, then the registry strategy's Validate): the webhook may set the field.
            yield obj.finding(error.path, _("{error}: the API server rejects the object unless the mutating "
                                            "webhook {webhook} of the input sets it (webhooks run before "
                                            "validation)").format(error=error, webhook=webhook),
                              at=error.at, severity=Severity.WARNING)
            continue
        if error.message.startswith("unknown field") and _created_by_kuttl(obj):
            yield obj.finding(error.path, _("{error}: kuttl creates a step's objects with no field validation "
                                            "asked, so the API server drops the field with a warning (kubectl "
                                            "apply, strict by default, would refuse the object)").format(error=error),
                              at=error.at, severity=Severity.WARNING)
            continue
        foreign = _foreign_crd(ctx, obj) if _version_skew(error) else None
        if foreign is not None:
            # The CRD is applied apart from the object: the cluster may have another version
            # of it, which may know the field or value (CRD versions grow by adding them).
            yield obj.finding(error.path, _("{error}: the CustomResourceDefinition at {file} (another apply "
                                            "unit) does not know it; the API server rejects the object if "
                                            "the cluster has that version of the CRD").format(
                                  error=error, file=foreign.file), at=error.at, severity=Severity.WARNING)
            continue
        yield obj.finding(error.path, str(error), at=error.at)


def _created_by_kuttl(obj: Object) -> bool:
    """Whether the object is created by a kuttl test step. kuttl sends it with a
    controller-runtime client (kuttl pkg/test/utils/kubernetes.go CreateOrUpdate: cl.Create,
    or cl.Patch with a JSON merge patch) and asks for no fieldValidation; the API server then
    takes Warn (apiserver pkg/endpoints/handlers/rest.go fieldValidation: "" is
    FieldValidationWarn): an unknown field is dropped and reported as a warning header."""
    from ..test_steps import kuttl_step, possible_step  # only for a possible step

    return obj.file is not None and possible_step(obj.file) and kuttl_step(obj.file)


def _mutating_webhook(ctx: CheckContext, obj: Object) -> str | None:
    """The name of a mutating webhook of the input that is called on creating the custom
    object (its rules name the group, version and resource, or `*`), else None."""
    variants = schema.custom_kind_variants(ctx.graph).get((obj.group, obj.kind), [])
    plurals = {p for kind in variants if isinstance(p := kind.crd.get("spec", "names", "plural"), str)}
    version = obj.api_version.rpartition("/")[2]
    for name, rules in ctx.index(_mutating_rules):
        for rule in rules:
            if _names(rule, "operations", "CREATE") and _names(rule, "apiGroups", obj.group) and \
                    _names(rule, "apiVersions", version) and any(_names(rule, "resources", p) for p in plurals):
                return name
    return None


def _names(rule: dict[str, Any], field: str, value: str) -> bool:
    listed = rule.get(field)
    return isinstance(listed, list) and (value in listed or "*" in listed)


def _mutating_rules(graph: Graph) -> list[tuple[str, list[dict[str, Any]]]]:
    """(webhook name, its rules) of every MutatingWebhookConfiguration of the input."""
    found = []
    for config in graph.of_kind("MutatingWebhookConfiguration"):
        webhooks = config.get("webhooks")
        for webhook in webhooks if isinstance(webhooks, list) else ():
            rules = webhook.get("rules") if isinstance(webhook, dict) else None
            if isinstance(rules, list):
                found.append((str(webhook.get("name")), [r for r in rules if isinstance(r, dict)]))
    return found


def _status_reset(ctx: CheckContext, obj: Object) -> bool:
    """Whether the API server throws away the object's `status` before it validates a create
    (and keeps the stored status on an update through the main resource): a custom kind
    whose CRD version has the status subresource (apiextensions-apiserver
    pkg/registry/customresource/strategy.go PrepareForCreate: "create cannot set status"),
    and built-in kinds with a status, whose strategies reset it (e.g. pkg/registry/apps/deployment
    strategy.go PrepareForCreate: deployment.Status = apps.DeploymentStatus{}). A Node
    registers with its status: not this."""
    if not isinstance(obj.get("status"), dict):
        return False
    if obj.group in BUILTIN_GROUPS:
        return bool(obj.kind != "Node")
    version_name = obj.api_version.rpartition("/")[2]
    for kind in schema.custom_kind_variants(ctx.graph).get((obj.group, obj.kind), []):
        spec = kind.crd.get("spec")
        spec = spec if isinstance(spec, dict) else {}
        versions = spec.get("versions")
        entries = [v for v in versions if isinstance(v, dict) and v.get("name") == version_name] \
            if isinstance(versions, list) else []
        for where in [*entries, spec]:
            subresources = where.get("subresources")
            if isinstance(subresources, dict) and "status" in subresources:
                return True
    return False


def _status_validation(error: schema.SchemaError, builtin: bool) -> bool:
    """A validation error inside `status`, which the reset throws away: not one of decoding.
    A built-in kind is decoded into its Go type when the request is read, so a wrong type
    fails there ("cannot unmarshal"). A custom resource is decoded as untyped JSON; the
    decoder coerces only metadata and prunes unknown fields (apiextensions-apiserver
    pkg/apiserver/customresource_handler.go unstructuredSchemaCoercer.apply: with strict
    field validation an unknown field fails there), and the types are checked by the
    schema validator after PrepareForCreate dropped the status."""
    if not error.path or error.path[0] != "status":
        return False
    if error.message.startswith("unknown field"):
        return False
    return not (builtin and error.message.startswith("expected "))


def _updates_an_earlier_step(ctx: CheckContext, obj: Object) -> bool:
    """Whether the object is a later step of an end-to-end test that may update an object an
    earlier step made: kuttl creates a step's object, or, when it exists, merges the step's
    object into it (kuttl pkg/kubernetes CreateOrUpdate: cl.Patch with a JSON merge patch), so
    a later step holds only the fields it changes. The earlier step wrote the object (same
    identity), or ran commands that apply objects (Percona's pg operator:
    e2e-tests/tests/custom-extensions/01-create-cluster.yaml applies a rendered cluster,
    02-install-pg_stat_kcache.yaml changes its spec.extensions). Chainsaw's apply operation
    merges the same way, its steps in the test's order (test_steps.applied_before)."""
    from ..test_steps import applied_before, commands_apply_before, possible_step  # only for a test step

    if not possible_step(obj.file):
        return False
    if commands_apply_before(obj.file):
        return True
    return any(other is not obj and applied_before(other.file, obj.file) for other in ctx.graph.same_identity(obj))


def _selector_rule_says_it(obj: Object, error: schema.SchemaError) -> bool:
    """An apps/v1 controller without spec.selector: workload-selector-mismatch reports it
    (one finding per mistake)."""
    return (obj.group == "apps" and obj.kind in _APPS_SELECTOR_KINDS and obj.has_pod_template
            and error.path == ("spec",) and (_missing_field(error) or "").strip('"') == "selector")


def _missing_field(error: schema.SchemaError) -> str | None:
    if error.template is None or not error.message.startswith("missing required field"):
        return None
    return dict(error.fields).get("field")


def _fragments(obj: Object, errors: list[schema.SchemaError]) -> dict[Path, list[str]]:
    """The object's root or spec with the two or more required fields it lacks, when
    nothing else is wrong with it: an object fragment such as a patch for `kubectl patch
    --patch-file` (prometheus-operator's example/alertmanager-crd-conversion/patch.json, a
    CRD with only spec.conversion). A wrong field beside them is a mistake, not a patch."""
    missing: dict[Path, list[str]] = {}
    for error in errors:
        field = _missing_field(error)
        if field is None or len(error.path) > 1:
            return {}
        if not _schema_only_required(obj, error.path, field.strip('"')):
            missing.setdefault(error.path, []).append(field)
    return {path: fields for path, fields in missing.items() if len(fields) >= 2}


def _fragment(obj: Object, error: schema.SchemaError, fields: list[str]) -> Hit:
    """One finding for the required fields a mapping lacks: `kubectl apply` cannot create
    the object (the API server requires each: the schema's `required`, and for built-in
    kinds their Go validation); only applied over an existing object, or as a patch, does
    such a fragment work."""
    where = format_path(error.path) or _("the object")
    return obj.finding(error.path, _("{where} lacks {count} required fields ({fields}): the API server refuses "
                                     "to create the object; if the file is a patch of an existing object, "
                                     "apply it with kubectl patch --patch-file, not as a manifest").format(
                           where=where, count=len(fields), fields=", ".join(fields)), at=error.at)


# Fields the OpenAPI schema marks required but the API server's Go validation does not
# require: (group, kind, path of the mapping, field).
# StatefulSet spec.serviceName: ValidateStatefulSetSpec never required it; the schema
# did until 1.32 (optional from 1.33, kubernetes/kubernetes PR #130233).
_SCHEMA_ONLY_REQUIRED = {("apps", "StatefulSet", ("spec",), "serviceName")}


def _schema_only_required(obj: Object, path: Path, field: str) -> bool:
    """Whether only the OpenAPI schema requires `field` of the mapping at `path`. Besides
    the table: a pod's `securityContext.sysctls[i].value` (the Go type's `Value string
    json:"value"` has no omitempty, so the schema lists it as required, but
    pkg/apis/core/validation/validation.go validateSysctls requires only the name)."""
    if (obj.group, obj.kind, path, field) in _SCHEMA_ONLY_REQUIRED:
        return True
    return (field == "value" and obj.group in BUILTIN_GROUPS and len(path) >= 3
            and isinstance(path[-1], int) and path[-3:-1] == ("securityContext", "sysctls"))
# Before kubectl 1.25, `kubectl apply` validated against the OpenAPI schema on the client
# (--validate=true) and refused a missing required field itself; from 1.25 it asks the
# server (--validate=strict, server-side field validation), which checks unknown and
# duplicate fields only (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation).
_CLIENT_SIDE_VALIDATION_UNTIL = (1, 24)
_APPS_SELECTOR_KINDS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")


def _missing(obj: Object, error: schema.SchemaError, version: Version) -> Hit:
    """A missing required field of a built-in kind: the Go check that rejects it, or, where
    only the OpenAPI schema requires it, who refuses it and who does not."""
    field = error.message.split('"')[1] if '"' in error.message else ""
    if _schema_only_required(obj, error.path, field):
        if version <= _CLIENT_SIDE_VALIDATION_UNTIL:
            effect = (_("kubectl of that time validates against this schema and refuses the object (the "
                        "API server itself does not require {field})").format(field=field))
            severity = None
        else:
            effect = (_("the API server accepts it (its Go validation does not require the field), but "
                        "schema validators and kubectl's old client-side validation refuse it"))
            severity = Severity.WARNING
        return obj.finding(error.path, _("{error}: the OpenAPI schema of {version} requires it; {effect}").format(error=error, version=show(version), effect=effect), at=error.at, severity=severity)
    in_template = error.path[:2] == ("spec", "template") or error.path[:4] == ("spec", "jobTemplate", "spec", "template")
    if in_template and not pod_spec_validated(obj.kind, obj.group):
        return obj.finding(error.path, f"{error}: {rejected(obj.kind, obj.group)}", at=error.at)
    check = _go_check(obj, error.path, field)
    return obj.finding(error.path, f"{error}" + (_(" (the API server's {check}: Required value)").format(check=check) if check else ""),
                       at=error.at)


def _go_check(obj: Object, path: Path, field: str) -> str | None:
    """The hand-written validation that requires a field, for the common cases
    (pkg/apis/apps/validation, pkg/apis/core/validation)."""
    if obj.group == "apps" and obj.kind in _APPS_SELECTOR_KINDS and path == ("spec",) and field == "selector":
        return _("Validate{kind}Spec").format(kind=obj.kind)
    if field in ("name", "image") and len(path) >= 2 and path[-2] in ("containers", "initContainers"):
        return "ValidatePodSpec, validateContainers"
    if field == "containers" and path[-1:] == ("spec",) and obj.has_pod_template:
        return "ValidatePodSpec"
    return None


def _string_trap(obj: Object, path: Path) -> bool:
    """A non-string scalar where yaml-string-trap already reports it (labels, annotations,
    selectors, ConfigMap data, command/args, env values): one finding per mistake."""
    value = obj.get(*path)
    if isinstance(value, str) or isinstance(value, (dict, list)) or len(path) < 2:
        return False
    parent, last = path[-2], path[-1]
    if len(path) >= 3 and path[-3] == "metadata" and parent in ("labels", "annotations"):
        return True
    if parent == "matchLabels" or (parent == "selector" and obj.kind in ("Service", "ReplicationController")):
        return True
    if (obj.kind, path[:-1]) in (("ConfigMap", ("data",)), ("Secret", ("stringData",))):
        return True
    if parent in ("command", "args") and isinstance(last, int):
        return True
    return last == "value" and len(path) >= 3 and path[-3] == "env"


@check("schema-missing", scope="graph")
def schema_missing(ctx: CheckContext) -> Iterator[Hit]:
    """Custom kinds nobody can validate: say so once per kind (a graph check for that),
    never an error."""
    graph = ctx.graph
    custom = schema.custom_kinds(graph)
    seen: set[tuple[str, str]] = set()
    for obj in graph.objects:
        if obj.group in BUILTIN_GROUPS or (obj.api_version, obj.kind) in seen:
            continue
        kind = custom.get((obj.group, obj.kind))
        version_name = obj.api_version.rpartition("/")[2]
        if kind is None:
            if _external(ctx).openapi_schema(obj.group, version_name, obj.kind) is not None:
                continue
            where = _(" nor in --schema-location") if ctx.schema_locations else ""
            why = _("its CustomResourceDefinition is not in the input{where}").format(where=where)
        elif version_name in kind.versions and kind.versions[version_name] is None:
            why = _("CustomResourceDefinition {name} has no openAPIV3Schema for {version_name}").format(name=kind.crd.name, version_name=version_name)
        else:
            continue
        seen.add((obj.api_version, obj.kind))
        hint = "" if ctx.schema_locations else \
            _("; --schema-location gives schemas from elsewhere (`bundled`: common operators' CRDs)")
        yield obj.finding(("kind",), _("no schema for {api_version} {kind}; skipped ({why}){value}").format(api_version=obj.api_version, kind=obj.kind, why=why, value=hint if kind is None else ''), at="value")


@check("value-unsupported")
def value_unsupported(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    """Enum-like fields checked as the API server's Go validation does."""
    for where, (value, allowed, in_pod) in _enum_values(obj):
        if isinstance(value, str) and value not in allowed:
            hint = schema.closest(value, list(allowed))
            extra = _("; did you mean {hint}?").format(hint=json.dumps(hint)) if hint else ""
            # A StatefulSet's template is not validated, but its restartPolicy is
            # (ValidateStatefulSetSpec).
            validated = not in_pod or where[-1] == "restartPolicy"
            effect = _("the API server rejects it") if validated else rejected(obj.kind, obj.group)
            yield obj.finding(where, _("{where}: unsupported value {value}: {effect} (allowed: "
                                       "{allowed}){extra}").format(where=format_path(where), value=json.dumps(value), effect=effect, allowed=', '.join(allowed), extra=extra),
                              at="value", fix=_("Use one of {allowed} (case matters).").format(allowed=', '.join(allowed))
                              if not hint else _("Write {hint}.").format(hint=hint))


def _enum_values(obj: Object) -> Iterator[tuple[Path, tuple[Any, tuple[str, ...], bool]]]:
    """(path, (value, allowed values, inside the pod template)) of every enum-like field
    the object sets."""
    for path, allowed in OBJECT_ENUMS.get((obj.group, obj.kind), {}).items():
        for where, value in _values(obj.get(), (), path):
            yield where, (value, allowed, False)
    if obj.kind == "CustomResourceDefinition" and obj.group == "apiextensions.k8s.io":
        # CRDs only: imported here, off the start-up path (tests/test_startup.py)
        from ..k8s.crd_types import SCHEMA_TYPES, schema_types
        for where, value in schema_types(obj.get()):
            yield where, (value, SCHEMA_TYPES, False)
    template = obj.pod_template
    if template is None:
        return
    spec = template.spec
    for path, allowed in POD_SPEC_ENUMS.items():
        if path[0] in spec:
            for where, value in _values(obj.get(*template.spec_path), template.spec_path, path):
                yield where, (value, allowed, True)
    for container, cpath, __ in template.all_containers():
        for path, allowed in CONTAINER_ENUMS.items():
            if path[0] in container:
                for where, value in _values(container, cpath, path):
                    yield where, (value, allowed, True)
        ports = container.get("ports")
        if isinstance(ports, list):
            for i, port in enumerate(ports):
                if isinstance(port, dict) and "protocol" in port:
                    for path, allowed in CONTAINER_PORT_ENUMS.items():
                        for where, value in _values(port, cpath + ("ports", i), path):
                            yield where, (value, allowed, True)


def _values(node: Any, where: Path, path: tuple[str, ...]) -> Iterator[tuple[Path, Any]]:
    """(path, value) at `path` below `node`; "*" goes through every list item."""
    if not path:
        yield where, node
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _values(item, where + (i,), rest)
    elif isinstance(node, dict) and step in node:
        yield from _values(node[step], where + (step,), rest)
