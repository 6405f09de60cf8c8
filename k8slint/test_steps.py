"""Files of test tools that hold objects but are never applied: not checked as objects.

Assertion files of end-to-end test folders (chainsaw, kuttl) are partial objects that the
test tool compares with what is in the cluster after a step (an assert file lists only the
fields it expects: no image, no selector, a Deployment without spec).

- kuttl (https://kuttl.dev/docs/testing/steps.html): in a test folder, `<step>-assert.yaml`
  and `<step>-errors.yaml` beside the step files `<step>-<name>.yaml`, or alone inside a
  folder of tests (`e2e`, `tests`: the steps are rendered before the run).
- chainsaw (https://kyverno.github.io/chainsaw/latest/quick-start/conventions/): the same
  naming when a folder has no test file; with `chainsaw-test.yaml`, the files its steps
  name under `assert:` and `error:` (and the test file itself, which chainsaw reads); beside
  a chainsaw test, a file that no step names and whose name says `assert` (kyverno's
  conformance tests keep `policy-assert.yaml` and the like for steps of shared templates).
- kyverno CLI tests (https://kyverno.io/docs/kyverno-cli/usage/test/): `kyverno test` reads
  a folder's `kyverno-test.yaml` and evaluates its policies offline against the files listed
  under `resources`, `targetResources`, `clusterResources` and `paramResources`, comparing
  with each result's `patchedResources`, `generatedResource` and `cloneSourceResource`
  (kyverno cmd/cli/kubectl-kyverno/apis/v1alpha1 test.go, test_result.go). Those files are
  inputs and expected outputs of the CLI, never sent to a cluster; the policies are checked.
- gator tests (https://open-policy-agent.github.io/gatekeeper/website/docs/gator/): `gator
  verify` reads a Suite (`test.gatekeeper.sh/v1alpha1`, by convention `suite.yaml`) and
  evaluates each test's ConstraintTemplate and Constraint offline against the files its
  cases name under `object` and `inventory` (gatekeeper pkg/gator/verify: Case.Object,
  Case.Inventory); an object may be an AdmissionReview for an update or delete. Those files
  are inputs of the test, never sent to a cluster; the template and constraint are checked.
- API compatibility fixtures: the round-trip test of API types (k8s.io/apimachinery
  pkg/api/apitesting/roundtrip compatibility.go) keeps one object per kind, every field
  filled (`name: nameValue`), in `testdata/HEAD/<group>.<version>.<Kind>.json|yaml` and
  the objects of earlier releases in sibling folders (`release-1.8/`, `v1.33.0/`, with
  `.after_roundtrip.` files): Kubernetes' k8s.io/api and kubevirt's staging API keep them.
  The test decodes and re-encodes them, never applies them.
- Go vendor trees: `go mod vendor` copies the packages a module builds with, with their other
  files, into `vendor/` and lists them in `vendor/modules.txt`
  (https://go.dev/ref/mod#vendoring); YAML found there is a dependency's (test data, its
  own CRDs), not what this repository applies.
- Gateway API conformance tests (kubernetes-sigs/gateway-api conformance/tests, and the e2e
  suites built on it: envoyproxy/gateway test/e2e/tests naming test/e2e/testdata): each Go
  file beside the YAML files, or in a sibling folder, declares a ConformanceTest whose
  `Manifests: []string{...}` names the files it applies; the suite applies a test's
  manifests when the test runs and deletes them after it (conformance/utils/suite
  ConformanceTest.Run, Applier MustApplyWithCleanup), so files of different tests are never
  applied together.
- snapshot tests: a `__snapshot__` folder holds the expected output that helm-unittest's
  `matchSnapshot` (https://github.com/helm-unittest/helm-unittest) or jest compares a
  rendering with; it is written by the test tool, never applied.
- negative test cases: a manifest with a file of the same name plus `.err` beside it holds
  what a test expects the API server to answer when it refuses the manifest (the CEL rule
  tests of kubernetes-csi/external-snapshotter: client/hack/run-cel-tests.sh runs `kubectl
  apply --dry-run=server -f X.yaml` and greps the output for X.yaml.err); it is written to
  be refused.
- examples of invalid input: a file or folder whose name has the word `invalid`, in a folder
  of examples, tests or test data, or beside a test script (gke-networking-recipes'
  authz/authz-cr-validation/run-test.sh; gateway-api's hack/invalid-examples, istio's
  pkg/config/validation/testdata/crds/*-invalid.yaml, external-snapshotter's
  examples/kubernetes/invalid-snapshot-v1.yaml, envoy gateway's translator test data): it
  shows what the API server or a controller refuses, and is not meant to be applied.
- files for an environment without Kubernetes: a file or folder name with the word
  `nonk8s`, `non-k8s` or `non-kubernetes` (KubeArmor's tests/nonk8s_env/host_policy/res/*.yaml,
  host policies that its tests send to KubeArmor running under systemd with karmor's
  PolicyHandling over gRPC, tests/util/kartutil.go SendPolicy; its
  examples/host-security-policies/hsp-nonk8s-*.yaml): not sent to an API server, so the
  CRD's validation and the other rules do not apply.
- inputs of Rego rule tests: kubescape's rules (kubescape/regolibrary and the rules/ folder
  of kubescape/kubescape) keep each test case of a rule in `test/<case>/`, the objects the
  rule is evaluated against in `input/` and its expected findings in `expected.json` beside
  it (regolibrary testrunner/README.md, "How to create a test"); the test runner feeds the
  inputs to OPA offline, and most are written to be flagged (a wildcard ClusterRole).
- expected cluster state of shell end-to-end tests: a `compare` folder inside a folder of
  tests holds what a test expects `kubectl get -o yaml` to return once the operator under
  test has made the objects, with the fields that vary between runs filtered out (no uid in
  ownerReferences, no images of the build under test, no namespace); the test diffs the
  filtered output with the file and never applies it (Percona's operators:
  e2e-tests/<test>/compare/*.yml, read by compare_kubectl in e2e-tests/functions).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from . import listing

STEP_FILE = re.compile(r"^\d+-[^/]+\.ya?ml$")
ASSERTION_FILE = re.compile(r"^\d+-(assert|errors)([-_.][^/]*)?\.ya?ml$")
CHAINSAW_TESTS = ("chainsaw-test.yaml", "chainsaw-test.yml")
KYVERNO_TEST = "kyverno-test.yaml"
GATOR_SUITES = ("suite.yaml", "suite.yml")
SNAPSHOT_FOLDER = "__snapshot__"
COMPARE_FOLDER = "compare"
ROUNDTRIP_HEAD = "HEAD"
# <group>.<version>.<Kind>[.after_roundtrip].json|yaml (the core group written as "core" or left out)
_ROUNDTRIP_FILE = re.compile(r"^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.)?v\d+(?:(?:alpha|beta)\d+)?\.[A-Z][A-Za-z0-9]*"
                             r"(?:\.after_roundtrip)?\.(?:json|ya?ml)$")
# `assert` as a word of a file name (policy-assert.yaml, assert-pod.yaml, exception_assert.yml)
_ASSERT_WORD = re.compile(r"(?:^|[-_.])asserts?(?:[-_.]|$)")
_KYVERNO_FILE_LISTS = ("resources", "targetResources", "clusterResources", "paramResources")
_KYVERNO_RESULT_FILES = ("patchedResources", "patchedResource", "generatedResource", "cloneSourceResource")

ASSERTION = "an assertion of an end-to-end test step (chainsaw, kuttl): compared with the cluster, never applied"
TEST_DEFINITION = "a chainsaw test definition, read by chainsaw, never applied"
KYVERNO_INPUT = "an input or expected output of a kyverno CLI test (kyverno test), never applied"
GATOR_INPUT = "an object of a gator test (gator verify), evaluated offline, never applied"
GO_VENDOR = "a file of a Go dependency copied by go mod vendor, not applied by this repository"
JSONNET_VENDOR = "a file of a jsonnet dependency installed by jsonnet-bundler, not applied by this repository"
ROUNDTRIP = "an API compatibility fixture (the round-trip test of API types), decoded by a test, never applied"
SNAPSHOT = "a test snapshot (__snapshot__ folder): compared with a rendering, never applied"
EXPECTED_STATE = "an object a test expects to read back from the cluster (compare folder), never applied"
NEGATIVE_CASE = "a negative test case (a .err file beside it holds the refusal expected), never applied"
INVALID_EXAMPLE = "an example of invalid input (its path says invalid), not meant to be applied"
NOT_FOR_KUBERNETES = "a file for an environment without Kubernetes (its path says non-k8s), not sent to an API server"
REGO_INPUT = "an input of a Rego rule test (test/<case>/input beside expected.json), evaluated offline, never applied"
EXPECTED_OUTPUT = "an expected output of a Go test (testdata, its name says expected or golden), never applied"
# `expected` as a word of a file name (pod-configauditreport-expected.yaml, expected_output.yaml),
# or `golden` as its last word before the extension (k8s-config-connector's
# _generated_object_*.golden.yaml: a golden file is the output a test compares with and rewrites
# with -update, as gofmt's testdata/*.golden; its golden_path_resource.yaml is an input)
_EXPECTED_WORD = re.compile(r"(?:^|[-_.])(?:expected(?:[-_.]|$)|golden(?:\.|$))", re.IGNORECASE)
# `invalid` as a word of a file or folder name (serviceentry-invalid.yaml, invalid-examples)
_INVALID_WORD = re.compile(r"(?:^|[-_.])invalid(?:[-_.]|$)", re.IGNORECASE)
# `nonk8s`, `non-k8s`, `non_kubernetes` as a word of a file or folder name (nonk8s_env, hsp-nonk8s-x.yaml)
_NON_KUBERNETES_WORD = re.compile(r"(?:^|[-_.])non[-_]?(?:k8s|kubernetes)(?:[-_.]|$)", re.IGNORECASE)
# `test` as a word of a script's name (run-test.sh, e2e_tests.sh)
_TEST_WORD = re.compile(r"(?:^|[-_.])tests?(?:[-_.]|$)", re.IGNORECASE)
REGO_INPUT_FOLDER, REGO_TEST_FOLDER, REGO_EXPECTED = "input", "test", "expected.json"
_EXAMPLE_FOLDERS = frozenset({"e2e", "example", "examples", "fixtures", "hack", "samples", "test",
                              "testdata", "tests"})
_CHECK_OPERATIONS = ("assert", "error")
_STEP_BLOCKS = ("try", "catch", "finally", "cleanup")


def assertion_files(files: Iterable[str], asked: frozenset[str] = frozenset()) -> dict[str, str]:
    """Input file -> why it is not applied, for the assertion files among `files` (and the
    chainsaw test files). `asked`: files given by name, which are checked even when they are
    negative test cases or examples of invalid input (the user asked for them)."""
    by_folder: dict[str, list[str]] = {}
    for file in files:
        if file != "-":
            by_folder.setdefault(os.path.dirname(file) or ".", []).append(file)
    found: dict[str, str] = {}
    kyverno_inputs: set[str] = set()
    gator_inputs: set[str] = set()
    vendored = _go_vendor_roots(by_folder)
    heads = {os.path.dirname(folder) for folder in by_folder if os.path.basename(folder) == ROUNDTRIP_HEAD}
    for folder, members in by_folder.items():
        names = {os.path.basename(m): m for m in members}
        if jsonnet_vendor_root(folder) is not None:
            for file in members:
                found[file] = JSONNET_VENDOR
            continue
        root = vendor_root(folder)
        if root is not None and root in vendored:
            for file in members:
                found[file] = GO_VENDOR
            continue
        if os.path.dirname(folder) in heads:
            for name, file in names.items():
                if _ROUNDTRIP_FILE.match(name):
                    found[file] = ROUNDTRIP
        whole = SNAPSHOT if os.path.basename(folder) == SNAPSHOT_FOLDER else \
            REGO_INPUT if rego_test_input(folder) else None
        if whole is not None:                  # every file of the folder
            found.update(dict.fromkeys(members, whole))
            continue
        if os.path.basename(folder) == COMPARE_FOLDER and test_folder(os.path.dirname(folder)):
            for file in members:
                found[file] = EXPECTED_STATE
            continue
        found.update(_meant_to_fail(folder, names, asked))
        found.update(_expected_outputs(folder, names, asked))
        test = next((names[n] for n in CHAINSAW_TESTS if n in names), None)
        named, applied = _chainsaw_files(test) if test is not None else (set(), set())
        steps = sum(1 for n in names if STEP_FILE.match(n))
        in_tests = test_folder(folder)
        for name, file in names.items():
            if name in named or (ASSERTION_FILE.match(name) and (steps > 1 or test is not None or in_tests)) \
                    or (test is not None and name not in applied and _ASSERT_WORD.search(name)):
                found[file] = ASSERTION
        if test is not None:
            found[test] = TEST_DEFINITION
        if KYVERNO_TEST in names:
            kyverno_inputs.update(_kyverno_inputs(names[KYVERNO_TEST]))
        for suite in (names[n] for n in GATOR_SUITES if n in names):
            gator_inputs.update(_gator_inputs(suite))
    for inputs, why in ((kyverno_inputs, KYVERNO_INPUT), (gator_inputs, GATOR_INPUT)):
        for file in files if inputs else ():
            if file != "-" and file not in found and os.path.normpath(file) in inputs:
                found[file] = why
    return found


# Folders of end-to-end tests: a kuttl assertion alone there is one whose steps a script
# renders before the run (jaeger-operator's tests/e2e/*/*/ keep `04-assert.yaml` and a
# render.sh that writes steps 00-03 from templates).
_TEST_FOLDERS = frozenset({"e2e", "e2e-tests", "kuttl", "test", "tests"})


def _meant_to_fail(folder: str, names: dict[str, str], asked: frozenset[str]) -> dict[str, str]:
    """The negative test cases, examples of invalid input and files for an environment
    without Kubernetes among a folder's files (name -> path), but those given by name."""
    entries = set(listing.files(folder))
    found = {}
    for name, file in names.items():
        if file in asked:
            continue
        if name + ".err" in entries:
            found[file] = NEGATIVE_CASE
        elif written_invalid(file):
            found[file] = INVALID_EXAMPLE
        elif any(_NON_KUBERNETES_WORD.search(part) for part in file.replace(os.sep, "/").split("/")):
            found[file] = NOT_FOR_KUBERNETES
    return found


