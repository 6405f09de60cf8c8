"""Korean output: catalog completeness, language selection, and no English left over.

Catalogs are k8slint/locale/ko/LC_MESSAGES/*.po, one per area. Each area is translated on
its own branch; WAITING_FOR names the areas whose .po files may still be missing on this
branch: while any .po file of such an area is absent, its messages are not required here
(and, in the output tests, its English is masked out). The merge that brings the last
catalog in empties WAITING_FOR, and then every message of k8slint/ must be translated.
"""

from __future__ import annotations

import importlib.util
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from click.testing import CliRunner

from k8slint import i18n
from k8slint.cli import main
from k8slint.config import from_mapping
from k8slint.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "k8slint" / "locale" / "ko" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

# area -> (its .po files, the source paths it translates). Every other module: "core".
# "rules" also holds the `ko:` blocks of rules/*.yaml (summary, rationale, fix).
AREAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "core": (("core.po",), ()),
    "checks": (("checks-workloads.po", "checks-pods.po"), ("k8slint/checks/",)),
    "explain": (("explain-sim.po", "explain-render.po"),
                ("k8slint/simulate/", "k8slint/report/explain_", "k8slint/k8s/rollout.py", "k8slint/k8s/termination.py", "k8slint/k8s/pdb.py")),
    "diff": (("diff.po",), ("k8slint/diff/",)),
    "kustomize-admission": (("kustomize-admission.po",), ("k8slint/kustomize/", "k8slint/admission/",
                                                          "k8slint/cel/")),
    "rules": (("rules.po",), ("k8slint/report/rule_help.py", "k8slint/rules.py")),
}
# Areas translated on other branches while they were not merged yet. All are merged now:
# every message of k8slint/ needs its Korean, and every catalog must exist.
WAITING_FOR: set[str] = set()


def area_of(path: str) -> str:
    for area, (_, prefixes) in AREAS.items():
        if any(path.startswith(prefix) for prefix in prefixes):
            return area
    return "core"


def pending(area: str) -> bool:
    """Not required on this branch: translated elsewhere and not merged yet."""
    if area not in WAITING_FOR:
        return False
    return not all((CATALOGS / name).is_file() for name in AREAS[area][0])


Msgid = str | tuple[str, str]


