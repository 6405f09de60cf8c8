"""The library entry points: check(paths) -> Result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from . import engine, graph as graph_mod, loader
from .config import Config
from .model import Finding, Severity
from .rules import RuleMeta, builtin_rules


@dataclass
class Result:
    findings: list[Finding]
    files: int
    documents: int
    objects: int
    io_errors: list[str] = field(default_factory=list)
    graph: Any = None                 # k8slint.graph.Graph
    sources: list[Any] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "documents": self.documents, "objects": self.objects,
                "errors": self.count(Severity.ERROR), "warnings": self.count(Severity.WARNING),
                "infos": self.count(Severity.INFO)}

    def failed(self, threshold: Severity | None) -> bool:
        return threshold is not None and any(f.severity >= threshold for f in self.findings)


def check(paths: Iterable[str], config: Config | None = None, *, stdin: Any = None,
          rules: dict[str, RuleMeta] | None = None) -> Result:
    """Load the paths, build the graph, run the rules. Never raises on bad input."""
    config = config or Config()
    rules = rules if rules is not None else builtin_rules()
    active = engine.select_rules(rules, config.only, config.enable, config.disable)
    loaded = loader.load(paths, stdin=stdin)
    return _run(loaded, config, rules, active)


def check_text(text: str, config: Config | None = None, name: str = "-") -> Result:
    """Check a manifest given as text (tests, editors, embedding)."""
    config = config or Config()
    rules = builtin_rules()
    active = engine.select_rules(rules, config.only, config.enable, config.disable)
    loaded = loader.LoadResult()
    source = loader.Source(name, text)
    loaded.sources.append(source)
    loaded.hits.extend(loader.parse_source(source))
    return _run(loaded, config, rules, active)


def _run(loaded: loader.LoadResult, config: Config, rules: dict[str, RuleMeta], active: set[str]) -> Result:
    graph, hits = graph_mod.build(loaded, config.namespace)
    ctx = engine.Context(kubernetes_version=config.kubernetes_version, namespace=config.namespace,
                         options=config.options, pod_security_level=config.pod_security_level)
    findings = engine.run(graph, list(loaded.hits) + hits, rules, active, ctx)
    documents = sum(len(s.documents) for s in loaded.sources)
    return Result(findings=findings, files=len(loaded.sources), documents=documents,
                  objects=len(graph.objects), io_errors=loaded.io_errors, graph=graph,
                  sources=loaded.sources)