def _expected_outputs(folder: str, names: dict[str, str], asked: frozenset[str]) -> dict[str, str]:
    """The expected outputs of Go tests among a folder's files, but those given by name: files
    below a `testdata` folder, which the go tool leaves to tests ("The go tool will ignore a
    directory named testdata", https://pkg.go.dev/cmd/go#hdr-Test_packages), whose name says
    expected (trivy-operator's tests/envtest/testdata/fixture/*-expected.yaml, which its
    controller tests compare with the reports the operator writes) or golden (k8s-config-connector's
    pkg/test/resourcefixture/testdata/**/_generated_object_*.golden.yaml, the object as the
    controller left it, status included, which the test compares with what it reads back)."""
    if "testdata" not in folder.replace(os.sep, "/").split("/"):
        return {}
    return {file: EXPECTED_OUTPUT for name, file in names.items()
            if file not in asked and _EXPECTED_WORD.search(name)}


def rego_test_input(folder: str) -> bool:
    """Whether `folder` is the `input` folder of a Rego rule test case: `test/<case>/input`
    with the case's `expected.json` beside it (see the module docstring)."""
    case = os.path.dirname(folder)
    return os.path.basename(folder) == REGO_INPUT_FOLDER and os.path.basename(os.path.dirname(case)) == REGO_TEST_FOLDER \
        and REGO_EXPECTED in listing.files(case or ".")