@lru_cache(maxsize=1)
def source_messages() -> dict[Msgid, str]:
    """Every message id of k8slint/ -> the first module (relative path) that uses it."""
    found: dict[Msgid, str] = {}
    for path in sorted((ROOT / "k8slint").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            found.setdefault(tuple(message) if isinstance(message, (list, tuple)) else message, relative)
    return found


@lru_cache(maxsize=1)
def catalog_entries() -> list[tuple[str, Msgid, str]]:
    """(file, msgid, translation) of every entry of every .po file (plural: the one form)."""
    entries = []
    for path in sorted(CATALOGS.glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, (list, tuple)):
                forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
                entries.append((path.name, tuple(message.id), forms[0] or ""))
            else:
                entries.append((path.name, message.id, message.string or ""))
    return entries


def fields(text: str) -> set[str]:
    """Names of the {fields} of a format string (conversion and format spec left out)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
            if name is not None}


# --- (a) completeness of the catalogs -------------------------------------------------------

@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_message_of_the_area_has_a_korean_translation(area: str) -> None:
    if pending(area):
        pytest.skip(f"area {area}: its catalogs {AREAS[area][0]} are on another branch (WAITING_FOR)")
    translated = {msgid for _, msgid, text in catalog_entries() if text.strip()}
    missing = [f"{where}: {msgid!r}" for msgid, where in source_messages().items()
               if area_of(where) == area and msgid not in translated]
    assert not missing, f"{len(missing)} message(s) without Korean:\n" + "\n".join(missing)


def test_every_message_of_k8slint_has_a_korean_translation() -> None:
    """All of k8slint/, whatever its area (no area is waited for any more)."""
    assert not WAITING_FOR
    translated = {msgid for _, msgid, text in catalog_entries() if text.strip()}
    missing = [f"{where}: {msgid!r}" for msgid, where in source_messages().items() if msgid not in translated]
    assert not missing, f"{len(missing)} message(s) without Korean:\n" + "\n".join(missing)


def test_the_catalogs_of_areas_no_longer_waiting_exist() -> None:
    for area, (files, _) in AREAS.items():
        if area not in WAITING_FOR:
            absent = [name for name in files if not (CATALOGS / name).is_file()]
            assert not absent, f"area {area} is no longer waited for, yet {absent} are missing"


def test_no_message_is_in_two_catalogs() -> None:
    seen: dict[Msgid, str] = {}
    twice = []
    for file, msgid, _ in catalog_entries():
        if msgid in seen and seen[msgid] != file:
            twice.append(f"{msgid!r}: {seen[msgid]} and {file}")
        seen.setdefault(msgid, file)
    assert not twice, "\n".join(twice)


def test_translations_keep_the_fields_of_their_message() -> None:
    wrong = []
    for file, msgid, text in catalog_entries():
        english = msgid[1] if isinstance(msgid, tuple) else msgid
        if text and fields(text) != fields(english):
            wrong.append(f"{file}: {msgid!r}: {sorted(fields(english))} != {sorted(fields(text))}")
    assert not wrong, "\n".join(wrong)


def test_every_catalog_entry_is_a_message_of_the_code() -> None:
    """A translation whose message the code no longer uses is dead weight (and hides typos)."""
    used = source_messages()
    stale = [f"{file}: {msgid!r}" for file, msgid, _ in catalog_entries() if msgid not in used]
    assert not stale, "\n".join(stale)


def test_catalogs_are_korean_utf8_with_one_plural_form() -> None:
    for path in sorted(CATALOGS.glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        assert str(catalog.locale) == "ko", path.name
        assert catalog.plural_forms.startswith("nplurals=1"), path.name
        assert path.read_bytes().decode("utf-8")


def test_a_missing_field_is_found() -> None:
    """The field comparison itself: a dropped or renamed field differs."""
    assert fields("{count} × {rule} (info)") == {"count", "rule"}
    assert fields("{key!r} (line {first:,})") == {"key", "first"}
    assert fields("규칙 {rule}") != fields("{count} × {rule}")


# --- (c) no English sentence left in Korean output -----------------------------------------

def _load_script() -> object:
    spec = importlib.util.spec_from_file_location("untranslated", ROOT / "scripts" / "untranslated.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


untranslated_script = _load_script()


def _pending_texts() -> Iterator[str]:
    """The English texts that areas still waited for put in the output."""
    for msgid, where in source_messages().items():
        if pending(area_of(where)):
            yield from (msgid if isinstance(msgid, tuple) else (msgid,))
    if pending("rules"):
        import yaml
        for path in (ROOT / "rules").glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            yield from (str(data.get(key) or "") for key in ("summary", "rationale", "fix"))


@lru_cache(maxsize=1)
def _pending_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(a word it needs, pattern) per sentence piece of each pending text: literal words
    with any whitespace between them, fields as anything on the line. The human format
    prints a message's first sentence and the rest on two lines, so pieces match alone."""
    from k8slint.report.human import split_message

    patterns = []
    for text in set(_pending_texts()):
        for piece in {" ".join(text.split()), *split_message(" ".join(text.split()))}:
            parts = [part.split() for part in re.split(r"\{[^{}]*\}", piece.strip())]
            words = [w for part in parts for w in part if re.fullmatch(r"[A-Za-z]{2,}\W*", w)]
            if len(words) < 2:
                continue
            body = r"[^\n]*?".join(r"\s+".join(map(re.escape, part)) for part in parts if part)
            patterns.append((max(words, key=len), re.compile(body)))
    return patterns


def mask_pending(text: str) -> str:
    """The output with the English of pending areas replaced by a neutral mark, on the
    lines where the detector finds English (the only ones that matter)."""
    if not any(pending(area) for area in WAITING_FOR):
        return text
    lines = text.split("\n")
    for number, _run, line in untranslated_script.untranslated(text):   # type: ignore[attr-defined]
        chars = list(line)
        for needed, pattern in _pending_patterns():
            if needed in line:
                for found in pattern.finditer(line):
                    chars[found.start():found.end()] = "※" * (found.end() - found.start())
        lines[number - 1] = "".join(chars)
    return "\n".join(lines)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    environ.update(env, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "k8slint", *args], capture_output=True, text=True,
                          cwd=ROOT, env=environ, check=False)


