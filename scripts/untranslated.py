"""English left in Korean output: runs of three or more English words.

    python scripts/untranslated.py FILE...                 # or the text on stdin
    python scripts/untranslated.py --run check --lang ko fixtures/broken
    python scripts/untranslated.py --run explain --lang ko fixtures/demo/web.yaml

Prints each offending line (`line N: the English run | the line`) and exits 1 when there
is one. Before counting, what is English on purpose is taken out: text in backticks and
quotes, command lines (k8slint, kubectl, helm...), paths, field paths, rule ids, labels,
numbers, camelCase and ALL-CAPS words (readinessProbe, CrashLoopBackOff, SIGTERM), and
the API words Korean engineers keep in English (ALLOWED: kinds, states, components,
tools). Whatever three or more English words remain side by side (only spaces and
punctuation between them) is an untranslated sentence. Hangul ends a run, so a
particle after an API word ("Pod가") is Korean.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Sequence

RUN = 3                                  # this many English words side by side
ALLOWED = frozenset(w.lower() for w in """
    Pod Pods Service Services Deployment Deployments ReplicaSet ReplicaSets StatefulSet
    StatefulSets DaemonSet DaemonSets Job Jobs CronJob CronJobs ConfigMap ConfigMaps Secret
    Secrets Ingress Ingresses IngressClass PersistentVolumeClaim PersistentVolumeClaims
    PersistentVolume StorageClass HorizontalPodAutoscaler PodDisruptionBudget Namespace
    Namespaces ServiceAccount NetworkPolicy EndpointSlice EndpointSlices Endpoints Node Nodes
    Role ClusterRole RoleBinding ClusterRoleBinding LimitRange ResourceQuota PriorityClass
    CustomResourceDefinition Event Lease Gateway HTTPRoute GRPCRoute List
    Pending Running Ready NotReady Succeeded Failed Unknown Terminating Completed Evicted
    CrashLoopBackOff ImagePullBackOff ErrImagePull ContainerCreating FailedCreate
    ProgressDeadlineExceeded OOMKilled Error BestEffort Burstable Guaranteed
    Always Never OnFailure IfNotPresent ClusterIP NodePort LoadBalancer ExternalName
    Recreate RollingUpdate OrderedReady Parallel Retain Delete Indexed NonIndexed
    ReadWriteOnce ReadWriteMany ReadOnlyMany ReadWriteOncePod Local Cluster
    kubelet kubectl kustomize kustomization kustomizations Helm helm etcd CoreDNS kpt kubeadm
    kubeconfig skaffold kind k3d kops eksctl pip pygls Docker GitHub Tilt chainsaw kyverno kuttl
    k8slint Kubernetes YAML Yaml JSON TOML UTF SARIF CEL DNS TCP UDP HTTP HTTPS gRPC PodSecurity
    baseline restricted privileged fail-on
    """.split())
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_QUOTED = re.compile(r"`[^`\n]*`|\"[^\"\n]*\"|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])|“[^”\n]*”")
_COMMAND_WORDS = ("check explain rules show fix diff test lsp template apply install build get "
                  "describe delete rollout scale drain cron").split()
_COMMAND = re.compile(
    r"\b(?:k8slint|kubectl|helm|kustomize|pip)"
    r"(?:[ ]+(?:-{1,2}[A-Za-z][A-Za-z0-9_-]*|[A-Za-z0-9._/:=\[\]*{}'|-]*[./:=\[\]*{}'|-][A-Za-z0-9._/:=\[\]*{}'|-]*"
    r"|[A-Z][A-Z_|]+|" + "|".join(_COMMAND_WORDS) + r"|-|\|)(?![A-Za-z]))+")
_WORD = re.compile(r"[A-Za-z][a-z]*(?:'[a-z]+)?")       # a plain English word, maybe "it's"
_TRIM = ",.;:!?()[]"


def _kind(token: str) -> str:
    """"word" (counts), "neutral" (skipped: identifiers, API words), "break" (ends a run)."""
    core = token.strip(_TRIM)
    if not core:
        return "break" if token.strip() else "neutral"
    if not core.isascii():
        return "break"                              # Hangul or other non-English text
    if not _WORD.fullmatch(core):
        return "neutral"                            # paths, ids, numbers, rule-ids, x=y
    if core.lower() in ALLOWED or core.isupper() and len(core) > 1:
        return "neutral"
    if any(c.isupper() for c in core[1:]):
        return "neutral"                            # camelCase: a field or a reason
    return "word"


def english_runs(line: str) -> list[str]:
    """The runs of RUN or more English words of one line of output."""
    text = _COMMAND.sub(" ", _QUOTED.sub(" ", _ANSI.sub("", line)))
    runs: list[str] = []
    current: list[str] = []
    for token in text.split():
        kind = _kind(token)
        if kind == "word":
            current.append(token.strip(_TRIM))
            continue
        if kind == "break":
            if len(current) >= RUN:
                runs.append(" ".join(current))
            current = []
    if len(current) >= RUN:
        runs.append(" ".join(current))
    return runs


# A source excerpt under a finding (`  12 | text`, `     |   ^`): the manifest's own text.
_EXCERPT = re.compile(r"^\s*\d*\s\|(?:\s|$)")


def untranslated(text: str) -> list[tuple[int, str, str]]:
    """(line number, first English run, line) of every line with one."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _EXCERPT.match(_ANSI.sub("", line)):
            continue
        runs = english_runs(line)
        if runs:
            found.append((number, runs[0], line))
    return found


def run_k8slint(args: Sequence[str], env: dict[str, str] | None = None) -> str:
    """stdout and stderr of `python -m k8slint ARGS`."""
    done = subprocess.run([sys.executable, "-m", "k8slint", *args], capture_output=True, text=True,
                          env=env, check=False)
    return done.stdout + done.stderr


def report(found: Iterable[tuple[int, str, str]]) -> int:
    """Print the offending lines; how many there were."""
    count = 0
    for number, run, line in found:
        print(f"line {number}: {run!r} | {line.strip()}")
        count += 1
    return count


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["--run"]:
        text = run_k8slint(argv[1:])
    elif argv:
        text = "".join(open(path, encoding="utf-8").read() for path in argv)
    else:
        text = sys.stdin.read()
    return 1 if report(untranslated(text)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
