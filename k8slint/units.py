"""Apply units: which files one `kubectl apply` (or `kubectl apply -k`) creates together.

Cross-object rules judge conflicts (duplicate identities, a Service spanning workloads,
overlapping selectors) inside one unit, and look references up in the unit first, then
in the whole input (an object found in another unit silences "missing" but never raises a
conflict). A repository usually holds several units side by side:

    repo/
      apps/web/            folder unit: `kubectl apply -f apps/web/` (not recursive)
        deployment.yaml
        service.yaml
      apps/shop/           kustomization unit: `kubectl apply -k apps/shop/`
        kustomization.yaml
        deployment.yaml
        patch-replicas.yaml      listed under `patches`: never checked as a whole object
      variants/            `apply-units: {variants/: file}`: each file its own unit
        dev.yaml
        prod.yaml
      chart/               Helm chart (Chart.yaml + templates/): not loaded, one info
        Chart.yaml
        templates/...
        examples/x/rendered/   `helm template` output kept in the chart: checked as manifests

The model, as a small API (`assign_units` is the only entry point):

- `Unit(id, root, mode, files)`: `id` is what findings show (`apps/web/`, a file path,
  `-` for stdin); `mode` is one of MODES.
- `assign_units(files, modes, root, one_unit, kustomize_builds) -> Units`: every file gets
  exactly one unit; with native kustomize builds each build is a unit of its own
  (`Units.for_build(folder)`, `Units.unit_of(document)`).
  Rules, the deepest match winning: a config `apply-units:` glob (relative to `root`, the
  config file's folder) that names the file or one of its folders, mapped to `tree` (that
  folder and everything below), `folder` or `file`; a folder with a kustomization file (plus
  the files its `resources:` list) is one unit; otherwise the file's folder. Stdin is its
  own unit; `one_unit` makes all input one unit (`helm template | k8slint check -`).
- `Units.skipped`: files never loaded (kustomization files, Helm chart files), each with
  the reason; `Units.not_objects`: files loaded for their syntax but whose documents are not
  objects (kustomize patches, transformer configs); `Units.hits`: one info per chart and
  per kustomization.

With native kustomize builds (k8slint.kustomize, the default of `k8slint check`) a unit is
a build's output and the kustomization rule above is not used; it remains for checking
files as they are written (fix) and when the builds are off.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import listing
from .globs import glob_names_exactly
from .i18n import _
from .model import Hit

MODES = ("kustomization", "folder", "tree", "file", "stdin", "all")
CONFIG_MODES = ("tree", "folder", "file")
# kustomize accepts these three names (sigs.k8s.io/kustomize/api/konfig
# RecognizedKustomizationFileNames).
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Unit:
    """Files applied together."""

    id: str                      # shown in findings: "apps/web/", "variants/dev.yaml", "-"
    root: str                    # the folder (or file) the unit stands for
    mode: str                    # one of MODES
    files: tuple[str, ...]

    def __str__(self) -> str:
        return self.id


@dataclass
class Units:
    """The units of one run and what the unit model takes out of the input."""

    units: list[Unit] = field(default_factory=list)
    by_file: dict[str, Unit] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)       # file -> why it is not loaded
    not_objects: dict[str, str] = field(default_factory=dict)   # file -> why its documents are no objects
    hits: list[Hit] = field(default_factory=list)
    one: bool = False                 # all input is one unit (stdin, --one-unit, check_text)
    builds: dict[str, Unit] = field(default_factory=dict)       # kustomization folder -> its unit

    @property
    def several(self) -> bool:
        return len(self.units) > 1

    def of(self, file: str) -> Unit | None:
        return self.by_file.get(file)

    def for_build(self, folder: str) -> Unit:
        """The unit of a native kustomize build (k8slint.kustomize): one per build."""
        if self.one and self.units:
            return self.units[0]
        unit = self.builds.get(folder)
        if unit is None:
            unit = self.builds[folder] = Unit(_unit_id("kustomization", folder), folder, "kustomization", ())
            self.units.append(unit)
        return unit

    def unit_of(self, document: Any) -> Unit | None:
        """A document's unit: its build's for a built object (BuiltDocument.unit, the
        kustomization folder), else its file's."""
        folder = getattr(document, "unit", None)
        if isinstance(folder, str):
            return self.for_build(folder)
        return self.by_file.get(document.file)

    def loaded(self, files: Iterable[str]) -> list[str]:
        """The files to load, in order (skipped ones left out)."""
        return [f for f in files if f not in self.skipped]


