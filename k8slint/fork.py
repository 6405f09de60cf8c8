"""Running a function in a forked child that shares this process's memory copy-on-write."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# How many forked calls failed in the child and ran again in this process (tests read it;
# each failure is also said on stderr).
redone = 0


def fork_call(func: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start func(*args) in a forked child; returns a function that waits for its result.

    The child sees this process's memory as it is now (copy-on-write), so nothing but the
    result is pickled. Without fork the call runs here. If the child fails, the call runs
    again here, with a warning on stderr: the result is the same, only slower."""
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except (AttributeError, OSError):                     # no fork here, or no resources
        result = func(*args)
        return lambda: result
    if pid == 0:                                          # the child: never returns
        status = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(func(*args), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)              # whatever happened, the child must not run on
    os.close(write_fd)

    def wait() -> T:
        # Unpickled as it is read: the whole pickle is never held beside what it makes.
        with os.fdopen(read_fd, "rb") as pipe:
            try:
                answer: tuple[T] | None = (pickle.load(pipe),)
            except (EOFError, pickle.UnpicklingError):       # a failed child's cut output
                answer = None
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 0 and answer is not None:
            return answer[0]
        _warn_redone(getattr(func, "__name__", "the call"), code)
        return func(*args)

    return wait


def _warn_redone(name: str, code: int) -> None:
    global redone
    redone += 1
    how = f"exit status {code}" if code >= 0 else f"signal {-code}"
    print(f"k8slint: warning: the forked child running {name} failed ({how}); ran it again "
          "in this process (same findings, slower; please report this)", file=sys.stderr)
