"""Integration of the Korean catalogs: what the simulator reads back from a check's message
works in Korean too, and the API server's own words stay verbatim."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from k8slint.i18n import set_language
from k8slint.simulate import explain
from tests.test_explain_admission import QUOTA


@pytest.fixture
def korean() -> Iterator[None]:
    set_language("ko")
    try:
        yield
    finally:
        set_language("en")


def _forbidden(data: dict[str, object]) -> list[str]:
    events = data["events"]
    assert isinstance(events, list)
    return [e["message"] for e in events if e["action"] == "failed-create" and "is forbidden" in e["message"]]


def test_quota_refusal_is_the_api_servers_text_in_korean_too(korean: None) -> None:
    # plugin/pkg/admission/resourcequota/controller.go: "failed quota: <name>: must specify ..."
    messages = _forbidden(explain(None, text=QUOTA).as_dict())
    assert messages
    assert messages[0].endswith("is forbidden: failed quota: compute: must specify limits.memory for: api; "
                                "requests.cpu for: api")