def single(files: Sequence[str], name: str = STDIN) -> Units:
    """All input as one unit (stdin, --one-unit, check_text)."""
    mode = "stdin" if list(files) == [STDIN] else "all"
    unit = Unit(name if mode == "stdin" else "(all input)", "", mode, tuple(files))
    return Units([unit], dict.fromkeys(files, unit), one=True)


def assign_units(files: Sequence[str], modes: Mapping[str, str] | None = None, root: str | None = None,
                 one_unit: bool = False, kustomize_builds: bool = False,
                 named: frozenset[str] = frozenset()) -> Units:
    """Every file's unit (see the module docstring for the rules). With `kustomize_builds`
    the native builds (k8slint.kustomize) take the kustomizations and their files: each
    build is a unit of its own (Units.for_build), and the folder rule below is not used.
    `named`: the files given by name (not found in a folder)."""
    result = Units()
    charts = _charts(files)
    for chart, members in charts.items():
        for member in members:
            result.skipped[member] = f"part of the Helm chart {chart}"
        result.hits.append(_chart_hit(chart, members))
    _skip_test_assertions(result, [f for f in files if f not in result.skipped], named)
    kustomizations = {} if kustomize_builds else _kustomizations(f for f in files if f not in result.skipped)
    for kfile, info in kustomizations.items():
        result.skipped[kfile] = "kustomize configuration"
        for path, why in info.not_objects.items():
            result.not_objects.setdefault(path, why)
    rest = [f for f in files if f not in result.skipped]
    if one_unit:
        whole = single(rest)
        result.units, result.by_file, result.one = whole.units, whole.by_file, True
        result.hits.extend(_kustomization_hits(kustomizations, files))
        return result
    claimed = _kustomization_claims(kustomizations, rest, result.not_objects)
    groups: dict[tuple[str, str], list[str]] = {}
    for file in rest:
        key = _unit_key(file, modes or {}, root, claimed)
        groups.setdefault(key, []).append(file)
    for (mode, unit_root), members in groups.items():
        unit = Unit(_unit_id(mode, unit_root), unit_root, mode, tuple(members))
        result.units.append(unit)
        for member in members:
            result.by_file[member] = unit
    result.hits.extend(_kustomization_hits(kustomizations, files))
    return result


def _skip_test_assertions(result: Units, files: list[str], named: frozenset[str] = frozenset()) -> None:
    """Files of test tools that are never applied (k8slint.test_steps: chainsaw and kuttl
    assertions, kyverno CLI test and gator inputs, API fixtures, Go vendor trees, snapshots,
    expected read-backs, packages of kpt tests expected to fail): not loaded, one info per
    folder and reason. Imported only when a file name looks like one of theirs."""
    unnamed = [f for f in files if f != STDIN and f not in named]
    failing: dict[str, str] = {}
    if unnamed:                          # a run on files given by name asks no kpt test
        from . import kpt_tests
        failing = kpt_tests.failing_inputs(unnamed)
    if not failing and not any(name[:1].isdigit() or name.startswith(("chainsaw-test.", "suite.")) or name == "kyverno-test.yaml"
               for name in (os.path.basename(f) for f in files)) \
            and not any("__snapshot__" in f or f"{os.sep}HEAD{os.sep}" in f or "vendor" in f
                        or f"{os.sep}compare{os.sep}" in f or "invalid" in f.lower() or _says_non_kubernetes(f)
                        or f"{os.sep}input{os.sep}" in f
                        or ("testdata" in f and _says_expected(os.path.basename(f).lower())) for f in files) \
            and not _error_files_beside(files):
        return
    from . import kpt_tests, test_steps

    found = test_steps.assertion_files(files, asked=named)
    for file in failing:
        found.setdefault(file, kpt_tests.FAILING_CASE)
    whole = (test_steps.GO_VENDOR, test_steps.JSONNET_VENDOR, test_steps.REGO_INPUT, kpt_tests.FAILING_CASE)
    by_folder: dict[tuple[str, str], list[str]] = {}
    for file, why in found.items():
        result.skipped[file] = why
        folder = os.path.dirname(file) or "."
        if why == test_steps.GO_VENDOR:      # one line for the whole vendor tree
            folder = test_steps.vendor_root(folder) or folder
        elif why == test_steps.JSONNET_VENDOR:
            folder = test_steps.jsonnet_vendor_root(folder) or folder
        elif why == test_steps.REGO_INPUT:   # one line for a rule's test/ folder, not per case
            folder = os.path.dirname(os.path.dirname(folder)) or folder
        elif why == kpt_tests.FAILING_CASE:  # one line for a test case, its subpackages included
            folder = failing[file]
        by_folder.setdefault((folder, why), []).append(file)
    for (folder, why), members in by_folder.items():
        names = sorted(os.path.basename(m) for m in members)
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        result.hits.append(Hit(message=_not_checked(why).format(count=len(names), folder=folder, names=shown),
                               file=min(members) if why in whole else os.path.join(folder, names[0]),
                               rule="not-kubernetes"))


