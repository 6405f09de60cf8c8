"""The library entry points: check(paths) -> Result, check_text(text) -> Result, render()."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import engine, listing, loader, parallel, placeholders
from . import graph as graph_mod
from .config import Config, from_mapping, load_config
from .graph import Graph
from .loader import Source, Stdin
from .model import Finding, Hit, ObjectRef, Severity
from .repeats import dedupe, merge_repeats
from .report import Options, Report
from .report import render as render_report
from .rules import RuleMeta, builtin_rules
from .units import KUSTOMIZATION_NAMES, Units, assign_units, single

if TYPE_CHECKING:                  # imported when used: most inputs have no kustomization
    from .early import Plan
    from .kustomize.inputs import KustomizeInput

ConfigLike = Config | Mapping[str, Any] | str | os.PathLike[str] | None


@dataclass
class Result:
    findings: list[Finding]           # reported: not suppressed, not in the baseline
    files: int
    documents: int
    objects: int
    graph: Graph
    io_errors: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)   # by annotation or comment
    baselined: list[Finding] = field(default_factory=list)    # already in the --baseline file
    rules: dict[str, RuleMeta] = field(default_factory=dict)  # this run's rules (custom included)
    # Finding.sort_key() of a suppressed finding -> the reason its suppression gives
    suppression_reasons: dict[tuple[object, ...], str] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "documents": self.documents, "objects": self.objects,
                "errors": self.count(Severity.ERROR), "warnings": self.count(Severity.WARNING),
                "infos": self.count(Severity.INFO), "suppressed": len(self.suppressed)}

    def failed(self, threshold: Severity | None) -> bool:
        return threshold is not None and any(f.severity >= threshold for f in self.findings)


def as_config(config: ConfigLike) -> Config:
    """A Config, a mapping of config-file keys, or the path of a config file."""
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return from_mapping(config)
    return load_config(config)


def check(paths: Iterable[str], config: ConfigLike = None, *, stdin: Stdin | None = None,
          rules: dict[str, RuleMeta] | None = None, baseline: str | os.PathLike[str] | None = None,
          texts: Mapping[str, str | bytes] | None = None, kustomize: Iterable[str] = (),
          build_kustomizations: bool = True) -> Result:
    """Load the paths, build the graph, run the rules. Never raises on bad input
    (a bad config raises ConfigError, an unreadable baseline BaselineError).

    `texts`: file name -> content that is checked instead of what is on disk (an editor's
    unsaved buffer, stdin under a name); the file need not exist. A name that is also
    under one of the paths keeps its place among that folder's files.

    Kustomizations in the input (and the folders in `kustomize`) are built natively and
    their output checked (k8slint.kustomize.inputs); build_kustomizations=False checks
    the files as they are written instead, without the patches (fix edits those files)."""
    # One pause for the whole run: the freeze that ends it (loader.gc_paused) then counts
    # every object the run made, not the load's and the checks' apart (each may stay under
    # the threshold when the whole does not, and the report's first collection would walk
    # every document again).
    with loader.gc_paused(), listing.scope():
        try:
            return _check(paths, as_config(config), stdin, rules, baseline, texts or {}, list(kustomize),
                          build_kustomizations)
        finally:
            frozen = sys.modules.get(f"{__package__}.frozen")     # loaded for large inputs only
            if frozen is not None:
                frozen.forget_all()     # what the run thawed last (read again, it thaws again)


def _check(paths: Iterable[str], config: Config, stdin: Stdin | None, rules: dict[str, RuleMeta] | None,
           baseline: str | os.PathLike[str] | None, texts: Mapping[str, str | bytes], kustomize: list[str],
           build_kustomizations: bool) -> Result:
    """check() inside its pause of the cyclic GC."""
    rules, active = _rules(config, rules)
    paths = list(paths)
    files, errors = loader.discover([p for p in [*paths, *kustomize] if p not in texts])
    files = [f for f in files if not config.excluded(f)]
    on_disk = [f for f in files if f not in texts]
    built = _plan(on_disk, kustomize, config.kustomize_load_restrictor, config.jobs)
    names = files + [name for name in texts if name not in files]
    units = assign_units(names, config.apply_units, config.root, config.one_unit,
                         kustomize_builds=build_kustomizations, named=frozenset(paths) & frozenset(files))
    on_disk = units.loaded(on_disk)
    unlisted: dict[str, Hit] = {}
    if built is not None and build_kustomizations:
        rest = built.remaining(on_disk)
        unlisted = built.spare_patches(rest)
        on_disk = [f for f in rest if f not in unlisted]
    # (sized after the builds took their files: a folder of kustomizations loads few)
    early = _early_plan(config, rules, active, units) if parallel.processes(on_disk, config.jobs) > 1 else None
    if built is not None and not build_kustomizations:
        loaded = parallel.load(built.as_written(on_disk), stdin=stdin, jobs=config.jobs)
    else:
        loaded = parallel.load(on_disk, stdin=stdin, jobs=config.jobs, early=early)
    if built is not None and build_kustomizations:
        built.add_to(loaded)
        for build in built.builds:
            units.for_build(build.folder)
        loaded.hits.extend(unlisted.values())
        units.skipped.update(dict.fromkeys(unlisted, "not listed by its folder's kustomization"))
    loaded.io_errors[:0] = errors
    if texts:
        _add_texts(loaded, files, {n: t for n, t in texts.items() if n not in units.skipped})
    loaded.hits[:0] = units.hits
    _add_skipped(loaded, files, units, built.consumed if built is not None and build_kustomizations else frozenset())
    return _run(loaded, config, rules, active, baseline, units, _read_by_builds(built),
                early if early is not None and (early.files or early.untried) else None)


def _early_plan(config: Config, rules: dict[str, RuleMeta], active: set[str], units: Units) -> Plan:
    """The checks that the parsing workers run (k8slint.early)."""
    from .early import Plan
    return Plan(rules, active, _context_settings(config), units,
                frozenset(c.meta.id for c in config.custom_rules))


def _context_settings(config: Config) -> dict[str, Any]:
    """CheckContext's keywords for this run, but the suppressor."""
    return {"kubernetes_version": config.kubernetes_version, "namespace": config.namespace,
            "options": config.options, "pod_security_level": config.pod_security_level,
            "schema_locations": tuple(config.schema_locations)}


