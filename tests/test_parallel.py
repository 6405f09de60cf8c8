"""--jobs: parsing in worker processes and checks split across a forked child give
exactly the findings of one process."""

from __future__ import annotations

import sys

from k8slint.api import check, render
from k8slint.config import Config
from k8slint.engine import FORK_MIN_OBJECTS
from tests.conftest import ROOT


def test_jobs_give_identical_output(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.corpus import write

    write(str(tmp_path), FORK_MIN_OBJECTS + 300, per_file=100)
    (tmp_path / "broken.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {v: 1.10}}\n"
        "spec: {selector: {app: nothing}, ports: [{port: 80}]}\n")
    outputs = []
    for jobs in (1, 2):
        result = check([str(tmp_path)], Config(jobs=jobs))
        assert result.objects >= FORK_MIN_OBJECTS
        outputs.append(render(result, "json"))
    assert outputs[0] == outputs[1]
    assert '"rule": "yaml-string-trap"' in outputs[0] and '"rule": "service-selects-nothing"' in outputs[0]
