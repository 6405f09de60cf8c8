"""`k8slint diff`: what each accepted change does to the running pods, with hand-computed
numbers and the controller or documentation page that says so."""

from __future__ import annotations

from k8slint.diff import diff_texts
from k8slint.model import Severity


def said(before: str, after: str, rule: str) -> list:
    return [f for f in diff_texts(before, after).findings if f.rule == rule]


def deployment(replicas: str = "  replicas: 10\n", strategy: str = "", image: str = "web:1",
               extra: str = "", container: str = "") -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n" + replicas + strategy +
            "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
            f"    spec:\n{extra}      containers:\n        - name: web\n          image: {image}\n{container}")


# --- Deployment rollouts (pkg/controller/deployment/rolling.go, util ResolveFenceposts) ------------

def test_rolling_update_numbers_with_the_default_25_percent():
    # 10 replicas: maxSurge 25% of 10 = 2.5 rounds up to 3, maxUnavailable 25% rounds down to 2.
    # At most 10 + 3 = 13 pods, at least 10 - 2 = 8 available. First sync: reconcileNewReplicaSet
    # scales the new ReplicaSet to min(13 - 10, 10) = 3; reconcileOldReplicaSets may scale down
    # allPods(13) - minAvailable(8) - newUnavailable(3) = 2 old pods.
    [found] = said(deployment(), deployment(image="web:2"), "change-rollout")
    assert found.severity == Severity.INFO and found.line == 12
    assert "replaces all 10 pod(s). At most 13 pods run at once (maxSurge 25% -> 3) and at least 8 stay " \
           "available (maxUnavailable 25% -> 2); the first step creates 3 new pod(s) and deletes 2 old one(s)" \
           in found.message


def test_rolling_update_with_both_budgets_zero_uses_one_unavailable():
    # ResolveFenceposts: if both resolve to 0, maxUnavailable becomes 1. 3 replicas, 0/0 -> 0 surge,
    # 1 unavailable: no new pod before an old one goes (first step creates 0 and deletes 1).
    strategy = "  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"
    [found] = said(deployment("  replicas: 3\n", strategy), deployment("  replicas: 3\n", strategy, "web:2"),
                   "change-rollout")
    assert "At most 3 pods run at once (maxSurge 0) and at least 2 stay available (maxUnavailable 0 -> 1)" \
        in found.message
    assert "creates 0 new pod(s) and deletes 1 old one(s)" in found.message


def test_one_replica_with_defaults_keeps_serving():
    # 1 replica: 25% surge rounds up to 1, 25% unavailable rounds down to 0: the new pod comes first.
    [found] = said(deployment("  replicas: 1\n"), deployment("  replicas: 1\n", image="web:2"), "change-rollout")
    assert "at least 1 stay available" in found.message and found.severity == Severity.INFO


def test_recreate_and_full_unavailability_are_warnings():
    recreate = "  strategy: {type: Recreate}\n"
    [found] = said(deployment("  replicas: 4\n", recreate), deployment("  replicas: 4\n", recreate, "web:2"),
                   "change-rollout")
    assert found.severity == Severity.WARNING and "all 4 pods stop before 4 new ones start" in found.message
    everything = "  strategy: {rollingUpdate: {maxUnavailable: '100%'}}\n"
    [found] = said(deployment("  replicas: 4\n", everything), deployment("  replicas: 4\n", everything, "web:2"),
                   "change-rollout")
    assert found.severity == Severity.WARNING and "at least 0 stay available" in found.message


def test_probe_and_resource_changes_reach_only_new_pods():
    probe = "          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}\n"
    [found] = said(deployment(), deployment(container=probe), "change-rollout")
    assert "Changed probes and resources take effect only in the new pods" in found.message


def test_explicit_defaults_and_equal_quantities_are_no_change():
    # The API server stores defaults (pkg/apis/core/v1/defaults.go) and compares quantities by value.
    plain = deployment(container="          resources: {requests: {cpu: '1'}}\n")
    written = deployment(container="          imagePullPolicy: IfNotPresent\n"
                                   "          resources: {requests: {cpu: 1000m}}\n",
                         extra="      restartPolicy: Always\n      dnsPolicy: ClusterFirst\n")
    result = diff_texts(plain, written)
    assert result.changes == [] and result.unchanged == 1


