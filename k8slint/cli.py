"""Command line: parse flags, call the API, pick a reporter, exit 0/1/2. Only this prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

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


class _OrderedCommand(click.Command):
    """Remembers the order of options on the command line, so that each --output goes
    with the --format before it (click gathers repeated options per name)."""

    def make_parser(self, ctx: click.Context) -> Any:
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_args(args: list[str]) -> Any:
            opts, rest, order = parse(args=args)
            ctx.meta["k8slint.order"] = [p.name for p in order]
            return opts, rest, order

        parser.parse_args = parse_args  # type: ignore[method-assign]
        return parser


FORMATS = ("human", "json", "sarif", "junit", "github", "compact")


@main.command(cls=_OrderedCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), multiple=True,
              help="Output format (default human); repeat with --output for several reports.")
@click.option("--output", "-o", multiple=True, metavar="FILE",
              help="Write the preceding --format to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1.  [default: error]")
@click.option("--kubernetes-version", callback=_version, help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--namespace", default=None, help="Namespace for objects that set none.  [default: default]")
@click.option("--enable", multiple=True, help="Also run this rule or category (repeatable).")
@click.option("--disable", multiple=True, help="Do not run this rule or category (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file (default: nearest .k8slint.yaml or pyproject.toml [tool.k8slint]).")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder of custom rule files (repeatable).")
@click.option("--baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record the current findings in FILE and exit 0.")
@click.option("--show-suppressed", is_flag=True, help="Also list findings silenced by ignore annotations or comments.")
@click.option("--pod-security-level", type=click.Choice(["baseline", "restricted", "none"]), default=None,
              help="Pod Security level assumed enforced in namespaces not in the input.  [default: none]")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for large inputs (default: all cores when the input is large; output is the same).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: tuple[str, ...], output: tuple[str, ...],
          fail_on: str | None, kubernetes_version: Any, namespace: str | None, enable: tuple[str, ...],
          disable: tuple[str, ...], config_file: str | None, no_config: bool, rules_dirs: tuple[str, ...],
          baseline: str | None, write_baseline: str | None, show_suppressed: bool, pod_security_level: str | None,
          jobs: int | None, quiet: bool) -> None:
    """Check manifests (files, folders, or - for stdin)."""
    from .api import check as run_check
    from .api import render
    from .config import ConfigError

    reports = _pair_outputs(ctx.meta.get("k8slint.order", []), fmt, output)
    usage_errors: tuple[type[Exception], ...] = (ConfigError,)
    if baseline or write_baseline:
        from .baseline import BaselineError
        usage_errors += (BaselineError,)
    try:
        config = _config(config_file, no_config, rules_dirs, fail_on, kubernetes_version, namespace,
                         enable, disable)
        config.pod_security_level = pod_security_level or config.pod_security_level
        config.jobs = jobs
        result = run_check(paths, config, baseline=None if write_baseline else baseline)
    except usage_errors as exc:
        raise click.UsageError(str(exc)) from None
    except KeyError as exc:
        raise click.UsageError(f"unknown rule or category {exc.args[0]!r} "
                               "(see: k8slint rules)") from None
    for error in result.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    if write_baseline:
        from .baseline import write_baseline as write
        try:
            count = write(write_baseline, result.findings)
        except OSError as exc:
            raise click.FileError(write_baseline, exc.strerror or str(exc)) from None
        click.echo(f"k8slint: wrote {count} finding(s) to the baseline {write_baseline}", err=True)
        sys.exit(2 if result.io_errors else 0)
    for report_fmt, target in reports:
        if target is None and quiet:
            continue
        color = target is None and report_fmt == "human" and _color()
        text = render(result, report_fmt, color=color, show_suppressed=show_suppressed)
        if target is None:
            click.echo(text, nl=False)
        else:
            _write(target, text)
    if result.io_errors:
        sys.exit(2)
    sys.exit(1 if result.failed(config.fail_on) else 0)


def _config(config_file: str | None, no_config: bool, rules_dirs: tuple[str, ...], fail_on: str | None,
            kubernetes_version: Any, namespace: str | None, enable: tuple[str, ...],
            disable: tuple[str, ...]) -> Any:
    """The config file's settings, then the flags over them."""
    from .config import check_custom_ids, resolve
    from .model import Severity
    from .rules import builtin_rules

    config = resolve(config_file, use_files=not no_config)
    if rules_dirs:
        from .custom import load_rules_dir
        for folder in rules_dirs:
            config.custom_rules.extend(load_rules_dir(folder))
        check_custom_ids(config.custom_rules, builtin_rules())
    if fail_on is not None:
        config.fail_on = None if fail_on == "never" else Severity.parse(fail_on)
    if kubernetes_version:
        config.kubernetes_version = kubernetes_version
    if namespace is not None:
        config.namespace = namespace
    # A flag wins over the file: --enable X undoes the file's disable of X, and back.
    config.disable = [d for d in config.disable if d not in enable] + list(disable)
    config.enable = [e for e in config.enable if e not in disable] + list(enable)
    return config


