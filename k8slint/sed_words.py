"""Words that a shell script beside a manifest replaces with sed before applying it.

A template such as kubevela's hack/load-test/app-templates/light.yaml (`name: app-ID`,
`namespace: load-test-SHARD`) is applied by a script that pipes it through
`sed 's/ID/'$i'/g' | sed 's/SHARD/'$sid'/g' | kubectl apply -f -` (hack/load-test/deploy.sh):
a capital word of a lower-case name is a placeholder when a script in the manifest's folder or
one of its two parents substitutes it. Without such a script `app-ID` stays a mistake.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from . import listing

# `s/WORD/`, `s|WORD|`, `s#WORD#` at the start of a sed expression (after a quote, a space or -e)
_SUBSTITUTE = re.compile(r"(?:^|[\s'\"])s([/|#,:@!])([A-Z][A-Z0-9_]*)\1")
_SCRIPT_SUFFIXES = (".sh", ".bash", ".mk")
_SCRIPT_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile"})
_MAX_SCRIPT = 256 * 1024
_LEVELS = 3                      # the manifest's folder and two parents


def near(file: str) -> frozenset[str]:
    """The capital words sed replaces in the scripts of `file`'s folder and its two parents."""
    folder = os.path.dirname(file) if file and file != "-" else ""
    folder = os.path.abspath(folder or ".")
    words: set[str] = set()
    for __ in range(_LEVELS):
        words |= _in_folder(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return frozenset(words)


@lru_cache(maxsize=512)
def _in_folder(folder: str) -> frozenset[str]:
    """The words the scripts directly in one folder (an absolute path) substitute with sed.
    Asked only for a capital word in a lower-case name, so seldom listed."""
    names = listing.names(folder)
    if names is None:
        try:
            entries = os.listdir(folder)
        except OSError:
            return frozenset()
    else:
        entries = list(names)
    words: set[str] = set()
    for name in entries:
        if name.endswith(_SCRIPT_SUFFIXES) or name in _SCRIPT_NAMES:
            words |= _in_script(os.path.join(folder, name))
    return frozenset(words)


def _in_script(path: str) -> set[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(_MAX_SCRIPT)
    except OSError:
        return set()
    if "sed" not in text:
        return set()
    return {match.group(2) for match in _SUBSTITUTE.finditer(text)}
