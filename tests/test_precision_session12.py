"""Precision on repositories no earlier round read (session 12, precision15): kiali-operator,
emissary, k8s-config-connector, OT-CONTAINER-KIT/redis-operator, camel-k and others. Each
test is a finding that was not true of what gets applied, reduced to a small input copied
from the repository named beside it (all Apache-2.0); docs/real-repositories.md lists them."""

from __future__ import annotations

from pathlib import Path

from tests.test_precision_session10b import _findings, _write


def _loud(root: Path) -> list[tuple[str, str, str, str]]:
    return [f for f in _findings(root) if f[2] != "INFO"]


# --- Jinja2 templates (Ansible) -----------------------------------------------------------

# kiali/kiali-operator roles/default/kiali-deploy/templates/kubernetes/deployment.yaml (reduced)
_KIALI_DEPLOYMENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {{ kiali_vars.deployment.instance_name }}
      namespace: "{{ kiali_vars.deployment.namespace }}"
      labels: {{ kiali_resource_metadata_labels }}
    spec:
    {% if kiali_vars.deployment.hpa.spec | length == 0 %}
      replicas: {{ kiali_vars.deployment.replicas }}
    {% endif %}
      selector:
        matchLabels:
          app.kubernetes.io/name: kiali
    """

# kiali-operator roles/default/kiali-deploy/tasks/clusterroles-to-remove.yml: what the k8s
# module deletes (state: absent, template: clusterroles-to-remove.yml), identities only
_KIALI_TO_REMOVE = """\
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: {{ kiali_vars.deployment.instance_name }}
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: {{ kiali_vars.deployment.instance_name }}-{{ kiali_vars.deployment.namespace }}-oauth
    """

_JINJA_INFO = "unrendered Jinja template (Ansible, j2): render it first and check the output"


def test_a_jinja_template_is_reported_once_and_not_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"templates/deployment.yaml": _KIALI_DEPLOYMENT})
    found = _findings(tmp_path)
    assert [(f[1], f[2], f[3]) for f in found] == [("helm-template", "INFO", _JINJA_INFO)]


def test_a_jinja_expression_makes_a_template(tmp_path: Path) -> None:
    # kiali-operator molecule/default/kiali-cr.yaml: a filter and a conditional expression
    _write(tmp_path, {"kiali-cr.yaml": """\
        apiVersion: kiali.io/v1alpha1
        kind: Kiali
        metadata:
          name: kiali
        spec:
          version: {{ kiali.spec_version }}
          deployment:
            cluster_wide_access: {{ kiali.cluster_wide_access|bool }}
            service_type: {{ 'LoadBalancer' if is_kind else 'NodePort' }}
        """})
    assert [(f[1], f[3]) for f in _findings(tmp_path)] == [("helm-template", _JINJA_INFO)]


def test_a_file_of_an_ansible_role_is_a_jinja_template(tmp_path: Path) -> None:
    _write(tmp_path, {"roles/kiali-deploy/tasks/main.yml": "- name: remove\n  debug: {msg: x}\n",
                      "roles/kiali-deploy/tasks/clusterroles-to-remove.yml": _KIALI_TO_REMOVE})
    found = _findings(tmp_path)
    assert [(f[0], f[1], f[3]) for f in found if f[1] == "helm-template"] == [
        ("clusterroles-to-remove.yml", "helm-template", _JINJA_INFO)]
    assert _loud(tmp_path) == []


def test_dotted_braces_outside_an_ansible_role_stay_errors(tmp_path: Path) -> None:
    # Argo Workflows' unquoted `{{inputs.parameters.x}}` is a mistake kubectl refuses
    _write(tmp_path, {"clusterroles-to-remove.yml": _KIALI_TO_REMOVE})
    assert "yaml-syntax" in [f[1] for f in _loud(tmp_path)]


def test_a_go_template_function_call_is_a_go_template(tmp_path: Path) -> None:
    # emissary-ingress/emissary k8s/httptarget.yaml, rendered by its pkg/kubeapply. A call
    # written as the whole value is read as text (loader._GO_ACTION, precision16), so the Pod
    # is checked as rendered, the call itself one placeholder info
    _write(tmp_path, {"httptarget.yaml": """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: httptarget
        spec:
          containers:
          - name: httptarget
            image: {{image "../docker/test-http/Dockerfile"}}
        """})
    found = _findings(tmp_path)
    assert sorted(f[1] for f in found) == ["bare-pod", "pod-security-restricted", "probe-liveness-missing",
                                           "resource-best-effort", "template-placeholder"]
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        'a template placeholder ({{image "../docker/test-http/Dockerfile"}}) would be applied literally: '
        "substitute it before applying (envsubst, sed, kustomize, ko or your CI)"]


def test_a_tool_template_without_apiversion_stays_not_kubernetes(tmp_path: Path) -> None:
    # grafana/loki examples/nomad/loki-monolithic/config.yml: Loki's configuration as a Nomad
    # job renders it (consul-template), no Kubernetes object
    _write(tmp_path, {"config.yml": """\
        auth_enabled: false
        server:
          log_level: {{ env "NOMAD_LOG_LEVEL" }}
        common:
          path_prefix: {{ env "NOMAD_ALLOC_DIR" }}/data
        """})
    assert [(f[1], f[3]) for f in _findings(tmp_path)] == [
        ("not-kubernetes", "config.yml is not a Kubernetes manifest, not an object; skipped")]


# --- Python str.format fields -----------------------------------------------------------------

def test_python_format_fields_are_placeholders(tmp_path: Path) -> None:
    # emissary python/tests/src/tests/integration/manifests/*.yaml, filled by str.format in
    # its tests (manifests.py format)
    _write(tmp_path, {"backend.yaml": """\
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {self.path.k8s}
        spec:
          selector:
            backend: {self.path.k8s}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {self.path.k8s}-sa
        {serviceAccountExtra}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {self.path.k8s}
        spec:
          selector:
            matchLabels:
              backend: {self.path.k8s}
          template:
            metadata:
              labels:
                backend: {self.path.k8s}
            spec:
              containers:
              - name: backend
                image: {images[kat-server]}
                ports: [{containerPort: 8080}]
                resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
                readinessProbe: {httpGet: {port: 8080, path: /}}
        """})
    assert [f for f in _findings(tmp_path) if f[2] == "ERROR"] == []
    assert "template-placeholder" in [f[1] for f in _findings(tmp_path)]


# --- `%%%`, replaced by a Go test ---------------------------------------------------------------

def test_percent_placeholder_is_a_placeholder(tmp_path: Path) -> None:
    # apache/camel-k e2e/common/misc/cross-ns/sa-rolebinding.yaml: cloneAndReplaceNamespace
    # replaces %%% with the test's namespace
    _write(tmp_path, {"sa-rolebinding.yaml": """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: sa-get-kamelets
        subjects:
        - kind: ServiceAccount
          name: my-cross-ns-sa
          namespace: %%%
        roleRef:
          kind: Role
          name: test-get-kamelets
          apiGroup: rbac.authorization.k8s.io
        """})
    found = _findings(tmp_path)
    assert [f for f in found if f[2] == "ERROR"] == []
    assert [f[3] for f in found if f[1] == "template-placeholder"] == [
        "a template placeholder (%%%) would be applied literally: substitute it before applying "
        "(envsubst, sed, kustomize, ko or your CI)"]


# --- golden files of Go tests -------------------------------------------------------------------

def test_a_golden_file_of_a_go_test_is_not_applied(tmp_path: Path) -> None:
    # GoogleCloudPlatform/k8s-config-connector pkg/test/resourcefixture/testdata/basic/bigquery/
    # v1beta1/bigquerydataset/*/_generated_object_*.golden.yaml: the object as the controller
    # left it (status in the CRD's own format) that the test compares with what it reads back
    _write(tmp_path, {"testdata/basic/_generated_object_basicbigquerydataset.golden.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: golden, uid: null}
        spec:
          ports: [{port: "eighty"}]
        """})
    found = _findings(tmp_path)
    assert [(f[1], f[3]) for f in found] == [(
        "not-kubernetes",
        f"1 file(s) in {tmp_path}/testdata/basic (_generated_object_basicbigquerydataset.golden.yaml) are "
        "expected outputs of Go tests (test data whose names say expected or golden), compared with what "
        "the code makes and never applied: not checked as objects")]