def _pair_outputs(order: list[str], formats: tuple[str, ...],
                  outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """[(format, file or None for stdout)]: each --output belongs to the --format before it
    (an --output given before any --format belongs to the first one)."""
    pairs: list[list[Any]] = []
    leading: list[str] = []
    fmt_iter, out_iter = iter(formats), iter(outputs)
    for name in order:
        if name == "fmt":
            pairs.append([next(fmt_iter), None])
        elif name == "output":
            target = next(out_iter)
            if not pairs:
                leading.append(target)
            elif pairs[-1][1] is None:
                pairs[-1][1] = target
            else:
                raise click.UsageError(f"--output {target}: give a --format before each --output")
    if not pairs:
        pairs.append(["human", None])
    if leading:
        if len(leading) > 1 or pairs[0][1] is not None:
            raise click.UsageError("give a --format before each --output")
        pairs[0][1] = leading[0]
    for pair in pairs:
        if pair[1] == "-":
            pair[1] = None
    if sum(1 for _, target in pairs if target is None) > 1:
        raise click.UsageError("only one --format can go to stdout; give the others an --output FILE")
    return [(f, t) for f, t in pairs]


def _write(target: str, text: str) -> None:
    try:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        click.echo(f"k8slint: {target}: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(2)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


_CUSTOM_OPTIONS = (
    click.option("--config", "config_file", type=click.Path(dir_okay=False),
                 help="Config file whose custom rules to include (default: the nearest one)."),
    click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
                 help="Folder of custom rule files (repeatable)."),
)


def _custom_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_CUSTOM_OPTIONS):
        func = option(func)
    return func


def _custom_rules(config_file: str | None, rules_dirs: tuple[str, ...]) -> list[Any]:
    """Custom rules of the config file (given or found) and of --rules folders."""
    from .config import ConfigError, check_custom_ids, resolve
    from .custom import load_rules_dir
    from .rules import builtin_rules

    try:
        custom = list(resolve(config_file).custom_rules)
        for folder in rules_dirs:
            custom.extend(load_rules_dir(folder))
        check_custom_ids(custom, builtin_rules())
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return custom


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_custom_options
@click.pass_context
def rules(ctx: click.Context, fmt: str, config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the rules (custom ones included); `rules show ID` explains one, `rules test`
    runs the examples of custom rules."""
    if ctx.invoked_subcommand is not None:
        return
    from .rules import builtin_rules
    custom = [c.meta for c in _custom_rules(config_file, rules_dirs)]
    metas = sorted([*builtin_rules().values(), *custom], key=lambda m: (m.category, m.id))
    if fmt == "json":
        import json
        click.echo(json.dumps([m.as_dict() for m in metas], indent=2))
        return
    width = max((len(m.id) for m in metas), default=10)
    for m in metas:
        click.echo(f"{m.id:<{width}}  {m.category:<11} {str(m.severity):<8} {m.summary}")


@rules.command("show")
@click.argument("rule_id")
@_custom_options
def rules_show(rule_id: str, config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Explain one rule: why it matters, how to fix, examples."""
    from .rules import builtin_rules
    metas = dict(builtin_rules())
    if rule_id not in metas:
        metas.update((c.meta.id, c.meta) for c in _custom_rules(config_file, rules_dirs))
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


@rules.command("test")
@_custom_options
def rules_test(config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Run the examples of custom rules; exit 1 when one does not give its findings."""
    from .custom import test_custom_rules
    custom = _custom_rules(config_file, rules_dirs)
    problems = test_custom_rules(custom)
    for rule, example, why in problems:
        click.echo(f"FAIL {rule}: {example}: {why}")
    examples = sum(len(c.meta.examples) for c in custom)
    click.echo(f"{len(custom)} custom rule(s), {examples} example(s): "
               f"{'all pass' if not problems else f'{len(problems)} problem(s)'}")
    sys.exit(1 if problems else 0)


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


for _module, _name in (("cli_explain", "explain"), ("cli_fix", "fix"), ("cli_diff", "diff")):
    _register_optional(_module, _name)
