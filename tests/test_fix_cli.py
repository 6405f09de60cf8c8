"""`k8slint fix` on files: writes, --diff, stdin, atomic writes, the real corpus untouched."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from k8slint.cli import main
from k8slint.config import Config
from k8slint.fix import fix_paths
from k8slint.fix.apply import fix_config
from k8slint.rules import builtin_rules
from tests.conftest import CORPUS, ROOT

BAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web  # keep\n  labels: {version: 1.10}\n"
GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web  # keep\n  labels: {version: "1.10"}\n'


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["fix", *args], input=input)


def test_fix_writes_only_changed_files(tmp_path):
    bad, clean = tmp_path / "bad.yaml", tmp_path / "clean.yaml"
    bad.write_text(BAD)
    clean.write_text(GOOD)
    before = clean.stat().st_mtime_ns
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert bad.read_text() == GOOD
    assert clean.stat().st_mtime_ns == before
    assert "bad.yaml:5: yaml-string-trap: quoted 1.10" in result.output
    assert "fixed 1 finding(s) in 1 file(s)" in result.output
    assert run(str(tmp_path)).output.startswith("fixed 0 finding(s)")        # idempotent


def test_diff_prints_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = run("--diff", str(bad))
    assert result.exit_code == 1
    assert bad.read_text() == BAD
    assert '-  labels: {version: 1.10}\n+  labels: {version: "1.10"}\n' in result.stdout
    clean = tmp_path / "clean.yaml"
    clean.write_text(GOOD)
    assert run("--diff", str(clean)).exit_code == 0


def test_stdin_prints_the_fixed_text():
    result = run("-", input=BAD)
    assert result.exit_code == 0
    assert result.stdout == GOOD
    assert run("-", input=GOOD).stdout == GOOD


def test_only_and_unknown_rules(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    assert run("--only", "env-name", str(bad)).exit_code == 0
    assert bad.read_text() == BAD
    assert run("--only", "no-such-rule", str(bad)).exit_code == 2
    assert run("--only", "yaml-syntax", str(bad)).exit_code == 2       # not fixable


def test_failed_write_leaves_the_original_intact(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run(str(bad))
    assert result.exit_code == 2
    assert "cannot write" in result.output and "unchanged" in result.output
    assert bad.read_text() == BAD
    assert os.listdir(tmp_path) == ["bad.yaml"]           # no temp file left behind


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_folder_leaves_the_original_intact(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    tmp_path.chmod(0o555)
    try:
        assert run(str(bad)).exit_code == 2
        assert bad.read_text() == BAD
    finally:
        tmp_path.chmod(0o755)


def test_file_mode_and_symlink_are_kept(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    bad.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(bad)
    assert run(str(link)).exit_code == 0
    assert link.is_symlink() and bad.read_text() == GOOD
    assert bad.stat().st_mode & 0o777 == 0o640


def test_fixed_fixture_needs_no_fix():
    assert not fix_paths([str(ROOT / "fixtures" / "fix" / "legacy.fixed.yaml")], write=False).changed


def test_files_without_fixable_findings_stay_byte_identical(tmp_path):
    from k8slint.api import check

    real = CORPUS / "real"
    copy = tmp_path / "real"
    shutil.copytree(real, copy)
    fixable = {f.file for f in check([str(copy)], fix_config(Config(), builtin_rules())).findings}
    run_ = fix_paths([str(copy)])
    assert not run_.io_errors
    for path in real.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(real)
            if str(target) not in fixable:
                assert target.read_bytes() == path.read_bytes(), target


def test_config_and_suppressions_are_respected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    config = tmp_path / ".k8slint.yaml"
    config.write_text("disable: [yaml-string-trap]\n")
    assert run("--config", str(config), str(bad)).exit_code == 0
    assert bad.read_text() == BAD
    silenced = BAD.replace("{version: 1.10}", "{version: 1.10}  # k8slint: ignore[yaml-string-trap]")
    bad.write_text(silenced)
    assert run("--no-config", str(bad)).exit_code == 0
    assert bad.read_text() == silenced
