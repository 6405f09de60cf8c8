"""Availability rules (issue #18) beyond their examples: the budget arithmetic shared with
`explain`, the stateful-image table, and the cases the examples do not show. Expectations
are worked out by hand from the sources cited."""

from __future__ import annotations

import pytest
import yaml

from k8slint.api import check, check_text
from k8slint.config import Config
from k8slint.k8s import pdb
from k8slint.k8s.stateful_images import IMAGES, covers, find_image, postgres_dirs, redis_persistence_in_config
from k8slint.model import Severity
from k8slint.rules import builtin_rules
from tests.conftest import CORPUS, ROOT
from tests.test_controller import ODD_VALUES, _paths, _set
from tests.test_explain_drain_cron import BUDGET
from tests.test_explain_items import run
from tests.test_explain_scenarios import deployment


def findings(text: str, rule: str, **config: object) -> list:
    return [f for f in check_text(text, Config(only=[rule], **config)).findings if f.rule == rule]  # type: ignore[arg-type]


# --- the budget arithmetic: one module for check and explain ---------------------------------
@pytest.mark.parametrize("field, blocked", [
    # 3 replicas on 2 nodes, node-1 holds 2 of them; the drain must evict both.
    # getExpectedPodCount/updatePdbStatus: minAvailable 3 -> allowed 0; 90% of 3 rounds up to
    # 3 -> 0; 60% -> 2 -> 1; maxUnavailable 0 -> 0; neither field -> expected 0 -> 0.
    ("minAvailable: 3", True), ("minAvailable: 90%", True), ("minAvailable: 100%", True),
    ("maxUnavailable: 0", True), ("maxUnavailable: 0%", True), ("{}", True),
    ("minAvailable: 2", False), ("minAvailable: 60%", False), ("maxUnavailable: 1", False),
    ("maxUnavailable: 10%", False),
])
def test_check_and_explain_drain_agree(field, blocked):
    spec = field if field != "{}" else "unhealthyPodEvictionPolicy: IfHealthyBudget"
    manifest = deployment("web", 3) + BUDGET % spec
    found = findings(manifest, "pdb-blocks-eviction")
    drained = run(manifest, scenario="drain", node="node-1", nodes=2)
    never = any("the drain never finishes" in p["message"] for p in drained["problems"])
    assert bool(found) == blocked == never, (found, drained["problems"])


def test_spec_errors_follow_validate_pod_disruption_budget_spec():
    # pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: both set; each value an
    # int >= 0 or "N%" (ValidatePositiveIntOrPercent) of at most 100% (IsNotMoreThan100Percent).
    assert pdb.spec_errors({"minAvailable": 1, "maxUnavailable": 1}) == [
        (None, "minAvailable and maxUnavailable cannot be both set")]
    assert pdb.spec_errors({"minAvailable": "101%"}) == [("minAvailable", "must not be greater than 100%")]
    assert pdb.spec_errors({"maxUnavailable": -1}) == [("maxUnavailable", "must be greater than or equal to 0")]
    assert pdb.spec_errors({"maxUnavailable": "1.5%"})[0][0] == "maxUnavailable"
    assert pdb.spec_errors({"minAvailable": 0, "selector": {}}) == []
    assert pdb.spec_errors({"minAvailable": "100%"}) == []


def test_allowed_when_ready():
    assert pdb.allowed_when_ready({"maxUnavailable": "25%"}, 3) == 1     # 25% of 3 rounds up
    assert pdb.allowed_when_ready({"minAvailable": "50%"}, 3) == 1       # 2 of 3 must stay
    assert pdb.allowed_when_ready({}, 3) == 0
    assert pdb.allowed_when_ready({"maxUnavailable": "x"}, 3) is None


def test_an_hpa_between_floor_and_ceiling_is_judged_at_its_floor():
    hpa = """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: %d
  maxReplicas: 10
"""
    manifest = deployment("web", 3).replace("  replicas: 3\n", "") + BUDGET % "minAvailable: 2"
    [at_floor] = findings(manifest + hpa % 2, "pdb-blocks-eviction")
    assert "of the 2 pods that HorizontalPodAutoscaler web keeps at minReplicas" in at_floor.message
    assert not findings(manifest + hpa % 3, "pdb-blocks-eviction")


