"""`k8slint explain`: acceptance cases of issue 7 with hand-computed expectations.

Default timing (listed in the assumptions): bound at creation, sandbox 1 s, image pull 2 s,
so a container starts 3 s after its pod is created; readiness at initialDelaySeconds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from k8slint.simulate import explain
from k8slint.simulate.rollout import fenceposts
from tests.conftest import ROOT

FIX = ROOT / "fixtures" / "explain"


def run(name: str, **kwargs):
    return explain([str(FIX / name)], **kwargs).as_dict()


KUBERNETES_ENV = {
    "KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443",
    "KUBERNETES_SERVICE_PORT_HTTPS": "443", "KUBERNETES_PORT": "tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP": "tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO": "tcp",
    "KUBERNETES_PORT_443_TCP_PORT": "443", "KUBERNETES_PORT_443_TCP_ADDR": "10.96.0.1",
}


def test_deployment_behind_service():
    data = run("deployment-service.yaml")
    pods = data["pods"]
    assert len(pods) == 3
    rs = pods[0]["owner"]["name"]
    assert re.fullmatch(r"web-[4-9bcdf]{1,10}", rs)
    for pod in pods:
        assert pod["owner"] == {"kind": "ReplicaSet", "name": rs}
        assert re.fullmatch(re.escape(rs) + r"-[bcdfghjklmnpqrstvwxz2456789]{5}", pod["name"])
        assert pod["labels"]["pod-template-hash"] == rs[len("web-"):]
        assert (pod["created_at"], pod["started_at"]["web"], pod["ready_at"]) == (0, 3, 8)
    assert sorted(p["node"] for p in pods) == ["node-1", "node-2", "node-3"]
    [svc] = data["services"]
    assert svc["cluster_ip"] == "10.96.0.11"
    assert svc["dns"] == ["web-api.default.svc.cluster.local",
                          "_http._tcp.web-api.default.svc.cluster.local",
                          "_metrics-port._tcp.web-api.default.svc.cluster.local"]
    assert sorted(svc["endpoints"]) == sorted(p["name"] for p in pods)
    ip = "10.96.0.11"
    expected = {
        **KUBERNETES_ENV,
        "WEB_API_SERVICE_HOST": ip, "WEB_API_SERVICE_PORT": "80",
        "WEB_API_SERVICE_PORT_HTTP": "80", "WEB_API_SERVICE_PORT_METRICS_PORT": "9090",
        "WEB_API_PORT": f"tcp://{ip}:80",
        "WEB_API_PORT_80_TCP": f"tcp://{ip}:80", "WEB_API_PORT_80_TCP_PROTO": "tcp",
        "WEB_API_PORT_80_TCP_PORT": "80", "WEB_API_PORT_80_TCP_ADDR": ip,
        "WEB_API_PORT_9090_TCP": f"tcp://{ip}:9090", "WEB_API_PORT_9090_TCP_PROTO": "tcp",
        "WEB_API_PORT_9090_TCP_PORT": "9090", "WEB_API_PORT_9090_TCP_ADDR": ip,
    }
    for pod in pods:
        assert pod["env"] == expected
    assert data["problems"] == []
    # endpoints join when each pod is Ready, kube-proxy 1 s later
    joins = [e for e in data["events"] if e["action"] == "endpoint-ready"]
    assert [e["t"] for e in joins] == [8, 8, 8]
    assert [e["t"] for e in data["events"]] == sorted(e["t"] for e in data["events"])


def test_statefulset_ordered_ready_and_per_pod_dns():
    data = run("statefulset-headless.yaml")
    pods = data["pods"]
    assert [p["name"] for p in pods] == ["db-0", "db-1", "db-2"]
    assert [(p["created_at"], p["ready_at"]) for p in pods] == [(0, 13), (13, 26), (26, 39)]
    assert [p["dns"] for p in pods] == [[f"db-{i}.db.default.svc.cluster.local"] for i in range(3)]
    [svc] = data["services"]
    assert svc["cluster_ip"] is None and svc["env"] == {}
    assert svc["endpoints"] == ["db-0", "db-1", "db-2"]
    assert "db-2.db.default.svc.cluster.local" in svc["dns"]
    pvcs = [e["object"]["name"] for e in data["events"] if e["action"] == "create-pvc"]
    assert pvcs == ["data-db-0", "data-db-1", "data-db-2"]
    # a headless Service gives no variables: only the kubernetes Service's
    assert pods[0]["env"] == KUBERNETES_ENV


def test_delete_prestop_shorter_and_longer_than_grace():
    data = run("termination.yaml", scenario="delete")
    by_owner = {t["pod"].split("-")[0]: t for t in data["terminations"]}
    quick, slow = by_owner["quick"], by_owner["slow"]
    assert (quick["endpoint_removed_at"], quick["prestop_started_at"], quick["sigterm_at"],
            quick["sigkill_at"]) == (0, 0, 10, 45)
    assert (slow["endpoint_removed_at"], slow["prestop_started_at"], slow["sigterm_at"],
            slow["sigkill_at"]) == (0, 0, 30, 32)
    assert slow["prestop_cut"] is True and "only 2 s" in slow["note"]


def test_rollout_ten_replicas_default_budget():
    assert fenceposts(None, None, 10) == (3, 2)
    assert fenceposts("25%", "25%", 3) == (1, 0)
    assert fenceposts(0, 0, 5) == (0, 1)
    data = run("rollout.yaml", scenario="rollout")
    [roll] = data["rollouts"]
    assert (roll["replicas"], roll["max_surge"], roll["max_unavailable"]) == (10, 3, 2)
    steps = roll["steps"]
    assert max(s["old"] + s["new"] for s in steps) == 13
    assert min(s["available"] for s in steps) == 8
    assert (steps[-1]["old"], steps[-1]["new"], steps[-1]["available"]) == (0, 10, 10)
    assert [(s["old"], s["new"], s["available"]) for s in steps] == [
        (10, 0, 10), (10, 3, 10), (8, 3, 8), (8, 5, 8), (8, 5, 13), (3, 5, 8), (3, 10, 8),
        (3, 10, 13), (0, 10, 10)]


def test_job_completions_and_parallelism():
    data = run("job.yaml")
    pods = data["pods"]
    assert len(pods) == 5
    assert all(p["finished_at"] is not None for p in pods)
    moments = sorted({p["created_at"] for p in pods} | {p["finished_at"] for p in pods})
    for t in moments:
        running = [p for p in pods if p["created_at"] <= t < p["finished_at"]]
        assert len(running) <= 2
    assert any(e["action"] == "complete" and "5/5" in e["message"] for e in data["events"])


def test_service_selecting_nothing():
    data = run("service-selects-nothing.yaml")
    [svc] = data["services"]
    assert svc["endpoints"] == []
    [problem] = [p for p in data["problems"] if p["object"] == "Service/web"]
    assert "matches no pod" in problem["message"] and "app=wbe" in problem["message"]


def test_json_is_byte_identical_across_runs():
    args = [sys.executable, "-m", "k8slint", "explain", "--format", "json", str(FIX / "deployment-service.yaml"),
            str(FIX / "job.yaml")]
    first = subprocess.run(args, capture_output=True, check=True).stdout
    second = subprocess.run(args, capture_output=True, check=True).stdout
    assert first == second
    data = json.loads(first)
    for key in ("scenario", "assumptions", "events", "pods", "services", "terminations", "rollouts", "problems"):
        assert key in data


@pytest.mark.parametrize("fmt", ["human", "markdown", "mermaid", "json"])
def test_formats_render_demo(fmt):
    from k8slint.cli_explain import render

    timeline = explain([str(ROOT / "fixtures" / "demo" / "web.yaml")])
    text = render(fmt, timeline)
    assert "web" in text
    if fmt == "mermaid":
        assert text.startswith("flowchart LR") and "-->|routes to|" in text
