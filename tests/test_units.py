"""Apply units (k8slint.units): which files one apply creates together."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from k8slint.api import check, render
from k8slint.cli import main
from k8slint.config import Config
from k8slint.loader import discover
from k8slint.units import assign_units

REPOS = Path(__file__).parent / "fixtures" / "repos"


@pytest.fixture()
def in_repos(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPOS)
    return REPOS


def units_of(paths: list[str], modes: dict[str, str] | None = None, one_unit: bool = False,
             root: str | None = None) -> dict[str, list[str]]:
    files, _ = discover(paths)
    units = assign_units(files, modes, root, one_unit)
    return {u.id: [os.path.basename(f) for f in u.files] for u in units.units}


def test_each_folder_is_one_unit_as_kubectl_apply_f_dir_reads_it(in_repos: Path) -> None:
    # `kubectl apply -f DIR` is not recursive (cli-runtime FileVisitor without -R): one unit per folder.
    assert units_of(["two-apps"]) == {"two-apps/shared/": ["configmap.yaml"],
                                      "two-apps/shop/": ["deployment.yaml", "service.yaml"],
                                      "two-apps/web/": ["deployment.yaml", "service.yaml"]}


def test_config_modes_tree_and_file_and_the_deepest_match_wins(in_repos: Path) -> None:
    assert units_of(["two-apps"], {"two-apps": "tree"}) == {
        "two-apps/": ["configmap.yaml", "deployment.yaml", "service.yaml", "deployment.yaml", "service.yaml"]}
    assert set(units_of(["variants"], {"variants/": "file"})) == {"variants/dev.yaml", "variants/prod.yaml"}
    deeper = units_of(["two-apps"], {"two-apps/": "tree", "two-apps/web": "file"})
    assert set(deeper) == {"two-apps/", "two-apps/web/deployment.yaml", "two-apps/web/service.yaml"}
    assert units_of(["variants"], {"*.yaml": "file", "variants": "folder"}) == {
        "variants/dev.yaml": ["dev.yaml"], "variants/prod.yaml": ["prod.yaml"]}


def test_config_globs_are_relative_to_the_config_folder(in_repos: Path, tmp_path: Path) -> None:
    files, _ = discover([str(REPOS / "variants")])
    units = assign_units(files, {"variants/": "file"}, root=str(REPOS))
    assert len(units.units) == 2


def test_stdin_and_one_unit_make_one_unit(in_repos: Path) -> None:
    assert units_of(["-"]) == {"-": ["-"]}
    assert list(units_of(["two-apps", "variants"], one_unit=True)) == ["(all input)"]


def test_a_kustomization_folder_is_one_unit_and_its_patches_are_no_objects(in_repos: Path) -> None:
    files, _ = discover(["kustomize-app"])
    units = assign_units(files)
    kustomization = units.of("kustomize-app/deployment.yaml")
    assert kustomization is not None and kustomization.mode == "kustomization"
    assert [os.path.basename(f) for f in kustomization.files] == ["deployment.yaml", "service.yaml"]
    assert set(units.not_objects) == {"kustomize-app/patch-replicas.yaml", "kustomize-app/patch-env.yaml",
                                      "kustomize-app/patch-json.yaml", "kustomize-app/overlay/patch-prod.yaml"}
    assert {"kustomize-app/kustomization.yaml", "kustomize-app/overlay/kustomization.yaml"} <= set(units.skipped)


def test_patch_files_are_never_checked_as_whole_objects(in_repos: Path) -> None:
    # Built natively (k8slint.kustomize): the overlay's build is the unit, patches applied.
    result = check(["kustomize-app"], Config())
    assert {f.file for f in result.findings if f.object} <= {"kustomize-app/deployment.yaml",
                                                             "kustomize-app/service.yaml"}
    assert result.objects == 2
    assert {o.unit.id for o in result.graph.objects if o.unit} == {"kustomize-app/overlay/"}
    # Files as written (fix's view): the folder rule, one info per kustomization.
    written = check(["kustomize-app"], Config(), build_kustomizations=False)
    assert {f.file for f in written.findings if f.object} <= {"kustomize-app/deployment.yaml",
                                                              "kustomize-app/service.yaml"}
    infos = [f for f in written.findings if f.rule == "not-kubernetes"]
    assert [f.file for f in infos] == ["kustomize-app/kustomization.yaml",
                                       "kustomize-app/overlay/kustomization.yaml"]
    assert "3 file(s) it lists as patches" in infos[0].message


def test_a_patch_file_named_alone_on_the_command_line_is_still_a_patch(in_repos: Path) -> None:
    # pre-commit passes only the changed files: the kustomization beside them still counts.
    for builds in (True, False):
        result = check(["kustomize-app/patch-replicas.yaml"], Config(), build_kustomizations=builds)
        assert not [f for f in result.findings if f.file == "kustomize-app/patch-replicas.yaml"]
        assert not [f for f in result.findings if f.severity == 3]


def test_a_helm_chart_is_one_info_and_is_not_loaded(in_repos: Path) -> None:
    result = check(["chart"], Config())
    assert [(f.rule, str(f.severity), f.file) for f in result.findings] == [
        ("helm-template", "info", "chart/Chart.yaml")]
    assert "helm template chart | k8slint check -" in result.findings[0].message
    assert result.files == 4 and result.documents == 0      # read, not parsed


def test_findings_and_json_name_the_unit_when_the_input_has_several(in_repos: Path) -> None:
    result = check(["two-apps"], Config())
    assert {f.unit for f in result.findings} == {"two-apps/web/", "two-apps/shop/"}
    payload = json.loads(render(result, "json"))
    assert all("unit" in f for f in payload["findings"])
    single = check(["two-apps/web"], Config())
    assert {f.unit for f in single.findings} == {None}
    assert all(f["unit"] is None for f in json.loads(render(single, "json"))["findings"])


def test_a_chart_folder_alone_passes_with_its_info(in_repos: Path) -> None:
    out = CliRunner().invoke(main, ["check", "--no-config", "chart/templates"])
    assert out.exit_code == 0, out.output
    assert "helm-template" in out.output


def test_cli_one_unit_option(in_repos: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["check", "--no-config", "--one-unit", "--format", "json",
                               "--fail-on", "never", "two-apps"])
    assert out.exit_code == 0, out.output
    assert {f["unit"] for f in json.loads(out.output)["findings"]} == {None}


def test_a_finding_on_identical_objects_in_several_folders_is_reported_once(tmp_path: Path) -> None:
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata: {name: hello}\nspec:\n  containers:\n"
                "    - {name: hello, image: nginx}\n")
    for folder in ("sample-a", "sample-b", "sample-c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pod.yaml").write_text(manifest)
    (tmp_path / "sample-d").mkdir()            # same identity, other content: its own findings
    (tmp_path / "sample-d" / "pod.yaml").write_text(manifest.replace("image: nginx", "image: httpd"))
    result = check([str(tmp_path)], Config(only=["bare-pod", "image-latest-tag"]))
    bare = [f for f in result.findings if f.rule == "bare-pod"]
    assert [f.file.split("/")[-2] for f in bare] == ["sample-a", "sample-d"]
    assert "the same for the identical Pod/hello at" in bare[0].message
    assert "sample-b/pod.yaml:2, " in bare[0].message and "sample-c/pod.yaml:2" in bare[0].message
    assert "the same for" not in bare[1].message


def test_two_apps_in_two_folders_are_not_judged_together(in_repos: Path) -> None:
    result = check(["two-apps"], Config())
    conflicts = {"object-duplicate", "service-spans-workloads", "service-target-port-missing",
                 "workload-selector-overlap"}
    assert not [f for f in result.findings if f.rule in conflicts]
    # The ConfigMap web reads is in another folder (unit) of the input: found, so not "missing".
    assert not [f for f in result.findings if f.rule == "configmap-ref-missing"]
    # The same input as one unit (kubectl apply -R): the duplicates are real, and the later
    # Deployment web replaces the earlier, so the Service selects one workload, not two.
    together = check(["two-apps"], Config(one_unit=True))
    assert "object-duplicate" in {f.rule for f in together.findings}
    assert "service-spans-workloads" not in {f.rule for f in together.findings}


def test_variants_in_one_folder_are_one_warning_per_pair_unless_marked_file(in_repos: Path) -> None:
    result = check(["variants"], Config(only=["object-duplicate"]))
    assert [(f.file, str(f.severity)) for f in result.findings] == [("variants/prod.yaml", "warning")]
    assert "variants/dev.yaml and variants/prod.yaml define the same 3 objects" in result.findings[0].message
    marked = check(["variants"], Config(only=["object-duplicate"], apply_units={"variants": "file"}))
    assert marked.findings == []


def test_duplicates_in_a_kustomization_are_errors(tmp_path: Path) -> None:
    # kustomize's resmap refuses them (reswrangler.go Append: "already registered id").
    (tmp_path / "kustomization.yaml").write_text("resources: [a.yaml, b.yaml]\n")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    built = check([str(tmp_path)], Config())                        # the native build says so
    assert [str(f.severity) for f in built.findings] == ["error"]
    assert "already registered id" in built.findings[0].message
    written = check([str(tmp_path)], Config(only=["object-duplicate"]), build_kustomizations=False)
    assert [str(f.severity) for f in written.findings] == ["error"]
    assert "kustomize refuses to build the folder" in written.findings[0].message


def test_a_kustomization_lists_files_of_a_subfolder_in_its_unit(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "manifests").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [manifests/cm.yaml]\n")
    (tmp_path / "app" / "manifests" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n"
                                                             "metadata: {name: a}\n")
    files, _ = discover([str(tmp_path)])
    unit = assign_units(files).of(str(tmp_path / "app" / "manifests" / "cm.yaml"))
    assert unit is not None and unit.mode == "kustomization" and unit.root == str(tmp_path / "app")


def test_human_output_names_the_unit_when_it_is_not_the_files_own_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for app in ("web", "shop"):
        (tmp_path / app / "manifests").mkdir(parents=True)
        (tmp_path / app / "kustomization.yaml").write_text("resources: [manifests/pod.yaml]\n")
        (tmp_path / app / "manifests" / "pod.yaml").write_text(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {app}}}\n"
            "spec: {containers: [{name: c, image: 'nginx:latest'}]}\n")
    out = CliRunner().invoke(main, ["check", "--no-config", "--fail-on", "never", "web", "shop"])
    assert out.exit_code == 0, out.output
    assert "web/manifests/pod.yaml  (apply unit web/)" in out.output
    assert "shop/manifests/pod.yaml  (apply unit shop/)" in out.output
    same = CliRunner().invoke(main, ["check", "--no-config", "--fail-on", "never",
                                     "web/manifests", "shop/manifests"])
    assert "(apply unit" not in same.output, same.output
