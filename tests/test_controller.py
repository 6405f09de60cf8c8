"""Controller-fit rules beyond their examples: odd input never raises, the real-world corpus
stays quiet, the demo stays clean, and the rollout arithmetic matches pkg/controller/deployment/
util/deployment_util.go ResolveFenceposts."""

from __future__ import annotations

import copy
from typing import Any, Iterator

import pytest
import yaml

from k8slint.api import check, check_text
from k8slint.checks.controller import _one_shot_evidence, _rolling_fenceposts
from k8slint.config import Config
from k8slint.graph import build
from k8slint.k8s.rollout import daemonset_budget
from k8slint.k8s.rollout import scaled as _scaled
from k8slint.loader import LoadResult, Source, parse_source
from k8slint.model import Severity
from k8slint.rules import builtin_rules
from tests.conftest import CORPUS, ROOT

RULES = sorted(r for r, m in builtin_rules().items() if m.category == "controller")
ODD_VALUES: tuple[Any, ...] = (None, "x", 7, True, [], {}, [None], "25%")


def _config() -> Config:
    return Config(only=["controller"])


def test_rule_set():
    assert len(RULES) >= 16
    assert {"restart-policy-controller", "cronjob-schedule-invalid", "hpa-target-sets-replicas",
            "pdb-blocks-eviction", "deployment-rwo-volume"} <= set(RULES)


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield path + (i,)
            yield from _paths(value, path + (i,))


def _set(doc: Any, path: tuple, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return doc


def _failing_manifests() -> list[tuple[str, str]]:
    out = []
    for rule in RULES:
        example = next(e for e in builtin_rules()[rule].examples if e.expect)
        out.append((rule, example.manifest))
    return out


@pytest.mark.parametrize("rule, manifest", _failing_manifests(), ids=[r for r, _ in _failing_manifests()])
def test_odd_values_never_raise(rule, manifest):
    """Each node under spec replaced by a value of the wrong type: findings, never an internal error."""
    docs = list(yaml.safe_load_all(manifest))
    for d, doc in enumerate(docs):
        for path in _paths(doc.get("spec", {}), ("spec",)):
            for odd in ODD_VALUES:
                mutated = docs[:d] + [_set(doc, path, odd)] + docs[d + 1:]
                text = yaml.safe_dump_all(mutated)
                for finding in check_text(text, _config()).findings:
                    assert "internal error" not in finding.message, (path, odd, finding.message)


def test_scaled_and_fenceposts():
    assert _scaled("25%", 10, round_up=True) == 3 and _scaled("25%", 10, round_up=False) == 2
    assert _scaled("x%", 10, True) is None and _scaled(True, 10, True) is None
    # pkg/apis/apps/v1/defaults.go SetDefaults_Deployment: defaults 25%/25%.
    for replicas, surge, unavailable in ((1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 1, 1), (10, 3, 2)):
        graph, _ = build(_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"))
        assert _rolling_fenceposts(graph.objects[0], replicas) == (surge, unavailable)
    graph, _ = build(_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n"
                           "  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 10%}}\n"))
    assert _rolling_fenceposts(graph.objects[0], 1) == (0, 1)      # both 0: unavailable 1
    graph, _ = build(_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n"
                           "  strategy: {type: Recreate}\n"))
    assert _rolling_fenceposts(graph.objects[0], 3) is None


def test_percentages_round_exactly_at_any_scale():
    # intstr GetScaledValueFromIntOrPercent: ceil or floor of percent * total / 100, exact in
    # integers however large the total.
    assert _scaled("100%", 200, round_up=True) == 200 and _scaled("1%", 250, round_up=True) == 3
    assert _scaled("100%", 200, round_up=False) == 200 and _scaled("1%", 250, round_up=False) == 2
    assert _scaled(7, 200, round_up=True) == 7


# pkg/controller/daemon/util/daemonset_util.go SurgeCount / UnavailableCount: both round up;
# defaults maxSurge 0, maxUnavailable 1; both 0 leaves one pod to replace at a time.
@pytest.mark.parametrize("surge, unavailable, pods, budget", [
    (None, None, 10, (0, 1)), ("25%", None, 10, (3, 1)), (None, "10%", 15, (0, 2)),
    (2, 3, 10, (2, 3)), (0, 0, 5, (0, 1)), (None, "50%", 0, (0, 1)), ("x", None, 3, None),
    (None, "y%", 3, None),
])
def test_daemonset_rolling_budget(surge, unavailable, pods, budget):
    found = daemonset_budget(surge, unavailable, pods)
    assert found == budget
    if found is not None:
        assert (found.max_surge, found.max_unavailable) == budget


def _load(text: str) -> LoadResult:
    loaded = LoadResult()
    source = Source("t.yaml", text)
    loaded.sources.append(source)
    loaded.hits.extend(parse_source(source))
    return loaded


@pytest.mark.parametrize("command, args, one_shot", [
    (["python", "manage.py", "migrate"], None, True),
    (["sh", "-c", "bundle exec rake db:migrate"], None, True),
    (["/bin/sh", "-ec", "pg_dump -h db shop > /backup/shop.sql"], None, True),
    (["kubectl", "apply", "-f", "/manifests"], None, True),
    (["echo", "hello"], None, True),
    (None, ["--once"], True),
    (None, ["echo", "hello"], False),                    # args go to the image's entrypoint
    (["sh", "-c", "python manage.py migrate && exec gunicorn app"], None, False),
    (["sh", "-c", "while true; do pg_dump db > x; sleep 60; done"], None, False),
    (["kubectl", "proxy"], None, False),
    (["nginx", "-g", "daemon off;"], None, False),
    (None, None, False),
])
def test_one_shot_evidence(command, args, one_shot):
    container: dict[str, Any] = {"name": "c", "image": "i"}
    if command is not None:
        container["command"] = command
    if args is not None:
        container["args"] = args
    assert (_one_shot_evidence(container) is not None) == one_shot


def test_demo_is_clean():
    result = check([str(ROOT / "fixtures" / "demo" / "web.yaml")], _config())
    assert result.findings == []


def test_broken_fixture_shows_every_rule():
    result = check([str(ROOT / "fixtures" / "broken" / "controller.yaml")], _config())
    assert {f.rule for f in result.findings} == set(RULES)
    assert not any("internal error" in f.message for f in result.findings)


@pytest.mark.parametrize("bundle", ["example-voting-app", "kube-prometheus", "microservices-demo",
                                    "microservices-demo-release"])
def test_real_corpus_is_quiet(bundle):
    """No controller errors on manifests used by millions; warnings reviewed (none so far)."""
    findings = [f for f in check([str(CORPUS / "real" / bundle)], _config()).findings
                if f.category == "controller"]
    assert not [f for f in findings if f.severity == Severity.ERROR]
    assert not [f for f in findings if f.severity == Severity.WARNING], findings
