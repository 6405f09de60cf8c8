"""Precision on repositories no earlier round read (session 12, precision16): rancher/fleet-examples,
kubernetes/perf-tests, kubernetes-sigs/kubespray, GoogleCloudPlatform/gke-networking-recipes and
others. Each test is a finding that was not true of what gets applied, reduced to a small input
copied from the repository named beside it (all Apache-2.0); docs/real-repositories.md lists them."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_precision_session10b import _findings, _write

# --- Fleet builds a kustomization over a Helm chart's output -------------------------------------

# rancher/fleet-examples single-cluster/helm-kustomize (reduced): the overlay only patches the
# chart's objects; Fleet puts the rendered chart first in its resources (fleet-manifests.yaml)
_FLEET_OVERLAY = {
    "app/overlays/dev/kustomization.yaml": "patchesStrategicMerge:\n- redis-slave-deployment.yaml\n",
    "app/overlays/dev/redis-slave-deployment.yaml": """\
        kind: Deployment
        apiVersion: apps/v1
        metadata:
          name: redis-slave
        spec:
          replicas: 0
        """,
}


def test_a_fleet_kustomize_dir_over_a_chart_is_not_built_alone(tmp_path: Path) -> None:
    _write(tmp_path, {**_FLEET_OVERLAY, "app/fleet.yaml": """\
        namespace: fleet-helm-kustomize-example
        helm:
          chart: https://github.com/rancher/fleet-examples/releases/download/example/guestbook-0.0.1.tgz
        kustomize:
          dir: overlays/dev
        """})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] != "INFO"] == []
    bundle = os.path.relpath(tmp_path / "app" / "fleet.yaml")
    assert [(f[0], f[3]) for f in found if f[1] == "kustomize-not-built"] == [
        ("kustomization.yaml", f"Fleet builds this kustomization over the output of the Helm chart that "
         f"{bundle} names (fleet-manifests.yaml first in resources): the chart is not rendered, so a "
         f"patch that matches nothing here is not decided"),
        ("redis-slave-deployment.yaml", f"strategic-merge patch for Deployment/redis-slave "
         f"(redis-slave-deployment.yaml) matches nothing k8slint built, but the build is incomplete (the "
         f"chart of {bundle} is not rendered): not decided")]


def test_a_target_customization_names_the_kustomize_dir(tmp_path: Path) -> None:
    # fleet-examples multi-cluster/helm-kustomize/fleet.yaml: one kustomize dir per target
    _write(tmp_path, {**_FLEET_OVERLAY, "app/fleet.yaml": """\
        helm:
          chart: ./chart
        targetCustomizations:
        - name: dev
          clusterSelector: {matchLabels: {env: dev}}
          kustomize: {dir: overlays/dev}
        """})
    assert [f for f in _findings(tmp_path) if f[2] != "INFO"] == []


def test_a_fleet_bundle_without_a_chart_builds_as_kustomize_does(tmp_path: Path) -> None:
    # no chart: nothing is put in front of the resources, the patch really matches nothing
    _write(tmp_path, {**_FLEET_OVERLAY, "app/fleet.yaml": "kustomize:\n  dir: overlays/dev\n"})
    assert [(f[0], f[1], f[2]) for f in _findings(tmp_path) if f[2] != "INFO"] == [
        ("redis-slave-deployment.yaml", "kustomize-build", "ERROR")]


# --- Go templates that clusterloader2 renders ----------------------------------------------------

def test_go_template_calls_as_whole_values_are_placeholders(tmp_path: Path) -> None:
    # kubernetes/perf-tests clusterloader2/pkg/prometheus/manifests/grafana-dashboardDefinitions.yaml
    # (reduced): clusterloader2 renders the file with text/template before reading the YAML
    _write(tmp_path, {"manifests/dashboards.yaml": """\
        apiVersion: v1
        kind: ConfigMapList
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata:
              name: grafana-dashboard-network
              namespace: monitoring
            data:
              network-programming-latency.json: {{YamlQuote (IncludeEmbedFile "dashboards/network.json") 4}}
        """, "manifests/grafana.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: grafana, namespace: monitoring}
        spec:
          containers:
          - name: grafana
            image: grafana/grafana:12.1.0
            volumeMounts: [{name: network, mountPath: /dashboards/network}]
          volumes:
          - {name: network, configMap: {name: grafana-dashboard-network}}
        """})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] != "INFO" and f[1] not in ("bare-pod", "resource-best-effort")] == []
    assert [f[0] for f in found if f[1] == "template-placeholder"] == ["dashboards.yaml"]