# --- several budgets -------------------------------------------------------------------------
STATEFULSET = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: zk}
spec:
  replicas: 3
  serviceName: zk
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec:
      containers: [{name: zk, image: registry.example.com/zk:3.9}]
"""


def test_budgets_on_single_statefulset_pods_are_not_judged():
    # A selector on statefulset.kubernetes.io/pod-name picks one pod: zk-0 and zk-1 budgets
    # do not share a pod, which workload-level matching cannot tell.
    per_pod = "".join(f"""
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: zk-{i}}}
spec:
  maxUnavailable: 0
  selector: {{matchLabels: {{statefulset.kubernetes.io/pod-name: zk-{i}}}}}
""" for i in range(2))
    assert not findings(STATEFULSET + per_pod, "pdb-multiple-budgets")


def test_budgets_in_another_namespace_do_not_overlap():
    other = BUDGET.replace("app: web", "app: zk") + "---\n" + BUDGET.replace("app: web", "app: zk").replace(
        "metadata: {name: web}", "metadata: {name: zk, namespace: other}")
    assert not findings(STATEFULSET + other.replace("%s", "maxUnavailable: 1"), "pdb-multiple-budgets")
    same = STATEFULSET + (BUDGET + BUDGET.replace("name: web", "name: web2")).replace(
        "app: web", "app: zk") % ("maxUnavailable: 1", "maxUnavailable: 1")
    [hit] = findings(same, "pdb-multiple-budgets")
    assert "web2 and PodDisruptionBudget web both select the pods of StatefulSet zk" in hit.message


# --- autoscaler requests ---------------------------------------------------------------------
HPA_CPU = """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
    - type: %s
      %s: {name: cpu, %starget: {type: Utilization, averageUtilization: 60}}
