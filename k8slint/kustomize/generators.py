"""configMapGenerator and secretGenerator, and the name-suffix hash.

Follows api/internal/generators (configmap.go, secret.go, utils.go), api/kv/kv.go (literal,
file and env sources) and api/hasher/hasher.go (the hash)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from ..i18n import _

ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")          # k8s IsEnvVarName
CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")                   # k8s IsConfigMapKey


class GeneratorError(ValueError):
    pass


def parse_literal(source: str) -> tuple[str, str]:
    """kv.go parseLiteralSource: key=value, one pair of matching quotes removed."""
    if source.startswith("=") or "=" not in source:
        raise GeneratorError(_("invalid literal source {source!r}, expected key=value").format(source=source))
    key, value = source.split("=", 1)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return key, value


def parse_file_source(source: str) -> tuple[str, str]:
    """generators/utils.go ParseFileSource: [key=]path."""
    count = source.count("=")
    if count == 0:
        return source.rstrip("/").rsplit("/", 1)[-1], source
    if count == 1 and source.startswith("="):
        raise GeneratorError(_("missing key name for file path {path!r} in source {source!r}").format(path=source[1:], source=source))
    if count == 1 and source.endswith("="):
        raise GeneratorError(_("missing file path for key name {key!r} in source {source!r}").format(key=source[:-1], source=source))
    if count > 1:
        raise GeneratorError(_("source {source!r} key name or file path contains '='").format(source=source))
    key, path = source.split("=")
    return key, path


def parse_env(text: str) -> list[tuple[str, str, int]]:
    """kv.go keyValuesFromLines: (key, value, 1-based line); comments and blanks skipped."""
    pairs: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if number == 1:
            line = line.removeprefix("\ufeff")
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, __, value = line.partition("=")
        if not ENV_NAME.match(key):
            raise GeneratorError(_("line {number}: {key!r} is not a valid environment variable name").format(number=number, key=key))
        pairs.append((key, value, number))
    return pairs


def check_key(key: str, generator: str) -> None:
    if not CONFIG_KEY.match(key) or len(key) > 253:
        raise GeneratorError(_("{generator}: {key!r} is not a valid key name (letters, digits, '-', '_', '.')").format(generator=generator, key=key))


def encode_base64(text: str | bytes) -> str:
    """kyaml datamap.go encodeBase64: lines of 70 characters, each ended by a newline when
    there is more than one."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    encoded = base64.b64encode(raw).decode("ascii")
    if len(encoded) < 70:
        return encoded
    return "".join(encoded[i:i + 70] + "\n" for i in range(0, len(encoded), 70))


def _go_json(value: Any) -> str:
    """encoding/json.Marshal: sorted keys, no spaces, <, > and & escaped as \\u00XX."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _encode(hex_digest: str) -> str:
    """hasher.go encode: the first 10 hex digits, with 0 1 3 a e made g h k m t."""
    return hex_digest[:10].translate(str.maketrans("013ae", "ghkmt"))


def content_hash(data: dict[Any, Any]) -> str:
    """hasher.go Hash for a ConfigMap or Secret (name, data, binaryData/stringData, type).

    The name is looked up as one field called "metadata/name", which never exists: kustomize
    hashes an empty name, and so does this."""
    kind = data.get("kind")

    def field(name: str) -> Any:
        value = data.get(name)
        if value is None:
            return ""
        return value

    if kind == "ConfigMap":
        encoded: dict[str, Any] = {"kind": "ConfigMap", "name": "", "data": field("data")}
        if isinstance(data.get("binaryData"), dict):
            encoded["binaryData"] = data["binaryData"]
    elif kind == "Secret":
        encoded = {"kind": "Secret", "type": field("type"), "name": "", "data": field("data")}
        if isinstance(data.get("stringData"), dict):
            encoded["stringData"] = data["stringData"]
    else:
        encoded = data
    return _encode(hashlib.sha256(_go_json(encoded).encode("utf-8")).hexdigest())