def _says_non_kubernetes(path: str) -> bool:
    """Whether a path may say its file is for an environment without Kubernetes (test_steps)."""
    lower = path.lower()
    return "non" in lower and ("k8s" in lower or "kubernetes" in lower)


def _says_expected(name: str) -> bool:
    """Whether a lower-case file name may say it is an expected output (k8slint.test_steps)."""
    return "expected" in name or "golden" in name


def _error_files_beside(files: list[str]) -> bool:
    """Whether a folder of the files holds a `.err` file (a negative test case's expected
    refusal: test_steps), said from the walk's listings (folders it did not list are not asked)."""
    for folder in {os.path.dirname(f) for f in files if f != STDIN}:
        entries = listing.names(folder or ".")
        if entries and any(name.endswith(".err") for name in entries):
            return True
    return False


def _not_checked(why: str) -> str:
    """The message for a folder of files that are never applied, by why they are not (test_steps)."""
    from . import kpt_tests, test_steps
    messages = {
        test_steps.KYVERNO_INPUT: _(
            "{count} file(s) in {folder} ({names}) are inputs or expected outputs of a kyverno CLI "
            "test, evaluated offline by `kyverno test` and never applied: not checked as objects"),
        test_steps.GATOR_INPUT: _(
            "{count} file(s) in {folder} ({names}) are objects of a gator test, evaluated offline "
            "by `gator verify` and never applied: not checked as objects"),
        test_steps.ROUNDTRIP: _(
            "{count} file(s) in {folder} ({names}) are API compatibility fixtures of a round-trip "
            "test, decoded by the test and never applied: not checked as objects"),
        test_steps.GO_VENDOR: _(
            "{count} file(s) in {folder} ({names}) belong to a Go dependency copied by `go mod "
            "vendor` (vendor/modules.txt), not applied by this repository: not checked as objects"),
        test_steps.JSONNET_VENDOR: _(
            "{count} file(s) in {folder} ({names}) belong to a jsonnet dependency installed by "
            "jsonnet-bundler (jsonnetfile.json), not applied by this repository: not checked as objects"),
        test_steps.SNAPSHOT: _(
            "{count} file(s) in {folder} ({names}) are test snapshots, compared with a rendering "
            "and never applied: not checked as objects"),
        test_steps.NEGATIVE_CASE: _(
            "{count} file(s) in {folder} ({names}) are negative test cases, each with a .err file "
            "beside it holding the refusal a test expects: never applied, not checked as objects"),
        test_steps.INVALID_EXAMPLE: _(
            "{count} file(s) in {folder} ({names}) are examples of invalid input (their path says "
            "invalid), not meant to be applied: not checked as objects"),
        test_steps.NOT_FOR_KUBERNETES: _(
            "{count} file(s) in {folder} ({names}) are for an environment without Kubernetes (their "
            "path says non-k8s), not sent to an API server: not checked as objects"),
        test_steps.EXPECTED_OUTPUT: _(
            "{count} file(s) in {folder} ({names}) are expected outputs of Go tests (test data whose "
            "names say expected or golden), compared with what the code makes and never applied: not checked as objects"),
        kpt_tests.FAILING_CASE: _(
            "{count} file(s) in {folder} ({names}) belong to a kpt function test that expects kpt "
            "to fail (exitCode in .expected/config.yaml): written to be refused, never applied: not checked as objects"),
        test_steps.REGO_INPUT: _(
            "{count} file(s) in {folder} ({names}) are inputs of Rego rule tests (each case's input "
            "folder, expected.json beside it), evaluated offline and never applied: not checked as objects"),
        test_steps.EXPECTED_STATE: _(
            "{count} file(s) in {folder} ({names}) are what an end-to-end test expects `kubectl get -o "
            "yaml` to return, compared with the cluster and never applied: not checked as objects"),
    }
    return messages.get(why) or _(
        "{count} file(s) of the end-to-end test in {folder} ({names}) are chainsaw or "
        "kuttl assertions or test definitions, compared with the cluster and never "
        "applied: not checked as objects")