def written_invalid(file: str) -> bool:
    """Whether a file's name, or a folder's on its path, has the word `invalid` and a folder
    on its path holds examples, tests or test data, or the file's folder holds a test script
    (see the module docstring)."""
    parts = file.replace(os.sep, "/").split("/")
    said = [part for part in parts if _INVALID_WORD.search(part)]
    if not said:
        return False
    return any(part in _EXAMPLE_FOLDERS for part in parts[:-1]) or any("example" in part for part in said) \
        or _beside_test_script(os.path.dirname(file) or ".")


def _beside_test_script(folder: str) -> bool:
    """Whether a folder holds a shell script whose name has the word `test` (run-test.sh,
    test.sh): the folder is a test's, whatever its name (gke-networking-recipes'
    authz/authz-cr-validation/run-test.sh runs `kubectl validate` on each invalid_*.yaml
    beside it and passes when the validation fails)."""
    return any(name.endswith(".sh") and _TEST_WORD.search(name[:-3]) for name in listing.files(folder))


def test_folder(folder: str) -> bool:
    """Whether `folder` lies inside a folder of end-to-end tests."""
    return any(part in _TEST_FOLDERS for part in folder.replace(os.sep, "/").split("/"))


def _load(path: str) -> list[Any]:
    """The documents of a test tool's file; none when it cannot be read."""
    import yaml

    from .safe_yaml import load_all

    try:
        with open(path, encoding="utf-8") as handle:
            return list(load_all(handle))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []


