"""Precision on ML platforms and Kubernetes tooling no earlier round read (session 13,
precision22): NVIDIA/gpu-operator, GoogleCloudPlatform/ai-on-gke, kubernetes-sigs/kubectl-validate.
Each test is a finding that was not true of what gets applied, reduced to a small input
copied from the repository named beside it; docs/real-repositories.md lists them."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


def _repository(root: Path, files: dict[str, str]) -> None:
    """A checkout: `.git` at the top, as a CI clone has."""
    (root / ".git").mkdir(parents=True)
    _write(root, files)


# --- an operator's template: `FILLED BY THE OPERATOR` ------------------------------------------

# NVIDIA/gpu-operator (Apache-2.0) assets/state-driver/0500_daemonset.yaml: the operator reads
# the file, sets namespace and images (controllers/object_controls.go) and, for OpenShift's
# driver toolkit, appends the `shared-nvidia-driver-toolkit` emptyDir that the sidecar mounts.
_DRIVER = {
    "assets/state-driver/0500_daemonset.yaml": """\
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: nvidia-driver-daemonset
          namespace: "FILLED BY THE OPERATOR"
        spec:
          selector:
            matchLabels: {app: nvidia-driver-daemonset}
          template:
            metadata:
              labels: {app: nvidia-driver-daemonset}
            spec:
              containers:
              - name: nvidia-driver-ctr
                image: "FILLED BY THE OPERATOR"
                resources: {requests: {cpu: 10m, memory: 64Mi}}
              - name: openshift-driver-toolkit-ctr
                image: "FILLED BY THE OPERATOR"
                resources: {requests: {cpu: 10m, memory: 64Mi}}
                volumeMounts:
                - name: shared-nvidia-driver-toolkit
                  mountPath: /mnt/shared-nvidia-driver-toolkit
              - name: config
                image: busybox:1.36
                resources: {requests: {cpu: 10m, memory: 64Mi}}
                volumeMounts:
                - name: config
                  mountPath: /config
              volumes:
              - name: config
                configMap: {name: "FILLED BY THE OPERATOR"}
        """,
}


def test_filled_by_the_operator_is_a_placeholder(tmp_path: Path) -> None:
    _repository(tmp_path, _DRIVER)
    rules = {f[1] for f in _loud(tmp_path)}
    assert not rules & {"object-name", "image-invalid", "configmap-ref-missing", "volume-mount-unknown"}
    infos = [f for f in _findings(tmp_path) if f[1] == "template-placeholder"]
    assert infos and "FILLED BY THE OPERATOR" in infos[0][3]


def test_a_mount_of_no_volume_stays_an_error_without_the_operator_words(tmp_path: Path) -> None:
    files = {name: text.replace('"FILLED BY THE OPERATOR"', "gpu-operator").replace(
        "image: gpu-operator", "image: nvcr.io/nvidia/driver:550") for name, text in _DRIVER.items()}
    files["assets/state-driver/cm.yaml"] = """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gpu-operator, namespace: gpu-operator}
        data: {a: b}
        """
    _repository(tmp_path, files)
    assert [f[1] for f in _findings(tmp_path) if f[2] == "ERROR"] == ["volume-mount-unknown"]


# validator/manifests/plugin-workload-validation.yaml: the validator replaces the resource
# name `FILLED_BY_VALIDATOR` with the GPU resource before it creates the Pod.
def test_a_resource_name_filled_by_a_program_is_a_placeholder(tmp_path: Path) -> None:
    _repository(tmp_path, {"validator/manifests/plugin-workload-validation.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata:
          generateName: nvidia-device-plugin-validator-
          namespace: "FILLED_BY_VALIDATOR"
        spec:
          restartPolicy: OnFailure
          containers:
          - name: plugin-validation
            image: "FILLED_BY_VALIDATOR"
            resources:
              limits:
                "FILLED_BY_VALIDATOR": 1
        """})
    assert [f for f in _findings(tmp_path) if f[2] == "ERROR"] == []


# --- a password in a URL to an example host ----------------------------------------------------

# gpu-operator internal/state/testdata/golden/driver-openshift-drivertoolkit.yaml:
# `HTTP_PROXY: http://user:pass@example:8080`, a host name reserved for documentation (RFC 2606).
def test_a_password_for_an_example_host_is_no_credential(tmp_path: Path) -> None:
    deployment = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: driver, namespace: test}
        spec:
          selector: {matchLabels: {app: driver}}
          template:
            metadata: {labels: {app: driver}}
            spec:
              containers:
              - name: nvidia-driver-ctr
                image: nvcr.io/nvidia/driver:550
                env:
                - {name: HTTP_PROXY, value: "http://user:pass@example:8080"}
                - {name: HTTPS_PROXY, value: "https://user:pass@proxy.example.com:8085"}
                - {name: NO_PROXY, value: "PROXY"}
        """
    _repository(tmp_path / "a", {"driver.yaml": deployment})
    assert "env-secret-literal" not in {f[1] for f in _findings(tmp_path / "a")}
    _repository(tmp_path / "b", {"driver.yaml": deployment.replace("@example:", "@proxy.corp.net:")})
    assert "env-secret-literal" in {f[1] for f in _findings(tmp_path / "b")}


# --- one Service named once ---------------------------------------------------------------------

# GoogleCloudPlatform/ai-on-gke tutorials-and-examples/inference-servers/jetstream/pytorch/
# single-host-inference: deployment.yaml and pd-deployment.yaml are alternatives, each with
# Service jetstream-svc; the message said "Service jetstream-svc, jetstream-svc".
def test_a_service_in_two_alternative_files_is_named_once(tmp_path: Path) -> None:
    text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: jetstream-pytorch-server}
        spec:
          selector: {matchLabels: {app: jetstream-pytorch-server}}
          template:
            metadata: {labels: {app: jetstream-pytorch-server}}
            spec:
              containers:
              - name: jetstream-pytorch-server
                image: us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-pytorch-server:v0.2.3
                ports: [{containerPort: 9000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: jetstream-svc}
        spec:
          selector: {app: jetstream-pytorch-server}
          ports: [{port: 9000, targetPort: 9000}]
        """
    _repository(tmp_path, {"deployment.yaml": text, "pd-deployment.yaml": text})
    messages = [f[3] for f in _findings(tmp_path) if f[1] == "probe-readiness-missing"]
    assert messages and all("Service jetstream-svc sends" in m for m in messages)


# --- a missed bug: an unknown type in a CRD schema -----------------------------------------------

# kubernetes-sigs/kubectl-validate testcases/manifests/error_crd_typo.yaml (Apache-2.0): `type:
# strign`, which the API server refuses (apiextensions validation.go
# ValidateCustomResourceDefinitionOpenAPISchema: Unsupported value).
_CRD = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: foos.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: foos, singular: foo, kind: Foo}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              type: {type: string}
              spec:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  message: {type: strign}
                  list:
                    type: array
                    items: {anyOf: [{type: integer}, {type: string}]}
    """


def test_an_unknown_type_in_a_crd_schema_is_an_error(tmp_path: Path) -> None:
    _repository(tmp_path, {"crd.yaml": _CRD})
    errors = [f for f in _findings(tmp_path) if f[2] == "ERROR"]
    assert [f[1] for f in errors] == ["value-unsupported"]
    assert "message.type" in errors[0][3] and '"strign"' in errors[0][3]
    _repository(tmp_path / "ok", {"crd.yaml": _CRD.replace("strign", "string")})
    assert [f for f in _findings(tmp_path / "ok") if f[2] == "ERROR"] == []