def test_rollout_numbers_under_an_autoscaler_use_min_replicas():
    hpa = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
           "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 4, maxReplicas: 8}\n")
    [found] = said(deployment("") + hpa, deployment("", image="web:2") + hpa, "change-rollout")
    # 4 replicas: surge ceil(1) = 1, unavailable floor(1) = 1 -> at most 5, at least 3.
    assert "replaces all 4 pod(s). At most 5 pods" in found.message and "sets 4..8 replicas" in found.message


# --- StatefulSet, DaemonSet, others --------------------------------------------------------------

def statefulset(extra: str = "", image: str = "db:1", replicas: int = 4) -> str:
    return ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n"
            f"  replicas: {replicas}\n  serviceName: db\n{extra}  selector: {{matchLabels: {{app: db}}}}\n"
            "  template:\n    metadata: {labels: {app: db}}\n"
            f"    spec: {{containers: [{{name: db, image: {image}}}]}}\n")


def test_statefulset_reverse_ordinals_with_partition_and_start():
    # stateful_set_control.go updateStatefulSet: replace the highest ordinal first, one at a time;
    # ordinals below the partition keep the current revision; spec.ordinals.start shifts the names.
    extra = "  ordinals: {start: 5}\n  updateStrategy: {rollingUpdate: {partition: 1}}\n"
    [found] = said(statefulset(extra), statefulset(extra, "db:2"), "change-rollout")
    assert "db-8, db-7, db-6 are replaced one at a time" in found.message
    assert "db-5 keep the old template (partition 1)" in found.message


def test_single_replica_statefulset_rollout_is_downtime():
    # The only pod is deleted before its replacement is created (no surge for StatefulSets).
    [found] = said(statefulset(replicas=1), statefulset(image="db:2", replicas=1), "change-rollout")
    assert found.severity == Severity.WARNING and "while db-0 restarts no pod serves" in found.message


def test_on_delete_restarts_nothing():
    extra = "  updateStrategy: {type: OnDelete}\n"
    [found] = said(statefulset(extra), statefulset(extra, "db:2"), "change-rollout")
    assert found.message.startswith("Pod template changed") and "no pod restarts now" in found.message


def daemonset(strategy: str, image: str = "a:1") -> str:
    return ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n" + strategy +
            "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
            f"    spec: {{containers: [{{name: agent, image: {image}}}]}}\n")


def test_daemonset_goes_node_by_node():
    # pkg/controller/daemon/update.go rollingUpdate: defaults maxUnavailable 1, maxSurge 0.
    [found] = said(daemonset(""), daemonset("", "a:2"), "change-rollout")
    assert "node by node, maxUnavailable 1 node at a time" in found.message
    surge = "  updateStrategy: {rollingUpdate: {maxSurge: '10%', maxUnavailable: 0}}\n"
    [found] = said(daemonset(surge), daemonset(surge, "a:2"), "change-rollout")
    assert "maxSurge 10% of the nodes (rounded up) at a time" in found.message


def test_replicaset_and_cronjob_templates():
    rs = deployment().replace("kind: Deployment", "kind: ReplicaSet")
    [found] = said(rs, rs.replace("web:1", "web:2"), "change-rollout")
    assert "a ReplicaSet does not replace running pods" in found.message
    cron = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '0 * * * *'\n"
            "  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: c:1}]}}}}\n")
    [found] = said(cron, cron.replace("c:1", "c:2"), "change-rollout")
    assert "Jobs created from the next scheduled run use the new template" in found.message


# --- outside the template, scaling, autoscalers ------------------------------------------------------

def test_changes_outside_the_template_restart_nothing():
    [found] = said(deployment(), deployment(strategy="  minReadySeconds: 10\n"), "change-no-restart")
    assert found.message == "No pod restarts (minReadySeconds 0 -> 10): the change is outside the pod template"
    assert found.severity == Severity.INFO and found.line == 6      # the minReadySeconds line


