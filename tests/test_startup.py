"""Start-up budget: `k8slint check` on one small file imports only what that run needs (a
pre-commit hook and the editor pay the import time on every run). A module that a new
top-level import drags in fails here: import it inside the function that needs it, or, if
every small run needs it, add it to the allowlist below and say why in the commit.

Counted as modules rather than milliseconds, which a loaded machine would make flaky;
`python -X importtime -m k8slint check FILE` shows what each one costs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

# The k8slint modules of a plain `check` of one manifest with the default rules.
ALLOWED = {
    "k8slint", "k8slint.__main__", "k8slint.api", "k8slint.cli", "k8slint.config",
    "k8slint.engine", "k8slint.errors", "k8slint.globs", "k8slint.graph", "k8slint.loader",
    "k8slint.model", "k8slint.parallel", "k8slint.paths", "k8slint.placeholders", "k8slint.repeats",
    "k8slint.resources", "k8slint.rules", "k8slint.schema",
    "k8slint.selector", "k8slint.sourcemap", "k8slint.suppress", "k8slint.units", "k8slint.version",
    "k8slint.i18n", "k8slint.cli_lang",                     # the output language (no Babel in English)
    "k8slint.main", "k8slint.resident", "k8slint.resident.client",   # the entry decides on resident mode
    "k8slint.lazyre",                                       # regexes compiled on first use
    "k8slint.listing",                                      # folder listings of the walk (no imports)
    "k8slint.safe_yaml",                                    # the one safe (C) loader of plain data
    "k8slint.report", "k8slint.report.human",
    "k8slint.checks", *(f"k8slint.checks.{m}" for m in (
        "admission", "api_version", "availability", "controller", "image", "lifecycle", "naming",
        "probe", "reference", "resources", "schema", "security", "selector", "syntax")),
    "k8slint.k8s", *(f"k8slint.k8s.{m}" for m in (
        "apis", "defaults", "enums", "fields", "image", "kinds", "names", "pdb",
        "podvalidation", "pss", "quantity", "references", "rollout", "stateful_images", "termination",
        "tools", "versions",
        "skeleton")),                                       # each document: a reference of a kind's fields?
}
# Third-party packages (top-level names) the same run may import.
ALLOWED_PACKAGES = {"click", "yaml", "_yaml", "cython_runtime"}   # cython_runtime: _yaml's

# `k8slint check FILE` as the console script runs it; then what a probe prints on stderr.
RUN = """
import json, runpy, sys
sys.argv = ["k8slint", "check", sys.argv[1]]
try:
    runpy.run_module("k8slint", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
sys.stdout.flush()
"""
PROBE = RUN + """
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by_check(path: str) -> set[str]:
    process = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
    return set(json.loads(process.stderr.strip().splitlines()[-1]))


def test_check_of_one_file_imports_only_the_allowlist() -> None:
    modules = imported_by_check(str(ROOT / "fixtures" / "demo" / "web.yaml"))
    ours = {m for m in modules if m == "k8slint" or m.startswith("k8slint.")}
    assert "k8slint.checks.probe" in ours                      # the probe saw a real run
    assert ours <= ALLOWED, f"new modules on the start-up path: {sorted(ours - ALLOWED)}"
    stdlib = set(sys.stdlib_module_names)
    packages = {m.split(".")[0] for m in modules} - stdlib - {"k8slint"}
    packages = {p for p in packages if not p.startswith("_") or p == "_yaml"} - {"sitecustomize", "usercustomize"}
    assert packages <= ALLOWED_PACKAGES, f"new packages on the start-up path: {sorted(packages - ALLOWED_PACKAGES)}"
    # The standard library's share (117 modules when this was written, most of them
    # through click, PyYAML and dataclasses): a new top-level import of a large one fails here.
    standard = {m for m in modules if m.split(".")[0] in stdlib}
    assert len(standard) <= STDLIB_BUDGET, f"{len(standard)} standard modules: {sorted(standard)}"


STDLIB_BUDGET = 122


def test_heavy_parts_stay_out_of_a_small_check() -> None:
    """What only some runs need: explain's simulator, fix's round-trip YAML, the kustomize
    build, CEL (even its runtime module), the rich terminal UI, the other reporters, schema
    locations, the config file's schema, CronJob schedules, suggestions (difflib), the
    classes of rule examples; jsonschema-rs (with the email, socket and random modules it
    loads), whose verdicts start after the walker's first ones (schema.WALKED_FIRST)."""
    modules = imported_by_check(str(ROOT / "fixtures" / "demo" / "web.yaml"))
    for heavy in ("k8slint.simulate", "k8slint.fix", "k8slint.kustomize", "k8slint.admission",
                  "k8slint.cli_explain", "k8slint.report.sarif", "rich", "ruamel", "jsonschema",
                  "cel_expr_python", "multiprocessing", "jsonschema_rs", "email.utils", "socket",
                  "k8slint.cel", "k8slint.schema_locations", "k8slint.config_schema", "k8slint.k8s.cron",
                  "difflib", "k8slint.rule_examples"):
        assert heavy not in modules, heavy


YAML_PROBE = RUN + """
import yaml
print(type(yaml.reader.Reader.NON_PRINTABLE).__name__, file=sys.stderr)
try:
    yaml.load("a: b\\x07", Loader=yaml.SafeLoader)        # the pure-Python reader
except yaml.reader.ReaderError:
    print("refused", file=sys.stderr)
"""


def test_pyyaml_s_pattern_of_non_printable_characters_is_compiled_on_use() -> None:
    """main.PYYAML_NON_PRINTABLE is PyYAML's own pattern (else it would be compiled at import
    again, a tenth of the run), and the pure-Python reader still refuses such a character."""
    process = subprocess.run([sys.executable, "-c", YAML_PROBE, str(ROOT / "fixtures" / "demo" / "web.yaml")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert process.stderr.split()[-2:] == ["_Deferred", "refused"], process.stderr
