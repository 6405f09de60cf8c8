"""The client of resident mode: what the console script runs with --resident.

It must stay small: it imports only modules that Python has already loaded at start or
that cost nearly nothing (_socket, marshal, zlib); never click, YAML or the engine. Every
failure before the server's child has taken the request returns None, and the caller
runs the check in its own process, as without --resident.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys

from ..version import __version__

TYPE_CHECKING = False                    # typing itself is too slow to import here
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

PROTOCOL = 1
ENV_FLAG = "K8SLINT_RESIDENT"            # 1: `check` runs resident without the flag
IDLE_ENV = "K8SLINT_RESIDENT_IDLE"       # seconds a server waits for work before it exits
IDLE_SECONDS = 15 * 60
FAILED_PAUSE_NS = 10 * 60 * 10**9       # a server that failed to start: no new try for this long
ACCEPT_SECONDS = 10.0                    # a server that takes no request this long is given up
_HEADER = 8                              # bytes of a message's length, before the message
_STDIO = (0, 1, 2)


def requested(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> bool:
    """Does this command line ask for resident mode? Only `check` runs resident."""
    if len(argv) < 2 or argv[1] != "check":
        return False
    args = list(argv[2:])
    if "--" in args:
        args = args[:args.index("--")]
    if "--no-resident" in args:
        return False
    return "--resident" in args or environ.get(ENV_FLAG, "") not in ("", "0")


def package_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def install_key() -> str:
    """What a server must share with this process to run its checks: the interpreter, its
    flags and import path, the package's place and version, and the newest modification
    time of the package's files (code, rules, schemas, translations), so that a changed
    install never answers with the code it had when its server started."""
    package = package_dir()
    roots = [package]
    if not os.path.isdir(os.path.join(package, "_data")):        # a checkout (resources.data_dir)
        top = os.path.dirname(package)
        roots += [os.path.join(top, "rules"), os.path.join(top, "schemas")]
    newest = max(_newest(root) for root in roots)
    return "\n".join((sys.executable, package, __version__, str(newest), repr(sys.flags),
                      sys.getfilesystemencoding(), *sys.path[1:]))


def _newest(folder: str) -> int:
    """The newest st_mtime_ns of the files under folder (bytecode caches left out)."""
    newest = 0
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                else:
                    newest = max(newest, entry.stat().st_mtime_ns)
    return newest


def runtime_dir() -> str | None:
    """This user's folder for the servers' sockets: $XDG_RUNTIME_DIR/k8slint, else
    k8slint-UID in the temporary folder; None unless it is a folder of ours that nobody
    else can enter (0700)."""
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    if base and os.path.isabs(base) and os.path.isdir(base):
        folder = os.path.join(base, "k8slint")
    else:
        temp = next((os.environ[v] for v in ("TMPDIR", "TEMP", "TMP") if os.environ.get(v)), "/tmp")
        folder = os.path.join(temp, f"k8slint-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def socket_path(folder: str, key: str) -> str:
    import zlib

    data = key.encode("utf-8", "surrogateescape")
    return os.path.join(folder, f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.sock")


def connect(path: str) -> Any:
    """A connected Unix stream socket (raises OSError, AttributeError without AF_UNIX)."""
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(ACCEPT_SECONDS)
        sock.connect(path)
    except BaseException:
        sock.close()
        raise
    return sock


def send_message(sock: Any, message: Any, fds: Sequence[int] = ()) -> None:
    """One marshalled message, its length first; fds (SCM_RIGHTS) ride on its first byte."""
    import _socket

    data = marshal.dumps(message)
    data = len(data).to_bytes(_HEADER, "little") + data
    if fds:
        rights = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds)
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    else:
        sent = sock.send(data)
    if sent < len(data):
        sock.sendall(data[sent:])


def receive_exactly(sock: Any, size: int) -> bytes:
    """size bytes, or fewer when the other end closed the connection."""
    chunks = []
    while size > 0:
        chunk = sock.recv(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _stdio_settings() -> list[tuple[str, str, bool, bool, bool]]:
    """How this interpreter set up stdin, stdout and stderr: the child builds its own
    streams on the passed descriptors the same way (encoding, buffering, line buffering)."""
    settings = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None or stream.fileno() not in _STDIO:
            raise OSError("standard streams replaced")
        text: Any = stream                       # an io.TextIOWrapper when Python made it
        buffered = hasattr(getattr(text, "buffer", None), "raw")
        settings.append((str(text.encoding), str(text.errors or "strict"), bool(text.line_buffering),
                         bool(text.write_through), buffered))
    return settings


def run(argv: Sequence[str]) -> int | None:
    """Run this command line in the resident server: its exit code, or None when the caller
    must run it in-process (no server yet: one is started for the next run)."""
    try:
        folder = runtime_dir()
        if folder is None:
            return None
        key = install_key()
        path = socket_path(folder, key)
        try:
            sock = connect(path)
        except OSError:
            start_server(path, key)
            return None
    except Exception:  # noqa: BLE001 - resident mode is only ever a shortcut
        return None
    try:
        return _request(sock, key, list(argv))
    finally:
        sock.close()


def _request(sock: Any, key: str, argv: list[str]) -> int | None:
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sock.settimeout(ACCEPT_SECONDS)
        send_message(sock, ("run", PROTOCOL, key, argv, os.getcwd(), dict(os.environ), umask,
                            _stdio_settings()), _STDIO)
        answer = receive_exactly(sock, 9)
        if len(answer) != 9 or answer[:1] != b"K":
            return None                              # refused (another install's server)
        # The child runs only on this go: a client that gave up waiting never gets a run
        # in the server on top of its own.
        sock.settimeout(None)
        sock.sendall(b"G")
    except Exception:  # noqa: BLE001
        return None
    child = int.from_bytes(answer[1:], "little")
    # From here on the child owns the run: it cannot be run again here.
    restore = _forward_signals(child)
    try:
        code = receive_exactly(sock, 4)
    except OSError:
        code = b""
    finally:
        restore()
    if len(code) != 4:
        _say_lost()
        return 3                                     # cli.EXIT_INTERNAL_ERROR
    return int.from_bytes(code, "little", signed=True)


def _forward_signals(child: int) -> Any:
    """Ctrl-C, a CI's timeout or a closed terminal reach the process that does the work."""
    import signal

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(child, signum)
        except OSError:
            pass

    wanted = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {s: signal.signal(s, forward) for s in wanted}

    def restore() -> None:
        for signum, handler in before.items():
            signal.signal(signum, handler)

    return restore


