"""Running a function in a forked child that shares this process's memory copy-on-write."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


def fork_call(func: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start func(*args) in a forked child; returns a function that waits for its result.

    The child sees this process's memory as it is now (copy-on-write), so nothing but the
    result is pickled. Without fork, or if the child fails, the call runs here instead."""
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except (AttributeError, OSError):
        result = func(*args)
        return lambda: result
    if pid == 0:                                          # the child
        status = 0
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(func(*args), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:                             # noqa: BLE001 - the parent redoes it
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)

    def wait() -> Any:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return func(*args)
        return pickle.loads(data)

    return wait
