"""Korean texts of the simulator (k8slint/simulate/*, not render/): every message id of its
modules is translated in explain-sim.po with the same fields, a Korean run does exactly what
an English run does, and what these modules say in it is Korean."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from k8slint import i18n
from k8slint.simulate import explain
from k8slint.simulate.render import FORMATS, render

babel_extract = pytest.importorskip("babel.messages.extract")
babel_pofile = pytest.importorskip("babel.messages.pofile")

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "k8slint" / "locale" / "ko" / "LC_MESSAGES" / "explain-sim.po"
# The simulator modules whose texts explain-sim.po holds (render/ and failures, jobs, cron,
# drain, scenarios, quota, refusal have their own catalog).
MODULES = ("rollout", "world", "termination", "kubelet", "apply", "controllers", "admission",
           "scheduler", "services", "envfrom", "network", "__init__", "cluster", "events",
           "timeline", "wiring", "naming", "components", "backoff")
DEMO = str(ROOT / "fixtures" / "demo" / "web.yaml")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in MODULES:
        path = ROOT / "k8slint" / "simulate" / f"{module}.py"
        for _line, message, _comments, _context in babel_extract.extract_from_file(
                "python", str(path), keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
            found.setdefault(message if isinstance(message, str) else message[0], module)
    return found


def _catalog() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        catalog = babel_pofile.read_po(handle)
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy and isinstance(m.id, str)}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_of_the_simulator_has_its_korean_translation_with_the_same_fields() -> None:
    msgids, table = _msgids(), _catalog()
    assert len(msgids) > 200                        # the extraction saw the modules
    missing = sorted(m for m in msgids if not table.get(m))
    assert missing == []
    assert sorted(m for m in msgids if _fields(m) != _fields(table[m])) == []
    assert sorted(set(table) - set(msgids)) == []   # nothing left over from removed texts
    untranslated = sorted(m for m in msgids if table[m] == m)
    assert untranslated == ["{pod} Available", "{pod} Ready"]   # a condition name and a name


@pytest.mark.parametrize("scenario", ["apply", "rollout", "delete", "scale", "drain"])
def test_a_korean_run_simulates_exactly_what_an_english_run_does(scenario: str) -> None:
    """Translation changes words only: same events at the same times, same pods (the image
    pull's time once depended on the English word "pulls")."""
    options: dict[str, object] = {"replicas": 5} if scenario == "scale" else \
        {"node": "node-1"} if scenario == "drain" else {}

    def run() -> list[tuple[float, str, str, str]]:
        timeline = explain([DEMO], scenario, **options)      # type: ignore[arg-type]
        return [(e.t, e.actor, e.action, e.object["name"]) for e in timeline.sorted_events()]

    english = run()
    i18n.set_language("ko")
    try:
        korean = run()
    finally:
        i18n.set_language("en")
    assert korean == english


@pytest.mark.parametrize("scenario", ["apply", "rollout", "delete"])
def test_the_demo_in_korean_says_everything_in_korean(korean: None, scenario: str) -> None:
    """Apply, rollout and delete of the demo only use this catalog's texts: every event,
    problem, assumption, termination note and rollout step has Korean in it."""
    timeline = explain([DEMO], scenario)
    texts = [e.message for e in timeline.events] + [p.message for p in timeline.problem_list] \
        + timeline.assumptions + [t.note for t in timeline.terminations] \
        + [s.note for r in timeline.rollouts for s in r.steps]
    assert texts
    assert [t for t in texts if not HANGUL.search(t)] == []


def test_korean_words_and_numbers_of_known_events(korean: None) -> None:
    timeline = explain([DEMO], "rollout")
    by_action = {(e.actor, e.action): e.message for e in timeline.sorted_events()}
    assert by_action[("kubelet", "start")] == "web 컨테이너를 시작합니다"
    # the numbers and API words stay; seconds are written 초
    assert by_action[("kubelet", "prestop")] == "web 컨테이너의 preStop 훅을 실행합니다(10초)"
    assert re.fullmatch(r"web 컨테이너에 SIGTERM을 보냅니다\(preStop 이후\)\. 그때도 실행 중이면 \d+초에 SIGKILL",
                        by_action[("kubelet", "sigterm")])
    assert timeline.assumptions[0].startswith("클러스터: node-1 (4 CPU, 16 GiB)")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_renderer_takes_a_korean_timeline(korean: None, fmt: str) -> None:
    timeline = explain([DEMO], "rollout")
    page = render(fmt, timeline, lang="ko")
    # mermaid draws the object graph only: its edge labels are this catalog's
    assert ("-->|생성|" if fmt == "mermaid" else "web 컨테이너를 시작합니다") in page


def test_the_component_roles_are_korean(korean: None) -> None:
    from k8slint.simulate.components import display_name, role

    assert display_name("deployment-controller") == "deployment 컨트롤러"
    assert display_name("kubelet") == "kubelet"
    assert role("deployment-controller") == ("kube-controller-manager의 일부: Pod 템플릿마다 ReplicaSet을 "
                                             "하나씩 유지합니다")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_standard_assumptions_are_recognised_in_either_language(lang: str) -> None:
    """The walk-through folds the cluster line and the fixed assumptions into one line; a
    renderer tells them apart with apply.is_standard_assumption, whatever the language."""
    from k8slint.simulate.apply import ASSUMPTIONS, is_standard_assumption

    i18n.set_language(lang)
    try:
        timeline = explain([DEMO], "rollout")
        standard = [a for a in timeline.assumptions if is_standard_assumption(a)]
    finally:
        i18n.set_language("en")
    assert len(standard) == len(ASSUMPTIONS) + 1            # and the cluster line
    assert not is_standard_assumption(timeline.assumptions[-1])   # the rollout's own
