"""Write k8slint's bundled schemas of one Kubernetes version in kubeconform's local layout,
so kubeconform runs offline on the same schemas (bench only; the output is scratch).

Layout: OUT/{{ .ResourceKind }}{{ .KindSuffix }}.json, one standalone strict schema per kind
(the kind's definition at the top, every definition it reaches under "definitions"), which
kubeconform reads with `-schema-location 'OUT/{{ .ResourceKind }}{{ .KindSuffix }}.json'`.
KindSuffix is kubeconform's pkg/registry/registry.go schemaPath: "-" + the first label of
the group (none for the core group) + "-" + the version, lower case.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "{{ .ResourceKind }}{{ .KindSuffix }}.json"


def file_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    suffix = f"-{group.split('.')[0].lower()}-{version.lower()}" if group else f"-{version.lower()}"
    return f"{kind.lower()}{suffix}.json"


def write(out: Path, version: tuple[int, int] | None = None) -> Path:
    """Write the schemas (latest bundled version unless given); the location template."""
    sys.path.insert(0, str(ROOT))
    from k8slint import schema
    version = version or schema.bundled_versions()[-1]
    defs = schema.definitions(version)
    out.mkdir(parents=True, exist_ok=True)
    for key, name in schema.kinds(version).items():
        api_version, _, kind = key.rpartition("/")
        needed = schema.closure(defs, [name])
        document = dict(needed[name], definitions={n: d for n, d in needed.items()})
        text = json.dumps(document).replace('"#/$defs/', '"#/definitions/')
        (out / file_name(api_version, kind)).write_text(text)
    return out


if __name__ == "__main__":
    folder = write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "out" / "kubeconform-schemas")
    print(f"{folder}/{TEMPLATE}")
