"""--jobs: parsing in worker processes and checks split across a forked child give
exactly the findings of one process, and a child that fails is visible."""

from __future__ import annotations

import os
import sys

import pytest

from k8slint import engine, fork
from k8slint.api import check, render
from k8slint.config import Config
from k8slint.engine import FORK_MIN_OBJECTS
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A folder big enough for the forked checks (and the worker processes)."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import write

    folder = tmp_path_factory.mktemp("large")
    write(str(folder), FORK_MIN_OBJECTS + 300, per_file=100)
    (folder / "broken.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {v: 1.10}}\n"
        "spec: {selector: {app: nothing}, ports: [{port: 80}]}\n")
    return str(folder)


@pytest.fixture(scope="module")
def one_process(large):
    result = check([large], Config(jobs=1))
    assert result.objects >= FORK_MIN_OBJECTS
    return render(result, "json")


def test_jobs_give_identical_output_and_the_child_does_its_share(large, one_process, capfd):
    before = fork.redone
    assert render(check([large], Config(jobs=2)), "json") == one_process
    assert fork.redone == before, "the forked child failed and its checks ran again here"
    assert "forked child" not in capfd.readouterr().err
    assert '"rule": "yaml-string-trap"' in one_process and '"rule": "service-selects-nothing"' in one_process


def test_a_failing_child_is_redone_here_and_said_on_stderr(large, one_process, monkeypatch, capfd):
    parent = os.getpid()
    real = engine._run_specs

    def fails_in_the_child(*args):
        if os.getpid() != parent:
            raise RuntimeError("child broken")
        return real(*args)

    monkeypatch.setattr(engine, "_run_specs", fails_in_the_child)
    before = fork.redone
    assert render(check([large], Config(jobs=2)), "json") == one_process
    assert fork.redone == before + 1
    err = capfd.readouterr().err
    assert "k8slint: warning: the forked child running fails_in_the_child failed (exit status 1)" in err