def _chainsaw_files(test: str) -> tuple[set[str], set[str]]:
    """(asserted, other): base names of the files a chainsaw test's steps assert or expect
    as errors, and of those its other operations (apply, create, ...) name."""
    checked: set[str] = set()
    other: set[str] = set()
    for doc in _load(test):
        for kind, file in _named(doc):
            (checked if kind in _CHECK_OPERATIONS else other).add(os.path.basename(file))
    return checked, other


def _named(doc: Any) -> Iterator[tuple[str, str]]:
    """(operation, file) for each operation of a chainsaw test that names one file."""
    spec = doc.get("spec") if isinstance(doc, dict) else None
    steps = spec.get("steps") if isinstance(spec, dict) else None
    for step in steps if isinstance(steps, list) else ():
        for block in _STEP_BLOCKS:
            operations = step.get(block) if isinstance(step, dict) else None
            for operation in operations if isinstance(operations, list) else ():
                for kind, body in operation.items() if isinstance(operation, dict) else ():
                    file = body.get("file") if isinstance(body, dict) else None
                    if isinstance(file, str) and not any(c in file for c in "*?["):
                        yield kind, file


def _kyverno_inputs(test: str) -> set[str]:
    """Normalised paths of the files a kyverno CLI test evaluates or compares with."""
    folder = os.path.dirname(test)
    named: list[Any] = []
    for doc in _load(test):
        if not isinstance(doc, dict):
            continue
        for key in _KYVERNO_FILE_LISTS:
            value = doc.get(key)
            named.extend(value if isinstance(value, list) else ())
        results = doc.get("results")
        for result in results if isinstance(results, list) else ():
            if isinstance(result, dict):
                named.extend(result.get(key) for key in _KYVERNO_RESULT_FILES)
    return {os.path.normpath(os.path.join(folder, name)) for name in named
            if isinstance(name, str) and name and "://" not in name}


