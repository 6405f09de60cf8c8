"""Command line: parse flags, call the API, pick a reporter, exit 0/1/2. Only this prints."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

import click

from . import __version__

FAIL_ON = ("error", "warning", "info", "never")


def _version(ctx: click.Context, _param: Any, value: str | None) -> Any:
    if value is None:
        return None
    from .k8s.versions import parse_version
    try:
        return parse_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="k8slint")
def main() -> None:
    """Lint Kubernetes manifests and explain what the control plane will do with them."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--kubernetes-version", callback=_version, help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--namespace", default="default", show_default=True, help="Namespace for objects that set none.")
@click.option("--enable", multiple=True, help="Also run this rule or category (repeatable).")
@click.option("--disable", multiple=True, help="Do not run this rule or category (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code.")
def check(paths: tuple[str, ...], fmt: str, fail_on: str, kubernetes_version: Any, namespace: str,
          enable: tuple[str, ...], disable: tuple[str, ...], quiet: bool) -> None:
    """Check manifests (files, folders, or - for stdin)."""
    from .api import check as run_check
    from .config import Config
    from .model import Severity

    config = Config(namespace=namespace, enable=list(enable), disable=list(disable),
                    fail_on=None if fail_on == "never" else Severity.parse(fail_on))
    if kubernetes_version:
        config.kubernetes_version = kubernetes_version
    try:
        result = run_check(paths, config)
    except KeyError as exc:
        raise click.UsageError(f"unknown rule or category {exc.args[0]!r} "
                               "(see: k8slint rules)") from None
    if not quiet:
        texts = {s.name: s.text for s in result.sources}
        click.echo(_render(fmt, result, texts), nl=False)
    for error in result.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    if result.io_errors:
        sys.exit(2)
    sys.exit(1 if result.failed(config.fail_on) else 0)


def _render(fmt: str, result: Any, texts: dict[str, str | None]) -> str:
    if fmt == "json":
        from .report.json import render_json
        return render_json(result.findings, result.summary())
    from .report.human import render_human
    return render_human(result.findings, result.summary(), texts=texts, color=_color())


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def rules(ctx: click.Context, fmt: str) -> None:
    """List the rules; `rules show ID` explains one."""
    if ctx.invoked_subcommand is not None:
        return
    from .rules import builtin_rules
    metas = sorted(builtin_rules().values(), key=lambda m: (m.category, m.id))
    if fmt == "json":
        import json
        click.echo(json.dumps([m.as_dict() for m in metas], indent=2))
        return
    width = max((len(m.id) for m in metas), default=10)
    for m in metas:
        click.echo(f"{m.id:<{width}}  {m.category:<11} {str(m.severity):<8} {m.summary}")


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """Explain one rule: why it matters, how to fix, examples."""
    from .rules import builtin_rules
    metas = builtin_rules()
    meta = metas.get(rule_id)
    if meta is None:
        from difflib import get_close_matches
        near = get_close_matches(rule_id, list(metas), n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        raise click.UsageError(f"unknown rule {rule_id!r}{hint}")
    click.echo(f"{meta.id}  [{meta.category}, {meta.severity}]\n\n{meta.summary}\n")
    click.echo(f"Why: {meta.rationale}\n\nFix: {meta.fix}\n")
    for example in meta.examples:
        verdict = "flagged" if example.expect else "passes"
        click.echo(f"--- example: {example.name} ({verdict})\n{example.manifest.rstrip()}\n")


def run(entry: Callable[..., Any] = main) -> None:
    """Entry point: no traceback ever reaches a user."""
    try:
        entry(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        click.echo(f"k8slint: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
        sys.exit(2)


def _register_optional(module: str, name: str) -> None:
    """Commands in their own modules (explain, fix) register when the module exists.

    Those modules keep their imports inside the command so that start-up stays fast."""
    from importlib.util import find_spec

    if find_spec(f"k8slint.{module}") is not None:
        main.add_command(getattr(__import__(f"k8slint.{module}", fromlist=[name]), name))


for _module, _name in (("cli_explain", "explain"), ("cli_fix", "fix")):
    _register_optional(_module, _name)
