"""A container's own variables: envFrom, then env with `$(VAR)` expansion.

kubelet_pods.go makeEnvironmentVariables: envFrom sources first (a prefix added to each
key), then `env` in order, later entries winning; `$(VAR)` in a value expands from the
variables declared so far and the Service variables; `$$(VAR)` is a literal `$(VAR)`
(third_party/forked/golang/expansion). Values we cannot know offline are placeholders.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .timeline import Pod

if TYPE_CHECKING:
    from ..graph import Graph, Object

_REF = re.compile(r"\$\$|\$\(([^)]*)\)")

# Downward API fields the input decides (pkg/apis/core/validation/validation.go validEnvDownwardAPIFieldPathExpressions).
def _field(pod: Pod, path: str) -> str:
    values = {"metadata.name": pod.name, "metadata.namespace": pod.namespace,
              "spec.nodeName": pod.node or "", "status.podIP": pod.ip or "",
              "status.podIPs": pod.ip or "", "spec.serviceAccountName":
              str(pod.spec.get("serviceAccountName") or "default")}
    match = re.fullmatch(r"metadata\.labels\['(.+)'\]", path)
    if match:
        return pod.labels.get(match.group(1), "")
    return values.get(path, f"<{path}>")


def expand(value: str, scope: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return scope[name] if name in scope else match.group(0)
    return _REF.sub(sub, value)


def own_env(pod: Pod, container: dict[str, Any], service_env: dict[str, str],
            graph: Graph | None) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if not isinstance(source, dict):
            continue
        prefix = str(source.get("prefix") or "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            target = source.get(key)
            if not isinstance(target, dict):
                continue
            obj = graph.get(kind, pod.namespace, str(target.get("name"))) if graph else None
            for name, value in _data(obj, kind).items():
                env[prefix + name] = value
    for item in container.get("env") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        name = item["name"]
        if "value" in item or "valueFrom" not in item:
            env[name] = expand(str(item.get("value") or ""), {**service_env, **env})
            continue
        source = item.get("valueFrom") or {}
        if isinstance(source.get("fieldRef"), dict):
            env[name] = _field(pod, str(source["fieldRef"].get("fieldPath")))
        elif isinstance(source.get("configMapKeyRef"), dict):
            ref = source["configMapKeyRef"]
            obj = graph.get("ConfigMap", pod.namespace, str(ref.get("name"))) if graph else None
            env[name] = _data(obj, "ConfigMap").get(str(ref.get("key")), _("<ConfigMap {name} key {key}>").format(
                name=ref.get("name"), key=ref.get("key")))
        elif isinstance(source.get("secretKeyRef"), dict):
            ref = source["secretKeyRef"]
            env[name] = _("<Secret {name} key {key}>").format(name=ref.get("name"), key=ref.get("key"))
        elif isinstance(source.get("resourceFieldRef"), dict):
            env[name] = f"<{source['resourceFieldRef'].get('resource')}>"
        else:
            env[name] = _("<unknown source>")
    return env


def _data(obj: Object | None, kind: str) -> dict[str, str]:
    if obj is None:
        return {}
    if kind == "Secret":
        keys = list((obj.get("data") or {}).keys()) + list((obj.get("stringData") or {}).keys())
        return {str(k): _("<Secret {name} key {key}>").format(name=obj.name, key=k) for k in keys}
    data = obj.get("data")
    return {str(k): v if isinstance(v, str) else str(v) for k, v in data.items()} if isinstance(data, dict) else {}
