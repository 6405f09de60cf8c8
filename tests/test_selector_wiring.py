"""Graph wiring queries (selected_by, workloads_behind, services_in_front, references) and
the selector rules on the broken fixture, the demo and the real corpus."""

from __future__ import annotations

import textwrap

import pytest

from k8slint.api import check, check_text
from k8slint.config import Config
from k8slint.graph import controller_label_values
from k8slint.rules import builtin_rules
from tests.conftest import CORPUS, ROOT

WIRING = sorted(r for r, m in builtin_rules().items() if m.category in ("selector", "reference"))

APP = textwrap.dedent("""
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web, tier: fe}}
        spec:
          serviceAccountName: web
          containers:
            - name: web
              image: web:1.0
              envFrom: [{configMapRef: {name: web-config}}]
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db, namespace: shop}
    spec:
      serviceName: db
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec:
          containers: [{name: db, image: db:1.0}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec: {selector: {app: web}, ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: fe, namespace: shop}
    spec: {selector: {tier: fe}, ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: db-0, namespace: shop}
    spec: {selector: {statefulset.kubernetes.io/pod-name: db-0}, ports: [{port: 5432}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: manual, namespace: shop}
    spec: {ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: web-config, namespace: shop}
    data: {A: "1"}
""")


def _graph(text: str = APP):
    return check_text(text, Config(only=[])).graph


def _names(objects) -> list[str]:
    return [f"{o.kind}/{o.name}" for o in objects]


def test_workloads_behind_and_services_in_front():
    graph = _graph()
    service = {o.name: o for o in graph.of_kind("Service")}
    web, db = graph.of_kind("Deployment")[0], graph.of_kind("StatefulSet")[0]
    assert _names(graph.workloads_behind(service["web"])) == ["Deployment/web"]
    assert _names(graph.workloads_behind(service["db-0"])) == ["StatefulSet/db"]
    assert graph.workloads_behind(service["manual"]) == []          # no selector: by hand
    assert _names(graph.services_in_front(web)) == ["Service/web", "Service/fe"]
    assert _names(graph.services_in_front(db)) == ["Service/db-0"]


def test_selected_by_reads_each_kind_its_own_way():
    graph = _graph(APP + textwrap.dedent("""
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: all, namespace: shop}
        spec: {maxUnavailable: 1, selector: {}}
        ---
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {name: none, namespace: shop}
        spec: {maxUnavailable: 1, selector: {}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny, namespace: shop}
        spec: {podSelector: {}}
    """))
    pdbs = {o.name: o for o in graph.of_kind("PodDisruptionBudget")}
    assert len(graph.selected_by(pdbs["all"])) == 2                 # policy/v1: empty = all
    assert graph.selected_by(pdbs["none"]) == []                    # policy/v1beta1: none
    assert len(graph.selected_by(graph.of_kind("NetworkPolicy")[0])) == 2


def test_references_out_and_in():
    graph = _graph()
    web = graph.of_kind("Deployment")[0]
    refs = {(r.kind, r.name): r for r in graph.references_from(web)}
    assert set(refs) == {("ServiceAccount", "web"), ("ConfigMap", "web-config")}
    assert refs[("ConfigMap", "web-config")].path == (
        "spec", "template", "spec", "containers", 0, "envFrom", 0, "configMapRef", "name")
    config = graph.named("ConfigMap", "shop", "web-config")[0]
    assert [(s.name, r.kind) for s, r in graph.references_to(config)] == [("web", "ConfigMap")]
    sts = graph.of_kind("StatefulSet")[0]
    assert [(r.kind, r.name) for r in graph.references_from(sts)] == [("Service", "db")]
    assert graph.provided_by("ServiceAccount", "shop", "web") is None
    assert graph.names_in("Service", "shop") == ["web", "fe", "db-0", "manual"]


def test_statefulset_pod_name_label_needs_an_ordinal():
    graph = _graph()
    tests = controller_label_values(graph.of_kind("StatefulSet")[0])
    check_name = tests["statefulset.kubernetes.io/pod-name"]
    assert check_name("db-0") and check_name("db-12")
    assert not check_name("db-01") and not check_name("db-x") and not check_name("dbx-0")
    assert not check_name("db-")


def test_demo_is_clean():
    result = check([str(ROOT / "fixtures" / "demo" / "web.yaml")], Config(only=WIRING))
    assert result.findings == []


def test_broken_fixtures_show_every_rule():
    files = [str(ROOT / "fixtures" / "broken" / f) for f in ("selector.yaml", "reference.yaml")]
    found = {f.rule for f in check(files, Config(only=WIRING)).findings}
    expected = set(WIRING) - {"ingress-class-missing", "pdb-spans-workloads", "pvc-ref-missing",
                              "volume-mount-unknown"}
    assert expected <= found, expected - found


@pytest.mark.parametrize("bundle", ["example-voting-app", "kube-prometheus", "microservices-demo",
                                    "microservices-demo-release"])
