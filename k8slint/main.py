"""The console script `k8slint` (and `python -m k8slint`): a resident run when asked for
(k8slint.resident), else the CLI in this process. Kept small: a resident run must not pay
for importing click, YAML or the engine."""

from __future__ import annotations

import sys


def main() -> None:
    from .resident.client import requested

    if requested(sys.argv):
        from .resident.client import run as run_resident

        try:
            code = run_resident(sys.argv)
        except KeyboardInterrupt:
            sys.exit(130)                        # as the CLI does (cli.run)
        if code is not None:
            sys.exit(code)
    from .lazyre import defer

    # PyYAML's yaml/reader.py Reader.NON_PRINTABLE: compiling it at import costs about a
    # tenth of `check` on one file, and only the pure-Python reader uses it (the C loader
    # checks the characters itself).
    defer(PYYAML_NON_PRINTABLE)
    from .cli import run

    run()


PYYAML_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
