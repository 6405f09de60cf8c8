"""`make bench`: documents per second and peak memory per stage on generated corpora.

Each measurement runs in a fresh process (peak RSS is that stage's own) and is repeated;
the median is printed. Stages:
  compose   PyYAML's C compose_all: the floor that keeps positions
  parse     our loader (parallel on large inputs)
  graph     parse + object graph
  schema    schema validation alone, after parse and graph (issue: schema validation)
  check-j1  the whole `k8slint check` in one process, every built-in rule
  check     the whole `k8slint check` as users run it (default --jobs)
  check-vap check-j1 plus a bundle of 10 ValidatingAdmissionPolicies (bench/policies/
            bundle.yaml) evaluated in CEL over the corpus; the note says what they add
  rules     a profiling run (one process, a timer around every check) for the share of
            check time per rule category; not a timing of its own
plus the wall time of the CLI on one small file, as a pre-commit hook runs it, the
language server's answer time on a 300-line file (didSave to publishDiagnostics, warm), and
the cost of building kustomizations: `check` on a corpus of bases with overlays (kcheck)
against `check` on the same objects already built, as plain files (kplain).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The reference generator our published figures are quoted on; bench/corpus.py otherwise.
REFERENCE = Path(os.environ.get("K8SLINT_GEN_CORPUS", ROOT.parent / "shared" / "bench" / "gen_corpus.py"))
SIZES = (1_000, 10_000, 100_000)
STAGES = ("compose", "parse", "graph", "schema", "check-j1", "check", "check-vap", "rules")
POLICY_BUNDLE = ROOT / "bench" / "policies" / "bundle.yaml"
KUSTOMIZE_APPS = 250         # x 2 overlays x 10 objects: 5,000 built objects
KSTAGES = ("kcheck", "kplain")


def corpus(n: int) -> Path:
    """The corpus of n documents, generated once and cached under bench/out/."""
    folder = OUT / f"corpus-{n}"
    if not (folder / ".complete").exists():
        if REFERENCE.exists():
            subprocess.run([sys.executable, str(REFERENCE), str(folder), str(n)], check=True,
                           stdout=subprocess.DEVNULL)
        else:
            sys.path.insert(0, str(ROOT))
            from bench.corpus import write
            write(str(folder), n)
        (folder / ".complete").write_text("")
    return folder


def kustomize_corpus(apps: int) -> Path:
    """Bases with overlays under sources/, and their built output as plain files under
    built/ (one file per overlay), generated once."""
    folder = OUT / f"kustomize-{apps}"
    if not (folder / ".complete").exists():
        sys.path.insert(0, str(ROOT))
        import yaml

        from bench.corpus import write_kustomize
        from k8slint.kustomize import build
        write_kustomize(str(folder / "sources"), apps)
        (folder / "built").mkdir(parents=True, exist_ok=True)
        for overlay in sorted((folder / "sources").glob("*/overlays/*")):
            result = build(str(overlay))
            name = f"{overlay.parent.parent.name}-{overlay.name}.yaml"
            (folder / "built" / name).write_text(yaml.safe_dump_all([r.data for r in result.resources]))
        (folder / ".complete").write_text("")
    return folder


def stage(name: str, folder: str) -> dict:
    """Run one stage in this process; seconds, documents, peak RSS, per-rule seconds."""
    sys.path.insert(0, str(ROOT))
    files = sorted(str(p) for p in Path(folder).glob("*.yaml"))
    rules: dict[str, float] = {}
    start = time.perf_counter()
    if name in KSTAGES:
        from k8slint import api
        from k8slint.config import Config
        target = Path(folder) / ("sources" if name == "kcheck" else "built")
        result = api.check([str(target)], Config())
        documents = result.objects
    elif name == "compose":
        import yaml
        documents = 0
        for path in files:
            with open(path, encoding="utf-8") as handle:
                documents += sum(1 for _ in yaml.compose_all(handle.read(), Loader=yaml.CSafeLoader))
    elif name in ("parse", "graph", "schema"):
        from k8slint import engine, graph, parallel
        from k8slint.rules import builtin_rules
        loaded = parallel.load(files)
        documents = sum(len(s.documents) for s in loaded.sources)
        if name != "parse":
            built, _ = graph.build(loaded)
        if name == "schema":
            start = time.perf_counter()
            engine.run(engine.CheckContext(built), [], builtin_rules(), {"schema-violation"})
    elif name in ("check", "check-j1", "check-vap", "rules"):
        from k8slint import api, engine
        from k8slint.config import Config
        if name == "rules":
            _time_rules(engine, rules)
        if name == "check-vap":
            files.append(str(POLICY_BUNDLE))
        documents = api.check(files, Config(jobs=None if name == "check" else 1)).documents
    else:
        raise SystemExit(f"unknown stage {name}")
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "documents": documents, "peak_mib": peak_kib / 1024, "rules": rules}


def _time_rules(engine, timings: dict[str, float]) -> None:
    """Wrap every registered check with a timer (profiling only; the engine is untouched)."""
    registry = engine.load_checks()
    for rule, spec in list(registry.items()):
        def timed(*args, _func=spec.func, _rule=rule):
            t0 = time.perf_counter()
            try:
                return list(_func(*args) or ())
            finally:
                timings[_rule] = timings.get(_rule, 0.0) + time.perf_counter() - t0
        registry[rule] = dataclasses.replace(spec, func=timed)


def _bytecode_env() -> dict[str, str]:
    """Installed packages run from compiled bytecode; let these runs write and use it too."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(name: str, folder: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--stage", name, str(folder)],
                             check=True, capture_output=True, text=True, env=_bytecode_env()).stdout
        runs.append(json.loads(out))
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return dict(middle, seconds=statistics.median(r["seconds"] for r in runs))


