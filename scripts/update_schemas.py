#!/usr/bin/env python3
"""Regenerate schemas/ from the PyPI package kubernetes-validate (Apache-2.0).

Kubernetes 1.25-1.37 come from kubernetes-validate 1.37.0; 1.23 and 1.24, which that
release no longer ships, from kubernetes-validate 1.30.0 (same generator: its 1.25 files
are byte-identical to those of 1.37.0).

kubernetes-validate ships the Kubernetes OpenAPI definitions converted to JSON Schema
(draft 2020-12) as kubernetes-json-schema/vX.Y.0-local-strict/_definitions.json, with
`additionalProperties: false` everywhere (strict, like kubectl's field validation).

Output (what k8slint.schema reads):
  schemas/definitions.json.gz  {"pool": {key: schema}} every distinct definition of every
                               version once; key is the definition name, or name~N when
                               the definition changed between versions.
  schemas/index.json           {"versions": {"1.30": {"kinds": {"apps/v1/Deployment": name},
                               "changed": {name: name~N}}}, "source": ...}: per version,
                               its kinds and the definitions whose pool key is not the name.

Descriptions and other annotations are dropped: they are for humans, not for validation.

Usage: scripts/update_schemas.py [--from DIR...]   (DIRs: unpacked kubernetes_validate
packages, newest first; a version is read from the first DIR that has it)
Without --from, the packages are pip-installed into temporary venvs (kubernetes-validate is
never a runtime dependency of k8slint).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schemas"
PACKAGE = "kubernetes-validate"
# package version -> the Kubernetes versions taken from it
PACKAGE_VERSIONS = {"1.37.0": [f"1.{minor}" for minor in range(25, 38)],
                    "1.30.0": ["1.23", "1.24"]}
VERSIONS = sorted((v for vs in PACKAGE_VERSIONS.values() for v in vs), key=lambda v: int(v.split(".")[1]))
# Keywords validation needs; everything else (description, format, x-kubernetes-patch-*,
# x-kubernetes-list-*) is dropped.
KEEP = {"type", "properties", "additionalProperties", "required", "items", "enum", "oneOf",
        "anyOf", "allOf", "$ref", "pattern", "minimum", "maximum", "minLength", "maxLength",
        "minItems", "maxItems", "x-kubernetes-group-version-kind"}


def fetch(tmp: Path, version: str) -> Path:
    """Install one package version into a throwaway venv; return its schema folder."""
    venv = tmp / f"venv-{version}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps",
                    f"{PACKAGE}=={version}"], check=True)
    found = list(venv.glob("lib/python*/site-packages/kubernetes_validate"))
    if not found:
        raise SystemExit("kubernetes_validate not found after install")
    return found[0]


def strip(schema: object) -> object:
    """Keep only validation keywords; property names are data, not keywords."""
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: strip(sub) for name, sub in value.items()}
        elif key == "x-kubernetes-group-version-kind":
            out[key] = value
        else:
            out[key] = strip(value)
    return out


def build(packages: list[Path]) -> tuple[dict, dict]:
    pool: dict[str, dict] = {}
    versions: dict[str, dict] = {}
    for version in VERSIONS:
        relative = Path("kubernetes-json-schema") / f"v{version}.0-local-strict" / "_definitions.json"
        path = next((p / relative for p in packages if (p / relative).is_file()), None)
        if path is None:
            raise SystemExit(f"no package has {relative}")
        defs = json.loads(path.read_text(encoding="utf-8"))["$defs"]
        changed: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for name, schema in sorted(defs.items()):
            schema = strip(schema)
            gvks = schema.pop("x-kubernetes-group-version-kind", None)
            key = intern(pool, name, schema)
            if key != name:
                changed[name] = key
            # A definition with several GVKs (DeleteOptions, WatchEvent) is no object kind.
            if isinstance(gvks, list) and len(gvks) == 1:
                gvk = gvks[0]
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                kinds[f"{api_version}/{gvk['kind']}"] = name
        versions[version] = {"changed": changed, "kinds": dict(sorted(kinds.items()))}
    return pool, versions


def intern(pool: dict[str, dict], name: str, schema: dict) -> str:
    """Key of this schema in the pool: the name, or name~N for a changed definition."""
    n = 0
    while True:
        key = name if n == 0 else f"{name}~{n}"
        known = pool.get(key)
        if known is None:
            pool[key] = schema
            return key
        if known == schema:
            return key
        n += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="sources", type=Path, nargs="+",
                        help="unpacked kubernetes_validate package folders, newest first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        packages = args.sources or [fetch(Path(tmp), v) for v in PACKAGE_VERSIONS]
        pool, versions = build(packages)
    OUT.mkdir(exist_ok=True)
    text = json.dumps({"pool": pool}, sort_keys=True, separators=(",", ":"))
    # mtime=0: the same input gives the same bytes, so regenerating leaves git clean.
    with open(OUT / "definitions.json.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    used = ", ".join(f"{v} ({vs[0]}-{vs[-1]})" for v, vs in PACKAGE_VERSIONS.items())
    index = {"source": f"PyPI {PACKAGE} {used} (Apache-2.0), "
                       "kubernetes-json-schema/vX.Y.0-local-strict/_definitions.json",
             "versions": versions}
    (OUT / "index.json").write_text(json.dumps(index, sort_keys=True, indent=0) + "\n",
                                    encoding="utf-8")
    size = (OUT / "definitions.json.gz").stat().st_size + (OUT / "index.json").stat().st_size
    print(f"{len(pool)} definitions for {len(versions)} versions; {size / 1024:.0f} KiB in schemas/")


if __name__ == "__main__":
    main()