def _say_lost() -> None:
    from ..i18n import _, language_from_env, set_language

    lang = next((argv_lang for argv_lang in _lang_flags(sys.argv)), None)
    set_language(lang or language_from_env())
    print(_("k8slint: internal error: the resident server's process ended before the check did; "
            "run it again with --no-resident"), file=sys.stderr)


def _lang_flags(argv: Sequence[str]) -> list[str]:
    found = []
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            found.append(argv[i + 1])
        elif arg.startswith("--lang="):
            found.append(arg.partition("=")[2])
    return found[-1:]


def failed_marker(path: str) -> str:
    return path + ".failed"


def start_server(path: str, key: str, wait: float = 0.0) -> bool:
    """Start a server for this install, detached (its own session, /dev/null for stdio);
    with `wait`, wait up to that many seconds until it answers. Not again for a while
    after a server of this key failed to start."""
    try:
        failed = os.stat(failed_marker(path))
        import time

        if not wait and time.time_ns() - failed.st_mtime_ns < FAILED_PAUSE_NS:
            return False
    except OSError:
        pass
    import subprocess

    package_parent = os.path.dirname(package_dir())
    code = ("import sys; sys.path[:] = sys.argv[3:]; "
            "from k8slint.resident.server import main; main(sys.argv[1], sys.argv[2])")
    # The interpreter's flags, and its UTF-8 mode even when the locale chose it: this
    # process changed the locale variables the server inherits (PEP 538 coercion).
    flags = [*subprocess._args_from_interpreter_flags(), "-X", f"utf8={sys.flags.utf8_mode}"]  # type: ignore[attr-defined]
    args = [sys.executable, *flags, "-c", code, path, key, package_parent, *sys.path[1:]]
    try:
        subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        return False
    if not wait:
        return True
    import time

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            connect(path).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_servers() -> int:
    """Ask every server of this user (any install, any version) to stop; how many did."""
    folder = runtime_dir()
    if folder is None:
        return 0
    stopped = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".sock"):
            continue
        try:
            sock = connect(os.path.join(folder, name))
        except OSError:
            continue
        try:
            send_message(sock, ("stop", PROTOCOL))
            if receive_exactly(sock, 1) == b"S":
                stopped += 1
        except OSError:
            pass
        finally:
            sock.close()
    return stopped
