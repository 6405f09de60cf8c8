"""Custom resource schemas beyond the input (--schema-location, schema-locations:), the
bundled CRD schemas, the converter script, and the older Kubernetes versions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from k8slint.api import check
from k8slint.cli import main
from k8slint.config import Config, load_config
from k8slint.schema_locations import (
    SchemaLocationError,
    check_location,
    crd_documents,
    expand_template,
    openapi_schema,
)
from tests.conftest import ROOT

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: backups.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: A backup.
          properties:
            spec:
              type: object
              required: [schedule]
              x-kubernetes-validations:
                - rule: "self.keep <= 30"
                  message: keep at most 30
              properties:
                schedule: {type: string, description: cron}
                keep: {type: integer, minimum: 1}
"""
BACKUP = """\
apiVersion: example.com/v1
kind: Backup
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  keep: 0
  retain: 7
"""


def _violations(result):
    return sorted((f.line, f.message) for f in result.findings if f.rule == "schema-violation")


@pytest.fixture
def crd_folder(tmp_path):
    folder = tmp_path / "crds"
    folder.mkdir()
    (folder / "backup-crd.yaml").write_text(CRD)
    return folder


def _check(tmp_path, locations):
    manifest = tmp_path / "backup.yaml"
    manifest.write_text(BACKUP)
    return check([str(manifest)], Config(schema_locations=list(locations)))


def test_without_a_location_the_kind_is_skipped_with_a_hint(tmp_path):
    result = _check(tmp_path, [])
    assert _violations(result) == []
    [missing] = [f for f in result.findings if f.rule == "schema-missing"]
    assert "--schema-location" in missing.message


def test_a_folder_of_crd_files(tmp_path, crd_folder):
    result = _check(tmp_path, [str(crd_folder)])
    lines = [line for line, _ in _violations(result)]
    assert lines == [6, 7] and "must be at least 1, is 0" in _violations(result)[0][1]
    assert 'unknown field "retain"' in _violations(result)[1][1]
    assert not [f for f in result.findings if f.rule == "schema-missing"]


def test_the_converter_script_writes_the_catalog_layout_and_templates_read_it(tmp_path, crd_folder):
    out = tmp_path / "schemas"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "crd_to_schemas.py"), "-o", str(out),
                           str(crd_folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = json.loads((out / "example.com" / "backup_v1.json").read_text())
    assert "description" not in json.dumps(written)                 # descriptions dropped
    assert written["properties"]["spec"]["x-kubernetes-validations"][0]["rule"] == "self.keep <= 30"
    as_folder = _check(tmp_path, [str(out)])
    template = str(out) + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
    as_template = _check(tmp_path, [template])
    assert [line for line, _ in _violations(as_folder)] == [line for line, _ in _violations(as_template)] == [6, 7]


def test_the_input_crd_comes_first(tmp_path, crd_folder):
    loose = CRD.replace("minimum: 1", "minimum: 0")
    manifest = tmp_path / "both.yaml"
    manifest.write_text(loose + "---\n" + BACKUP)
    result = check([str(manifest)], Config(schema_locations=[str(crd_folder)]))
    assert [m for _, m in _violations(result) if "keep" in m] == []


def test_bundled_schemas_validate_common_operators_resources(tmp_path):
    manifest = tmp_path / "route.yaml"
    manifest.write_text("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\n"
                        "spec:\n  parentRefs: [{name: gw}]\n  rules:\n"
                        "    - backendRefs: [{name: web, port: \"80\"}]\n"
                        "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web}\n"
                        "spec: {secretName: web-tls, issuerRef: {name: le, kind: ClusterIssuer}}\n")
    result = check([str(manifest)], Config(schema_locations=["bundled"]))
    assert _violations(result) == [(7, 'spec.rules[0].backendRefs[0].port: expected integer, got string "80"')]
    assert not [f for f in result.findings if f.rule == "schema-missing"]
    for group, version, kind in [("monitoring.coreos.com", "v1", "ServiceMonitor"), ("keda.sh", "v1alpha1", "ScaledObject"),
                                 ("argoproj.io", "v1alpha1", "Rollout"), ("cert-manager.io", "v1", "ClusterIssuer")]:
        assert openapi_schema(["bundled"], group, version, kind) is not None, kind


def test_crd_documents_and_openapi_schema_keep_the_cel_rules(crd_folder):
    [crd] = crd_documents([str(crd_folder)])
    assert crd["metadata"]["name"] == "backups.example.com"
    schema = openapi_schema([str(crd_folder)], "example.com", "v1", "Backup")
    assert schema["properties"]["spec"]["x-kubernetes-validations"] == [
        {"rule": "self.keep <= 30", "message": "keep at most 30"}]


@pytest.mark.parametrize("location, message", [
    ("https://raw.githubusercontent.com/x/{{ .Group }}.json", "only local paths"),
    ("missing-folder", "no such file or directory"),
    ("crds/{{ .Nope }}/x.json", "unknown template variable 'Nope'"),
])
def test_bad_locations_are_usage_errors(tmp_path, location, message):
    with pytest.raises(SchemaLocationError, match=message):
        check_location(location)
    manifest = tmp_path / "a.yaml"
    manifest.write_text(BACKUP)
    result = CliRunner().invoke(main, ["check", "--no-config", "--schema-location", location, str(manifest)])
    assert result.exit_code == 2 and message in result.output and "Usage:" not in result.output


def test_config_locations_are_relative_to_the_config_file(tmp_path, crd_folder):
    config_file = tmp_path / ".k8slint.yaml"
    config_file.write_text("schema-locations: [crds, bundled]\n")
    config = load_config(config_file)
    assert config.schema_locations == [str(tmp_path / "crds"), "bundled"]
    manifest = tmp_path / "backup.yaml"
    manifest.write_text(BACKUP)
    assert [line for line, _ in _violations(check([str(manifest)], config))] == [6, 7]


def test_template_variables_follow_kubeconform():
    text = "{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
    assert expand_template(text, "monitoring.coreos.com", "v1", "ServiceMonitor", (1, 30)) == \
        "v1.30.0-strict/servicemonitor-monitoring-v1.json"


@pytest.mark.parametrize("version, removed", [("1.24", False), ("1.25", True)])
def test_kubernetes_1_23_and_1_24_are_targets(version, removed):
    # batch/v1beta1 CronJob is served up to 1.24 and removed in 1.25 (Kubernetes deprecation
    # guide, "v1.25": "The batch/v1beta1 API version of CronJob is no longer served").
    from k8slint.api import check_text
    cronjob = ("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '0 3 * * *'\n"
               "  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n"
               "          containers: [{name: c, image: busybox:1.36}]\n")
    from k8slint.k8s.versions import parse_version
    result = check_text(cronjob, Config(kubernetes_version=parse_version(version)))
    rules = {f.rule for f in result.findings}
    assert ("api-version-removed" in rules) is removed
    assert "api-version-unknown" not in rules and "schema-violation" not in rules
