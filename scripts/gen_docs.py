"""Generate docs/rules.md, and docs/rules.ko.md from the rules' `ko:` blocks, from rules/*.yaml
(`make docs`); `--check` exits 1 when one is stale."""

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

HEADER_KO = """\
# 규칙

<!-- `make docs`(scripts/gen_docs.py)가 rules/*.yaml에서 생성합니다. 직접 고치지 마십시오. -->

각 규칙의 메타데이터와 예시는 `rules/<id>.yaml`에 있습니다. 아래의 예시는 그대로 테스트이기도 하므로
(`tests/test_rule_examples.py`), 여기에서 읽는 내용이 곧 k8slint가 하는 일입니다.
`k8slint --lang ko rules show RULE`은 같은 내용을 터미널에 출력합니다. 예시의 매니페스트와 메시지는
영어 그대로입니다.

심각도: **error**: API 서버가 거부하거나 동작할 수 없습니다. **warning**: 실행 중에 잘못
동작하거나 노출됩니다. **info**: 알아 둘 만한 선택입니다.
선택 규칙(기본으로 꺼짐)은 `--enable RULE` 또는 `.k8slint.yaml`의 `enable:`로 실행합니다.
"""

# The words around each rule's own text, per language; English is the original page.
LABELS: dict[str, dict[str, str]] = {
    "en": {"header": HEADER, "count": "{n} rules.\n", "contents": "## Contents\n",
           "table": "| Rule | Severity | Summary |", "category": "category `{category}`",
           "on": "on by default", "off": "opt-in (off by default)", "fixable": "fixable with `k8slint fix`",
           "why": "**Why.**", "fix": "**Fix.**", "options": "**Options** (`rule-options:` in `.k8slint.yaml`):\n",
           "options_table": "| Option | Default |", "flagged": "flagged", "passes": "passes",
           "example": "**Example ({verdict}): {name}**", "before": "Before:", "after": "After:",
           "fixed": "After `k8slint fix`:", "all": "all versions", "for": "Kubernetes {range}",
           "fixed_for": "**Fixed, for {where}**", "the_example": "(the example \"{name}\" above)",
           "sources": "**Sources.**\n", "finding": "finding", "line": "line", "column": "column",
           "object": "object", "path": "path", "severity": "severity"},
    "ko": {"header": HEADER_KO, "count": "규칙 {n}개.\n", "contents": "## 목차\n",
           "table": "| 규칙 | 심각도 | 요약 |", "category": "카테고리 `{category}`",
           "on": "기본으로 켜짐", "off": "선택 (기본으로 꺼짐)", "fixable": "`k8slint fix`로 고칠 수 있음",
           "why": "**이유.**", "fix": "**수정 방법.**", "options": "**옵션** (`.k8slint.yaml`의 `rule-options:`):\n",
           "options_table": "| 옵션 | 기본값 |", "flagged": "검출됨", "passes": "통과",
           "example": "**예시 ({verdict}): {name}**", "before": "수정 전:", "after": "수정 후:",
           "fixed": "`k8slint fix` 후:", "all": "모든 버전", "for": "Kubernetes {range}",
           "fixed_for": "**{where}에서 수정한 결과**", "the_example": "(위의 예시 \"{name}\")",
           "sources": "**출처.**\n", "finding": "검출", "line": "줄", "column": "열",
           "object": "오브젝트", "path": "경로", "severity": "심각도"},
}


def load_rules(folder: Path = ROOT / "rules") -> list[RuleMeta]:
    return [parse_rule(path.read_text(encoding="utf-8"), path.name) for path in rule_files(folder)]


