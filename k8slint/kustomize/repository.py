"""A repository's own build files, as far as kustomize builds need them: its top, its
scripts (Makefiles, shell scripts, GitHub workflows), and the kustomization files it copies
elsewhere before building them (k8slint.kustomize.scripts reads the scripts' build lines).

Read only small text files of known names: at the top (the folder holding `.git`, else the
working folder) and in its hack/, scripts/, script/ and build/ folders, the GitHub
workflows, and the Makefiles of the folders between a kustomization and the top. Never the
network, never a file over MAX_SCRIPT_BYTES.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from .. import listing

MAX_SCRIPT_BYTES = 1 << 20
T = TypeVar("T")
MAKEFILES = ("Makefile", "GNUmakefile", "makefile")
_FOLDERS = ("", "hack", "scripts", "script", "build")
_SUFFIXES = (".mk", ".sh", ".bash")
_WORKFLOWS = os.path.join(".github", "workflows")


def git_top(folder: str, memo: dict[str, str | None] | None = None) -> str | None:
    """The nearest folder at or above `folder` that holds `.git` (a folder, or the file of a
    worktree or submodule); None outside a repository. `memo`: the answers of folders asked
    before, filled with those of every folder on the way (siblings share their parents')."""
    return nearest_up(folder, {} if memo is None else memo,
                      lambda current: (current, True) if holds_git(current) else (None, False))


def holds_git(folder: str) -> bool:
    """Whether a folder holds `.git`: from the walk's listing, else one stat."""
    entries = listing.names(folder)
    return ".git" in entries if entries is not None else os.path.exists(os.path.join(folder, ".git"))


def nearest_up(folder: str, memo: dict[str, T | None], look: Callable[[str], tuple[T | None, bool]]) -> T | None:
    """The first answer of look(current) from `folder` up to the file system's root, where
    look gives (answer, stop here); each folder on the way gets the answer in `memo`."""
    walked: list[str] = []
    current = folder
    while current not in memo:
        walked.append(current)
        found, stop = look(current)
        parent = os.path.dirname(current)
        if found is not None or stop or parent == current:
            memo[current] = found
            break
        current = parent
    answer = memo[current]
    for below in walked:
        memo[below] = answer
    return answer


def top(real: str, memo: dict[str, str | None] | None = None) -> str:
    """The repository's top above a real folder: the nearest folder holding `.git`, else
    the working folder when the folder is below it, else the folder itself (`memo`: as
    git_top's)."""
    found = git_top(real, memo)
    if found is not None:
        return found
    cwd = os.path.realpath(os.getcwd())
    return cwd if real == cwd or real.startswith(cwd.rstrip(os.sep) + os.sep) else real


def script_files(folders: Iterable[str], realpath: Callable[[str], str] = os.path.realpath) -> dict[str, list[str]]:
    """Real path of each repository top -> the script files near it and above the folders
    (`realpath`: os.path.realpath, or a cache of its answers)."""
    found: dict[str, dict[str, None]] = {}
    seen: set[str] = set()
    tops: dict[str, str | None] = {}
    for folder in folders:
        real = realpath(folder)
        root = top(real, tops)
        files = found.setdefault(root, {})
        if not files:
            for name in _FOLDERS:
                files.update(dict.fromkeys(_candidates(os.path.join(root, name), name == "")))
            files.update(dict.fromkeys(_candidates(os.path.join(root, _WORKFLOWS), False, (".yml", ".yaml"))))
        current = real
        while current.startswith(root) and current != root and current not in seen:
            seen.add(current)
            files.update(dict.fromkeys(os.path.join(current, n) for n in _makefiles(current)))
            current = os.path.dirname(current)
    return {root: list(files) for root, files in found.items()}


def _makefiles(folder: str) -> list[str]:
    """The names of MAKEFILES that are files in the folder (from its listing when it has one)."""
    entries = listing.names(folder)
    if entries is None:
        return [name for name in MAKEFILES if listing.isfile(os.path.join(folder, name))]
    return [name for name in MAKEFILES if entries.get(name, 0) & listing.FILE]


def _candidates(folder: str, at_top: bool, suffixes: tuple[str, ...] = _SUFFIXES) -> Iterator[str]:
    for name in sorted(listing.files(folder)):
        if name.endswith(suffixes) or name in MAKEFILES or (at_top and name == "Tiltfile"):
            yield os.path.join(folder, name)


def read(file: str) -> str | None:
    """A small text file's text; None when it is large or cannot be read."""
    try:
        if os.path.getsize(file) > MAX_SCRIPT_BYTES:
            return None
        with open(file, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def copied_by(kustomization: str) -> tuple[str, int] | None:
    """The file and line that take a kustomization file as a template to build elsewhere:
    a script that names the file itself (`kustomize build` takes a folder, so a script
    naming the file copies or edits it: cluster-api-provider-openstack's Makefile runs gojq
    on hack/image-patch/kustomization.yaml into _artifacts/, beside the manifest it makes),
    or a Go `//go:embed` of it (cluster-api's test/framework/kubernetesversions writes the
    embedded data/kustomization.yaml to a temporary folder with the files it lists)."""
    real = os.path.realpath(kustomization)
    root = top(os.path.dirname(real))
    named = os.path.relpath(real, root)
    for file in script_files([os.path.dirname(real)]).get(root, []):
        line = _line_naming(read(file), named)
        if line is not None:
            return file, line
    return embedded_by(real, root, tests=False)


def embedded_by(real: str, root: str | None = None, tests: bool = True) -> tuple[str, int] | None:
    """The Go file and line of a `//go:embed` directive that takes the file at real path
    `real`, looked for in its folder and those above it up to the repository's top (`tests`:
    _test.go files too)."""
    root = top(os.path.dirname(real)) if root is None else root
    current = os.path.dirname(real)
    while current.startswith(root):
        for name in sorted(listing.files(current)):
            if name.endswith(".go") and (tests or not name.endswith("_test.go")):
                line = _embedding(read(os.path.join(current, name)), os.path.relpath(real, current))
                if line is not None:
                    return os.path.join(current, name), line
        if current == root:
            break
        current = os.path.dirname(current)
    return None


def _line_naming(text: str | None, path: str) -> int | None:
    """The line that copies the file elsewhere: names it, then writes (`>`), or copies it (`cp`)."""
    if text is None or path not in text:
        return None
    for number, line in enumerate(text.split("\n"), 1):
        at = line.find(path)
        if at >= 0 and not line.lstrip().startswith("#") and \
                (">" in line[at:] or re.search(r"(^|[\s;&|])cp\s", line[:at])):
            return number
    return None


def _embedding(text: str | None, path: str) -> int | None:
    """The line of a `//go:embed` directive whose pattern covers the path (a folder embeds
    what is below it)."""
    if text is None or "go:embed" not in text:
        return None
    for number, line in enumerate(text.split("\n"), 1):
        directive = line.strip()
        if directive.startswith("//go:embed "):
            for pattern in directive[len("//go:embed "):].split():
                pattern = pattern.strip('"`').removeprefix("all:")
                if path == pattern or path.startswith(pattern.rstrip("/") + "/") or fnmatch.fnmatchcase(path, pattern):
                    return number
    return None


_KUSTOMIZE_RUN = re.compile(r"\b(?:kustomize|kubectl\s+kustomize)\b[^\n]*\bbuild\b|\bkubectl\s+kustomize\b")


def written_by(file: str) -> tuple[str, int] | None:
    """The script beside a missing file that writes it and then runs kustomize build on its
    folder: the file and the line that writes it. Helm's post-renderer with kustomize does so
    (https://helm.sh/docs/topics/advanced/#post-rendering: `cat <&0 > all.yaml` then
    `kustomize build`; apache/flink-kubernetes-operator examples/kustomize/sidecar/render writes
    $BASEDIR/template.yaml): the objects come from the chart on stdin."""
    folder, name = os.path.split(os.path.abspath(file))
    for script in sorted(listing.files(folder)):
        path = os.path.join(folder, script)
        if script.endswith((".yaml", ".yml", ".json")):
            continue
        text = read(path) if script.endswith(_SUFFIXES) or _shebang(path) else None
        if text is None or name not in text or not _KUSTOMIZE_RUN.search(text):
            continue
        for number, line in enumerate(text.split("\n"), 1):
            if not line.lstrip().startswith("#") and re.search(r"(?:>|\btee\s+)\s*\S*" + re.escape(name) + r"\b", line):
                return path, number
    return None


_CSV_BASE_RUN = re.compile(r"\bgenerate\s+kustomize\s+manifests\b")


def csv_base_made_by(file: str) -> tuple[str, int] | None:
    """The script line that runs `operator-sdk generate kustomize manifests`, when the missing
    file is the ClusterServiceVersion base it writes: `bases/<package>.clusterserviceversion.yaml`
    of the kustomization folder (operator-sdk internal/cmd/operator-sdk/generate/kustomize/
    manifests.go run: writes filepath.Join(outputDir, "bases", packageName +
    ".clusterserviceversion.yaml"), outputDir config/manifests by default; its Makefile
    target `bundle` runs it before `kustomize build config/manifests`)."""
    folder, name = os.path.split(os.path.abspath(file))
    if not name.endswith(".clusterserviceversion.yaml") or os.path.basename(folder) != "bases":
        return None
    real = os.path.realpath(os.path.dirname(folder))
    root = top(real)
    for script in script_files([real]).get(root, []):
        text = read(script)
        if text is None or not _CSV_BASE_RUN.search(text):
            continue
        for number, line in enumerate(text.split("\n"), 1):
            if not line.lstrip().startswith("#") and _CSV_BASE_RUN.search(line):
                return script, number
    return None


def _shebang(path: str) -> bool:
    """Whether a file starts with `#!` (a script without a suffix)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False