def _plan(files: list[str], explicit: list[str], restrictor: str | None,
          jobs: int | None) -> KustomizeInput | None:
    """The kustomize builds of the input (k8slint.kustomize.inputs.plan), or None when no
    folder of the input holds a kustomization: the build machinery is imported only then.
    `restrictor`: the configured kustomize-load-restrictor; None: as the repository's scripts
    build (k8slint.kustomize.scripts), else LoadRestrictionsRootOnly."""
    folders = {os.path.dirname(f) or "." for f in files if f != "-"}
    if not explicit and not any(_holds_kustomization(folder) for folder in folders):
        return None
    from .kustomize.inputs import plan
    with loader.gc_paused():
        return plan(files, explicit, restrict_loads=restrictor != "LoadRestrictionsNone", jobs=jobs,
                    from_scripts=restrictor is None)


def _holds_kustomization(folder: str) -> bool:
    try:
        return any(name in KUSTOMIZATION_NAMES for name in os.listdir(folder))
    except OSError:
        return False


def _read_by_builds(built: KustomizeInput | None) -> frozenset[str]:
    """Normalized paths of the files the kustomize builds read."""
    if built is None:
        return frozenset()
    return frozenset(os.path.normpath(f) for b in built.builds for f in b.files)


def _add_skipped(loaded: loader.LoadResult, files: list[str], units: Units,
                 consumed: set[str] | frozenset[str] = frozenset()) -> None:
    """Files the unit model does not load (Helm chart files, kustomization files), and files
    a kustomize plan read that no build shows (a Component no kustomization lists), still
    count as read, without documents, in discovery order."""
    if not units.skipped and not consumed:
        return
    unseen = consumed - {os.path.normpath(s.name) for s in loaded.sources} if consumed else consumed
    position = {name: i for i, name in enumerate(files)}
    skipped = [loader.Source(name, None) for name in files
               if name in units.skipped or (unseen and os.path.normpath(name) in unseen)]
    if not skipped:
        return
    loaded.sources[:] = sorted([*loaded.sources, *skipped], key=lambda s: position.get(s.name, len(files)))


