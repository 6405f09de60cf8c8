"""A fallback corpus generator, used when the reference generator (gen_corpus.py, the mix
our published figures are quoted on) is not given with K8SLINT_GEN_CORPUS."""

from __future__ import annotations

import os
import random

import yaml


def _stack(rng: random.Random, i: int, ns: str) -> list[dict]:
    app = f"app-{i}"
    labels = {"app.kubernetes.io/name": app}
    meta = {"name": app, "namespace": ns, "labels": labels}
    container = {"name": app, "image": f"registry.example.com/{app}:1.{rng.randint(0, 9)}",
                 "ports": [{"name": "http", "containerPort": 8080}],
                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                 "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}}}
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": dict(meta, name=f"{app}-config"),
         "data": {f"K{k}": str(rng.randint(0, 99)) for k in range(4)}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
         "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                  "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": meta,
         "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}},
    ]


def write(out: str, n: int, per_file: int = 50, seed: int = 1) -> None:
    rng = random.Random(seed)
    docs: list[dict] = []
    i = 0
    while len(docs) < n:
        docs.extend(_stack(rng, i, f"team-{i % 37}"))
        i += 1
    os.makedirs(out, exist_ok=True)
    for j in range(0, n, per_file):
        with open(os.path.join(out, f"manifests-{j // per_file:05d}.yaml"), "w") as handle:
            yaml.safe_dump_all(docs[j:j + per_file], handle, sort_keys=False)


KUSTOMIZATION_BASE = """\
resources:
  - app.yaml
configMapGenerator:
  - name: {app}-settings
    literals: [MODE=fast, LEVEL=info]
"""
KUSTOMIZATION_OVERLAY = """\
resources:
  - ../../base
namespace: {env}-{team}
namePrefix: {env}-
labels:
  - pairs: {{env: {env}}}
    includeSelectors: true
patches:
  - path: resources.yaml
images:
  - name: registry.example.com/{app}
    newTag: "2.{i}"
replicas:
  - name: {app}
    count: {replicas}
"""
OVERLAY_PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
spec:
  template:
    spec:
      containers:
        - name: {app}
          resources:
            limits: {{memory: 256Mi}}
"""


def _app(rng: random.Random, i: int) -> list[dict]:
    """An application as a base holds it: ten objects that refer to each other by name."""
    app = f"app-{i}"
    labels = {"app.kubernetes.io/name": app}
    meta = {"name": app, "labels": labels}
    deployment, service = _stack(rng, i, "unused")[1:]
    for obj in (deployment, service):
        obj["metadata"] = dict(meta)
    pod = deployment["spec"]["template"]["spec"]
    pod["serviceAccountName"] = app
    pod["containers"][0]["envFrom"] = [{"configMapRef": {"name": f"{app}-settings"}}]
    pod["containers"][0]["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    pod["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": f"{app}-data"}}]
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": dict(meta)},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": dict(meta),
         "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": dict(meta),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": app},
         "subjects": [{"kind": "ServiceAccount", "name": app}]},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": dict(meta, name=f"{app}-data"),
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}},
        deployment, service,
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": dict(meta),
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app},
                  "minReplicas": 2, "maxReplicas": 5}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": dict(meta),
         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": dict(meta),
         "spec": {"rules": [{"host": f"{app}.example.com", "http": {"paths": [
             {"path": "/", "pathType": "Prefix",
              "backend": {"service": {"name": app, "port": {"name": "http"}}}}]}}]}},
    ]


def write_kustomize(out: str, apps: int, seed: int = 1) -> None:
    """`apps` applications, each a base (nine objects in one file and a generated ConfigMap)
    and two overlays (namespace, namePrefix, labels with selectors, a strategic-merge patch,
    images, replicas): 2 x 10 objects built per application."""
    rng = random.Random(seed)
    for i in range(apps):
        app = f"app-{i}"
        root = os.path.join(out, app)
        os.makedirs(os.path.join(root, "base"), exist_ok=True)
        with open(os.path.join(root, "base", "kustomization.yaml"), "w") as handle:
            handle.write(KUSTOMIZATION_BASE.format(app=app))
        with open(os.path.join(root, "base", "app.yaml"), "w") as handle:
            yaml.safe_dump_all(_app(rng, i), handle, sort_keys=False)
        for env, replicas in (("staging", 1), ("prod", 3)):
            folder = os.path.join(root, "overlays", env)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "kustomization.yaml"), "w") as handle:
                handle.write(KUSTOMIZATION_OVERLAY.format(app=app, env=env, team=i % 37, i=i,
                                                          replicas=replicas))
            with open(os.path.join(folder, "resources.yaml"), "w") as handle:
                handle.write(OVERLAY_PATCH.format(app=app))