def one_file_ms(repeat: int = 7) -> float:
    """Median wall time of `k8slint check` on the demo file (after one warm-up run)."""
    target = ROOT / "fixtures" / "demo" / "web.yaml"
    exe = Path(sys.executable).parent / "k8slint"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "k8slint"]
    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        subprocess.run(command + ["check", str(target)], capture_output=True, env=_bytecode_env())
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:]) * 1000


LSP_DOCUMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{app: app-{i}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example/app-{i}:1.0.{i}
          ports: [{{name: http, containerPort: 8080}}]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 128Mi}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{port: 80, targetPort: http}}]
---
"""


def lsp_ms(repeat: int = 15, lines: int = 300) -> tuple[float, int]:
    """Median milliseconds from didSave to publishDiagnostics for a `lines`-line file, after
    the first diagnostics (a warm server); and the file's line count."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from k8slint.lsp.client import Client

    text = ""
    i = 0
    while text.count("\n") < lines:
        text += LSP_DOCUMENT.format(i=i)
        i += 1
    text = "\n".join(text.splitlines()[:lines]) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "app.yaml"
        path.write_text(text)
        client = Client(folder)
        try:
            client.request("initialize", {"processId": None, "capabilities": {}}, timeout=60)
            client.notify("initialized", {})
            uri = path.as_uri()
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
            client.diagnostics(uri, timeout=30)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
                client.diagnostics(uri, timeout=30)
                times.append(time.perf_counter() - t0)
        finally:
            client.close()
    return statistics.median(times) * 1000, text.count("\n")


def category_share(rules: dict[str, float], total: float) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from k8slint.rules import builtin_rules
    metas = builtin_rules()
    share: dict[str, float] = {}
    for rule, seconds in rules.items():
        category = metas[rule].category if rule in metas else "custom"
        share[category] = share.get(category, 0.0) + seconds
    return {c: 100 * s / total for c, s in sorted(share.items(), key=lambda kv: -kv[1])}


def report(n: int, results: dict[str, dict]) -> None:
    floor = results["compose"]["seconds"] if "compose" in results else None
    for name, r in results.items():
        note = "" if name == "compose" or floor is None else f"{r['seconds'] / floor:.2f}x compose"
        if name == "schema":
            note = f"+{100 * r['seconds'] / results['parse']['seconds']:.0f}% of parse time"
        if name == "check-vap" and "check-j1" in results:
            note = f"10 policies add {100 * (r['seconds'] / results['check-j1']['seconds'] - 1):.0f}% to check-j1"
        if name == "rules":
            share = category_share(r["rules"], r["seconds"])
            wiring = share.get("selector", 0) + share.get("reference", 0)
            note = (f"profiling run; selector+reference {wiring:.1f}% of check; by category: "
                    + ", ".join(f"{c} {p:.0f}%" for c, p in share.items() if p >= 0.5))
        print(f"{n:>7} {name:<8} {r['seconds']:>8.2f} {r['documents'] / r['seconds']:>9.0f} "
              f"{r['peak_mib']:>9.0f}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", choices=STAGES + KSTAGES)
    parser.add_argument("--kustomize-only", action="store_true",
                        help="Only the kustomize build cost (kcheck against kplain).")
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated subset")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.folder)))
        return
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"median of {args.repeat} runs (1 for 100k)")
    print(f"{'docs':>7} {'stage':<8} {'seconds':>8} {'docs/s':>9} {'peak MiB':>9}  notes")
    checks: dict[int, float] = {}
    for n in (() if args.kustomize_only else (int(s) for s in args.sizes.split(","))):
        folder = corpus(n)
        repeat = 1 if n >= 100_000 else args.repeat
        stages = [s for s in STAGES if s in args.stages.split(",")]
        results = {name: measure(name, folder, 1 if name == "rules" else repeat) for name in stages}
        report(n, results)
        if "check" in results:
            checks[n] = results["check"]["seconds"]
    if 10_000 in checks and 100_000 in checks:
        print(f"linearity: 100k check / 10k check = {checks[100_000] / checks[10_000]:.1f}x")
    kustomize_report(kustomize_corpus(KUSTOMIZE_APPS), args.repeat)
    if args.kustomize_only:
        return
    print(f"one small file, CLI wall time: {one_file_ms():.0f} ms (median of 7)")
    ms, lines = lsp_ms()
    print(f"language server, {lines}-line file, save to diagnostics (warm): {ms:.0f} ms (median of 15)")


def kustomize_report(folder: Path, repeat: int) -> None:
    """check on bases and overlays (built natively) against check on the built output."""
    built = measure("kcheck", folder, repeat)
    plain = measure("kplain", folder, repeat)
    for name, r in (("kcheck", built), ("kplain", plain)):
        print(f"{r['documents']:>7} {name:<8} {r['seconds']:>8.2f} {r['documents'] / r['seconds']:>9.0f} "
              f"{r['peak_mib']:>9.0f}  " + ("" if name == "kplain" else
              f"{KUSTOMIZE_APPS} bases x 2 overlays; building adds "
              f"{100 * (built['seconds'] - plain['seconds']) / plain['seconds']:.0f}% to check time"))


if __name__ == "__main__":
    main()
