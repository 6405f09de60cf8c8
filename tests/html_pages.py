"""Helpers shared by the HTML tests: render pages through the CLI and read them back with
html.parser (tags, attributes, text, scripts), the 50-pod input, and the scenarios."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from k8slint.cli import main
from tests.conftest import ROOT

DEMO = str(ROOT / "fixtures" / "demo" / "web.yaml")
# (name, explain arguments, pod rows, graph nodes). Rows and nodes counted by hand from the
# input: the demo's Deployment runs 3 pods (HPA minReplicas 3) and its graph has
# ServiceAccount, ConfigMap, Deployment, ReplicaSet, Pods, Service, Ingress, HPA and PDB;
# scale to 5 adds 2 pods; drain.yaml (2 nodes) evicts 2 of 3 pods and gets 2 replacements;
# its graph is Deployment, ReplicaSet, PDB, Pods and Service; the cron scenario runs no pods.
SCENARIOS = [
    ("apply", [DEMO], 3, 9),
    # the rollout: 3 old pods and the 3 the new ReplicaSet creates; +the new ReplicaSet and its pods
    ("rollout", ["--scenario", "rollout", DEMO], 6, 11),
    ("delete", ["--scenario", "delete", DEMO], 3, 9),
    ("scale", ["--scenario", "scale", "--replicas", "5", DEMO], 5, 9),
    ("drain", ["--scenario", "drain", "--node", "node-1", "--nodes", "2",
               str(ROOT / "fixtures" / "explain" / "drain.yaml")], 5, 5),
    ("cron", ["--scenario", "cron", str(ROOT / "fixtures" / "explain" / "cronjob.yaml")], 0, 3),
]


def run(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    assert result.exit_code == expect, result.output
    return result.output


def explain_html(*args: str) -> str:
    return run("explain", "--format", "html", *args)


@dataclass
class Page:
    """A parsed page: every start tag with its attributes, the text, the raw scripts."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: str = ""
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)

    def count(self, tag: str, **attrs: str) -> int:
        return sum(1 for name, a in self.tags if name == tag and all(
            value in (a.get(key.rstrip("_")) or "").split() for key, value in attrs.items()))

    def data(self) -> Any:
        raw = next(body for attrs, body in self.scripts if attrs.get("id") == "k8slint-data")
        return json.loads(raw)

    def policy(self) -> str:
        return next(a.get("content") or "" for name, a in self.tags
                    if name == "meta" and a.get("http-equiv") == "Content-Security-Policy")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._raw: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._raw = tag, dict(attrs), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            body = "".join(self._raw)
            if tag == "script":
                self.page.scripts.append((self._attrs, body))
            else:
                self.page.styles.append(body)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._raw.append(data)
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join("".join(self._text).split())


def parse(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def fifty_pods(folder: Path) -> Path:
    """5 Deployments of 10 replicas (init container, preStop, readiness probe), each with a
    Service and a ConfigMap: 50 pods."""
    docs = []
    for i in range(5):
        docs.append(f"""apiVersion: v1
kind: ConfigMap
metadata: {{name: app{i}-config}}
data: {{LOG_LEVEL: info, MODE: fast}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app{i}}}
spec:
  replicas: 10
  selector: {{matchLabels: {{app: app{i}}}}}
  template:
    metadata: {{labels: {{app: app{i}}}}}
    spec:
      initContainers: [{{name: init, image: "registry.example.com/init:1.0"}}]
      containers:
        - name: app
          image: registry.example.com/app{i}:1.0
          envFrom: [{{configMapRef: {{name: app{i}-config}}}}]
          ports: [{{name: http, containerPort: 8080}}]
          readinessProbe: {{httpGet: {{path: /ready, port: http}}, periodSeconds: 5}}
          resources: {{requests: {{cpu: 50m, memory: 64Mi}}, limits: {{memory: 128Mi}}}}
          lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: app{i}}}
spec:
  selector: {{app: app{i}}}
  ports: [{{name: http, port: 80, targetPort: http}}]""")
    path = folder / "fifty.yaml"
    path.write_text("\n---\n".join(docs) + "\n", encoding="utf-8")
    return path


def x_of(attrs: dict[str, str | None]) -> float:
    """The x of a bar or marker, in percent of the axis."""
    return float(re.sub(r"%$", "", attrs.get("x") or "nan"))
