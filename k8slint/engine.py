"""The rule registry and the run: checks yield hits, the engine makes findings of them.

A check is one function registered with `@check(rule, ...)` in the module of k8slint.checks
named after its rule's category (`api-version` -> k8slint/checks/api_version.py):

    @check("rule-id", kinds=("Service",))                     # per object: f(ctx, obj)
    @check("rule-id", workloads=True)                         # per object with a pod template
    @check("rule-id", kinds=("Service",), needs_graph=True)   # per object, reads ctx.graph
    @check("rule-id", scope="graph")                          # once per run: f(ctx)

A per-object check that does not declare `needs_graph=True` decides from its object alone:
reading `ctx.graph` raises GraphNotDeclared.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .i18n import _, language
from .k8s.versions import LATEST, Version
from .model import CATEGORIES, Finding, Hit, Severity
from .paths import format_path
from .rules import RuleMeta, UnknownRuleError

if TYPE_CHECKING:
    from .graph import Graph, Object
    from .suppress import Suppressor

T = TypeVar("T")
SCOPES = ("object", "graph", "after")
CRASH_PREFIX = "internal error in rule"      # how a crashed check's finding starts


class GraphNotDeclared(RuntimeError):
    """A per-object check read ctx.graph without declaring needs_graph=True."""

    def __init__(self, rule: str) -> None:
        super().__init__(f"rule {rule} reads ctx.graph but its @check does not declare "
                         "needs_graph=True (add it, or decide from the object alone)")


class CheckContext:
    """What a check may know: the graph (if it declared the need), the target cluster and
    the rule options of this run."""

    def __init__(self, graph: Graph, *, kubernetes_version: Version = LATEST,
                 namespace: str = "default", options: dict[str, dict[str, Any]] | None = None,
                 pod_security_level: str = "none", suppressor: Suppressor | None = None,
                 schema_locations: tuple[str, ...] = ()) -> None:
        self._graph = graph
        self._denied: str | None = None          # rule id of a check without needs_graph
        self._indexes: dict[Callable[[Graph], Any], Any] = {}
        self.kubernetes_version = kubernetes_version
        self.namespace = namespace
        self.options: dict[str, dict[str, Any]] = options if options is not None else {}
        self.pod_security_level = pod_security_level
        self.suppressor = suppressor             # applied before the "after" checks
        self.schema_locations = schema_locations  # --schema-location: custom resource schemas

    @property
    def graph(self) -> Graph:
        if self._denied is not None:
            raise GraphNotDeclared(self._denied)
        return self._graph

    def option(self, rule: str, name: str, default: Any = None) -> Any:
        return self.options.get(rule, {}).get(name, default)

    def index(self, build: Callable[[Graph], T]) -> T:
        """build(graph), computed once per run and shared by the checks that ask for it:
        an index that a per-object check would otherwise rebuild for every object."""
        try:
            return self._indexes[build]  # type: ignore[no-any-return]
        except KeyError:
            value = self._indexes[build] = build(self.graph)
            return value

    def without_graph(self, rule: str) -> CheckContext:
        """This context for a check that did not declare needs_graph (same options)."""
        other = object.__new__(CheckContext)
        other.__dict__.update(self.__dict__)
        other._denied = rule
        return other


CheckFunc = Callable[..., Iterable[Hit]]


@dataclass(frozen=True)
class CheckSpec:
    rule: str
    func: CheckFunc
    kinds: frozenset[str] | None     # per-object checks: kinds they apply to (None: every kind)
    scope: str = "object"            # "object", "graph" or "after"
    workloads: bool = False          # per object: only objects with a pod template
    needs_graph: bool = False        # per object: reads ctx.graph
    module: str = ""                 # where the function lives (the fork split, the tests)
    try_early: bool = False          # needs_graph, but seldom reads it: see check()


REGISTRY: dict[str, CheckSpec] = {}


def check(rule: str, *, kinds: Iterable[str] | None = None, workloads: bool = False,
          needs_graph: bool = False, scope: str = "object", try_early: bool = False) -> Callable[[CheckFunc], CheckFunc]:
    """Register the check of a rule.

    scope "object" (the default): func(ctx, obj) for each object of `kinds` (every kind if
    None); with `workloads`, only for objects with a pod template (obj.pod_template is
    never None there; kind PodTemplate included, whose template the API server validates
    too: a check about running pods skips it, as graph.workloads() does); `needs_graph`
    lets it read ctx.graph; with `try_early` as well, it runs first where the object's file is
    parsed, without the graph, and again with it only on objects where it read the graph
    (k8slint.early): for checks that read it for few objects (a custom kind's CRD).
    scope "graph": func(ctx) once; scope "after": func(ctx) once, after suppressions.
    """
    if scope not in SCOPES:
        raise ValueError(f"rule {rule}: unknown scope {scope!r}")
    if scope != "object" and (kinds is not None or workloads):
        raise ValueError(f"rule {rule}: kinds and workloads are for per-object checks")

    def register(func: CheckFunc) -> CheckFunc:
        if rule in REGISTRY:
            raise ValueError(f"rule {rule} registered twice")
        REGISTRY[rule] = CheckSpec(rule, func, frozenset(kinds) if kinds else None, scope,
                                   workloads, needs_graph or scope != "object", func.__module__,
                                   try_early and needs_graph and scope == "object")
        return func

    return register


def module_of(category: str) -> str:
    """The checks module of a category: `api-version` -> `k8slint.checks.api_version`."""
    return f"{__package__}.checks.{category.replace('-', '_')}"


_loaded = False


def load_checks() -> dict[str, CheckSpec]:
    """Import every module of k8slint.checks (registration happens at import)."""
    global _loaded
    if not _loaded:
        from . import checks
        for module in pkgutil.iter_modules(checks.__path__):
            importlib.import_module(f"{checks.__name__}.{module.name}")
        _loaded = True
    return REGISTRY


def select_rules(rules: dict[str, RuleMeta], only: Iterable[str] | None = None,
                 enable: Iterable[str] = (), disable: Iterable[str] = ()) -> set[str]:
    """Rule ids to run: defaults, plus `enable`, minus `disable` (ids or categories)."""
    def expand(names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            if name in CATEGORIES:
                out |= {r for r, m in rules.items() if m.category == name}
            elif name in rules:
                out.add(name)
            else:
                raise UnknownRuleError(name)
        return out

    if only is not None:
        return expand(only)
    chosen = {r for r, m in rules.items() if m.enabled}
    return (chosen | expand(enable)) - expand(disable)


# On large inputs the checks of these modules run in a forked child while this process
# runs the others: the child shares the graph copy-on-write and sends back only its
# findings. Such inputs are loaded in workers, which run the per-object checks that do not
# read the graph (k8slint.early): the split is about even on the checks that are left
# (10k corpus, CPU seconds of this process and of the child).
FORKED_MODULES = frozenset(module_of(c) for c in (
    "schema", "naming", "security", "resources", "image"))
FORK_MIN_OBJECTS = 3000


class Early(Protocol):
    """Checks already run on some objects where their files were parsed (k8slint.early)."""

    @property
    def rule_ids(self) -> frozenset[str]: ...

    def take(self, objects: list[Object]) -> list[Finding]:
        """Their findings, once."""

    def covers(self, obj: Object) -> frozenset[str] | None:
        """None when they did not run on `obj`, else those of them to run again on it
        (after take)."""


def run(ctx: CheckContext, loader_hits: Iterable[Hit], rules: dict[str, RuleMeta], active: set[str],
        extra: dict[str, CheckSpec] | None = None, jobs: int = 1, early: Early | None = None) -> list[Finding]:
    """Run the active checks on ctx.graph; every hit becomes a Finding with position and
    metadata.

    `extra`: checks of this run only (custom rules). With `ctx.suppressor`, suppressed
    findings are taken out before the "after" checks run. `jobs` > 1 lets a large run
    use a second process; the findings are the same. `early`: the findings of the rules it
    names on the objects it has them for, which then do not run here."""
    registry = load_checks()
    if extra:
        registry = {**registry, **extra}
    findings: list[Finding] = []
    for hit in loader_hits:
        if hit.rule in active:
            findings.append(to_finding(hit, rules[hit.rule]))
    skip: Callable[[Object], frozenset[str] | None] | None = None
    skipped: frozenset[str] = frozenset()
    if early is not None:
        findings.extend(early.take(ctx.graph.objects))
        skip, skipped = early.covers, early.rule_ids
    specs = [registry[r] for r in sorted(active) if r in registry and registry[r].scope != "after"]
    if jobs > 1 and len(ctx.graph.objects) >= FORK_MIN_OBJECTS:
        from .fork import fork_call

        theirs = [s for s in specs if s.module in FORKED_MODULES]
        mine = [s for s in specs if s.module not in FORKED_MODULES]
        pending = fork_call(_run_specs, ctx, theirs, rules, skip, skipped)
        findings.extend(_run_specs(ctx, mine, rules, skip, skipped))
        ctx.graph.forget_answers()        # the child's findings take their room
        findings.extend(pending())
    else:
        findings.extend(_run_specs(ctx, specs, rules, skip, skipped))
    if ctx.suppressor is not None:
        findings = ctx.suppressor.apply(findings)
    after = [registry[r] for r in sorted(active) if r in registry and registry[r].scope == "after"]
    _guarded(findings, ((spec, rules[spec.rule], ctx, None) for spec in after))
    findings.sort(key=Finding.sort_key)
    return findings


# One per-object check of a run: the spec, its rule's metadata and the context it gets.
_Entry = tuple[CheckSpec, RuleMeta, CheckContext]
# One call of a check: per object (obj set) or once per run (obj None).
_Call = tuple[CheckSpec, RuleMeta, CheckContext, "Object | None"]


def _run_specs(ctx: CheckContext, specs: list[CheckSpec], rules: dict[str, RuleMeta],
               skip: Callable[[Object], frozenset[str] | None] | None = None,
               skipped: frozenset[str] = frozenset()) -> list[Finding]:
    """Per-object checks object by object (all checks of one object back to back), then
    graph checks. The objects `skip` gives rules for are not given the checks of the rules
    in `skipped` (they ran early), but for those it gives."""
    findings: list[Finding] = []
    entries = [(s, rules[s.rule], ctx if s.needs_graph else ctx.without_graph(s.rule))
               for s in specs if s.scope == "object"]
    kinds = ctx.graph.kinds()
    by_kind = _dispatch(entries, kinds)
    rest = _dispatch([e for e in entries if e[0].rule not in skipped], kinds) if skip and skipped else None
    _guarded(findings, _object_calls(ctx.graph.objects, by_kind, rest, skip))
    _guarded(findings, ((s, rules[s.rule], ctx, None) for s in specs if s.scope == "graph"))
    return findings


def run_early(ctx: CheckContext, specs: list[CheckSpec], rules: dict[str, RuleMeta]
              ) -> Iterator[tuple[Object, list[Finding], list[str]]]:
    """Per-object checks without the graph, on every object of ctx.graph (k8slint.early):
    each object with its findings and the rules to run again on it with the graph (a
    `try_early` check that read it, or raised: the run after loading makes its finding)."""
    entries = [(s, rules[s.rule], ctx.without_graph(s.rule)) for s in specs]
    kinds = ctx.graph.kinds()
    by_kind = _dispatch([e for e in entries if not e[0].try_early], kinds)
    tries = _dispatch([e for e in entries if e[0].try_early], kinds)
    for obj in ctx.graph.objects:
        findings: list[Finding] = []
        again: list[str] = []
        _guarded(findings, _object_calls((obj,), by_kind))
        for spec, meta, context, __ in _object_calls((obj,), tries):
            try:
                hits = list(spec.func(context, obj))
            except Exception:  # noqa: BLE001 - GraphNotDeclared above all: it runs again after loading
                again.append(spec.rule)
                continue
            findings.extend(to_finding(hit, meta) for hit in hits)
        yield obj, findings, again


_ByKind = dict[str, tuple[list[_Entry], list[_Entry]]]


def _object_calls(objects: Iterable[Object], by_kind: _ByKind, rest: _ByKind | None = None,
                  skip: Callable[[Object], frozenset[str] | None] | None = None) -> Iterator[_Call]:
    """Each object's calls: from `by_kind`; from `rest` when `skip` gives rules for it, and
    those of `by_kind` that it gives."""
    for obj in objects:
        table, again = by_kind, None
        if rest is not None and skip is not None:
            again = skip(obj)
            if again is not None:
                table = rest
        plain, with_workloads = table[obj.kind]
        for spec, meta, context in (with_workloads if with_workloads and obj.has_pod_template
                                    else plain):
            yield spec, meta, context, obj
        if again:
            plain, with_workloads = by_kind[obj.kind]
            for spec, meta, context in (with_workloads if with_workloads and obj.has_pod_template
                                        else plain):
                if spec.rule in again:
                    yield spec, meta, context, obj


def _guarded(findings: list[Finding], calls: Iterator[_Call]) -> None:
    """Make each call's hits findings. The engine's one guard: a check that raises becomes
    one info finding on that object ("internal error in rule ...", hits it yielded before
    are kept) and the run goes on with the next call. Nothing else in k8slint catches every
    exception: a bug elsewhere reaches the CLI, which exits 3."""
    append = findings.append
    while True:
        try:
            for spec, meta, context, obj in calls:
                for hit in spec.func(context, obj) if obj is not None else spec.func(context):
                    append(to_finding(hit, meta))
            return
        except Exception as exc:  # noqa: BLE001 - a rule bug must never stop the run
            append(_crashed(spec, meta, obj, exc))


def _dispatch(entries: list[_Entry], kinds: Iterable[str]) -> dict[str, tuple[list[_Entry], list[_Entry]]]:
    """Per kind, decided once: the checks of an object without a pod template, and of one
    with a pod template (the same followed by the workload checks; empty when there are none)."""
    table = {}
    for kind in kinds:
        fits = [e for e in entries if e[0].kinds is None or kind in e[0].kinds]
        plain = [e for e in fits if not e[0].workloads]
        workload = [e for e in fits if e[0].workloads]
        table[kind] = (plain, plain + workload if workload else [])
    return table


def _crashed(spec: CheckSpec, meta: RuleMeta, obj: Object | None, exc: Exception) -> Finding:
    if obj is not None:
        message = _("internal error in rule {rule} on {kind}/{name}: {type}: {error} "
                    "(please report this with the manifest)")
    else:
        message = _("internal error in rule {rule}: {type}: {error} (please report this with the manifest)")
    text = message.format(rule=spec.rule, kind=getattr(obj, "kind", ""), name=getattr(obj, "name", ""),
                          type=type(exc).__name__, error=exc)
    hit = Hit(message=text, obj=obj, severity=Severity.INFO,
              file=None if obj else "-")
    return to_finding(hit, meta)


def last_arguments(func: Callable[..., T]) -> Callable[..., T]:
    """Remember the result of a function of one or two arguments for its latest arguments
    (compared by identity): the engine runs all checks of one object back to back, so the
    rules of a module that read the same facts about an object compute them once, and
    nothing outlives the next object."""
    last: list[Any] = [(None,), None]

    @functools.wraps(func)
    def remembered(*args: Any) -> T:
        before = last[0]
        if args[-1] is before[-1] and args[0] is before[0]:
            return last[1]  # type: ignore[no-any-return]
        result = func(*args)
        last[0], last[1] = args, result
        return result

    return remembered


def to_finding(hit: Hit, meta: RuleMeta) -> Finding:
    obj = hit.obj
    unit = None
    if obj is not None:
        file, line, column = obj.position(hit.path, hit.at)
        ref = obj.ref
        # The object's own apply unit: a base's file is built by several kustomizations,
        # and only the object that produced the finding says which (api._name_units).
        own = getattr(obj, "unit", None)
        unit = own.id if own is not None else None
    else:
        line, column, file, ref = hit.line, hit.column, hit.file or "-", None
    return Finding(rule=meta.id, category=meta.category, severity=hit.severity or meta.severity,
                   message=hit.message, file=file, line=line, column=column,
                   path=_path_text(hit.path) if hit.path else None, object=ref, unit=unit,
                   fix=hit.fix if hit.fix is not None else (meta.text(language()).fix or None))


# A finding's path as text, one string per path: the findings of a rule mostly point at
# the same few paths (some 70 bytes a finding otherwise).
_path_text = functools.lru_cache(maxsize=4096)(format_path)