def _add_texts(loaded: loader.LoadResult, files: list[str], texts: Mapping[str, str | bytes]) -> None:
    """Put the given texts among the loaded sources, in discovery order."""
    given: dict[str, loader.Source] = {}
    for name, content in texts.items():
        text, problem = loader.decode(name, content) if isinstance(content, bytes) else (content, None)
        source = given[name] = loader.Source(name, text)
        if problem is not None:
            loaded.hits.append(problem)
        if text is not None:
            loaded.hits.extend(loader.parse_source(source))
    position = {name: i for i, name in enumerate(files)}
    order = [*loaded.sources, *given.values()]
    loaded.sources[:] = sorted(order, key=lambda s: position.get(s.name, len(files)))


def check_text(text: str, config: ConfigLike = None, name: str = "-") -> Result:
    """Check a manifest given as text (tests, editors, embedding)."""
    config = as_config(config)
    rules, active = _rules(config, None)
    loaded = loader.LoadResult()
    source = loader.Source(name, text)
    read: frozenset[str] = frozenset()
    if os.path.basename(name) in KUSTOMIZATION_NAMES:
        from .kustomize.inputs import plan_text
        built = plan_text(name, text)
        built.add_to(loaded)
        read = _read_by_builds(built)
    else:
        loaded.sources.append(source)
        loaded.hits.extend(loader.parse_source(source))
    return _run(loaded, config, rules, active, None, single([name]), read)


def _rules(config: Config, rules: dict[str, RuleMeta] | None) -> tuple[dict[str, RuleMeta], set[str]]:
    """This run's rules (built-in, custom, severities replaced) and the active ids."""
    rules = dict(rules if rules is not None else builtin_rules())
    rules.update((c.meta.id, c.meta) for c in config.custom_rules)
    for rule, severity in config.severity.items():
        if rule in rules:
            rules[rule] = replace(rules[rule], severity=severity)
    return rules, engine.select_rules(rules, config.only, config.enable, config.disable)


def _run(loaded: loader.LoadResult, config: Config, rules: dict[str, RuleMeta], active: set[str],
         baseline: str | os.PathLike[str] | None, units: Units,
         read_by_builds: frozenset[str] = frozenset(), early: Plan | None = None) -> Result:
    with loader.gc_paused():
        return _run_checks(loaded, config, rules, active, baseline, units, read_by_builds, early)


def _run_checks(loaded: loader.LoadResult, config: Config, rules: dict[str, RuleMeta], active: set[str],
                baseline: str | os.PathLike[str] | None, units: Units,
                read_by_builds: frozenset[str], early: Plan | None) -> Result:
    from .suppress import Suppressor

    _kustomize_duplicates(loaded, units, read_by_builds)
    graph, hits = graph_mod.build(loaded, config.namespace, units)
    suppressor = Suppressor(graph, loaded.sources, rules, active, config)
    ctx = engine.CheckContext(graph, suppressor=suppressor, **_context_settings(config))
    extra = {c.meta.id: c.spec for c in config.custom_rules}
    jobs = config.jobs if config.jobs is not None else (os.cpu_count() or 1)
    findings = engine.run(ctx, list(loaded.hits) + hits, rules, active, extra=extra, jobs=jobs, early=early)
    findings = dedupe(merge_repeats(placeholders.silence(findings, graph.objects), graph.objects))
    findings = _override(_name_units(findings, units, graph), config)
    suppressed = _override(_name_units(suppressor.suppressed, units, graph), config)
    known: list[Finding] = []
    if baseline is not None:
        from .baseline import split
        findings, known = split(findings, baseline)
    documents = sum(len(s.documents) for s in loaded.sources)
    return Result(findings=findings, files=len(loaded.sources), documents=documents,
                  objects=len(graph.objects), io_errors=loaded.io_errors, graph=graph,
                  sources=loaded.sources, suppressed=suppressed, baselined=known, rules=rules,
                  suppression_reasons=suppressor.reasons)


