"""Session 10 (precision11): kustomizations a repository's own scripts build with the load
restrictor off (`kustomize build --load-restrictor LoadRestrictionsNone DIR` in a Makefile
or hack/*.sh, as Cluster API providers build their templates) are built so by k8slint too,
with one info at the script line (k8slint.kustomize.scripts); docs/real-repositories.md
has the numbers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8slint.api import check
from k8slint.config import Config
from k8slint.kustomize import scripts, shell

RULE = "kustomize-load-restrictor-from-script"
OUTSIDE = "outside the kustomization folder"

SHARED = """\
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: cluster-settings}
    data: {region: west}
    """


def _repository(root: Path, files: dict[str, str]) -> None:
    """A repository (a `.git` folder marks its top) with two templates that read a file
    beside their folders, as Cluster API flavors read ../base patches."""
    (root / ".git").mkdir(parents=True)
    files = {"templates/common/settings.yaml": SHARED,
             "templates/flavors/default/kustomization.yaml": "resources: [../../common/settings.yaml]\n",
             "templates/flavors/aks/kustomization.yaml": "resources: [../../common/settings.yaml]\n",
             **files}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))


def _findings(root: Path, monkeypatch: pytest.MonkeyPatch, config: Config | None = None,
              ) -> list[tuple[str, int, str, str]]:
    monkeypatch.chdir(root)
    result = check(["."], config or Config())
    return [(Path(f.file).as_posix(), f.line, f.rule, f.message) for f in result.findings
            if f.rule in (RULE, "kustomize-build")]


MAKEFILE = """\
    KUSTOMIZE ?= hack/tools/bin/kustomize
    FLAVORS := templates/flavors

    .PHONY: generate-flavors
    generate-flavors:
    \tfor flavor in default aks; do \\
    \t  $(KUSTOMIZE) build --load-restrictor LoadRestrictionsNone $(FLAVORS)/$$flavor > cluster-template-$$flavor.yaml; \\
    \tdone
    """


def test_a_makefile_loop_builds_its_folders_without_the_restriction(tmp_path, monkeypatch):
    _repository(tmp_path, {"Makefile": MAKEFILE})
    found = _findings(tmp_path, monkeypatch)
    assert [(f, line, rule) for f, line, rule, __ in found] == [("Makefile", 7, RULE)]
    message = found[0][3]
    assert message.startswith("this line builds with --load-restrictor LoadRestrictionsNone: k8slint builds "
                              "templates/flavors/aks, templates/flavors/default so too, reading 1 file")
    assert "kustomize-load-restrictor: LoadRestrictionsNone" in message
    # the configured restrictor wins, and no script is read
    strict = Config()
    strict.kustomize_load_restrictor = "LoadRestrictionsRootOnly"
    found = _findings(tmp_path, monkeypatch, strict)
    assert [rule for __, __, rule, message in found if OUTSIDE in message] == ["kustomize-build"] * 2
    assert not [f for f in found if f[2] == RULE]
    loose = Config()
    loose.kustomize_load_restrictor = "LoadRestrictionsNone"
    assert _findings(tmp_path, monkeypatch, loose) == []


def test_the_column_is_the_flag_in_the_makefile_as_written(tmp_path, monkeypatch):
    _repository(tmp_path, {"Makefile": MAKEFILE})
    monkeypatch.chdir(tmp_path)
    [finding] = [f for f in check(["."], Config()).findings if f.rule == RULE]
    line = (tmp_path / "Makefile").read_text().splitlines()[finding.line - 1]
    assert line[finding.column - 1:].startswith("--load-restrictor LoadRestrictionsNone")


def test_a_script_without_the_flag_changes_nothing(tmp_path, monkeypatch):
    _repository(tmp_path, {"hack/gen-flavors.sh": """\
        #!/bin/sh
        # kustomize's --load-restrictor is left at its default here
        for name in $(ls templates/flavors); do
          kustomize build "templates/flavors/${name}" > "cluster-template-${name}.yaml"
        done
        """})
    found = _findings(tmp_path, monkeypatch)
    assert [rule for __, __, rule, message in found if OUTSIDE in message] == ["kustomize-build"] * 2
    assert not [f for f in found if f[2] == RULE]


def test_a_script_names_one_folder_and_the_other_keeps_its_error(tmp_path, monkeypatch):
    _repository(tmp_path, {"hack/gen.sh": """\
        REPO_ROOT=$(dirname "${BASH_SOURCE[0]}")/..
        kubectl kustomize --load-restrictor=LoadRestrictionsNone "${REPO_ROOT}/templates/flavors/aks" | kubectl apply -f -
        """})
    found = _findings(tmp_path, monkeypatch)
    assert sorted((f, rule) for f, __, rule, __ in found) == [
        ("hack/gen.sh", RULE), ("templates/flavors/default/kustomization.yaml", "kustomize-build")]
    assert "--load-restrictor=LoadRestrictionsNone" in next(m for __, __, r, m in found if r == RULE)


def test_kustomize_3_spelling_and_an_unknown_folder(tmp_path, monkeypatch):
    # kustomize 2.1-3 spelled the flag --load_restrictor with the value none (kustomize#998);
    # the folder comes from a loop over find output: every kustomization of the repository
    _repository(tmp_path, {"hack/validate.sh": """\
        find . -name kustomization.yaml | while read -r file; do
          dir=$(dirname "$file")
          kustomize build --load_restrictor none "$dir" > /dev/null
        done
        """})
    found = _findings(tmp_path, monkeypatch)
    assert [(f, line, rule) for f, line, rule, __ in found] == [("hack/validate.sh", 3, RULE)]
    assert "--load_restrictor none" in found[0][3]
    assert "known only when the script runs" in found[0][3]


def test_a_base_shared_with_a_build_that_keeps_the_restriction(tmp_path, monkeypatch):
    # the builds share the nested base: the loosened build's result of it must not be reused
    # by the restricted one, whose kustomize build refuses the file
    _repository(tmp_path, {
        "templates/flavors/default/kustomization.yaml": "resources: [../../base]\n",
        "templates/flavors/aks/kustomization.yaml": "resources: [../../base]\n",
        "templates/base/kustomization.yaml": "resources: [../common/settings.yaml]\n",
        "hack/gen.sh": "kustomize build --load-restrictor LoadRestrictionsNone templates/flavors/aks\n",
    })
    found = _findings(tmp_path, monkeypatch)
    assert sorted((f, rule) for f, __, rule, __ in found) == [
        ("hack/gen.sh", RULE), ("templates/base/kustomization.yaml", "kustomize-build")]


def test_flags_before_build_and_a_version_make_overrides(tmp_path, monkeypatch):
    # cluster-api-provider-vsphere's Makefile: the flag before `build`, and a target per
    # version run as `$(MAKE) generate-$(VERSION)` with VERSION ?= 9.2 (9.1 comes from the caller)
    _repository(tmp_path, {
        "templates/crd/9.1/kustomization.yaml": "resources: [../../common/settings.yaml]\n",
        "Makefile": """\
            VERSION ?= 9.2
            CRD_ROOT ?= templates/crd
            generate-9.1:
            \t"$(KUSTOMIZE)" --load-restrictor LoadRestrictionsNone build "$(CRD_ROOT)/$(VERSION)" > crd.yaml
            generate-flavors:
            \tgo run sigs.k8s.io/kustomize/kustomize/v5 build --load-restrictor LoadRestrictionsNone templates/flavors/default
            """})
    found = _findings(tmp_path, monkeypatch)
    assert sorted((f, line, rule) for f, line, rule, __ in found) == [
        ("Makefile", 4, RULE), ("Makefile", 6, RULE),
        ("templates/flavors/aks/kustomization.yaml", 1, "kustomize-build")]


def test_a_kustomization_that_says_how_to_build_it(tmp_path, monkeypatch):
    # projectcontour/contour examples/optional-features/kustomization.yaml
    _repository(tmp_path, {"templates/flavors/aks/kustomization.yaml": """\
        # Run with:
        #   kubectl kustomize --load-restrictor=LoadRestrictionsNone templates/flavors/aks/
        resources: [../../common/settings.yaml]
        """})
    found = _findings(tmp_path, monkeypatch)
    assert sorted((f, line, rule) for f, line, rule, __ in found) == [
        ("templates/flavors/aks/kustomization.yaml", 2, RULE),
        ("templates/flavors/default/kustomization.yaml", 1, "kustomize-build")]


def test_no_kustomization_reads_no_script(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Makefile").write_text("all:\n\tkustomize build --load-restrictor LoadRestrictionsNone x\n")
    (tmp_path / "cm.yaml").write_text(textwrap.dedent(SHARED))

    def refuse(folders: object) -> None:
        raise AssertionError("scripts read without a kustomization")

    monkeypatch.setattr(scripts, "detect", refuse)
    monkeypatch.chdir(tmp_path)
    assert [f.rule for f in check(["."], Config()).findings if f.severity.name == "ERROR"] == []


# --- the shell the scripts are read with --------------------------------------------------

def _patterns(word: str, **variables: list[str]) -> list[str]:
    ctx = shell.Context("/repo/hack", "/repo", dict(variables))
    return [v.replace(shell.ANY, "<any>").replace(shell.STAR, "*") for v in shell.expand(word, ctx)]


def test_words_of_a_line():
    line = 'if out=$(kustomize build --load-restrictor LoadRestrictionsNone "$dir" 2>&1); then echo ok # done'
    commands = [[w for w, __ in c] for c in shell.words(line)]
    assert commands == [["if", 'out=$(kustomize build --load-restrictor LoadRestrictionsNone "$dir" 2>&1)'],
                        ["then", "echo", "ok"],
                        ["kustomize", "build", "--load-restrictor", "LoadRestrictionsNone", '"$dir"']]


def test_expanding_words():
    assert _patterns('"$(dirname "${BASH_SOURCE[0]}")/../templates/${name}"') == ["/repo/hack/../templates/<any>"]
    assert _patterns("${src_dir}{}", src_dir=['"${root}/kustomize_sources/"']) == ["<any>/kustomize_sources/<any>"]
    assert _patterns("$d/x", d=["a", "b*"]) == ["a/x", "b*/x"]
    assert _patterns("${D:-config}", D=[]) == ["config"]
    assert _patterns("'$literal'") == ["$literal"]
    # a variable that extends itself keeps the earlier values
    assert _patterns("$M", M=["manifests", "${M}/default"]) == ["manifests", "manifests/default"]


def test_make_variables_and_functions():
    lines = [(1, "ROOT_DIR := $(shell dirname $(realpath $(firstword $(MAKEFILE_LIST))))"),
             (2, "DATA ?= $(ROOT_DIR)/test/data"), (3, "DATA ?= ignored"), (4, "TOOLS += a")]
    ctx = shell.Context("/repo", "/repo", {}, shell.make_variables(lines))
    assert shell.expand_make("\t$(KUSTOMIZE) build $(DATA)/x $$dir", ctx) == f"\t{shell.ANY} build /repo/test/data/x $dir"


def test_pattern_of_an_unknown_folder_matches_any_depth():
    line = scripts.ScriptLine("Makefile", 1, 1, "--load-restrictor LoadRestrictionsNone",
                              (f"/repo/{shell.ANY}/kustomize_sources/{shell.ANY}",), "/repo")
    assert line.names("/repo/test/e2e/withclusterclass/kustomize_sources/default")
    assert line.names("/repo/kustomize_sources/default")
    assert not line.names("/repo/test/e2e/other/default")
    assert not line.names("/elsewhere/kustomize_sources/default")


# --- kustomizations the repository copies elsewhere before building them --------------------

TEMPLATE = """\
    resources:
    - source-manifest.yaml
    images:
    - name: controller
      newTag: dev
    """


def test_a_kustomization_a_makefile_copies_beside_the_manifest_it_makes(tmp_path, monkeypatch):
    # cluster-api-provider-openstack and -aws: gojq turns hack/image-patch/kustomization.yaml
    # into _artifacts/image-patch/$(PROVIDER)/kustomization.yaml, beside source-manifest.yaml
    _repository(tmp_path, {"hack/image-patch/kustomization.yaml": TEMPLATE, "Makefile": """\
        image-patch-kustomization:
        \t$(GOJQ) --yaml-input --yaml-output '.images[0].newTag="$(TAG)"' "hack/image-patch/kustomization.yaml" > $(IMAGE_PATCH_DIR)/kustomization.yaml
        """})
    monkeypatch.chdir(tmp_path)
    found = [(f.file, f.line, f.rule, f.severity.name, f.message) for f in check(["."], Config()).findings
             if f.file.endswith("image-patch/kustomization.yaml")]
    assert [(line, rule, severity) for __, line, rule, severity, __ in found] == [(2, "kustomize-not-built", "INFO")]
    assert found[0][4].startswith("resource hack/image-patch/source-manifest.yaml is not in the repository: "
                                  "Makefile:2 takes hack/image-patch/kustomization.yaml as a template")


def test_a_kustomization_a_go_test_helper_embeds(tmp_path, monkeypatch):
    # cluster-api test/framework/kubernetesversions: //go:embed data/kustomization.yaml, written
    # to a temporary folder with the files it lists
    _repository(tmp_path, {"test/helpers/data/kustomization.yaml": TEMPLATE, "test/helpers/template.go": """\
        package helpers

        import _ "embed"

        //go:embed data/kustomization.yaml
        var kustomization []byte
        """})
    monkeypatch.chdir(tmp_path)
    found = [(f.rule, f.message) for f in check(["."], Config()).findings if "helpers/data" in f.file]
    assert [rule for rule, __ in found] == ["kustomize-not-built"]
    assert "test/helpers/template.go:5 takes" in found[0][1]


def test_a_kustomization_edited_in_place_keeps_its_error(tmp_path, monkeypatch):
    _repository(tmp_path, {"config/kustomization.yaml": TEMPLATE, "Makefile": """\
        set-image:
        \tsed -i 's/newTag: .*/newTag: $(TAG)/' config/kustomization.yaml
        """})
    monkeypatch.chdir(tmp_path)
    found = [(f.rule, f.severity.name) for f in check(["."], Config()).findings if f.file.startswith("./config")]
    assert found == [("kustomize-build", "ERROR")]


# --- builds that now succeed: what they met next ------------------------------------------

def _build_hits(root: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    result = check([str(root)], Config())
    return [(f.rule, f.line, f.severity.name) for f in result.findings if f.rule.startswith("kustomize")]


def test_json_patch_test_of_a_missing_key_with_null(tmp_path):
    # cluster-api-provider-azure templates/test/ci/prow-machine-pool-ci-version: `test` that
    # /spec/preKubeadmCommands is null, then add it. evanphx/json-patch v4 Patch.test reads a
    # key missing from an existing mapping as null (partialDoc.get never fails)
    patch = """\
        patches:
        - target: {kind: ConfigMap}
          patch: |-
            - op: test
              path: /data/commands
              value: null
            - op: add
              path: /data/commands
              value: ready
        resources: [cm.yaml]
        """
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n"
    assert _build_hits(tmp_path / "a", {"kustomization.yaml": patch, "cm.yaml": cm}) == []
    # a value other than null still fails on a missing key, as does a missing parent
    failing = patch.replace("value: null", "value: x")
    assert _build_hits(tmp_path / "b", {"kustomization.yaml": failing, "cm.yaml": cm}) == [
        ("kustomize-build", 2, "ERROR")]
    missing_parent = patch.replace("path: /data/commands", "path: /spec/commands", 1)
    assert _build_hits(tmp_path / "c", {"kustomization.yaml": missing_parent, "cm.yaml": cm}) == [
        ("kustomize-build", 2, "ERROR")]


def test_replacement_source_missing_from_an_incomplete_build(tmp_path):
    # cluster-api-provider-azure config/aso: the source Certificate comes from a remote resource
    found = _build_hits(tmp_path, {"kustomization.yaml": """\
        resources:
        - https://github.com/Azure/azure-service-operator/releases/download/v2.19.0/azureserviceoperator_v2.19.0.yaml
        - cm.yaml
        replacements:
        - source: {kind: Certificate, name: azureserviceoperator-serving-cert, fieldPath: metadata.namespace}
          targets:
          - select: {kind: ConfigMap}
            fieldPaths: [data.namespace]
        """, "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {namespace: x}\n"})
    assert found == [("kustomize-not-built", 2, "INFO"), ("kustomize-not-built", 5, "INFO")]
