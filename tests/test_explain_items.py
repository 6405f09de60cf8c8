"""`k8slint explain`: the twelve corrections of issue 17, each worked out by hand from the
controller's source (file and function cited per test).

Simulator timing used in the hand computations (listed in the explain assumptions): a pod
is bound when created, its sandbox takes 1 s, an image pull 2 s (IfNotPresent reuses an
image already on the node), so a container starts 3 s after its pod is created on a fresh
node; readiness at initialDelaySeconds after the start; an app exits 1 s after SIGTERM.
"""

from __future__ import annotations

from k8slint.simulate import explain
from k8slint.simulate.admission import etcd_key
from tests.conftest import workload
from tests.test_explain_scenarios import deployment


def run(text: str, **kwargs) -> dict:
    return explain(None, text=text, **kwargs).as_dict()


def events(data: dict, action: str, actor: str | None = None) -> list[dict]:
    return [e for e in data["events"] if e["action"] == action and (actor is None or e["actor"] == actor)]


STATEFULSET = "\n" + workload("""
containers:
  - name: db
    image: postgres:16.4
    readinessProbe: {exec: {command: [pg_isready]}, initialDelaySeconds: 5}
""", name="db", kind="StatefulSet", spec="""
serviceName: db
replicas: 3
%s
""")


def test_item1_ordered_scale_down_waits_until_each_pod_is_gone():
    # stateful_set_control.go processCondemned: in monotonic (OrderedReady) mode a
    # terminating condemned pod blocks ("waiting for Pod to Terminate prior to scale down");
    # the next lower ordinal is deleted only once the pod object is gone. No preStop, grace
    # 30: SIGTERM at 0, the app exits 1 s later and the pod is removed at 1 s (assumption);
    # db-2 is deleted at 0, db-1 at 1 s, both gone at 1 s and 2 s.
    data = run(STATEFULSET % "", scenario="scale", replicas=1)
    deletes = [(e["t"], e["object"]["name"]) for e in events(data, "delete", "statefulset-controller")]
    assert deletes == [(0, "db-2"), (1, "db-1")]
    gone = {t["pod"]: t["gone_at"] for t in data["terminations"]}
    assert gone == {"db-2": 1, "db-1": 2}
    assert data["scale"][0]["removed"] == ["db-2", "db-1"]


def test_item1_parallel_scale_down_deletes_at_once():
    # processCondemned returns without blocking when not monotonic (podManagementPolicy Parallel).
    data = run(STATEFULSET % "podManagementPolicy: Parallel", scenario="scale", replicas=1)
    assert [e["t"] for e in events(data, "delete", "statefulset-controller")] == [0, 0]


QUOTA = """
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {pods: "2"}
"""


def test_item2_pod_count_quota_refuses_the_third_replica():
    # plugin/pkg/admission/resourcequota/controller.go checkRequest: used pods 2 + requested 1
    # > hard 2 -> "exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2";
    # the ReplicaSet controller records FailedCreate (replica_set.go manageReplicas) and retries.
    data = run(QUOTA + "---" + deployment("web", 3))
    assert len(data["pods"]) == 2
    failed = events(data, "failed-create", "replicaset-controller")
    assert failed and 'is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, ' \
        'limited: pods=2' in failed[0]["message"]
    assert failed[0]["message"].startswith("FailedCreate: Error creating: pods \"web-")
    assert any("exceeded quota" in p["message"] for p in data["problems"] if p["object"] == "ReplicaSet/"
               + data["pods"][0]["owner"]["name"] or p["object"].startswith("ReplicaSet/"))


def test_item2_cpu_quota_counts_requests():
    # requests.cpu hard 500m; each pod requests 200m: 200m + 200m = 400m fits, a third
    # would make 600m > 500m: refused with the cpu amounts in canonical quantity form.
    quota = QUOTA.replace('{pods: "2"}', '{requests.cpu: 500m}')
    container = "          resources: {requests: {cpu: 200m}, limits: {cpu: 200m}}"
    data = run(quota + "---" + deployment("web", 3, container=container))
    assert len(data["pods"]) == 2
    [first, *_] = events(data, "failed-create")
    assert "exceeded quota: compute, requested: requests.cpu=200m, used: requests.cpu=400m, " \
           "limited: requests.cpu=500m" in first["message"]


def test_item3_liveness_on_undeclared_named_port_never_restarts():
    # pkg/kubelet/prober/worker.go doProbe: a probe that errors (the named port cannot be
    # resolved in prober.go runProbe) keeps its initial result; liveness starts as Success.
    container = """          ports: [{name: http, containerPort: 8080}]
          livenessProbe: {httpGet: {path: /, port: health}}"""
    data = run(deployment("app", 1, container=container))
    pod = data["pods"][0]
    assert pod["ready_at"] == 3 and "restarts" not in pod
    text = " ".join(p["message"] for p in data["problems"])
    assert "never restarted" in text and "CrashLoopBackOff" not in text
    assert not events(data, "restart") and not events(data, "back-off")