# --- the folder, tree, file and kustomization rules ------------------------------------------

def _unit_key(file: str, modes: Mapping[str, str], root: str | None,
              claimed: Mapping[str, str]) -> tuple[str, str]:
    """(mode, unit root) of one file: the deepest rule that names it wins."""
    if file == STDIN:
        return ("stdin", STDIN)
    folder = os.path.dirname(file) or "."
    best: tuple[int, str, str] | None = None           # (depth, mode, root)
    kustomization = claimed.get(file)
    if kustomization is not None:
        best = (_depth(kustomization), "kustomization", kustomization)
    for depth, matched, mode in _config_matches(file, modes, root):
        if best is None or depth >= best[0]:
            unit_root = {"tree": matched, "folder": folder, "file": file}[mode]
            best = (depth, mode, unit_root)
    if best is None:
        return ("folder", folder)
    return (best[1], best[2])


def _config_matches(file: str, modes: Mapping[str, str], root: str | None) -> Iterable[tuple[int, str, str]]:
    """(depth, matched path, mode) for each apply-units glob naming the file or a folder of it."""
    if not modes:
        return
    candidates = [file]
    folder = os.path.dirname(file)
    while folder and folder not in (".", os.sep):
        candidates.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in candidates:
        names = _relative_names(path, root)
        for pattern, mode in modes.items():
            if any(glob_names_exactly(name, pattern) for name in names):
                yield _depth(path), path, mode


def _relative_names(path: str, root: str | None) -> list[str]:
    """The path as given and relative to the config's folder (posix)."""
    names = [path.replace(os.sep, "/").removeprefix("./")]
    if root is not None:
        try:
            rel = os.path.relpath(os.path.abspath(path), root)
        except ValueError:                      # another drive (Windows)
            rel = ""
        if rel and not rel.startswith(".."):
            names.append(rel.replace(os.sep, "/"))
    return names


def _depth(path: str) -> int:
    return len(os.path.abspath(path).split(os.sep))


def _unit_id(mode: str, unit_root: str) -> str:
    if mode in ("file", "stdin"):
        return unit_root
    shown = unit_root.replace(os.sep, "/")
    return shown if shown.endswith("/") else shown + "/"


# --- kustomizations (until the native build replaces this) -----------------------------------

# Kustomization fields naming files that are not whole objects (sigs.k8s.io/kustomize/api/types
# Kustomization): patches, transformer/generator/validator configs, replacement files,
# transformer configurations, OpenAPI schema, generator inputs, Helm values.
_PATCH_FIELDS = ("patches", "patchesStrategicMerge", "patchesJson6902")
_CONFIG_FIELDS = ("transformers", "generators", "validators", "configurations", "replacements")


@dataclass
class _Kustomization:
    folder: str
    file: str
    resources: list[str] = field(default_factory=list)          # absolute paths of listed files
    not_objects: dict[str, str] = field(default_factory=dict)   # file as given -> why
    patches: int = 0
    kind: str = "Kustomization"                                 # or Component