"""


def _hpa(kind: str = "Resource", container: str = "") -> str:
    key = "resource" if kind == "Resource" else "containerResource"
    return HPA_CPU % (kind, key, f"container: {container}, " if container else "")


def test_init_containers_do_not_need_a_request_but_sidecars_do():
    # calculatePodRequests: regular containers and restartable init containers only.
    init = "      initContainers:\n        - {name: setup, image: busybox:1.36}\n"
    sidecar = "      initContainers:\n        - {name: proxy, image: envoyproxy/envoy:v1.31.0, restartPolicy: Always}\n"
    requested = "          resources: {requests: {cpu: 100m}}\n"
    assert not findings(deployment("web", 2, template=init) + requested + _hpa(), "hpa-utilization-no-request")
    [hit] = findings(deployment("web", 2, template=sidecar) + requested + _hpa(), "hpa-utilization-no-request")
    assert "container 'proxy' of Deployment web requests no cpu" in hit.message


def test_container_resource_needs_the_request_of_its_container_only():
    sidecar = "      initContainers:\n        - {name: proxy, image: envoyproxy/envoy:v1.31.0, restartPolicy: Always}\n"
    requested = "          resources: {requests: {cpu: 100m}}\n"
    manifest = deployment("web", 2, template=sidecar) + requested
    assert not findings(manifest + _hpa("ContainerResource", "web"), "hpa-utilization-no-request")
    assert findings(manifest + _hpa("ContainerResource", "proxy"), "hpa-utilization-no-request")


def test_limit_range_defaults_and_pod_level_requests_count():
    limit_range = """
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits: [{type: Container, defaultRequest: {cpu: 100m}}]
"""
    assert not findings(deployment("web", 2) + _hpa() + limit_range, "hpa-utilization-no-request")
    pod_level = "      resources: {requests: {cpu: 500m}}\n"
    manifest = deployment("web", 2, template=pod_level) + _hpa()
    # Pod-level resources are beta and on by default from 1.34 only.
    assert not findings(manifest, "hpa-utilization-no-request", kubernetes_version=(1, 34))
    assert findings(manifest, "hpa-utilization-no-request", kubernetes_version=(1, 33))


# --- topology spread -------------------------------------------------------------------------
def test_a_selector_on_controller_labels_matches_the_pods():
    # pod-template-hash is on every pod of a Deployment (controller_utils.go ComputeHash).
    spread = """      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchExpressions: [{key: pod-template-hash, operator: Exists}]
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          matchLabelKeys: [pod-template-hash]
"""
    assert not findings(deployment("web", 3, template=spread), "topology-spread-ineffective")


# --- the stateful-image table ----------------------------------------------------------------
REQUIRED = ("postgres", "mysql", "mariadb", "mongo", "redis", "elasticsearch", "opensearch",
            "cassandra", "etcd", "zookeeper", "kafka", "rabbitmq", "minio", "clickhouse")


def test_the_table_covers_the_issue_s_images_each_with_its_documentation():
    names = {e.name.lower() for e in IMAGES}
    for wanted in REQUIRED:
        assert any(wanted in n or n in wanted for n in names), wanted
    for entry in IMAGES:
        assert entry.source.startswith("https://"), entry.name
        assert entry.data_dirs or entry.positional_after, entry.name


@pytest.mark.parametrize("image, name", [
    ("postgres:16", "PostgreSQL"), ("docker.io/library/postgres:16", "PostgreSQL"),
    ("mirror.gcr.io/library/mysql:8", "MySQL"), ("mongo@sha256:" + "a" * 64, "MongoDB"),
    ("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "Elasticsearch"),
    ("quay.io/coreos/etcd:v3.5.15", "etcd"), ("registry.k8s.io/etcd:3.5.15-0", "etcd"),
    ("confluentinc/cp-kafka:7.7.0", "Kafka"), ("quay.io/minio/minio", "MinIO"),
    ("bitnami/etcd:3.5", None), ("nginx:1.27", None), ("not an image", None),
])
def test_find_image(image, name):
    entry, _ = find_image(image)
    assert (entry.name if entry else None) == name


def test_rule_option_images_win_over_the_table():
    assert find_image("redis:7", {"redis": None})[0] is None
    entry, _ = find_image("registry.example.com/team/pg:2", {"registry.example.com/team/pg": "/pg"})
    assert entry is not None and entry.data_dirs == ("/pg",)
    assert find_image("other.example.com/team/pg:2", {"registry.example.com/team/pg": "/pg"})[0] is None


def test_postgres_moved_its_data_directory_in_18():
    # https://hub.docker.com/_/postgres PGDATA: /var/lib/postgresql/data up to 17,
    # /var/lib/postgresql/<major>/docker from 18.
    assert postgres_dirs("17.2") == ("/var/lib/postgresql/data",)
    assert postgres_dirs("18-alpine") == ("/var/lib/postgresql/18/docker",)
    assert len(postgres_dirs("latest")) == 2
    old_mount = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:%s
          volumeMounts: [{name: data, mountPath: %s}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    [hit] = findings(old_mount % ("18.1", "/var/lib/postgresql/data"), "data-dies-with-pod")
    assert "keeps its data in /var/lib/postgresql/18/docker and no volume is mounted there" in hit.message
    assert not findings(old_mount % ("18.1", "/var/lib/postgresql"), "data-dies-with-pod")
    assert not findings(old_mount % ("latest", "/var/lib/postgresql/data"), "data-dies-with-pod")


def test_covers():
    assert covers("/var/lib/postgresql", "/var/lib/postgresql/data")
    assert covers("/data/", "/data")
    assert not covers("/data", "/datalog")


def test_environment_and_flags_move_the_data_directory():
    pod = """apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers:
    - name: db
      image: %s
%s
      volumeMounts: [{name: data, mountPath: /srv/data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
"""
    moved = [("postgres:16", "      env: [{name: PGDATA, value: /srv/data/pg}]"),
             ("mongo:7", "      args: [--dbpath, /srv/data]"),
             ("minio/minio:latest", "      args: [server, /srv/data]"),
             ("apache/kafka:3.8.0", "      env: [{name: KAFKA_LOG_DIRS, value: /srv/data/a}]")]
    for image, lines in moved:
        assert not findings(pod % (image, lines), "data-dies-with-pod"), image
    [hit] = findings(pod % ("mongo:7", "      args: [--dbpath, /var/db]"), "data-dies-with-pod")
    assert "MongoDB keeps its data in /var/db" in hit.message


def test_zookeeper_needs_both_directories():
    # https://hub.docker.com/_/zookeeper: volumes /data and /datalog.
    pod = """apiVersion: v1
kind: Pod
metadata: {name: zk}
spec:
  containers:
    - name: zk
      image: zookeeper:3.9
      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: zk}}]