SIDECAR = """
apiVersion: v1
kind: Service
metadata: {name: proxy}
spec:
  selector: {app: app}
  ports: [{port: 80, targetPort: envoy}]
---
""" + deployment("app", 1, template="""      initContainers:
        - name: envoy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports: [{name: envoy, containerPort: 15001}]""")


def test_item4_target_port_name_found_on_a_restartable_sidecar():
    # pkg/api/v1/pod/util.go FindPort searches the containers, then init containers with
    # restartPolicy Always. Sidecar pulled at 1 s and started at 3 s, app pulled at 3 s and
    # started at 5 s: Ready at 5 s, endpoint 10.244.1.2:15001.
    data = run(SIDECAR)
    [svc] = data["services"]
    assert svc["endpoints"] == [data["pods"][0]["name"]]
    [added] = events(data, "endpoint-ready")
    assert added["t"] == 5 and "10.244.1.2:15001" in added["message"]
    assert not any("no container port named" in p["message"] for p in data["problems"])


def test_item5_host_network_pod_uses_the_node_ip():
    # kubernetes.io/docs/concepts/workloads/pods/ (hostNetwork: the pod uses the node's
    # network namespace); the endpoint and the headless DNS answer carry the node's IP,
    # node-1's illustrative InternalIP 192.168.0.11.
    service = """
---
apiVersion: v1
kind: Service
metadata: {name: agent}
spec:
  clusterIP: None
  selector: {app: agent}
  ports: [{port: 9100}]
"""
    data = run(deployment("agent", 1, template="      hostNetwork: true") + service)
    assert data["pods"][0]["ip"] == "192.168.0.11"
    [added] = events(data, "endpoint-ready")
    assert "192.168.0.11:9100" in added["message"]
    assert any(e["actor"] == "coredns" and "also returns 192.168.0.11" in e["message"] for e in data["events"])


def test_item6_publish_not_ready_addresses_publishes_at_ip_time():
    # pkg/controller/endpointslice/utils.go podToEndpoint: ready = publishNotReadyAddresses ||
    # (serving && !terminating); the pod needs an IP (sandbox at 1 s), not Ready (3 + 20 s).
    # Headless with a StatefulSet: per-pod DNS db-0.db... at 1 s as well.
    text = """
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: db}
  ports: [{port: 5432}]
---
""" + (STATEFULSET % "").replace("replicas: 3", "replicas: 1").replace("initialDelaySeconds: 5",
                                                                        "initialDelaySeconds: 20")
    data = run(text)
    [added] = events(data, "endpoint-ready")
    assert added["t"] == 1 and data["pods"][0]["ready_at"] == 23
    assert any(e["t"] == 1 and "db-0.db.default.svc.cluster.local" in e["message"] for e in events(data, "dns"))


JOB = """
apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  %s
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: registry.example.com/report:1.0.0
          %s
"""


def test_item7_job_active_deadline_fails_and_terminates_pods():
    # pkg/controller/job/job_controller.go syncJob: pastActiveDeadline -> newFailureCondition
    # (DeadlineExceeded, "Job was active longer than specified deadline"); from 1.31
    # FailureTarget first, active pods deleted (deleteActivePods), Failed once they are gone.
    # The pod would run 3 + 30 s; the deadline is 10 s: at 10 s SIGTERM, gone at 11 s.
    data = run(JOB % ("activeDeadlineSeconds: 10", "command: [sh, -c, 'sleep 30']"))
    deadline = events(data, "deadline")
    assert [e["t"] for e in deadline] == [10, 11]
    assert "FailureTarget=True, reason DeadlineExceeded: Job was active longer than specified deadline" \
        in deadline[0]["message"]
    assert "Failed=True" in deadline[1]["message"]
    assert [e["t"] for e in events(data, "sigterm")] == [10]
    assert not events(data, "succeeded")


def test_item7_before_1_31_failed_at_once():
    # delayTerminalCondition is false before JobManagedBy/JobPodReplacementPolicy (1.31 here):
    # the Failed condition comes at once.
    data = run(JOB % ("activeDeadlineSeconds: 10", "command: [sh, -c, 'sleep 30']"),
               kubernetes_version=(1, 30))
    [only] = events(data, "deadline")
    assert "adds condition Failed=True, reason DeadlineExceeded" in only["message"]


