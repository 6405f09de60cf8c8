"""Kustomizations that build a Helm chart's templates, not manifests.

Gatekeeper's helmify (open-policy-agent/gatekeeper cmd/build/helmify, copied by
Azure/azure-workload-identity third_party/open-policy-agent/gatekeeper/helmify) runs
`kustomize build` on a kustomization that writes Helm template actions into the objects
(`namespace: "{{ .Release.Namespace }}"`, labels of `{{ template "name" . }}`, patches with
`{{ .Values.service.port }}` and `HELMSUBST_*` keys), and a Go program turns the output into
the chart's templates/ (`kustomize build helmify | go run helmify/*.go`). What gets applied is
that chart, rendered with its values; the build's output is never applied as it is.
"""

from __future__ import annotations

import re

from ..i18n import _
from ..model import Hit, Severity

# Helm's built-in objects and named templates (https://helm.sh/docs/chart_template_guide/builtin_objects/,
# named_templates/): actions that only `helm template` and `helm install` render.
_HELM_ACTION = re.compile(r"\{\{-?\s*(?:template|include)\s+\"|\{\{[^{}\n]*\.(?:Values|Release|Chart|Capabilities)\.")
RULE = "helm-template"


def action(text: object) -> str | None:
    """The first Helm template action in a kustomization's text, or None."""
    if not isinstance(text, str) or "{{" not in text:
        return None
    found = _HELM_ACTION.search(text)
    if found is None:
        return None
    end = text.find("}}", found.start())
    return text[found.start():end + 2] if end >= 0 else found.group(0)


def hits(found: list[Hit], file: str, written: str) -> list[Hit]:
    """The hits of such a build: one info at the kustomization, and those on the kustomization
    itself (`kustomize build` fails, a patch matches nothing: true of the chart it makes);
    the findings on its objects and patch files are dropped with the objects."""
    kept = [h for h in found if (h.rule or "").startswith("kustomize-")]
    note = Hit(message=_("this kustomization writes Helm template actions ({action}) into the objects it builds: "
                         "its output is a Helm chart's templates, not manifests, and is not checked; render the "
                         "chart and check that: helm template CHART | k8slint check -").format(action=written),
               file=file, line=1, column=1, rule=RULE, severity=Severity.INFO)
    return [note, *kept]
