"""Suppressions: the k8slint.io/ignore annotation and `# k8slint: ignore[...]` comments."""

from __future__ import annotations

import json

from click.testing import CliRunner

from k8slint.api import check_text, render
from k8slint.cli import main
from k8slint.config import Config
from k8slint.suppress import comment_marks, parse_names

TWO_OBJECTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
  labels:
    version: 1.10
  annotations:
    k8slint.io/ignore: "yaml-string-trap"
data:
  enabled: yes
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: second
  labels:
    version: 1.10
data:
  enabled: yes
"""


def where(findings):
    return [(f.rule, f.line) for f in findings]


def test_annotation_silences_its_object_only():
    result = check_text(TWO_OBJECTS)
    assert where(result.findings) == [("yaml-string-trap", 17), ("yaml-string-trap", 19)]
    assert where(result.suppressed) == [("yaml-string-trap", 6), ("yaml-string-trap", 10)]
    assert result.summary()["suppressed"] == 2


def test_annotation_all_and_categories():
    text = TWO_OBJECTS.replace('"yaml-string-trap"', '"all"')
    assert len(check_text(text).suppressed) == 2
    text = TWO_OBJECTS.replace('"yaml-string-trap"', '"syntax, image"')
    result = check_text(text)
    assert len(result.suppressed) == 2
    # `image` suppresses nothing on a ConfigMap: stale when image rules ran (they do by
    # default), not judged when none ran
    assert where(f for f in result.findings if f.rule == "unused-suppression") == [("unused-suppression", 8)]
    without_images = check_text(text, Config(disable=["image"]))
    assert [f.rule for f in without_images.findings if f.rule == "unused-suppression"] == []


def test_comment_on_the_line_silences_that_line_only():
    text = TWO_OBJECTS.replace("    version: 1.10\ndata:\n  enabled: yes\n",
                               "    version: 1.10  # k8slint: ignore[yaml-string-trap]\ndata:\n  enabled: yes\n")
    result = check_text(text)
    assert where(result.findings) == [("yaml-string-trap", 19)]
    assert where(result.suppressed) == [("yaml-string-trap", 6), ("yaml-string-trap", 10),
                                        ("yaml-string-trap", 17)]


def test_comment_alone_silences_the_line_below(trap_configmap):
    text = trap_configmap.replace("    version", "    # k8slint: ignore[yaml-string-trap]\n    version") + \
        "data:\n  enabled: yes\n"
    result = check_text(text)
    assert where(result.findings) == [("yaml-string-trap", 9)]
    assert where(result.suppressed) == [("yaml-string-trap", 7)]


def test_comment_for_another_rule_does_not_silence():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n  a: yes  # k8slint: ignore[yaml-duplicate-key]\n"
    assert where(check_text(text).findings) == [("yaml-string-trap", 5), ("unused-suppression", 5)]


def test_stale_suppressions_are_info_findings():
    text = TWO_OBJECTS.replace('"yaml-string-trap"', '"yaml-string-trap,yaml-duplicate-key"')
    text += "  other: \"x\"  # k8slint: ignore[yaml-string-trap]\n"
    result = check_text(text)
    stale = [f for f in result.findings if f.rule == "unused-suppression"]
    assert [(f.line, str(f.severity)) for f in stale] == [(8, "info"), (20, "info")]
    assert "yaml-duplicate-key" in stale[0].message and stale[0].object.name == "first"


def test_disabled_rules_do_not_make_a_suppression_stale():
    result = check_text(TWO_OBJECTS, Config(disable=["yaml-string-trap"]))
    assert result.findings == [] and result.suppressed == []


def test_per_path_ignore_is_silent():
    config = Config(ignore={"*.yaml": ["yaml-string-trap"]})
    result = check_text(TWO_OBJECTS, config, name="app.yaml")
    assert result.suppressed == []
    assert where(result.findings) == [("unused-suppression", 8)]


def test_show_suppressed_lists_them(tmp_path):
    manifest = tmp_path / "app.yaml"
    manifest.write_text(TWO_OBJECTS)
    runner = CliRunner()
    plain = runner.invoke(main, ["check", "--no-config", str(manifest)])
    assert "2 suppressed" in plain.output and "suppressed:" not in plain.output
    shown = runner.invoke(main, ["check", "--no-config", "--show-suppressed", str(manifest)])
    assert "suppressed:" in shown.output and f"{manifest}:6:14" in shown.output
    data = json.loads(runner.invoke(main, ["check", "--no-config", "--format", "json", "--show-suppressed",
                                           str(manifest)]).output)
    assert data["summary"]["suppressed"] == 2 and len(data["suppressed"]) == 2
    compact = runner.invoke(main, ["check", "--no-config", "--format", "compact", "--show-suppressed",
                                   str(manifest)]).output
    assert compact.count("(suppressed)") == 2
    # The findings first, as without the flag, then each suppressed one marked at its end.
    unshown = runner.invoke(main, ["check", "--no-config", "--format", "compact", str(manifest)]).output
    lines = compact.splitlines()
    assert lines[:2] == unshown.splitlines() and [line.split(":")[1] for line in lines[:2]] == ["17", "19"]
    assert [line.split(":", 3)[1:3] for line in lines[2:]] == [["6", "14"], ["10", "12"]]
    assert all(line.endswith('quote it: "1.10" (suppressed)') or line.endswith('quote it: "yes" (suppressed)')
               for line in lines[2:])


def test_comment_parsing():
    marks = comment_marks("f", "a: 1  # k8slint: ignore[x, y]\n# k8slint: ignore\nb: 2\nc: 'no # k8slint:ignore[z]'\n")
    assert sorted(marks) == [1, 2, 3]
    assert marks[1][0].names == {"x", "y"}
    assert marks[3][0].names == {"all"}
    assert parse_names(" a ,b,, ") == {"a", "b"}


def test_human_render_with_nothing_suppressed_has_no_tail():
    result = check_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n")
    assert "suppressed" not in render(result)


SAME = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  labels:\n    version: 1.10\n"
# the same ConfigMap twice (lines 1-6 and 8-13); only the second has the annotation
SAME_TWICE = SAME + "---\n" + SAME + '  annotations:\n    k8slint.io/ignore: "yaml-string-trap"\n'


def test_same_identity_twice_in_a_file_only_the_annotated_one_is_silenced():
    result = check_text(SAME_TWICE)
    assert where(f for f in result.findings if f.rule == "yaml-string-trap") == [("yaml-string-trap", 6)]
    assert where(result.suppressed) == [("yaml-string-trap", 13)]


def test_objects_without_annotation_keep_no_entry():
    """Per-object entries only for identities some annotation marks (memory: most have none)."""
    from k8slint.api import _rules
    from k8slint.suppress import Suppressor

    result = check_text(TWO_OBJECTS)
    suppressor = Suppressor(result.graph, result.sources, *_rules(Config(), None))
    assert [ref.name for __, ref in suppressor.objects] == ["first"]
    assert not suppressor.unmarked