@lru_cache(maxsize=1)
def _rule_areas() -> dict[str, str]:
    """Rule id -> the area of the module that writes its messages (the loader's rules,
    which have no check function, are core)."""
    import inspect

    from k8slint.engine import load_checks

    return {rule: area_of(Path(inspect.getfile(spec.func)).relative_to(ROOT).as_posix())
            for rule, spec in load_checks().items()}


def _translation(msgid: str) -> str:
    return next(text for _, found, text in catalog_entries() if found == msgid)


_FINDING = re.compile(r"^\S+:\d+:\d+ \S+ ([a-z0-9][a-z0-9-]*) ")


def _pending_finding_lines(output: str) -> set[int]:
    """Line numbers of the human format's finding blocks (message, its second line, fix)
    whose texts belong to an area still waited for: the checks' messages, the rules' fix."""
    excused: set[int] = set()
    rule = None
    for number, line in enumerate(output.splitlines(), start=1):
        found = _FINDING.match(line)
        if found:
            rule = found.group(1)
        elif not line.startswith(" "):
            rule = None
        if rule is None:
            continue
        area = _rule_areas().get(rule, "core")
        fix_line = line.lstrip().startswith(_translation("   fix: ").strip())
        if pending(area) or (fix_line and pending("rules")):
            excused.add(number)
    return excused


def _english_left(output: str) -> list[str]:
    found = untranslated_script.untranslated(mask_pending(output))   # type: ignore[attr-defined]
    excused = _pending_finding_lines(output)
    lines = output.splitlines()
    return [f"line {n}: {run!r} | {lines[n - 1].strip()}" for n, run, _ in found if n not in excused]


DEMO = "fixtures/demo/web.yaml"
RULES_SHOWN = ("probe-readiness-missing", "pod-security-restricted", "yaml-string-trap", "api-version-removed")
SCENARIOS = {"rollout": [], "delete": [], "scale": ["--replicas", "5"], "drain": ["--node", "node-1"]}


@pytest.mark.parametrize("args, env", [
    (["check", "--lang", "ko", "fixtures/broken"], {}),
    (["check", "fixtures/broken"], {"LANG": "ko_KR.UTF-8"}),
    (["check", "--lang", "ko", "--show-infos", "fixtures/broken", "fixtures/everyday"], {}),
    (["explain", "--lang", "ko", DEMO], {}),
    *[(["explain", "--lang", "ko", "--scenario", name, *extra, DEMO], {}) for name, extra in SCENARIOS.items()],
    (["explain", "--lang", "ko", "--format", "markdown", "--scenario", "drain", "--node", "node-1", DEMO], {}),
    (["explain", "--lang", "ko", "fixtures/explain"], {}),
    *[(["rules", "show", "--lang", "ko", rule], {}) for rule in RULES_SHOWN],
], ids=["check --lang ko", "check LANG=ko_KR", "check infos broken+everyday", "explain --lang ko",
        *[f"explain {name}" for name in SCENARIOS], "explain markdown drain", "explain fixtures/explain",
        *[f"rules show {rule}" for rule in RULES_SHOWN]])
