"""A tiny headless-Chromium driver over the DevTools protocol (no dependency): open a local
page at a given width, wait for its render-done marker, collect console errors, uncaught
exceptions, CSP violations and dialogs, evaluate expressions, take a screenshot.

Used by tests/test_html_browser.py and `make screenshots` (scripts/screenshots.py). It talks
to Chromium through --remote-debugging-pipe (commands on fd 3, answers on fd 4, each
message JSON ended by a NUL byte), so nothing listens on a port. It installs nothing:
`find_browser()` returns None when no Chromium is there.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--remote-debugging-pipe")


def find_browser() -> str | None:
    """$K8SLINT_CHROMIUM, else the first Chromium on PATH (Debian: /usr/bin/chromium)."""
    wanted = os.environ.get("K8SLINT_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


@dataclass
class Visit:
    """What one page did: its problems, the value of each expression, the screenshot."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes = b""
    seconds: float = 0.0


class Browser:
    """One Chromium process; `visit` opens each page in a fresh tab."""

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(prefix="k8slint-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Move the child's ends above fd 10, then onto 3 and 4 in the child (inheritable).
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)

        def child_fds() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=child_fds)
        for fd in (to_child_r, from_child_w, high_r, high_w):
            os.close(fd)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []

    # --- protocol ---------------------------------------------------------------------
    def _write(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 16)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        wanted = self._write(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._on_event(message)

    def _on_event(self, message: dict[str, Any]) -> None:
        if message["method"] == "Page.javascriptDialogOpening":     # answer at once, or the page hangs
            self._write("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))
        self._events.append(message)

    def _pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                message = self._read(deadline)
            except BrowserError:
                return
            if "method" in message:
                self._on_event(message)

    # --- pages --------------------------------------------------------------------------
    def visit(self, path: Path, *, width: int = 1280, height: int = 900, expressions: tuple[str, ...] = (),
              screenshot: bool = True, full_page: bool = True, max_height: int = 6000,
              between: tuple[str, str] | None = None) -> Visit:
        """Open `path` at `width` px (a phone below 600), wait for `data-rendered`, evaluate
        `expressions`, and take a screenshot: the whole page (at most `max_height` px), or
        from the top of the element `between[0]` to the bottom of `between[1]` (selectors)."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._events = []
        visit = Visit()
        try:
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session=session)
            mobile = width < 600
            self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                      "deviceScaleFactor": 1, "mobile": mobile}, session)
            if mobile:
                self.call("Emulation.setTouchEmulationEnabled", {"enabled": True}, session)
            begin = time.monotonic()
            self.call("Page.navigate", {"url": path.resolve().as_uri()}, session)
            self._wait_rendered(session)
            visit.seconds = time.monotonic() - begin
            for expression in expressions:
                visit.values[expression] = self.evaluate(expression, session)
            if screenshot:
                area = self._area(session, between) if between else None
                visit.screenshot = self._screenshot(session, width, height, full_page, max_height, area)
            self._pump(0.2)
        finally:
            self._collect(visit)
            self.call("Target.closeTarget", {"targetId": target})
        return visit

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(f"{expression[:200]}: {details.get('exception', {}).get('description') or details.get('text')}")
        return result.get("result", {}).get("value")

    def _wait_rendered(self, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        probe = "document.documentElement ? document.documentElement.getAttribute('data-rendered') : null"
        while time.monotonic() < deadline:
            try:
                if self.evaluate(probe, session) == "1":
                    return
            except BrowserError:            # between two documents while navigating
                pass
            if any(e["method"] == "Page.javascriptDialogOpening" for e in self._events):
                self._pump(0.1)
            time.sleep(0.02)
        raise BrowserError("the page never set data-rendered")

    def _area(self, session: str, between: tuple[str, str]) -> tuple[float, float]:
        """Top and bottom (page coordinates) of the span from one element to another."""
        script = ("(function(a,b){var s=document.querySelector(a).getBoundingClientRect(),"
                  "e=document.querySelector(b).getBoundingClientRect();"
                  "return [s.top+window.scrollY, e.bottom+window.scrollY];})(%s,%s)")
        top, bottom = self.evaluate(script % (json.dumps(between[0]), json.dumps(between[1])), session)
        return float(top), float(bottom)

    def _screenshot(self, session: str, width: int, height: int, full_page: bool, max_height: int,
                    area: tuple[float, float] | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png"}
        if area is not None:
            top, bottom = max(0.0, area[0] - 8), area[1] + 8
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": top, "width": width, "height": min(bottom - top, max_height), "scale": 1}
        elif full_page:
            metrics = self.call("Page.getLayoutMetrics", session=session)
            size = metrics.get("cssContentSize") or metrics.get("contentSize") or {}
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": width, "scale": 1,
                              "height": min(int(size.get("height", height)), max_height)}
        shot = self.call("Page.captureScreenshot", params, session)
        return base64.b64decode(shot["data"])

    def _collect(self, visit: Visit) -> None:
        for e in self._events:
            method, params = e["method"], e.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                visit.errors.append("exception: " + str(details.get("exception", {}).get("description")
                                                        or details.get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.errors.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                                            for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                visit.errors.append("log: " + str(params["entry"].get("text")))
            elif method == "Page.javascriptDialogOpening":
                visit.dialogs.append(f"{params.get('type')}: {params.get('message')}")

    def close(self) -> None:
        try:
            self._write("Browser.close", None, None)
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
