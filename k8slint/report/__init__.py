"""Reporters: functions from a Report to text. They never print.

`REPORTERS` maps each `--format` name to the module and function that renders it; the
module is imported on first use (a pre-commit run that prints human text never imports
the SARIF or JUnit code). A reporter is `func(report: Report, options: Options) -> str`.
Adding a format: one module here, one line in REPORTERS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from ..model import Finding, ObjectRef, Severity

if TYPE_CHECKING:
    from ..rules import RuleMeta

REPORTERS: dict[str, tuple[str, str]] = {
    "human": ("human", "render_human"),
    "json": ("json", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"),
    "compact": ("compact", "render_compact"),
    "html": ("html", "render_html"),
}
FORMATS = tuple(REPORTERS)


@dataclass(frozen=True)
class Report:
    """What every reporter may read: one run's findings and their context."""

    findings: Sequence[Finding]
    summary: Mapping[str, int] = field(default_factory=dict)
    rules: Mapping[str, RuleMeta] = field(default_factory=dict)
    suppressed: Sequence[Finding] = ()                            # silenced in the manifests
    reasons: Mapping[tuple[object, ...], str] = field(default_factory=dict)  # sort_key() -> reason
    baselined: int = 0                                            # findings in the baseline
    texts: Mapping[str, str | None] = field(default_factory=dict)  # file -> source text
    objects: Sequence[tuple[str, ObjectRef]] = ()                 # (file, object) checked
    files: Sequence[str] = ()                                     # every file checked

    def reason(self, finding: Finding) -> str | None:
        """The reason written in the suppression that silenced this finding, if any."""
        return self.reasons.get(finding.sort_key())


@dataclass(frozen=True)
class Options:
    """How to render: the CLI flags that shape output."""

    color: bool = False
    show_suppressed: bool = False      # list suppressed findings (human, json, sarif, compact)
    show_infos: bool = False           # human: list infos one by one instead of per rule
    fail_on: Severity | None = Severity.ERROR    # junit failures, the human verdict
    root: str | None = None            # sarif: the folder paths are relative to (default: cwd)


Reporter = Callable[[Report, Options], str]


class Out(Protocol):
    """Where write() puts a report: a text stream, or anything with its write()."""

    def write(self, text: str, /) -> object: ...


def reporter(fmt: str) -> Reporter:
    """The render function of a format; ValueError for an unknown one."""
    try:
        module, name = REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}") from None
    func: Reporter = getattr(import_module(f"{__name__}.{module}"), name)
    return func


def render(report: Report, fmt: str = "human", options: Options | None = None) -> str:
    return reporter(fmt)(report, options or Options())


# Formats whose module also writes the text piece by piece: func(report, options, out),
# the same text as render() without all of it in memory at once (large runs).
STREAMED: dict[str, str] = {"human": "write_human", "json": "write_json", "sarif": "write_sarif"}


def write(report: Report, fmt: str, options: Options, out: Out) -> None:
    """render() into `out`, in pieces where the format can."""
    name = STREAMED.get(fmt)
    if name is None:
        out.write(render(report, fmt, options))
        return
    getattr(import_module(f"{__name__}.{REPORTERS[fmt][0]}"), name)(report, options, out)


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    """The order of every listing: file, line, column, rule, message."""
    return sorted(findings, key=Finding.sort_key)