def test_go_template_variables_and_calls_make_a_go_template(tmp_path: Path) -> None:
    # perf-tests clusterloader2/testing/request-benchmark/cluster-role.yaml (`{{$.Namespace}}`)
    # and pkg/prometheus/manifests/pushgateway/deployment.yaml (`{{IfThenElse ...}}Mi`)
    _write(tmp_path, {"role.yaml": """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: benchmark-role
          namespace: {{$.Namespace}}
        rules:
        - apiGroups: [""]
          resources: ["pods"]
          verbs: ["get"]
        """, "deployment.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata: {name: pushgateway, namespace: monitoring}
        spec:
          containers:
          - name: pushgateway
            image: gcr.io/k8s-staging-perf-tests/pushgateway:v1.4.2
            resources:
              limits:
                memory: {{IfThenElse (lt .Nodes 500) 200 400}}Mi
        """})
    assert sorted((f[0], f[1]) for f in _findings(tmp_path)) == [
        ("deployment.yaml", "helm-template"), ("role.yaml", "helm-template")]


def test_an_unquoted_argo_parameter_is_still_an_error(tmp_path: Path) -> None:
    # Argo substitutes `{{inputs.parameters.x}}` after kubectl has read the manifest
    _write(tmp_path, {"cm.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default}
        data:
          size: {{inputs.parameters.size}}
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[2] != "INFO"] == [("yaml-syntax", "ERROR")]


# --- JSON that is no manifest ----------------------------------------------------------------------

def test_json_without_a_kind_key_is_no_manifest(tmp_path: Path) -> None:
    # kubernetes-sigs/kubespray contrib/azurerm/roles/generate-templates/templates/bastion.json
    # (reduced): an Ansible template of an Azure Resource Manager template
    _write(tmp_path, {"templates/bastion.json": """\
        {
          "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            {% if use_bastion %}
            {
              "apiVersion": "{{apiVersion}}",
              "type": "Microsoft.Network/publicIPAddresses",
              "name": "{{bastionIPAddressName}}"
            }
            {% endif %}
          ]
        }
        """})
    assert [(f[0], f[1]) for f in _findings(tmp_path)] == [("bastion.json", "not-kubernetes")]


# --- invalid input beside a test script ------------------------------------------------------------

_INVALID_POLICY = """\
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: default}
    spec:
      ports: [{port: 80}, {port: 443}]
    """


def test_invalid_input_beside_a_test_script_is_not_applied(tmp_path: Path) -> None:
    # GoogleCloudPlatform/gke-networking-recipes authz/authz-cr-validation: run-test.sh runs
    # `kubectl validate` on each invalid_*.yaml and passes when validation fails
    _write(tmp_path, {"authz/validation/invalid_ports.yaml": _INVALID_POLICY,
                      "authz/validation/run-test.sh": "kubectl validate invalid_ports.yaml\n"})
    assert [f for f in _findings(tmp_path) if f[2] != "INFO"] == []


def test_invalid_in_a_name_alone_is_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"authz/validation/invalid_ports.yaml": _INVALID_POLICY,
                      "authz/validation/deploy.sh": "kubectl apply -f invalid_ports.yaml\n"})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[2] == "ERROR"] == [("port-name", "ERROR")] * 2


# --- a kustomization that builds a Helm chart's templates ------------------------------------------

def test_a_kustomization_writing_helm_actions_builds_chart_templates(tmp_path: Path) -> None:
    # Azure/azure-workload-identity third_party/open-policy-agent/gatekeeper/helmify (reduced):
    # `kustomize build helmify | go run helmify/*.go` writes the chart's templates
    _write(tmp_path, {"config/service.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: webhook-service, namespace: system}
        spec:
          ports: [{port: 443, targetPort: 9443}]
        """, "config/kustomization.yaml": "resources: [service.yaml]\n",
        "helmify/kustomization.yaml": """\
        namespace: "{{ .Release.Namespace }}"
        commonLabels:
          chart: '{{ template "workload-identity-webhook.name" . }}'
        resources: [../config]
        patchesStrategicMerge: [kustomize-for-helm.yaml, missing.yaml]
        """, "helmify/kustomize-for-helm.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: webhook-service, namespace: system}
        spec:
          HELMSUBST_SERVICE_TYPE: ""
          ports:
          - port: {{ .Values.service.port }}
            targetPort: {{ .Values.service.targetPort }}
        """})
    found = _findings(tmp_path)
    assert sorted((f[0], f[1], f[2]) for f in found if f[2] != "INFO") == [
        ("kustomization.yaml", "kustomize-build", "ERROR")]     # missing.yaml: kustomize build fails
    assert [f[3] for f in found if f[1] == "helm-template"] == [
        "this kustomization writes Helm template actions ({{ .Release.Namespace }}) into the objects it builds: "
        "its output is a Helm chart's templates, not manifests, and is not checked; render the chart and check "
        "that: helm template CHART | k8slint check -"]


def test_placeholders_alone_in_a_kustomization_are_no_helm_chart(tmp_path: Path) -> None:
    _write(tmp_path, {"app/kustomization.yaml": "namespace: ${NAMESPACE}\nresources: [cm.yaml]\n",
                      "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  on: yes\n"})
    assert [f[1] for f in _findings(tmp_path) if f[1] == "helm-template"] == []
    assert any(f[1] == "template-placeholder" for f in _findings(tmp_path))


# --- Secrets OpenShift's service-ca operator creates -----------------------------------------------

_SERVING_CERT = """\
    apiVersion: v1
    kind: Service
    metadata:
      name: kube-state-metrics
      namespace: openshift-monitoring
      annotations:
        {annotation}: kube-state-metrics-tls
    spec:
      selector: {{app: kube-state-metrics}}
      ports: [{{name: https-main, port: 8443}}]
    ---
    apiVersion: v1
    kind: Secret
    metadata: {{name: kube-state-metrics-kube-rbac-proxy-config, namespace: openshift-monitoring}}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {{name: kube-state-metrics, namespace: openshift-monitoring, labels: {{app: kube-state-metrics}}}}
    spec:
      containers:
      - name: kube-rbac-proxy-main
        image: quay.io/brancz/kube-rbac-proxy:v0.19.1
        volumeMounts: [{{name: tls, mountPath: /etc/tls/private}}]
      volumes:
      - {{name: tls, secret: {{secretName: kube-state-metrics-tls}}}}
    """


def test_the_serving_cert_secret_of_a_service_is_made_by_openshift(tmp_path: Path) -> None:
    # openshift/cluster-monitoring-operator assets/kube-state-metrics/{service,deployment}.yaml (reduced)
    for annotation in ("service.beta.openshift.io/serving-cert-secret-name",
                       "service.alpha.openshift.io/serving-cert-secret-name"):
        _write(tmp_path, {"ksm.yaml": _SERVING_CERT.format(annotation=annotation)})
        assert [f for f in _findings(tmp_path) if f[1] == "secret-ref-missing"] == []


def test_another_annotation_makes_no_secret(tmp_path: Path) -> None:
    _write(tmp_path, {"ksm.yaml": _SERVING_CERT.format(annotation="example.com/serving-cert-secret-name")})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[1] == "secret-ref-missing"] == [
        ("secret-ref-missing", "WARNING")]


# --- a tutorial's `[YOUR REGISTRY]` glued to an image ----------------------------------------------

def test_a_glued_your_word_in_brackets_is_a_placeholder(tmp_path: Path) -> None:
    # kubernetes/ingress-gce cmd/echo/echo.yaml (reduced): the reader puts a registry there;
    # the rest of the Deployment is checked (it lacks the selector apps/v1 requires)
    _write(tmp_path, {"echo.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: echo
        spec:
          replicas: 1
          template:
            metadata:
              labels:
                app: echo
            spec:
              containers:
              - name: echo
                image: [YOUR REGISTRY]/echoserver:latest
                resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
        """})
    found = _findings(tmp_path)
    assert [(f[1], f[2]) for f in found if f[2] == "ERROR"] == [("workload-selector-mismatch", "ERROR")]
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        "a template placeholder (YOUR REGISTRY) would be applied literally: substitute it before applying "
        "(envsubst, sed, kustomize, ko or your CI)"]


