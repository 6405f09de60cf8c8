"""The links that make a rule: rules/<id>.yaml <-> one @check function in the checks module
named after its category <-> its fixer, and the contract of the check shape."""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest

from k8slint import checks, engine, graph, loader
from k8slint.checks.syntax import FROM_LOADER
from k8slint.engine import CheckContext, CheckSpec, GraphNotDeclared, check, load_checks, module_of
from k8slint.fix.registry import load_fixers
from k8slint.graph import Object
from k8slint.model import CATEGORIES, Hit
from k8slint.rules import builtin_rules
from tests.conftest import ROOT, service, workload

RULES = builtin_rules()
REGISTRY = load_checks()


def test_every_rule_file_has_one_check_in_the_module_of_its_category():
    for rule, meta in RULES.items():
        if rule in FROM_LOADER:
            assert rule not in REGISTRY, f"{rule}: made by the loader and also registered as a check"
            continue
        if meta.category == "change":       # statements of `k8slint diff` (tests/test_diff_rules.py)
            assert rule not in REGISTRY, f"{rule}: a change rule registered as a check"
            continue
        assert rule in REGISTRY, f"{rule}: rules/{rule}.yaml has no @check function"
        spec = REGISTRY[rule]
        assert spec.module == spec.func.__module__ == module_of(meta.category), (
            f"{rule} (category {meta.category}) is checked in {spec.func.__module__}, "
            f"not in {module_of(meta.category)}")


def test_every_check_has_a_rule_file():
    assert set(REGISTRY) <= set(RULES), f"checks without rules/<id>.yaml: {set(REGISTRY) - set(RULES)}"


def test_loader_rules_are_syntax_rules_that_the_loader_makes():
    source = (ROOT / "k8slint" / "loader.py").read_text() + (ROOT / "k8slint" / "graph.py").read_text() \
        + (ROOT / "k8slint" / "kustomize" / "target.py").read_text()
    for rule in FROM_LOADER:
        assert RULES[rule].category == "syntax", rule
        assert f'"{rule}"' in source, f"{rule}: no finding of it is made in loader.py, graph.py or kustomize"


def test_checks_modules_are_named_after_categories():
    names = {module_of(c).rpartition(".")[2] for c in CATEGORIES}
    for module in pkgutil.iter_modules(checks.__path__):
        assert module.name in names, f"k8slint/checks/{module.name}.py is named after no category"


def test_every_fixer_names_a_rule():
    for rule in load_fixers():
        assert rule in RULES, f"fixer for {rule}, which has no rules/{rule}.yaml"


def test_forked_modules_are_checks_modules():
    modules = {spec.module for spec in REGISTRY.values()}
    assert engine.FORKED_MODULES <= modules, engine.FORKED_MODULES - modules


def test_a_rule_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        check("object-name")(lambda ctx, obj: iter(()))


def test_kinds_and_workloads_are_per_object_options():
    for options in ({"kinds": ("Service",)}, {"workloads": True}):
        with pytest.raises(ValueError, match="per-object"):
            check("some-new-rule", scope="graph", **options)


# --- the shape, run through the engine -----------------------------------------------------

MANIFEST = service() + "---\n" + workload("containers: [{name: web, image: nginx}]")


def _run(**specs: CheckSpec) -> list:
    source = loader.Source("test.yaml", MANIFEST)
    result = loader.LoadResult(sources=[source], hits=loader.parse_source(source))
    built, _ = graph.build(result)
    rules = {rule: replace(RULES["object-name"], id=rule) for rule in specs}
    return engine.run(CheckContext(built), [], rules, set(specs), extra=specs)


def _spec(rule: str, func, **options) -> CheckSpec:
    kinds = options.pop("kinds", None)
    return CheckSpec(rule, func, frozenset(kinds) if kinds else None, **options)


@pytest.mark.rule_crash_expected
def test_a_check_without_needs_graph_cannot_read_the_graph():
    def reads_graph(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
        yield obj.finding((), f"{len(ctx.graph.objects)} objects")

    findings = _run(blind=_spec("blind", reads_graph, kinds=("Service",)),
                    sighted=_spec("sighted", reads_graph, kinds=("Service",), needs_graph=True))
    by_rule = {f.rule: f.message for f in findings}
    assert by_rule["sighted"] == "2 objects"
    assert by_rule["blind"].startswith("internal error in rule blind on Service/web: GraphNotDeclared: "
                                       "rule blind reads ctx.graph but its @check does not declare "
                                       "needs_graph=True")


def test_graph_not_declared_names_the_rule():
    ctx = CheckContext(graph.Graph([])).without_graph("my-rule")
    with pytest.raises(GraphNotDeclared, match="rule my-rule .* needs_graph=True"):
        _ = ctx.graph
    with pytest.raises(GraphNotDeclared):
        ctx.index(lambda g: len(g.objects))


def test_per_object_checks_see_their_kinds_and_workload_checks_only_pod_templates():
    def each(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
        template = obj.pod_template
        yield obj.finding((), f"{obj.kind} template={template is not None}")

    findings = _run(every=_spec("every", each), services=_spec("services", each, kinds=("Service",)),
                    pods=_spec("pods", each, workloads=True))
    seen = sorted((f.rule, f.message) for f in findings)
    assert seen == [("every", "Deployment template=True"), ("every", "Service template=False"),
                    ("pods", "Deployment template=True"), ("services", "Service template=False")]


def test_graph_checks_run_once_and_indexes_are_built_once_per_run():
    builds = []

    def index(g: graph.Graph) -> int:
        builds.append(1)
        return len(g.objects)

    def per_object(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
        yield obj.finding((), f"index {ctx.index(index)}")

    def once(ctx: CheckContext) -> Iterator[Hit]:
        yield Hit(message=f"once over {len(ctx.graph.objects)}", file="test.yaml")

    findings = _run(each=_spec("each", per_object, needs_graph=True), once=_spec("once", once, scope="graph"))
    assert sorted(f.message for f in findings) == ["index 2", "index 2", "once over 2"]
    assert len(builds) == 1


def test_checks_of_builtin_rules_have_the_documented_signature():
    """(ctx, obj) per object, (ctx) for the graph and after scopes: the first parameter is
    named ctx everywhere, so a check in the old shape (obj, ctx) fails here."""
    for rule, spec in REGISTRY.items():
        code = spec.func.__code__
        params = code.co_varnames[:code.co_argcount]
        expected = 2 if spec.scope == "object" else 1
        assert len(params) == expected and params[0] == "ctx", f"{rule}: {spec.func.__name__}{params}"
        assert re.fullmatch(r"[a-z][a-z0-9_]*", spec.func.__name__), rule
