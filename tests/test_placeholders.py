"""Template placeholders: recognised forms, where they are looked for, and the silence of
the format rules on values holding one."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slint.api import check
from k8slint.config import Config
from k8slint.placeholders import find, has_placeholder, scan

PLACEHOLDERS = Path(__file__).parent / "fixtures" / "repos" / "placeholders"


@pytest.mark.parametrize("value, lower_case, image, expected", [
    ("${IMAGE_URL}", False, False, ["${IMAGE_URL}"]),
    ("${NAMESPACE:-default}", False, False, ["${NAMESPACE:-default}"]),
    ("$IMAGE", False, False, ["$IMAGE"]),
    ("<DOCKER_REPO>/app", False, False, ["<DOCKER_REPO>"]),
    ("{{HF_TOKEN}}", False, False, ["{{HF_TOKEN}}"]),
    ("{{ APP }}", False, False, ["{{ APP }}"]),
    ("PV_NAME", True, False, ["PV_NAME"]),
    ("PV_NAME", False, False, []),                 # capitals are valid outside lower-case fields
    ("gcr.io/PROJECT_ID/app:v1", False, True, ["PROJECT_ID"]),
    ("gcr.io/PROJECT/app", False, True, ["PROJECT"]),
    ("nginx:1.27-ALPINE_X", False, True, []),      # a tag may hold capitals
    ("$(POD_IP)", False, False, []),               # Kubernetes' own expansion (kubelet expand)
    ("$(REGISTRY)/app", False, True, ["$(REGISTRY)"]),   # ... but a make-style placeholder in an image
    ("a$$b", False, False, []),
    ("step-plugin-e2e-$$name$$", True, False, ["$$name$$"]),     # argo-rollouts e2e templates
    ("{IMAGE}", False, True, ["{IMAGE}"]),                       # cert-manager's make/config
    ("{image}", False, False, []),                               # not the capitals of a placeholder
    ("REPLACEME-canary", True, False, ["REPLACEME"]),            # argo-rollouts e2e (sed)
    ("CHANGE_ME", True, False, ["CHANGE_ME"]),
    ("REPLACEME-canary", False, False, []),                      # capitals are fine elsewhere
    ("my-API-gateway", True, False, []),                         # a real (invalid) name
    ("my-app", True, False, []),
    ("web_APP", True, False, []),                  # not a placeholder: a real (invalid) name
    ("<< CustomSignerName >>", False, False, ["<< CustomSignerName >>"]),   # ocm test/e2e/manifests/addon
    ("klusterlet.vX.Y.Z", True, False, ["vX.Y.Z"]),      # operator-sdk CSV base (ocm deploy/klusterlet)
    ("klusterlet.vX.Y.Z", False, False, []),             # capitals are fine outside lower-case fields
    ("app-x.y.z", True, False, []),                      # lower-case: a real name
])
def test_forms(value: str, lower_case: bool, image: bool, expected: list[str]) -> None:
    assert find(value, lower_case=lower_case, image=image) == expected


def test_a_capitalised_word_where_a_number_or_port_name_belongs() -> None:
    assert find("PORT", port=True) == ["PORT"] and find("PORT") == []
    assert has_placeholder("PORT", lower_case=False, port=True)
    assert not has_placeholder("http", port=True) and not has_placeholder("8080", port=True)


def test_predicate() -> None:
    assert has_placeholder("${VERSION}") and has_placeholder("PROJECT_ID")
    assert not has_placeholder("nginx:1.27") and not has_placeholder(3) and not has_placeholder(None)
    assert has_placeholder("gcr.io/PROJECT/app", image=True) and not has_placeholder("gcr.io/PROJECT/app")


def test_scan_skips_free_text_and_custom_resource_specs() -> None:
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "${APP}", "annotations": {"a": "sh $X", "b": "${GSA}"}},
                  "spec": {"template": {"spec": {"containers": [
                      {"name": "web", "image": "gcr.io/PROJECT_ID/web", "args": ["$HOME"],
                       "env": [{"name": "PROJECT_ID", "value": "${PROJECT_ID}"}, {"name": "B", "value": "$(A)"}]}]}}}}
    assert [p for _, p in scan(deployment, "Deployment", "apps")] == ["${APP}", "${GSA}", "PROJECT_ID",
                                                                       "${PROJECT_ID}"]
    workflow = {"metadata": {"name": "wf"}, "spec": {"templates": [{"name": "{{inputs.parameters.x}}"}]}}
    assert list(scan(workflow, "Workflow", "argoproj.io")) == []


def test_format_rules_stay_silent_and_the_rest_is_still_checked() -> None:
    result = check([str(PLACEHOLDERS)], Config())
    format_rules = {"object-name", "label-syntax", "image-invalid", "resource-quantity-invalid",
                    "schema-violation", "helm-template", "yaml-syntax"}
    assert not [f for f in result.findings if f.rule in format_rules]
    assert [f.file for f in result.findings if f.rule == "bare-pod"]       # other rules still run
    assert result.objects == 7


def test_one_info_per_object_listing_its_placeholders() -> None:
    result = check([str(PLACEHOLDERS)], Config(only=["template-placeholder"]))
    listed = {(f.file.rsplit("/", 1)[-1], f.object.name if f.object else None): f.message
              for f in result.findings}
    assert len(result.findings) == len(listed) == 7
    assert "4 template placeholders (${APP_NAME}, ${NAMESPACE:-default}, ${VERSION}, ${IMAGE_URL})" in \
        listed[("envsubst.yaml", "${APP_NAME}")]
    assert "({{HF_TOKEN}})" in listed[("sed.yaml", "hf-secret")]     # a whole value in stringData
    assert "(PV_NAME)" in listed[("caps.yaml", "data")] and "(PROJECT_ID)" in listed[("caps.yaml", "app")]
    assert "(<DOCKER_REPO>)" in listed[("angle.yaml", "builder")]
    assert "($IMAGE)" in listed[("dollar.yaml", "worker")]
    assert "({{ APP }})" in listed[("sed.yaml", "{{ APP }}")]
    assert all(str(f.severity) == "info" for f in result.findings)


def test_a_version_stand_in_and_a_double_angle_placeholder_are_placeholders() -> None:
    """open-cluster-management-io/ocm: deploy/klusterlet/config/manifests/bases/
    klusterlet.clusterserviceversion.yaml (an operator-sdk CSV base named `klusterlet.vX.Y.Z`)
    and test/e2e/manifests/addon/signca_secret_role.yaml (`<< Name >>`, which the e2e test
    replaces): one info each, not an invalid name."""
    from k8slint.api import check_text

    text = """\
apiVersion: operators.coreos.com/v1alpha1
kind: ClusterServiceVersion
metadata:
  name: klusterlet.vX.Y.Z
  namespace: placeholder
spec: {}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: << CustomSignerSecretName >>
  namespace: << CustomSignerSecretNamespace >>
rules: []
"""
    found = [(f.rule, str(f.severity), f.line) for f in check_text(text, Config()).findings]
    assert found == [("schema-missing", "info", 2),      # no CRD of ClusterServiceVersion given
                     ("template-placeholder", "info", 4), ("template-placeholder", "info", 11)]
