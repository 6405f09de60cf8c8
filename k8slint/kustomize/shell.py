"""Just enough of the shell and of make to read the `kustomize build` lines of a repository's
scripts (k8slint.kustomize.scripts): commands split into words, and words expanded to path
patterns.

Nothing is run. A value that cannot be known without running the script (a loop over `find`,
a function's `$1`, `xargs -I {}`, a variable set elsewhere) becomes ANY, which a pattern
matches with any text; a glob's `*` and `?` stay globs within one folder name. A variable
set several times has each value as an alternative (no control flow is followed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

ANY = "\x00"          # a value not known without running the script: any text
STAR = "\x01"         # a glob's *: any text within one folder name
ONE = "\x02"          # a glob's ?
MAX_ALTERNATIVES = 32  # more values of one word: their common beginning, then ANY
_DEPTH = 8             # variables naming variables: deeper is ANY (a cycle, say)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAKE_ASSIGN = re.compile(r"^(?:(?:export|override)\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|::?=|\+=|!=|=)\s*(.*)$")
_SHELL_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_SCRIPT_DIR = re.compile(r'^dirname\s+(?:--\s+)?"?\$\{?(?:BASH_SOURCE(?:\[0\])?|0)\}?"?$')
_CD_PWD = re.compile(r"^cd\s+(.+?)\s*(?:&&|;)\s*pwd(?:\s+-P)?$")
_TOP = re.compile(r"^git\s+rev-parse\s+--show-toplevel$")
_KEYWORDS = frozenset({"local", "export", "readonly", "declare", "typeset"})


@dataclass
class Context:
    """What expanding a word needs: the folders it may name and the variables of its file
    (name -> values as written, in the order of the file)."""

    script_dir: str                       # real path of the script's folder
    top: str                              # real path of the repository's top
    variables: dict[str, list[str]] = field(default_factory=dict)
    make_variables: dict[str, str] = field(default_factory=dict)


def words(text: str) -> Iterator[list[tuple[str, int]]]:
    """The simple commands of a shell text, each a list of (word as written, offset): split
    at unquoted `;`, `|`, `&`, parentheses and newlines; redirections and their targets and
    comments left out. Quotes, `$(...)`, `${...}` and backquotes stay inside their word; the
    commands of a `$(...)` follow those of the text."""
    command: list[tuple[str, int]] = []
    nested: list[tuple[int, int]] = []
    start, i, n = -1, 0, len(text)
    redirect = False

    def end_word(stop: int) -> None:
        nonlocal start, redirect
        if start >= 0:
            nested.extend(_substitutions(text, start, stop))
            if not redirect:
                command.append((text[start:stop], start))
            redirect = False
        start = -1

    while i < n:
        char = text[i]
        if char in " \t":
            end_word(i)
        elif char in ";|&()\n":
            end_word(i)
            if command:
                yield command
                command = []
        elif char in "<>" and (start < 0 or text[start:i].isdigit()):
            start = -1
            i += 1 + (i + 1 < n and text[i + 1] in ">&")
            while i < n and text[i].isdigit():
                i += 1
            redirect = True
            continue
        elif char == "#" and start < 0:                   # a comment, to the end of the line
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        else:
            if start < 0:
                start = i
            i = _skip(text, i)
            continue
        i += 1
    end_word(n)
    if command:
        yield command
    for begin, end in nested:               # the commands of $(...) substitutions
        for inner in words(text[begin:end]):
            yield [(word, offset + begin) for word, offset in inner]


def _substitutions(text: str, i: int, stop: int) -> Iterator[tuple[int, int]]:
    """The spans of the `$(...)` command substitutions of a word (in double quotes too)."""
    while i < stop:
        if text[i] == "'":
            i = _skip(text, i)
        elif text.startswith("$(", i) and not text.startswith("$((", i):
            end = _skip(text, i)
            yield i + 2, end - 1
            i = end
        else:
            i += 1 + (text[i] == "\\")


def _skip(text: str, i: int) -> int:
    """The index after the character at i, or after the quoted or nested part it opens."""
    char, n = text[i], len(text)
    if char == "\\":
        return min(i + 2, n)
    if char == "'":
        end = text.find("'", i + 1)
        return n if end < 0 else end + 1
    if char == "`":
        end = text.find("`", i + 1)
        return n if end < 0 else end + 1
    if char == '"':
        i += 1
        while i < n and text[i] != '"':
            i = _skip(text, i) if text[i] in "\\$`" else i + 1
        return min(i + 1, n)
    if char == "$" and i + 1 < n and text[i + 1] in "({":
        opening, closing = text[i + 1], ")" if text[i + 1] == "(" else "}"
        depth, i = 0, i + 1
        while i < n:
            if text[i] == opening:
                depth += 1
            elif text[i] == closing:
                depth -= 1
                if depth == 0:
                    return i + 1
            elif text[i] in "'\"`":
                i = _skip(text, i)
                continue
            i += 1
        return n
    return i + 1


def expand(word: str, ctx: Context, depth: int = 0) -> list[str]:
    """The values a shell word may have, as patterns (ANY, STAR, ONE), quotes removed; at
    most MAX_ALTERNATIVES."""
    return _shell(word, ctx, depth)


def expand_make(text: str, ctx: Context, depth: int = 0) -> str:
    """A Makefile text with its make variables and functions replaced ($$ is then $)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char != "$" or i + 1 == n:
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt in "({":
            end = _skip(text, i)
            out.append(_make_reference(text[i + 2:end - 1], ctx, depth))
            i = end
        else:
            out.append(_make_variable(nxt, ctx, depth))
            i += 2
    return "".join(out)


