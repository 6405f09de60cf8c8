"""`k8slint explain --format html`: one self-contained page (structure, without a browser;
tests/test_html_browser.py opens the same pages in Chromium)."""

from __future__ import annotations

import re
import sys

import pytest

from k8slint.simulate import explain
from k8slint.simulate.render import html_lanes, html_text
from k8slint.simulate.render.html import render_html
from tests.conftest import ROOT
from tests.html_pages import DEMO, SCENARIOS, explain_html, fifty_pods, parse, run, sha256, x_of


def sections(page):
    return [a["id"] for name, a in page.tags if name == "section" and a.get("id")]


@pytest.fixture(scope="module")
def demo() -> str:
    return explain_html(DEMO)


def test_page_is_one_file_that_needs_no_network(demo):
    page = parse(demo)
    assert demo.startswith("<!DOCTYPE html>")
    for name, attrs in page.tags:
        assert name not in ("link", "iframe", "img", "object", "embed", "base", "form"), name
        assert "src" not in attrs, (name, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href     # in-page anchors and <use> only
    assert not re.search(r"https?://", " ".join(b for _, b in page.scripts) + " ".join(page.styles))
    policy = page.policy()
    assert "default-src 'none'" in policy and "connect-src" not in policy


def test_the_policy_allows_exactly_the_page_own_script_and_style(demo):
    page = parse(demo)
    policy = page.policy()
    code = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
    assert len(code) == 2 and len(page.styles) == 1
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert sorted(script_src) == sorted(sha256(body) for body in code)
    assert re.search(r"style-src ([^;]+)", policy).group(1).split() == [sha256(page.styles[0])]
    assert "unsafe-inline" not in policy


def test_demo_page_rows_graph_and_problems_first(demo):
    page = parse(demo)
    assert page.count("div", class_="pod") == 3                  # Deployment web: 3 pods (HPA minReplicas 3)
    assert page.count("g", class_="node") == 2 * 9               # drawn twice: wide and phone layouts
    assert sections(page)[:4] == ["problems", "summary", "timeline", "graph"]
    assert "Problems (0)" in page.text
    assert "k8slint check agrees: 0 errors, 0 warnings." in page.text
    data = page.data()
    assert data["expect"] == {"podRows": 3, "graphNodes": 9}
    # a known event, with its component, reason and source citation for the hover card
    pull = next(e for e in data["events"] if "pulls registry.example.com/shop/web:1.4.2" in e[4])
    assert data["actors"][pull[1]][0] == "kubelet" and pull[5] == "Pulled"
    assert data["sources"][pull[6]] == "pkg/kubelet/images/image_manager.go EnsureImageExists"


def test_object_details_show_defaults_etcd_key_generated_names_env_and_dns(demo):
    text = parse(demo).text
    assert "/registry/deployments/shop/web" in text                     # etcd key of the Deployment
    assert "progressDeadlineSeconds: 600" in text                       # a default the API server fills in
    assert "ReplicaSet web-74cdbb85c6" in text                          # generated name
    assert "GREETING=hello" in text and "WEB_SERVICE_HOST=10.96.0.11" in text
    assert "web.shop.svc.cluster.local" in text
    assert "fixtures/demo/web.yaml:20" in text                          # the Deployment's first line


def test_pod_bars_follow_the_kubelet_order():
    """Scheduled at 0, sandbox 1 s, image pull 2 s, then Ready (the timing assumptions of
    explain: simulate/apply.py ASSUMPTIONS); the Service lane shows the endpoint at 3 s and
    kube-proxy 1 s later."""
    lanes = html_lanes.build(explain([DEMO]))
    first = lanes.pod_rows[0]
    assert [(b.state, b.start, b.end) for b in first.bars][:2] == [("scheduled", 0, 1), ("pull", 1, 3)]
    assert first.bars[2].state == "ready" and first.bars[2].start == 3
    service = lanes.services[0]
    kinds = [(m.t, m.kind) for m in service.marks]
    assert (3, "ep-add") in kinds and (4, "proxy") in kinds
    assert [r.label for r in lanes.pod_rows] == [p.name for p in explain([DEMO]).pods]


def test_init_containers_get_their_own_bar():
    """Images are pulled per container just before it starts; the init container runs first
    (kubernetes.io/docs/concepts/workloads/pods/init-containers/; kuberuntime_manager.go SyncPod)."""
    text = """apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  initContainers: [{name: migrate, image: "m:1"}]
  containers: [{name: app, image: "a:1"}]
"""
    lanes = html_lanes.build(explain([], text=text))
    assert [b.state for b in lanes.pod_rows[0].bars] == ["scheduled", "pull", "init", "pull", "ready"]


def test_delete_shows_prestop_sigterm_and_the_sigkill_deadline():
    """grace 40 s, preStop sleep 10 s (fixtures/demo/web.yaml): preStop 0-10 s, SIGTERM at
    10 s, the app is gone at 11 s and SIGKILL would come at 40 s
    (pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer)."""
    html = explain_html("--scenario", "delete", DEMO)
    lanes = html_lanes.build(explain([DEMO], "delete"))
    for row in lanes.pod_rows:
        assert [(b.state, b.start, b.end) for b in row.bars] == [("prestop", 0, 10), ("sigterm", 10, 11)]
        assert [(m.t, m.kind) for m in row.marks if m.kind in ("deadline", "sigkill")] == [(40, "deadline")]
    page = parse(html)
    deadlines = [a for name, a in page.tags if name == "use" and a.get("href") == "#mk-deadline" and a.get("class") == "m"]
    assert len(deadlines) == 3 and {x_of(a) for a in deadlines} == {round(100 * 40 / lanes.end, 2)}
    assert "Termination of each pod" in page.text


def test_rollout_chart_has_a_column_per_step_and_old_pods_are_deleted():
    html = explain_html("--scenario", "rollout", DEMO)
    timeline = explain([DEMO], "rollout")
    steps = timeline.rollouts[0].steps
    page = parse(html)
    bars = [a.get("class") for name, a in page.tags if name == "rect" and "x" in a]     # the key has no x
    assert bars.count("c-old") == len(steps) == bars.count("c-new")
    lanes = html_lanes.build(timeline)
    # maxSurge 1, maxUnavailable 0: one old pod is deleted (its preStop starts) at 3, 6 and 9 s,
    # each when a new pod has become available (deployment controller rolling.go reconcileOldReplicaSets)
    old = [r for r in lanes.pod_rows if any(b.state == "prestop" for b in r.bars)]
    assert sorted(next(b.start for b in r.bars if b.state == "prestop") for r in old) == [3, 6, 9]
    new = [r for r in lanes.pod_rows if r not in old]
    assert sorted(next(b.start for b in r.bars if b.state == "ready") for r in new) == [3, 6, 9]


@pytest.mark.parametrize("name, args, rows, nodes", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_every_scenario_renders(name, args, rows, nodes):
    page = parse(explain_html(*args))
    assert page.count("div", class_="pod") == rows
    assert page.count("g", class_="node") == 2 * nodes
    assert page.data()["expect"] == {"podRows": rows, "graphNodes": nodes}


def test_cron_runs_are_rows_of_their_cronjob():
    page = parse(explain_html(*SCENARIOS[-1][1]))
    assert page.count("div", class_="job") == 3          # */30 in a 2 h window, each run 2403 s: 3 Jobs
    assert "CronJob runs" in page.text


def test_problems_come_first_with_file_and_line():
    path = ROOT / "fixtures" / "explain" / "crashloop.yaml"
    page = parse(explain_html("--fail", "web", str(path)))
    assert sections(page)[0] == "problems" and "Problems (2)" in page.text
    assert re.search(r"fixtures/explain/crashloop\.yaml:\d+ 2 pods web-", page.text)


def test_output_file(tmp_path):
    target = tmp_path / "walkthrough.html"
    assert run("explain", "--format", "html", "-o", str(target), DEMO) == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = run("explain", "--format", "html", "-o", str(tmp_path / "no" / "x.html"), DEMO, expect=2)
    assert "x.html" in result


def test_fifty_pods_stay_under_one_megabyte(tmp_path):
    html = explain_html(str(fifty_pods(tmp_path)))
    assert len(html.encode()) < 1_000_000
    assert parse(html).count("div", class_="pod") == 50


def test_texts_come_from_the_table_of_the_language(monkeypatch):
    """A language is one more table: with every entry replaced, no English text of the page
    is left (so a translation is complete once the table is), and missing keys fall back."""
    fields = re.compile(r"{(\w+)}")
    marked = {key: f"[{key}]" + "".join(f" {{{f}}}" for f in fields.findall(value))
              for key, value in html_text.EN.items()}
    monkeypatch.setitem(html_text.TEXT, "xx", marked)
    for args in ([DEMO], [DEMO, "delete"], [DEMO, "rollout"]):
        html = render_html(explain([args[0]], *args[1:]), lang="xx")
        page = parse(html)
        assert '<html lang="xx">' in html and "[timeline.head]" in page.text
        for key, value in html_text.EN.items():
            if len(value) > 12 and not key.startswith("js."):
                assert fields.sub("", value).strip() not in page.text, key
        assert page.data()["text"]["reason"] == "[js.reason]"
    monkeypatch.setitem(html_text.TEXT, "yy", {"graph.head": "YY"})
    assert html_text.texts("yy")["graph.head"] == "YY" and html_text.texts("yy")["timeline.head"] == "Timeline"
    assert html_text.texts("zz") is html_text.EN


def test_no_browser_means_none_not_an_install(monkeypatch):
    """The browser tests skip when find_browser() finds nothing; it only looks."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import headless

    monkeypatch.setenv("K8SLINT_CHROMIUM", str(ROOT / "no-such-chromium"))
    assert headless.find_browser() is None
    monkeypatch.delenv("K8SLINT_CHROMIUM")
    monkeypatch.setenv("PATH", str(ROOT / "no-such-folder"))
    assert headless.find_browser() is None
