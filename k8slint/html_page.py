"""The shell of k8slint's self-contained HTML pages (`explain --format html`, `check --format
html`): escaping of untrusted text, JSON that is safe inside a <script>, and one document
with a strict Content-Security-Policy.

Everything a page shows may come from manifests written by someone else (a pull request
from a fork ends up in a CI artifact), so:
- every text and attribute value goes through `esc` (quotes included);
- data for the page's script is JSON inside `<script type="application/json">`, with `<`,
  `>`, `&`, U+2028 and U+2029 written as \\u escapes, so no value can close the element;
- the page's script builds DOM with textContent, never innerHTML, and no manifest value
  ever becomes a URL, an id, an event handler or a style;
- the Content-Security-Policy allows only the page's own script and style (by their
  SHA-256) and no network at all, so even a mistake above could not run injected code or
  load anything.

The first script records errors (window errors, console.error, CSP violations) and the
page script ends by writing a self-check into `#k8slint-selfcheck`: the browser tests read it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping
from typing import Any

# Runs first, in <head>: collects every error so the self-check (and the tests) can see them.
BOOT_JS = """(function(){
var errors=[];window.k8slintErrors=errors;
function note(kind,text){errors.push(kind+': '+String(text).slice(0,300));}
window.addEventListener('error',function(e){note('error',e.message||e.type);});
window.addEventListener('unhandledrejection',function(e){note('rejection',e.reason);});
document.addEventListener('securitypolicyviolation',function(e){
  note('csp',e.violatedDirective+' '+(e.blockedURI||''));});
var original=console.error;
console.error=function(){note('console',Array.prototype.join.call(arguments,' '));
  return original.apply(console,arguments);};
})();"""

# Shared by every page: colours, type, layout primitives; each page adds its own CSS.
BASE_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#0969da;
--err:#cf222e;--warn:#9a6700;--info:#0969da;--ok:#1a7f37;font-size:15px}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);line-height:1.45;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR",sans-serif}
main{max-width:1240px;margin:0 auto;padding:16px 20px 48px;overflow-wrap:break-word}
h1{font-size:1.45rem;margin:.2em 0 .3em}
h2{font-size:1.15rem;margin:1.6em 0 .5em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1em 0 .4em}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono",monospace;
font-size:.86em}
.muted{color:var(--muted)}
.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}
.badge{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.8em;font-weight:600;
border:1px solid currentColor;white-space:nowrap}
table{border-collapse:collapse;font-size:.9em}
th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td:first-child{white-space:nowrap}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
details>summary{cursor:pointer;font-weight:600;margin:.4em 0}
.box{border:1px solid var(--line);border-radius:8px;padding:.6em .9em;margin:.6em 0;background:var(--soft)}
.box.bad{border-color:#ff818266;background:#fff5f5}.box.good{border-color:#4ac26b66;background:#f0fff4}
button{font:inherit}
@media (max-width:600px){:root{font-size:14px}main{padding:10px 10px 40px}}
"""


def language(tables: Mapping[str, Mapping[str, str]], lang: str) -> Mapping[str, str]:
    """The text table of `lang`, English ("en") for every key it lacks."""
    english = tables["en"]
    table = tables.get(lang)
    return english if table is None or table is english else {**english, **table}


def esc(value: object) -> str:
    """Text or attribute value, escaped for HTML and SVG (both quote kinds included)."""
    return html.escape(str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON to embed in a <script type="application/json"> element: no value can end the
    element or start a comment there, and the line separators JavaScript once treated as
    line ends are escaped too."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(*, title: str, lang: str, css: str, body: str, script: str, data: Any) -> str:
    """The whole document. `body` is already escaped HTML; `data` becomes the JSON the
    script reads from #k8slint-data; `css` and `script` are the page's own code."""
    style = BASE_CSS + css
    policy = "; ".join((
        "default-src 'none'",
        f"script-src {_sha256(BOOT_JS)} {_sha256(script)}",
        f"style-src {_sha256(style)}",
        "img-src data:", "base-uri 'none'", "form-action 'none'"))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        f"<script>{BOOT_JS}</script>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        f"{body}\n"
        f'<script type="application/json" id="k8slint-data">{script_json(data)}</script>\n'
        '<output id="k8slint-selfcheck" hidden></output>\n'
        f"<script>{script}</script>\n</body>\n</html>\n")
