"""Our valid/invalid verdicts agree with kubeconform -strict (1.37.0 schemas) on its fixtures.

tests/corpus/peers/kubeconform/expectations.yaml holds kubeconform's own verdict per
resource; "error" (unparsable, no schema) and "skipped" resources are not compared.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from k8slint.api import check
from k8slint.config import Config
from k8slint.model import Severity
from tests.conftest import CORPUS

PEER = CORPUS / "peers" / "kubeconform"


def _cases() -> list[tuple[str, list[dict]]]:
    path = PEER / "expectations.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(c["file"], [r for r in c["resources"] if r["status"] in ("valid", "invalid")])
            for c in data["cases"]]


CASES = [c for c in _cases() if c[1]]


@pytest.mark.parametrize("file, resources", CASES, ids=[c[0] for c in CASES])
def test_verdicts_agree(file, resources):
    config = Config(only=["schema"])
    config.kubernetes_version = (1, 37)
    result = check([str(PEER / file)], config)
    invalid = defaultdict(list)       # (kind, name) -> per object in order: has a schema error
    for obj in result.graph.objects:
        errors = [f for f in result.findings if f.object is obj.ref and f.severity == Severity.ERROR]
        # kubeconform names a generateName object "<prefix>{{ generateName }}".
        name = obj.name or f"{obj.generate_name}{{{{ generateName }}}}"
        invalid[(obj.kind, name)].append(bool(errors))
    for resource in resources:
        verdicts = invalid[(resource["kind"], resource["name"])]
        assert verdicts, f"{resource['kind']}/{resource['name']} not found"
        ours = "invalid" if verdicts.pop(0) else "valid"
        assert ours == resource["status"], (resource, [str(f.message) for f in result.findings])


def test_corpus_has_both_verdicts():
    statuses = {r["status"] for _, resources in CASES for r in resources}
    assert statuses == {"valid", "invalid"}