# --- chainsaw steps in the test's order ---------------------------------------------------------

# a RoleBinding without its roleRef: what a later step may merge into the one an earlier made
_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: redis}
subjects: [{kind: ServiceAccount, name: redis-sa}]
"""

def test_a_chainsaw_step_updates_an_object_of_an_earlier_step_whatever_the_file_names(tmp_path: Path) -> None:
    # OT-CONTAINER-KIT/redis-operator tests/e2e-chainsaw/v1beta2/pvc-shrink-guard/redis-standalone:
    # chainsaw-test.yaml applies standalone.yaml, then shrink-patch.yaml, then expand-patch.yaml,
    # each a partial Redis merged into the one the first step made (a RoleBinding here)
    full = _BINDING + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: redis}\n"
    _write(tmp_path, {
        "e2e/shrink/chainsaw-test.yaml": """\
            apiVersion: chainsaw.kyverno.io/v1alpha1
            kind: Test
            metadata: {name: pvc-shrink-guard}
            spec:
              steps:
              - try: [{apply: {file: standalone.yaml}}]
              - try: [{apply: {file: shrink-patch.yaml}}]
              - try: [{apply: {file: expand-patch.yaml}}]
            """,
        "e2e/shrink/standalone.yaml": full,
        "e2e/shrink/shrink-patch.yaml": _BINDING,
        "e2e/shrink/expand-patch.yaml": _BINDING.replace("redis-sa", "redis-sa2")})
    assert [f for f in _findings(tmp_path) if f[1] == "schema-violation"] == []


def test_a_chainsaw_step_applied_first_still_needs_its_fields(tmp_path: Path) -> None:
    _write(tmp_path, {
        "e2e/shrink/chainsaw-test.yaml": """\
            apiVersion: chainsaw.kyverno.io/v1alpha1
            kind: Test
            metadata: {name: pvc-shrink-guard}
            spec:
              steps:
              - try: [{apply: {file: z-first.yaml}}]
              - try: [{apply: {file: a-second.yaml}}]
            """,
        "e2e/shrink/z-first.yaml": _BINDING,
        "e2e/shrink/a-second.yaml": _BINDING.replace("redis-sa", "redis-sa2")})
    assert [f[0] for f in _findings(tmp_path) if f[1] == "schema-violation"] == ["z-first.yaml"]


def test_a_golden_path_input_is_checked(tmp_path: Path) -> None:
    # k8s-config-connector pkg/cli/cmd/apply/yamlresource/testdata/golden_path_resource.yaml: the
    # "golden path" case a test reads, not a golden file; only `golden` before the extension counts
    _write(tmp_path, {"testdata/golden_path_resource.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: golden}
        spec:
          ports: [{port: "eighty"}]
        """})
    assert "schema-violation" in [f[1] for f in _loud(tmp_path)]
