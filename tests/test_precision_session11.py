"""Precision on repositories no earlier round read (session 11, precision13): grafana/loki,
grafana/tempo, redhat-cop/gitops-catalog, argoproj-labs/argocd-autopilot,
kubernetes-sigs/scheduler-plugins and others. Each test is a finding that was not true of what
gets applied, reduced to a small input copied from the repository named beside it (loki and
tempo: AGPL-3.0; gitops-catalog, argocd-autopilot and scheduler-plugins: Apache-2.0);
docs/real-repositories.md lists them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


# --- Tanka's environment file --------------------------------------------------------------

def test_a_tanka_environment_file_is_a_tool_configuration(tmp_path: Path) -> None:
    # grafana/loki tools/dev/k3d/environments/helm-cluster/spec.json, grafana/tempo
    # operations/jsonnet-compiled/microservices/spec.json: read by `tk`, never applied
    (tmp_path / "helm-cluster").mkdir()
    (tmp_path / "helm-cluster" / "spec.json").write_text(json.dumps({
        "apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
        "metadata": {"name": "environments/helm-cluster", "namespace": "environments/helm-cluster/main.jsonnet"},
        "spec": {"apiServer": "https://0.0.0.0:45479", "namespace": "k3d-helm-cluster"}}, indent=2))
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / "spec.json").write_text(json.dumps({
        "apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
        "spec": {"injectLabels": False, "namespace": "tracing"}}, indent=2))
    found = _findings(tmp_path)
    assert _loud(tmp_path) == []
    assert sorted(f[3] for f in found if f[1] == "not-kubernetes") == [
        "Environment (tanka.dev/v1alpha1) is a Tanka environment file (spec.json, read by tk), not a "
        "Kubernetes object: not checked"] * 2


# --- OpenShift's service CA ConfigMap --------------------------------------------------------

def test_the_openshift_service_ca_configmap_is_written_on_openshift(tmp_path: Path) -> None:
    # grafana/loki operator/hack/addon_grafana_gateway_ocp.yaml mounts it in its Grafana
    _write(tmp_path, {"grafana.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: grafana, namespace: openshift-logging}
        spec:
          replicas: 2
          selector: {matchLabels: {app: grafana}}
          template:
            metadata: {labels: {app: grafana}}
            spec:
              containers:
              - name: grafana
                image: grafana/grafana:11.0.0
                resources: {requests: {cpu: 100m, memory: 100Mi}, limits: {memory: 100Mi}}
                volumeMounts: [{name: ca, mountPath: /etc/ca}, {name: other, mountPath: /etc/other}]
              volumes:
              - name: ca
                configMap: {name: openshift-service-ca.crt}
              - name: other
                configMap: {name: openshift-service-ca}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: grafana-config, namespace: openshift-logging}
        data: {a: b}
        """})
    found = [(f[2], f[3]) for f in _findings(tmp_path) if f[1] == "configmap-ref-missing"]
    assert found == [
        ("INFO", "ConfigMap openshift-service-ca.crt does not exist in namespace openshift-logging in the input: the "
                 "pod cannot mount volume ca and stays in ContainerCreating - unless it is created at run time: on "
                 "OpenShift, the controller manager writes ConfigMap openshift-service-ca.crt into every namespace, "
                 "and the kubelet retries until it exists"),
        ("WARNING", "ConfigMap openshift-service-ca does not exist in namespace openshift-logging in the input: the "
                    "pod cannot mount volume other and stays in ContainerCreating")]


# --- kustomize: generator inputs fetched over HTTP -----------------------------------------

