"""A required field of a custom resource that its CRD gives a default is not missing: the
API server defaults a custom resource while decoding it (apiextensions-apiserver
pkg/apiserver/schema/defaulting/algorithm.go Default), before customResourceStrategy.Validate
checks `required` (kuberay's RayCluster workerGroupSpecs: minReplicas and maxReplicas)."""

from __future__ import annotations

from k8slint.api import check_text

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusters.ray.example.com}
spec:
  group: ray.example.com
  names: {kind: Cluster, plural: clusters}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                workerGroupSpecs:
                  type: array
                  items:
                    type: object
                    required: [groupName, maxReplicas, minReplicas]
                    properties:
                      groupName: {type: string}
                      maxReplicas: {type: integer, format: int32, default: 2147483647}
                      minReplicas: {type: integer, format: int32, default: 0}
---
"""


def _missing(body: str) -> list[tuple[int, str]]:
    result = check_text(CRD + body)
    return [(f.line, f.message) for f in result.findings if f.rule == "schema-violation"]


def test_a_required_field_with_a_default_may_be_left_out() -> None:
    assert _missing("""\
apiVersion: ray.example.com/v1
kind: Cluster
metadata: {name: c}
spec:
  workerGroupSpecs:
    - groupName: small
""") == []


def test_a_required_field_without_a_default_is_still_missing() -> None:
    found = _missing("""\
apiVersion: ray.example.com/v1
kind: Cluster
metadata: {name: c}
spec:
  workerGroupSpecs:
    - maxReplicas: 3
""")
    assert len(found) == 1 and found[0][0] == 34 and '"groupName"' in found[0][1]


WEBHOOK = """\
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: mutating}
webhooks:
  - name: mcluster.ray.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig: {service: {name: webhook, namespace: system, path: /mutate}}
    rules:
      - {apiGroups: [ray.example.com], apiVersions: [v1], operations: [CREATE], resources: [clusters]}
"""


def test_a_mutating_webhook_of_the_input_may_set_a_required_field() -> None:
    # the admission chain runs mutating webhooks before the registry validates the object
    # against its schema (kubernetes-sigs/jobset: its webhook names failure-policy rules)
    result = check_text(CRD + """\
apiVersion: ray.example.com/v1
kind: Cluster
metadata: {name: c}
spec:
  workerGroupSpecs:
    - maxReplicas: 3
""" + WEBHOOK)
    found = [(f.severity.name, f.message) for f in result.findings if f.rule == "schema-violation"]
    assert len(found) == 1 and found[0][0] == "WARNING"
    assert "unless the mutating webhook mcluster.ray.example.com of the input sets it" in found[0][1]
