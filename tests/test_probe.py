"""Probe rules beyond their examples: odd input, sidecars, Services, defaults."""

from __future__ import annotations

from pathlib import Path

from k8slint.api import check
from k8slint.config import Config
from tests.conftest import CORPUS, ROOT, pod, service

PROBE_RULES = ["probe-invalid", "init-container-probe", "probe-named-port-missing",
               "probe-port-not-exposed", "probe-readiness-missing", "probe-liveness-missing",
               "probe-liveness-identical", "probe-liveness-aggressive",
               "probe-timeout-exceeds-period", "probe-liveness-before-ready"]
LIFECYCLE_RULES = ["lifecycle-hook-invalid", "prestop-exceeds-grace", "grace-period-zero",
                   "prestop-missing", "grace-period-tight", "pod-active-deadline",
                   "poststart-blocks"]


ODD = """
apiVersion: v1
kind: Pod
metadata: {name: odd, labels: {app: odd}}
spec:
  terminationGracePeriodSeconds: "30"
  activeDeadlineSeconds: true
  initContainers: "nope"
  containers:
    - "not a container"
    - name: a
      ports: "8080"
      readinessProbe: "GET /"
      livenessProbe: [1, 2]
      startupProbe: ~
      lifecycle: {preStop: "sleep 5", postStart: {exec: {command: "sleep 5"}}}
    - name: b
      ports: [7, {containerPort: "x"}, {name: 5}]
      readinessProbe: {httpGet: "x", periodSeconds: "5", timeoutSeconds: true}
      livenessProbe: {tcpSocket: {port: [1]}, failureThreshold: 1.5}
      lifecycle: {preStop: {sleep: {seconds: "10"}}, postStart: {exec: {command: [1, null]}}}
    - name: c
      readinessProbe: {grpc: {port: 70000}, exec: null}
      livenessProbe: {exec: {command: [check]}, periodSeconds: 0, timeoutSeconds: 0}
---
apiVersion: v1
kind: Service
metadata: {name: odd}
spec: {selector: {app: odd}, ports: [{port: 80}]}
"""


def test_odd_input_never_crashes(lint):
    found = lint(ODD, *PROBE_RULES + LIFECYCLE_RULES)
    assert not [f for f in found if "internal error" in f.message], found
    # The one real problem in there: gRPC port 70000.
    assert [f.rule for f in found if str(f.severity) == "error"] == ["probe-invalid"]


def test_readiness_on_a_sidecar_gates_the_pod_but_a_plain_init_container_does_not(lint):
    text = pod("""
  initContainers:
    - name: proxy
      image: proxy:1
      restartPolicy: Always
      readinessProbe: {tcpSocket: {port: 15001}}
  containers: [{name: web, image: web:1}]
""", labels="app: web") + "---\n" + service()
    assert lint(text, "probe-readiness-missing") == []
    plain = text.replace("      restartPolicy: Always\n      readinessProbe: {tcpSocket: {port: 15001}}\n", "")
    assert [f.path for f in lint(plain, "probe-readiness-missing")] == ["spec.containers[0].name"]


def test_publish_not_ready_service_does_not_need_readiness(lint):
    text = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: db:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, publishNotReadyAddresses: true, selector: {app: db}, ports: [{port: 5432}]}
"""
    assert lint(text, "probe-readiness-missing") == []


def test_identical_resolves_named_ports_and_ignores_headers(lint):
    text = pod("""
  containers:
    - name: web
      image: web:1
      ports: [{name: http, containerPort: 8080}]
      readinessProbe:
        httpGet: {path: /healthz, port: http, httpHeaders: [{name: X-Probe, value: ready}]}
      livenessProbe:
        httpGet: {path: /healthz, port: 8080, httpHeaders: [{name: X-Probe, value: live}]}
""")
    found = lint(text, *PROBE_RULES)
    assert [f.rule for f in found] == ["probe-liveness-identical"]


def test_named_port_of_another_container_is_still_missing(lint):
    # The kubelet resolves a probe's port name among the ports of the same container only.
    text = pod("""
  containers:
    - {name: web, image: web:1, readinessProbe: {httpGet: {path: /, port: metrics}}}
    - {name: exporter, image: exporter:1, ports: [{name: metrics, containerPort: 9100}]}
""")
    found = lint(text, "probe-named-port-missing")
    assert len(found) == 1 and "it names no ports" in found[0].message
    assert str(found[0].severity) == "error" and "API server rejects" not in found[0].message


def test_jobs_get_no_probe_expectations(lint):
    text = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: report:1}]
---
""" + service("report")
    assert lint(text, *PROBE_RULES) == []


def test_demo_app_is_clean():
    found = check([str(ROOT / "fixtures" / "demo")], Config(only=PROBE_RULES + LIFECYCLE_RULES)).findings
    assert found == []


def test_broken_fixtures_show_every_rule():
    paths = [str(ROOT / "fixtures" / "broken" / name) for name in ("probe.yaml", "lifecycle.yaml")]
    found = check(paths, Config(only=PROBE_RULES + LIFECYCLE_RULES)).findings
    assert not [f for f in found if "internal error" in f.message]
    shown = {f.rule for f in found}
    assert shown == set(PROBE_RULES + LIFECYCLE_RULES), shown


def test_no_probe_errors_on_real_manifests():
    for bundle in sorted(Path(CORPUS / "real").iterdir()):
        if bundle.is_dir():
            result = check([str(bundle)], Config(only=PROBE_RULES))
            assert [f for f in result.findings if str(f.severity) == "error"] == [], bundle.name