def test_item8_statefulset_min_ready_seconds_waits_for_available():
    # stateful_set_control.go processReplica: "if !isRunningAndAvailable(replicas[i],
    # minReadySeconds) && monotonic" -> wait. db-0: created 0, Ready 3 + 5 = 8, Available 18;
    # db-1 created at 18 (image already on its node? no: node-2, pull again) Ready 26,
    # Available 36; db-2 created at 36.
    data = run(STATEFULSET % "minReadySeconds: 10")
    assert [(p["created_at"], p["ready_at"]) for p in data["pods"]] == [(0, 8), (18, 26), (36, 44)]
    creates = events(data, "create-pod", "statefulset-controller")
    assert "Available (Ready for minReadySeconds 10 s)" in creates[1]["message"]


def test_item8_rollout_waits_for_available_too():
    # updateStatefulSet: the next lower ordinal is deleted once the recreated one is Available.
    # gone 1 s, start-up 8 s (as at apply), minReadySeconds 10: db-2 deleted 0, recreated 1,
    # Available 19; db-1 deleted 19, recreated 20, Available 38; db-0 deleted 38 ...
    data = run(STATEFULSET % "minReadySeconds: 10", scenario="rollout")
    deletes = [e["t"] for e in data["events"] if e["action"] == "delete" and e["actor"] == "statefulset-controller"]
    assert deletes == [0, 19, 38]


def test_item9_etcd_keys_of_crds_and_apiservices_keep_their_group():
    # test/integration/etcd/data.go: the extension and aggregation API servers store under
    # /registry/apiextensions.k8s.io/customresourcedefinitions/<name> and
    # /registry/apiregistration.k8s.io/apiservices/<name>.
    assert etcd_key("CustomResourceDefinition", "apiextensions.k8s.io", None, "widgets.example.com") == \
        "/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com"
    assert etcd_key("APIService", "apiregistration.k8s.io", None, "v1beta1.metrics.k8s.io") == \
        "/registry/apiregistration.k8s.io/apiservices/v1beta1.metrics.k8s.io"
    assert etcd_key("Deployment", "apps", "default", "web") == "/registry/deployments/default/web"


def test_item10_object_before_its_namespace_is_rejected():
    # plugin/pkg/admission/namespace/lifecycle/admission.go Admit: `namespaces "shop" not
    # found` while the Namespace does not exist; it comes later in the file.
    text = """apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
"""
    data = run(text)
    [reject] = events(data, "reject")
    assert 'namespaces "shop" not found' in reject["message"] and "put the Namespace first" in reject["message"]
    [problem] = [p for p in data["problems"] if p["object"] == "ConfigMap/settings"]
    assert problem["line"] == 1
    assert [e["object"]["name"] for e in events(data, "store")] == ["shop"]
    # Namespace first: both are stored.
    swapped = run(text.split("---\n")[1] + "---\n" + text.split("---\n")[0])
    assert not events(swapped, "reject")


def test_item11_pods_without_requests_spread_over_the_nodes():
    # pkg/scheduler/util/pod_resources.go: scoring counts 100m CPU / 200 MB for a pod
    # without requests; podtopologyspread systemDefaultConstraints (hostname maxSkew 3,
    # zone maxSkew 5, ScheduleAnyway) prefer nodes with fewer pods of the same owner.
    # Five replicas on three equal nodes: node-1, node-2, node-3, node-1, node-2.
    data = run(deployment("web", 5))
    assert [p["node"] for p in data["pods"]] == ["node-1", "node-2", "node-3", "node-1", "node-2"]


SERVICE = """
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
DAEMONSET = workload("containers: [{name: agent, image: registry.example.com/agent:1.0.0}]", name="agent", kind="DaemonSet")


def test_item12_cluster_ip_before_store_and_controllers_roles():
    # pkg/registry/core/service/storage/alloc.go allocateCreate runs before the object is
    # written; the deployment controller scales the ReplicaSet (sync.go scale) and the
    # replicaset controller creates the pods (replica_set.go manageReplicas).
    text = deployment("web", 1) + SERVICE
    data = run(text)
    service = [e["action"] for e in data["events"] if e["object"]["kind"] == "Service"
               and e["actor"] in ("kube-apiserver", "etcd")]
    assert service.index("allocate-ip") < service.index("store")
    scaled = run(text, scenario="scale", replicas=3)
    actors = [(e["actor"], e["action"]) for e in scaled["events"]]
    assert ("deployment-controller", "scale") in actors and ("replicaset-controller", "create-pod") in actors
    assert ("replicaset-controller", "scale") not in actors


def test_item12_headless_termination_has_no_kube_proxy_wording():
    # Headless Services get no kube-proxy rules (pkg/proxy skips ClusterIP None); only DNS
    # answers change when an endpoint terminates.
    text = (STATEFULSET % "").replace("replicas: 3", "replicas: 1") + """---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
"""
    data = run(text, scenario="delete")
    terminating = events(data, "endpoint-terminating")
    assert terminating and "no kube-proxy rules" in terminating[0]["message"]
    assert not [e for e in data["events"] if e["actor"] == "kube-proxy"]
