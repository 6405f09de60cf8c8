"""Command line: parse flags, call the API, pick a reporter, exit 0/1/2/3. Only this prints."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import Any

import click

from .cli_lang import apply_config_language, lang_option
from .i18n import _
from .model import Severity
from .report import FORMATS, Out
from .version import HOMEPAGE, __version__

FAIL_ON = ("error", "warning", "info", "never")
SEVERITIES = ("error", "warning", "info")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_INTERNAL_ERROR = 3          # a bug in k8slint (never a problem with the input)
DEBUG_ENV = "K8SLINT_DEBUG"      # set: an internal error prints its traceback too


class FatalError(click.ClickException):
    """A configuration, baseline or input problem: `Error: ...` and exit 2, without the
    usage block (which only helps with a mistyped flag)."""

    exit_code = 2


def _version(ctx: click.Context, _param: Any, value: str | None) -> Any:
    if value is None:
        return None
    from .k8s.versions import parse_version
    try:
        return parse_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx) from None


class _LazyGroup(click.Group):
    """Commands in their own modules (explain, fix, diff) are imported when they run or when
    help lists them, not on every start (explain alone imports the whole simulator)."""

    LAZY = {"explain": "cli_explain", "fix": "cli_fix", "diff": "cli_diff", "server": "cli_server"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            _register_optional(self.LAZY[name], name)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, prog_name="k8slint")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Lint Kubernetes manifests and explain what the control plane will do with them.

    \b
    k8slint check k8s/            lint files and folders (k8slint check --help)
    k8slint rules                 the rules; k8slint rules show RULE explains one
    k8slint fix k8s/              apply the certain fixes
    k8slint explain app.yaml      a dry run of the control plane
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)


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


CHECK_EPILOG = """\b
Examples:
  k8slint check k8s/                                  files and folders (recursive)
  k8slint check --kubernetes-version 1.30 --fail-on warning k8s/
  helm template chart/ | k8slint check --stdin-filename chart/rendered.yaml -
  k8slint check --show-infos --min-severity info app.yaml
  k8slint check --format sarif -o k8slint.sarif --format github k8s/
  k8slint check --schema-location bundled --schema-location crds/ k8s/

\b
Exit codes:
  0  no finding at or above --fail-on (default: error)
  1  a finding at or above --fail-on
  2  a usage, configuration or I/O error: a missing or unreadable path, a folder
     with no YAML or JSON file when it is the only input, a bad config file
  3  an internal error: a bug in k8slint, not in the manifests (please report it)
