"""The resident server: everything imported and warmed up once, a forked child per request.

One server per install key (client.install_key) and user, on a Unix socket in a 0700
folder; a lock file keeps a second one from starting. The server keeps one spare child
forked in advance, which warms itself up again (so that the pages a check touches are
already its own) and then waits in accept(): a request never waits for a fork. The child
takes the client's stdin/stdout/stderr, cwd, environment, umask and argv, runs the normal
CLI (k8slint.cli.run) and sends its exit code back. The server exits after
K8SLINT_RESIDENT_IDLE seconds (default 15 minutes) without a request, on
`k8slint server stop`, or on SIGTERM.
"""

from __future__ import annotations

import gc
import io
import os
import select
import signal
import socket
import sys
import time
from typing import Any

from . import client

_WARM_UP = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {mode: production}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: registry.example/web:1.0.0
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: web}}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
          livenessProbe: {httpGet: {path: /live, port: http}, periodSeconds: 0}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: wbe}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules: [{host: web.example, http: {paths: [{path: /, pathType: Prefix,
          backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
"""


def main(path: str, key: str) -> None:
    """Serve the install whose key is `key` on the socket `path` until idle."""
    os.chdir(os.path.dirname(path))
    lock = _lock(path)
    if lock is None:
        return                                   # another server of this key is starting or running
    try:
        if client.install_key() != key:
            _unlock(path, lock)
            return                               # the install changed while this one started
        _warm_up()
        listener = _listen(path)
        inode = os.stat(path).st_ino
    except Exception:  # noqa: BLE001 - no server: clients run checks themselves
        _mark_failed(path)
        _unlock(path, lock)
        return
    try:
        _serve(listener, path, key, _idle_seconds())
    finally:
        _remove_socket(path, listener, inode)
        _unlock(path, lock)


def _idle_seconds() -> float:
    try:
        return max(float(os.environ.get(client.IDLE_ENV, "")), 0.1)
    except ValueError:
        return float(client.IDLE_SECONDS)


def _lock(path: str) -> int | None:
    import fcntl

    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(path: str, fd: int) -> None:
    try:
        os.unlink(path + ".lock")
    except OSError:
        pass
    os.close(fd)


def _mark_failed(path: str) -> None:
    try:
        with open(client.failed_marker(path), "w", encoding="utf-8") as handle:
            handle.write(f"{time.time()}\n")
    except OSError:
        pass


def _listen(path: str) -> socket.socket:
    """Bound under a temporary name and renamed into place, so that a client never finds
    the socket before the server is warm."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass
    listener.bind(temporary)
    listener.listen(64)
    os.replace(temporary, path)
    try:
        os.unlink(client.failed_marker(path))
    except FileNotFoundError:
        pass
    return listener


def _remove_socket(path: str, listener: socket.socket, inode: int) -> None:
    """Remove the socket file if it still is this server's (a newer server may have
    replaced it)."""
    try:
        if os.stat(path).st_ino == inode:
            os.unlink(path)
    except OSError:
        pass
    listener.close()


def _warm_up(full: bool = True) -> None:
    """Import what checks need and fill the caches every run uses (rules, checks, the
    schemas of the default version, Korean messages, rich for colour), with the state
    every run starts from afterwards. Nothing of a user's input is kept. Not `full`: one
    plain run only (a spare child touching its pages)."""
    from .. import schema
    from ..cli import main as cli_main
    from ..i18n import set_language

    runs: tuple[tuple[str, ...], ...] = ((), ("--color", "always"), ("--lang", "ko", "--format", "json"))
    saved = sys.stdin, sys.stdout, sys.stderr
    walked_first = schema.WALKED_FIRST
    if full:
        schema.WALKED_FIRST = 0                  # compile the fast validators here: every child shares them
    try:
        for flags in runs if full else runs[:1]:
            sys.stdin = io.TextIOWrapper(io.BytesIO(_WARM_UP.encode()), encoding="utf-8")
            sys.stdout = sys.stderr = io.StringIO()
            try:
                cli_main(["check", "--no-config", *flags, "-"], standalone_mode=False)
            except SystemExit:
                pass
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        schema.WALKED_FIRST = walked_first
        set_language("en")


class _Pipes:
    """The server's pipes to its children: `notify` (a child says it took a request: A, or
    a stop request: S) and `alive` (the server holds its write end: a spare sees EOF and
    exits when the server has gone, whatever killed it)."""

    def __init__(self) -> None:
        self.notify_read, self.notify_write = os.pipe()
        self.alive_read, self.alive_write = os.pipe()


def _serve(listener: socket.socket, path: str, key: str, idle: float) -> None:
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    gc.collect()
    gc.freeze()                                   # children share these pages, untouched by the GC
    pipes = _Pipes()
    spare = _fork_spare(listener, pipes, key)
    busy: set[int] = set()
    last = time.monotonic()
    while not stopping:
        wait = 1.0 if busy else idle - (time.monotonic() - last)
        if wait <= 0:
            break
        try:
            ready, _, _ = select.select([pipes.notify_read], [], [], wait)
        except InterruptedError:
            continue
        if ready:
            for byte in os.read(pipes.notify_read, 512):
                stopping = stopping or byte == ord("S")
                busy.add(spare)
                last = time.monotonic()
                spare = 0 if stopping else _fork_spare(listener, pipes, key)
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid == spare:                      # died before taking a request: stop serving
                stopping = True
                spare = 0
            busy.discard(pid)
            last = time.monotonic()
    if spare:
        try:
            os.kill(spare, signal.SIGTERM)
        except OSError:
            pass


def _fork_spare(listener: socket.socket, pipes: _Pipes, key: str) -> int:
    # Signals wait until the child has its own handlers (the server's only set a flag).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        return pid
    code = 1
    try:
        os.close(pipes.notify_read)
        os.close(pipes.alive_write)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        _warm_up(full=False)                      # touch, in this child, the pages a check touches
        ready, _, _ = select.select([listener.fileno(), pipes.alive_read], [], [])
        if pipes.alive_read in ready:
            os._exit(0)                           # the server has gone
        connection, _ = listener.accept()
        listener.close()
        os.close(pipes.alive_read)
        code = _take(connection, pipes.notify_write, key)
    finally:
        os._exit(code)


def _take(connection: socket.socket, notify_write: int, key: str) -> int:
    """Run one request in this (child) process. Never returns to the server's loop."""
    with connection:
        fds: list[int] = []
        try:
            if not _same_user(connection):
                raise PermissionError("another user's client")
            message = _receive(connection, fds)
            kind, protocol = message[0], message[1]
        except Exception:  # noqa: BLE001 - not a request of ours
            os.write(notify_write, b"A")
            return 1
        if kind == "stop" and protocol == client.PROTOCOL:
            os.write(notify_write, b"S")
            connection.sendall(b"S")
            return 0
        os.write(notify_write, b"A")
        if kind != "run" or protocol != client.PROTOCOL or message[2] != key or len(fds) != 3:
            connection.sendall(b"N")
            return 0
        _, _, _, argv, cwd, environ, umask, stdio = message
        try:
            _adopt(fds, cwd, environ, umask)
        except OSError:
            connection.sendall(b"N")
            return 0
        try:
            connection.sendall(b"K" + os.getpid().to_bytes(8, "little"))
            go = client.receive_exactly(connection, 1)
        except OSError:
            go = b""
        if go != b"G":
            return 0                             # the client gave up and runs the check itself
        code = _run(argv, stdio)
        try:
            connection.sendall(code.to_bytes(4, "little", signed=True))
        except OSError:
            pass
    return 0


def _same_user(connection: socket.socket) -> bool:
    """The client runs as this user (the socket's folder is private already; where the
    system tells the peer's credentials, they are checked too)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())


def _receive(connection: socket.socket, fds: list[int]) -> Any:
    import marshal

    data, received, _flags, _address = socket.recv_fds(connection, 1 << 16, 3)
    fds.extend(received)
    if len(data) < 8:
        data += client.receive_exactly(connection, 8 - len(data))
    size = int.from_bytes(data[:8], "little")
    body = data[8:]
    if len(body) < size:
        body += client.receive_exactly(connection, size - len(body))
    return marshal.loads(body)


def _adopt(fds: list[int], cwd: str, environ: dict[str, str], umask: int) -> None:
    """Become the client, as far as a run can tell: its descriptors on 0, 1 and 2, its
    working folder (config discovery), environment (language, colour, CI variables) and
    umask (files written)."""
    os.chdir(cwd)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(environ)
    os.umask(umask)
    time.tzset()
    import locale

    try:
        locale.setlocale(locale.LC_CTYPE, "")    # as Python does at start, with the client's variables
    except locale.Error:
        pass


def _stream(fd: int, name: str, settings: tuple[str, str, bool, bool, bool]) -> io.TextIOWrapper:
    """A standard stream built as the interpreter builds it at start (Python/pylifecycle.c
    create_stdio), with the client's encoding and buffering."""
    encoding, errors, line_buffering, write_through, buffered = settings
    writing = fd != 0
    binary: Any = open(fd, "wb" if writing else "rb", buffering=-1 if buffered or not writing else 0,
                  closefd=False)
    raw = binary.raw if buffered or not writing else binary
    raw.name = name
    stream = io.TextIOWrapper(binary, encoding, errors, newline="\n", line_buffering=line_buffering,
                              write_through=write_through)
    stream.mode = "w" if writing else "r"  # type: ignore[misc]
    return stream


def _run(argv: list[str], stdio: list[tuple[str, str, bool, bool, bool]]) -> int:
    """The CLI on the adopted state; its exit code (as the interpreter would exit)."""
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        stream = _stream(number, f"<{name}>", stdio[number])
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    sys.argv = list(argv)
    from ..cli import run
    from ..i18n import set_language

    set_language("en")                           # each run chooses its language again
    code: object = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        code = 130
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit

    atexit._run_exitfuncs()
    for flushed in (sys.stdout, sys.stderr):
        try:
            flushed.flush()
        except (OSError, ValueError):
            code = 120                           # what Python exits with when stdout cannot be flushed
    return code
