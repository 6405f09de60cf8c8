"""The removed/deprecated API table agrees with the bundled schemas and the docs."""

from __future__ import annotations

from k8slint import schema
from k8slint.k8s.apis import API_CHANGES, api_change
from k8slint.k8s.versions import LATEST, SUPPORTED
from tests.conftest import lint


def test_table_agrees_with_bundled_schemas():
    first, last = SUPPORTED[0], SUPPORTED[-1]
    for change in API_CHANGES:
        for kind in change.kinds:
            known = schema.versions_with(change.api_version, kind)
            if change.removed is not None:
                # Never bundled from its removal on...
                assert all(v < change.removed for v in known), (change, kind, known)
                # ...and bundled right before it, when that version is bundled.
                before = (change.removed[0], change.removed[1] - 1)
                # Eviction is only the body of the pods/eviction subresource: the 1.24 OpenAPI
                # definitions (kubernetes-validate 1.30.0, v1.24.0) hold policy/v1 Eviction alone.
                subresource_only = (change.api_version, kind) == ("policy/v1beta1", "Eviction")
                if first <= before <= last and not subresource_only:
                    assert before in known, (change, kind, known)
            else:
                assert known and known[-1] == last, (change, kind)


def test_every_removal_of_the_deprecation_guide_is_there():
    # kubernetes.io/docs/reference/using-api/deprecation-guide/: one (apiVersion, kind) per row at least.
    for api_version, kind, removed in [
        ("extensions/v1beta1", "Deployment", (1, 16)), ("apps/v1beta2", "StatefulSet", (1, 16)),
        ("extensions/v1beta1", "Ingress", (1, 22)), ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", (1, 22)),
        ("batch/v1beta1", "CronJob", (1, 25)), ("policy/v1beta1", "PodDisruptionBudget", (1, 25)),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 26)),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity", (1, 27)),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", (1, 29)),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", (1, 32)),
        ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", (1, 34)),
        ("storage.k8s.io/v1beta1", "VolumeAttributesClass", (1, 37)),
        ("networking.k8s.io/v1beta1", "ServiceCIDR", (1, 37)),
    ]:
        change = api_change(api_version, kind)
        assert change is not None and change.removed == removed, (api_version, kind)


def test_replacements_are_served_by_the_newest_version():
    for change in API_CHANGES:
        if change.replacement:
            api_version = change.replacement.split(" ")[0]
            for kind in change.kinds:
                if kind == "Eviction":           # a subresource, not a kind one applies
                    continue
                assert schema.has_kind(LATEST, api_version, kind), (change, kind)


def _rules(text: str, version: str) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message) for f in lint(text, "api-version", version=version)]


def test_removed_vs_deprecated_by_target_version():
    text = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
    [(rule, _, message)] = _rules(text, "1.25")
    assert rule == "api-version-deprecated" and "removed in 1.26: use autoscaling/v2" in message
    [(rule, _, message)] = _rules(text, "1.26")
    assert rule == "api-version-removed" and "removed in Kubernetes 1.26" in message


def test_alpha_removed_is_derived_from_the_bundle():
    text = "apiVersion: resource.k8s.io/v1alpha2\nkind: ResourceClass\nmetadata: {name: gpu}\n"
    [(rule, _, message)] = _rules(text, "1.31")
    assert rule == "api-version-removed"
    assert "removed in Kubernetes 1.31 (last served in 1.30)" in message
    [(rule, _, _)] = _rules(text, "1.30")
    assert rule == "api-version-not-default"


def test_unknown_group_version():
    [(rule, _, message)] = _rules("apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: w}\n", "1.30")
    assert rule == "api-version-unknown" and "use apps/v1" in message
