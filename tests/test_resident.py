"""Resident mode (`check --resident`): real servers on real sockets, in a private runtime
folder per test, stopped in teardown. A resident run must give the same stdout, stderr
and exit code as a run in the client's own process, and anything unusable must make the
client run the check itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, TRAP_CONFIGMAP

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="POSIX only")

# The console script's code, plus a note (in a file, not on stdout or stderr) of whether
# the CLI was imported here (a fallback) or the run happened in the server, without this
# process importing click, YAML or the engine.
PROBE = """
import atexit, os, sys
def note():
    heavy = {"k8slint.cli", "click", "yaml", "k8slint.engine", "k8slint.api"} & set(sys.modules)
    with open(os.environ["K8SLINT_TEST_TRACE"], "w") as handle:
        handle.write("in-process" if heavy else "resident")
atexit.register(note)
sys.argv = ["k8slint", *sys.argv[1:]]
from k8slint.main import main
main()
"""
CLEAN = ROOT / "fixtures" / "demo" / "web.yaml"
FAILING = ROOT / "fixtures" / "broken" / "probe.yaml"


@pytest.fixture
def runtime() -> Iterator[dict[str, str]]:
    """An environment whose servers live in a private, short runtime folder (socket paths
    are limited to about 100 bytes); every server in it is stopped afterwards."""
    folder = tempfile.mkdtemp(prefix="k8r")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("K8SLINT_", "LC_", "LANG"))}
    env.update(XDG_RUNTIME_DIR=folder, K8SLINT_RESIDENT_IDLE="120", LANG="C.UTF-8")
    try:
        yield env
    finally:
        subprocess.run([sys.executable, "-m", "k8slint", "server", "stop"], env=env, capture_output=True,
                       timeout=60)
        _wait_for(lambda: not list(Path(folder).glob("k8slint/*.sock")), 20)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def k8slint(args: list[str], env: dict[str, str], *, cwd: Path = ROOT, stdin: bytes | None = None,
            trace: Path) -> tuple[subprocess.CompletedProcess[bytes], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], input=stdin, capture_output=True, cwd=cwd,
                          env={**env, "K8SLINT_TEST_TRACE": str(trace)}, timeout=120)
    return done, trace.read_text()


def start(env: dict[str, str], cwd: Path = ROOT) -> None:
    done = subprocess.run([sys.executable, "-m", "k8slint", "server", "start"], env=env, capture_output=True,
                          cwd=cwd, timeout=180)
    assert done.returncode == 0, done.stderr


def servers(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["XDG_RUNTIME_DIR"], "k8slint").glob("*.sock"))


def test_resident_runs_give_the_output_of_plain_runs(runtime: dict[str, str], tmp_path: Path) -> None:
    start(runtime)
    project = tmp_path / "project"
    project.mkdir()
    # The config of the folder the run starts in: fail on warnings, in Korean.
    (project / ".k8slint.yaml").write_text("fail-on: warning\nlang: ko\n")
    shutil.copy(FAILING, project / "app.yaml")
    korean = {**runtime, "LANG": "ko_KR.UTF-8"}
    start(korean)           # its own server when the locale is missing here (Python's UTF-8 mode is then on)
    cases = [
        (["check", str(CLEAN)], runtime, ROOT, None),
        (["check", str(FAILING)], runtime, ROOT, None),
        (["check", "--format", "json", str(FAILING)], runtime, ROOT, None),
        (["check", "--stdin-filename", "in.yaml", "-"], runtime, ROOT, TRAP_CONFIGMAP.encode()),
        (["check", "-"], runtime, ROOT, FAILING.read_bytes()),
        (["check", str(FAILING)], korean, ROOT, None),
        (["check", "app.yaml"], runtime, project, None),
        (["check", "--no-such-flag"], runtime, ROOT, None),
        (["check", "missing.yaml"], runtime, ROOT, None),
    ]
    for args, env, cwd, stdin in cases:
        plain, how = k8slint(args, env, cwd=cwd, stdin=stdin, trace=tmp_path / "plain")
        assert how == "in-process"
        resident, how = k8slint([*args, "--resident"], env, cwd=cwd, stdin=stdin, trace=tmp_path / "resident")
        assert how == "resident", args
        assert (resident.returncode, resident.stdout, resident.stderr) == \
               (plain.returncode, plain.stdout, plain.stderr), args
    # The cases above are not all alike: findings, Korean, the folder's config were seen.
    assert k8slint(["check", "app.yaml"], runtime, cwd=project, trace=tmp_path / "t")[0].returncode == 1
    assert "오류" in k8slint(["check", str(FAILING)], korean, trace=tmp_path / "t")[0].stdout.decode()


def test_the_environment_variable_turns_it_on_and_the_flag_off(runtime: dict[str, str], tmp_path: Path) -> None:
    start(runtime)
    env = {**runtime, "K8SLINT_RESIDENT": "1"}
    assert k8slint(["check", str(CLEAN)], env, trace=tmp_path / "t")[1] == "resident"
    assert k8slint(["check", "--no-resident", str(CLEAN)], env, trace=tmp_path / "t")[1] == "in-process"
    assert k8slint(["rules"], env, trace=tmp_path / "t")[1] == "in-process"      # only check


def test_the_first_resident_run_starts_a_server(runtime: dict[str, str], tmp_path: Path) -> None:
    first, how = k8slint(["check", "--resident", str(CLEAN)], runtime, trace=tmp_path / "t")
    assert how == "in-process" and first.returncode == 0
    assert _wait_for(lambda: servers(runtime), 120)
    assert _wait_for(lambda: k8slint(["check", "--resident", str(CLEAN)], runtime,
                                     trace=tmp_path / "t")[1] == "resident", 30)


def test_a_terminal_is_seen_through_the_passed_descriptors(runtime: dict[str, str], tmp_path: Path) -> None:
    """Colour goes on when stdout is a terminal: the child writes to the client's own tty."""
    import pty

    start(runtime)
    outputs = []
    for flag in ("--no-resident", "--resident"):
        leader, follower = pty.openpty()
        try:
            done = subprocess.run([sys.executable, "-c", PROBE, "check", flag, str(FAILING)], stdout=follower,
                                  stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                                  env={**runtime, "K8SLINT_TEST_TRACE": str(tmp_path / "t"), "TERM": "xterm"})
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:                   # EIO: the terminal has no writer left
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(leader)
        outputs.append((done.returncode, b"".join(chunks), (tmp_path / "t").read_text()))
    assert outputs[0][2] == "in-process" and outputs[1][2] == "resident"
    assert b"\x1b[" in outputs[0][1]                                      # coloured: a terminal
    assert outputs[0][:2] == outputs[1][:2]


