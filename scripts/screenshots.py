"""`make screenshots`: the demo's HTML pages in headless Chromium, as PNGs in docs/img/.

    python scripts/screenshots.py [OUTPUT_FOLDER]      # default: docs/img

explain-demo.png (the README's picture: timeline and object graph at 1280 px),
explain-demo-phone.png (the same page at 390 px) and check-broken.png (the check report of
fixtures/broken). Needs Chromium (Debian: apt-get install chromium); installs nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import headless  # noqa: E402
from update_golden import run  # noqa: E402  (the CLI in-process, from the repository root)

# (file, CLI arguments, width, (first, last element) of the picture or None for the top)
SHOTS = [
    ("explain-demo.png", ["explain", "--format", "html", "fixtures/demo/web.yaml"], 1280,
     ("#timeline", "#graph .graphwrap")),
    ("explain-demo-phone.png", ["explain", "--format", "html", "fixtures/demo/web.yaml"], 390,
     ("#timeline", "#graph .graphwrap")),
    ("check-broken.png", ["check", "--no-config", "--format", "html", "fixtures/broken"], 1280,
     ("header", "section.file .finding:nth-of-type(3)")),
]


def main(argv: list[str]) -> int:
    executable = headless.find_browser()
    if executable is None:
        print("screenshots: no Chromium found (apt-get install chromium, or set K8SLINT_CHROMIUM)",
              file=sys.stderr)
        return 2
    out = Path(argv[0]) if argv else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, headless.Browser(executable) as browser:
        for name, args, width, between in SHOTS:
            page = Path(folder) / (name + ".html")
            page.write_text(run(args), encoding="utf-8")
            visit = browser.visit(page, width=width, between=between, max_height=1100)
            if visit.errors or visit.dialogs:
                print(f"screenshots: {name}: {visit.errors + visit.dialogs}", file=sys.stderr)
                return 1
            (out / name).write_bytes(visit.screenshot)
            print(f"{out / name}: {len(visit.screenshot) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
