"""No false alarms on real bundles: zero schema, naming and syntax errors at 1.30."""

from __future__ import annotations

import pytest

from k8slint.api import check
from k8slint.config import Config
from k8slint.model import Severity
from tests.conftest import CORPUS

REAL = CORPUS / "real"
BUNDLES = sorted(p.name for p in REAL.iterdir() if p.is_dir()) if REAL.is_dir() else []


def _check(path, only=None):
    config = Config(only=only)
    config.kubernetes_version = (1, 30)
    return check([str(path)], config)


@pytest.mark.parametrize("bundle", BUNDLES)
def test_no_errors_on_real_bundles(bundle):
    result = _check(REAL / bundle, only=["schema", "naming", "syntax", "api-version"])
    errors = [f"{f.file}:{f.line} {f.rule} {f.message}" for f in result.findings
              if f.severity == Severity.ERROR]
    assert errors == []


def test_kube_prometheus_custom_resources_are_validated_against_their_crds():
    result = _check(REAL / "kube-prometheus", only=["schema-missing", "schema-violation"])
    assert result.findings == []
    kinds = {o.kind for o in result.graph.objects if o.group == "monitoring.coreos.com"}
    assert {"Prometheus", "ServiceMonitor", "PrometheusRule", "Alertmanager"} <= kinds
