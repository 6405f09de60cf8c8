"""`k8slint diff`: what applying the new manifests over the old ones does to the running cluster."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .cli import write_output
from .cli_lang import apply_config_language, lang_option
from .i18n import _

FORMATS = ("human", "json", "markdown", "github", "sarif")


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--git", "git_ref", metavar="REF[..REF]",
              help="Compare PATHS (default .) at git revision REF with the working tree, or REF..REF2.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="human", show_default=True,
              help="markdown: a pull-request comment; github: annotations, plus the markdown in "
                   "$GITHUB_STEP_SUMMARY when it is set.")
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1.  [default: error: a refused change]")
@click.option("--kubernetes-version", help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--namespace", default=None, help="Namespace for objects that set none.  [default: default]")
@click.option("--enable", multiple=True, help="Also run this rule (repeatable).")
@click.option("--disable", multiple=True, help="Do not run this rule (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@lang_option
def diff(paths: tuple[str, ...], git_ref: str | None, fmt: str, output: str | None, fail_on: str | None,
         kubernetes_version: str | None, namespace: str | None, enable: tuple[str, ...], disable: tuple[str, ...],
         config_file: str | None, no_config: bool) -> None:
    """Show what a change does to the running cluster: `diff OLD NEW`, or `diff --git REF [PATHS]`.

    Refused updates (immutable fields) are errors at the changed line; rollouts, restarts,
    traffic moves and deletions are explained with their numbers. Exit 1 when a change
    would be refused (see --fail-on)."""
    from .diff import GitError, diff_git, diff_paths
    from .diff.report import render, render_markdown
    from .errors import ConfigError

    if git_ref is None and len(paths) != 2:
        raise click.UsageError(_("give two paths (OLD NEW), or --git REF [PATHS]"))
    try:
        config = _config(config_file, no_config, fail_on, kubernetes_version, namespace, enable, disable)
        if git_ref is not None:
            old_ref, __, new_ref = git_ref.partition("..")
            result = diff_git(old_ref, list(paths) or ["."], config, to_ref=new_ref or None)
        else:
            result = diff_paths([paths[0]], [paths[1]], config)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    except GitError as exc:
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    for error in result.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    text = render(result, fmt)
    if output:
        write_output(output, text)
    else:
        click.echo(text, nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render_markdown(result) + "\n")
        except OSError as exc:
            click.echo(_("k8slint: {file}: cannot write the step summary: {reason}").format(
                file=summary, reason=exc.strerror or exc), err=True)
    if result.io_errors:
        sys.exit(2)
    sys.exit(1 if result.failed(config.fail_on) else 0)


def _config(config_file: str | None, no_config: bool, fail_on: str | None, kubernetes_version: str | None,
            namespace: str | None, enable: tuple[str, ...], disable: tuple[str, ...]) -> Any:
    """The config file's settings (fail-on, namespace, rule switches), then the flags."""
    from .config import resolve
    from .k8s.versions import parse_version
    from .model import Severity

    config = resolve(config_file, use_files=not no_config)
    apply_config_language(config.lang)
    if fail_on is not None:
        config.fail_on = None if fail_on == "never" else Severity.parse(fail_on)
    if kubernetes_version:
        try:
            config.kubernetes_version = parse_version(kubernetes_version)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--kubernetes-version") from None
    if namespace is not None:
        config.namespace = namespace
    config.enable = [e for e in config.enable if e not in disable] + list(enable)
    config.disable = [d for d in config.disable if d not in enable] + list(disable)
    return config


def explain_diff(ref: str, paths: list[str], fmt: str, nodes: int | None, cluster: str | None, namespace: str,
                 version: Any, output: str | None = None, **style: Any) -> None:
    """`k8slint explain --diff REF PATHS` (registered by cli_explain): print and exit."""
    from .config import Config
    from .diff import GitError
    from .diff.explain import explain_diff as run
    from .diff.explain import render
    from .errors import InputError

    config = Config(namespace=namespace)
    if version:
        config.kubernetes_version = version
    try:
        explained = run(ref, paths, config, nodes=nodes, cluster=cluster)
    except (GitError, OSError, InputError) as exc:   # any other exception is a bug: exit 3
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    for error in explained.result.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    color = output is None and fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = render(fmt, explained, color=color, **style)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text)
    sys.exit(2 if explained.result.io_errors else 0)
