"""Kustomizations a repository's own scripts build with kustomize's load restrictor off.

`kustomize build --load-restrictor LoadRestrictionsNone DIR` (kustomize
kustomize/commands/build/flagloadrestrictor.go; `--load_restrictor none` in kustomize v2.1-v3,
kubernetes-sigs/kustomize#998; `kubectl kustomize` takes the same flag) lets DIR's build read
files outside each kustomization's folder, which the default LoadRestrictionsRootOnly
refuses. Cluster API providers build their cluster templates so in a Makefile or in
hack/*.sh; checked with the default, every such template would be a kustomize-build error
the repository's own build does not have.

Read, once per run with kustomizations and only when `kustomize-load-restrictor` is not
configured: the scripts k8slint.kustomize.repository lists (Makefiles, shell scripts,
GitHub workflows near the repository's top); only those that mention a restrictor are
parsed. A root kustomization file's own comment that says to build it so (`# Run with:
kubectl kustomize --load-restrictor=LoadRestrictionsNone DIR`) counts too. A script line
that builds with the flag applies to the kustomization folders its folder argument names
(k8slint.kustomize.shell expands variables, loops and globs; what only running the script
can tell matches any folder). A root build such a line names is built without the
restriction; if that lets it read a file outside a kustomization's folder, the line gets
one info finding (rule kustomize-load-restrictor-from-script). A folder argument that is
wholly unknown (a loop over `find` output, say) names every kustomization of the
repository: its builds then differ from the default only where the default would refuse a
file, which is where the script would not have failed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import _, ngettext
from ..model import Hit
from . import repository, shell
from .shell import ANY, ONE, STAR
from .target import RULE_FROM_SCRIPT

_UNRESTRICTED = frozenset({"LoadRestrictionsNone", "none"})
# the lines worth splitting into commands: a build with the flag, or what sets a variable
# or the working folder (`NAME=`, `for NAME in`, `read NAME`, `cd`)
_MAY_MATTER = re.compile(r"restrictor|(?:^|[\s;&|(])[A-Za-z_][A-Za-z0-9_]*=|\b(?:for|read|cd|pushd)\b")
# flags of kustomize build and kubectl kustomize (and kubectl's global ones) that take a value
_VALUE_FLAGS = frozenset({"-o", "--output", "--reorder", "--load-restrictor", "--load_restrictor",
                          "--helm-command", "--mount", "-e", "--env", "--network-name",
                          "--helm-api-versions", "--helm-kube-version", "--kubeconfig", "--context",
                          "-n", "--namespace", "--cluster", "--user"})


@dataclass(frozen=True)
class ScriptLine:
    """A script line that builds with the load restrictor off, and what it builds."""

    file: str                       # the script, as reported
    line: int
    column: int
    flag: str                       # the flag as written: --load-restrictor LoadRestrictionsNone
    patterns: tuple[str, ...]       # real paths of the folders it builds (shell patterns)
    top: str                        # real path of the repository's top

    @property
    def literal(self) -> int:
        """Characters the patterns spell out: the line naming a folder most precisely wins."""
        return max(sum(c not in (ANY, STAR, ONE) for c in p) for p in self.patterns)

    def names(self, real: str) -> bool:
        if real != self.top and not real.startswith(self.top.rstrip(os.sep) + os.sep):
            return False
        return any(_regex(p).fullmatch(real) for p in self.patterns)

    @property
    def named(self) -> bool:
        """Whether the folder argument is known at least in part."""
        return any(p.strip(os.sep + ANY) for p in self.patterns)


@dataclass(frozen=True)
class Loosening:
    """The script lines of a run's repositories that build with the load restrictor off."""

    lines: tuple[ScriptLine, ...]

    def line_for(self, real: str, kustomization: str, text: str) -> ScriptLine | None:
        """The line that builds the folder (a real path), the most precise one if several;
        else a comment of its kustomization file that says to build it so (contour's
        examples/optional-features: `# Run with: kubectl kustomize
        --load-restrictor=LoadRestrictionsNone examples/optional-features/`)."""
        found = [line for line in self.lines if line.names(real)]
        if found:
            return max(found, key=lambda line: line.literal)
        return _commented(kustomization, real, text) if "restrictor" in text else None


