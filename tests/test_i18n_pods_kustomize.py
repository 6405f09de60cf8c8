"""Korean catalogs checks-pods.po and kustomize-admission.po: every message of their modules
is translated with the same named fields, and the Korean text is what a run in Korean prints
(English output stays the default)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from k8slint.i18n import language
from k8slint.rules import builtin_rules
from k8slint.testing import run_example

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "k8slint"
CATALOGS = PACKAGE / "locale" / "ko" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
AREAS = {
    "checks-pods.po": [PACKAGE / "checks" / f"{m}.py" for m in
                       ("probe", "lifecycle", "resources", "security", "schema", "syntax", "image")],
    "kustomize-admission.po": sorted(PACKAGE.glob("kustomize/*.py")) + sorted(PACKAGE.glob("admission/*.py"))
    + sorted(PACKAGE.glob("cel/*.py")),
}
# Kept word for word: the Warning event text of the kubelet's prober that
# probe-named-port-missing quotes (the error is strconv.Atoi's), as `kubectl describe pod` shows it.
VERBATIM = {"{capitalize} probe errored: strconv.Atoi: parsing {port}: invalid syntax"}
FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def _msgids(files: list[Path]) -> Iterator[tuple[str, str]]:
    for path in files:
        for lineno, message, __, __ in extract_from_file("python", str(path), keywords=KEYWORDS):
            for text in message if isinstance(message, tuple) else (message,):
                yield f"{path.relative_to(ROOT)}:{lineno}", text


def _singulars() -> set[str]:
    out = set()
    for path in CATALOGS.glob("*.po"):
        with path.open("rb") as handle:
            out |= {m.id[0] for m in read_po(handle) if isinstance(m.id, tuple)}
    return out


def _catalog(name: str) -> dict[str, str]:
    with (CATALOGS / name).open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    table = {m.id: m.string for m in catalog if m.id and not m.fuzzy and isinstance(m.id, str)}
    for m in catalog:                   # a plural entry: each English form -> the one Korean form
        if m.id and not m.fuzzy and isinstance(m.id, tuple):
            table.update(dict.fromkeys(m.id, m.string[0]))
    return table


SINGULARS = _singulars()


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_message_has_a_korean_translation_with_the_same_fields(area: str) -> None:
    table = {k: v for name in sorted(p.name for p in CATALOGS.glob("*.po")) for k, v in _catalog(name).items()}
    ids = list(_msgids(AREAS[area]))                     # a msgid shared with another area is kept there
    assert ids, area
    for where, msgid in ids:
        assert table.get(msgid), f"{where}: no Korean for {msgid!r} in {area}"
        if msgid not in SINGULARS:      # the plural form has every field (test_i18n checks it)
            assert set(FIELD.findall(table[msgid])) == set(FIELD.findall(msgid)), f"{where}: fields differ: {msgid!r}"
        assert msgid in VERBATIM or re.search("[가-힣]", table[msgid]) or not re.search("[a-z]{3} [a-z]{3}", msgid), \
            f"{where}: {msgid!r} left in English"


def test_a_message_belongs_to_one_catalog() -> None:
    assert not set(_catalog("checks-pods.po")) & set(_catalog("kustomize-admission.po"))


def _messages(rule: str) -> list[str]:
    meta = builtin_rules()[rule]
    return [f.message for example in meta.examples for f in run_example(meta, example)]


def test_kustomize_messages_in_korean_keep_kustomizes_words(korean: None) -> None:
    messages = _messages("kustomize-build")
    assert any("kustomize build가 실패합니다" in m for m in messages), messages
    assert not any("kustomize build fails" in m for m in messages), messages
    patch = _messages("kustomize-patch-unmatched")
    assert patch and all("일치하는 리소스가 없어" in m for m in patch), patch


def test_admission_denial_in_korean_keeps_the_policys_own_message(korean: None) -> None:
    # The policy's message is the manifest's text: quoted as written, the sentence around
    # it translated (rules/admission-policy-denied.yaml examples: "at most 5 replicas").
    messages = _messages("admission-policy-denied")
    assert any(m.startswith("요청이 거부됩니다(ValidatingAdmissionPolicy 'max-replicas', 바인딩 "
                            "'max-replicas'): at most 5 replicas") for m in messages), messages


def test_english_stays_the_default() -> None:
    assert language() == "en"
    messages = _messages("admission-policy-denied")
    assert any(m.startswith("ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' "
                            "denied request: at most 5 replicas") for m in messages), messages


def test_probe_message_in_korean(korean: None) -> None:
    messages = _messages("probe-liveness-aggressive")
    assert any(m.startswith("web 컨테이너의 livenessProbe는 3 × 5 = 15초, readinessProbe는 3 × 10 = 30초 후에")
               for m in messages), messages
