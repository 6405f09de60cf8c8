"""What rules say is sourced and true (issue #25).

- Every rule names its sources: Kubernetes source files and functions, or kubernetes.io
  pages; `rules show` and docs/rules.md print them.
- The API server does not validate a StatefulSet's pod spec: ValidateStatefulSetSpec
  (pkg/apis/apps/validation/validation.go) calls ValidatePodTemplateSpecForStatefulSet,
  which checks the template's labels and annotations only ("TODO: Add validation for
  PodSpec"), plus restartPolicy Always and no activeDeadlineSeconds. So a pod-template
  problem the API server rejects in a Deployment is accepted in a StatefulSet, and then
  every pod creation fails (FailedCreate). No message and no rule text may claim the
  StatefulSet is rejected for it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from k8slint.api import check_text
from k8slint.cli import main
from k8slint.config import Config
from k8slint.rules import builtin_rules

RULES = builtin_rules()
SOURCE = re.compile(r"^(https://\S+|"
                    r"(kubernetes|kubernetes-sigs|google|go-yaml|helm)/[-\w.]+ \S+\.\w+( \(.+\))?)$")


# --- sources ---------------------------------------------------------------------------
@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_names_its_sources(rule):
    sources = RULES[rule].sources
    assert sources, f"{rule}: no sources (a Kubernetes source file and function, or a kubernetes.io page)"
    for source in sources:
        assert SOURCE.match(source), f"{rule}: source {source!r} is neither a page nor 'repo path (function)'"


def test_rules_show_prints_the_sources():
    result = CliRunner().invoke(main, ["rules", "show", "probe-named-port-missing"])
    assert result.exit_code == 0, result.output
    assert "Sources:" in result.output
    for source in RULES["probe-named-port-missing"].sources:
        assert source in result.output


def test_docs_list_the_sources():
    import pathlib

    docs = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    for meta in RULES.values():
        section = docs.split(f"\n### {meta.id}\n", 1)[1].split("\n### ", 1)[0]
        assert "**Sources.**" in section, meta.id
        for source in meta.sources:
            assert source in section, f"{meta.id}: {source} not in docs/rules.md"


# --- StatefulSets are not rejected for their pod template ------------------------------
# Rules whose StatefulSet rejection is real: fields ValidateStatefulSetSpec checks.
_STATEFULSET_REJECTED = {"restart-policy-controller", "pod-active-deadline", "workload-selector-mismatch",
                         "object-name", "label-syntax", "annotation-syntax", "statefulset-service-invalid",
                         "schema-violation", "yaml-string-trap", "rolling-update-budget-invalid"}
# Rules that say the API server rejects a pod-template problem (pods and other workloads).
_POD_TEMPLATE_REJECTIONS = {"container-name", "volume-name", "volume-mount-unknown", "env-name", "port-name",
                            "probe-invalid", "init-container-probe", "lifecycle-hook-invalid",
                            "resource-request-above-limit", "resource-extended-limit", "resource-name-invalid",
                            "resource-quantity-invalid", "image-invalid", "value-unsupported"}
# Fields of a StatefulSet's template the API server does check (ValidateStatefulSetSpec).
_STS_VALIDATED = ("spec.template.spec.restartPolicy", "spec.template.spec.activeDeadlineSeconds",
                  "spec.template.metadata")
_REJECTS = re.compile(r"\b(API server|apiserver) (rejects|refuses)\b|\brejected by the API server\b")


def _as_statefulset(doc: Any) -> Any | None:
    """An apps/v1 Deployment turned into the StatefulSet with the same pod template."""
    if not (isinstance(doc, dict) and doc.get("kind") == "Deployment" and doc.get("apiVersion") == "apps/v1"):
        return None
    spec = dict(doc.get("spec") or {})
    spec.pop("strategy", None)
    spec.pop("progressDeadlineSeconds", None)
    spec["serviceName"] = "headless"
    return {**doc, "kind": "StatefulSet", "spec": spec}


def _statefulset_cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for meta in RULES.values():
        if meta.id in _STATEFULSET_REJECTED:
            continue
        for example in meta.examples:
            if not example.expect or example.options.get("filename"):
                continue
            try:
                docs = list(yaml.safe_load_all(example.manifest))
            except yaml.YAMLError:
                continue
            converted = [_as_statefulset(d) for d in docs]
            if any(converted):
                text = yaml.safe_dump_all([c or d for c, d in zip(converted, docs, strict=True)], sort_keys=False)
                original = yaml.safe_dump_all(docs, sort_keys=False)
                cases.append((meta.id, example.name, original, text))
    return cases


STS_CASES = _statefulset_cases()


@pytest.mark.parametrize("rule, name, original, manifest", STS_CASES, ids=[f"{c[0]}: {c[1]}" for c in STS_CASES])
def test_statefulset_pod_template_problems_say_failed_create(rule, name, original, manifest):
    """The same pod template in a Deployment and in a StatefulSet: where the Deployment is
    rejected, the StatefulSet is accepted and its pods are not created."""
    rejected = {(f.path, f.line) for f in check_text(original, Config(only=[rule]), "deploy.yaml").findings
                if f.object is not None and f.object.kind == "Deployment" and _REJECTS.search(f.message)}
    for finding in check_text(manifest, Config(only=[rule]), "sts.yaml").findings:
        if finding.object is None or finding.object.kind != "StatefulSet" or not finding.path:
            continue
        if not finding.path.startswith("spec.template.") or finding.path.startswith(_STS_VALIDATED):
            continue
        assert not _REJECTS.search(finding.message), \
            f"{rule}: a StatefulSet is accepted with a bad pod spec, yet: {finding.message}"
        if any(path == finding.path for path, _ in rejected):
            assert "FailedCreate" in finding.message, f"{rule}: {finding.message}"


def test_some_statefulset_cases_exist():
    """The conversion finds pod-template rules (guards the test above)."""
    rules = {case[0] for case in STS_CASES}
    assert {"probe-invalid", "volume-mount-unknown", "value-unsupported", "resource-request-above-limit"} <= rules


_STS_SENTENCE = re.compile(r"[^.;]*StatefulSet[^.;]*[.;]")


@pytest.mark.parametrize("rule", sorted(RULES))
def test_no_rule_text_says_a_statefulset_is_rejected_for_its_pod_template(rule):
    """Where a rule text says the API server rejects a pod-template problem, it also says
    what happens to a StatefulSet instead."""
    meta = RULES[rule]
    if meta.category == "change":
        return                  # updates: ValidateStatefulSetUpdate does check a StatefulSet's
    text = " ".join((meta.summary, meta.rationale, meta.fix))
    for sentence in _STS_SENTENCE.findall(text):
        says_rejected = _REJECTS.search(sentence) or "rejects the StatefulSet" in sentence
        if says_rejected and "FailedCreate" not in sentence:
            assert rule in _STATEFULSET_REJECTED, f"{rule}: {sentence.strip()}"
    if rule in _POD_TEMPLATE_REJECTIONS:
        assert "StatefulSet" in meta.rationale and "FailedCreate" in meta.rationale, \
            f"{rule}: says the API server rejects the pod template but not what a StatefulSet does"


# --- the corrections of issue #25, as `rules show` prints them -------------------------
# (rule, phrases the text must say, phrases it must no longer say); each fact is sourced
# in the rule's `sources:` list.
CORRECTED = [
    ("probe-named-port-missing", ["throws errored results away", "never fails", "never completes",
                                  "strconv.Atoi"], ["restarts the container in a loop", "couldn't find port"]),
    ("image-invalid", ["checked on Pods only", "FailedCreate"], ["are refused by the API server already"]),
    ("pod-active-deadline", ["activeDeadlineSeconds in ReplicaSet is not Supported",
                             "activeDeadlineSeconds in StatefulSet is not Supported", "in DaemonSet"], []),
    ("workload-selector-overlap", ["Services, PodDisruptionBudgets and NetworkPolicies select the pods of both"],
     ["rollout status"]),
    ("yaml-string-trap", ["decodes to an empty string and is accepted"], []),
    ("yaml-syntax", ["earlier documents and other files are applied", "later documents of that file are not",
                     "exits 1"], []),
    ("deployment-rwo-volume", ["pods on that node share it", "ProgressDeadlineExceeded", "Pending"], []),
    ("lifecycle-hook-invalid", ["from Kubernetes 1.30", "must specify a handler type",
                                "restartPolicy Always or OnFailure", "both are errors"], ["(warning)"]),
    ("port-name", ["only in its own container", "no '-' at the start or end"],
     ["Services and probes that use the name get the first one"]),
    ("probe-liveness-before-ready", ["(failureThreshold - 1)", "between"], []),
    ("schema-violation", ["hand-written Go checks", "ValidateDeploymentSpec", "the message names the check"], []),
    ("yaml-duplicate-key", ["last value silently wins", "since 1.25", "GA in 1.27"], []),
    ("yaml-too-complex", ["excessive aliasing"], ["the API server refuses it"]),
    ("value-unsupported", ["since 1.24", "the JSON schemas k8slint bundles lack them"],
     ["schema validators accept any text"]),
    ("cronjob-schedule-invalid", ["it cannot work, so it is an error"], ["never starts a Job (warning)"]),
    ("resource-best-effort", ["A warning rather than an info"], []),
    ("object-duplicate", ["a warning", "an error"], []),
]


@pytest.mark.parametrize("rule, says, no_longer", CORRECTED, ids=[c[0] for c in CORRECTED])
def test_rules_show_says_the_corrected_facts(rule, says, no_longer):
    output = " ".join(CliRunner().invoke(main, ["rules", "show", rule]).output.split())
    for phrase in says:
        assert phrase in output, f"{rule}: `rules show` lacks {phrase!r}"
    for phrase in no_longer:
        assert phrase not in output, f"{rule}: `rules show` still says {phrase!r}"


def test_corrected_severities():
    """The severity policy: a schedule that never fires and a preStop tcpSocket hook cannot
    work (errors); a null in a string field is accepted as "" (a warning)."""
    from k8slint.model import Severity

    def severities(rule: str, manifest: str, version: str = "1.37") -> list[Severity]:
        from k8slint.k8s.versions import parse_version
        config = Config(only=[rule], kubernetes_version=parse_version(version))
        return [f.severity for f in check_text(manifest, config, "x.yaml").findings]

    never = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: \"0 0 30 2 *\"\n"
             "  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: c:1}]}}}}\n")
    assert severities("cronjob-schedule-invalid", never) == [Severity.ERROR]
    prestop = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: p\n"
               "      image: p:1\n      lifecycle: {preStop: {tcpSocket: {port: 80}}}\n")
    assert severities("lifecycle-hook-invalid", prestop) == [Severity.ERROR]
    null = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: ~}\n"
    assert severities("yaml-string-trap", null) == [Severity.WARNING]