def _make_reference(inner: str, ctx: Context, depth: int) -> str:
    """$(NAME), or a make function: the few that name the Makefile's folder or keep a path."""
    if _NAME.fullmatch(inner.replace(".", "_").replace("-", "_")):
        return _make_variable(inner, ctx, depth)
    if "MAKEFILE_LIST" in inner or inner in ("shell pwd", "CURDIR"):
        return ctx.script_dir
    function, __, argument = inner.partition(" ")
    if function in ("abspath", "realpath", "wildcard", "strip"):
        return expand_make(argument.strip(), ctx, depth + 1)
    if function == "shell" and _TOP.match(argument.strip()):
        return ctx.top
    return ANY


def _make_variable(name: str, ctx: Context, depth: int) -> str:
    if name == "CURDIR":
        return ctx.script_dir
    value = ctx.make_variables.get(name)
    if value is None or depth >= _DEPTH:
        return ANY
    return expand_make(value, ctx, depth + 1)


def make_variables(lines: list[tuple[int, str]]) -> dict[str, str]:
    """A Makefile's variables as make sees them after reading it: the last `=` or `:=`, else
    the first `?=`; `+=` appends (conditionals are not followed). A version set with `?=`
    (`VM_OPERATOR_VERSION ?= 9.2`: a digit, no `/`) is any folder name: `make
    VM_OPERATOR_VERSION=9.1 ...` overrides it, and Makefiles keep a target per version."""
    found: dict[str, str] = {}
    conditional: dict[str, str] = {}
    for __, line in lines:
        if line.startswith("\t"):
            continue
        match = _MAKE_ASSIGN.match(line.strip())
        if match is None:
            continue
        name, op, value = match.groups()
        if op == "?=":
            version = "/" not in value and any(c.isdigit() for c in value) and "$" not in value
            conditional.setdefault(name, STAR if version else value)
        elif op == "+=":
            found[name] = f"{found.get(name, conditional.get(name, ''))} {value}".strip()
        else:
            found[name] = ANY if op == "!=" else value
    return {**conditional, **found}


def shell_variables(command: list[tuple[str, int]], found: dict[str, list[str]]) -> None:
    """Add the variables one command sets to `found`: `NAME=value` (also after local, export,
    declare), `for NAME in words` (each word a value, ANY for a substitution), `read NAME`."""
    names = [w for w, __ in command]
    if names and names[0] == "for" and len(names) > 2 and names[2] == "in":
        found.setdefault(names[1], []).extend(names[3:] if len(names) > 3 else [ANY])
        return
    if "read" in names[:3] and names[0] in ("read", "while", "if", "IFS="):
        for name in names[names.index("read") + 1:]:
            if _NAME.fullmatch(name):
                found.setdefault(name, []).append(ANY)
        return
    for index, name in enumerate(names):
        if index and names[index - 1] not in _KEYWORDS and not _SHELL_ASSIGN.match(names[index - 1]) \
                and not names[index - 1].startswith("-"):
            break
        match = _SHELL_ASSIGN.match(name)
        if match is not None:
            value = match.group(2)
            found.setdefault(match.group(1), []).append(ANY if value.startswith("(") else value)


