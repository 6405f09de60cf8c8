"""Field paths: format_path and parse_path are inverses, whatever the keys hold."""

from __future__ import annotations

import pytest

from k8slint.paths import format_path, parse_path


@pytest.mark.parametrize("path, text", [
    (("spec", "containers", 0, "name"), "spec.containers[0].name"),
    (("metadata", "labels", "app.kubernetes.io/name"), 'metadata.labels["app.kubernetes.io/name"]'),
    (("data", 'say "hi"\\'), 'data["say \\"hi\\"\\\\"]'),
    # a key ending in a newline (a mutated label found by the property test): `$` in a
    # pattern matches before a final newline, so it was written bare and read back as an error
    (("metadata", "labels", "A\n"), 'metadata.labels["A\n"]'),
    (("metadata", "labels", "\n"), 'metadata.labels["\n"]'),
])
def test_paths_round_trip(path, text):
    assert format_path(path) == text
    assert parse_path(text) == path
