"""Property: mutated manifests never make a check raise, and results are deterministic."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint.api import check_text
from tests.conftest import ROOT

SEEDS = [d for d in yaml.safe_load_all((ROOT / "fixtures" / "demo" / "web.yaml").read_text()) if d]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["", "0", "yes", "1.10", "None", "-1", "*", "a/b"]))
ANY = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                   max_leaves=6)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


def _mutate(doc: dict, data: st.DataObject) -> dict:
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["drop", "replace", "retype"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(ANY)
        else:
            value = parent[path[-1]]
            parent[path[-1]] = [value] if not isinstance(value, list) else {"x": value}
    return doc


def _assert_clean(text: str) -> None:
    first = check_text(text)
    internal = [f for f in first.findings if "internal error" in f.message]
    assert not internal, (internal, text)
    second = check_text(text)
    assert [f.as_dict() for f in first.findings] == [f.as_dict() for f in second.findings]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_objects_never_crash_a_check(data: st.DataObject) -> None:
    docs = [_mutate(doc, data) for doc in SEEDS]
    _assert_clean(yaml.safe_dump_all(docs, sort_keys=False))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_duplicated_lines_and_random_scalars_never_crash(data: st.DataObject) -> None:
    lines = (ROOT / "fixtures" / "demo" / "web.yaml").read_text().splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            lines.insert(i, lines[i])                                  # duplicate key (or item)
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {data.draw(st.sampled_from(['', '~', 'yes', '1e3', '[]', '{}', '-5', 'x']))}"
    _assert_clean("\n".join(lines) + "\n")
