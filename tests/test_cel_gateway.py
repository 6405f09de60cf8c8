"""Gateway API's CRDs with their CEL rules: every invalid example of the project is refused
and every valid example accepted, as by the API server (tests/cel/gateway-api/README.md).

Most refusals come from the CRDs' x-kubernetes-validations rules (crd-validation-rule);
the others from the OpenAPI schema (schema rules) or from the list-type uniqueness the API
server enforces (listtype.ValidateListSetsAndMaps, also crd-validation-rule). Where the
API server's own first message differs from ours, DISAGREEMENTS says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slint.api import check
from k8slint.cel import available
from k8slint.config import Config

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")

ROOT = Path(__file__).parent / "cel" / "gateway-api"
CRDS = sorted(str(p) for p in (ROOT / "crds").glob("*.yaml"))

# The rule and a fragment of the message that refuses each invalid example (the CEL
# messages are the CRDs' own).
EXPECTED = {
    "gateway-duplicate-listeners.yaml": ("crd-validation-rule", "Listener name must be unique within the Gateway"),
    "gateway-hostname-tcp.yaml": ("crd-validation-rule", "hostname must not be specified for protocols ['TCP', 'UDP']"),
    "gateway-hostname-udp.yaml": ("crd-validation-rule", "hostname must not be specified for protocols ['TCP', 'UDP']"),
    "gateway-invalid-addresses.yaml": ("schema-violation", "spec.addresses[0]"),
    "gateway-invalid-listener-name.yaml": ("schema-violation", "does not match the pattern"),
    "gateway-invalid-listener-port.yaml": ("schema-violation", "must be at most 65535"),
    "gateway-invalid-tls-mode.yaml": ("crd-validation-rule", "tls mode must be Terminate for protocol HTTPS"),
    "gateway-tlsconfig-tcp.yaml": ("crd-validation-rule", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"),
    "gatewayclass-invalid-controller.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-duplicate-header-match.yaml": ("crd-validation-rule", "Duplicate value"),
    "httproute-duplicate-query-match.yaml": ("crd-validation-rule", "Duplicate value"),
    "httproute-httproute-portless-backend.yaml": ("crd-validation-rule", "Must have port for Service reference"),
    "httproute-httproute-portless-service.yaml": ("crd-validation-rule", "Must have port for Service reference"),
    "httproute-invalid-backend-group.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-invalid-backend-kind.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-invalid-backend-port.yaml": ("schema-violation", "must be at most 65535"),
    "httproute-invalid-filter-duplicate-header.yaml": ("crd-validation-rule", "Duplicate value"),
    "httproute-invalid-filter-duplicate.yaml": ("crd-validation-rule", "RequestHeaderModifier filter cannot be repeated"),
    "httproute-invalid-filter-empty.yaml": ("crd-validation-rule", "filter.requestHeaderModifier must be specified"),
    "httproute-invalid-filter-wrong-field.yaml": ("crd-validation-rule", "filter.requestHeaderModifier must be specified"),
    "httproute-invalid-header-name.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-invalid-hostname.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-invalid-httpredirect-hostname.yaml": ("schema-violation", "does not match the pattern"),
    "httproute-invalid-method.yaml": ("schema-violation", "NOTREAL"),
    "httproute-invalid-path-alphanum-specialchars-mix.yaml": ("crd-validation-rule", "must only contain valid characters"),
    "httproute-invalid-path-specialchars.yaml": ("crd-validation-rule", "must only contain valid characters"),
    "httproute-invalid-request-redirect-with-backendref.yaml": ("crd-validation-rule", "RequestRedirect filter must not be used together with backendRefs"),
    "referencegrant-missing-from.yaml": ("schema-violation", "missing required field \"from\""),
    "referencegrant-missing-ns.yaml": ("schema-violation", "missing required field \"namespace\""),
    "referencegrant-missing-to.yaml": ("schema-violation", "missing required field \"to\""),
    "tlsroute-invalid-hostname.yaml": ("crd-validation-rule", "Hostnames must be valid based on RFC-1123"),
    "tlsroute-no-hostname.yaml": ("schema-violation", "missing required field \"hostnames\""),
}

# Where k8slint's first reason differs from the API server's while the verdict agrees.
DISAGREEMENTS = {
    "gateway-invalid-addresses.yaml":
        "the API server reports the CEL rules of each address (IPAddress/Hostname value "
        "rules) and the ipv4/ipv6 formats; k8slint reports the formats as schema-violation "
        "(type defaults to IPAddress) and the Hostname rule; both refuse the Gateway",
}


@pytest.fixture(scope="module")
def invalid_errors() -> dict[str, list[tuple[str, str]]]:
    """One run over the CRDs and every invalid example (findings name their file)."""
    files = sorted(str(p) for p in (ROOT / "invalid").glob("*.yaml"))
    out: dict[str, list[tuple[str, str]]] = {Path(f).name: [] for f in files}
    for f in check([*CRDS, *files], Config()).findings:
        if Path(f.file).name in out and str(f.severity) == "error":
            out[Path(f.file).name].append((f.rule, f.message))
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_example_is_refused(name: str, invalid_errors: dict[str, list[tuple[str, str]]]) -> None:
    rule, fragment = EXPECTED[name]
    errors = invalid_errors[name]
    assert any(r == rule and fragment in m for r, m in errors), errors


def test_every_invalid_example_is_listed() -> None:
    assert sorted(p.name for p in (ROOT / "invalid").glob("*.yaml")) == sorted(EXPECTED)
    assert set(DISAGREEMENTS) <= set(EXPECTED)


def test_valid_examples_are_accepted() -> None:
    files = sorted(str(p) for p in (ROOT / "valid").glob("*.yaml"))
    assert len(files) > 50
    result = check([*CRDS, *files], Config(only=["crd-validation-rule", "cel-expression-invalid",
                                                 "cel-not-evaluated"]))
    assert [(Path(f.file).name, f.message) for f in result.findings] == []
