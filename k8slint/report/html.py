"""`k8slint check --format html`: one self-contained page for CI artifacts.

Findings grouped by file, each with its source excerpt (the line, two lines of context and
a caret), the fix and the rule's summary; the page filters by severity and by rule. All
texts come from TEXT (`lang` picks the table); everything from the input (messages, paths,
source lines, rule ids of custom rules) is escaped (k8slint/html_page.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import groupby

from ..html_page import esc, page
from ..i18n import N_, _
from ..i18n import language as output_language
from ..model import Finding, Severity
from . import Options, Report, sorted_findings
from .human import split_message

CONTEXT = 2                 # source lines shown before and after a finding's line
LINE_CHARS = 240            # a longer source line is cut (minified JSON, long strings)

EN: dict[str, str] = {
    "title": N_("k8slint check: {files} file(s), {objects} object(s)"),
    "passed": N_("PASSED"), "failed": N_("FAILED"),
    "count.error": N_("{count} error(s)"), "count.warning": N_("{count} warning(s)"), "count.info": N_("{count} info(s)"),
    "failon": N_("fail-on {severity}"), "failon.never": N_("fail-on never"),
    "suppressed.count": N_("{count} suppressed"), "baselined": N_("{count} in the baseline, not shown"),
    "filter.severity": N_("Severity"), "filter.rule": N_("Rule"), "filter.all": N_("all rules ({count})"),
    "filter.shown": N_("{shown} of {total} findings shown"),
    "none": N_("No findings: every rule is quiet on this input."),
    "fix": N_("fix"), "see": N_("k8slint rules show {rule}"),
    "suppressed.head": N_("Suppressed ({count})"), "suppressed.reason": N_("reason"), "suppressed.noreason": N_("no reason given"),
    "rules.head": N_("Rules that fired"), "rules.rule": N_("rule"), "rules.severity": N_("severity"),
    "rules.count": N_("findings"), "rules.summary": N_("summary"),
    "severity.error": N_("error"), "severity.warning": N_("warning"), "severity.info": N_("info"),
}
TEXT: dict[str, dict[str, str]] = {"en": EN}
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def texts(lang: str = "en") -> Mapping[str, str]:
    """The page's texts: EN's, translated by the catalog (k8slint.i18n) in its language."""
    return EN if lang == "en" else {key: _(text) for key, text in EN.items()}


def render_html(report: Report, options: Options, lang: str | None = None) -> str:
    lang = lang or output_language()
    t = texts(lang)
    findings = sorted_findings(report.findings)
    rules = sorted({f.rule for f in findings})
    rule_index = {rule: i for i, rule in enumerate(rules)}
    title = t["title"].format(files=report.summary.get("files", len(report.files)),
                              objects=report.summary.get("objects", len(report.objects)))
    body = [f"<main><header><h1>{esc(title)}</h1>{_verdict(report, options, t)}</header>"]
    if findings:
        body.append(_filters(findings, rules, options, t))
        for file, group in groupby(findings, key=lambda f: f.file):
            items = list(group)
            source = (report.texts.get(file) or "").splitlines()
            body.append(f'<section class="file"><h2><code>{esc(file)}</code> <span class="muted">'
                        f'({len(items)})</span></h2>'
                        + "".join(_finding(f, source, rule_index[f.rule], report, t) for f in items) + "</section>")
        body.append(_rules(findings, report, rule_index, t))
    else:
        body.append(f'<p class="box good">{esc(t["none"])}</p>')
    if options.show_suppressed and report.suppressed:
        body.append(_suppressed(report, t))
    body.append("</main>")
    data = {"total": len(findings), "infosShown": bool(options.show_infos)}
    return page(title=title, lang=lang, css=CSS, body="".join(body), script=SCRIPT, data=data)


def _verdict(report: Report, options: Options, t: Mapping[str, str]) -> str:
    threshold = options.fail_on
    failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
    counts = Counter(f.severity for f in report.findings)
    parts = []
    for severity in SEVERITIES:
        text = t[f"count.{severity}"].format(count=counts.get(severity, 0))
        if severity == threshold:
            text += f' ({t["failon"].format(severity=t[f"severity.{severity}"])})'
        parts.append(f'<span class="sev-{severity}">{esc(text)}</span>')
    if threshold is None:
        parts.append(esc(t["failon.never"]))
    suppressed = report.summary.get("suppressed", len(report.suppressed))
    if suppressed:
        parts.append(esc(t["suppressed.count"].format(count=suppressed)))
    if report.baselined:
        parts.append(esc(t["baselined"].format(count=report.baselined)))
    word = t["failed"] if failed else t["passed"]
    return (f'<p class="verdict {"bad" if failed else "good"}"><strong>{esc(word)}</strong> '
            + " · ".join(parts) + "</p>")


def _filters(findings: Sequence[Finding], rules: list[str], options: Options, t: Mapping[str, str]) -> str:
    counts = Counter(f.severity for f in findings)
    serious = counts.get(Severity.ERROR, 0) + counts.get(Severity.WARNING, 0)
    boxes = []
    for severity in SEVERITIES:
        # Infos start hidden when there is something worse, as in the human format.
        on = severity != Severity.INFO or options.show_infos or not serious
        boxes.append(f'<label class="sev-{severity}"><input type="checkbox" name="sev" value="{severity}"'
                     f'{" checked" if on else ""}> {esc(t[f"severity.{severity}"])} ({counts.get(severity, 0)})</label>')
    per_rule = Counter(f.rule for f in findings)
    choices = "".join(f'<option value="{i}">{esc(rule)} ({per_rule[rule]})</option>' for i, rule in enumerate(rules))
    return (f'<section class="filters box"><fieldset><legend>{esc(t["filter.severity"])}</legend>{"".join(boxes)}'
            f'</fieldset><label>{esc(t["filter.rule"])} <select name="rule"><option value="">'
            f'{esc(t["filter.all"].format(count=len(rules)))}</option>{choices}</select></label>'
            f'<output class="shown muted" data-template="{esc(t["filter.shown"])}"></output></section>')


def excerpt(source: list[str], line: int, column: int) -> str:
    """The finding's line with CONTEXT lines around it and a caret under its column."""
    if not 0 < line <= len(source):
        return ""
    out = []
    for n in range(max(1, line - CONTEXT), min(len(source), line + CONTEXT) + 1):
        text = source[n - 1]
        text = text if len(text) <= LINE_CHARS else text[:LINE_CHARS] + "…"
        mark = " at" if n == line else ""
        out.append(f'<span class="l{mark}"><span class="ln">{n}</span>{esc(text)}</span>')
        if n == line:
            out.append(f'<span class="l caret"><span class="ln"> </span>{" " * max(column - 1, 0)}^</span>')
    return f'<pre class="excerpt">{"".join(out)}</pre>'


