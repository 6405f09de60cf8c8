"""Texts of files read from disk are not kept after parsing (memory): suppression comments,
the human reporter's excerpts and fix still see them; stdin and given texts are kept."""

from __future__ import annotations

import io
import pickle

from k8slint import parallel
from k8slint.api import check, render
from k8slint.loader import Source, load_files, parse_source

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
  labels:
    version: 1.10  # k8slint: ignore[yaml-string-trap] read as a number on purpose
data:
  enabled: yes
"""


def test_a_loaded_file_keeps_its_comments_not_its_text(tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text(MANIFEST)
    [source] = load_files([str(path)]).sources
    assert source._text is None                                   # dropped
    assert source.comment_lines() == [(6, MANIFEST.splitlines()[5])]
    assert source.text == MANIFEST                                # read again when asked
    copy = pickle.loads(pickle.dumps(source))                      # as worker processes send it
    assert copy.comment_lines() == source.comment_lines() and copy.text == MANIFEST
    assert copy.documents[0].data == source.documents[0].data


def test_suppressions_and_excerpts_of_a_file_whose_text_was_dropped(tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text(MANIFEST)
    result = check([str(path)])
    assert result.sources[0]._text is None
    assert [(f.rule, f.line) for f in result.suppressed] == [("yaml-string-trap", 6)]
    assert [(f.rule, f.line) for f in result.findings if f.rule == "yaml-string-trap"] == \
        [("yaml-string-trap", 8)]
    human = render(result, "human", show_suppressed=True)
    assert "  enabled: yes" in human                               # the excerpt of line 8
    assert "read as a number on purpose" in human                  # the suppression's reason


def test_text_read_from_stdin_or_given_is_kept():
    [stdin] = load_files(["-"], stdin=io.BytesIO(MANIFEST.encode())).sources
    assert stdin._text == MANIFEST and stdin.comment_lines() == [(6, MANIFEST.splitlines()[5])]
    given = Source("given.yaml", MANIFEST)
    parse_source(given)
    assert given._text == MANIFEST


def test_a_file_gone_since_loading_has_no_text(tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text(MANIFEST)
    [source] = parallel.load([str(path)], jobs=1).sources
    path.unlink()
    assert source.text is None
    assert source.comment_lines()                                  # suppressions still apply