def _kustomize_duplicates(loaded: loader.LoadResult, units: Units, read_by_builds: frozenset[str]) -> None:
    """A duplicate key is an error in a file kustomize reads: its kyaml (go-yaml v3) refuses
    the file, where kubectl silently keeps the last value (a warning, the rule's default)."""
    for hit in loaded.hits:
        if hit.rule != "yaml-duplicate-key" or hit.file is None or hit.severity is not None:
            continue
        unit = units.of(hit.file)
        if os.path.normpath(hit.file) in read_by_builds or (unit is not None and unit.mode == "kustomization"):
            hit.severity = Severity.ERROR
            hit.message += " (and kustomize builds this file)"


def _name_units(findings: list[Finding], units: Units, graph: graph_mod.Graph) -> list[Finding]:
    """Each finding names its apply unit when the input has several: its object's, which the
    engine recorded (a kustomize build's objects are in the build's unit, and a base's file
    is built by several), else its file's. With one unit, none does: the list is changed in
    place."""
    if not units.several:                  # in place: never two lists of every finding
        for i, finding in enumerate(findings):
            if finding.unit is not None:
                findings[i] = replace(finding, unit=None)
        return findings
    objects: dict[tuple[str, ObjectRef], graph_mod.Object] = {}
    for each in graph.objects:
        objects.setdefault((each.file, each.ref), each)
    named = []
    for finding in findings:
        if finding.unit is not None:
            named.append(finding)
            continue
        obj = objects.get((finding.file, finding.object)) if finding.object is not None else None
        unit = obj.unit if obj is not None and obj.unit is not None else units.of(finding.file)
        named.append(replace(finding, unit=unit.id) if unit is not None else finding)
    return named


def _override(findings: list[Finding], config: Config) -> list[Finding]:
    """Configured severities replace those a check chose for single findings too."""
    if not config.severity:
        return findings
    return [replace(f, severity=config.severity[f.rule])
            if f.rule in config.severity and f.severity != config.severity[f.rule] else f
            for f in findings]


def render(result: Result, fmt: str = "human", *, color: bool = False,
           show_suppressed: bool = False, show_infos: bool = False,
           fail_on: Severity | None = Severity.ERROR) -> str:
    """The result in one of k8slint.report.FORMATS, as the CLI prints it."""
    options = Options(color=color, show_suppressed=show_suppressed, show_infos=show_infos,
                      fail_on=fail_on)
    return render_report(as_report(result), fmt, options)


def as_report(result: Result) -> Report:
    """What the reporters read of a Result."""
    objects = [(o.file, o.ref) for o in (result.graph.objects if result.graph else [])]
    return Report(findings=result.findings, summary=result.summary(), rules=result.rules,
                  suppressed=result.suppressed, reasons=result.suppression_reasons,
                  baselined=len(result.baselined), texts=SourceTexts(result.sources),
                  objects=objects, files=[s.name for s in result.sources])


class SourceTexts(Mapping[str, "str | None"]):
    """file -> its text, read when a reporter asks for it: the loader keeps no text of a
    file it can read again (loader.Source), so the texts are not all in memory at once."""

    def __init__(self, sources: Iterable[Source]) -> None:
        self._sources = {s.name: s for s in sources}

    def __getitem__(self, name: str) -> str | None:
        return self._sources[name].text

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)