def test_a_changed_install_gets_a_new_server(runtime: dict[str, str], tmp_path: Path) -> None:
    """The key names the socket: a package file newer than the server's start means a new
    server, and the old one is never asked."""
    install = tmp_path / "install"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("k8slint", "rules", "schemas"):
        shutil.copytree(ROOT / folder, install / folder, ignore=ignore)
    env = {**runtime, "PYTHONPATH": str(install)}
    start(env, cwd=tmp_path)
    assert len(servers(env)) == 1

    def run() -> str:       # from tmp_path: the checkout's own k8slint/ is not on the path
        return k8slint(["check", "--resident", str(CLEAN)], env, cwd=tmp_path, trace=tmp_path / "t")[1]

    assert run() == "resident"
    later = time.time() + 5
    os.utime(install / "rules" / "probe-invalid.yaml", (later, later))
    assert run() == "in-process"                                  # not the stale server
    assert _wait_for(lambda: len(servers(env)) == 2, 120)         # a new one for the new key
    assert _wait_for(lambda: run() == "resident", 30)


def test_the_server_exits_when_idle(runtime: dict[str, str], tmp_path: Path) -> None:
    env = {**runtime, "K8SLINT_RESIDENT_IDLE": "1"}
    start(env)
    assert servers(env)
    assert _wait_for(lambda: not servers(env), 30)
    # the server removes its socket first and its lock file just after (server.py _unlock)
    assert _wait_for(lambda: not list(Path(env["XDG_RUNTIME_DIR"], "k8slint").glob("*.lock")), 30)
    assert k8slint(["check", "--resident", str(CLEAN)], env, trace=tmp_path / "t")[1] == "in-process"


def test_server_stop(runtime: dict[str, str]) -> None:
    start(runtime)
    done = subprocess.run([sys.executable, "-m", "k8slint", "server", "stop"], env=runtime,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "stopped 1 resident server(s)\n"
    assert _wait_for(lambda: not servers(runtime), 20)


@pytest.mark.parametrize("unusable", ["a file", "open to others", "path too long"])
def test_the_client_falls_back_when_the_socket_folder_is_unusable(unusable: str, runtime: dict[str, str],
                                                                   tmp_path: Path) -> None:
    base = Path(runtime["XDG_RUNTIME_DIR"])
    if unusable == "a file":
        (base / "k8slint").write_text("")
    elif unusable == "open to others":
        (base / "k8slint").mkdir(mode=0o755)
        os.chmod(base / "k8slint", 0o755)
    else:
        base = base / ("x" * 100)
        base.mkdir()
    env = {**runtime, "XDG_RUNTIME_DIR": str(base)}
    plain, _ = k8slint(["check", str(FAILING)], env, trace=tmp_path / "t")
    for _ in range(2):
        resident, how = k8slint(["check", "--resident", str(FAILING)], env, trace=tmp_path / "t")
        assert how == "in-process"
        assert (resident.returncode, resident.stdout, resident.stderr) == \
               (plain.returncode, plain.stdout, plain.stderr)
    assert not list(base.glob("k8slint/*.sock"))


def test_a_server_that_drops_the_request_is_not_waited_for(runtime: dict[str, str], tmp_path: Path) -> None:
    """Something listening on the socket that closes the connection without taking the
    request (a server dying, an impostor): the client checks in its own process."""
    import socket
    import threading

    where = subprocess.run([sys.executable, "-c", "from k8slint.resident import client; "
                            "print(client.socket_path(client.runtime_dir(), client.install_key()))"],
                           env=runtime, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(where)
    listener.listen(4)
    taken: list[bytes] = []

    def drop() -> None:
        connection, _ = listener.accept()
        taken.append(connection.recv(65536))
        connection.close()

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    try:
        plain, _ = k8slint(["check", str(FAILING)], runtime, trace=tmp_path / "t")
        resident, how = k8slint(["check", "--resident", str(FAILING)], runtime, trace=tmp_path / "t")
    finally:
        thread.join(10)
        listener.close()
        os.unlink(where)
    assert taken and how == "in-process"
    assert (resident.returncode, resident.stdout, resident.stderr) == (plain.returncode, plain.stdout, plain.stderr)
