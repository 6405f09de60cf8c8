"""Label selector strings (`app=web,tier in (a,b),!legacy`), as
k8s.io/apimachinery/pkg/labels/selector.go Parse reads them; kustomize's patch targets use
them for labelSelector and annotationSelector."""

from __future__ import annotations

import re
from typing import Callable, Mapping

from ..i18n import _

_TOKEN = re.compile(r"\s*(!=|==|=|!|\(|\)|,|[^\s!=(),]+)")

Test = Callable[[Mapping[str, str]], bool]


class SelectorError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise SelectorError(_("cannot read label selector {text!r}").format(text=text))
        out.append(match.group(1))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def parse(text: str) -> Test:
    """A test of a label (or annotation) map; an empty selector selects everything."""
    tokens = _tokens(text)
    tests: list[Test] = []
    i = 0

    def need(index: int) -> str:
        if index >= len(tokens):
            raise SelectorError(_("label selector {text!r} ends too early").format(text=text))
        return tokens[index]

    while i < len(tokens):
        if tokens[i] == "!":
            key = need(i + 1)
            tests.append(_lacks(key))
            i += 2
        else:
            key = tokens[i]
            op = tokens[i + 1] if i + 1 < len(tokens) else ","
            if op == ",":
                tests.append(_has(key))
                i += 1
            elif op in ("=", "==", "!="):
                value = need(i + 2) if i + 2 < len(tokens) and tokens[i + 2] != "," else ""
                if op == "!=":
                    tests.append(_differs(key, value))
                else:
                    tests.append(_equals(key, value))
                i += 3 if value else 2
            elif op in ("in", "notin"):
                if need(i + 2) != "(":
                    raise SelectorError(_("label selector {text!r}: {op} needs a list in parentheses").format(text=text, op=op))
                values: set[str] = set()
                j = i + 3
                while need(j) != ")":
                    if tokens[j] != ",":
                        values.add(tokens[j])
                    j += 1
                if op == "in":
                    tests.append(_one_of(key, frozenset(values)))
                else:
                    tests.append(_none_of(key, frozenset(values)))
                i = j + 1
            else:
                raise SelectorError(_("cannot read label selector {text!r} at {op!r}").format(text=text, op=op))
        if i < len(tokens):
            if tokens[i] != ",":
                raise SelectorError(_("cannot read label selector {text!r} at {tokens!r}").format(text=text, tokens=tokens[i]))
            i += 1
    return lambda labels: all(t(labels) for t in tests)


def _has(key: str) -> Test:
    return lambda labels: key in labels


def _lacks(key: str) -> Test:
    return lambda labels: key not in labels


def _equals(key: str, value: str) -> Test:
    return lambda labels: key in labels and labels[key] == value


def _differs(key: str, value: str) -> Test:
    return lambda labels: labels.get(key) != value


def _one_of(key: str, values: frozenset[str]) -> Test:
    return lambda labels: labels.get(key) in values


def _none_of(key: str, values: frozenset[str]) -> Test:
    return lambda labels: labels.get(key) not in values