def test_a_flow_sequence_of_words_stays_yaml(tmp_path: Path) -> None:
    _write(tmp_path, {"cm.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          list: [YOUR REGISTRY] trailing
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[2] == "ERROR"] == [("yaml-syntax", "ERROR")]


# --- Istio's `image: auto` -------------------------------------------------------------------------

def test_istio_proxy_image_auto_is_the_injectors_placeholder(tmp_path: Path) -> None:
    # GoogleCloudPlatform/gke-networking-recipes ingress/multi-cluster/mci-asm-https-e2e/ingress-deployment.yaml
    _write(tmp_path, {"gateway.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: asm-ingressgateway, namespace: asm-ingress}
        spec:
          selector: {matchLabels: {asm: ingressgateway}}
          template:
            metadata:
              annotations: {inject.istio.io/templates: gateway}
              labels: {asm: ingressgateway}
            spec:
              containers:
              - name: istio-proxy
                image: auto
                resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 1024Mi}}
              - name: other
                image: auto
                resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 1024Mi}}
        """})
    assert [(f[1], f[2]) for f in _findings(tmp_path) if f[1].startswith("image-") and "'other'" in f[3]] == [
        ("image-latest-tag", "WARNING")]
    assert [f for f in _findings(tmp_path) if "istio-proxy" in f[3] and f[1].startswith("image-")] == []