def test_a_generator_file_from_a_url_is_not_fetched(tmp_path: Path) -> None:
    # redhat-cop/gitops-catalog gpu-operator-certified/instance/components/monitoring-dashboard
    _write(tmp_path, {"kustomization.yaml": """\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        generatorOptions: {disableNameSuffixHash: true}
        configMapGenerator:
        - name: nvidia-dcgm-exporter-dashboard
          namespace: openshift-config-managed
          files:
          - https://github.com/NVIDIA/dcgm-exporter/raw/main/grafana/dcgm-exporter-dashboard.json
          - local.json
          envs:
          - http://example.com/settings.env
        """, "local.json": "{}\n"})
    found = _findings(tmp_path)
    assert _loud(tmp_path) == []
    assert sorted(f[3] for f in found if f[1] == "kustomize-not-built") == [
        "remote generator input http://example.com/settings.env is not fetched (k8slint never uses the network): "
        "what it holds is not checked",
        "remote generator input https://github.com/NVIDIA/dcgm-exporter/raw/main/grafana/dcgm-exporter-dashboard.json "
        "is not fetched (k8slint never uses the network): what it holds is not checked"]


def test_a_missing_local_generator_file_still_fails_the_build(tmp_path: Path) -> None:
    _write(tmp_path, {"kustomization.yaml": """\
        configMapGenerator:
        - name: dashboards
          files: [github.com/dashboard.json]
        """})
    assert [f[1] for f in _loud(tmp_path)] == ["kustomize-build"]


# --- kustomize: a generator that merges into a remote resource ------------------------------

def test_a_merge_generator_on_an_incomplete_build_is_not_decided(tmp_path: Path) -> None:
    # argoproj-labs/argocd-autopilot manifests/base and manifests/insecure: argocd-cm and
    # argocd-cmd-params-cm come from Argo CD's install.yaml, fetched from GitHub
    _write(tmp_path, {"base/kustomization.yaml": """\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml
        configMapGenerator:
          - name: argocd-cm
            behavior: merge
            literals: ["timeout.reconciliation=15s"]
        """, "insecure/kustomization.yaml": """\
        resources: [../base]
        configMapGenerator:
          - name: argocd-cmd-params-cm
            behavior: merge
            literals: ["server.insecure=true"]
        """})
    found = _findings(tmp_path)
    assert _loud(tmp_path) == []
    remote = "the remote resource https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml is not fetched"
    assert [f[3] for f in found if f[1] == "kustomize-not-built" and "to merge" in f[3]] == [
        f"ConfigMap/argocd-cm to merge is not among the objects k8slint built, but the build is incomplete ({remote}): not decided",
        f"ConfigMap/argocd-cmd-params-cm to merge is not among the objects k8slint built, but the build is "
        f"incomplete ({remote}): not decided"]


def test_a_merge_generator_without_its_object_still_fails_a_complete_build(tmp_path: Path) -> None:
    _write(tmp_path, {"kustomization.yaml": """\
        configMapGenerator:
          - name: argocd-cm
            behavior: merge
            literals: ["a=b"]
        """})
    assert [(f[1], f[3]) for f in _loud(tmp_path)] == [
        ("kustomize-build", "configMapGenerator: ConfigMap/argocd-cm does not exist: cannot merge it")]


# --- kustomize: kubebuilder's spare patches beside a build that fails -----------------------

