"""Integration of the Korean catalogs: what the simulator reads back from a check's message
works in Korean too, and the API server's own words stay verbatim."""

from __future__ import annotations

import pytest

from k8slint.simulate import explain
from tests.test_explain_admission import QUOTA


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


def _visible_text(page: str) -> str:
    """The page's text a reader sees, without the manifest excerpts (<pre>) and scripts."""
    import html
    import re

    page = re.sub(r"<script.*?</script>|<style.*?</style>|<pre.*?</pre>", "", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("args", [["check", "--lang", "ko", "--format", "html", "fixtures/broken"],
                                  ["explain", "--lang", "ko", "--format", "html", "fixtures/demo/web.yaml"]],
                         ids=["check html", "explain html"])
def test_korean_html_pages_have_no_english_sentence(args: list[str]) -> None:
    from tests.test_i18n import _run, untranslated_script

    done = _run(args)
    assert done.returncode in (0, 1), done.stderr
    text = _visible_text(done.stdout)
    assert "오류" in text or "타임라인" in text
    left = untranslated_script.untranslated(text)     # type: ignore[attr-defined]
    assert not left, "\n".join(f"{run!r} | {line}" for _, run, line in left[:20])
