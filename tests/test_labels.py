"""The label-selector engine: every operator, the three shapes, controller-added labels."""

from __future__ import annotations

import pytest

from k8slint.api import check_text
from k8slint.graph import controller_label_values, workload_selector
from k8slint.selector import from_label_selector, from_map

LABELS = {"app": "web", "tier": "front"}


@pytest.mark.parametrize("expression, selected", [
    ({"key": "app", "operator": "In", "values": ["web", "api"]}, True),
    ({"key": "app", "operator": "In", "values": ["api"]}, False),
    ({"key": "app", "operator": "NotIn", "values": ["api"]}, True),
    ({"key": "app", "operator": "NotIn", "values": ["web"]}, False),
    ({"key": "missing", "operator": "NotIn", "values": ["x"]}, True),
    ({"key": "missing", "operator": "In", "values": ["x"]}, False),
    ({"key": "tier", "operator": "Exists"}, True),
    ({"key": "missing", "operator": "Exists"}, False),
    ({"key": "missing", "operator": "DoesNotExist"}, True),
    ({"key": "tier", "operator": "DoesNotExist"}, False),
])
def test_match_expressions(expression, selected):
    assert from_label_selector({"matchExpressions": [expression]}).matches(LABELS) is selected


# A label the controller adds with values it picks (here apps.kubernetes.io/pod-index, a
# decimal ordinal: pkg/controller/statefulset/stateful_set_utils.go): not in the template,
# yet a selector sees it on every pod. In matches when some value could pass the test.
@pytest.mark.parametrize("operator, values, selected", [
    ("In", ["3"], True), ("In", ["x"], False), ("NotIn", ["3"], True),
    ("Exists", [], True), ("DoesNotExist", [], False),
])
def test_expressions_on_labels_the_controller_adds(operator, values, selected):
    selector = from_label_selector({"matchExpressions": [
        {"key": "apps.kubernetes.io/pod-index", "operator": operator, "values": values}]})
    assert selector.matches({}, {"apps.kubernetes.io/pod-index": str.isdigit}) is selected


@pytest.mark.parametrize("expression, shown", [
    ({"key": "app", "operator": "In", "values": ["web"]}, "app=web"),
    ({"key": "app", "operator": "In", "values": ["web", "api"]}, "app in (api,web)"),
    ({"key": "app", "operator": "NotIn", "values": ["web"]}, "app notin (web)"),
    ({"key": "app", "operator": "Exists"}, "app"),
    ({"key": "app", "operator": "DoesNotExist"}, "!app"),
])
def test_requirements_read_like_kubectl_selectors(expression, shown):
    """labels.Selector String() in apimachinery: what messages quote."""
    assert str(from_label_selector({"matchExpressions": [expression]})) == shown


def test_malformed_selectors_are_none_and_values_are_text():
    assert from_label_selector({"matchExpressions": [{"key": "a", "operator": "Has"}]}) is None
    assert from_label_selector({"matchExpressions": [{"key": "a", "operator": "In", "values": "x"}]}) is None
    assert from_label_selector({"matchLabels": ["a"]}) is None
    assert from_map(["a"]) is None and from_label_selector(None) is None
    assert from_map({"on": True, "off": False, "n": 1}).matches({"on": "true", "off": "false", "n": "1"})
    assert str(from_map({})) == "<everything>"
    assert str(from_map({"app": "web", "tier": "fe"})) == "app=web,tier=fe"
    # No key (the schema requires one): a key no label has, not the text "None".
    keyless = from_label_selector({"matchExpressions": [{"operator": "Exists"}]})
    assert not keyless.matches({"None": "x"})


def test_match_labels_and_expressions_are_anded():
    selector = from_label_selector({"matchLabels": {"app": "web"},
                                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["back"]}]})
    assert not selector.matches(LABELS)
    assert selector.matches({"app": "web", "tier": "back"})


def test_empty_selector_selects_everything_and_missing_is_none():
    assert from_label_selector({}).empty and from_label_selector({}).matches({})
    assert from_label_selector(None) is None
    assert from_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) is None


def test_service_style_map():
    assert from_map({"app": "web"}).matches(LABELS)
    assert not from_map({"app": "web", "tier": "back"}).matches(LABELS)
    assert str(from_map({"app": "web"})) == "app=web"


def test_controller_added_labels_match_the_pods_a_controller_creates():
    graph = check_text("""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
""").graph
    sts = graph.objects[0]
    unknown = controller_label_values(sts)
    assert from_map({"statefulset.kubernetes.io/pod-name": "db-0"}).matches({"app": "db"}, unknown)
    assert not from_map({"statefulset.kubernetes.io/pod-name": "web-0"}).matches({"app": "db"}, unknown)
    assert graph.workloads_selected("default", from_map({"app": "db", "controller-revision-hash": "x"})) == [sts]
    assert graph.workloads_selected("other", from_map({"app": "db"})) == []
    assert workload_selector(sts).matches({"app": "db"})


def test_label_index_narrows_without_losing_matches():
    docs = []
    for i in range(50):
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: d{i}}}
spec:
  selector: {{matchLabels: {{app: d{i}}}}}
  template:
    metadata: {{labels: {{app: d{i}, team: t{i % 5}}}}}
    spec: {{containers: [{{name: c, image: x:1}}]}}
""")
    graph = check_text("---\n".join(docs)).graph
    assert [w.name for w in graph.workloads_selected("default", from_map({"app": "d7"}))] == ["d7"]
    selected = graph.workloads_selected("default", from_label_selector(
        {"matchExpressions": [{"key": "team", "operator": "In", "values": ["t1"]}]}))
    assert [w.name for w in selected] == [f"d{i}" for i in range(1, 50, 5)]
    # A single-value NotIn must not narrow through the index (it selects the others).
    not_t1 = graph.workloads_selected("default", from_label_selector(
        {"matchExpressions": [{"key": "team", "operator": "NotIn", "values": ["t1"]}]}))
    assert len(not_t1) == 40 and "d1" not in {w.name for w in not_t1}


def test_label_values_are_compared_as_text_and_missing_labels_are_none():
    # A manifest's `v: 1` label is the string "1" to the API server (custom rules' selectors
    # read raw labels); labels that are not a mapping select like no labels at all.
    assert from_map({"v": "1"}).matches({"v": 1})
    assert from_map({"a": "b"}).matches(None) is False
    assert from_label_selector({}).matches(["not", "a", "map"]) is True


def test_only_single_value_in_requirements_are_index_keys():
    selector = from_label_selector({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "NotIn", "values": ["db"]},
        {"key": "zone", "operator": "In", "values": ["a", "b"]},
        {"key": "track", "operator": "In", "values": ["stable"]}]})
    assert selector.equalities() == [("app", "web"), ("track", "stable")]