def detect(folders: Iterable[str], realpath: Callable[[str], str] = os.path.realpath) -> Loosening:
    """The script lines that build the repositories of these kustomization folders without
    the load restriction (`realpath`: os.path.realpath, or a cache of its answers)."""
    lines: list[ScriptLine] = []
    for top, files in repository.script_files(folders, realpath).items():
        for file in files:
            text = repository.read(file)
            if text is not None and "restrictor" in text:
                lines.extend(_lines(file, text, top))
    return Loosening(tuple(lines))


def report(loosened: Iterable[tuple[str, ScriptLine, list[str]]]) -> list[Hit]:
    """One info per script line: the (root folder, line, files it read outside the
    restriction) of the builds it loosened."""
    by_line: dict[ScriptLine, list[tuple[str, list[str]]]] = {}
    for folder, line, files in loosened:
        if files:
            by_line.setdefault(line, []).append((folder, files))
    hits = []
    for line, builds in by_line.items():
        folders = sorted(os.path.relpath(folder) for folder, __ in builds)
        outside = len({f for __, files in builds for f in files})
        shown = ", ".join(folders[:3]) + (_(" and {count} more").format(count=len(folders) - 3)
                                          if len(folders) > 3 else "")
        message = ngettext(
            "this line builds with {flag}: k8slint builds {folders} so too, reading {outside} file from "
            "outside a kustomization folder (to say so for every build, set kustomize-load-restrictor: "
            "LoadRestrictionsNone in .k8slint.yaml)",
            "this line builds with {flag}: k8slint builds {folders} so too, reading {outside} files from "
            "outside kustomization folders (to say so for every build, set kustomize-load-restrictor: "
            "LoadRestrictionsNone in .k8slint.yaml)", outside)
        if not line.named:
            message += _("; the folder it builds is known only when the script runs, so every "
                         "kustomization of the repository that reads such files is built so")
        hits.append(Hit(message=message.format(flag=line.flag, folders=shown, outside=outside),
                        file=line.file, line=line.line, column=line.column, rule=RULE_FROM_SCRIPT))
    return sorted(hits, key=lambda h: (h.file or "", h.line))


def _lines(file: str, text: str, top: str) -> list[ScriptLine]:
    """The lines of one script that build with the load restrictor off."""
    name = os.path.basename(file)
    make = name in repository.MAKEFILES or name.endswith(".mk")
    script_dir = os.path.dirname(os.path.realpath(file))
    logical = list(_logical_lines(text))
    raw = {n: t for n, t, __ in logical}
    ctx = shell.Context(script_dir, top)
    if make:
        ctx.make_variables = shell.make_variables([(n, t) for n, t, __ in logical])
        logical = [(n, shell.expand_make(t, ctx) if t.startswith("\t") else t, starts)
                   for n, t, starts in logical]
    commands = [(n, starts, command) for n, t, starts in logical if _MAY_MATTER.search(t)
                for command in shell.words(t)]
    for *__, command in commands:
        shell.shell_variables(command, ctx.variables)
    shown = os.path.relpath(file) if os.path.realpath(file).startswith(os.path.realpath(os.getcwd())) else file
    found = []
    base, last = top, 0
    for number, starts, command in commands:
        if make and number != last:
            base = script_dir               # make runs each recipe line in a shell of its own
        last = number
        if command[0][0] in ("cd", "pushd") and len(command) > 1:
            values = shell.expand(command[1][0], ctx)
            base = os.path.normpath(os.path.join(base, values[0])) if len(values) == 1 else base
            continue
        at = _restricted_build(command, ctx)
        if at is None:
            continue
        folder_word, flag_offset, flag = at
        if make:        # offsets of the expanded line: the flag's place in the line as written
            flag_offset = max(0, raw[number].find(flag.split("=")[0].split(" ")[0]))
        line, column = _position(number, starts, flag_offset)
        values = shell.expand(folder_word, ctx) if folder_word is not None else ["."]
        patterns = tuple(dict.fromkeys(os.path.normpath(v if v.startswith((os.sep, ANY)) else os.path.join(base, v))
                                       for v in values))
        found.append(ScriptLine(shown, line, column, flag, patterns, top))
    return found


def _commented(file: str, real: str, text: str) -> ScriptLine | None:
    """A comment line of a kustomization file that builds its folder without the restriction
    (the folder named from the repository's top or from the folder itself, or not named)."""
    top = repository.top(real)
    ctx = shell.Context(real, top)
    for number, line in enumerate(text.split("\n"), 1):
        comment = line.lstrip()
        if not comment.startswith("#") or "restrictor" not in comment:
            continue
        indent = len(line) - len(comment) + 1
        for command in shell.words(comment[1:]):
            at = _restricted_build(command, ctx)
            if at is None:
                continue
            folder, offset, flag = at
            patterns = tuple(os.path.normpath(os.path.join(base, v)) for base in (top, real)
                             for v in (shell.expand(folder, ctx) if folder is not None else ["."]))
            found = ScriptLine(file, number, indent + offset + 1, flag, patterns, top)
            if found.names(real):
                return found
    return None


