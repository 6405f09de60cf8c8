"""Kustomizations built in worker processes (k8slint.kustomize.workers) give exactly the
findings of one process: same objects, same files, lines and columns (positions travel
from the workers), same order."""

from __future__ import annotations

import sys

import pytest

from k8slint.api import check, render
from k8slint.config import Config
from k8slint.kustomize import workers
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def overlays(tmp_path_factory):
    """Bases with two overlays each (the bench's kustomization corpus, smaller)."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import write_kustomize

    folder = tmp_path_factory.mktemp("overlays")
    write_kustomize(str(folder), 12)
    return str(folder)


@pytest.mark.parametrize("where", ["overlays", "upstream"])
def test_builds_in_workers_give_the_findings_of_one_process(where, overlays, monkeypatch):
    target = overlays if where == "overlays" else str(ROOT / "tests" / "kustomize" / "upstream")
    plain = render(check([target], Config(jobs=1)), "json")
    assert '"line": ' in plain and '"rule": ' in plain
    monkeypatch.setattr(workers, "PARALLEL_MIN_FOLDERS", 1)
    for jobs in (2, 3):
        assert render(check([target], Config(jobs=jobs)), "json") == plain, jobs
        assert render(check([target], Config(jobs=jobs)), "human") == render(check([target], Config(jobs=1)), "human")


def test_shares_are_contiguous_and_cover_every_root():
    roots = [f"r{i}" for i in range(23)]
    for jobs in (2, 3, 8, 40):
        shares = workers.split(roots, jobs)
        assert [r for share in shares for r in share] == roots
        assert len(shares) == jobs
    first, second = workers.split(roots, 2)
    assert len(first) > len(second)            # a worker also packs its builds


def test_a_failing_worker_is_redone_here_and_said_on_stderr(overlays, monkeypatch, capfd):
    import os

    plain = render(check([overlays], Config(jobs=1)), "json")
    here = os.getpid()
    pack = workers._pack

    def failing_in_workers(built):
        if os.getpid() != here:
            raise RuntimeError("boom")
        return pack(built)

    monkeypatch.setattr(workers, "PARALLEL_MIN_FOLDERS", 1)
    monkeypatch.setattr(workers, "_pack", failing_in_workers)
    assert render(check([overlays], Config(jobs=2)), "json") == plain
    err = capfd.readouterr().err
    assert "a worker building kustomizations failed (RuntimeError: boom)" in err
    assert "Traceback" not in err


def test_the_scripts_read_in_a_worker_loosen_the_builds_of_every_process(tmp_path, monkeypatch, capfd):
    """The repository's scripts are read in the first worker, beside its share of the scan
    (Team.scan's side job); the builds of every process, and of this one when that worker
    fails, are loosened as with one process."""
    import os

    from tests.test_precision_session10 import MAKEFILE, RULE, _repository

    flavors = [f"f{i}" for i in range(6)]
    _repository(tmp_path, {
        "Makefile": MAKEFILE.replace("default aks", " ".join(flavors)),
        **{f"templates/flavors/{f}/kustomization.yaml": "resources: [../../common/settings.yaml]\n"
           for f in flavors}})
    monkeypatch.chdir(tmp_path)
    plain = render(check(["."], Config(jobs=1)), "json")
    # the script builds f0..f5 loosened; default and aks, which it does not name, fail
    assert plain.count(f'"rule": "{RULE}"') == 1 and plain.count('"rule": "kustomize-build"') == 2
    monkeypatch.setattr(workers, "PARALLEL_MIN_FOLDERS", 1)
    for jobs in (2, 3):
        assert render(check(["."], Config(jobs=jobs)), "json") == plain, jobs
    here = os.getpid()
    scan = workers._serve

    def failing_in_workers(conn, shared, scan_one, build_one):
        def failing(folder):
            if os.getpid() != here:
                raise RuntimeError("boom")
            return scan_one(folder)
        scan(conn, shared, failing, build_one)

    monkeypatch.setattr(workers, "_serve", failing_in_workers)
    assert render(check(["."], Config(jobs=2)), "json") == plain
    assert "a worker building kustomizations failed (RuntimeError: boom)" in capfd.readouterr().err