def _finding(f: Finding, source: list[str], rule: int, report: Report, t: Mapping[str, str],
             suppressed: bool = False) -> str:
    head, tail = split_message(f.message)
    meta = report.rules.get(f.rule)
    parts = [f'<div class="head"><code class="pos">{f.line}:{f.column}</code> '
             f'<span class="badge sev-{f.severity}">{esc(t[f"severity.{f.severity}"])}</span> '
             f'<code class="rule">{esc(f.rule)}</code> <span class="msg">{esc(head)}</span></div>']
    if tail:
        parts.append(f'<p class="tail">{esc(tail)}</p>')
    parts.append(excerpt(source, f.line, f.column))
    if suppressed:
        reason = report.reason(f)
        parts.append(f'<p class="fix"><strong>{esc(t["suppressed.reason"])}:</strong> '
                     f'{esc(reason or t["suppressed.noreason"])}</p>')
    elif f.fix:
        parts.append(f'<p class="fix"><strong>{esc(t["fix"])}:</strong> {esc(f.fix)}</p>')
    see = t["see"].format(rule=f.rule)
    shown = meta.text(output_language()).summary if meta is not None else ""
    summary = f"{shown} · " if shown else ""
    parts.append(f'<p class="see muted">{esc(summary)}<code>{esc(see)}</code></p>')
    return (f'<article class="finding" data-sev="{f.severity}" data-rule="{rule}">'
            f'{"".join(parts)}</article>')


