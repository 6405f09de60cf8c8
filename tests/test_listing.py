"""The folder listings of one run (k8slint.listing): the walk that records them finds what
os.walk finds, their answers equal the operating system's, and they never outlive a run."""

from __future__ import annotations

import os
from pathlib import Path

from k8slint import api, listing, loader


def _tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "x.yaml").write_text("kind: A\n")
    (root / "a" / "y.yml").write_text("kind: B\n")
    (root / "a" / "notes.txt").write_text("not yaml\n")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "h.yaml").write_text("kind: C\n")
    (root / "top.YAML").write_text("kind: D\n")
    (root / "c").mkdir()
    (root / "c" / "z.json").write_text("{}\n")
    os.symlink(root / "a", root / "link-to-a")          # the same folder twice: walked once
    os.symlink(root, root / "a" / "b" / "loop")          # a loop
    os.symlink(root / "missing", root / "broken.yaml")   # a link to nothing: os.walk lists it, the walk not
    os.mkfifo(root / "c" / "pipe.yaml")                 # nor a pipe, whose read would block


def _os_walk(root: str) -> list[str]:
    """What discover found before it recorded listings (os.walk, followlinks)."""
    seen: set[str] = set()
    out = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(folder, n) for n in sorted(names)
                if n.lower().endswith(loader.YAML_SUFFIXES) and not n.startswith(".")
                and os.path.isfile(os.path.join(folder, n))]
    return out


def test_the_walk_finds_what_os_walk_finds(tmp_path: Path) -> None:
    _tree(tmp_path)
    with listing.scope():
        files, errors = loader.discover([str(tmp_path)])
    assert errors == []
    assert files == _os_walk(str(tmp_path))
    assert str(tmp_path / "a" / "b" / "x.yaml") in files
    assert str(tmp_path / "broken.yaml") not in files and str(tmp_path / "c" / "pipe.yaml") not in files


def test_listed_answers_equal_the_systems(tmp_path: Path) -> None:
    _tree(tmp_path)
    paths = [tmp_path / p for p in ("a", "a/b", "a/y.yml", "a/notes.txt", "nothing", "broken.yaml",
                                    "link-to-a", "top.YAML", "a/b/loop", "c/z.json", "c/none")]
    with listing.scope():
        loader.discover([str(tmp_path)])
        assert listing.names(str(tmp_path / "a")) is not None       # listed in this run
        for path in paths:
            for asked in (str(path), os.path.relpath(path)):
                assert listing.isfile(asked) == os.path.isfile(asked), asked
                assert listing.isdir(asked) == os.path.isdir(asked), asked
                assert listing.islink(asked) == os.path.islink(asked), asked


def test_a_path_through_dot_dot_is_asked_of_the_system(tmp_path: Path) -> None:
    _tree(tmp_path)
    with listing.scope():
        loader.discover([str(tmp_path)])
        through = str(tmp_path / "a" / "b" / ".." / "y.yml")
        assert listing._flags(through) is None
        assert listing.isfile(through)


def test_listings_never_outlive_a_run(tmp_path: Path) -> None:
    """A long-lived process (language server, resident server) checks again after files
    change: the second run sees the new file."""
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "kustomization.yaml").write_text("resources: [base]\n")
    first = api.check([str(tmp_path)], {})
    assert listing.names(str(tmp_path)) is None                      # nothing kept after the run
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    second = api.check([str(tmp_path)], {})
    assert [f.rule for f in first.findings] == ["kustomize-build"]     # base has no kustomization
    assert "has no kustomization.yaml" in first.findings[0].message
    assert second.objects == 1 and second.findings == []


def test_outside_a_run_the_system_answers(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text("a: 1\n")
    assert listing.names(str(tmp_path)) is None
    assert listing.isfile(str(tmp_path / "f.yaml")) and not listing.isdir(str(tmp_path / "f.yaml"))