def _kustomizations(files: Iterable[str]) -> dict[str, _Kustomization]:
    """The kustomization files among the input's files and in the input files' folders."""
    files = list(files)
    by_abs = {os.path.abspath(f): f for f in files if f != STDIN}
    found: dict[str, _Kustomization] = {}
    folders = dict.fromkeys(os.path.dirname(f) or "." for f in files if f != STDIN)
    for folder in folders:
        kfile = _kustomization_file(folder, files)
        if kfile is None or kfile in found:
            continue
        found[kfile] = _read_kustomization(folder, kfile, by_abs)
    return found


def _kustomization_file(folder: str, files: list[str]) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(folder, name) if folder != "." else name
        if os.path.isfile(path):
            return path
    return None


def _read_kustomization(folder: str, kfile: str, by_abs: Mapping[str, str]) -> _Kustomization:
    info = _Kustomization(folder, kfile)
    data = _load_yaml(kfile)
    if not isinstance(data, dict):
        return info
    if data.get("kind") == "Component":
        info.kind = "Component"

    def local(path: Any) -> str | None:
        if not isinstance(path, str) or "\n" in path or "://" in path:
            return None                      # an inline patch or a remote resource
        return os.path.abspath(os.path.join(folder, path.split("=", 1)[-1]))

    def note(path: str | None, why: str) -> None:
        if path is not None and path in by_abs:
            info.not_objects[by_abs[path]] = why

    for name in _PATCH_FIELDS:
        for entry in _entries(data.get(name)):
            path = local(entry.get("path") if isinstance(entry, dict) else entry)
            if path is not None:
                info.patches += 1
            note(path, f"a kustomize patch listed under `{name}` of {kfile}")
    for name in _CONFIG_FIELDS:
        for entry in _entries(data.get(name)):
            note(local(entry.get("path") if isinstance(entry, dict) else entry),
                 f"a kustomize configuration listed under `{name}` of {kfile}")
    for name in ("configMapGenerator", "secretGenerator"):
        for generator in _entries(data.get(name)):
            if isinstance(generator, dict):
                for key in ("files", "envs"):
                    for entry in _entries(generator.get(key)):
                        note(local(entry), f"an input of `{name}` in {kfile}")
    for chart in _entries(data.get("helmCharts")):
        if isinstance(chart, dict):
            for entry in [chart.get("valuesFile"), *_entries(chart.get("additionalValuesFiles"))]:
                note(local(entry), f"Helm values of `helmCharts` in {kfile}")
    openapi = data.get("openapi")
    if isinstance(openapi, dict):
        note(local(openapi.get("path")), f"the OpenAPI schema of {kfile}")
    for entry in _entries(data.get("resources")) + _entries(data.get("bases")):
        path = local(entry)
        if path is not None and os.path.isfile(path):
            info.resources.append(path)
    return info


