"""What the language server computes, without the protocol: findings of an open file (its
folder's other manifests as context), their ranges, fixes and suppressions as text edits.

Positions here are LSP positions: 0-based lines, columns in UTF-16 code units (k8slint's
findings have 1-based lines and columns in code points).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from ..config import Config
from ..model import Finding

YAML_SUFFIXES = (".yaml", ".yml", ".json")
# Findings that make no sense in an editor: any YAML file may be open, not only manifests.
EDITOR_SKIPS = frozenset({"not-kubernetes"})
_TOKEN_END = re.compile(r"(?::\s|:$|\s#|[,\]}]|\s*$)")


@dataclass(frozen=True)
class Span:
    """A 0-based LSP range on one line."""

    line: int
    start: int
    end: int


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def utf16_column(text: str, column: int) -> int:
    """A code-point column of a line (0-based) in UTF-16 code units."""
    return len(text[:column].encode("utf-16-le")) // 2


def finding_span(finding: Finding, lines: list[str]) -> Span:
    """The token a finding points at: a key, a plain or quoted scalar, a `-`."""
    line = max(finding.line - 1, 0)
    text = lines[line] if line < len(lines) else ""
    start = min(max(finding.column - 1, 0), len(text))
    rest = text[start:]
    if rest[:1] in ("'", '"'):
        close = rest.find(rest[0], 1)
        length = close + 1 if close > 0 else len(rest)
    else:
        match = _TOKEN_END.search(rest, 1 if rest else 0)
        length = match.start() if match else len(rest)
    length = max(length, 1)
    return Span(line, utf16_column(text, start), utf16_column(text, start + length))


def folder_inputs(path: str, open_texts: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """The paths to check for one file: the manifests beside it (so cross-object rules see
    their partners), with the unsaved text of every open file among them."""
    folder = os.path.dirname(path) or "."
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        names = []
    paths = [os.path.join(folder, n) for n in names
             if n.lower().endswith(YAML_SUFFIXES) and not n.startswith(".")
             and os.path.isfile(os.path.join(folder, n))]
    texts = {p: t for p, t in open_texts.items() if os.path.dirname(p) == folder}
    if path not in paths:
        paths.append(path)
    return paths, texts


def file_config(path: str) -> Config:
    """The configuration the CLI would find for this file (the defaults when it is bad:
    an editor keeps working while the user edits .k8slint.yaml)."""
    from ..config import resolve
    from ..errors import ConfigError

    try:
        config = resolve(start=os.path.dirname(path) or ".")
    except ConfigError:
        config = Config()
    config.jobs = 1
    return config


def file_findings(path: str, open_texts: Mapping[str, str], config: Config) -> list[Finding]:
    """The findings of one open file, checked together with its folder's manifests."""
    from ..api import check

    paths, texts = folder_inputs(path, open_texts)
    result = check(paths, config, texts=texts)
    return [f for f in result.findings if f.file == path and f.rule not in EDITOR_SKIPS]


def suppression_edit(finding: Finding, lines: list[str]) -> tuple[int, str]:
    """(0-based line, text to insert there): a `# k8slint: ignore[rule]` comment on its own
    line above the finding's line, indented like it (a comment alone on a line silences
    the line below it)."""
    line = max(finding.line - 1, 0)
    text = lines[line] if line < len(lines) else ""
    indent = text[:len(text) - len(text.lstrip(" "))]
    return line, f"{indent}# k8slint: ignore[{finding.rule}]\n"


def changed_lines(before: str, after: str) -> tuple[int, int, str]:
    """The smallest line range of `before` to replace with text to get `after`:
    (first line, end line exclusive, replacement)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, "".join(new[start:end_new])


def fixed_text(text: str, findings: list[Finding], config: Config) -> str | None:
    """The text with the certain fixes of these findings applied (None: nothing to do)."""
    from ..fix.apply import apply_findings, fix_config
    from ..rules import builtin_rules

    config = fix_config(config, builtin_rules())
    todo = [f for f in findings if f.rule in (config.only or [])]
    if not todo:
        return None
    fixed, changes, _ = apply_findings(text, todo, config)
    return fixed if changes and fixed != text else None


_WARM_UP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: warm-up}
spec:
  selector: {matchLabels: {app: warm-up}}
  template:
    metadata: {labels: {app: warm-up}}
    spec: {containers: [{name: app, image: "registry.example/app:1.0"}]}
---
apiVersion: v1
kind: Service
metadata: {name: warm-up}
spec: {selector: {app: warm-up}, ports: [{port: 80}]}
"""


def warm_up() -> None:
    """Import the checks and compile the common validators before the first file opens,
    so that its diagnostics come as fast as the later ones."""
    from ..api import check_text

    check_text(_WARM_UP, name="warm-up.yaml")



def annotation_text(text: str, finding: Finding, reason: str = "") -> str | None:
    """The text with the finding's rule added to its object's `k8slint.io/ignore`
    annotation (created if needed), edited the way `k8slint fix` edits (ruamel round trip,
    only changed lines spliced in, verified); None when that cannot be done with certainty."""
    from ..fix import roundtrip
    from ..fix.apply import _object_for, _verified
    from ..fix.splice import splice
    from ..suppress import ANNOTATION, parse_annotation

    if finding.object is None:
        return None
    try:
        yaml = roundtrip.new_yaml(text)
        documents = roundtrip.load_all(yaml, text)
        before = roundtrip.dump_all(yaml, documents)
    except roundtrip.UNREADABLE:        # ruamel is stricter than kubectl in places
        return None
    target = _object_for(documents, finding)
    metadata = target.get("metadata") if target is not None else None
    if not isinstance(metadata, dict):
        return None
    from ruamel.yaml.comments import CommentedMap

    annotations = metadata.get("annotations")
    if annotations is None:
        annotations = metadata["annotations"] = CommentedMap()
    if not isinstance(annotations, dict):
        return None
    current = annotations.get(ANNOTATION)
    entry = f"{finding.rule}: {reason}" if reason else finding.rule
    if isinstance(current, str) and current.strip():
        if finding.rule in parse_annotation(current)[0]:
            return None
        entry = f"{current}; {entry}" if ":" in current or reason else f"{current}, {entry}"
    annotations[ANNOTATION] = entry
    fixed = splice(text, before, roundtrip.dump_all(yaml, documents))
    if fixed is None or not _verified(text, fixed, documents):
        return None
    return fixed
