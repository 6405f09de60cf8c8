"""`k8slint server start|stop`: the resident server of `check --resident` (k8slint.resident)."""

from __future__ import annotations

import sys

import click

from .cli_lang import lang_option
from .i18n import _


@click.group(short_help="Start or stop the resident server of check --resident.")
@lang_option
def server() -> None:
    """The resident server of `k8slint check --resident` (or K8SLINT_RESIDENT=1): it keeps
    k8slint imported and warm, so that each check of a few files starts in milliseconds.
    The first resident check starts it; it stops by itself after 15 idle minutes
    (K8SLINT_RESIDENT_IDLE=SECONDS changes that)."""


@server.command(short_help="Start the server of this install and wait until it answers.")
@lang_option
def start() -> None:
    """Start the resident server of this install (if it is not running) and wait until it
    answers, e.g. before a series of timed runs."""
    from .resident import client

    folder = client.runtime_dir()
    if folder is None:
        raise click.ClickException(_("no private folder for the server's socket; resident mode is off"))
    key = client.install_key()
    path = client.socket_path(folder, key)
    try:
        client.connect(path).close()
        return
    except OSError:
        pass
    if not client.start_server(path, key, wait=120):
        click.echo(_("k8slint: the resident server did not start; checks run without it"), err=True)
        sys.exit(2)


@server.command(short_help="Stop every resident server of this user.")
@lang_option
def stop() -> None:
    """Stop every resident server of this user (of any install or version)."""
    from .resident.client import stop_servers

    count = stop_servers()
    click.echo(_("stopped {count} resident server(s)").format(count=count))
