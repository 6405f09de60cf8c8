"""Early checks (k8slint.early): the per-object checks that do not read the graph run in the
process that parsed the object's file, with exactly the findings of one process."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from k8slint import api, early, engine, parallel
from k8slint.api import check, render
from k8slint.config import Config

# A cluster-scoped custom kind: its objects have no namespace (apiextensions
# types.go, CustomResourceDefinitionSpec.Scope), which graph.build learns from the CRD.
CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
"""
# A label value may not start with '-' (apimachinery validation.go, IsValidLabelValue):
# label-syntax, an early rule, finds it.
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w{i}, labels: {{team: -x}}}}\n"
SERVICE = ("apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, labels: {{team: -x}}}}\n"
           "spec: {{selector: {{app: a}}, ports: [{{port: 80}}]}}\n")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Files of one chunk each: the CRD in the first, custom objects and Services after."""
    (tmp_path / "a-crd.yaml").write_text(CRD)
    for i in range(6):
        (tmp_path / f"b-{i}.yaml").write_text(WIDGET.format(i=i) + "---\n" + SERVICE.format(i=i))
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 1)
    return str(tmp_path)


def spy_on_plans(monkeypatch: pytest.MonkeyPatch) -> list[early.Plan]:
    plans: list[early.Plan] = []
    real = api._early_plan

    def keep(*args: object) -> early.Plan:
        plans.append(real(*args))  # type: ignore[arg-type]
        return plans[-1]

    monkeypatch.setattr(api, "_early_plan", keep)
    return plans


def test_every_object_is_checked_early_and_the_rest_runs_after(folder, monkeypatch):
    plain = render(check([folder], Config(jobs=1)), "json", show_infos=True)
    plans = spy_on_plans(monkeypatch)
    answered: list[str] = []             # the threads that recorded a chunk's early findings
    real_add = early.Plan.add

    def add(self, documents, answer, tried=True):
        answered.append(threading.current_thread().name)
        real_add(self, documents, answer, tried)

    monkeypatch.setattr(early.Plan, "add", add)
    late: list[tuple[str, str]] = []     # (rule, kind) of the early rules run after loading
    real_calls, real_specs = engine._object_calls, engine._run_specs

    def object_calls(*args):
        for call in real_calls(*args):
            late.append((call[0].rule, call[3].kind))
            yield call

    def run_specs(*args):                # after loading: watch the calls
        monkeypatch.setattr(engine, "_object_calls", object_calls)
        return real_specs(*args)

    monkeypatch.setattr(engine, "_run_specs", run_specs)
    result = check([folder], Config(jobs=2))
    assert render(result, "json", show_infos=True) == plain
    assert '"rule": "label-syntax"' in plain
    plan, = plans
    assert "label-syntax" in plan.rule_ids and "service-selects-nothing" not in plan.rule_ids
    assert len(plan.files | plan.untried) == 7 and result.documents == 13 and plan.files and plan.untried
    assert threading.main_thread().name in answered and len(set(answered)) == 2   # here and from a worker
    # The Widgets: this process gives them no namespace (it sees the CRD), a worker that
    # did not load the CRD gives them one; they are checked again here.
    # (the checks tried early run after loading on what this process loaded: see early.run)
    late = [(rule, kind) for rule, kind in late if rule in plan.rule_ids - plan.tried]
    assert {kind for _, kind in late} == {"Widget"} and ("label-syntax", "Widget") in late
    assert [f.object.namespace for f in result.findings if f.rule == "label-syntax" and f.object.kind == "Widget"] \
        == [None] * 6


def test_a_crd_of_a_built_in_group_makes_every_check_run_after_loading(folder, monkeypatch):
    """A CRD may name a built-in group's kind: then graph.build's namespaces may differ from
    a worker's, and nothing early is used."""
    Path(folder, "a-crd.yaml").write_text(CRD.replace("example.com", "apps").replace("Widget", "Service"))
    plain = render(check([folder], Config(jobs=1)), "json")
    plans = spy_on_plans(monkeypatch)
    result = check([folder], Config(jobs=2))
    assert render(result, "json") == plain
    plan, = plans
    assert (plan.files or plan.untried) and not plan.usable
    assert not any(plan.covers(o) for o in result.graph.objects)


