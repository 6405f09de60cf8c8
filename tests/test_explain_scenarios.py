"""`k8slint explain`: scheduling, problems, scale, Recreate, StatefulSet partition, CronJob."""

from __future__ import annotations

from k8slint.simulate import explain
from k8slint.simulate.naming import ALPHANUMS, pod_template_hash, safe_encode


def deployment(name: str, replicas: int = 1, spec: str = "", template: str = "", container: str = "") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
{spec}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
{template}
      containers:
        - name: {name}
          image: registry.example.com/{name}:1.0.0
{container}
"""


def run(text: str, **kwargs) -> dict:
    return explain(None, text=text, **kwargs).as_dict()


def test_hash_alphabet_and_shape():
    assert safe_encode("0123456789") == "456789bcdf"
    value = pod_template_hash({"spec": {"containers": [{"name": "a"}]}})
    assert 1 <= len(value) <= 10 and set(value) <= set("456789bcdf")
    assert set("bcdfghjklmnpqrstvwxz2456789") == set(ALPHANUMS)


def test_pending_when_nothing_fits():
    data = run(deployment("big", 2, container="          resources: {requests: {cpu: '3'}}"), nodes=1)
    pods = data["pods"]
    assert [p["node"] for p in pods] == ["node-1", None]
    # pkg/scheduler/framework/types.go FitError.Error: the filter histogram, then the
    # PostFilter (preemption) message; with equal priorities no victim can be found.
    assert pods[1]["pending_reason"] == ("0/1 nodes are available: 1 Insufficient cpu. preemption: "
                                         "0/1 nodes are available: 1 No preemption victims found for "
                                         "incoming pod..")
    assert any("stays Pending" in p["message"] for p in data["problems"])


def test_node_selector_taints_and_anti_affinity():
    text = deployment("spread", 4, template="""      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: spread}}""")
    pods = run(text)["pods"]
    assert sorted(p["node"] or "-" for p in pods) == ["-", "node-1", "node-2", "node-3"]
    assert "anti-affinity" in next(p["pending_reason"] for p in pods if p["node"] is None)
    selected = run(deployment("ssd", 1, template="      nodeSelector: {disktype: ssd}"))
    assert "node affinity/selector" in selected["pods"][0]["pending_reason"]


def test_named_probe_port_missing_never_ready():
    container = """          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: web}}"""
    service = """
---
apiVersion: v1
kind: Service
metadata: {name: app}
spec:
  selector: {app: app}
  ports: [{port: 80, targetPort: http}]
"""
    data = run(deployment("app", 1, container=container) + service)
    assert data["pods"][0]["ready_at"] is None
    messages = " ".join(p["message"] for p in data["problems"])
    assert "couldn't find port" in messages
    assert "ends with no endpoints" in messages


def test_readiness_port_not_exposed():
    container = """          ports: [{containerPort: 8080}]
          readinessProbe: {tcpSocket: {port: 9000}}"""
    data = run(deployment("app", 1, container=container))
    assert data["pods"][0]["ready_at"] is None
    assert any("9000" in p["message"] for p in data["problems"])


def test_env_links_off_keeps_kubernetes_service_and_post_start_blocks():
    text = deployment("app", 1, template="      enableServiceLinks: false", container="""          lifecycle:
            postStart: {exec: {command: [sh, -c, sleep 4]}}
        - name: second
          image: registry.example.com/second:1.0.0""") + """
---
apiVersion: v1
kind: Service
metadata: {name: other}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
"""
    pod = run(text)["pods"][0]
    assert set(pod["env"]) == {"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
                               "KUBERNETES_SERVICE_PORT_HTTPS", "KUBERNETES_PORT",
                               "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_PROTO",
                               "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_ADDR"}
    # app starts at 3 s, its postStart sleeps 4 s, then `second` is pulled (2 s) and starts at 9 s
    assert pod["started_at"] == {"app": 3, "second": 9}
    assert pod["ready_at"] == 9


def test_scale_down_and_up():
    down = run(deployment("web", 3), scenario="scale", replicas=1)
    [entry] = down["scale"]
    assert (entry["from"], entry["to"], len(entry["removed"]), entry["added"]) == (3, 1, 2, [])
    assert len(down["terminations"]) == 2
    up = run(deployment("web", 1), scenario="scale", replicas=4)
    assert len(up["scale"][0]["added"]) == 3


def test_recreate_rollout():
    data = run(deployment("web", 4, spec="  strategy: {type: Recreate}"), scenario="rollout")
    [roll] = data["rollouts"]
    assert roll["strategy"] == "Recreate"
    assert [(s["old"], s["new"], s["available"]) for s in roll["steps"]] == [
        (4, 0, 4), (0, 0, 0), (0, 4, 0), (0, 4, 4)]


def test_statefulset_rollout_partition_and_scale_down_order():
    text = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kv}
spec:
  replicas: 4
  serviceName: kv
  updateStrategy: {rollingUpdate: {partition: 2}}
  selector: {matchLabels: {app: kv}}
  template:
    metadata: {labels: {app: kv}}
    spec:
      containers: [{name: kv, image: "kv:1.0"}]
"""
    data = run(text, scenario="rollout")
    deleted = [e["object"]["name"] for e in data["events"]
               if e["action"] == "delete" and e["actor"] == "statefulset-controller"]
    assert deleted == ["kv-3", "kv-2"]
    scaled = run(text, scenario="scale", replicas=1)
    assert scaled["scale"][0]["removed"] == ["kv-3", "kv-2", "kv-1"]


def test_cronjob_next_runs_and_job_name():
    text = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "30 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: b, image: "b:1.0"}]
"""
    data = run(text)
    # the simulated apply is 2026-01-01T00:00Z; 02:30Z is 9000 s later, minute 29453910
    [job] = [e for e in data["events"] if e["action"] == "create-job"]
    assert (job["t"], job["object"]["name"]) == (9000, "backup-29453910")
    assert data["pods"][0]["owner"] == {"kind": "Job", "name": "backup-29453910"}
