"""The rule registry and the run: checks yield hits, the engine makes findings of them."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .graph import Graph, Object
from .k8s.versions import LATEST, Version
from .model import CATEGORIES, Finding, Hit, Severity
from .paths import format_path
from .rules import RuleMeta


@dataclass
class Context:
    """What a check may know beyond the graph: the target cluster and the rule options."""

    kubernetes_version: Version = LATEST
    namespace: str = "default"
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    pod_security_level: str = "none"

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
    scope "graph": func(graph, ctx) once.
    """
    if scope not in ("object", "workload", "graph"):
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
                raise KeyError(name)
        return out

    if only is not None:
        return expand(only)
    chosen = {r for r, m in rules.items() if m.enabled}
    return (chosen | expand(enable)) - expand(disable)


def run(graph: Graph, loader_hits: Iterable[Hit], rules: dict[str, RuleMeta], active: set[str],
        ctx: Context) -> list[Finding]:
    """Run the active checks; every hit becomes a Finding with position and metadata."""
    registry = load_checks()
    findings: list[Finding] = []
    for hit in loader_hits:
        if hit.rule in active:
            findings.append(to_finding(hit, rules[hit.rule]))
    specs = [registry[r] for r in sorted(active) if r in registry]
    object_specs = [s for s in specs if s.scope == "object"]
    workload_specs = [s for s in specs if s.scope == "workload"]
    for obj in graph.objects:
        for spec in object_specs:
            if spec.kinds is None or obj.kind in spec.kinds:
                findings.extend(_guarded(spec, rules[spec.rule], obj, lambda s=spec, o=obj: s.func(o, ctx)))
        template = obj.pod_template if workload_specs else None
        if template is not None:
            for spec in workload_specs:
                if spec.kinds is None or obj.kind in spec.kinds:
                    findings.extend(_guarded(spec, rules[spec.rule], obj,
                                             lambda s=spec, o=obj, t=template: s.func(o, t, ctx)))
    for spec in specs:
        if spec.scope == "graph":
            findings.extend(_guarded(spec, rules[spec.rule], None, lambda s=spec: s.func(graph, ctx)))
    findings.sort(key=Finding.sort_key)
    return findings


def _guarded(spec: CheckSpec, meta: RuleMeta, obj: Object | None,
             call: Callable[[], Iterable[Hit] | None]) -> Iterator[Finding]:
    """A check that raises becomes one finding on that object; the run goes on."""
    try:
        hits = list(call() or ())
    except Exception as exc:  # noqa: BLE001 - a rule bug must never stop the run
        where = f" on {obj.kind}/{obj.name}" if obj is not None else ""
        hit = Hit(message=f"internal error in rule {spec.rule}{where}: {type(exc).__name__}: {exc} "
                  "(please report this with the manifest)", obj=obj, severity=Severity.INFO,
                  file=None if obj else "-")
        yield to_finding(hit, meta)
        return
    for hit in hits:
        yield to_finding(hit, meta)


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
