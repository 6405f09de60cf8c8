"""Secrets and ConfigMaps that the repository's own scripts create with kubectl.

A Makefile or a script that runs `kubectl create secret generic azurite-certs --from-file=...`
(mariadb-operator's make/azure.mk, included by its Makefile) makes the object that a
manifest of the repository mounts, from files it generates: its absence from the manifests
says nothing about the cluster. The scripts read are those of k8slint.kustomize.repository
(the top, hack/, scripts/, script/, build/, the GitHub workflows, the Makefiles above a
folder) and the files those Makefiles `include`. Names written with a variable are not read.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from .kustomize import repository

# `kubectl create secret <type> NAME` or `kubectl create configmap NAME` (kubectl's own
# commands: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/), also as
# $(KUBECTL), ${KUBECTL} or oc, with flags between the words.
_CREATE = re.compile(
    r"(?:\bkubectl|KUBECTL\b|\boc)\b[^\n|;&]*?\bcreate\s+"
    r"(?:--?[\w-]+(?:=\S+|\s+(?!secret\b|configmap\b|cm\b)[^\s-]\S*)?\s+)*"
    r"(secret\s+(?:generic|tls|docker-registry)|configmap|cm)\s+(?:(?:-\S+)\s+)*"
    r"([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)(?=[\s;\\]|$)")
_INCLUDE = re.compile(r"^\s*-?include\s+(.+)$", re.MULTILINE)
_KINDS = {"configmap": "ConfigMap", "cm": "ConfigMap"}


def creator(file: str, kind: str, name: str) -> tuple[str, int] | None:
    """The script file and line that create `kind` (Secret or ConfigMap) `name` with kubectl,
    for a manifest read from `file`; None when no script of its repository does, or when
    the manifest is no file on disk (text given on stdin or by name only: nothing around it
    is read)."""
    if not os.path.isfile(file):
        return None
    real = os.path.dirname(os.path.realpath(file))
    for script in _with_includes(repository.script_files([real]).get(repository.top(real), [])):
        try:
            stat = os.stat(script)
        except OSError:
            continue
        line = _created(script, stat.st_mtime_ns, stat.st_size).get((kind, name))
        if line is not None:
            return script, line
    return None


@lru_cache(maxsize=256)
def _created(script: str, mtime_ns: int, size: int) -> dict[tuple[str, str], int]:
    """(kind, name) -> line of what one script creates (cached while the file is unchanged)."""
    text = repository.read(script)
    found: dict[tuple[str, str], int] = {}
    if text is None or "create" not in text:
        return found
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("#"):
            continue
        for match in _CREATE.finditer(line):
            found.setdefault((_KINDS.get(match.group(1), "Secret"), match.group(2)), number)
    return found


def _with_includes(scripts: list[str]) -> list[str]:
    """The scripts and the files their Makefiles include (make's `include` and `-include`,
    patterns expanded against the folder's listing: `include make/*.mk`)."""
    result = dict.fromkeys(scripts)
    for script in scripts:
        if os.path.basename(script) not in repository.MAKEFILES:
            continue
        text = repository.read(script)
        for match in _INCLUDE.finditer(text or ""):
            for word in match.group(1).split():
                if "$" in word:
                    continue
                path = os.path.join(os.path.dirname(script), word)
                result.update(dict.fromkeys(_expand(path)))
    return list(result)


def _expand(path: str) -> list[str]:
    """A Makefile include path, with a `*` in its last part matched against its folder."""
    folder, name = os.path.split(path)
    if "*" not in name:
        return [path] if os.path.isfile(path) else []
    pattern = re.compile(re.escape(name).replace(r"\*", "[^/]*") + r"\Z")
    try:
        return sorted(os.path.join(folder, n) for n in os.listdir(folder) if pattern.match(n))
    except OSError:
        return []
