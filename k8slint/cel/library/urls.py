"""The Kubernetes URL library (k8s.io/apiserver/pkg/cel/library/urls.go).

url() accepts what Go's url.ParseRequestURI accepts: an absolute URI or an absolute path.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

from ..values import URL, unwrap, wrap
from .decl import Decl, member, overload

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")
_PORT = re.compile(r":[0-9]*\Z")


def _check(text: str) -> None:
    """Go's url.ParseRequestURI: its errors, in words close to Go's."""
    if not text:
        raise ValueError("parse \"\": empty url")
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in text):
        raise ValueError(f"parse {text!r}: net/url: invalid control character in URL")
    if text.startswith("/"):
        return
    scheme, sep, rest = text.partition(":")
    if not sep or not _SCHEME.match(scheme):
        raise ValueError(f"parse {text!r}: invalid URI for request")
    if rest.startswith("//"):
        authority = rest[2:].split("/", 1)[0].split("?", 1)[0]
        host = authority.rpartition("@")[2]
        if host.startswith("["):
            close = host.find("]")
            if close < 0 or not (_PORT.match(host[close + 1:]) or host[close + 1:] == ""):
                raise ValueError(f"parse {text!r}: invalid port after host")
        elif ":" in host and not _PORT.match(host[host.index(":"):]):
            raise ValueError(f"parse {text!r}: invalid port {host[host.index(':'):]!r} after host")
    elif not rest.startswith("/"):
        raise ValueError(f"parse {text!r}: invalid URI for request")


def url(text: str) -> dict[str, Any]:
    try:
        _check(text)
    except ValueError as exc:
        raise ValueError(f"URL parse error during conversion from string: {exc}") from None
    return wrap(URL, text)


def is_url(text: str) -> bool:
    try:
        _check(text)
    except ValueError:
        return False
    return True


def _parts(arg: Any) -> SplitResult:
    return urlsplit(str(unwrap(arg, URL)))


def _hostname(arg: Any) -> str:
    netloc = _parts(arg).netloc.rpartition("@")[2]
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")]
    return netloc.split(":", 1)[0]


def _port(arg: Any) -> str:
    netloc = _parts(arg).netloc.rpartition("@")[2]
    tail = netloc[netloc.find("]") + 1:] if netloc.startswith("[") else netloc
    return tail.split(":", 1)[1] if ":" in tail else ""


def _query(arg: Any) -> dict[str, list[str]]:
    return {k: v for k, v in parse_qs(_parts(arg).query, keep_blank_values=True).items()}


def declarations() -> list[Decl]:
    s, u = "string", "url"
    return [
        overload("url", "string_to_url", [s], u, url),
        overload("isURL", "is_url_string", [s], "bool", is_url),
        member("getScheme", "url_get_scheme", [u], s, lambda a: _parts(a).scheme),
        member("getHost", "url_get_host", [u], s, lambda a: _parts(a).netloc.rpartition("@")[2]),
        member("getHostname", "url_get_hostname", [u], s, _hostname),
        member("getPort", "url_get_port", [u], s, _port),
        member("getEscapedPath", "url_get_escaped_path", [u], s,
               lambda a: quote(unquote(_parts(a).path), safe="/:@!$&'()*+,;=-._~")),
        member("getQuery", "url_get_query", [u], "map", _query),
    ]
