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
plus the wall time of the CLI on one small file, as a pre-commit hook runs it (cold, and
resident: `check --resident` answered by a warm server; with the import time of the cold
run by package, from `python -X importtime`), the language server's answer time on a
300-line file (didSave to publishDiagnostics, warm), and
the cost of building kustomizations: `check` on a corpus of bases with overlays (kcheck)
against `check` on the same objects already built, as plain files (kplain).

With KUBECONFORM pointing at a kubeconform binary, the CLI `k8slint check` and
`kubeconform -n 2 -strict` run side by side (alternating, median) on each corpus and on the
small file, with k8slint's bundled schemas written in kubeconform's layout
(bench/kubeconform_schemas.py), so neither reads the network. Wall time and CPU time
(user + system) are both shown: on a shared machine the CPU time is the steadier figure.
BENCH_SIZES (comma-separated) replaces the corpus sizes: BENCH_SIZES=10000,100000,1000000.

The CLI runs are those of a normal install, as users get it (not this checkout's editable
install, whose import finder alone costs some 27 ms a start): `pip install --no-deps .`
into a venv under bench/out/user-install, bytecode compiled as pip does, dependencies
from this venv through a .pth line (see user_install). `--one-file-only` prints only the
one-small-file lines.
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
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(","))
ONE_FILE = ROOT / "fixtures" / "demo" / "web.yaml"
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
    cpu_before = sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                     for field in ("ru_utime", "ru_stime"))
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
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime - cpu_before
    return {"seconds": seconds, "cpu": cpu, "documents": documents, "peak_mib": own.ru_maxrss / 1024,
            "rules": rules}


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


USER_INSTALL = OUT / "user-install"


def _source_key() -> str:
    """The newest modification time of what the install is built from (to rebuild it when
    the checkout changes)."""
    newest = max(p.stat().st_mtime_ns for folder in ("k8slint", "rules", "schemas")
                 for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return f"{newest} {(ROOT / 'pyproject.toml').stat().st_mtime_ns} {sys.executable}"


def user_install() -> Path:
    """The `k8slint` console script of a normal install, as users get it: a venv under
    bench/out/ into which pip installs this checkout (not editable: no import finder in a
    .pth file), bytecode compiled as pip does. Offline: the wheel is built with this venv's
    setuptools (--no-build-isolation) and the dependencies are this venv's, reached through
    a .pth line naming its site-packages (a path entry only: its .pth files, the editable
    finder among them, are not run). Rebuilt when the checkout changes."""
    import sysconfig

    key = _source_key()
    stamp = USER_INSTALL / ".source-key"
    script = USER_INSTALL / "bin" / "k8slint"
    if stamp.exists() and stamp.read_text() == key and script.exists():
        return script
    import shutil
    shutil.rmtree(USER_INSTALL, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(USER_INSTALL)], check=True)
    python = USER_INSTALL / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(purelib) / "_k8slint_bench_dependencies.pth").write_text("".join(f"{p}\n" for p in ours))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--no-index",
                    str(ROOT)], check=True, cwd=ROOT)
    stamp.write_text(key)
    return script


def k8slint_command(target: Path, *flags: str) -> list[str]:
    """`k8slint check` of the user install (see user_install)."""
    return [str(user_install()), "check", *flags, str(target)]


def kubeconform_command(target: Path) -> list[str] | None:
    """kubeconform as the comparison runs it, or None without KUBECONFORM."""
    binary = os.environ.get("KUBECONFORM")
    if not binary:
        return None
    sys.path.insert(0, str(ROOT))
    from bench.kubeconform_schemas import TEMPLATE, write
    schemas = OUT / "kubeconform-schemas"
    if not (schemas / ".complete").exists():
        write(schemas)
        (schemas / ".complete").write_text("")
    return [binary, "-n", "2", "-strict", "-summary", "-schema-location", f"{schemas}/{TEMPLATE}", str(target)]


