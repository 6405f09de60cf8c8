"""--jobs: parsing in worker processes and checks split across a forked child give
exactly the findings of one process, and a child that fails is visible."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from k8slint import engine, fork
from k8slint.api import Result, check, render
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


# os.waitstatus_to_exitcode: a child killed by a signal gives -signal, one that exits gives
# its status; the warning says which (a child that exits 0 without its answer is a failure too).
@pytest.mark.parametrize("end, how", [
    (lambda: os.kill(os.getpid(), signal.SIGKILL), "signal 9"),
    (lambda: os._exit(0), "exit status 0"),
    (lambda: os._exit(3), "exit status 3"),
])
def test_the_warning_says_how_the_child_ended(end, how, capfd):
    parent = os.getpid()

    def answer() -> int:
        if os.getpid() != parent:
            end()
        return 42

    before = fork.redone
    assert fork.fork_call(answer)() == 42
    assert fork.redone == before + 1
    assert (f"k8slint: warning: the forked child running answer failed ({how}); ran it again in this "
            "process (same findings, slower; please report this)\n") in capfd.readouterr().err


def test_without_fork_the_call_runs_here(monkeypatch):
    """No os.fork on this platform (or no resources for a child): the call runs in this
    process, once, and nothing is said."""
    calls = []

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    before = fork.redone
    wait = fork.fork_call(lambda x: calls.append(x) or x * 2, 21)
    assert calls == [21] and wait() == 42 and calls == [21]
    assert fork.redone == before


@pytest.mark.parametrize("bundle", sorted(p.name for p in (ROOT / "tests" / "corpus" / "real").iterdir()
                                          if p.is_dir()))
def test_jobs_give_identical_output_on_real_bundles(bundle, monkeypatch):
    """The real-world bundles, small as they are, go through the worker processes and the
    forked check child (thresholds lowered), byte for byte as one process; the workers run
    the early checks (k8slint.early) on the files they take."""
    from k8slint import parallel

    target = [str(ROOT / "tests" / "corpus" / "real" / bundle)]
    plain = _formats(check(target, Config(jobs=1)))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 4 * 1024)        # several chunks: workers take some
    monkeypatch.setattr(engine, "FORK_MIN_OBJECTS", 1)
    before = fork.redone
    for jobs in (2, 3):
        assert _formats(check(target, Config(jobs=jobs))) == plain, jobs
    assert fork.redone == before
    assert '"rule": ' in plain[0]


def _formats(result: Result) -> list[str]:
    """JSON, human with everything shown, SARIF."""
    return [render(result, "json"), render(result, "human", show_suppressed=True, show_infos=True),
            render(result, "sarif")]
