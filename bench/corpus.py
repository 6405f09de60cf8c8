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