@dataclasses.dataclass(frozen=True)
class Run:
    wall: float          # seconds
    cpu: float           # seconds of user + system time, children included
    peak_mib: float


def run_once(command: list[str]) -> Run:
    """One run of `command`, its output dropped."""
    t0 = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=_bytecode_env())
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return Run(time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def side_by_side(commands: list[list[str]], repeat: int, pause: float = 0.0) -> list[Run]:
    """Median wall, CPU and peak RSS of each command, run in turn `repeat` times after one
    warm-up round (alternating, so a busy machine weighs on all of them alike), `pause`
    seconds before each run (what one run leaves running, such as the resident server's
    next spare warming up, does not weigh on the next)."""
    runs: list[list[Run]] = [[] for _ in commands]
    for round_ in range(repeat + 1):
        for i, command in enumerate(commands):
            time.sleep(pause)
            result = run_once(command)
            if round_ or repeat == 1:
                runs[i].append(result)
    return [Run(statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs),
                statistics.median(r.peak_mib for r in rs)) for rs in runs]


def one_file_ms(repeat: int = 7, *flags: str) -> float:
    """Median wall time of `k8slint check` on the demo file (after one warm-up run)."""
    return side_by_side([k8slint_command(ONE_FILE, *flags)], repeat)[0].wall * 1000


def import_breakdown(top: int = 6) -> list[tuple[str, float]]:
    """Milliseconds of import time of one small-file check (user install, cold) by top-level
    package: the self time of each module (`python -X importtime`) summed over the package's
    modules."""
    script = user_install()
    process = subprocess.run([str(script.parent / "python"), "-X", "importtime", str(script), "check",
                              "--no-resident", str(ONE_FILE)], capture_output=True, text=True, env=_bytecode_env())
    by_package: dict[str, float] = {}
    for line in process.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[1].strip().isdigit():
            self_us = parts[0].removeprefix("import time:").strip()
            package = parts[2].strip().split(".")[0]
            by_package[package] = by_package.get(package, 0.0) + int(self_us) / 1000
    ranked = sorted(by_package.items(), key=lambda kv: -kv[1])
    return [*ranked[:top], ("other", sum(ms for _, ms in ranked[top:])), ("total", sum(by_package.values()))]


PAUSE = 0.3       # seconds between the one-file runs (a hook runs seconds apart at most)


def one_file_report(repeat: int = 7) -> None:
    """The CLI on one small file, as a pre-commit hook runs it: cold (a new process that
    imports everything) and resident (`--resident`: a client handing the run to a warm
    server), each beside kubeconform when KUBECONFORM is set (alternating runs, median)."""
    script = user_install()
    theirs = kubeconform_command(ONE_FILE)
    print(f"one small file ({ONE_FILE.relative_to(ROOT)}), user install, median of {repeat} alternating "
          f"runs {PAUSE}s apart, load average {os.getloadavg()[0]:.2f} before:")
    try:
        for mode, flags in (("cold", ("--no-resident",)), ("resident", ("--resident",))):
            if mode == "resident":
                subprocess.run([str(script), "server", "start"], check=True, env=_bytecode_env(),
                               stdout=subprocess.DEVNULL)
            commands = [k8slint_command(ONE_FILE, *flags), *([theirs] if theirs else [])]
            runs = side_by_side(commands, repeat, pause=PAUSE)
            line = f"  {mode:<9} k8slint {runs[0].wall * 1000:>5.0f} ms (cpu {runs[0].cpu * 1000:>4.0f} ms)"
            if theirs:
                line += (f"  kubeconform {runs[1].wall * 1000:>4.0f} ms (cpu {runs[1].cpu * 1000:>3.0f} ms)"
                         f"  wall ratio {runs[0].wall / runs[1].wall:.2f}x")
            if mode == "cold":
                line += "; import time by package: " + ", ".join(
                    f"{name} {ms:.0f} ms" for name, ms in import_breakdown())
            print(line)
    finally:
        subprocess.run([str(script), "server", "stop"], env=_bytecode_env(), stdout=subprocess.DEVNULL)
    print(f"  load average {os.getloadavg()[0]:.2f} after")


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
    parser.add_argument("--one-file-only", action="store_true",
                        help="Only the one-small-file lines (cold and resident, beside kubeconform).")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.folder)))
        return
    if args.one_file_only:
        one_file_report(max(args.repeat, 7))
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
    if 100_000 in checks and 1_000_000 in checks:
        print(f"linearity: 1M check / 100k check = {checks[1_000_000] / checks[100_000]:.1f}x")
    kustomize_report(kustomize_corpus(KUSTOMIZE_APPS), args.repeat)
    if args.kustomize_only:
        return
    kubeconform_report([n for n in (int(s) for s in args.sizes.split(",")) if n <= 100_000])
    one_file_report()
    ms, lines = lsp_ms()
    print(f"language server, {lines}-line file, save to diagnostics (warm): {ms:.0f} ms (median of 15)")