def render(rules: list[RuleMeta], lang: str = "en") -> str:
    """The rules page in `lang`: the rules' own text from their `ko:` blocks for Korean."""
    words = LABELS[lang]
    rules = [r.localized(lang) for r in rules]
    by_category = {c: sorted((r for r in rules if r.category == c), key=lambda r: r.id) for c in CATEGORIES}
    out = [words["header"], words["count"].format(n=len(rules)), words["contents"]]
    for category, metas in by_category.items():
        if metas:
            out.append(f"- **{category}**: " + ", ".join(f"[{m.id}](#{m.id})" for m in metas))
    out.append("")
    for category, metas in by_category.items():
        if not metas:
            continue
        out.append(f"## {category}\n")
        out.append(words["table"] + "\n|---|---|---|")
        out.extend(f"| [{m.id}](#{m.id}) | {m.severity} | {_cell(m.summary)} |" for m in metas)
        out.append("")
        for meta in metas:
            out.extend(_rule(meta, words))
    return "\n".join(out).rstrip() + "\n"


def _rule(meta: RuleMeta, words: dict[str, str]) -> list[str]:
    flags = [f"**{meta.severity}**", words["category"].format(category=meta.category),
             words["on"] if meta.enabled else words["off"]]
    if meta.fixable:
        flags.append(words["fixable"])
    out = [f"### {meta.id}\n", " · ".join(flags) + "\n", f"{meta.summary}\n",
           f"{words['why']} {meta.rationale}\n", f"{words['fix']} {meta.fix}\n"]
    if meta.options:
        out.append(words["options"])
        out.append(words["options_table"] + "\n|---|---|")
        out.extend(f"| `{name}` | `{value}` |" for name, value in meta.options.items())
        out.append("")
    for example in meta.examples:
        verdict = words["flagged"] if example.expect else words["passes"]
        settings = ", ".join(f"{k}: {v}" for k, v in example.options.items())
        out.append(words["example"].format(verdict=verdict, name=example.name)
                   + (f" ({settings})" if settings else "") + "\n")
        if example.before is not None:
            out.append(words["before"] + "\n\n```yaml\n" + example.before.rstrip() + "\n```\n")
            out.append(words["after"] + "\n")
        out.append("```yaml\n" + example.manifest.rstrip() + "\n```\n")
        for expect in example.expect:
            out.append(f"- {_expectation(expect, words)}")
        if example.expect:
            out.append("")
        if example.fixed:
            out.append(words["fixed"] + "\n\n```yaml\n" + example.fixed.rstrip() + "\n```\n")
    for fixed in meta.fix_examples:
        where = words["all"] if fixed.range_text == "all versions" else words["for"].format(range=fixed.range_text)
        head = words["fixed_for"].format(where=where) + (f": {fixed.fix}" if fixed.fix else "")
        if fixed.example:
            out.append(f"{head} " + words["the_example"].format(name=fixed.example) + "\n")
        else:
            out.append(head + "\n")
            out.append("```yaml\n" + fixed.manifest.rstrip() + "\n```\n")
    if meta.sources:
        out.append(words["sources"])
        out.extend(f"- {_source(source)}" for source in meta.sources)
        out.append("")
    return out


def _source(text: str) -> str:
    """A documentation address as a link; a source file and function as code."""
    if text.startswith("https://"):
        return f"<{text}>"
    return text


def _expectation(expect: dict, words: dict[str, str]) -> str:
    where = ", ".join(f"{words[key]} {expect[key]}" for key in ("line", "column") if key in expect)
    parts = [where or words["finding"]]
    for key in ("object", "path", "severity"):
        if key in expect:
            parts.append(f"{words[key]} `{expect[key]}`")
    text = "; ".join(parts)
    if "message" in expect:
        text += f': "{expect["message"]}…"'
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def outputs() -> dict[str, Path]:
    """The page of each language: docs/rules.md, docs/rules.ko.md."""
    return {"en": OUTPUT, "ko": OUTPUT.with_name("rules.ko.md")}


def main(argv: list[str]) -> int:
    rules = load_rules()
    pages = {path: render(rules, lang) for lang, path in outputs().items()}
    if "--check" in argv:
        stale = [path for path, text in pages.items()
                 if (path.read_text(encoding="utf-8") if path.exists() else "") != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run `make docs`", file=sys.stderr)
        return 1 if stale else 0
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({text.count(chr(10) + '### ')} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
