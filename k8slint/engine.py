"""The rule registry and the run: checks yield hits, the engine makes findings of them."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .graph import Graph, Object
from .k8s.versions import LATEST, Version
from .model import CATEGORIES, Finding, Hit, Severity
from .paths import format_path
from .rules import RuleMeta, UnknownRuleError


@dataclass
class Context:
    """What a check may know beyond the graph: the target cluster and the rule options."""

    kubernetes_version: Version = LATEST
    namespace: str = "default"
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    pod_security_level: str = "none"
    suppressor: Any = None           # k8slint.suppress.Suppressor: applied before "after" checks
    schema_locations: tuple[str, ...] = ()   # --schema-location: custom resource schemas

    def option(self, rule: str, name: str, default: Any = None) -> Any:
        return self.options.get(rule, {}).get(name, default)


CheckFunc = Callable[..., Iterable[Hit]]


@dataclass(frozen=True)
class CheckSpec:
    rule: str
    func: CheckFunc
    kinds: frozenset[str] | None     # per-object checks: kinds they apply to (None: every kind)
    scope: str                       # "object", "workload" or "graph"


REGISTRY: dict[str, CheckSpec] = {}


def check(rule: str, *, kinds: Iterable[str] | None = None, scope: str = "object") -> Callable[[CheckFunc], CheckFunc]:
    """Register a check under a rule id.

    scope "object": func(obj, ctx) for each object of `kinds`;
    scope "workload": func(obj, template, ctx) for each object with a pod template;
    scope "graph": func(graph, ctx) once;
    scope "after": func(graph, ctx) once, after suppressions were applied.
    """
    if scope not in ("object", "workload", "graph", "after"):
        raise ValueError(scope)

    def register(func: CheckFunc) -> CheckFunc:
        if rule in REGISTRY:
            raise ValueError(f"rule {rule} registered twice")
        REGISTRY[rule] = CheckSpec(rule, func, frozenset(kinds) if kinds else None, scope)
        return func

    return register


_loaded = False


def load_checks() -> dict[str, CheckSpec]:
    """Import every module of k8slint.checks (registration happens at import)."""
    global _loaded
    if not _loaded:
        from . import checks
        for module in pkgutil.iter_modules(checks.__path__):
            importlib.import_module(f"{checks.__name__}.{module.name}")
        importlib.import_module(f"{__package__}.suppress")     # registers unused-suppression
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
# findings. The split is about even by the bench's per-category times.
FORKED_MODULES = frozenset(f"k8slint.checks.{m}" for m in (
    "schema", "naming", "identity", "apiversion", "security", "resources", "image"))
FORK_MIN_OBJECTS = 3000


def run(graph: Graph, loader_hits: Iterable[Hit], rules: dict[str, RuleMeta], active: set[str],
        ctx: Context, extra: dict[str, CheckSpec] | None = None, jobs: int = 1) -> list[Finding]:
    """Run the active checks; every hit becomes a Finding with position and metadata.

    `extra`: checks of this run only (custom rules). With `ctx.suppressor`, suppressed
    findings are taken out before the "after" checks run. `jobs` > 1 lets a large run
    use a second process; the findings are the same."""
    registry = load_checks()
    if extra:
        registry = {**registry, **extra}
    findings: list[Finding] = []
    for hit in loader_hits:
        if hit.rule in active:
            findings.append(to_finding(hit, rules[hit.rule]))
    specs = [registry[r] for r in sorted(active) if r in registry and registry[r].scope != "after"]
    if jobs > 1 and len(graph.objects) >= FORK_MIN_OBJECTS:
        from .parallel import fork_call

        theirs = [s for s in specs if s.func.__module__ in FORKED_MODULES]
        mine = [s for s in specs if s.func.__module__ not in FORKED_MODULES]
        pending = fork_call(_run_specs, graph, theirs, rules, ctx)
        findings.extend(_run_specs(graph, mine, rules, ctx))
        findings.extend(pending())
    else:
        findings.extend(_run_specs(graph, specs, rules, ctx))
    if ctx.suppressor is not None:
        findings = ctx.suppressor.apply(findings)
    for rule in sorted(active):
        spec = registry.get(rule)
        if spec is not None and spec.scope == "after":
            _collect(findings, spec, rules[spec.rule], None, (graph, ctx))
    findings.sort(key=Finding.sort_key)
    return findings


def _run_specs(graph: Graph, specs: list[CheckSpec], rules: dict[str, RuleMeta],
               ctx: Context) -> list[Finding]:
    """Object and workload checks object by object, then graph checks."""
    findings: list[Finding] = []
    by_kind = _dispatch(specs, graph.kinds())
    for obj in graph.objects:
        object_specs, workload_specs = by_kind[obj.kind]
        for spec in object_specs:
            _collect(findings, spec, rules[spec.rule], obj, (obj, ctx))
        if workload_specs:
            template = obj.pod_template
            if template is not None:
                for spec in workload_specs:
                    _collect(findings, spec, rules[spec.rule], obj, (obj, template, ctx))
    for spec in specs:
        if spec.scope == "graph":
            _collect(findings, spec, rules[spec.rule], None, (graph, ctx))
    return findings


def _dispatch(specs: list[CheckSpec], kinds: Iterable[str]) -> dict[str, tuple[list[CheckSpec], list[CheckSpec]]]:
    """Per kind, the object checks and workload checks that apply (decided once per kind)."""
    table = {}
    for kind in kinds:
        table[kind] = ([s for s in specs if s.scope == "object" and (s.kinds is None or kind in s.kinds)],
                       [s for s in specs if s.scope == "workload" and (s.kinds is None or kind in s.kinds)])
    return table


def _collect(findings: list[Finding], spec: CheckSpec, meta: RuleMeta, obj: Object | None,
             args: tuple) -> None:
    """Run one check; a check that raises becomes one finding on that object and the run
    goes on (hits it yielded before raising are kept)."""
    try:
        for hit in spec.func(*args) or ():
            findings.append(to_finding(hit, meta))
    except Exception as exc:  # noqa: BLE001 - a rule bug must never stop the run
        where = f" on {obj.kind}/{obj.name}" if obj is not None else ""
        hit = Hit(message=f"internal error in rule {spec.rule}{where}: {type(exc).__name__}: {exc} "
                  "(please report this with the manifest)", obj=obj, severity=Severity.INFO,
                  file=None if obj else "-")
        findings.append(to_finding(hit, meta))


def to_finding(hit: Hit, meta: RuleMeta) -> Finding:
    obj = hit.obj
    if obj is not None:
        line, column = obj.locate(hit.path, hit.at)
        file, ref = obj.file, obj.ref
    else:
        line, column, file, ref = hit.line, hit.column, hit.file or "-", None
    return Finding(rule=meta.id, category=meta.category, severity=hit.severity or meta.severity,
                   message=hit.message, file=file, line=line, column=column,
                   path=format_path(hit.path) if hit.path else None, object=ref,
                   fix=hit.fix if hit.fix is not None else (meta.fix or None))
