"""`k8slint explain`: what the control plane would do with the manifests (no cluster needed)."""

from __future__ import annotations

import sys
from typing import Any

import click

FORMATS = ("human", "json", "markdown", "mermaid")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--scenario", type=click.Choice(["apply", "delete", "rollout", "scale"]), default="apply",
              show_default=True, help="What to simulate.")
@click.option("--object", "target", metavar="KIND/NAME", help="Act on this object only (delete, rollout, scale).")
@click.option("--replicas", type=click.IntRange(min=0), help="Target replicas for --scenario scale.")
@click.option("--nodes", type=click.IntRange(min=1, max=1000), help="Number of default worker nodes (4 CPU / 16 GiB).")
@click.option("--cluster", type=click.Path(exists=True, dir_okay=False), help="Node manifests to use as the cluster.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="human", show_default=True)
@click.option("--namespace", default="default", show_default=True, help="Namespace for objects that set none.")
@click.option("--kubernetes-version", help="Target version, e.g. 1.30 (default: newest bundled).")
@click.option("--diff", "diff_ref", metavar="REF",
              help="Explain the change from git revision REF to PATHS: old and new pods side by side.")
def explain(paths: tuple[str, ...], scenario: str, target: str | None, replicas: int | None,
            nodes: int | None, cluster: str | None, fmt: str, namespace: str,
            kubernetes_version: str | None, diff_ref: str | None) -> None:
    """Explain what Kubernetes would do with the manifests: a deterministic dry run."""
    from .k8s.versions import parse_version
    from .simulate import explain as run_explain

    if nodes and cluster:
        raise click.UsageError("--nodes and --cluster exclude each other")
    if scenario == "scale" and replicas is None:
        raise click.UsageError("--scenario scale needs --replicas N")
    version = None
    if kubernetes_version:
        try:
            version = parse_version(kubernetes_version)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--kubernetes-version") from None
    if diff_ref:
        from .cli_diff import explain_diff
        explain_diff(diff_ref, list(paths), fmt, nodes, cluster, namespace, version)
        return
    try:
        timeline = run_explain(list(paths), scenario, object=target, replicas=replicas, nodes=nodes,
                               cluster=cluster, namespace=namespace, kubernetes_version=version)
    except (OSError, ValueError) as exc:
        click.echo(f"k8slint: {exc}", err=True)
        sys.exit(2)
    click.echo(render(fmt, timeline), nl=False)


def render(fmt: str, timeline: Any) -> str:
    if fmt == "json":
        from .report.explain_json import render_explain_json
        return render_explain_json(timeline)
    if fmt == "markdown":
        from .report.explain_markdown import render_explain_markdown
        return render_explain_markdown(timeline)
    if fmt == "mermaid":
        from .report.explain_mermaid import render_explain_mermaid
        return render_explain_mermaid(timeline)
    from .report.explain_human import render_explain_human
    return render_explain_human(timeline, color=sys.stdout.isatty())
