"""kpt's function tests that expect kpt to fail: their packages are written to be refused.

kpt's test runner (GoogleContainerTools/kpt pkg/test/runner: config.go newTestCaseConfig and
TestCaseConfig, runner.go), which kpt's e2e tests and kpt-functions-catalog's tests use, takes
each folder holding `.expected/config.yaml` as one test case: it runs `kpt fn render` (or
`kpt fn eval` with the config's `image`, `args` and `fnConfig`, a path relative to the
`.expected` folder) on a copy of the folder and compares the exit code with `exitCode`
("the expected exit code from the kpt commands. Default: 0") and the standard error with
`stdErr`. A case whose exitCode is not 0 passes only when kpt refuses the package: its files
(kpt's e2e/testdata/fn-render/kubeval-failure: a Deployment without selector and template,
`replicas: invalid`; fnconfig-missing-name: a function config without a name) and its
fnConfig are written to fail, and are never applied.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from . import listing

EXPECTED_DIR, CONFIG_FILE = ".expected", "config.yaml"
FAILING_CASE = "a package of a kpt function test that expects kpt to fail, written to be refused, never applied"


def failing_inputs(files: Iterable[str]) -> dict[str, str]:
    """File -> the folder of its test case, for the files among `files` that belong to a kpt
    test case expected to fail: below the case's folder, or named by its fnConfig."""
    memo: dict[str, str | None] = {}
    configs: dict[str, dict[str, object]] = {}
    files = list(files)
    found: dict[str, str] = {}
    for file in files:
        case = _case(os.path.dirname(file) or ".", memo, configs)
        if case is not None:
            found[file] = case
    named = {path: case for case, config in configs.items() for path in _fn_config(case, config)}
    for file in files if named else ():
        case = named.get(os.path.normpath(file))
        if case is not None:
            found.setdefault(file, case)
    return found


def _case(folder: str, memo: dict[str, str | None], configs: dict[str, dict[str, object]]) -> str | None:
    """The nearest folder at or above `folder` that holds a kpt test case, when that case
    expects kpt to fail (its config in `configs`), else None."""
    from .kustomize.repository import nearest_up

    def look(current: str) -> tuple[str | None, bool]:
        if listing.isdir(os.path.join(current, EXPECTED_DIR)):
            config = _config(current)
            if _exit_code(config):
                configs[current] = config
                return current, True
            return None, True                       # the nearest case decides
        return None, not os.path.dirname(current) or current == "."

    return nearest_up(folder, memo, look)


def _config(case: str) -> dict[str, object]:
    """The case's .expected/config.yaml as a mapping ({} when absent or unreadable)."""
    import yaml

    from .safe_yaml import load_all

    try:
        with open(os.path.join(case, EXPECTED_DIR, CONFIG_FILE), encoding="utf-8") as handle:
            docs = list(load_all(handle))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return docs[0] if docs and isinstance(docs[0], dict) else {}


def _exit_code(config: dict[str, object]) -> int:
    code = config.get("exitCode")
    return code if isinstance(code, int) and not isinstance(code, bool) else 0


def _fn_config(case: str, config: dict[str, object]) -> set[str]:
    """The normalised path of the function config a `kpt fn eval` case names."""
    path = config.get("fnConfig")
    if not isinstance(path, str) or not path or "://" in path:
        return set()
    return {os.path.normpath(os.path.join(case, EXPECTED_DIR, path))}