def _gator_inputs(suite: str) -> set[str]:
    """Normalised paths of the files the cases of a gator Suite evaluate (their `object`
    and `inventory`); none when the file is not a Suite of test.gatekeeper.sh."""
    folder = os.path.dirname(suite)
    named: list[Any] = []
    for doc in _load(suite):
        if not isinstance(doc, dict) or doc.get("kind") != "Suite" \
                or not str(doc.get("apiVersion", "")).startswith("test.gatekeeper.sh/"):
            continue
        tests = doc.get("tests")
        for test in tests if isinstance(tests, list) else ():
            cases = test.get("cases") if isinstance(test, dict) else None
            for case in cases if isinstance(cases, list) else ():
                if isinstance(case, dict):
                    inventory = case.get("inventory")
                    named.extend([case.get("object"), *(inventory if isinstance(inventory, list) else ())])
    return {os.path.normpath(os.path.join(folder, name)) for name in named
            if isinstance(name, str) and name and "://" not in name}


def vendor_root(folder: str) -> str | None:
    """The outermost `vendor` folder above or at `folder`, else None."""
    parts = folder.split(os.sep)
    return os.sep.join(parts[:parts.index("vendor") + 1]) if "vendor" in parts else None


# jsonnet-bundler (https://github.com/jsonnet-bundler/jsonnet-bundler): `jb install` puts the
# dependencies that jsonnetfile.json lists into `vendor/` beside it, or into the folder given
# with --jsonnetpkg-home (sealed-secrets' vendor_jsonnet/), one folder per dependency (its
# `name`, or the remote's path under its host: github.com/org/repo). A dependency's files (the
# golden outputs of kube-libsonnet's tests) are not what this repository applies.
_JSONNET_FILES = ("jsonnetfile.lock.json", "jsonnetfile.json")


def jsonnet_vendor_root(folder: str) -> str | None:
    """The folder jsonnet-bundler installs into, above or at `folder`, else None."""
    parts = folder.split(os.sep)
    for i in range(len(parts) - 1):
        if not parts[i]:                       # the root of an absolute path
            continue
        parent = os.sep.join(parts[:i]) or (os.sep if os.path.isabs(folder) else ".")
        names = _jsonnet_dependencies(os.path.abspath(parent))
        if names and (parts[i] == "vendor" or parts[i + 1] in names):
            return os.sep.join(parts[:i + 1])
    return None


