"""`make fuzz`: coverage-guided fuzzing of the loader, `check` and `fix` with atheris.

    python fuzz/run.py [--seconds N] [--runs N] [TARGET...]     every target in turn
    python fuzz/run.py --target TARGET [libFuzzer flags...]      one target, in this process

Each target runs in its own process for N seconds (or N executions), seeded with the small
manifests of fixtures/ and tests/corpus/ and with what earlier runs found (fuzz/out/,
kept between runs). A crash is saved to fuzz/out/crash-TARGET-*; replay it with
`python fuzz/run.py --target TARGET FILE`, fix the bug, and add the input to
tests/fuzz_crashes/ (the robustness suite replays every file there). The summary line of
each target gives its executions and its coverage (libFuzzer's `cov`: edges of k8slint's
code reached; `ft`: features).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "out"
SEED_FOLDERS = ("fixtures", "tests/corpus", "tests/fixtures")
SEED_MAX_BYTES = 4096


def fuzz_one(target: str, flags: list[str]) -> None:
    """Run one target under atheris in this process (libFuzzer parses `flags`)."""
    import atheris

    sys.path.insert(0, str(ROOT))
    with atheris.instrument_imports(include=["k8slint"]):
        import k8slint.api  # noqa: F401 - instrumented before the first input
        import k8slint.fix  # noqa: F401
    from fuzz.harness import TARGETS
    function = TARGETS[target]
    function(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: warm}\n")   # lazy imports, now
    atheris.Setup([sys.argv[0], *flags], function)
    atheris.Fuzz()


def seeds(folder: Path) -> None:
    """Small manifests of the repository as the first corpus (once)."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return
    for base in SEED_FOLDERS:
        for path in sorted((ROOT / base).rglob("*")):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file() \
                    and path.stat().st_size <= SEED_MAX_BYTES:
                (folder / f"{base.replace('/', '_')}_{path.relative_to(ROOT / base)}".replace("/", "_")) \
                    .write_bytes(path.read_bytes())


SUMMARY = re.compile(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)")


def run_target(target: str, seconds: int | None, runs: int | None) -> tuple[int, str]:
    """One target in a child process; (exit code, summary line)."""
    corpus = OUT / f"corpus-{target}"
    seeds(corpus)
    flags = [f"-artifact_prefix={OUT}/crash-{target}-", "-max_len=1024", "-rss_limit_mb=4096",
             "-timeout=20", "-print_final_stats=1"]
    flags += [f"-max_total_time={seconds}"] if seconds else []
    flags += [f"-runs={runs}"] if runs else []
    process = subprocess.run([sys.executable, __file__, "--target", target, *flags, str(corpus)],
                             capture_output=True, text=True)
    found = SUMMARY.findall(process.stderr)
    summary = (f"{target}: {int(found[-1][0]):,} executions, cov {found[-1][1]}, ft {found[-1][2]}"
               if found else f"{target}: no summary")
    if process.returncode != 0:
        tail = "\n".join(process.stderr.splitlines()[-30:])
        summary += f"\n  FAILED (exit {process.returncode}); artifacts in {OUT}\n{tail}"
    return process.returncode, summary


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--target":
        fuzz_one(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", default=["loader", "check", "fix"])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")),
                        help="per target (default: FUZZ_SECONDS or 60)")
    parser.add_argument("--runs", type=int, help="executions per target (instead of a time)")
    args = parser.parse_args()
    try:
        import atheris  # noqa: F401
    except ImportError:
        raise SystemExit("atheris is not installed: pip install -e '.[fuzz]'") from None
    OUT.mkdir(parents=True, exist_ok=True)
    failed = 0
    for target in args.targets:
        code, summary = run_target(target, None if args.runs else args.seconds, args.runs)
        print(summary, flush=True)
        failed |= code != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
