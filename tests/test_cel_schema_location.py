"""CRD validation rules of custom kinds whose schema comes from --schema-location (the
bundled Gateway API schemas keep their x-kubernetes-validations), not from a CRD in the
input: the API server evaluates them the same way (apiextensions-apiserver
pkg/apiserver/schema/cel/validation.go Validate)."""

from __future__ import annotations

import pytest

from k8slint.api import check_text

pytest.importorskip("cel_expr_python", reason="the cel extra is not installed")

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{name: gw}]
  rules:
  - filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https}
{extra}"""
# Gateway API's HTTPRouteRule: "May specify either httpRouteFilterRequestRedirect or
# httpRouteFilterRequestRewrite, but not both" (apis/v1/httproute_types.go, a CEL rule).
REWRITE = """\
    - type: URLRewrite
      urlRewrite: {hostname: example.com}
"""


def _rule_findings(text: str, locations: list[str]) -> list[str]:
    config = {"schema-locations": locations, "enable": ["crd-validation-rule"]}
    return [f.message for f in check_text(text, config).findings if f.rule == "crd-validation-rule"]


def test_a_rule_of_a_bundled_crd_schema_refuses_the_object() -> None:
    found = _rule_findings(ROUTE.replace("{extra}", REWRITE), ["bundled"])
    assert len(found) == 1
    assert "but not both" in found[0] and "--schema-location" in found[0]


def test_a_valid_object_and_no_location_give_nothing() -> None:
    assert _rule_findings(ROUTE.replace("{extra}", ""), ["bundled"]) == []
    assert _rule_findings(ROUTE.replace("{extra}", REWRITE), []) == []