def _rules(findings: Sequence[Finding], report: Report, index: Mapping[str, int], t: Mapping[str, str]) -> str:
    per_rule = Counter(f.rule for f in findings)
    severity = {f.rule: f.severity for f in findings}
    rows = []
    for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0])):
        meta = report.rules.get(rule)
        rows.append(f'<tr><td><button type="button" class="rulebtn" data-pick="{index[rule]}">{esc(rule)}</button></td>'
                    f'<td class="sev-{severity[rule]}">{esc(t[f"severity.{severity[rule]}"])}</td><td>{count}</td>'
                    f'<td>{esc(meta.text(output_language()).summary if meta is not None else "")}</td></tr>')
    head = "".join(f"<th>{esc(t[k])}</th>" for k in ("rules.rule", "rules.severity", "rules.count", "rules.summary"))
    return (f'<section class="rules"><h2>{esc(t["rules.head"])}</h2><div class="scroll"><table><tr>{head}</tr>'
            f'{"".join(rows)}</table></div></section>')


def _suppressed(report: Report, t: Mapping[str, str]) -> str:
    items = sorted_findings(report.suppressed)
    parts = [_finding(f, (report.texts.get(f.file) or "").splitlines(), -1, report, t, suppressed=True)
             for f in items]
    return (f'<section class="suppressed"><details><summary>{esc(t["suppressed.head"].format(count=len(items)))}'
            f'</summary>{"".join(parts)}</details></section>')


CSS = """
.verdict{font-size:1.05em;margin:.3em 0 1em}.verdict.bad strong{color:var(--err)}.verdict.good strong{color:var(--ok)}
.filters{display:flex;flex-wrap:wrap;gap:.6em 1.6em;align-items:center;position:sticky;top:0;z-index:2}
.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3em 1em}
.filters legend{float:left;margin-right:.6em;font-weight:600}
.filters label{white-space:nowrap}.filters select{font:inherit;max-width:80vw}
section.file h2 code{font-size:.95em}
.finding{border:1px solid var(--line);border-radius:8px;margin:.6em 0;padding:.5em .8em;background:#fff}
.finding .head{font-weight:600}
.finding .pos{color:var(--muted)}
.finding .rule{color:var(--muted);font-weight:400}
.finding p{margin:.3em 0}
.tail{color:var(--fg)}
.fix strong{color:var(--ok)}
pre.excerpt{background:var(--soft);border-radius:6px;padding:.4em .6em;overflow-x:auto;margin:.4em 0;line-height:1.35}
pre.excerpt .l{display:block;min-width:max-content}pre.excerpt .at{background:#fff8c5}
pre.excerpt .ln{display:inline-block;width:3.2em;color:var(--muted);user-select:none}
pre.excerpt .caret{color:var(--err);font-weight:700}
.rulebtn{border:0;background:none;color:var(--accent);cursor:pointer;padding:0;font-family:inherit;text-align:left}
"""

SCRIPT = """(function(){
'use strict';
var D=JSON.parse(document.getElementById('k8slint-data').textContent);
var boxes=document.querySelectorAll('.filters input[name=sev]');
var pick=document.querySelector('.filters select[name=rule]');
var shown=document.querySelector('.filters .shown');
function apply(){
  var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
  var rule=pick?pick.value:'', count=0;
  document.querySelectorAll('section.file').forEach(function(sec){
    var any=false;
    sec.querySelectorAll('.finding').forEach(function(f){
      var ok=on[f.getAttribute('data-sev')]&&(rule===''||f.getAttribute('data-rule')===rule);
      f.hidden=!ok;if(ok){any=true;count++;}});
    sec.hidden=!any;});
  if(shown)shown.textContent=shown.getAttribute('data-template')
    .replace('{shown}',String(count)).replace('{total}',String(D.total));
  return count;}
boxes.forEach(function(b){b.addEventListener('change',apply);});
if(pick)pick.addEventListener('change',apply);
document.addEventListener('click',function(ev){
  var b=ev.target.closest&&ev.target.closest('[data-pick]');
  if(b&&pick){pick.value=b.getAttribute('data-pick');
    boxes.forEach(function(x){x.checked=true;});apply();window.scrollTo(0,0);}});
var count=apply();
requestAnimationFrame(function(){setTimeout(function(){
  document.getElementById('k8slint-selfcheck').textContent=JSON.stringify({errors:window.k8slintErrors||[],
    findings:document.querySelectorAll('section.file .finding').length,shown:count,total:D.total,renderMs:performance.now()});
  document.documentElement.setAttribute('data-rendered','1');},0);});
})();"""