def test_korean_output_has_no_english_sentence(args: list[str], env: dict[str, str]) -> None:
    if args[0] == "explain" and pending("explain"):
        pytest.skip("explain's texts are translated on another branch (WAITING_FOR)")
    done = _run(args, **env)
    assert done.returncode in (0, 1), done.stderr
    assert re.search("[가-힣]", done.stdout), "no Korean at all"
    output = done.stdout + done.stderr
    if args[0] == "rules":      # the examples stay as written: YAML and their English names
        output = output.split("\n--- ", 1)[0].split("\n출처:", 1)[0]     # and the cited sources
        assert "이유:" in output and "수정 방법:" in output
    left = _english_left(output)
    assert not left, f"{len(left)} line(s) with English:\n" + "\n".join(left[:40])


def test_the_detector_finds_an_english_sentence_and_spares_api_words() -> None:
    find = untranslated_script.untranslated                       # type: ignore[attr-defined]
    assert find("오류: the API server rejects the object")           # rejects the object
    assert not find("API 서버가 이 Pod를 거부합니다 (readinessProbe, SIGTERM)")
    assert not find("참고: k8slint rules show yaml-string-trap")      # a command line
    assert not find('`kubectl apply -k base` 또는 "some quoted english text"')
    assert not find("    12 | # a comment of the manifest in English")  # source excerpt
    assert not find("Deployment web: Pod 3개가 Running, Ready 상태입니다")


def test_masking_only_hides_the_english_of_pending_areas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "WAITING_FOR", {"checks"})
    monkeypatch.setattr(sys.modules[__name__], "CATALOGS", ROOT / "no-catalogs-here")
    _pending_patterns.cache_clear()
    try:
        assert pending("checks") and not pending("core")
        english = next(m for m, where in source_messages().items()
                       if area_of(where) == "checks" and isinstance(m, str) and "{" not in m and len(m.split()) > 5)
        output = f"web.yaml:3:1 오류 some-rule {english}\n파일 1개 검사함: the configuration must be a mapping\n"
        masked = mask_pending(output)
        assert english not in masked and "the configuration must be a mapping" in masked
        assert untranslated_script.untranslated(masked) == [                 # type: ignore[attr-defined]
            (2, "the configuration must be a mapping", "파일 1개 검사함: the configuration must be a mapping")]
    finally:
        _pending_patterns.cache_clear()


# --- language selection ---------------------------------------------------------------------

@pytest.fixture
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
VERDICT_KO, VERDICT_EN = "검사함", "checked 1 file"


def _check(tmp_path: Path, *flags: str, config: str | None = None, **env: str | None) -> str:
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    args = ["check", "--no-config", *flags, "cm.yaml"]
    if config is not None:
        (tmp_path / ".k8slint.yaml").write_text(config)
        args.remove("--no-config")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, args, env={**NO_LOCALE, **env})
    finally:
        os.chdir(old)
    return result.output


def test_lang_flag_beats_config_beats_environment(tmp_path: Path, english_after: None) -> None:
    assert VERDICT_EN in _check(tmp_path)                                         # default
    assert VERDICT_KO in _check(tmp_path, LANG="ko_KR.UTF-8")                      # locale
    assert VERDICT_EN in _check(tmp_path, LANG="ko_KR.UTF-8", LC_ALL="C")          # LC_ALL first
    assert VERDICT_KO in _check(tmp_path, LANG="en_US.UTF-8", LC_MESSAGES="ko_KR")
    assert VERDICT_EN in _check(tmp_path, config="lang: en\n", LANG="ko_KR.UTF-8")  # config > env
    assert VERDICT_KO in _check(tmp_path, config="lang: ko\n", LANG="en_US.UTF-8")
    assert VERDICT_EN in _check(tmp_path, "--lang", "en", config="lang: ko\n")     # flag > config
    assert VERDICT_KO in _check(tmp_path, "--lang", "ko", config="lang: en\n", LANG="en_US")


def test_lang_ko_locale_gives_korean_verdict(tmp_path: Path, english_after: None) -> None:
    output = _check(tmp_path, LANG="ko_KR.UTF-8")
    assert "통과: 오류 0개 (fail-on error) · 경고 0개 · 정보 0개" in output