def _entries(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _load_yaml(path: str) -> Any:
    import yaml

    from . import safe_yaml
    try:
        with open(path, encoding="utf-8") as handle:
            return safe_yaml.load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _kustomization_claims(kustomizations: Mapping[str, _Kustomization], files: Iterable[str],
                          not_objects: Mapping[str, str]) -> dict[str, str]:
    """file -> folder of the kustomization whose unit it belongs to: the files of its folder
    and the files its `resources:` list (the first kustomization to claim a file keeps it)."""
    if not kustomizations:
        return {}
    cwd = os.getcwd()
    by_folder = {_absolute(k.folder, cwd): k for k in kustomizations.values()}
    listed: dict[str, str] = {}
    for kustomization in kustomizations.values():
        for path in kustomization.resources:
            listed.setdefault(path, kustomization.folder)
    claims: dict[str, str] = {}
    for file in files:
        if file == STDIN or file in not_objects:
            continue
        absolute = _absolute(file, cwd)
        own = by_folder.get(os.path.dirname(absolute))
        if own is not None:
            claims[file] = own.folder
        elif absolute in listed:
            claims[file] = listed[absolute]
    return claims


def _kustomization_hits(kustomizations: Mapping[str, _Kustomization], files: Sequence[str]) -> list[Hit]:
    hits = []
    given = set(files)
    for kfile, info in kustomizations.items():
        if kfile not in given:
            continue                         # found beside a file named on the command line
        skipped = len(info.not_objects)
        extra = _("; {count} file(s) it lists as patches or configurations are not checked as "
                  "whole objects").format(count=skipped) if skipped else ""
        folder = info.folder.replace(os.sep, "/")
        if info.kind == "Component":
            what = _("kustomize {kind}: not an object; kustomizations that list it under `components:` "
                     "include it in their build")
        else:
            what = _("kustomize {kind}: not an object; `kubectl apply -k {folder}` builds this folder as "
                     "one apply unit")
        hits.append(Hit(message=what.format(kind=info.kind, folder=folder) + extra, file=kfile,
                        rule="not-kubernetes"))
    return hits


def _absolute(path: str, cwd: str) -> str:
    """os.path.abspath with the working folder asked once (abspath asks it every time)."""
    return os.path.normpath(path if os.path.isabs(path) else os.path.join(cwd, path))


# --- Helm charts ------------------------------------------------------------------------------

def _charts(files: Iterable[str]) -> dict[str, list[str]]:
    """chart folder -> the input files inside it (crds/ excepted: helm installs those as they are).

    A chart is a folder with Chart.yaml and a templates/ folder (helm.sh/helm/v3/pkg/chart/loader)."""
    charts: dict[str, list[str]] = {}
    cache: dict[str, str | None] = {}
    cwd = os.getcwd()
    for file in files:
        if file == STDIN:
            continue
        absolute = _absolute(file, cwd)
        chart = _chart_of(os.path.dirname(absolute), cache)
        if chart is None:
            continue
        inside = os.path.relpath(absolute, chart).replace(os.sep, "/")
        if inside.startswith("crds/") or (not inside.startswith("templates/") and _rendered(absolute)):
            continue
        shown = chart if os.path.isabs(file) else os.path.relpath(chart)
        charts.setdefault(shown, []).append(file)
    return charts


_RENDERED_HEAD = 4096


def _rendered(path: str) -> bool:
    """A file that `helm template` wrote: each document starts with `# Source: CHART/templates/...`
    (helm.sh/helm/v3 pkg/action/action.go renderResources and install.go writeToFile write
    "---\n# Source: %s\n"). Charts keep such output beside their templates (examples/*/rendered/,
    docs/examples/*/output.yaml) to show and diff what a values file renders; helm never
    installs it (only templates/ and crds/ are the chart's objects), so it is not a chart file
    but plain manifests, checked as any other."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(_RENDERED_HEAD)
    except OSError:
        return False
    for line in head.splitlines():
        if line.startswith("# Source: "):
            return "/templates/" in line
        if line.strip() and line.strip() != "---" and not line.startswith("#"):
            return False
    return False


def _chart_of(folder: str, cache: dict[str, str | None]) -> str | None:
    """The innermost chart folder containing the absolute `folder` (itself included)."""
    if folder not in cache:
        entries = listing.names(folder)         # the walk's listing: one lookup, no system call
        if entries is not None:
            chart = bool(entries.get("Chart.yaml", 0) & listing.FILE and entries.get("templates", 0) & listing.DIR)
        else:
            chart = listing.isfile(os.path.join(folder, "Chart.yaml")) and listing.isdir(os.path.join(folder, "templates"))
        if chart:
            cache[folder] = folder
        else:
            parent = os.path.dirname(folder)
            cache[folder] = None if parent == folder else _chart_of(parent, cache)
    return cache[folder]


def _chart_hit(chart: str, members: list[str]) -> Hit:
    templates = sum(1 for m in members if "/templates/" in "/" + os.path.relpath(m, chart).replace(os.sep, "/"))
    shown = chart.replace(os.sep, "/")
    return Hit(message=_("Helm chart {chart} ({count} template file(s)) is not checked as it is: "
                         "render it and check the output: helm template {chart} | k8slint check -")
               .format(chart=shown, count=templates),
               file=os.path.join(chart, "Chart.yaml"), rule="helm-template")
