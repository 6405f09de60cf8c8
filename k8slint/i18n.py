"""The language of user-facing text: English (the default) or Korean.

Messages are gettext message ids written in English; `_()` returns the Korean translation
from the .po files of k8slint/locale/ko/LC_MESSAGES/ (one per area) when the language is Korean. The catalog is
read with Babel only when a language other than English is chosen, so an English run never
imports Babel. Messages with values are format strings with named fields:
`_("selector {selector} matches nothing").format(selector=...)`, never f-strings (the
translation may put the fields in another order).

The CLI picks the language once per run: --lang, else `lang:` in the config, else the
first of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX orders them), `ko*` meaning
Korean; anything else is English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "ko")
DOMAIN = "k8slint"
_LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")


def __getattr__(name: str) -> Any:
    """LOCALE_DIR, a Path made on use: a run in English does not import pathlib."""
    if name == "LOCALE_DIR":
        from pathlib import Path

        return Path(_LOCALE_DIR)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

_language = "en"
# language -> {msgid: str | (singular, plural) -> [forms]}
_catalogs: dict[str, dict[object, object]] = {}


def language() -> str:
    """The language of this run's output: "en" or "ko"."""
    return _language


def set_language(lang: str | None) -> None:
    """Choose the output language ("en", "ko"; None or anything else: English)."""
    global _language
    _language = lang if lang in LANGUAGES else "en"
    if _language != "en":
        _catalog(_language)       # read now, so that forked workers inherit it instead of each reading it


def language_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """"ko" when the POSIX locale of messages is Korean, "en" when it is something else,
    None when no locale variable is set. LC_ALL overrides LC_MESSAGES, which overrides LANG."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return None


def resolve_language(option: str | None, configured: str | None,
                     environ: Mapping[str, str] | None = None) -> str:
    """--lang, else the config's `lang:`, else the locale, else English."""
    return option or configured or language_from_env(environ) or "en"


def _catalog(lang: str) -> dict[object, object]:
    """Every .po file of the language, one per area (core, checks, explain), as one table."""
    if lang not in _catalogs:
        table: dict[object, object] = {}
        from pathlib import Path

        for path in sorted((Path(_LOCALE_DIR) / lang / "LC_MESSAGES").glob("*.po")):
            table.update(_read_po(path))
        _catalogs[lang] = table
    return _catalogs[lang]


def _read_po(path: os.PathLike[str]) -> dict[object, object]:
    """msgid -> translation of every translated, non-fuzzy entry of a .po file."""
    from babel.messages.pofile import read_po  # only when a translation is needed

    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle)
    except OSError:
        return {}
    table: dict[object, object] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = [s for s in message.string if s] if isinstance(message.string, tuple) else []
            if forms:
                table[message.id] = forms
        elif message.string:
            table[message.id] = message.string
    return table


def _(message: str) -> str:
    """The translation of `message` in the current language (itself in English)."""
    if _language == "en":
        return message
    found = _catalog(_language).get(message)
    return found if isinstance(found, str) else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Singular or plural form for n (Korean has one form)."""
    if _language != "en":
        forms = _catalog(_language).get((singular, plural))
        if isinstance(forms, list) and forms:
            return str(forms[0])
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined (a table); `_()` translates it where
    it is shown, once the language is known."""
    return message