def test_unknown_language_is_a_usage_error(tmp_path: Path, english_after: None) -> None:
    result = CliRunner().invoke(main, ["check", "--lang", "xx", str(tmp_path)], env=NO_LOCALE)
    assert result.exit_code == 2 and "--lang" in result.output


def test_config_lang_is_validated() -> None:
    assert from_mapping({"lang": "ko"}).lang == "ko"
    with pytest.raises(ConfigError, match="lang"):
        from_mapping({"lang": "xx"})


@pytest.mark.parametrize("args", [["rules", "--lang", "ko"], ["fix", "--lang", "ko", "--diff"],
                                  ["explain", "--lang", "ko"], ["diff", "--lang", "ko"]])
def test_every_command_takes_lang(args: list[str], tmp_path: Path, english_after: None) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    paths = [] if args[0] == "rules" else [str(tmp_path / "a.yaml")] * (2 if args[0] == "diff" else 1)
    result = CliRunner().invoke(main, [*args, *paths], env=NO_LOCALE)
    assert result.exit_code in (0, 1), result.output
    assert re.search("[가-힣]", result.output) or args[0] in ("explain", "diff"), result.output


@pytest.mark.parametrize("command, said", [("check", "검사할 PATHS를 주거나 -k DIR을 주십시오"),
                                            ("explain", "설명할 PATHS를 주거나 -k DIR을 주십시오"),
                                            ("diff", "경로 두 개(OLD NEW)를 주거나")])
def test_usage_errors_are_korean(command: str, said: str, english_after: None) -> None:
    result = CliRunner().invoke(main, [command, "--lang", "ko"], env=NO_LOCALE)
    assert result.exit_code == 2 and said in result.output


def test_json_and_sarif_keep_their_keys_and_rule_ids(tmp_path: Path, english_after: None) -> None:
    import json

    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                                     "data: {a: x, a: y}\n")
    outputs = {}
    for lang in ("en", "ko"):
        result = CliRunner().invoke(main, ["check", "--no-config", "--lang", lang, "--format", "json",
                                           str(tmp_path / "a.yaml")], env=NO_LOCALE)
        outputs[lang] = json.loads(result.output)

    def shape(data: object) -> object:
        if isinstance(data, dict):
            return {k: (v if k in ("rule", "severity", "file", "line") else shape(v)) for k, v in data.items()}
        if isinstance(data, list):
            return [shape(v) for v in data]
        return type(data).__name__

    assert shape(outputs["en"]) == shape(outputs["ko"])
    en, ko = (next(f for f in outputs[lang]["findings"] if f["rule"] == "yaml-duplicate-key")
              for lang in ("en", "ko"))
    assert en["message"] != ko["message"] and "중복된 키" in ko["message"]


def test_worker_processes_write_korean(tmp_path: Path, english_after: None) -> None:
    """--jobs: files parsed in forked workers (k8slint.parallel) get the run's language."""
    from k8slint.parallel import load_parallel

    files = []
    for i in range(6):
        path = tmp_path / f"f{i}.yaml"
        path.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{a: x, a: y}}\n")
        files.append(str(path))
    i18n.set_language("ko")
    result = load_parallel(files, 3)
    messages = {hit.file: hit.message for hit in result.hits}
    assert set(messages) == set(files)
    assert all("중복된 키" in message for message in messages.values()), messages


def test_no_module_that_translates_assigns_to_underscore() -> None:
    """`for _, x in ...` or `a, _ = ...` in a module that imports `_` from k8slint.i18n makes
    `_` a plain value in that function, and `_("...")` there fails (or returns a string)."""
    import ast

    offenders = []
    for path in sorted((ROOT / "k8slint").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(isinstance(node, ast.ImportFrom) and (node.module or "").endswith("i18n")
                      and any(alias.name == "_" for alias in node.names) for node in ast.walk(tree))
        if imports:
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                          if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
    assert not offenders, "use __ for an unused value: " + ", ".join(offenders)