"""


@main.command(cls=_OrderedCommand, epilog=CHECK_EPILOG, short_help="Lint manifests.")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), multiple=True,
              help="Output format (default human); repeat with --output for several reports.")
@click.option("--output", "-o", multiple=True, metavar="FILE",
              help="Write the preceding --format to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1.  [default: error]")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
              help="Drop findings below this severity from every format (and from the exit code).")
@click.option("--show-infos", is_flag=True,
              help="List infos one by one (human format; by default they are counted per rule).")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the human format (auto: on a terminal, unless NO_COLOR; "
              "FORCE_COLOR forces it).")
@click.option("--kubernetes-version", callback=_version, help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--namespace", default=None, help="Namespace for objects that set none.  [default: default]")
@click.option("--enable", multiple=True, help="Also run this rule or category (repeatable).")
@click.option("--disable", multiple=True, help="Do not run this rule or category (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file (default: nearest .k8slint.yaml or pyproject.toml [tool.k8slint]).")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder of custom rule files (repeatable).")
@click.option("--schema-location", "schema_locations", multiple=True, metavar="LOCATION",
              help="Schemas of custom resources (repeatable, local only): a folder of CRD files or "
              "of GROUP/KIND_VERSION.json schemas (the CRDs-catalog layout), a path template "
              "such as 'crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json', "
              "or `bundled` for the schemas shipped with k8slint (Gateway API, cert-manager, "
              "Prometheus Operator, KEDA, Argo Rollouts).")
@click.option("--stdin-filename", metavar="NAME",
              help="Name of the manifest read from - (in findings, config globs and suppressions).")
@click.option("--baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record the current findings in FILE and exit 0.")
@click.option("--show-suppressed", is_flag=True, help="Also list findings silenced by ignore annotations or comments.")
@click.option("--pod-security-level", type=click.Choice(["baseline", "restricted", "none"]), default=None,
              help="Pod Security level assumed enforced in namespaces not in the input.  [default: none]")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for large inputs (default: all cores when the input is large; output is the same).")
@click.option("--kustomize", "-k", "kustomize_dirs", multiple=True, type=click.Path(file_okay=False),
              metavar="DIR", help="Build this kustomization and check its output (repeatable; "
              "kustomizations found in PATHS are built too).")
@click.option("--one-unit", is_flag=True,
              help="Treat all input as one apply unit (as stdin is), e.g. a rendered chart or `kubectl apply -R`.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code.")
@click.option("--resident/--no-resident", default=None, expose_value=False,
              help="Run in the resident server (started on first use; k8slint server stop ends it): "
              "the same output, without the start-up time. K8SLINT_RESIDENT=1 turns it on.")
@lang_option
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: tuple[str, ...], output: tuple[str, ...],
          fail_on: str | None, min_severity: str | None, show_infos: bool, color_choice: str,
          kubernetes_version: Any, namespace: str | None, enable: tuple[str, ...],
          disable: tuple[str, ...], config_file: str | None, no_config: bool, rules_dirs: tuple[str, ...],
          schema_locations: tuple[str, ...], stdin_filename: str | None,
          baseline: str | None, write_baseline: str | None, show_suppressed: bool, pod_security_level: str | None,
          jobs: int | None, kustomize_dirs: tuple[str, ...], one_unit: bool, quiet: bool) -> None:
    """Check manifests: files, folders (recursive; *.yaml, *.yml, *.json) or - for stdin.

    Errors and warnings are listed with their source line; infos are counted per rule
    (--show-infos lists them). The last line is the verdict."""
    from .api import check as run_check
    from .errors import ConfigError
    from .rules import UnknownRuleError

    if not paths and not kustomize_dirs:
        raise click.UsageError(_("give PATHS to check, or -k DIR"))
    reports = _pair_outputs(ctx.meta.get("k8slint.order", []), fmt, output)
    inputs, texts = _stdin(paths, stdin_filename)
    fatal: tuple[type[Exception], ...] = (ConfigError,)
    if baseline or write_baseline:
        from .baseline import BaselineError
        fatal += (BaselineError,)
    try:
        config = _config(config_file, no_config, rules_dirs, fail_on, kubernetes_version, namespace,
                         enable, disable)
        apply_config_language(config.lang)
        config.pod_security_level = pod_security_level or config.pod_security_level
        config.jobs = jobs
        config.one_unit = one_unit or config.one_unit
        _schema_locations(config, schema_locations)
        result = run_check(inputs, config, baseline=None if write_baseline else baseline, texts=texts,
                           kustomize=kustomize_dirs)
    except fatal as exc:
        raise FatalError(str(exc)) from None
    except UnknownRuleError as exc:
        raise FatalError(_unknown_rule(exc.name, config_file, rules_dirs)) from None
    for error in result.io_errors:
        click.echo(f"k8slint: {error}", err=True)
    if _no_manifests(inputs, result, texts):
        sys.exit(2)
    if min_severity:
        result = _at_least(result, Severity.parse(min_severity))
    if write_baseline:
        from .baseline import write_baseline as write
        try:
            count = write(write_baseline, result.findings)
        except OSError as exc:
            raise click.FileError(write_baseline, exc.strerror or str(exc)) from None
        click.echo(_("k8slint: wrote {count} finding(s) to the baseline {file}")
                   .format(count=count, file=write_baseline), err=True)
        sys.exit(2 if result.io_errors else 0)
    _print_reports(result, reports, quiet=quiet, color=color_enabled(color_choice),
                   options={"show_suppressed": show_suppressed, "show_infos": show_infos,
                            "fail_on": config.fail_on})
    if result.io_errors:
        sys.exit(2)
    sys.exit(1 if result.failed(config.fail_on) else 0)


def _print_reports(result: Any, reports: list[tuple[str, str | None]], *, quiet: bool, color: bool,
                   options: dict[str, Any]) -> None:
    import functools

    from .api import as_report
    from .report import Options, write

    report = as_report(result)
    for report_fmt, target in reports:
        if target is None and quiet:
            continue
        shown = Options(color=color and target is None and report_fmt == "human", **options)
        if target is None:
            out = _Echo(shown.color or None)       # click strips colour off a pipe
            write(report, report_fmt, shown, out)
            out.flush()
        else:
            write_output(target, functools.partial(write, report, report_fmt, shown))
        if report_fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            from .report.github import render_step_summary
            write_output(os.environ["GITHUB_STEP_SUMMARY"], render_step_summary(report, shown), mode="a")


def _stdin(paths: tuple[str, ...], name: str | None) -> tuple[list[str], dict[str, bytes] | None]:
    """With --stdin-filename, stdin is read here and checked under that name."""
    if name is None:
        return list(paths), None
    if "-" not in paths:
        raise click.UsageError(_("--stdin-filename names the manifest read from -; give - as a path"))
    if name == "-" or name in paths:
        raise click.UsageError(_("--stdin-filename {name}: give a name that is not also a path").format(name=name))
    raw = sys.stdin.buffer.read()
    return [name if p == "-" else p for p in paths], {name: raw}


def _no_manifests(paths: list[str], result: Any, texts: dict[str, bytes] | None) -> bool:
    """Warn about each folder with no manifest under it; True when nothing at all was
    checked because of that (a typo'd CI path must not pass green)."""
    checked = [s.name for s in result.sources]
    empty = [p for p in paths if os.path.isdir(p) and not (texts and p in texts)
             and not any(name.startswith(os.path.join(p, "")) for name in checked)]
    for folder in empty:
        click.echo(_("k8slint: warning: {folder}: no YAML or JSON files under it "
                     "(*.yaml, *.yml, *.json; hidden files and folders are skipped)").format(folder=folder),
                   err=True)
    return bool(empty) and not checked and not result.io_errors


def _at_least(result: Any, floor: Severity) -> Any:
    """The result without the findings below --min-severity."""
    from dataclasses import replace

    return replace(result, findings=[f for f in result.findings if f.severity >= floor],
                   suppressed=[f for f in result.suppressed if f.severity >= floor])


def _schema_locations(config: Any, flags: tuple[str, ...]) -> None:
    """Flags after the config file's `schema-locations`; each must be usable offline."""
    config.schema_locations = [*config.schema_locations, *flags]
    if not config.schema_locations:
        return
    from .errors import ConfigError
    from .schema_locations import SchemaLocationError, check_location

    for location in config.schema_locations:
        try:
            check_location(location)
        except SchemaLocationError as exc:
            raise ConfigError(f"--schema-location {exc}") from None


def _unknown_rule(name: str, config_file: str | None, rules_dirs: tuple[str, ...]) -> str:
    from difflib import get_close_matches

    from .model import CATEGORIES
    from .rules import builtin_rules

    known = [*builtin_rules(), *CATEGORIES]
    try:
        known += [c.meta.id for c in _custom_rules(config_file, rules_dirs)]
    except click.ClickException:
        pass
    near = get_close_matches(name, known, n=1)
    if near:
        return _("unknown rule or category {name!r}; did you mean {near}? (see: k8slint rules)").format(
            name=name, near=near[0])
    return _("unknown rule or category {name!r} (see: k8slint rules)").format(name=name)


def _config(config_file: str | None, no_config: bool, rules_dirs: tuple[str, ...], fail_on: str | None,
            kubernetes_version: Any, namespace: str | None, enable: tuple[str, ...],
            disable: tuple[str, ...]) -> Any:
    """The config file's settings, then the flags over them."""
    from .config import check_custom_ids, resolve
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
                raise click.UsageError(_("--output {file}: give a --format before each --output").format(file=target))
    if not pairs:
        pairs.append(["human", None])
    if leading:
        if len(leading) > 1 or pairs[0][1] is not None:
            raise click.UsageError(_("give a --format before each --output"))
        pairs[0][1] = leading[0]
    for pair in pairs:
        if pair[1] == "-":
            pair[1] = None
    if sum(1 for __, target in pairs if target is None) > 1:
        raise click.UsageError(_("only one --format can go to stdout; give the others an --output FILE"))
    return [(f, t) for f, t in pairs]


class _Echo:
    """click.echo of a report written in pieces: the bytes of one echo of the whole text
    (click strips colour codes off a pipe in each piece; a piece is whole lines or whole
    JSON items, which no code spans), without the whole text in memory at once."""

    PIECE = 64 * 1024

    def __init__(self, color: bool | None) -> None:
        self.color = color
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.PIECE:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            click.echo("".join(self.parts), nl=False, color=self.color)
            self.parts, self.size = [], 0


def write_output(target: str, text: str | Callable[[Out], object], mode: str = "w") -> None:
    """Write a report (its text, or a function that writes it to a stream) to `target`; a
    file that cannot be written is exit 2 (every command's -o)."""
    try:
        with open(target, mode, encoding="utf-8") as handle:
            if callable(text):
                text(handle)
            else:
                handle.write(text)
    except OSError as exc:
        click.echo(_("k8slint: {file}: cannot write: {reason}").format(file=target, reason=exc.strerror or exc),
                   err=True)
        sys.exit(2)


def color_enabled(choice: str = "auto", stream: Any = None) -> bool:
    """--color: `always`/`never`, else NO_COLOR (https://no-color.org) turns colour off,
    FORCE_COLOR (set by CI services whose logs render colour) turns it on, and otherwise
    only a terminal gets it."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    stream = stream if stream is not None else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


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
    from .config import check_custom_ids, resolve
    from .custom import load_rules_dir
    from .errors import ConfigError
    from .rules import builtin_rules

    try:
        config = resolve(config_file)
        apply_config_language(config.lang)
        custom = list(config.custom_rules)
        for folder in rules_dirs:
            custom.extend(load_rules_dir(folder))
        check_custom_ids(custom, builtin_rules())
    except ConfigError as exc:
        raise FatalError(str(exc)) from None
    return custom


@main.group(invoke_without_command=True, short_help="List the rules; rules show RULE|CATEGORY.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_custom_options
@lang_option
@click.pass_context
def rules(ctx: click.Context, fmt: str, config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the rules (custom ones included): `rules show RULE` explains one, `rules show
    CATEGORY` lists a category, `rules test` runs the examples of custom rules."""
    if ctx.invoked_subcommand is not None:
        return
    from .rules import builtin_rules
    custom = [c.meta for c in _custom_rules(config_file, rules_dirs)]
    metas = sorted([*builtin_rules().values(), *custom], key=lambda m: (m.category, m.id))
    if fmt == "json":
        import json
        click.echo(json.dumps([m.as_dict() for m in metas], indent=2))
        return
    _rules_table(metas)
    on = sum(1 for m in metas if m.enabled)
    fixable = sum(1 for m in metas if m.fixable)
    click.echo("\n" + _("{rules} rules: {on} on by default, {fixable} fixable with k8slint fix. "
                        "More: k8slint rules show RULE|CATEGORY").format(rules=len(metas), on=on, fixable=fixable))


def _rules_table(metas: list[Any]) -> None:
    from .i18n import language
    from .report.human import severity_name, text_width

    lang = language()
    header = (_("RULE"), _("CATEGORY"), _("SEVERITY"), _("DEFAULT"), _("FIX"), _("SUMMARY"))
    rows = [(m.id, m.category, severity_name(m.severity), _("on") if m.enabled else _("off"),
             _("yes") if m.fixable else "-", m.text(lang).summary) for m in metas]
    widths = [max(text_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        click.echo("  ".join(cell + " " * (width - text_width(cell))
                             for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])


@rules.command("show")
@click.argument("name", metavar="RULE|CATEGORY")
@_custom_options
@lang_option
def rules_show(name: str, config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Explain one rule (why it matters, how to fix, how to silence it, examples), or list
    the rules of a category."""
    from .model import CATEGORIES
    from .rules import builtin_rules
    metas = dict(builtin_rules())
    if name not in metas:
        metas.update((c.meta.id, c.meta) for c in _custom_rules(config_file, rules_dirs))
    if name in CATEGORIES:
        _rules_table(sorted((m for m in metas.values() if m.category == name), key=lambda m: m.id))
        return
    meta = metas.get(name)
    if meta is None:
        from difflib import get_close_matches
        near = get_close_matches(name, [*metas, *CATEGORIES], n=1)
        if near:
            raise click.UsageError(_("unknown rule or category {name!r}; did you mean {near}?").format(
                name=name, near=near[0]))
        raise click.UsageError(_("unknown rule or category {name!r}").format(name=name))
    from .report.rule_help import rule_help
    click.echo(rule_help(meta))
    for example in meta.examples:
        heading = (_("--- example: {name} (flagged)") if example.expect
                   else _("--- example: {name} (passes)")).format(name=example.name)
        click.echo(f"{heading}\n{example.manifest.rstrip()}\n")
    for fixed in meta.fix_examples:
        versions = _("all versions") if fixed.range_text == "all versions" else fixed.range_text
        if fixed.example:
            click.echo(_("--- fixed, for {versions}: the example {name!r}").format(
                versions=versions, name=fixed.example) + "\n")
        else:
            heading = _("--- fixed, for {versions}").format(versions=versions)
            click.echo(f"{heading}\n{fixed.manifest.rstrip()}\n")


@rules.command("test", short_help="Run the examples of custom rules.")
@_custom_options
@lang_option
def rules_test(config_file: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Run the examples of custom rules; exit 1 when one does not give its findings."""
    from .testing import test_custom_rules
    custom = _custom_rules(config_file, rules_dirs)
    problems = test_custom_rules(custom)
    for rule, example, why in problems:
        click.echo(_("FAIL {rule}: {example}: {why}").format(rule=rule, example=example, why=why))
    examples = sum(len(c.meta.examples) for c in custom)
    verdict = (_("all pass") if not problems else
               _("{count} problem(s)").format(count=len(problems)))
    click.echo(_("{rules} custom rule(s), {examples} example(s): {verdict}").format(
        rules=len(custom), examples=examples, verdict=verdict))
    sys.exit(1 if problems else 0)


@main.command(short_help="Run the language server on stdio (editors).")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
def lsp(stdio: bool) -> None:
    """Run k8slint's Language Server on stdin/stdout, for editors: diagnostics while typing,
    hover help, quick fixes and suppressions, and the command k8slint.explain.

    Needs the lsp extra: pip install 'k8slint[lsp]'. See the README for VS Code, Neovim
    and Helix."""
    try:
        from .lsp.server import main as serve
    except ImportError as exc:
        raise FatalError(_("k8slint lsp needs pygls ({error}): pip install 'k8slint[lsp]'").format(
            error=exc)) from None
    serve()


def run(entry: Callable[..., Any] = main) -> None:
    """Entry point: no traceback ever reaches a user. Usage, configuration and I/O problems
    are handled where they arise (exit 2); an I/O error nothing expected (a closed pipe, a
    full disk) is exit 2 too; any other exception is a bug in k8slint: exit 3 with a short
    request to report it (and its traceback when K8SLINT_DEBUG is set)."""
    try:
        code = entry(standalone_mode=False)      # click hands back errors, Ctrl-C and --help
    except SystemExit:
        raise
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.exit(130)                            # 128 + SIGINT (click's own default is 1: "findings")
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the CLI's guard: what reaches here is a bug
        if os.environ.get(DEBUG_ENV):
            import traceback  # only here: it costs every start some milliseconds

            traceback.print_exc()                # for the bug report
        said = " ".join(str(exc).split())        # one line, whatever the exception holds
        debug = "" if os.environ.get(DEBUG_ENV) else _("; {variable}=1 shows the traceback").format(
            variable=DEBUG_ENV)
        click.echo(_("k8slint: internal error (a bug in k8slint {version}): {type}: {error}; please report "
                     "it with the command and the manifest at {url}").format(
            version=__version__, type=type(exc).__name__, error=said, url=f"{HOMEPAGE}/issues") + debug, err=True)
        sys.exit(EXIT_INTERNAL_ERROR)
    sys.exit(code if isinstance(code, int) else 0)


def _register_optional(module: str, name: str) -> None:
    """Commands in their own modules (explain, fix) register when the module exists.

    Those modules keep their imports inside the command so that start-up stays fast."""
    from importlib.util import find_spec

    if find_spec(f"k8slint.{module}") is not None:
        command = getattr(__import__(f"k8slint.{module}", fromlist=[name]), name)
        if command.short_help is None and command.help:
            # `k8slint --help` lists commands with their first clause, never cut with "..."
            command.short_help = re.split(r"[.:;(]", command.help.strip(), maxsplit=1)[0].strip()
        main.add_command(command)

