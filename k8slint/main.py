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
    from .cli import run

    run()
