"""k8slint fix on texts: each fixer, comments and layout kept, idempotence."""

from __future__ import annotations

import pytest

from k8slint.api import check_text
from k8slint.config import Config
from k8slint.fix import fix_text
from k8slint.fix.roundtrip import Indent, detect_indent
from k8slint.fix.splice import comments, splice
from k8slint.rules import builtin_rules
from tests.conftest import ROOT


def fixed(text: str, **config: object) -> str:
    result = fix_text(text, "test.yaml", Config(**config) if config else None)
    again = fix_text(result.text, "test.yaml", Config(**config) if config else None)
    assert again.text == result.text, "a second fix changed the text again"
    assert not again.changes
    return result.text


def test_quotes_traps_from_the_original_text_and_keeps_comments():
    text = ("# the web config\n"
            "apiVersion: v1\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: web   # name\n"
            "  labels:\n"
            "    version: 1.10     # app version\n"
            "    legacy: yes\n"
            "data: {mode: 0755, scale: 1e3, ok: 'single'}\n")
    assert fixed(text) == ("# the web config\n"
                           "apiVersion: v1\n"
                           "kind: ConfigMap\n"
                           "metadata:\n"
                           "  name: web   # name\n"
                           "  labels:\n"
                           '    version: "1.10"   # app version\n'
                           '    legacy: "yes"\n'
                           "data: {mode: \"0755\", scale: \"1e3\", ok: 'single'}\n")


def test_null_is_not_quoted():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  empty: ~\n"
    result = fix_text(text, "test.yaml")
    assert not result.changed
    assert [f.rule for f, _ in result.left] == ["yaml-string-trap"]


def test_multi_document_file_with_source_comments():
    text = ("# Copyright header before the first marker\n"
            "---\n"
            "# Source: chart/templates/a.yaml\n"
            "apiVersion: v1\n"
            "kind: ConfigMap\n"
            "metadata: {name: a}\n"
            "data: {flag: 'x'}\n"
            "---\n"
            "# Source: chart/templates/b.yaml\n"
            "apiVersion: v1\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "    name: b\n"
            "data:\n"
            "    flag: on   # must stay a string\n"
            "...\n")
    assert fixed(text) == text.replace("flag: on   #", 'flag: "on" #')  # comment column kept


def test_apps_migration_adds_selector_from_template_labels():
    text = ("apiVersion: extensions/v1beta1   # old\n"
            "kind: Deployment\n"
            "metadata: {name: web}\n"
            "spec:\n"
            "  replicas: 2\n"
            "  # the pods\n"
            "  template:\n"
            "    metadata:\n"
            "      labels: {app: web, tier: front}\n"
            "    spec:\n"
            "      containers:\n"
            "        - {name: web, image: nginx:1.27}\n")
    out = fixed(text)
    assert out == text.replace("extensions/v1beta1   #", "apps/v1              #").replace(
        "  # the pods\n", "  selector:\n    matchLabels: {app: web, tier: front}\n  # the pods\n")
    assert not [f for f in check_text(out).findings if f.category in ("api-version", "schema")]


def test_apps_migration_keeps_an_existing_selector_and_refuses_rollback_to():
    keep = ("apiVersion: apps/v1beta2\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n"
            "  serviceName: db\n  selector: {matchLabels: {app: db}}\n"
            "  template:\n    metadata: {labels: {app: db}}\n"
            "    spec: {containers: [{name: db, image: postgres:16}]}\n")
    assert fixed(keep) == keep.replace("apps/v1beta2", "apps/v1")
    rollback = ("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web}\n"
                "spec:\n  rollbackTo: {revision: 1}\n  template:\n    metadata: {labels: {app: web}}\n"
                "    spec: {containers: [{name: web, image: nginx:1.27}]}\n")
    assert fixed(rollback) == rollback


