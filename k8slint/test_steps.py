"""Assertion files of end-to-end test folders (chainsaw, kuttl): partial objects that the
test tool compares with what is in the cluster after a step. They are never applied, so
they are not checked as objects (an assert file lists only the fields it expects: no
image, no selector, a Deployment without spec).

- kuttl (https://kuttl.dev/docs/testing/steps.html): in a test folder, `<step>-assert.yaml`
  and `<step>-errors.yaml` beside the step files `<step>-<name>.yaml`.
- chainsaw (https://kyverno.github.io/chainsaw/latest/quick-start/conventions/): the same
  naming when a folder has no test file; with `chainsaw-test.yaml`, the files its steps
  name under `assert:` and `error:` (and the test file itself, which chainsaw reads).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

STEP_FILE = re.compile(r"^\d+-[^/]+\.ya?ml$")
ASSERTION_FILE = re.compile(r"^\d+-(assert|errors)([-_.][^/]*)?\.ya?ml$")
CHAINSAW_TESTS = ("chainsaw-test.yaml", "chainsaw-test.yml")
_CHECK_OPERATIONS = ("assert", "error")
_STEP_BLOCKS = ("try", "catch", "finally", "cleanup")


def assertion_files(files: Iterable[str]) -> dict[str, str]:
    """Input file -> why it is not applied, for the assertion files among `files` (and the
    chainsaw test files)."""
    by_folder: dict[str, list[str]] = {}
    for file in files:
        if file != "-":
            by_folder.setdefault(os.path.dirname(file) or ".", []).append(file)
    found: dict[str, str] = {}
    for members in by_folder.values():
        names = {os.path.basename(m): m for m in members}
        test = next((names[n] for n in CHAINSAW_TESTS if n in names), None)
        named = _chainsaw_checks(test) if test is not None else set()
        steps = sum(1 for n in names if STEP_FILE.match(n))
        for name, file in names.items():
            if name in named or (ASSERTION_FILE.match(name) and (steps > 1 or test is not None)):
                found[file] = "an assertion of an end-to-end test step (chainsaw, kuttl): compared with the cluster, never applied"
        if test is not None:
            found[test] = "a chainsaw test definition, read by chainsaw, never applied"
    return found


def _chainsaw_checks(test: str) -> set[str]:
    """Base names of the files a chainsaw test's steps assert or expect as errors."""
    import yaml

    from .safe_yaml import load_all

    try:
        with open(test, encoding="utf-8") as handle:
            documents = load_all(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return set()
    return {os.path.basename(name) for doc in documents for name in _named(doc)}


def _named(doc: Any) -> Iterator[str]:
    spec = doc.get("spec") if isinstance(doc, dict) else None
    steps = spec.get("steps") if isinstance(spec, dict) else None
    for step in steps if isinstance(steps, list) else ():
        for block in _STEP_BLOCKS:
            operations = step.get(block) if isinstance(step, dict) else None
            for operation in operations if isinstance(operations, list) else ():
                for kind in _CHECK_OPERATIONS:
                    body = operation.get(kind) if isinstance(operation, dict) else None
                    file = body.get("file") if isinstance(body, dict) else None
                    if isinstance(file, str) and not any(c in file for c in "*?["):
                        yield file