def _shell(word: str, ctx: Context, depth: int) -> list[str]:
    """Expand one shell word: quotes, variables, substitutions, globs."""
    parts: list[list[str]] = []
    i, n = 0, len(word)
    quoted = False
    while i < n:
        char = word[i]
        if char == '"':
            quoted = not quoted
            i += 1
        elif char == "'" and not quoted:
            end = word.find("'", i + 1)
            end = n if end < 0 else end
            parts.append([word[i + 1:end]])
            i = end + 1
        elif char == "\\":
            parts.append([word[i + 1:i + 2]])
            i += 2
        elif char == "$":
            end, values = _dollar(word, i, ctx, depth)
            parts.append(values)
            i = end
        elif char == "`":
            end = word.find("`", i + 1)
            parts.append([ANY])
            i = n if end < 0 else end + 1
        elif char in "*?" and not quoted:
            parts.append([STAR if char == "*" else ONE])
            i += 1
        elif word.startswith("{}", i) and not quoted:       # xargs -I {}, find -exec {}
            parts.append([ANY])
            i += 2
        else:
            parts.append([char])
            i += 1
    return _product(parts)


def _dollar(word: str, i: int, ctx: Context, depth: int) -> tuple[int, list[str]]:
    """The end of the expansion starting at word[i] ($NAME, ${...}, $(...)) and its values."""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if nxt == "(":
        end = _skip(word, i)
        return end, [_substitution(word[i + 2:end - 1].strip(), ctx, depth)]
    if nxt == "{":
        end = _skip(word, i)
        inner = word[i + 2:end - 1]
        name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", inner)
        if name is None:
            return end, [ANY]
        rest = inner[name.end():]
        values = variable(name.group(), ctx, depth)
        if rest in ("", "[0]", "[@]", "[*]"):
            return end, values
        if rest.startswith((":-", "-", ":=", "=")):
            default = rest.lstrip(":")[1:]
            return end, [v for v in values if v != ANY] + _shell(default, ctx, depth + 1)
        return end, [ANY]
    match = _NAME.match(word, i + 1)
    if match is not None:
        return match.end(), variable(match.group(), ctx, depth)
    return i + 2 if nxt else i + 1, [ANY] if nxt else ["$"]


def _substitution(command: str, ctx: Context, depth: int) -> str:
    """A command substitution: the few that name a folder of the repository, else ANY."""
    if command.startswith("("):
        return ANY                                           # $(( arithmetic ))
    if _SCRIPT_DIR.match(command):
        return ctx.script_dir
    if _TOP.match(command):
        return ctx.top
    if command == "pwd":
        return ctx.top
    match = _CD_PWD.match(command)
    if match is not None:
        values = _shell(match.group(1), ctx, depth + 1)
        return values[0] if len(values) == 1 else ANY
    for tool in ("realpath ", "readlink -f ", "cd "):
        if command.startswith(tool):
            values = _shell(command[len(tool):].strip(), ctx, depth + 1)
            return values[0] if len(values) == 1 else ANY
    return ANY


def variable(name: str, ctx: Context, depth: int) -> list[str]:
    """The values of a shell variable: each value it is set to in the file (ANY if none)."""
    if name == "PWD":
        return [ctx.top]
    written = ctx.variables.get(name)
    if not written or depth >= _DEPTH:
        return [ANY]
    values: list[str] = []
    for index, value in enumerate(written):
        # a value that names the variable itself (X="${X}/more") extends the earlier values
        earlier = Context(ctx.script_dir, ctx.top, {**ctx.variables, name: written[:index]},
                          ctx.make_variables)
        values.extend(_shell(value, earlier, depth + 1))
    return _bounded(list(dict.fromkeys(values)))


def _product(parts: list[list[str]]) -> list[str]:
    out = [""]
    for values in parts:
        out = _bounded(list(dict.fromkeys(a + b for a in out for b in values)))
    return out


def _bounded(values: list[str]) -> list[str]:
    """At most MAX_ALTERNATIVES values: more become their common beginning followed by ANY."""
    if len(values) <= MAX_ALTERNATIVES:
        return values
    return [os.path.commonprefix(values) + ANY]
