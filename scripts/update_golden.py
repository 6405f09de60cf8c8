"""Golden outputs: every report format of `check` and every explain format on the fixtures.

    python scripts/update_golden.py          # rewrite tests/golden/ (review the diff)
    python scripts/update_golden.py --check  # exit 1 and list the files that differ

tests/test_golden.py runs the same cases and compares byte for byte. Each case is run
through the CLI in-process from the repository root, with relative paths, so the files do
not depend on where the checkout is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

CHECK_FORMATS = {"human": "txt", "json": "json", "sarif": "sarif", "junit": "xml",
                 "github": "txt", "compact": "txt"}
EXPLAIN_FORMATS = {"human": "txt", "json": "json", "markdown": "md", "mermaid": "mmd"}
# The HTML pages (large, byte-stable) of a few cases; their structure is tested in test_html_*.py.
HTML_CASES = ("demo-apply", "demo-delete", "demo-rollout", "drain", "cron")
# (golden name, explain arguments)
EXPLAIN_CASES = [
    ("demo-apply", ["fixtures/demo/web.yaml"]),
    ("demo-rollout", ["--scenario", "rollout", "fixtures/demo/web.yaml"]),
    ("demo-delete", ["--scenario", "delete", "fixtures/demo/web.yaml"]),
    ("demo-scale", ["--scenario", "scale", "--replicas", "5", "fixtures/demo/web.yaml"]),
    ("statefulset-apply", ["fixtures/explain/statefulset-headless.yaml"]),
    ("job-apply", ["fixtures/explain/job.yaml"]),
    ("termination-delete", ["--scenario", "delete", "fixtures/explain/termination.yaml"]),
    ("demo-verbose", ["--verbose", "fixtures/demo/web.yaml"]),
    ("demo-phases", ["--group-by", "phase", "fixtures/demo/web.yaml"]),
    ("statefulset-scale-down", ["--scenario", "scale", "--replicas", "1", "fixtures/explain/statefulset-headless.yaml"]),
    ("drain", ["--scenario", "drain", "--node", "node-1", "--nodes", "2", "fixtures/explain/drain.yaml"]),
    ("cron", ["--scenario", "cron", "--window", "2h", "fixtures/explain/cronjob.yaml"]),
    ("crashloop", ["--fail", "web", "fixtures/explain/crashloop.yaml"]),
    ("job-failure", ["--fail", "migrate", "fixtures/explain/job-failure.yaml"]),
    ("slow-start", ["--slow-start", "40", "fixtures/demo/web.yaml"]),
]


def cases() -> Iterator[tuple[str, list[str]]]:
    """(golden file name, CLI arguments) for every golden output."""
    for fmt, ext in CHECK_FORMATS.items():
        yield f"check-broken.{fmt}.{ext}", ["check", "--no-config", "--format", fmt, "fixtures/broken"]
    yield "check-demo.human.txt", ["check", "--no-config", "fixtures/demo"]
    # The default output (no flags) on a folder with errors, warnings, infos and a suppression
    # with a reason; then everything listed, and the reason in JSON (SARIF's: test_everyday).
    yield "check-everyday.default.txt", ["check", "--no-config", "fixtures/everyday"]
    yield "check-everyday.show-all.txt", ["check", "--no-config", "--show-infos", "--show-suppressed",
                                          "fixtures/everyday"]
    yield "check-everyday.json.json", ["check", "--no-config", "--format", "json", "--show-suppressed",
                                       "fixtures/everyday"]
    yield "check-everyday.html.html", ["check", "--no-config", "--format", "html", "--show-suppressed",
                                       "fixtures/everyday"]
    for name, args in EXPLAIN_CASES:
        for fmt, ext in EXPLAIN_FORMATS.items():
            yield f"explain-{name}.{fmt}.{ext}", ["explain", "--format", fmt, *args]
        if name in HTML_CASES:
            yield f"explain-{name}.html.html", ["explain", "--format", "html", *args]


def run(args: list[str]) -> str:
    """The CLI's stdout for these arguments, run from the repository root without colour."""
    from click.testing import CliRunner

    from k8slint.cli import main

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    # SARIF names the folder it ran in (%SRCROOT%): the same in every checkout here.
    return result.output.replace(ROOT.as_uri() + "/", "file:///checkout/")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    check_only = "--check" in argv
    GOLDEN.mkdir(parents=True, exist_ok=True)
    stale = []
    wanted = set()
    for name, args in cases():
        wanted.add(name)
        text = run(args)
        path = GOLDEN / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check_only:
            path.write_text(text, encoding="utf-8")
    for path in GOLDEN.iterdir():
        if path.name not in wanted and path.name != "README.md":
            stale.append(path.name + " (no longer produced)")
            if not check_only:
                path.unlink()
    for name in stale:
        print(("differs: " if check_only else "written: ") + name)
    return 1 if stale and check_only else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
