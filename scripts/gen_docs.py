"""Generate docs/rules.md from rules/*.yaml (`make docs`); `--check` exits 1 when stale."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "rules.md"
sys.path.insert(0, str(ROOT))

from k8slint.model import CATEGORIES  # noqa: E402
from k8slint.rules import RuleMeta, parse_rule, rule_files  # noqa: E402

HEADER = """\
# Rules

<!-- Generated from rules/*.yaml by `make docs` (scripts/gen_docs.py). Do not edit by hand. -->

Each rule's metadata and examples live in `rules/<id>.yaml`; the examples below are also
the tests (`tests/test_rule_examples.py`), so what you read here is what k8slint does.
`k8slint rules show RULE` prints the same text in a terminal.

Severities: **error**: the API server rejects it, or it cannot work; **warning**: it will
misbehave at run time or is exposed; **info**: a choice worth knowing about.
Opt-in rules (off by default) run with `--enable RULE` or `enable:` in `.k8slint.yaml`.
"""


def load_rules(folder: Path = ROOT / "rules") -> list[RuleMeta]:
    return [parse_rule(path.read_text(encoding="utf-8"), path.name) for path in rule_files(folder)]


def render(rules: list[RuleMeta]) -> str:
    by_category = {c: sorted((r for r in rules if r.category == c), key=lambda r: r.id) for c in CATEGORIES}
    out = [HEADER, f"{len(rules)} rules.\n", "## Contents\n"]
    for category, metas in by_category.items():
        if metas:
            out.append(f"- **{category}**: " + ", ".join(f"[{m.id}](#{m.id})" for m in metas))
    out.append("")
    for category, metas in by_category.items():
        if not metas:
            continue
        out.append(f"## {category}\n")
        out.append("| Rule | Severity | Summary |\n|---|---|---|")
        out.extend(f"| [{m.id}](#{m.id}) | {m.severity} | {_cell(m.summary)} |" for m in metas)
        out.append("")
        for meta in metas:
            out.extend(_rule(meta))
    return "\n".join(out).rstrip() + "\n"


def _rule(meta: RuleMeta) -> list[str]:
    flags = [f"**{meta.severity}**", f"category `{meta.category}`",
             "on by default" if meta.enabled else "opt-in (off by default)"]
    if meta.fixable:
        flags.append("fixable with `k8slint fix`")
    out = [f"### {meta.id}\n", " · ".join(flags) + "\n", f"{meta.summary}\n",
           f"**Why.** {meta.rationale}\n", f"**Fix.** {meta.fix}\n"]
    if meta.options:
        out.append("**Options** (`rule-options:` in `.k8slint.yaml`):\n")
        out.append("| Option | Default |\n|---|---|")
        out.extend(f"| `{name}` | `{value}` |" for name, value in meta.options.items())
        out.append("")
    for example in meta.examples:
        verdict = "flagged" if example.expect else "passes"
        settings = ", ".join(f"{k}: {v}" for k, v in example.options.items())
        out.append(f"**Example ({verdict}): {example.name}**" + (f" ({settings})" if settings else "") + "\n")
        if example.before is not None:
            out.append("Before:\n\n```yaml\n" + example.before.rstrip() + "\n```\n")
            out.append("After:\n")
        out.append("```yaml\n" + example.manifest.rstrip() + "\n```\n")
        for expect in example.expect:
            out.append(f"- {_expectation(expect)}")
        if example.expect:
            out.append("")
        if example.fixed:
            out.append("After `k8slint fix`:\n\n```yaml\n" + example.fixed.rstrip() + "\n```\n")
    for fixed in meta.fix_examples:
        where = fixed.range_text if fixed.range_text == "all versions" else f"Kubernetes {fixed.range_text}"
        head = f"**Fixed, for {where}**" + (f": {fixed.fix}" if fixed.fix else "")
        if fixed.example:
            out.append(f"{head} (the example \"{fixed.example}\" above)\n")
        else:
            out.append(head + "\n")
            out.append("```yaml\n" + fixed.manifest.rstrip() + "\n```\n")
    if meta.sources:
        out.append("**Sources.**\n")
        out.extend(f"- {_source(source)}" for source in meta.sources)
        out.append("")
    return out


def _source(text: str) -> str:
    """A documentation address as a link; a source file and function as code."""
    if text.startswith("https://"):
        return f"<{text}>"
    return text


def _expectation(expect: dict) -> str:
    where = ", ".join(f"{key} {expect[key]}" for key in ("line", "column") if key in expect)
    parts = [where or "finding"]
    for key in ("object", "path", "severity"):
        if key in expect:
            parts.append(f"{key} `{expect[key]}`")
    text = "; ".join(parts)
    if "message" in expect:
        text += f': "{expect["message"]}…"'
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str]) -> int:
    text = render(load_rules())
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run `make docs`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({text.count(chr(10) + '### ')} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
