"""`make bench`: documents per second and peak memory per stage on generated corpora.

Each measurement runs in a fresh process (so peak RSS is that stage's own) and is repeated;
the median is printed. Stages: compose (PyYAML's C compose_all: the floor), parse (our
loader), graph (parse + object graph), check (the whole `k8slint check`, every built-in rule),
and the share of check time spent in each rule category. Also the wall time of the CLI on
one small file (pre-commit runs it per commit).
"""

from __future__ import annotations

import argparse
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
REFERENCE = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
SIZES = (1_000, 10_000, 100_000)


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


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.yaml"))


def stage(name: str, folder: str) -> dict:
    """Run one stage in this process; returns seconds, documents, peak RSS and rule timings."""
    sys.path.insert(0, str(ROOT))
    files = _files(Path(folder))
    timings: dict[str, float] = {}
    start = time.perf_counter()
    if name == "compose":
        import yaml
        documents = 0
        for path in files:
            with open(path, encoding="utf-8") as handle:
                documents += sum(1 for _ in yaml.compose_all(handle.read(), Loader=yaml.CSafeLoader))
    elif name == "parse":
        from k8slint import loader
        documents = sum(len(s.documents) for s in loader.load(files).sources)
    elif name == "graph":
        from k8slint import graph, loader
        loaded = loader.load(files)
        graph.build(loaded)
        documents = sum(len(s.documents) for s in loaded.sources)
    elif name == "check":
        from k8slint import api, engine
        _time_rules(engine, timings)
        documents = api.check(files).documents
    else:
        raise SystemExit(f"unknown stage {name}")
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "documents": documents, "peak_mib": peak_kib / 1024, "rules": timings}


def _time_rules(engine, timings: dict[str, float]) -> None:
    """Wrap every registered check with a timer (bench only; the engine stays untouched)."""
    import dataclasses

    registry = engine.load_checks()
    for rule, spec in list(registry.items()):
        def timed(*args, _func=spec.func, _rule=rule):
            t0 = time.perf_counter()
            try:
                return list(_func(*args) or ())
            finally:
                timings[_rule] = timings.get(_rule, 0.0) + time.perf_counter() - t0
        registry[rule] = dataclasses.replace(spec, func=timed)


def measure(name: str, folder: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--stage", name, str(folder)],
                             check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    return best


def one_file_ms(repeat: int = 7) -> float:
    target = ROOT / "fixtures" / "demo" / "web.yaml"
    exe = Path(sys.executable).parent / "k8slint"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "k8slint"]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command + ["check", str(target)], capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def category_share(rules: dict[str, float], total: float) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from k8slint.rules import builtin_rules
    metas = builtin_rules()
    share: dict[str, float] = {}
    for rule, seconds in rules.items():
        category = metas[rule].category if rule in metas else "?"
        share[category] = share.get(category, 0.0) + seconds
    return {c: 100 * s / total for c, s in sorted(share.items(), key=lambda kv: -kv[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage")
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.folder)))
        return
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"median of {args.repeat} runs (1 for 100k)")
    print(f"{'docs':>7} {'stage':<8} {'seconds':>8} {'docs/s':>9} {'peak MiB':>9}  notes")
    for n in (int(s) for s in args.sizes.split(",")):
        folder = corpus(n)
        repeat = 1 if n >= 100_000 else args.repeat
        results = {name: measure(name, folder, repeat) for name in ("compose", "parse", "graph", "check")}
        floor = results["compose"]["seconds"]
        for name, r in results.items():
            note = ""
            if name != "compose":
                note = f"{r['seconds'] / floor:.2f}x compose"
            if name == "check":
                share = category_share(r["rules"], r["seconds"])
                note += "; rules by category: " + ", ".join(f"{c} {p:.0f}%" for c, p in share.items() if p >= 0.5)
            print(f"{n:>7} {name:<8} {r['seconds']:>8.2f} {r['documents'] / r['seconds']:>9.0f} "
                  f"{r['peak_mib']:>9.0f}  {note}")
    print(f"one small file, CLI wall time: {one_file_ms():.0f} ms (median of 7)")



# --- schema stage (issue 3: schema validation) -------------------------------------------------
# Validation alone, after parse and graph, so its cost can be compared with parsing: the
# target is less than 30% of parse time. Runs after the stages above, one line per size.
_base_stage, _base_main = stage, main


def stage(name: str, folder: str) -> dict:  # noqa: F811 - extends the stage list above
    if name != "schema":
        return _base_stage(name, folder)
    sys.path.insert(0, str(ROOT))
    from k8slint import engine, graph, loader
    from k8slint.resources import data_dir
    from k8slint.rules import parse_rule
    files = _files(Path(folder))
    start = time.perf_counter()
    loaded = loader.load(files)
    parse_seconds = time.perf_counter() - start
    built, _ = graph.build(loaded)
    meta_file = data_dir("rules") / "schema-violation.yaml"
    rules = {"schema-violation": parse_rule(meta_file.read_text(encoding="utf-8"), str(meta_file))}
    start = time.perf_counter()
    found = engine.run(built, [], rules, {"schema-violation"}, engine.Context())
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "documents": sum(len(s.documents) for s in loaded.sources),
            "peak_mib": peak_kib / 1024, "rules": {}, "parse_seconds": parse_seconds,
            "findings": len(found)}


def main() -> None:  # noqa: F811 - the base report, then the schema stage
    _base_main()
    if "--stage" in sys.argv:
        return
    sizes = SIZES
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--sizes"):
            sizes = tuple(int(s) for s in (arg.split("=", 1)[1] if "=" in arg else sys.argv[i + 1]).split(","))
    for n in sizes:
        r = measure("schema", corpus(n), 1 if n >= 100_000 else 3)
        print(f"{n:>7} {'schema':<8} {r['seconds']:>8.2f} {r['documents'] / r['seconds']:>9.0f} "
              f"{r['peak_mib']:>9.0f}  schema validation alone: +{100 * r['seconds'] / r['parse_seconds']:.0f}% "
              f"of parse ({r['parse_seconds']:.2f} s), {r['findings']} findings")


if __name__ == "__main__":
    main()