def test_scaling_numbers():
    [up] = said(deployment("  replicas: 3\n"), deployment("  replicas: 7\n"), "change-no-restart")
    assert "4 new pod(s) are created (spec.replicas 3 -> 7)" in up.message
    [down] = said(statefulset(replicas=5), statefulset(replicas=2), "change-no-restart")
    # StatefulSet scale-down: highest ordinal first; claims kept unless whenScaled: Delete.
    assert "db-4, db-3, db-2 are deleted, highest ordinal first" in down.message
    assert "their claims are kept" in down.message


def test_replicas_left_out_drops_to_one():
    # kubectl apply removes the field; SetDefaults_Deployment sets 1.
    [found] = said(deployment("  replicas: 5\n"), deployment(""), "change-no-restart")
    assert found.severity == Severity.WARNING and "4 pod(s) are deleted" in found.message


def test_replicas_under_an_autoscaler_are_overridden():
    # HPA docs (horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
    hpa = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
           "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 9}\n")
    [found] = said(deployment("  replicas: 3\n") + hpa, deployment("  replicas: 5\n") + hpa, "change-hpa-replicas")
    assert "overrides spec.replicas 3 -> 5" in found.message and "within 2..9" in found.message
    [found] = said(deployment("  replicas: 3\n") + hpa, deployment("") + hpa, "change-hpa-replicas")
    assert "drops to 1 pod until HorizontalPodAutoscaler/web scales it back" in found.message
    assert said(deployment("  replicas: 3\n") + hpa, deployment("  replicas: 5\n") + hpa, "change-no-restart") == []


# --- ConfigMaps and Secrets (kubernetes.io/docs/concepts/configuration/configmap/) ------------------

def config_pair(data: str, use: str) -> str:
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
            f"data: {{{data}}}\n---\n" + deployment("  replicas: 2\n", extra=use.split("|")[0],
                                                     container=use.split("|")[1] if "|" in use else ""))


def test_env_consumers_keep_old_values():
    use = "|          env: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}]\n"
    [found] = said(config_pair("a: '1', b: '2'", use), config_pair("a: '9', b: '2'", use), "change-config-reload")
    assert found.severity == Severity.WARNING and "Running pods keep the old values" in found.message
    # Only key b changed: the pods read only key a, so nothing they use changed.
    [found] = said(config_pair("a: '1', b: '2'", use), config_pair("a: '1', b: '3'", use), "change-config-reload")
    assert found.severity == Severity.INFO and "No workload in the input uses" in found.message


def test_volume_and_subpath_consumers():
    volume = "      volumes: [{name: c, configMap: {name: cfg}}]\n|          volumeMounts: [{name: c, mountPath: /etc/c}]\n"
    [found] = said(config_pair("a: '1'", volume), config_pair("a: '2'", volume), "change-config-reload")
    assert found.severity == Severity.INFO and "within about a minute" in found.message
    sub = volume.replace("mountPath: /etc/c}", "mountPath: /etc/c/a, subPath: a}")
    [found] = said(config_pair("a: '1'", sub), config_pair("a: '2'", sub), "change-config-reload")
    assert found.severity == Severity.WARNING and "subPath" in found.message


def test_a_new_generated_name_rolls_the_workload_and_says_why():
    use = "|          envFrom: [{configMapRef: {name: cfg-5g7d4c9b2m}}]\n"
    before = config_pair("a: '1'", use).replace("name: cfg}", "name: cfg-5g7d4c9b2m}")
    after = config_pair("a: '2'", use.replace("5g7d4c9b2m", "8f6t2k4h9c")).replace("name: cfg}", "name: cfg-8f6t2k4h9c}")
    result = diff_texts(before, after)
    assert sorted(c.change for c in result.changes) == ["modified", "renamed"]
    [rollout] = [f for f in result.findings if f.rule == "change-rollout"]
    assert "ConfigMap cfg-5g7d4c9b2m is now cfg-8f6t2k4h9c, its content changed" in rollout.message


# --- Services (EndpointSlice controller) -----------------------------------------------------------

def service(selector: str, ports: str = "[{port: 80}]", kind: str = "") -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n{kind}  selector: {selector}\n  ports: {ports}\n"