"""
    [hit] = findings(pod, "data-dies-with-pod")
    assert "ZooKeeper keeps its data in /datalog and no volume" in hit.message


def test_redis_persistence_from_a_mounted_config():
    assert redis_persistence_in_config("port 6379\nappendonly yes\n")
    assert redis_persistence_in_config('save 900 1\n')
    assert not redis_persistence_in_config('save ""\nappendonly no\n')
    manifest = """apiVersion: v1
kind: ConfigMap
metadata: {name: redis}
data:
  redis.conf: |
    appendonly yes
---
apiVersion: v1
kind: Pod
metadata: {name: redis}
spec:
  containers:
    - name: redis
      image: redis:7.4
      args: [/etc/redis/redis.conf]
      volumeMounts: [{name: config, mountPath: /etc/redis}]
  volumes: [{name: config, configMap: {name: redis}}]
"""
    [hit] = findings(manifest, "data-dies-with-pod")
    assert "Redis keeps its data in /data" in hit.message
    assert not findings(manifest.replace("appendonly yes", "appendonly no"), "data-dies-with-pod")


def test_jobs_and_clients_are_not_servers():
    job = """apiVersion: batch/v1
kind: Job
metadata: {name: dump}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: dump, image: "postgres:16", command: [pg_dump, -h, db]}]
"""
    assert not findings(job, "data-dies-with-pod")
    client = """apiVersion: v1
kind: Pod
metadata: {name: cli}
spec:
  containers: [{name: cli, image: "redis:7", args: [redis-cli, -h, cache, --save, "60 1"]}]
"""
    assert not findings(client, "data-dies-with-pod")


# --- fixtures, the demo, the real corpus, odd input ------------------------------------------
AVAILABILITY = sorted(r for r, m in builtin_rules().items() if m.category == "availability")


def test_broken_fixture_shows_every_availability_rule():
    found = check([str(ROOT / "fixtures" / "broken" / "availability.yaml")], Config(only=["availability"])).findings
    assert {f.rule for f in found} == set(AVAILABILITY)
    assert not any("internal error" in f.message for f in found)


def test_demo_is_clean():
    found = check([str(ROOT / "fixtures" / "demo")], Config()).findings
    assert [f for f in found if f.category == "availability"] == []


# Each warning on the real corpus, checked by hand: example-voting-app's db Deployment runs
# postgres:15-alpine with /var/lib/postgresql/data on an emptyDir (db-deployment.yaml), so
# every rollout or eviction of the pod deletes the database.
REAL_WARNINGS = {("example-voting-app", "data-dies-with-pod", "db-deployment.yaml")}


@pytest.mark.parametrize("bundle", ["example-voting-app", "kube-prometheus", "microservices-demo",
                                    "microservices-demo-release"])
def test_real_corpus(bundle):
    found = check([str(CORPUS / "real" / bundle)], Config(only=["availability", "pdb-blocks-eviction",
                                                                "pdb-selects-nothing", "pdb-spans-workloads",
                                                                "hpa-target-sets-replicas"])).findings
    assert not [f for f in found if f.severity is Severity.ERROR]
    warnings = {(bundle, f.rule, f.file.rsplit("/", 1)[-1]) for f in found if f.severity is Severity.WARNING}
    assert warnings == {w for w in REAL_WARNINGS if w[0] == bundle}


def _failing_manifests() -> list[tuple[str, str]]:
    return [(rule, next(e for e in builtin_rules()[rule].examples if e.expect).manifest) for rule in AVAILABILITY]


@pytest.mark.parametrize("rule, manifest", _failing_manifests(), ids=[r for r, _ in _failing_manifests()])
def test_odd_values_never_raise(rule, manifest):
    """Each node under spec replaced by a value of the wrong type: findings, never an internal error."""
    docs = [d for d in yaml.safe_load_all(manifest) if isinstance(d, dict)]
    for d, doc in enumerate(docs):
        for path in _paths(doc.get("spec", {}), ("spec",)):
            for odd in ODD_VALUES:
                text = yaml.safe_dump_all(docs[:d] + [_set(doc, path, odd)] + docs[d + 1:])
                for finding in check_text(text, Config(only=[rule])).findings:
                    assert "internal error" not in finding.message, (path, odd, finding.message)
