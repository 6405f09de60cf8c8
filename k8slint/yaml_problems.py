"""PyYAML's error texts in the output's language.

A syntax finding quotes the parser's context and problem ("while scanning a simple key",
"could not find expected ':'"); PyYAML writes them in English (yaml/scanner.py, parser.py,
composer.py, constructor.py). The common ones are translated here; others stay as PyYAML
wrote them.
"""

from __future__ import annotations

import re

from .i18n import N_, _, language

_FIXED = {text: text for text in (
    N_("while scanning a simple key"),
    N_("could not find expected ':'"),
    N_("mapping values are not allowed here"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a block node"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow node"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning for the next token"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning a directive"),
    N_("while constructing a mapping"),
    N_("found unexpected end of stream"),
    N_("found unhashable key"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("found a tab character where an indentation space is expected"),
    N_("expected a single document in the stream"),
    N_("but found another document"),
)}
# (pattern of PyYAML's text, message with the pattern's groups as fields)
_PATTERNS = (
    (re.compile(r"expected (?P<expected>.+), but found (?P<found>.+)", re.S),
     N_("expected {expected}, but found {found}")),
    (re.compile(r"found character (?P<char>.+) that cannot start any token", re.S),
     N_("found character {char} that cannot start any token")),
    (re.compile(r"found undefined alias (?P<alias>.+)", re.S), N_("found undefined alias {alias}")),
    (re.compile(r"found unknown escape character (?P<char>.+)", re.S),
     N_("found unknown escape character {char}")),
)


def yaml_problem(text: str) -> str:
    """One part of a PyYAML error (its context or its problem), translated when known."""
    if language() == "en":
        return text
    if text in _FIXED:
        return _(text)
    for pattern, message in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return _(message).format(**found.groupdict())
    return text
