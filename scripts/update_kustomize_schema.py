"""Regenerate k8slint/kustomize/smp_schema.json.gz: the strategic-merge facts kustomize uses.

kustomize merges patches with the OpenAPI document it embeds (kyaml/openapi/kubernetesapi,
Kubernetes v1.21.2): a list is merged by key only where that document gives
`x-kubernetes-patch-strategy: merge`; every other list is replaced by the patch's. This
script keeps, per definition, only the fields that lead to object definitions or carry a
patch strategy, the kind -> definition index and the cluster-scoped kinds.

Usage: python3 scripts/update_kustomize_schema.py BUNDLE.json.gz
where BUNDLE is kyaml/openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz
from a checkout of kubernetes-sigs/kustomize (Apache-2.0; the definitions come from the
Kubernetes OpenAPI specification, Apache-2.0).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "k8slint" / "kustomize" / "smp_schema.json.gz"
PREFIX = "#/definitions/"
# kyaml/openapi/openapi.go precomputedIsNamespaceScoped lists these beyond the v1.21.2 document.
PRECOMPUTED_CLUSTER_SCOPED = {"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
                              "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding"}


def _ref(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(PREFIX):
        return ref[len(PREFIX):]
    return None


def compact(bundle: dict[str, Any]) -> dict[str, Any]:
    definitions: dict[str, Any] = bundle["definitions"]
    short: dict[str, int] = {}
    names: list[str] = []

    def number(name: str) -> int:
        if name not in short:
            short[name] = len(names)
            names.append(name)
        return short[name]

    defs: dict[str, dict[str, list[Any]]] = {}
    for name, schema in sorted(definitions.items()):
        fields: dict[str, list[Any]] = {}
        for field, prop in sorted((schema.get("properties") or {}).items()):
            target = _ref(prop)
            items = prop.get("items") if prop.get("type") == "array" else None
            if isinstance(items, dict):
                target = _ref(items)
            strategy = prop.get("x-kubernetes-patch-strategy", "")
            keys = prop.get("x-kubernetes-list-map-keys") or (
                [prop["x-kubernetes-patch-merge-key"]] if "x-kubernetes-patch-merge-key" in prop else [])
            if target is None and not strategy:
                continue
            fields[field] = [number(target) if target else -1, strategy, keys]
        if fields:
            defs[str(number(name))] = fields
    kinds = {f"{r['apiVersion']}/{r['kind']}": number(r["definition"])
             for r in bundle["resources"] if r.get("definition") in definitions}
    # kyaml's IsCertainlyClusterScoped reads the scope of (apiVersion, kind) from here.
    cluster = sorted({f"{r['apiVersion']}/{r['kind']}" for r in bundle["resources"]
                      if r.get("scope") == "Cluster"} | PRECOMPUTED_CLUSTER_SCOPED)
    return {"source": bundle.get("sources"), "names": names, "defs": defs, "kinds": kinds,
            "cluster_scoped": cluster}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with gzip.open(argv[1]) as handle:
        bundle = json.load(handle)
    text = json.dumps(compact(bundle), sort_keys=True, separators=(",", ":"))
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write(text.encode())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
