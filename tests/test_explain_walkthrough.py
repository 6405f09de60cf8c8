"""`k8slint explain`: the walk-through a learner reads, and the backing of every statement."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from k8slint.cli import main
from k8slint.simulate import explain
from k8slint.simulate.events import KINDS
from k8slint.simulate.render.walk import replica_label
from tests.conftest import ROOT, workload
from tests.test_explain_drain_cron import BUDGET, CRON, SVC_TYPE
from tests.test_explain_items import DAEMONSET, JOB, STATEFULSET
from tests.test_explain_scenarios import deployment

DEMO = str(ROOT / "fixtures" / "demo" / "web.yaml")


def cli(*args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(main, ["explain", *args], env={"NO_COLOR": "1", "COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_fits_80_columns_and_60_lines():
    text = cli(DEMO)
    lines = text.splitlines()
    assert len(lines) < 60
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("k8slint explain: apply of")
    # summary and problems (here: none, and check agrees) come before the timeline
    assert lines.index("Timeline (seconds after the start)") > \
        next(i for i, line in enumerate(lines) if line.startswith("No problems found; `k8slint check` agrees"))


@pytest.mark.parametrize("columns", [40, 60, 100, 140])
def test_no_line_wider_than_the_terminal(columns):
    for args in ([DEMO], ["--scenario", "delete", DEMO], ["--verbose", DEMO]):
        text = cli(*args, columns=columns)
        assert max(len(line) for line in text.splitlines()) <= columns


def test_verbose_shows_everything():
    short, full = cli(DEMO), cli("--verbose", DEMO)
    data = explain([DEMO]).as_dict()
    assert len(full.splitlines()) > len(short.splitlines())
    flat = " ".join(full.split())
    for event in data["events"]:            # every event's text is in the verbose output
        assert " ".join(event["message"].split()) in flat, event["message"]
    for name, value in data["pods"][0]["container_env"]["web"].items():
        assert f"{name}={value}" in flat


def test_components_introduced_once_in_time_order():
    text = cli(DEMO)
    assert text.count("= in kube-controller-manager; keeps a ReplicaSet per pod template") == 1
    assert text.index("kube-scheduler binds") < text.index("= picks a node for each new pod")
    times = [int(m) for m in re.findall(r"^\s*(\d+)s ", text, re.M)]
    assert times == sorted(times)


def test_identical_replicas_collapsed_unless_verbose():
    text = cli(DEMO)
    assert re.search(r"2 pods web-[4-9bcdf]+-\{\w{5},\w{5}\}", text)
    assert "3 pods web-" in text                   # the containers section
    assert not re.search(r"\d pods web-", cli("--verbose", DEMO))


def test_env_and_dns_per_container_in_human_and_markdown():
    for text in (cli("--verbose", DEMO), cli("--format", "markdown", DEMO)):
        assert "LOG_LEVEL=info" in text and "WEB_SERVICE_HOST=10.96.0.11" in text
        assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in text
        assert "web.shop.svc.cluster.local" in text
    assert "DNS search path: `shop.svc.cluster.local svc.cluster.local cluster.local`" in \
        cli("--format", "markdown", DEMO)


def test_group_by_phase_keeps_the_tables():
    text = cli("--group-by", "phase", DEMO, columns=120)
    for title in ("Admission", "Controllers", "Scheduling", "Containers", "Network"):
        assert f"\n{title}" in text
    assert max(len(line) for line in text.splitlines()) <= 120


def test_problems_name_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(deployment("web", 1, container="          command: [sh, -c, 'exit 1']"))
    text = " ".join(cli(str(path)).split())
    assert re.search(rf"{re.escape(str(path))}:2: Pod/web-\w+-\w+: container web exits", text)
    data = explain([str(path)]).as_dict()
    assert all(p.get("file") == str(path) and p["line"] >= 1 for p in data["problems"])


def test_no_problems_only_when_check_agrees():
    # the Job fixture simulates cleanly, but `check` warns (BestEffort pods)
    text = cli(str(ROOT / "fixtures" / "explain" / "job.yaml"))
    assert "No problems found" not in text
    assert "The simulation shows no problem, but `k8slint check` reports 0 error(s) and 1 warning(s)" in \
        " ".join(text.split())
    assert "resource-best-effort" in text


def test_replica_label():
    assert replica_label(["web-5d-abcde", "web-5d-fghjk"]) == "2 pods web-5d-{abcde,fghjk}"
    assert replica_label(["db-0", "db-1", "db-2"]) == "3 pods db-{0,1,2}"
    assert replica_label(["one"]) == "one"


def test_json_only_adds_keys():
    # The README's contract (every key that existed before issue 17) is still there.
    data = json.loads(cli("--format", "json", DEMO))
    assert {"scenario", "assumptions", "events", "pods", "services", "terminations", "rollouts",
            "problems", "objects", "scale"} <= data.keys()
    assert {"t", "actor", "action", "object", "message", "phase"} <= data["events"][0].keys()
    assert {"name", "namespace", "owner", "node", "ip", "created_at", "ready_at", "finished_at",
            "pending_reason", "env", "container_env", "containers", "started_at", "dns",
            "labels"} <= data["pods"][0].keys()
    assert {"name", "namespace", "type", "cluster_ip", "ports", "dns", "endpoints", "env"} <= \
        data["services"][0].keys()
    assert {"reason", "source"} <= data["events"][0].keys() and "check" in data


QUOTA = """apiVersion: v1
kind: ResourceQuota
metadata: {name: few}
spec: {hard: {pods: "1"}}
---
"""
LOCKED = """\
apiVersion: v1
kind: Namespace
metadata: {name: locked, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
""" + workload("containers: [{name: web, image: registry.example.com/web:1.0.0}]", namespace="locked")
# Inputs that between them produce every kind of event the simulator knows.
CORPUS = [
    ([DEMO], {}), ([DEMO], {"scenario": "delete"}), ([DEMO], {"scenario": "rollout"}),
    ([DEMO], {"scenario": "scale", "replicas": 5}), ([DEMO], {"scenario": "drain", "node": "node-1"}),
    ([str(ROOT / "fixtures" / "explain" / "statefulset-headless.yaml")], {"scenario": "scale", "replicas": 1}),
    ([str(ROOT / "fixtures" / "explain" / "job.yaml")], {}),
]
TEXT_CORPUS = [
    (deployment("web", 3) + BUDGET % "maxUnavailable: 1", {"scenario": "drain", "node": "node-1", "nodes": 2}),
    (CRON % "concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 600", {"scenario": "cron"}),
    ((CRON % "successfulJobsHistoryLimit: 1\n  concurrencyPolicy: Replace").replace("sleep 2400", "sleep 2000"),
     {"scenario": "cron"}),
    (JOB % ("backoffLimit: 1\n  ttlSecondsAfterFinished: 5", ""), {"fail": ["report"]}),
    (JOB % ("activeDeadlineSeconds: 5", ""), {}),
    (deployment("web", 1) + SVC_TYPE % ("LoadBalancer", "sessionAffinity: ClientIP"), {"fail": ["web"]}),
    (deployment("web", 1, container="          livenessProbe: {tcpSocket: {port: 80}}"), {"slow_start": 60}),
    (STATEFULSET % "", {"scenario": "rollout"}),
    ((STATEFULSET % "updateStrategy: {rollingUpdate: {partition: 2}}"), {"scenario": "rollout"}),
    ((STATEFULSET % "updateStrategy: {type: OnDelete}"), {"scenario": "rollout"}),
    (DAEMONSET, {}), (DAEMONSET, {"scenario": "rollout"}), (DAEMONSET, {"scenario": "drain", "node": "node-1"}),
    (DAEMONSET.replace("  template:", "  updateStrategy: {type: OnDelete}\n  template:"), {"scenario": "rollout"}),
    (DAEMONSET.replace("spec:\n      containers", "spec:\n      nodeSelector: {disk: ssd}\n      containers"), {}),
    (QUOTA + deployment("web", 3) + "---\n" + DAEMONSET + "---\n" + JOB % ("parallelism: 3\n  completions: 3", "")
     + "---\n" + (STATEFULSET % "podManagementPolicy: Parallel"), {}),
    (deployment("web", 2), {"scenario": "scale", "replicas": 1}),
    (deployment("big", 1, container="          resources: {requests: {cpu: '64'}}"), {"scenario": "delete"}),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: late}\n---\napiVersion: v1\n"
     "kind: Namespace\nmetadata: {name: late}\n", {}),
    ((CRON % "suspend: true"), {}), ((CRON % "suspend: true"), {"scenario": "cron"}),
    (JOB % ("suspend: true", ""), {}),
    (JOB % ("podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [3]}}]}", ""),
     {"fail": ["report=3"]}),
    (LOCKED, {}),
]


def _all_events() -> list[dict]:
    out = []
    for paths, kwargs in CORPUS:
        out += explain(paths, **kwargs).as_dict()["events"]
    for text, kwargs in TEXT_CORPUS:
        out += explain(None, text=text, **kwargs).as_dict()["events"]
    return out


def test_every_event_is_backed_by_a_documented_function_that_cites_its_source():
    seen = {(e["actor"], e["action"]) for e in _all_events()}
    unknown = seen - KINDS.keys()
    assert not unknown, f"events without a source in k8slint/simulate/events.py: {sorted(unknown)}"
    for (actor, action), kind in KINDS.items():
        assert re.search(r"\.go\b|kubernetes\.io/docs", kind.source), (actor, action)
        module_name, _, qualname = kind.simulated_by.partition(":")
        module = importlib.import_module(f"k8slint.{module_name}")
        target = module
        for part in qualname.split("."):
            target = getattr(target, part)
        text = (target.__doc__ or "") + (module.__doc__ or "")
        assert re.search(r"\.go\b|kubernetes\.io/docs|k8slint/k8s/", text), kind.simulated_by


def test_most_event_kinds_are_exercised():
    seen = {(e["actor"], e["action"]) for e in _all_events()}
    assert len(seen) >= 0.9 * len(KINDS), sorted(KINDS.keys() - seen)


def test_cli_errors_are_clean():
    for args in (["--scenario", "drain", DEMO], ["--scenario", "drain", "--node", "nope", DEMO],
                 ["--fail", "web=x", DEMO], ["--fail", "nope", DEMO],
                 ["--scenario", "cron", "--window", "soon", DEMO]):
        result = subprocess.run([sys.executable, "-m", "k8slint", "explain", *args], capture_output=True, text=True)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
