"""`k8slint diff` reports: the markdown comment stays under GitHub's comment limit."""

from __future__ import annotations

from k8slint.diff import diff_texts
from k8slint.diff.report import COMMENT_LIMIT, render_markdown

TEMPLATE = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: service-with-a-rather-long-name-{i:04d}, namespace: team-{t}}}
spec:
  replicas: {r}
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec: {{containers: [{{name: main, image: 'registry.example.com/org/service-with-a-rather-long-name-{i}:{v}'}}]}}
"""


def manifests(count: int, version: str, selector_suffix: str = "") -> str:
    out = []
    for i in range(count):
        text = TEMPLATE.format(i=i, t=i % 7, r=3 + i % 5, v=version)
        if selector_suffix and i % 10 == 0:            # every tenth: a refused selector change
            text = text.replace(f"{{app: app-{i}}}", f"{{app: app-{i}{selector_suffix}}}")
        out.append(text)
    return "".join(out)


def test_500_object_change_fits_in_a_comment_and_folds_the_rest():
    result = diff_texts(manifests(500, "1.0"), manifests(500, "2.0", "-v2"))
    assert len(result.changes) == 500
    text = render_markdown(result)
    assert len(text) < COMMENT_LIMIT
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert 50 < len(rows) < 500
    assert "more object(s) |" in text and "folded to fit a comment" in text
    # The riskiest rows come first: the 50 refused selector changes are all shown.
    assert sum("⛔ refused" in row for row in rows) == 50
    assert text.count("<details>") == text.count("</details>")


def test_small_change_is_not_folded():
    result = diff_texts(manifests(3, "1.0"), manifests(3, "2.0"))
    text = render_markdown(result)
    assert "folded" not in text and text.count("| `Deployment/") == 3
    assert text.splitlines()[0] == "### k8slint diff: `before.yaml` → `after.yaml`"
