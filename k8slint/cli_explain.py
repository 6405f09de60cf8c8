"""`k8slint explain`: what the control plane would do with the manifests (no cluster needed)."""

from __future__ import annotations

import os
import shutil
import sys

import click

from .cli import write_output
from .cli_lang import apply_config_language, lang_option, nearest_config_language
from .i18n import _
from .simulate.render import FORMATS, GROUPINGS
from .simulate.timeline import Timeline

SCENARIOS = ("apply", "delete", "rollout", "scale", "drain", "cron")
DEFAULT_WIDTH = 80


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--scenario", type=click.Choice(SCENARIOS), default="apply", show_default=True,
              help="What to simulate after the apply.")
@click.option("--object", "target", metavar="KIND/NAME", help="Act on this object only (delete, rollout, scale, cron).")
@click.option("--replicas", type=click.IntRange(min=0), help="Target replicas for --scenario scale.")
@click.option("--node", "drain_node", metavar="NAME", help="The node --scenario drain empties (e.g. node-1).")
@click.option("--window", default="2h", show_default=True, help="How far --scenario cron looks ahead (2h, 90m, 1d).")
@click.option("--fail", "fail", multiple=True, metavar="CONTAINER[=CODE]",
              help="Make this container exit with CODE (default 1) after each start; repeatable.")
@click.option("--slow-start", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="Every app answers probes only SECONDS after its container starts.")
@click.option("--nodes", type=click.IntRange(min=1, max=1000), help="Number of default worker nodes (4 CPU / 16 GiB).")
@click.option("--cluster", type=click.Path(exists=True, dir_okay=False), help="Node manifests to use as the cluster.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="human", show_default=True)
@click.option("--output", "-o", "output", metavar="FILE", help="Write to FILE instead of stdout (e.g. --format html).")
@click.option("--group-by", type=click.Choice(GROUPINGS), default="time", show_default=True,
              help="time: one walk-through; phase: a table per phase (human, markdown).")
@click.option("--verbose", "-v", is_flag=True, help="Show every event, default and variable; no collapsing.")
@click.option("--width", type=click.IntRange(min=40), help="Line width (default: the terminal's, else 80).")
@click.option("--namespace", default="default", show_default=True, help="Namespace for objects that set none.")
@click.option("--kubernetes-version", help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--diff", "diff_ref", metavar="REF",
              help="Explain the change from git revision REF to PATHS: old and new pods side by side.")
@click.option("--kustomize", "-k", "kustomize_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              metavar="DIR", help="Build this kustomization and explain its output (repeatable).")
@lang_option
def explain(paths: tuple[str, ...], scenario: str, target: str | None, replicas: int | None,
            drain_node: str | None, window: str, fail: tuple[str, ...], slow_start: float,
            nodes: int | None, cluster: str | None, fmt: str, output: str | None, group_by: str, verbose: bool,
            width: int | None, namespace: str, kubernetes_version: str | None,
            kustomize_dirs: tuple[str, ...], diff_ref: str | None) -> None:
    """Explain what Kubernetes would do with the manifests: a deterministic dry run."""
    from .errors import InputError
    from .k8s.versions import parse_version
    from .simulate import explain as run_explain

    apply_config_language(nearest_config_language())
    if not paths and not kustomize_dirs:
        raise click.UsageError(_("give PATHS to explain, or -k DIR"))
    if nodes and cluster:
        raise click.UsageError(_("--nodes and --cluster exclude each other"))
    if scenario == "scale" and replicas is None:
        raise click.UsageError(_("--scenario scale needs --replicas N"))
    if scenario == "drain" and not drain_node:
        raise click.UsageError(_("--scenario drain needs --node NAME"))
    version = None
    if kubernetes_version:
        try:
            version = parse_version(kubernetes_version)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--kubernetes-version") from None
    if diff_ref:
        from .cli_diff import explain_diff
        explain_diff(diff_ref, [*paths, *kustomize_dirs], fmt, nodes, cluster, namespace, version, output,
                     width=width or terminal_width(), verbose=verbose, group_by=group_by)
        return
    try:
        # A folder holding a kustomization is built (k8slint.kustomize) when it is checked.
        timeline = run_explain([*paths, *kustomize_dirs], scenario, object=target, replicas=replicas,
                               nodes=nodes, cluster=cluster, namespace=namespace, kubernetes_version=version,
                               fail=fail, slow_start=slow_start, node=drain_node, window=window)
    except (OSError, InputError) as exc:      # any other exception is a bug: cli.run, exit 3
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    text = render(fmt, timeline, width=width or terminal_width(), verbose=verbose, group_by=group_by,
                  color=output is None)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text)


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width when stdout is one, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    if sys.stdout.isatty():
        return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def render(fmt: str, timeline: Timeline, width: int = DEFAULT_WIDTH, verbose: bool = False,
           group_by: str = "time", color: bool = True) -> str:
    from .simulate.render import render as render_timeline

    color = color and fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return render_timeline(fmt, timeline, width=width, color=color, verbose=verbose, group_by=group_by)