def test_selector_that_matches_nothing_loses_every_endpoint():
    pods = "---\n" + deployment("  replicas: 2\n")
    [found] = said(service("{app: web}") + pods, service("{app: wbe}") + pods, "change-service-traffic")
    assert found.severity == Severity.WARNING and "loses every endpoint" in found.message


def test_named_target_port_that_pods_do_not_declare():
    pods = "---\n" + deployment("  replicas: 2\n", container="          ports: [{name: http, containerPort: 80}]\n")
    [found] = said(service("{app: web}", "[{port: 80, targetPort: http}]") + pods,
                   service("{app: web}", "[{port: 80, targetPort: metrics}]") + pods, "change-service-traffic")
    assert "Deployment/web declare no port named metrics" in found.message


def test_leaving_load_balancer_releases_the_ip():
    [found] = said(service("{app: web}", kind="  type: LoadBalancer\n"), service("{app: web}"),
                   "change-service-traffic")
    assert found.severity == Severity.WARNING and "external IP are released" in found.message


# --- removed objects (garbage collection, PVC reclaim) ------------------------------------------------

def test_removed_objects_and_what_goes_with_them():
    keep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep}\n"
    sts = ("---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  serviceName: db\n"
           "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}\n  selector: {matchLabels: {app: db}}\n"
           "  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db}]}}\n"
           "  volumeClaimTemplates: [{metadata: {name: d}, spec: {accessModes: [ReadWriteOnce], "
           "resources: {requests: {storage: 1Gi}}}}]\n")
    ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: team}\n"
    found = said(keep + sts + ns, keep, "change-removed")
    by_object = {f.object.name: f for f in found}
    assert "deletes StatefulSet/db, and with it its 2 pod(s), their claims and the data (whenDeleted: Delete)" \
        in by_object["db"].message
    assert "deletes Namespace/team, and with it every object in it (1 in the old manifests)" in by_object["team"].message
    assert all(f.file == "before.yaml" for f in found)
    assert "is no longer in the manifests: a plain `kubectl apply` leaves it in the cluster" in by_object["db"].message


def test_removed_config_map_still_referenced():
    use = "---\n" + deployment("  replicas: 2\n", container="          envFrom: [{configMapRef: {name: gone}}]\n")
    before = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\n" + use
    [found] = said(before, use.lstrip("-\n"), "change-removed")
    assert found.severity == Severity.WARNING and "Deployment/web, which still name(s) it" in found.message


def test_env_consumer_that_rolls_in_the_same_change_gets_the_new_values():
    # The Deployment's template changes too: its new pods read the environment when they start.
    use = "|          envFrom: [{configMapRef: {name: cfg}}]\n"
    [found] = said(config_pair("a: '1'", use), config_pair("a: '2'", use).replace("image: web:1", "image: web:2"),
                   "change-config-reload")
    assert found.severity == Severity.INFO and "reach Deployment/web with their rollout" in found.message


def test_service_following_a_refused_selector_change_loses_its_endpoints():
    # The Deployment's selector change is refused (strategy.go ValidateUpdate), so its pods keep the
    # old labels and the Service's new selector matches none of them.
    before = service("{app: web}") + "---\n" + deployment("  replicas: 2\n")
    after = (service("{name: web}") + "---\n" + deployment("  replicas: 2\n")
             .replace("{matchLabels: {app: web}}", "{matchLabels: {name: web}}")
             .replace("{labels: {app: web}}", "{labels: {name: web}}"))
    [found] = said(before, after, "change-service-traffic")
    assert "matches Deployment/web only with the new labels, and that update is refused" in found.message


def test_new_autoscaler_bounds_move_the_workload_at_the_next_sync():
    # horizontal.go normalizeDesiredReplicas keeps the desired count within minReplicas..maxReplicas.
    hpa = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\n"
           "spec: {{scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}, minReplicas: {low}, "
           "maxReplicas: 9}}\n")
    [found] = said(hpa.format(low=1), hpa.format(low=3), "change-hpa-replicas")
    assert found.severity == Severity.INFO
    assert found.message.startswith("The autoscaler now keeps Deployment/web between 3 and 9 pods (minReplicas 1 -> 3)")
