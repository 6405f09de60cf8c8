"""`--lang`: the language of a command's output, chosen once per run before any message.

--lang wins, then `lang:` in the config file, then the locale (LC_ALL, LC_MESSAGES, LANG:
`ko*` is Korean), then English. The option's callback runs first (it is eager) and sets
the language from --lang or the locale, so that even usage errors of the command are in
it; a command that reads a config file calls `apply_config_language` once it has it.
Worker processes are forked after this (k8slint.parallel, k8slint.fork) and inherit it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .i18n import LANGUAGES, resolve_language, set_language

F = TypeVar("F", bound=Callable[..., Any])
_META = "k8slint.lang"


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_META] = value                 # shared by the group and its subcommands
    set_language(resolve_language(ctx.meta.get(_META), None))


def lang_option(func: F) -> F:
    """Adds --lang to a click command or group."""
    option = click.option(
        "--lang", type=click.Choice(LANGUAGES), default=None, expose_value=False, is_eager=True,
        callback=_set_lang,
        help="Language of the output: en or ko (default: lang: in the config, else "
             "LC_ALL/LC_MESSAGES/LANG, else en). JSON and SARIF keep their keys and rule ids.")
    return option(func)


def apply_config_language(configured: str | None) -> None:
    """The config file's `lang:` counts when --lang was not given."""
    ctx = click.get_current_context(silent=True)
    option = ctx.meta.get(_META) if ctx is not None else None
    set_language(resolve_language(option, configured))


def nearest_config_language() -> str | None:
    """`lang:` of the nearest config file, for commands that read no other setting from it
    (explain); a config file that cannot be read is left to `check` to report."""
    from .config import find_config, read_config_file
    from .errors import ConfigError

    try:
        found = find_config()
        value = read_config_file(found).get("lang") if found else None
    except (ConfigError, OSError):
        return None
    return value if value in LANGUAGES else None
