"""Manifest text is untrusted (pull requests from forks end up in CI artifacts): payloads in
names, labels, annotations, images, commands, env values, ConfigMap data and the file name
must come out of both HTML pages as text, never as markup, attributes, URLs or script.

The parsed pages hold only the elements and attributes the renderers write; the browser
half (tests/test_html_browser.py) opens the same pages, clicks everything that shows data,
and checks no dialog opened, no error was logged and the planted global was never set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.html_pages import parse, run

# Each payload sets window.pwned when it runs; PLANTED is checked in the browser.
PLANTED = "pwned"
PAYLOADS = {
    "script": "<script>window.pwned=1</script>",
    "close": "</script><script>window.pwned=2</script>",
    "img": '"><img src=x onerror="window.pwned=3">',
    "svg": "'><svg onload=window.pwned=4>",
    "url": "javascript:window.pwned=5",
    "attr": '" onmouseover="window.pwned=6" x="',
    "entity": "&lt;script&gt;window.pwned=7&lt;/script&gt;",
    "lines": "a\u2028b\u2029c<!--d",
    "style": "</style><style>*{display:none}</style>",
}
# Every element and attribute the two renderers ever write.
ELEMENTS = {
    "html", "head", "meta", "title", "script", "style", "body", "main", "header", "nav", "a", "section",
    "h1", "h2", "h3", "h4", "p", "ul", "li", "code", "strong", "span", "div", "button", "dl", "dt", "dd",
    "table", "tr", "th", "td", "details", "summary", "br", "output", "fieldset", "legend", "label", "input",
    "select", "option", "pre", "article", "svg", "defs", "g", "circle", "path", "rect", "marker", "line",
    "use", "text", "polyline",
}
ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "id", "class", "hidden", "href", "type", "value",
    "checked", "role", "tabindex", "aria-label", "aria-hidden", "aria-live", "transform", "width", "height",
    "viewbox", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "d", "points", "text-anchor",
    "marker-end", "refx", "refy", "markerwidth", "markerheight", "orient", "data-ev", "data-obj", "data-sev",
    "data-rule", "data-pick", "data-template",
}
SCRIPTS = 3        # the error recorder, the JSON data, the page script


def manifest(folder: Path) -> Path:
    """A Deployment whose pods the simulation starts (payloads where the API accepts any
    string), plus objects the API server rejects because of payloads in their names."""
    p = PAYLOADS
    text = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  annotations: {{note: {json.dumps(p["close"])}}}
data:
  GREETING: {json.dumps(p["script"])}
  LINES: {json.dumps(p["lines"])}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {{app: app}}
  annotations:
    description: {json.dumps(p["img"])}
    link: {json.dumps(p["url"])}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: app}}}}
  template:
    metadata:
      labels: {{app: app}}
      annotations: {{hint: {json.dumps(p["attr"])}}}
    spec:
      containers:
        - name: app
          image: {json.dumps("registry.example.com/app:1.0" + p["svg"])}
          command: ["sh", "-c", {json.dumps(p["entity"])}]
          args: [{json.dumps(p["style"])}]
          env:
            - {{name: MOTD, value: {json.dumps(p["img"])}}}
          envFrom: [{{configMapRef: {{name: app-config}}}}]
---
apiVersion: v1
kind: Service
metadata:
  name: app
  labels: {{note: {json.dumps(p["svg"])}}}
spec:
  selector: {{app: app}}
  ports: [{{name: http, port: 80, targetPort: 8080}}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {json.dumps(p["script"])}
spec:
  selector: {{matchLabels: {{app: {json.dumps(p["attr"])}}}}}
  template:
    metadata: {{labels: {{app: {json.dumps(p["attr"])}}}}}
    spec:
      containers: [{{name: {json.dumps(p["img"])}, image: {json.dumps(p["url"])}}}]
"""
    path = folder / 'x"><svg onload=window.pwned=8>.yaml'
    path.write_text(text, encoding="utf-8")
    return path


def pages(folder: Path) -> dict[str, str]:
    path = str(manifest(folder))
    return {
        "explain": run("explain", "--format", "html", path),
        "explain-delete": run("explain", "--format", "html", "--scenario", "delete", path),
        "check": run("check", "--no-config", "--format", "html", "--show-infos", path, expect=1),
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return pages(tmp_path_factory.mktemp("xss"))


@pytest.mark.parametrize("name", ["explain", "explain-delete", "check"])
def test_only_the_renderers_own_elements_and_attributes(rendered, name):
    page = parse(rendered[name])
    for tag, attrs in page.tags:
        assert tag in ELEMENTS, tag
        for attr, value in attrs.items():
            assert attr in ATTRIBUTES, (tag, attr, value)
            assert not attr.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, attr)
        assert (attrs.get("href") or "#").startswith("#")
    assert sum(1 for tag, _ in page.tags if tag == "script") == SCRIPTS
    assert sum(1 for tag, _ in page.tags if tag == "style") == 1


@pytest.mark.parametrize("name", ["explain", "explain-delete", "check"])
def test_payloads_are_shown_as_text(rendered, name):
    page = parse(rendered[name])
    shown = [key for key, payload in PAYLOADS.items() if " ".join(payload.split()) in page.text]
    # the check page has findings on the rejected Deployment and the image, the explain
    # pages show every value; each page shows several payloads, as text
    assert len(shown) >= (3 if name == "check" else 6), shown
    assert "window.pwned=8" in page.text             # the file name


@pytest.mark.parametrize("name", ["explain", "explain-delete"])
def test_inline_json_cannot_end_its_element(rendered, name):
    page = parse(rendered[name])
    raw = next(body for attrs, body in page.scripts if attrs.get("type") == "application/json")
    for char in "<>&\u2028\u2029":
        assert char not in raw
    data = json.loads(raw)
    messages = " ".join(e[4] for e in data["events"])
    assert PAYLOADS["script"] in messages                       # the data itself is intact
    assert re.search(r"window\.pwned=\d", messages)
