"""Writing a fixed file atomically: a temp file in the same folder, then os.replace.

os.replace is atomic on POSIX and Windows when both paths are on one file system, which a
sibling temp file guarantees. Until the rename the original is untouched; after it, the
new text is complete. The file keeps its mode and a UTF-8 byte order mark if it had one.
"""

from __future__ import annotations

import os
import stat
import tempfile

_BOM = b"\xef\xbb\xbf"


class WriteError(OSError):
    """The fixed text could not be written; the original file is unchanged."""


def write_atomic(path: str, text: str) -> None:
    target = os.path.realpath(path)          # a symlink stays a symlink to the fixed file
    folder = os.path.dirname(target) or "."
    try:
        with open(target, "rb") as handle:
            head = handle.read(3)
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as exc:
        raise WriteError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise WriteError(f"{path}: UTF-16 file: not rewritten (save it as UTF-8 to fix it)")
    data = (_BOM if head == _BOM else b"") + text.encode("utf-8")
    temp = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".k8slint-fix",
                                    dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}; the file is unchanged") from exc
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