def test_ingress_v1beta1_to_v1():
    text = ("apiVersion: extensions/v1beta1\n"
            "kind: Ingress\n"
            "metadata: {name: web}\n"
            "spec:\n"
            "  backend: {serviceName: web, servicePort: 80}\n"
            "  rules:\n"
            "    - host: example.com\n"
            "      http:\n"
            "        paths:\n"
            "          - path: /api\n"
            "            backend:\n"
            "              serviceName: api   # the API\n"
            "              servicePort: http\n")
    assert fixed(text) == ("apiVersion: networking.k8s.io/v1\n"
                           "kind: Ingress\n"
                           "metadata: {name: web}\n"
                           "spec:\n"
                           "  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
                           "  rules:\n"
                           "    - host: example.com\n"
                           "      http:\n"
                           "        paths:\n"
                           "          - path: /api\n"
                           "            pathType: ImplementationSpecific\n"
                           "            backend:\n"
                           "              service:\n"
                           "                name: api        # the API\n"
                           "                port: {name: http}\n")


def test_ingress_with_a_quoted_number_port_is_left_alone():
    text = ("apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: web}\n"
            "spec:\n  backend: {serviceName: web, servicePort: '80'}\n")
    assert fixed(text) == text


def test_hpa_v2beta1_metrics_and_pdb():
    hpa = ("apiVersion: autoscaling/v2beta1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
           "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
           "  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n"
           "      targetAverageUtilization: 80\n")
    assert fixed(hpa).endswith("    resource:\n      name: cpu\n      target:\n        type: Utilization\n"
                               "        averageUtilization: 80\n")
    pdb = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n"
    assert fixed(pdb) == pdb          # no selector: policy/v1 would select every pod


def test_exact_duplicate_env_removed_other_duplicates_kept():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
            "    - name: web\n      image: nginx:1.27\n      env:\n"
            "        - {name: A, value: x}\n"
            "        - {name: A, value: x}\n"
            "        # B is the second variable\n"
            "        - {name: B, value: y}\n"
            "        - {name: B, value: z}\n")
    out = fixed(text)
    assert out == text.replace("        - {name: A, value: x}\n", "", 1)
    assert "# B is the second variable" in out


def test_grace_period_raised_above_the_prestop_sleep():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
            "  terminationGracePeriodSeconds: 20   # seconds\n"
            "  containers:\n    - name: web\n      image: nginx:1.27\n"
            "      lifecycle:\n        preStop:\n          sleep: {seconds: 20}\n")
    assert fixed(text) == text.replace("Seconds: 20   #", "Seconds: 40   #")


def test_service_ports_named():
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
            "  ports:\n    - {name: http, port: 80}\n    - port: 9090   # metrics\n      targetPort: 9090\n")
    assert fixed(text) == text.replace("    - port: 9090   # metrics\n",
                                       "    - name: port-9090\n      port: 9090   # metrics\n")


def test_crlf_line_endings_are_kept():
    text = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: web}\r\ndata:\r\n  a: yes\r\n"
    assert fixed(text) == text.replace("a: yes", 'a: "yes"')


def test_a_fix_that_would_lose_a_comment_is_not_made():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
            "    - name: web\n      image: nginx:1.27\n      env:\n"
            "        - {name: A, value: x}\n"
            "        - {name: A, value: x}   # copied by mistake\n")
    result = fix_text(text, "test.yaml")
    assert not result.changed
    assert "fix by hand" in result.left[0][1]


def test_legacy_fixture_matches_its_fixed_twin():
    before = (ROOT / "fixtures" / "fix" / "legacy.yaml").read_text()
    after = (ROOT / "fixtures" / "fix" / "legacy.fixed.yaml").read_text()
    result = fix_text(before, "legacy.yaml")
    assert result.text == after
    assert not result.left
    assert comments(before) - comments(after) == {} or not (comments(before) - comments(after))
    fixable = [rule for rule, meta in builtin_rules().items() if meta.fixable]
    remaining = check_text(after, Config(only=fixable)).findings
    assert remaining == []


@pytest.mark.parametrize("text, indent", [
    ("a:\n  b:\n  - x\n", Indent(2, 2, 0)),
    ("a:\n    b:\n      - x\n", Indent(4, 4, 2)),
    ("a:\n  b: |\n      text\n  c:\n    - x\n", Indent(2, 4, 2)),
])
def test_detect_indent(text, indent):
    assert detect_indent(text) == indent


def test_splice_refuses_changes_it_cannot_place():
    original = "a: 1\nb: 2\n"
    assert splice(original, "a: 1\nb: 2\n", "a: 1\nb: 3\n") == "a: 1\nb: 3\n"
    assert splice(original, "x: 1\ny: 2\nz: 3\n", "x: 1\ny: 9\nz: 3\n") is None