def kubeconform_report(sizes: list[int], repeat: int = 7) -> None:
    """The CLI against kubeconform on each corpus and the small file (KUBECONFORM only)."""
    if kubeconform_command(ONE_FILE) is None:
        print("kubeconform: not compared (set KUBECONFORM to a kubeconform binary)")
        return
    print(f"{'CLI on':>12} {'k8slint wall':>12} {'cpu':>6} {'MiB':>5} {'kubeconform wall':>16} {'cpu':>6} "
          f"{'MiB':>5} {'wall ratio':>10} {'cpu ratio':>9}  (kubeconform -n 2 -strict; median of "
          f"{repeat} alternating runs, 1 for 100k)")
    targets = [(f"{n} docs", corpus(n), repeat if n <= 10_000 else 1) for n in sizes]
    for label, target, times in targets:
        command = kubeconform_command(target)
        assert command is not None
        ours, theirs = side_by_side([k8slint_command(target), command], times)
        print(f"{label:>12} {ours.wall:>12.3f} {ours.cpu:>6.2f} {ours.peak_mib:>5.0f} {theirs.wall:>16.3f} "
              f"{theirs.cpu:>6.2f} {theirs.peak_mib:>5.0f} {ours.wall / theirs.wall:>9.2f}x "
              f"{ours.cpu / theirs.cpu:>8.2f}x")


KUSTOMIZE_REPEAT = 7          # alternating pairs: drift on a shared machine hits both alike


def kustomize_report(folder: Path, repeat: int) -> None:
    """check on bases and overlays (built natively) against check on the built output, in
    alternating runs (kcheck, kplain, kcheck, ...); wall and CPU (this process and its
    workers) are the medians of each."""
    runs: dict[str, list[dict]] = {name: [] for name in KSTAGES}
    for _ in range(max(repeat, KUSTOMIZE_REPEAT)):
        for name in KSTAGES:
            runs[name].append(measure(name, folder, 1))
    median = {name: {key: statistics.median(r[key] for r in rs) for key in ("seconds", "cpu")}
              for name, rs in runs.items()}
    built, plain = median["kcheck"], median["kplain"]
    for name in KSTAGES:
        r = dict(runs[name][0], **median[name])
        note = "" if name == "kplain" else (
            f"{KUSTOMIZE_APPS} bases x 2 overlays; building adds "
            f"{100 * (built['seconds'] - plain['seconds']) / plain['seconds']:.0f}% to check time "
            f"({100 * (built['cpu'] - plain['cpu']) / plain['cpu']:.0f}% CPU; median of "
            f"{len(runs[name])} alternating runs)")
        print(f"{r['documents']:>7} {name:<8} {r['seconds']:>8.2f} {r['documents'] / r['seconds']:>9.0f} "
              f"{r['peak_mib']:>9.0f}  {note}")

if __name__ == "__main__":
    main()