@lru_cache(maxsize=256)
def _jsonnet_dependencies(folder: str) -> frozenset[str]:
    """The folder names jsonnet-bundler gives the dependencies of a folder's jsonnetfile
    (`folder` absolute: the cache outlives a run)."""
    for name in _JSONNET_FILES:
        path = os.path.join(folder, name)
        if not listing.isfile(path):          # the loader's listing: no system call
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return frozenset()
        found: set[str] = set()
        for dependency in data.get("dependencies") or () if isinstance(data, dict) else ():
            if not isinstance(dependency, dict):
                continue
            if isinstance(dependency.get("name"), str):
                found.add(dependency["name"])
            remote = ((dependency.get("source") or {}).get("git") or {}).get("remote")
            if isinstance(remote, str) and "/" in remote:
                host_path = remote.split("://", 1)[-1].split("@", 1)[-1].replace(":", "/")
                found.update({host_path.split("/")[0], host_path.rstrip("/").split("/")[-1].removesuffix(".git")})
        return frozenset(found)
    return frozenset()


def _go_vendor_roots(folders: Iterable[str]) -> set[str]:
    """The `vendor` folders among the ancestors of `folders` that hold Go's modules.txt."""
    roots = {root for folder in folders if (root := vendor_root(folder)) is not None}
    return {root for root in roots if os.path.isfile(os.path.join(root, "modules.txt"))}


def possible_step(file: str) -> bool:
    """Whether a file may be a step of a kuttl or chainsaw test: a numbered step in a folder
    of tests, or a file beside a chainsaw test."""
    folder, name = os.path.split(file)
    if STEP_FILE.match(name) and test_folder(folder):
        return True
    return any(os.path.isfile(os.path.join(folder, test)) for test in CHAINSAW_TESTS)


# kuttl's TestSuite: `kuttl-test.yaml` is the name it reads by default; `kuttl.yaml` the one
# a --config often names (percona-postgresql-operator's e2e-tests/kuttl.yaml)
KUTTL_SUITES = ("kuttl-test.yaml", "kuttl-test.yml", "kuttl.yaml", "kuttl.yml")


def kuttl_step(file: str) -> bool:
    """Whether a file is a numbered step (not an assertion) of a kuttl test: a kuttl TestSuite
    file (KUTTL_SUITES) lies in a folder above it, up to the repository's top."""
    folder, name = os.path.split(file)
    if not STEP_FILE.match(name) or ASSERTION_FILE.match(name) or not test_folder(folder):
        return False
    return _kuttl_suite_above(os.path.abspath(folder or "."))


def _kuttl_suite_above(folder: str) -> bool:
    """(Asked only for an object with an unknown field: no memo kept past the call, which a
    long-lived language server would keep past the suite file's creation.)"""
    from .kustomize.repository import nearest_up

    def look(current: str) -> tuple[bool | None, bool]:
        names = listing.names(current)
        entries = names if names is not None else (os.listdir(current) if os.path.isdir(current) else ())
        return (True if any(suite in entries for suite in KUTTL_SUITES) else None), ".git" in entries

    return nearest_up(folder, {}, look) is True


_APPLY_COMMAND = re.compile(r"\bkubectl\b[^\n]*\b(?:apply|create|replace)\b")


def commands_apply_before(file: str) -> bool:
    """Whether an earlier numbered step of the file's kuttl test runs commands that apply
    objects (a TestStep whose `commands` run `kubectl apply`, `create` or `replace`: Percona's
    01-create-cluster.yaml pipes a rendered custom resource into `kubectl apply -f -`); a
    later step's object may then update one of them (https://kuttl.dev/docs/testing/steps.html)."""
    folder, name = os.path.split(file)
    if not (STEP_FILE.match(name) and test_folder(folder)):
        return False
    number = int(name.split("-", 1)[0])           # kuttl orders steps by number: 9 before 10
    return any(int(step.split("-", 1)[0]) < number for step in _applying_steps(folder))


@lru_cache(maxsize=256)
def _applying_steps(folder: str) -> tuple[str, ...]:
    """Names of the numbered steps of a folder whose TestStep commands apply objects."""
    try:
        names = sorted(n for n in os.listdir(folder) if STEP_FILE.match(n) and not ASSERTION_FILE.match(n))
    except OSError:
        return ()
    found = []
    for name in names:
        for doc in _load(os.path.join(folder, name)):
            commands = doc.get("commands") if isinstance(doc, dict) and doc.get("kind") == "TestStep" else None
            texts = [str(c.get("script") or c.get("command") or "") for c in commands if isinstance(c, dict)] \
                if isinstance(commands, list) else []
            if any(_APPLY_COMMAND.search(text) for text in texts):
                found.append(name)
                break
    return tuple(found)


