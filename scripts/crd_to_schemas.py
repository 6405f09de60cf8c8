#!/usr/bin/env python3
"""Convert CustomResourceDefinition YAML files into schemas k8slint reads offline.

    scripts/crd_to_schemas.py -o DIR CRD.yaml|FOLDER...
        writes DIR/GROUP/KIND_VERSION.json for every served version of every CRD (kind in
        lower case: the CRDs-catalog layout, kubeconform's template
        `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`); then
        `k8slint check --schema-location DIR` validates custom resources against them.

    scripts/crd_to_schemas.py --bundle schemas/crds.json.gz NAME=FOLDER...
        writes k8slint's optional bundle (`--schema-location bundled`) from the CRD
        folders of upstream projects; schemas/README.md lists the sources and licences.

Each file is the version's openAPIV3Schema without descriptions; validation keywords and
x-kubernetes-* extensions (x-kubernetes-validations: the CEL rules) are kept. The output
is deterministic (sorted keys, gzip mtime 0). Only local files are read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from k8slint.schema_locations import CRD_SUFFIXES, crd_documents_in, layout, load_documents  # noqa: E402


def crd_files(paths: list[str]) -> list[str]:
    """The YAML files named, and those under the folders named (sorted)."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, names in os.walk(path):
                dirs.sort()
                found += [os.path.join(folder, n) for n in sorted(names) if n.endswith(CRD_SUFFIXES)]
        else:
            found.append(path)
    return found


def convert(paths: list[str]) -> dict[str, dict]:
    schemas: dict[str, dict] = {}
    for file in crd_files(paths):
        schemas.update(layout(load_documents(file)))
    return schemas


def write_folder(out: Path, schemas: dict[str, dict]) -> None:
    for relative, schema in sorted(schemas.items()):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_bundle(out: Path, named: list[str]) -> dict[str, dict]:
    schemas: dict[str, dict] = {}
    sources = []
    for entry in named:
        name, _, folder = entry.partition("=")
        if not folder:
            raise SystemExit(f"--bundle takes NAME=FOLDER, got {entry!r}")
        found = convert([folder])
        schemas.update(found)
        crds = sum(1 for f in crd_files([folder]) for _ in crd_documents_in(load_documents(f)))
        sources.append({"name": name, "crds": crds, "schemas": len(found)})
    text = json.dumps({"schemas": schemas, "sources": sources}, sort_keys=True, separators=(",", ":"))
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return schemas


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="folder to write GROUP/KIND_VERSION.json into")
    target.add_argument("--bundle", type=Path, help="write k8slint's bundle (NAME=FOLDER arguments)")
    parser.add_argument("paths", nargs="+", help="CRD files or folders (NAME=FOLDER with --bundle)")
    args = parser.parse_args(argv)
    if args.bundle:
        schemas = write_bundle(args.bundle, args.paths)
        size = args.bundle.stat().st_size
        print(f"{len(schemas)} schemas; {size / 1024:.0f} KiB in {args.bundle}")
    else:
        schemas = convert(args.paths)
        write_folder(args.output, schemas)
        print(f"{len(schemas)} schemas written under {args.output}")
    return 0 if schemas else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
