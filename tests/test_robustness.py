"""Hostile and broken input: findings or a one-line error, exit 0-2, never a traceback,
each within 20 s and 1 GiB (issue: speed and robustness)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import ROOT

TIME_LIMIT_S = 20
MEMORY_LIMIT_MIB = 1024
OBJECT = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"


def alias_bomb() -> bytes:
    lines = [OBJECT.rstrip("\n"), "data:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


def deep_nesting() -> bytes:
    depth = 10_000
    block = "".join("  " * i + "k:\n" for i in range(200))
    return (OBJECT + "data: " + "[" * depth + "]" * depth + "\n---\n" + OBJECT + "spec:\n" +
            "\n".join("  " * (i + 1) + "k:" for i in range(depth)) + " 1\n" + block).encode()


def big_file() -> bytes:
    one = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels: {{app: web}}\n"
           "data:\n" + "".join(f"  key{k}: value-{k}-padding-padding-padding\n" for k in range(40)))
    parts, size, i = [], 0, 0
    while size < 20 * 1024 * 1024:
        doc = one.format(i=i)
        parts.append(doc)
        size += len(doc) + 4
        i += 1
    return "---\n".join(parts).encode()


def long_line() -> bytes:
    return (OBJECT + 'data:\n  blob: "' + "x" * (5 * 1024 * 1024) + '"\n').encode()


def wide_map() -> bytes:
    return (OBJECT + "data:\n" + "".join(f"  k{i}: v{i}\n" for i in range(100_000))).encode()


CASES: dict[str, Callable[[], bytes]] = {
    "alias-bomb": alias_bomb,
    "deep-nesting": deep_nesting,
    "20mb-file": big_file,
    "5mb-line": long_line,
    "100k-key-map": wide_map,
    "binary": lambda: os.urandom(4096) + b"\x00",
    "invalid-utf8": lambda: OBJECT.encode() + b"data:\n  a: \xff\xfe\xfd\n",
    "utf16-bom": lambda: (OBJECT + "data: {a: b}\n").encode("utf-16"),
    "tabs": lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
    "unterminated-quote": lambda: (OBJECT + 'data:\n  a: "open\n').encode(),
    "kind-is-a-list": lambda: b"apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: x}\n",
    "metadata-is-a-string": lambda: b"apiVersion: apps/v1\nkind: Deployment\nmetadata: web\nspec: 3\n",
    "spec-types-wrong": lambda: (b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: [a]}\n"
                                 b"spec: {selector: 1, template: {metadata: 2, spec: {containers: {a: 1}}}}\n"),
    "null-and-empty-documents": lambda: b"---\n---\n~\n---\nnull\n---\n\n",
    "helm-template": lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n",
    "numbers-as-keys": lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {1: a, true: b, null: c}\n",
    "recursive-alias": lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x, self: *m}\n",
}


def run_limited(args: list[str]) -> tuple[int, bytes, float, float]:
    """Run the CLI; returns exit code, stdout+stderr, seconds, and the peak RSS in MiB of
    that process (os.wait4's usage of it alone: RUSAGE_CHILDREN would also count every
    process the test session forked before, which share the session's pages)."""
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "k8slint", *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    killer = threading.Timer(TIME_LIMIT_S, process.kill)
    killer.start()
    try:
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)   # reaped here: Popen must not wait
    process.stdout.close()
    seconds = time.monotonic() - start
    if seconds >= TIME_LIMIT_S:
        pytest.fail(f"took more than {TIME_LIMIT_S} s")
    return process.returncode, output, seconds, usage.ru_maxrss / 1024


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(CASES[case]())
    code, output, seconds, peak = run_limited(["check", "--format", "json", str(path)])
    assert b"Traceback" not in output and b"internal error" not in output, output[-2000:].decode(errors="replace")
    assert code in (0, 1, 2)
    assert seconds < TIME_LIMIT_S
    assert peak < MEMORY_LIMIT_MIB, f"peak RSS {peak:.0f} MiB"


def test_symlink_loop_and_unreadable_entries(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ok.yaml").write_text(OBJECT)
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    os.symlink(tmp_path / "nowhere.yaml", tmp_path / "a" / "dangling.yaml")
    os.mkfifo(tmp_path / "a" / "pipe.yaml")
    # a link to nothing holds no manifest (argo-cd keeps one in its testdata on purpose), and
    # a pipe would block the read: the walk leaves both out, the run checks ok.yaml
    code, output, _, _ = run_limited(["check", "--format", "json", str(tmp_path)])
    assert b"Traceback" not in output
    assert code == 0 and b"dangling.yaml" not in output and b"pipe.yaml" not in output
    assert json.loads(output)["summary"]["files"] == 1
    # named, a link to nothing is an error (exit 2), as a missing file is
    code, output, _, _ = run_limited(["check", str(tmp_path / "a" / "dangling.yaml")])
    assert code == 2 and b"dangling.yaml: no such file or directory" in output


FUZZ_CRASHES = sorted((ROOT / "tests" / "fuzz_crashes").iterdir())


@pytest.mark.parametrize("crash", FUZZ_CRASHES, ids=[p.name for p in FUZZ_CRASHES])
def test_inputs_the_fuzzer_once_broke(crash: Path) -> None:
    """Every input a fuzz harness ever failed on (make fuzz), through all three harnesses:
    no exception, positions inside the input, fix re-parses and is idempotent."""
    from fuzz.harness import TARGETS

    data = crash.read_bytes()
    for target in TARGETS.values():
        target(data)