def sequential_steps(first: str, second: str) -> bool:
    """Whether two files are steps of one end-to-end test with different numbers
    (`00-install.yaml`, `03-install.yaml` in one folder of tests), or two files of a chainsaw
    test's folder (chainsaw-test.yaml names each file in an operation of its own, never the
    folder: https://kyverno.github.io/chainsaw/latest/reference/apis/chainsaw.v1alpha1/#chainsaw-kyverno-io-v1alpha1-Apply):
    kuttl and chainsaw apply the steps in order, each after the previous one's assertions passed
    (https://kuttl.dev/docs/testing/steps.html), so a later step updating an object of an
    earlier one is the test, not two copies applied together."""
    folder, name = os.path.split(first)
    other_folder, other_name = os.path.split(second)
    if folder != other_folder:
        return False
    if any(os.path.isfile(os.path.join(folder, test)) for test in CHAINSAW_TESTS):
        return True              # chainsaw applies each file by its own operation, in order
    tests = _go_test_manifests(folder)
    if name in tests and other_name in tests and not tests[name] & tests[other_name]:
        return True              # manifests of two Go conformance tests, applied one test at a time
    if not test_folder(folder):
        return False
    if not (STEP_FILE.match(name) and STEP_FILE.match(other_name)):
        return False
    return name.split("-", 1)[0] != other_name.split("-", 1)[0]


def applied_before(first: str, second: str) -> bool:
    """Whether an end-to-end test applies `first` in an earlier step than `second` (both
    sequential_steps): a chainsaw test in the order of its operations, which need not be the
    order of the files' names (redis-operator's pvc-shrink-guard applies standalone.yaml,
    shrink-patch.yaml, then expand-patch.yaml); otherwise the order of the names (kuttl's step
    numbers). A file the test names in no operation (a glob) counts as earlier."""
    if not sequential_steps(first, second):
        return False
    folder = os.path.dirname(first)
    test = next((os.path.join(folder, t) for t in CHAINSAW_TESTS if os.path.isfile(os.path.join(folder, t))), None)
    if test is None:
        one_name, two_name = os.path.basename(first), os.path.basename(second)
        if STEP_FILE.match(one_name) and STEP_FILE.match(two_name):
            return int(one_name.split("-", 1)[0]) < int(two_name.split("-", 1)[0])
        return one_name < two_name
    order = _chainsaw_order(test)
    one, two = order.get(os.path.basename(first)), order.get(os.path.basename(second))
    return one is None or two is None or one < two


@lru_cache(maxsize=256)
def _chainsaw_order(test: str) -> dict[str, int]:
    """Base name -> the index of the first operation of a chainsaw test that names the file."""
    order: dict[str, int] = {}
    for doc in _load(test):
        for __, file in _named(doc):
            order.setdefault(os.path.basename(file), len(order))
    return order


_GO_MANIFESTS = re.compile(r"Manifests:\s*\[\]string\{([^}]*)\}")
_GO_STRING = re.compile(r'"([^"\\]+\.ya?ml)"')


@lru_cache(maxsize=256)
def _go_test_manifests(folder: str) -> dict[str, frozenset[int]]:
    """File name -> the `Manifests: []string{...}` lists that name it (a test's list gets
    one number), from the Go files of the folder (gateway-api conformance/tests/*.go name
    `tests/<file>`) and of its sibling folders (envoyproxy/gateway test/e2e/tests/*.go name
    `testdata/<file>`)."""
    base = os.path.basename(os.path.abspath(folder))
    parent = os.path.dirname(os.path.abspath(folder))
    try:
        siblings = sorted(os.path.join(parent, e) for e in os.listdir(parent))
    except OSError:
        return {}
    named: dict[str, set[int]] = {}
    count = 0
    for sibling in siblings:
        try:
            entries = sorted(e for e in os.listdir(sibling) if e.endswith(".go"))
        except OSError:
            continue
        for entry in entries:
            try:
                with open(os.path.join(sibling, entry), encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                continue
            for match in _GO_MANIFESTS.finditer(text):
                count += 1
                for item in _GO_STRING.findall(match.group(1)):
                    where, name = os.path.split(item)
                    if os.path.basename(where) == base or (not where and sibling == os.path.abspath(folder)):
                        named.setdefault(name, set()).add(count)
    return {name: frozenset(ids) for name, ids in named.items()}
