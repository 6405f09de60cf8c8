"""k8s/references.py: which fields name which objects (shared with `explain`)."""

from __future__ import annotations

from k8slint.k8s.references import always_present, created_names, extract


def _refs(kind: str, data: dict, namespace: str | None = "ns", spec_path=None):
    return [(r.kind, r.namespace, r.name, r.optional, r.keys) for r in
            extract(kind, data, namespace, spec_path)]


def test_pod_spec_references_with_optional_and_keys():
    pod = {"spec": {
        "serviceAccountName": "sa",
        "imagePullSecrets": [{"name": "pull"}],
        "initContainers": [{"name": "i", "envFrom": [{"secretRef": {"name": "init-env"}}]}],
        "containers": [{"name": "c", "env": [
            {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "a"}}},
            {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "b", "optional": True}}},
            {"name": "C", "value": "plain"}]}],
        "volumes": [
            {"name": "v1", "configMap": {"name": "cm2", "items": [{"key": "x", "path": "x"}]}},
            {"name": "v2", "secret": {"secretName": "s2", "optional": True}},
            {"name": "v3", "persistentVolumeClaim": {"claimName": "data"}},
            {"name": "v4", "projected": {"sources": [{"configMap": {"name": "p-cm"}},
                                                      {"secret": {"name": "p-s"}},
                                                      {"serviceAccountToken": {"path": "t"}}]}},
        ]}}
    found = _refs("Pod", pod, spec_path=("spec",))
    assert ("ServiceAccount", "ns", "sa", False, ()) in found
    assert ("Secret", "ns", "pull", False, ()) in found
    assert ("Secret", "ns", "init-env", False, ()) in found
    assert ("ConfigMap", "ns", "cm", False,
            (("a", ("spec", "containers", 0, "env", 0, "valueFrom", "configMapKeyRef", "key")),)) in found
    assert ("Secret", "ns", "s", True,
            (("b", ("spec", "containers", 0, "env", 1, "valueFrom", "secretKeyRef", "key")),)) in found
    assert ("ConfigMap", "ns", "cm2", False,
            (("x", ("spec", "volumes", 0, "configMap", "items", 0, "key")),)) in found
    assert ("Secret", "ns", "s2", True, ()) in found
    assert ("PersistentVolumeClaim", "ns", "data", False, ()) in found
    assert ("ConfigMap", "ns", "p-cm", False, ()) in found
    assert ("Secret", "ns", "p-s", False, ()) in found
    assert len(found) == 10


def test_ingress_both_spellings_and_class():
    v1 = {"spec": {"ingressClassName": "nginx",
                   "defaultBackend": {"service": {"name": "default", "port": {"number": 80}}},
                   "rules": [{"http": {"paths": [{"backend": {"service": {"name": "web"}}}]}}]}}
    assert {(k, ns, n) for k, ns, n, _, _ in _refs("Ingress", v1)} == {
        ("IngressClass", None, "nginx"), ("Service", "ns", "default"), ("Service", "ns", "web")}
    beta = {"spec": {"backend": {"serviceName": "old", "servicePort": 80},
                     "rules": [{"http": {"paths": [{"backend": {"serviceName": "api"}}]}}]}}
    assert {n for _, _, n, _, _ in _refs("Ingress", beta)} == {"old", "api"}


def test_hpa_and_rbac():
    hpa = {"spec": {"scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                                       "name": "web"}}}
    [ref] = list(extract("HorizontalPodAutoscaler", hpa, "ns"))
    assert (ref.kind, ref.group, ref.name, ref.path) == (
        "Rollout", "argoproj.io", "web", ("spec", "scaleTargetRef", "name"))
    binding = {"roleRef": {"kind": "ClusterRole", "name": "view"},
               "subjects": [{"kind": "ServiceAccount", "name": "a"},
                            {"kind": "ServiceAccount", "name": "b", "namespace": "other"},
                            {"kind": "User", "name": "jane"}]}
    assert _refs("RoleBinding", binding) == [("ClusterRole", None, "view", False, ()),
                                             ("ServiceAccount", "ns", "a", False, ()),
                                             ("ServiceAccount", "other", "b", False, ())]
    # A ClusterRoleBinding's ServiceAccount subject needs its own namespace.
    assert _refs("ClusterRoleBinding", binding, None) == [("ClusterRole", None, "view", False, ()),
                                                          ("ServiceAccount", "other", "b", False, ())]


def test_odd_input_never_raises():
    for data in ({}, {"spec": None}, {"spec": {"containers": "x", "volumes": [None, 3]}},
                 {"spec": {"rules": [{"http": {"paths": None}}]}}, {"roleRef": [], "subjects": {}}):
        for kind in ("Pod", "Ingress", "RoleBinding", "HorizontalPodAutoscaler", "StatefulSet"):
            list(extract(kind, data, "ns", ("spec",)))


def test_objects_the_cluster_or_an_operator_provides():
    assert always_present("ServiceAccount", "default")
    assert always_present("ConfigMap", "kube-root-ca.crt")
    assert always_present("ClusterRole", "system:auth-delegator")
    assert not always_present("ServiceAccount", "web")
    assert created_names("bitnami.com", "SealedSecret", {"metadata": {"name": "db"}}) == [("Secret", "db")]
    assert created_names("external-secrets.io", "ExternalSecret",
                         {"metadata": {"name": "x"}, "spec": {"target": {"name": "db"}}}) == [("Secret", "db")]
    assert created_names("cert-manager.io", "Certificate", {"spec": {"secretName": "tls"}}) == [("Secret", "tls")]
    assert created_names("example.com", "Widget", {}) == []
    # one Secret per synced secretObjects entry (Secrets Store CSI driver)
    assert created_names("secrets-store.csi.x-k8s.io", "SecretProviderClass",
                         {"spec": {"secretObjects": [{"secretName": "a"}, {"type": "Opaque"}, {"secretName": "b"}]}}
                         ) == [("Secret", "a"), ("Secret", "b")]
    assert created_names("secrets-store.csi.x-k8s.io", "SecretProviderClass", {"spec": {}}) == []
