"""Fuzz targets and their invariants, shared by the atheris runner (fuzz/run.py), the short
CI run (tests/test_fuzz.py) and the robustness suite, which replays every crash the fuzzer
ever found (tests/fuzz_crashes/).

Each target takes bytes and raises InvariantError (or lets a bug's exception escape) when
k8slint misbehaves on them:
  loader  bytes -> text -> documents: no exception, hits at positions inside the input
  check   the whole `check` pipeline on one text: no exception, no rule crash, every
          finding on the input at a position inside it
  fix     `fix` on one text: no exception; a text that parsed still parses after the fix;
          fixing the fixed text changes nothing
and none of them reads or writes a file outside the program itself (an audit hook).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

NAME = "fuzz.yaml"            # never a kustomization: building one reads other files
MAX_LEN = 4096                # bytes per input: manifests' structure, not their size


class InvariantError(AssertionError):
    """k8slint broke one of the fuzzed invariants on this input."""


# --- nothing outside the input is read or written -------------------------------------------
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ALLOWED_READ = tuple(os.path.realpath(p) + os.sep for p in {
    sys.prefix, sys.base_prefix, sys.exec_prefix,
    os.path.join(_ROOT, "k8slint"), os.path.join(_ROOT, "rules"), os.path.join(_ROOT, "schemas"),
    "/usr/share/zoneinfo",                   # the time zone database (CronJob timeZone)
    *(p for p in sys.path if p and os.path.isdir(p) and p != _ROOT and os.path.realpath(p) != "/")})
_FORBIDDEN_EVENTS = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod",
                     "shutil.rmtree", "shutil.copyfile", "shutil.move", "subprocess.Popen",
                     "os.system", "os.exec", "os.posix_spawn", "socket.connect", "socket.bind"}
_guard: dict[str, Any] = {"on": False, "seen": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _guard["on"]:
        return
    if event == "open":
        path, mode = args[0], args[1]
        if not isinstance(path, str | bytes):
            return                                   # a file descriptor
        path = os.fsdecode(path)
        writes = isinstance(mode, str) and any(c in mode for c in "wax+")
        if writes or not os.path.realpath(path).startswith(_ALLOWED_READ):
            _guard["seen"].append(f"{event} {path!r} {mode!r}")
    elif event in _FORBIDDEN_EVENTS:
        _guard["seen"].append(f"{event} {args[:2]!r}")


_installed: list[bool] = []


def _guarded(func: Callable[[], Any]) -> Any:
    if not _installed:
        sys.addaudithook(_audit)
        _installed.append(True)
    _guard["seen"] = []
    _guard["on"] = True
    try:
        return func()
    finally:
        _guard["on"] = False
        if _guard["seen"]:
            raise InvariantError("touched files outside the input: " + "; ".join(_guard["seen"][:3]))


# --- positions ---------------------------------------------------------------------------
# YAML's line breaks (YAML 1.1 section 5.4, PyYAML's reader): a lone CR is one, as in editors.
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _inside(text: str, line: int, column: int) -> bool:
    """A 1-based (line, column) inside the text, or just after its end."""
    lines = _BREAKS.split(text)
    if not 1 <= line <= len(lines) + 1 or column < 1:
        return False
    width = len(lines[line - 1]) if line <= len(lines) else 0
    return column <= width + 1


def _check_positions(text: str, where: Iterable[tuple[str, str, int, int]]) -> None:
    for what, file, line, column in where:
        if file != NAME:
            raise InvariantError(f"{what}: position in {file!r}, not in the input")
        if not _inside(text, line, column):
            raise InvariantError(f"{what}: position {line}:{column} outside the input")


def _text(data: bytes) -> str | None:
    from k8slint import loader

    text, _ = loader.decode(NAME, data[:MAX_LEN])
    return text


# --- the targets -------------------------------------------------------------------------
def fuzz_loader(data: bytes) -> None:
    from k8slint import loader

    def run() -> None:
        text, problem = loader.decode(NAME, data[:MAX_LEN])
        if problem is not None and problem.file != NAME:
            raise InvariantError("decode problem names another file")
        if text is None:
            return
        source = loader.Source(NAME, text)
        hits = loader.parse_source(source)
        _check_positions(text, ((h.rule or "?", h.file or "-", h.line, h.column) for h in hits))
        for doc in source.documents:
            line, column = doc.locate(())
            if not _inside(text, line, column):
                raise InvariantError(f"document {doc.index} at {line}:{column} outside the input")

    _guarded(run)


def fuzz_check(data: bytes) -> None:
    from k8slint.api import check_text

    text = _text(data)
    if text is None:
        return
    result = _guarded(lambda: check_text(text, name=NAME))
    for finding in [*result.findings, *result.suppressed]:
        if finding.message.startswith("internal error in rule"):
            raise InvariantError(finding.message)
    _check_positions(text, ((f.rule, f.file, f.line, f.column)
                            for f in [*result.findings, *result.suppressed]))


def fuzz_fix(data: bytes) -> None:
    from k8slint import loader
    from k8slint.fix import fix_text

    text = _text(data)
    if text is None:
        return
    fixed = _guarded(lambda: fix_text(text, NAME))
    if not fixed.changed:
        return

    def syntax_errors(t: str) -> int:
        return sum(1 for h in loader.parse_source(loader.Source(NAME, t)) if h.rule == "yaml-syntax")

    if syntax_errors(fixed.text) > syntax_errors(text):
        raise InvariantError("the fixed text no longer parses:\n" + fixed.text)
    again = _guarded(lambda: fix_text(fixed.text, NAME))
    if again.text != fixed.text:
        raise InvariantError("fix is not idempotent: a second fix changed the fixed text")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loader": fuzz_loader, "check": fuzz_check, "fix": fuzz_fix}
