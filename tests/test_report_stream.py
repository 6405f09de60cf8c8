"""Reports written piece by piece (report.write, the CLI's stdout and -o) are the text
render() returns, byte for byte."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from k8slint import cli
from k8slint.api import as_report, check
from k8slint.config import Config
from k8slint.report import FORMATS, STREAMED, Options, render, write
from tests.conftest import ROOT

FIXTURES = [str(ROOT / "fixtures" / "broken"), str(ROOT / "fixtures" / "everyday")]


@pytest.fixture(scope="module")
def report():
    result = check(FIXTURES, Config())
    assert result.findings and result.suppressed         # both lists are written
    return as_report(result)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("options", [Options(), Options(show_suppressed=True, show_infos=True),
                                     Options(color=True)], ids=["plain", "all", "color"])
def test_written_is_rendered(report, fmt, options):
    out = io.StringIO()
    write(report, fmt, options, out)
    assert out.getvalue() == render(report, fmt, options)


def test_the_large_formats_are_streamed():
    assert {"human", "json", "sarif"} <= set(STREAMED)


@pytest.mark.parametrize("fmt", ["human", "json", "sarif"])
def test_cli_stdout_and_file_in_small_pieces(report, fmt, tmp_path, monkeypatch):
    monkeypatch.setattr(cli._Echo, "PIECE", 100)
    target = tmp_path / "out"
    args = ["check", "--no-config", "--show-suppressed", *FIXTURES]
    result = CliRunner().invoke(cli.main, [*args[:2], "--format", fmt, *args[2:]])
    with_file = CliRunner().invoke(cli.main, [*args[:2], "--format", fmt, "-o", str(target), *args[2:]])
    expected = render(report, fmt, Options(show_suppressed=True))
    assert result.exit_code == with_file.exit_code == 1
    assert result.output == expected
    assert target.read_text(encoding="utf-8") == expected