def test_failing_early_checks_run_after_loading_and_say_so(folder, monkeypatch, capfd):
    plain = render(check([folder], Config(jobs=1)), "json")

    def broken(*args):
        raise RuntimeError("early broken")

    monkeypatch.setattr(early, "run", broken)
    assert render(check([folder], Config(jobs=2)), "json") == plain
    err = capfd.readouterr().err
    assert "k8slint: warning: the early checks failed while loading (RuntimeError: early broken)" in err
    assert err.count("k8slint: warning") == 7          # each chunk, here or in a worker


def test_custom_rules_and_small_inputs_run_after_loading(tmp_path, monkeypatch):
    """Nothing early for one process: no plan is made (a small check imports no more)."""
    plans = spy_on_plans(monkeypatch)
    (tmp_path / "a.yaml").write_text(SERVICE.format(i=1))
    (tmp_path / "b.yaml").write_text(SERVICE.format(i=2))
    check([str(tmp_path)], Config())
    assert plans == []
    plan = early.Plan(api.builtin_rules(), {"label-syntax", "port-name"}, {},
                      custom_rules=frozenset({"port-name"}))
    assert [s.rule for s in plan.specs()] == ["label-syntax"]


def test_workers_parse_only_several_files_not_stdin():
    assert parallel.processes(["a.yaml", "b.yaml"], 2) == 2
    assert parallel.processes(["a.yaml"], 2) == 1
    assert parallel.processes(["a.yaml", "-"], 2) == 1


# A namespaced custom kind whose CRD requires spec.size as an integer (apiextensions
# structural schema validation): schema-violation reads the CRD from the graph.
GADGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
"""
GADGET = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {{name: g{i}}}\nspec: {{size: big}}\n"


def test_a_check_tried_early_runs_again_where_it_read_the_graph(tmp_path, monkeypatch):
    """schema-violation is tried early: a worker that did not load the CRD cannot judge a
    Gadget (the check reads the graph), so it runs again after loading, with the CRD."""
    (tmp_path / "a-crd.yaml").write_text(GADGET_CRD)
    for i in range(4):
        (tmp_path / f"b-{i}.yaml").write_text(GADGET.format(i=i) + "---\n" + SERVICE.format(i=i))
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 1)
    plain = render(check([str(tmp_path)], Config(jobs=1)), "json")
    plans = spy_on_plans(monkeypatch)
    result = check([str(tmp_path)], Config(jobs=2))
    assert render(result, "json") == plain
    assert sum(1 for f in result.findings if f.rule == "schema-violation") == 4
    plan, = plans
    assert engine.REGISTRY["schema-violation"].try_early and "schema-violation" in plan.rule_ids
    gadgets = [o for o in result.graph.objects if o.kind == "Gadget"]
    services = [o for o in result.graph.objects if o.kind == "Service"]
    assert all("schema-violation" in (plan.covers(o) or ()) for o in gadgets)
    # this process tries nothing early (early.run): its objects get every tried rule again
    assert all(plan.covers(o) == (frozenset() if o.file in plan.files else plan.tried) for o in services)
    assert any(o.file in plan.files for o in gadgets)       # a worker tried a Gadget


def test_run_early_drops_the_hits_of_a_tried_check_that_reads_the_graph():
    from k8slint import graph as graph_mod
    from k8slint import loader

    loaded = loader.LoadResult([loader.Source("s.yaml", SERVICE.format(i=1))])
    loader.parse_source(loaded.sources[0])
    built, _ = graph_mod.build(loaded)

    def reads_late(ctx, obj):
        yield obj.finding((), "before")
        ctx.graph                                           # noqa: B018 - the read that is refused

    def fine(ctx, obj):
        yield obj.finding((), "kept")

    specs = [engine.CheckSpec("late", reads_late, None, needs_graph=True, try_early=True),
             engine.CheckSpec("fine", fine, None, needs_graph=True, try_early=True)]
    rules = {"late": api.builtin_rules()["label-syntax"], "fine": api.builtin_rules()["port-name"]}
    (obj, findings, again), = engine.run_early(engine.CheckContext(built), specs, rules)
    assert [f.message for f in findings] == ["kept"] and again == ["late"]
