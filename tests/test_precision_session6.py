"""What aws-samples/eks-workshop-v2 and knative/serving showed (session 6): ko:// image
references, kapp and nodeadm configuration files, IngressClasses of other folders, Secrets a
SecretProviderClass syncs, and the sidecar Knative adds to every pod.

Fixtures are small and written here, modelled on those repositories (Apache-2.0 and MIT-0);
nothing of them is copied."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slint.api import check, check_text
from k8slint.config import Config


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _seen(tmp_path: Path) -> list[tuple[str, str, str]]:
    found = check([str(tmp_path)], Config()).findings
    return [(f.rule, str(f.severity), f.message) for f in found]


def test_a_ko_image_reference_is_a_placeholder_not_an_invalid_image():
    # knative/serving config/core/deployments/*.yaml: `ko apply -f` builds the Go package and
    # puts the image's reference in place of the ko:// string (https://ko.build/features/k8s/)
    result = check_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n"
                        "    spec:\n      restartPolicy: OnFailure\n      containers:\n        - name: migrate\n"
                        "          image: ko://knative.dev/pkg/apiextensions/storageversion/cmd/migrate\n"
                        "          resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 10Mi}}\n")
    assert [f.rule for f in result.findings if str(f.severity) != "info"] == []
    assert [str(f.severity) for f in result.findings if f.rule == "template-placeholder"] == ["info"]
    assert "ko://knative.dev/pkg/apiextensions/storageversion/cmd/migrate" in \
        next(f.message for f in result.findings if f.rule == "template-placeholder")


def test_a_ko_prefix_inside_a_value_is_no_placeholder():
    # only a whole reference that starts with ko:// is replaced by ko
    result = check_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                        "    - {name: c, image: 'registry.example.com/ko://app:1'}\n")
    assert [f.rule for f in result.findings if f.rule in ("image-invalid", "template-placeholder")] == \
        ["image-invalid"]


# knative/serving test/config/ytt/core/kapp-rebase-*.yaml: kapp takes kind Config out of its
# input (https://carvel.dev/kapp/docs/latest/config/), and it has no metadata.name;
# eks-workshop-v2 modules/networking/eks-hybrid-nodes/nodeconfig.yaml is copied to the node and
# read by `nodeadm init` (https://awslabs.github.io/amazon-eks-ami/nodeadm/)
@pytest.mark.parametrize("text, message", [
    ("apiVersion: kapp.k14s.io/v1alpha1\nkind: Config\nrebaseRules:\n"
     "  - {path: [spec, replicas], type: copy, sources: [existing, new]}\n",
     "Config (kapp.k14s.io/v1alpha1) is a kapp configuration, not a Kubernetes object: not checked"),
    ("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster: {name: my-cluster}\n",
     "NodeConfig (node.eks.aws/v1alpha1) is a nodeadm node configuration (EKS node bootstrap), not a "
     "Kubernetes object: not checked"),
])
def test_a_tool_configuration_is_no_object(text, message):
    assert [(f.rule, f.message) for f in check_text(text).findings] == [("not-kubernetes", message)]


INGRESS = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: ui, namespace: ui}}\nspec:\n"
           "  ingressClassName: {cls}\n  defaultBackend:\n    service: {{name: ui, port: {{number: 80}}}}\n"
           "---\napiVersion: v1\nkind: Service\nmetadata: {{name: ui, namespace: ui}}\n"
           "spec:\n  ports: [{{port: 80}}]\n")
INGRESS_CLASS = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {{name: {cls}}}\n" \
                "spec: {{controller: eks.amazonaws.com/alb}}\n"


def test_an_ingress_class_of_another_folder_does_not_make_a_class_missing(tmp_path):
    # eks-workshop-v2: `alb` comes with the AWS Load Balancer Controller chart; one unrelated
    # module defines `eks-auto-alb` for EKS Auto Mode
    _write(tmp_path, {"auto/ingressclass.yaml": INGRESS_CLASS.format(cls="eks-auto-alb"),
                      "auto/ingress.yaml": INGRESS.format(cls="eks-auto-alb"),
                      "exposing/ingress.yaml": INGRESS.format(cls="alb")})
    assert not [s for s in _seen(tmp_path) if s[0] == "ingress-class-missing"]


def test_an_ingress_class_missing_from_its_own_folder_still_warns(tmp_path):
    _write(tmp_path, {"app/ingressclass.yaml": INGRESS_CLASS.format(cls="alb"),
                      "app/ingress.yaml": INGRESS.format(cls="abl")})
    assert [s[:2] for s in _seen(tmp_path) if s[0] == "ingress-class-missing"] == [
        ("ingress-class-missing", "warning")]


CATALOG = ("apiVersion: v1\nkind: Secret\nmetadata: {name: catalog-db, namespace: catalog}\n"
           "stringData: {password: x}\n---\n"
           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: catalog, namespace: catalog}\nspec:\n"
           "  selector: {matchLabels: {app: catalog}}\n  template:\n    metadata: {labels: {app: catalog}}\n"
           "    spec:\n      containers:\n        - name: catalog\n          image: catalog:1.0\n"
           "          env:\n            - name: DB_PASSWORD\n              valueFrom:\n"
           "                secretKeyRef: {name: catalog-secret, key: password}\n"
           "          volumeMounts: [{name: secrets, mountPath: /etc/catalog-secret, readOnly: true}]\n"
           "      volumes:\n        - name: secrets\n          csi:\n            driver: secrets-store.csi.k8s.io\n"
           "            readOnly: true\n            volumeAttributes: {secretProviderClass: catalog-spc}\n")
SPC = ("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
       "metadata: {name: catalog-spc, namespace: catalog}\nspec:\n  provider: aws\n"
       "  secretObjects:\n    - secretName: catalog-secret\n      type: Opaque\n"
       "      data: [{objectName: password, key: password}]\n")


def test_a_secret_a_secret_provider_class_syncs_is_not_missing(tmp_path):
    # eks-workshop-v2 modules/security/secrets-manager: the CSI driver creates catalog-secret
    # from the SecretProviderClass when the pod mounts its volume
    # (https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret)
    _write(tmp_path, {"secrets-manager/secret-provider-class.yaml": SPC,
                      "secrets-manager/mounting-secrets/catalog.yaml": CATALOG})
    assert not [s for s in _seen(tmp_path) if s[0] == "secret-ref-missing"]


def test_without_the_secret_provider_class_the_secret_is_missing(tmp_path):
    _write(tmp_path, {"mounting-secrets/catalog.yaml": CATALOG})
    assert [s[:2] for s in _seen(tmp_path) if s[0] == "secret-ref-missing"] == [
        ("secret-ref-missing", "warning")]


KNATIVE_SERVICE = ("apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: autoscale}\nspec:\n"
                   "  template:\n    spec:\n      containers:\n        - image: example.com/autoscale:1.0\n")


def test_a_knative_service_without_resources_is_not_best_effort():
    # Knative adds the queue-proxy container, requesting 25m CPU by default, to every revision
    # pod (knative/serving pkg/reconciler/revision/resources/queue.go makeQueueContainer), so
    # the pod is Burstable; the user container still has no memory request or limit
    rules = {(f.rule, str(f.severity)) for f in check_text(KNATIVE_SERVICE).findings}
    assert ("resource-best-effort", "warning") not in rules
    assert ("resource-memory-unset", "warning") in rules


def test_an_argo_rollout_without_resources_is_still_best_effort():
    # Argo Rollouts makes ReplicaSets from the template as written: no container is added
    rollout = KNATIVE_SERVICE.replace("serving.knative.dev/v1", "argoproj.io/v1alpha1").replace(
        "kind: Service", "kind: Rollout").replace("        - image:", "        - name: app\n          image:")
    rules = {(f.rule, str(f.severity)) for f in check_text(rollout).findings}
    assert ("resource-best-effort", "warning") in rules


KONNECTIVITY = ("apiVersion: v1\nkind: Pod\nmetadata: {name: konnectivity-server, namespace: kube-system}\nspec:\n"
                "  hostNetwork: true\n  containers:\n    - name: konnectivity-server-container\n"
                "      image: registry.k8s.io/kas-network-proxy/proxy-server:v0.0.32\n")


def test_the_konnectivity_server_static_pod_is_no_object(tmp_path):
    # kubernetes/website content/en/examples/admin/konnectivity/konnectivity-server.yaml: put on
    # the control plane node as a static Pod beside the API server
    # (https://kubernetes.io/docs/tasks/extend-kubernetes/setup-konnectivity/)
    _write(tmp_path, {"admin/konnectivity/konnectivity-server.yaml": KONNECTIVITY,
                      "other/proxy.yaml": KONNECTIVITY})
    found = check([str(tmp_path)], Config()).findings
    static = [(Path(f.file).name, f.rule) for f in found if "static Pod manifest" in f.message]
    assert static == [("konnectivity-server.yaml", "not-kubernetes")]
    # the same Pod in a file named otherwise is an object, applied as written
    assert any(f.rule == "bare-pod" and Path(f.file).name == "proxy.yaml" for f in found)


UI_SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: ui, namespace: ui}\nspec:\n  ports: [{port: 80}]\n" \
             "  selector: {app: ui}\n"
UI_DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ui, namespace: ui}\nspec:\n"
                 "  selector: {matchLabels: {app: ui}}\n  template:\n    metadata: {labels: {app: ui}}\n"
                 "    spec:\n      containers: [{name: ui, image: 'ui:1.0'}]\n")


def test_a_finding_of_an_overlay_names_the_overlay_not_the_base(tmp_path):
    # eks-workshop-v2 modules/troubleshooting/alb/creating-alb patches base-application/ui's
    # Service selector on purpose; base-application builds the same file unpatched. The
    # finding is the overlay's, though both builds read the base's file.
    _write(tmp_path, {"base/kustomization.yaml": "resources: [ui]\n",
                      "base/ui/kustomization.yaml": "resources: [service.yaml, deployment.yaml]\n",
                      "base/ui/service.yaml": UI_SERVICE, "base/ui/deployment.yaml": UI_DEPLOYMENT,
                      "overlay/kustomization.yaml": "resources: [../base/ui]\npatches: [{path: service.yaml}]\n",
                      "overlay/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: ui, namespace: ui}\n"
                                              "spec:\n  selector: {app: ui-app}\n"})
    found = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "service-selects-nothing"]
    assert [(Path(f.file).name, str(f.severity)) for f in found] == [("service.yaml", "warning")]
    assert found[0].unit is not None and found[0].unit.rstrip("/").endswith("overlay")


def test_a_configuration_resource_of_another_unit_runs_no_pods(tmp_path):
    # eks-workshop-v2: exposing/gateway-api defines an AWS Load Balancer Controller
    # LoadBalancerConfiguration in namespace ui; it configures load balancers and runs no
    # pods, so it cannot make a Service of another folder select something
    lb = ("apiVersion: gateway.k8s.aws/v1beta1\nkind: LoadBalancerConfiguration\n"
          "metadata: {name: lb-config, namespace: ui}\nspec: {scheme: internet-facing}\n")
    _write(tmp_path, {"gateway/lb.yaml": lb,
                      "app/service.yaml": UI_SERVICE.replace("app: ui}", "app: ui-app}"),
                      "app/deployment.yaml": UI_DEPLOYMENT})
    found = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "service-selects-nothing"]
    assert [str(f.severity) for f in found] == ["warning"]


def test_an_autoscaler_scales_the_deployment_of_its_own_unit(tmp_path):
    # eks-workshop-v2: modules/autoscaling/workloads/hpa builds base-application with an HPA
    # for Deployment ui; other modules build the same base without one. Only the HPA's own
    # build has a Deployment the HPA owns; another unit's Deployment ui with replicas: 3 is
    # scaled by nothing.
    hpa = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ui, namespace: ui}\n"
           "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ui}\n"
           "  minReplicas: 2\n  maxReplicas: 4\n")
    _write(tmp_path, {"other/deployment.yaml": UI_DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: 3\n"
                                                                                          "  selector"),
                      "scaled/deployment.yaml": UI_DEPLOYMENT, "scaled/hpa.yaml": hpa})
    found = [f for f in check([str(tmp_path)], Config()).findings if f.rule == "hpa-target-sets-replicas"]
    assert found == []
