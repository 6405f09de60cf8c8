"""`k8slint fix`: the click command. Imports stay inside the function (fast start-up)."""

from __future__ import annotations

import sys
from typing import Any

import click

from .cli import _version
from .cli_lang import apply_config_language, lang_option
from .i18n import _


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing (exit 1 if any).")
@click.option("--only", multiple=True, metavar="RULE", help="Apply only this rule's fix (repeatable).")
@click.option("--kubernetes-version", callback=_version, help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--namespace", help="Namespace for objects that set none (default: default).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file (default: the nearest .k8slint.yaml or [tool.k8slint]).")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@lang_option
def fix(paths: tuple[str, ...], diff: bool, only: tuple[str, ...], kubernetes_version: Any,
        namespace: str | None, config_file: str | None, no_config: bool, quiet: bool) -> None:
    """Apply the certain fixes, keeping comments and layout (- reads stdin, prints the result).

    Rewrites only changed files, each atomically. Findings without a certain fix are listed
    and left for a human."""
    from .config import resolve
    from .errors import ConfigError
    from .fix import fix_paths, fixable_rules, unified_diff
    from .rules import builtin_rules

    rules = builtin_rules()
    fixable = fixable_rules(rules)
    for rule in only:
        if rule not in rules:
            raise click.UsageError(_("unknown rule {rule!r} (see: k8slint rules)").format(rule=rule))
        if rule not in fixable:
            raise click.UsageError(_("rule {rule!r} has no automatic fix; fixable: {rules}").format(
                rule=rule, rules=", ".join(sorted(fixable))))
    try:
        config = resolve(config_file, use_files=not no_config)
    except ConfigError as exc:
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    apply_config_language(config.lang)
    if only:
        config.only = list(only)
    if kubernetes_version:
        config.kubernetes_version = kubernetes_version
    if namespace is not None:
        config.namespace = namespace
    stdin_mode = "-" in paths
    run = fix_paths(paths, config, write=not diff)
    # With stdin the fixed text (or the diff) is the output: messages go to stderr.
    say = (lambda text: click.echo(text, err=True)) if stdin_mode or diff else click.echo
    for fixed in run.files:
        if diff:
            if fixed.changed:
                click.echo(unified_diff(fixed), nl=False)
        elif fixed.name == "-":
            click.echo(fixed.text, nl=False)
        if not quiet:
            for change in fixed.changes:
                say(f"{fixed.name}:{change.line}: {change.rule}: {change.description}")
            for finding, why in fixed.left:
                say(_("{file}:{line}: {rule}: not fixed: {why}").format(
                    file=fixed.name, line=finding.line, rule=finding.rule, why=why))
            for note in fixed.notes:
                say(note)
    if not quiet:
        count = sum(len(f.changes) for f in run.files)
        summary = (_("would fix {count} finding(s) in {files} file(s)") if diff
                   else _("fixed {count} finding(s) in {files} file(s)"))
        say(summary.format(count=count, files=len(run.changed)))
    for error in run.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    if run.io_errors:
        sys.exit(2)
    sys.exit(1 if diff and run.changed else 0)