def _logical_lines(text: str) -> Iterator[tuple[int, str, list[int]]]:
    """(first line number, text, offset of each physical line) of the lines of a script,
    joined where a line ends in a backslash; comment lines left out."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        number, parts, starts, length = index + 1, [], [], 0
        while True:
            line = lines[index]
            index += 1
            continued = line.endswith("\\") and index < len(lines)
            starts.append(length)
            part = line[:-1] + " " if continued else line
            parts.append(part)
            length += len(part)
            if not continued:
                break
        joined = "".join(parts)
        if joined.strip() and not joined.lstrip().startswith("#"):
            yield number, joined, starts


def _position(number: int, starts: list[int], offset: int) -> tuple[int, int]:
    """Line and column of an offset in a logical line."""
    physical = max(i for i, start in enumerate(starts) if start <= offset)
    return number + physical, offset - starts[physical] + 1


def _restricted_build(command: list[tuple[str, int]], ctx: shell.Context) -> tuple[str | None, int, str] | None:
    """For `kustomize build` or `kubectl kustomize` with the load restrictor off: its folder
    argument (None: the working folder), the offset of the flag and the flag as written;
    None for any other command."""
    if not any("restrictor" in word for word, __ in command):
        return None
    plain = [w.strip("\"'") for w, __ in command]
    for index, word in enumerate(plain):
        if "kubectl" in os.path.basename(word):
            wanted = "kustomize"
        elif "kustomize" in word.lower() or _unknown(command[index][0], ctx):
            wanted = "build"        # hack/tools/bin/kustomize-v5, go run sigs.k8s.io/kustomize/kustomize/v5
        else:
            continue
        rest = command[index + 1:]
        sub = _subcommand(rest)
        if sub is not None and rest[sub][0].strip("\"'") == wanted:
            return _arguments(rest[:sub] + rest[sub + 1:], ctx)
    return None


def _unknown(word: str, ctx: shell.Context) -> bool:
    """A program word whose value only the script knows ($KUSTOMIZE, say)."""
    return shell.expand(word, ctx) == [ANY] and word.strip("\"'").startswith(("$", ANY))


def _subcommand(words: list[tuple[str, int]]) -> int | None:
    """The index of the first word that is not a flag or a flag's value (kustomize takes
    `kustomize --load-restrictor LoadRestrictionsNone build DIR` too)."""
    index = 0
    while index < len(words):
        word = words[index][0]
        if not word.startswith("-"):
            return index
        index += 1 + (word in _VALUE_FLAGS)
    return None


def _arguments(words: list[tuple[str, int]], ctx: shell.Context) -> tuple[str | None, int, str] | None:
    """The folder argument, the flag's offset and the flag as written, when the arguments
    turn the restrictor off."""
    folder: str | None = None
    flag: tuple[int, str] | None = None
    index = 0
    while index < len(words):
        word, offset = words[index]
        if word.startswith("#"):
            break
        name, eq, value = word.partition("=")
        if name in ("--load-restrictor", "--load_restrictor"):
            if not eq:
                index += 1
                value = words[index][0] if index < len(words) else ""
            values = shell.expand(value, ctx)
            if len(values) == 1 and values[0] in _UNRESTRICTED:
                flag = offset, f"{name}{eq or ' '}{values[0]}"
        elif word.startswith("-"):
            index += word in _VALUE_FLAGS
        elif folder is None:
            folder = word
        index += 1
    return None if flag is None else (folder, *flag)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    """A pattern as a regular expression over real paths: an unknown folder name stands for
    any number of folders (none too)."""
    out, sep = "", ""
    segments = pattern.split(os.sep)
    for index, segment in enumerate(segments):
        if segment == ANY:
            out += ".*" if len(segments) == 1 else "(?:.*/)?" if index == 0 else "(?:/.*)?"
            sep = "" if index == 0 else sep
            continue
        out += sep + "".join(".*" if c == ANY else "[^/]*" if c == STAR else "[^/]" if c == ONE else re.escape(c)
                             for c in segment)
        sep = "/"
    return re.compile(out)