SCHEDULER_PLUGINS = {
    # kubernetes-sigs/scheduler-plugins config/: crd/kustomization.yaml lists
    # bases/scheduling.x-k8s.io_elasticquota.yaml, the file is named ..._elasticquotas.yaml
    "crd/kustomization.yaml": """\
        resources:
        - bases/podgroups.yaml
        - bases/elasticquota.yaml
        patchesStrategicMerge:
        #- patches/webhook_in_podgroups.yaml
        #- patches/cainjection_in_podgroups.yaml
        """,
    "crd/bases/podgroups.yaml": """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: podgroups.scheduling.x-k8s.io}
        spec:
          group: scheduling.x-k8s.io
          names: {kind: PodGroup, plural: podgroups}
          scope: Namespaced
          versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
        """,
    "crd/patches/webhook_in_podgroups.yaml": """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: podgroups.scheduling.x-k8s.io}
        spec:
          conversion:
            strategy: Webhook
        """,
    "crd/patches/cainjection_in_podgroups.yaml": """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          annotations: {cert-manager.io/inject-ca-from: $(CERTIFICATE_NAMESPACE)/$(CERTIFICATE_NAME)}
          name: podgroups.scheduling.x-k8s.io
        """,
    "default/kustomization.yaml": """\
        namespace: kubebuilder-system
        bases: [../crd]
        patchesStrategicMerge:
        #- manager_config_patch.yaml
        """,
    "default/manager_config_patch.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: controller-manager, namespace: system}
        spec:
          template:
            spec:
              containers:
              - name: manager
                args: ["--config=controller_manager_config.yaml"]
        """,
}


def test_spare_patches_beside_a_failed_build_are_not_objects(tmp_path: Path) -> None:
    _write(tmp_path, SCHEDULER_PLUGINS)
    found = _findings(tmp_path)
    assert [(f[0], f[1]) for f in _loud(tmp_path)] == [("kustomization.yaml", "kustomize-build")]
    assert sorted(f[0] for f in found if f[1] == "not-kubernetes") == [
        "cainjection_in_podgroups.yaml", "manager_config_patch.yaml", "webhook_in_podgroups.yaml"]


def test_a_patch_that_a_failed_kustomization_lists_is_read_as_a_patch(tmp_path: Path) -> None:
    # the generator fails the build; the patch it lists is still read as a patch, never
    # called one that the kustomization "does not list"
    _write(tmp_path, {"default/manager_config_patch.yaml": SCHEDULER_PLUGINS["default/manager_config_patch.yaml"],
                      "default/kustomization.yaml": """\
        configMapGenerator:
        - {name: absent, behavior: merge, literals: [a=b]}
        patchesStrategicMerge:
        - manager_config_patch.yaml
        """})
    assert [(f[0], f[1]) for f in _findings(tmp_path)] == [
        ("kustomization.yaml", "kustomize-build"), ("manager_config_patch.yaml", "kustomize-build")]


# --- Go tests' expected outputs ---------------------------------------------------------------

TRIVY_EXPECTED = """\
    apiVersion: batch/v1
    kind: Job
    metadata: {name: scan-vulnerabilityreport-648f669b9c, namespace: default}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: pod
            image: mirror.gcr.io/aquasec/trivy:0.0.0
            volumeMounts: [{name: tmp, mountPath: /tmp, readonly: false}]
          volumes: [{name: tmp, emptyDir: {}}]
    """


def test_an_expected_output_of_a_go_test_is_not_applied(tmp_path: Path) -> None:
    # aquasecurity/trivy-operator tests/envtest/testdata/fixture: controller_test.go compares the
    # scan Job the operator creates with pod-expected-scan.yaml; pod.yaml is created
    _write(tmp_path, {"testdata/fixture/pod-expected-scan.yaml": TRIVY_EXPECTED,
                      "testdata/fixture/pod.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: my-pod}
        spec: {containers: [{name: app, image: "nginx:1.16", ports: [{containerPort: 80, protocol: TCP}]}]}
        """})
    found = _findings(tmp_path)
    assert [f for f in found if f[0] == "pod-expected-scan.yaml" and f[1] != "not-kubernetes"] == []
    assert [f[3] for f in found if f[0] == "pod-expected-scan.yaml"] == [
        f"1 file(s) in {tmp_path}/testdata/fixture (pod-expected-scan.yaml) are expected outputs of "
        "Go tests (test data whose names say expected or golden), compared with what the code makes and never applied: "
        "not checked as objects"]
    assert "bare-pod" in [f[1] for f in found if f[0] == "pod.yaml"]


def test_an_expected_file_outside_testdata_is_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"fixture/pod-expected-scan.yaml": TRIVY_EXPECTED})
    assert "schema-violation" in [f[1] for f in _loud(tmp_path)]