def test_real_bundles_have_no_wiring_warnings(bundle):
    result = check([str(CORPUS / "real" / bundle)], Config(only=WIRING))
    loud = [f"{f.rule} {f.file}:{f.line} {f.message}" for f in result.findings
            if str(f.severity) != "info"]
    assert loud == []


def test_real_files_one_at_a_time_stay_quiet():
    """A pre-commit hook passes only the changed files: nothing louder than info then."""
    loud = []
    for path in sorted((CORPUS / "real").rglob("*.yaml")):
        for f in check([str(path)], Config(only=WIRING)).findings:
            if str(f.severity) != "info":
                loud.append(f"{f.rule} {path.name}:{f.line} {f.message}")
    assert loud == []


def test_lookups_by_identity_and_name_with_one_and_several_objects():
    """Index entries hold a lone object itself and a list only when a key is shared
    (memory); every lookup answers a list in input order either way."""
    text = textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: twice, namespace: a}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: once, namespace: a}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: twice, namespace: a, labels: {second: "yes"}}
        """)
    graph = check_text(text).graph
    first, once, second = graph.objects
    assert graph.named("ConfigMap", "a", "twice") == [first, second]
    assert graph.named("ConfigMap", "a", "once") == [once]
    assert graph.named("ConfigMap", "a", "none") == []
    assert graph.same_identity(second) == [first, second]
    assert graph.same_identity(once) == [once]
    assert graph.get("ConfigMap", "a", "twice", group="") is first
    assert graph.get("ConfigMap", "a", "once", group="") is once
    assert graph.get("ConfigMap", "a", "none", group="") is None
    assert graph._by_identity[once.identity] is once                    # no list of one


def test_named_finds_a_kind_of_several_groups_in_input_order():
    """named() is group-agnostic: objects of one kind in several API groups, in input order."""
    written = [("networking.k8s.io/v1", "web"), ("extensions/v1beta1", "web"),
               ("networking.k8s.io/v1", "web"), ("extensions/v1beta1", "api")]
    text = "---\n".join(f"apiVersion: {version}\nkind: Ingress\nmetadata: {{name: {name}, namespace: a}}\n"
                        for version, name in written)
    graph = check_text(text).graph
    first, second, third, api = graph.objects
    assert graph.named("Ingress", "a", "web") == [first, second, third]
    assert graph.named("Ingress", "a", "api") == [api]
    assert graph.named("Ingress", "b", "web") == []
    assert graph.named("Service", "a", "web") == []


def test_answers_forgotten_are_the_same_when_asked_again():
    graph = _graph()
    web = graph.of_kind("Deployment")[0]
    front = {o.name: o for o in graph.of_kind("Service")}["fe"]

    def answers():
        return (_names(graph.services_in_front(web)), _names(graph.selected_by(front)),
                [(r.kind, r.name) for r in graph.references_from(web)], _names(graph.workloads("shop")))

    asked = answers()
    assert asked[0] == ["Service/web", "Service/fe"]
    graph.forget_answers()
    assert answers() == asked


def test_pod_labels_and_controller_tests_are_shared_read_only_views():
    text = textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: a}
        spec:
          selector: {matchLabels: {app: a}}
          template: {metadata: {labels: {app: a}}, spec: {containers: [{name: a, image: a:1}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: b}
        spec:
          selector: {matchLabels: {version: "1"}}
          template: {metadata: {labels: {version: 1}}, spec: {containers: [{name: b, image: b:1}]}}
        """)
    from k8slint.graph import pod_labels

    a, b = check_text(text).graph.objects
    assert pod_labels(a) == {"app": "a"} and pod_labels(a) is a.pod_template.labels   # no copy
    assert pod_labels(b) == {"version": "1"} and b.pod_template.labels == {"version": 1}
    tests = controller_label_values(a)
    assert tests is controller_label_values(b) and tests["pod-template-hash"]("5d4f8b9c7")
    with pytest.raises(TypeError):
        tests["pod-template-hash"] = None                                  # type: ignore[index]


def test_container_lists_with_and_without_sidecars():
    text = textwrap.dedent("""\
        apiVersion: v1
        kind: Pod
        metadata: {name: plain}
        spec: {containers: [{name: app, image: app:1}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: sidecar}
        spec:
          initContainers: [{name: init, image: i:1}, {name: proxy, image: p:1, restartPolicy: Always}]
          containers: [{name: app, image: app:1}]
        """)
    plain, sidecar = (o.pod_template for o in check_text(text).graph.objects)
    assert [c.name for c in plain.app_containers()] == ["app"]
    assert [c.name for c in plain.declared_containers()] == ["app"]
    assert [c.name for c in sidecar.app_containers()] == ["app", "proxy"]
    assert [c.name for c in sidecar.declared_containers()] == ["init", "proxy", "app"]
    assert [c.name for c in sidecar.all_containers()] == ["init", "proxy", "app"]
    # the lists a pod lacks are one shared empty list, not one each (memory)
    assert plain._list("initContainers") is sidecar._list("ephemeralContainers") == []
