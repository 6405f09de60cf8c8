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

    def add(self, documents, checked):
        answered.append(threading.current_thread().name)
        real_add(self, documents, checked)

    monkeypatch.setattr(early.Plan, "add", add)
    late: list[str] = []                 # early rules that the engine ran after loading
    skips: list[int] = []
    real_run = engine._run_specs

    def run_specs(ctx, specs, rules, skip=frozenset(), skipped=frozenset()):
        skips.append(len(skip))
        late.extend(s.rule for s in specs if s.rule in plans[0].rule_ids and s.rule not in skipped)
        return real_run(ctx, specs, rules, skip, skipped)

    monkeypatch.setattr(engine, "_run_specs", run_specs)
    result = check([folder], Config(jobs=2))
    assert render(result, "json", show_infos=True) == plain
    assert '"rule": "label-syntax"' in plain
    plan, = plans
    assert "label-syntax" in plan.rule_ids and "service-selects-nothing" not in plan.rule_ids
    assert len(plan.done) == result.objects == 13
    assert threading.main_thread().name in answered and len(set(answered)) == 2   # here and from a worker
    assert late == [] and skips == [7]           # the Widgets: see the next test


def test_an_object_the_worker_saw_otherwise_is_checked_here(folder, monkeypatch):
    """A worker that did not load the CRD gives the Widgets a namespace; this process, which
    sees the whole input, gives them none: it checks them itself, with the same findings as
    one process."""
    plain = render(check([folder], Config(jobs=1)), "json")
    plans = spy_on_plans(monkeypatch)
    result = check([folder], Config(jobs=2))
    assert render(result, "json") == plain
    plan, = plans
    widgets = [o for o in result.graph.objects if o.kind == "Widget"]
    services = [o for o in result.graph.objects if o.kind == "Service"]
    assert all(o.namespace is None for o in widgets)
    assert all(plan.findings(o) is None for o in widgets)
    assert all(plan.findings(o) is not None for o in services)
    labels = [f for f in result.findings if f.rule == "label-syntax"]
    assert len(labels) == 12 and {f.object.namespace for f in labels} == {None, "default"}


def test_failing_early_checks_run_after_loading_and_say_so(folder, monkeypatch, capfd):
    plain = render(check([folder], Config(jobs=1)), "json")

    def broken(plan, loaded):
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
                      custom=frozenset({"port-name"}))
    assert [s.rule for s in plan.specs()] == ["label-syntax"]


def test_workers_parse_only_several_files_not_stdin():
    assert parallel.processes(["a.yaml", "b.yaml"], 2) == 2
    assert parallel.processes(["a.yaml"], 2) == 1
    assert parallel.processes(["a.yaml", "-"], 2) == 1
