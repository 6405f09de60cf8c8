"""The style and script of the explain HTML page (inline: the page is one file).

The script only reads the JSON in #k8slint-data and builds DOM with textContent: no
value from the input is ever parsed as HTML. It shows the events of a bar, marker or pod
name (hover on a mouse, tap on a touch screen), the details of a clicked graph object, and
ends with a self-check in #k8slint-selfcheck (errors seen, counts, render time) that the
browser tests read.
"""

from __future__ import annotations

CSS = """
header nav{display:flex;flex-wrap:wrap;gap:.3em 1em;margin:.4em 0 0}
header nav a{color:var(--accent);text-decoration:none;font-size:.92em}
.help{color:var(--muted);margin:.2em 0 .6em;max-width:75ch}
#problems h2{margin-top:.2em;border:0}
ul.problems,ul.findings{padding-left:1.1em;margin:.3em 0}
ul.problems li,ul.findings li{margin:.25em 0}
code.where{color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:.2em 2em;font-size:.82em;margin:.4em 0 .8em}
.legend ul,ul.keys{list-style:none;padding:0;margin:.2em 0;display:flex;flex-wrap:wrap;gap:.25em 1em}
.legend li,ul.keys li{display:flex;align-items:center;gap:.35em}
ul.keys{font-size:.82em}
.tl{position:relative;--label:250px}
.tl .grid{position:absolute;top:0;bottom:0;left:var(--label);width:calc(100% - var(--label));height:100%;
pointer-events:none;overflow:visible;padding:0 8px 0 6px}
.tl .grid line{stroke:#eaeef2;stroke-width:1}
.row{display:grid;grid-template-columns:var(--label) minmax(0,1fr);align-items:center;min-height:24px;
position:relative}
.row .label{display:flex;flex-direction:column;min-width:0;padding-right:10px;line-height:1.15}
.row .name{font-size:.84em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;text-align:left;
background:none;border:0;padding:0;color:var(--fg);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
button.name{cursor:pointer}button.name:hover,button.name:focus-visible{color:var(--accent);text-decoration:underline}
.row .sub{font-size:.72em;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.row svg.bars{width:100%;display:block;overflow:visible;padding:0 8px 0 6px}
.row.axis{border-bottom:1px solid var(--line)}.row.axis.bottom{border-bottom:0;border-top:1px solid var(--line)}
.row.axis text{font-size:11px;fill:var(--muted)}
.row.axis .label{font-size:.8em}
.row.lane .name,.row.cluster .name{font-style:italic;font-family:inherit;color:var(--muted)}
.row.service .name{font-family:inherit;font-weight:600}
.ghead{font-weight:600;font-size:.9em;margin:.7em 0 .1em;padding-top:.3em;border-top:1px solid var(--line)}
line.base{stroke:#d0d7de;stroke-width:1.5;stroke-dasharray:2 3}
.b{stroke:#0000;stroke-width:0}
.b-pending{fill:#d8dee4}.b-unschedulable{fill:#ffb3b3}.b-scheduled{fill:#b6d4fe}.b-sandbox{fill:#8ab8fb}
.b-pull{fill:#b392f0}.b-init{fill:#e3b341}.b-running{fill:#9be9a8}.b-ready{fill:#2da44e}
.b-crashed{fill:#cf222e}.b-backoff{fill:#ff9492}.b-succeeded{fill:#8c959f}.b-failed{fill:#a40e26}
.b-terminating{fill:#ffd8b5}.b-prestop{fill:#fb8f44}.b-sigterm{fill:#bc4c00}.b-jobrun{fill:#54aeff}
.bars .b,.bars .m{cursor:pointer}
.bars .b:hover{stroke:#1b1f24;stroke-width:1}
.mk .hit{fill:#0000;stroke:none}
.mk{stroke:#fff;stroke-width:1.2}
.mk-bad{fill:#cf222e}.mk-ep-add{fill:#1a7f37}.mk-ep-remove{fill:#d1242f}.mk-proxy{fill:#0969da}
.mk-dns{fill:#1b7c83}.mk-ok{fill:#1a7f37}.mk-gone{fill:#24292f}.mk-ev{fill:#6e7781}
.mk .ink{stroke:#fff;stroke-width:1.6;fill:none;stroke-linecap:round}
.mk .x{stroke:#24292f;stroke-width:2.4;fill:none}
.mk .dash{stroke:#57606a;stroke-width:1.6;stroke-dasharray:2 2;fill:none}
.row.before .name::before{content:"\\2190 ";color:var(--muted)}
svg.defs{position:absolute}
#graph .graphwrap{border:1px solid var(--line);border-radius:8px;background:#fbfcfd}
svg.graph{display:block;max-width:100%;height:auto}
svg.graph.narrow{display:none}
svg.graph .e{fill:none;stroke:#8c959f;stroke-width:1.5}
#arrow path{fill:#8c959f}
svg.graph .el{font-size:11px;fill:#57606a;paint-order:stroke;stroke:#fbfcfd;stroke-width:4px}
.node{cursor:pointer;outline:none}
.node rect{stroke-width:1.5}
.node .nk{font-size:10px;font-weight:600;fill:#57606a}
.node .nn{font-size:13px;font-weight:600;fill:#1b1f24}
.node .np{font-size:11px;fill:#1b1f24;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.node:hover rect,.node:focus-visible rect,.node.selected rect{stroke:#1b1f24;stroke-width:2.5}
.g-work rect{fill:#ddf4ff;stroke:#54aeff}.g-pods rect{fill:#dafbe1;stroke:#4ac26b}
.g-net rect{fill:#fbefff;stroke:#c297ff}.g-conf rect{fill:#fff8c5;stroke:#d4a72c}
.g-scale rect{fill:#f6f8fa;stroke:#8c959f}.g-other rect{fill:#fff;stroke:#afb8c1}
.objdetails{margin-top:.7em}
.obj{border:1px solid var(--line);border-radius:8px;padding:.4em .9em .8em}
.obj h3{margin:.4em 0}.obj h4{margin:.8em 0 .2em;font-size:.92em}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em;margin:.3em 0}
dt{color:var(--muted);font-size:.9em}dd{margin:0;min-width:0;overflow-wrap:anywhere}
dd p{margin:0 0 .2em}
ul.codes{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.15em .8em}
.evbtn{margin-top:.6em;border:1px solid var(--line);background:var(--soft);border-radius:6px;padding:.25em .7em;
cursor:pointer}
.chartbox{margin:1em 0}
svg.chart{display:block}
svg.chart .ax{font-size:11px;fill:#57606a}svg.chart .small{font-size:10px}
svg.chart .gl{stroke:#eaeef2}
.c-old{fill:#afb8c1}.c-new{fill:#54aeff}
polyline.c-av{fill:none;stroke:#1a7f37;stroke-width:2}circle.c-av{fill:#1a7f37}
line.c-av{stroke:#1a7f37;stroke-width:2}
.lim{stroke:#cf222e;stroke-width:1.2;stroke-dasharray:5 3;fill:#0000}
.lim.lo{stroke:#9a6700}
.grace{fill:#f6f8fa;stroke:#8c959f;stroke-dasharray:3 2}
.terms .row{--label:250px}
p.note{margin:.1em 0 .7em;font-size:.82em;color:var(--muted)}
.container{margin:.6em 0}.container h3{font-size:.95em}
.container code{display:inline-block;margin-right:.6em}
table.events td:first-child{text-align:right;white-space:nowrap}
table.events tr{cursor:pointer}
table.events tr:hover td{background:#f6f8fa}
.inspector{position:fixed;z-index:10;width:min(440px,calc(100vw - 16px));max-height:60vh;overflow:auto;
background:#fff;border:1px solid var(--line);border-radius:10px;box-shadow:0 8px 28px #1b1f2433;
padding:.6em .9em;font-size:.88em}
.inspector .close{position:absolute;right:.3em;top:.1em;border:0;background:none;font-size:1.4em;cursor:pointer;
color:var(--muted)}
.inspector h4{margin:.1em 1.6em .4em 0;font-size:1em;overflow-wrap:anywhere}
.inspector .ev{border-top:1px solid var(--line);padding:.4em 0}
.inspector .ev:first-of-type{border-top:0}
.inspector .who{font-weight:600}.inspector .role{color:var(--muted);font-size:.9em}
.inspector .t{display:inline-block;min-width:3.2em;font-weight:600;color:var(--accent)}
.inspector .msg{margin:.2em 0;overflow-wrap:anywhere}
.inspector .meta{color:var(--muted);font-size:.86em;overflow-wrap:anywhere}
@media (max-width:700px){
.tl{--label:0px}
.row{grid-template-columns:minmax(0,1fr);padding-top:.25em}
.row .label{flex-direction:row;gap:.6em;align-items:baseline;padding:0}
.row.axis .label{display:none}
.tl .grid{left:0;width:100%}
.inspector{left:0!important;right:0;bottom:0;top:auto!important;width:100%;max-height:55vh;border-radius:12px 12px 0 0}
dl{grid-template-columns:minmax(0,1fr)}
svg.graph.wide{display:none}svg.graph.narrow{display:block;margin:0 auto}
dt{margin-top:.3em}
}
"""

SCRIPT = """(function(){
'use strict';
var started=performance.now();
var D=JSON.parse(document.getElementById('k8slint-data').textContent);
var T=D.text, EV=D.events;
var box=document.getElementById('inspector'), content=box.querySelector('.content');
var pinned=false;
function el(tag,cls,text){var n=document.createElement(tag);if(cls)n.className=cls;
  if(text!==undefined&&text!==null)n.textContent=String(text);return n;}
function secs(v){return (Math.round(v*1000)/1000)+' s';}
function indices(node){var raw=node.getAttribute('data-ev')||'';
  return raw.split(',').filter(function(x){return x!=='';}).map(Number)
    .filter(function(i){return i>=0&&i<EV.length;});}
function titleOf(node){var row=node.closest('.row');
  if(row){var name=row.querySelector('.name');if(name)return name.textContent;}
  var obj=node.closest('.obj');if(obj){var h=obj.querySelector('h3');if(h)return h.textContent;}
  return T.events;}
function fill(list,title,sub){
  content.textContent='';
  content.appendChild(el('h4','',title));
  if(sub)content.appendChild(el('div','meta',sub));
  list.forEach(function(i){var e=EV[i], actor=D.actors[e[1]]||['',''];
    var div=el('div','ev');
    var line=el('div','');line.appendChild(el('span','t',secs(e[0])));
    line.appendChild(el('span','who',actor[0]));
    div.appendChild(line);
    if(actor[1])div.appendChild(el('div','role',actor[1]));
    div.appendChild(el('div','msg',e[2]+' '+e[3]+': '+e[4]));
    if(e[5])div.appendChild(el('div','meta',T.reason+': '+e[5]));
    var src=D.sources[e[6]];if(src)div.appendChild(el('div','meta',T.source+': '+src));
    content.appendChild(div);});}
function place(anchor){
  if(window.matchMedia('(max-width:700px)').matches){box.style.left='';box.style.top='';return;}
  var r=anchor.getBoundingClientRect(), w=box.offsetWidth, h=box.offsetHeight;
  var left=Math.min(Math.max(8,r.left),window.innerWidth-w-8);
  var top=r.bottom+8; if(top+h>window.innerHeight-8)top=Math.max(8,r.top-h-8);
  box.style.left=left+'px';box.style.top=top+'px';}
function show(anchor,pin){var list=indices(anchor);if(!list.length)return;
  var tip=anchor.querySelector&&anchor.querySelector('title');
  fill(list,titleOf(anchor),tip?tip.textContent:'');box.hidden=false;place(anchor);pinned=pin;}
function hide(){box.hidden=true;pinned=false;}
document.addEventListener('pointerover',function(ev){
  if(ev.pointerType!=='mouse'||pinned)return;
  var a=ev.target.closest&&ev.target.closest('svg.bars [data-ev]');if(a)show(a,false);});
document.addEventListener('pointerout',function(ev){
  if(ev.pointerType!=='mouse'||pinned)return;
  var a=ev.target.closest&&ev.target.closest('svg.bars [data-ev]');if(a)hide();});
document.addEventListener('click',function(ev){
  var t=ev.target;
  if(t.closest('.inspector .close')){hide();return;}
  if(t.closest('.inspector'))return;
  var a=t.closest('[data-ev]');if(a){show(a,true);return;}
  var n=t.closest('[data-obj]');if(n){select(n);return;}
  hide();});
document.addEventListener('keydown',function(ev){
  if(ev.key==='Escape'){hide();return;}
  if((ev.key==='Enter'||ev.key===' ')&&ev.target.closest&&ev.target.closest('[data-obj]')){
    ev.preventDefault();select(ev.target.closest('[data-obj]'));}});
function select(node){
  var i=node.getAttribute('data-obj');
  document.querySelectorAll('#graph .node.selected').forEach(function(n){n.classList.remove('selected');});
  document.querySelectorAll('#graph .node[data-obj="'+Number(i)+'"]').forEach(function(n){
    n.classList.add('selected');});
  document.querySelectorAll('.objdetails .obj').forEach(function(s){s.hidden=true;});
  var panel=document.getElementById('obj-'+i), pick=document.querySelector('.objdetails .pick');
  if(panel){panel.hidden=false;if(pick)pick.hidden=true;
    if(window.matchMedia('(max-width:700px)').matches)panel.scrollIntoView({block:'nearest'});}}
var first=document.querySelector('#graph svg.wide .node.g-work')||document.querySelector('#graph svg.wide .node');
if(first)select(first);
function done(){
  var check={errors:window.k8slintErrors||[],
    podRows:document.querySelectorAll('.tl:not(.terms) .row.pod').length,
    graphNodes:document.querySelectorAll('#graph svg.wide .node').length,
    events:EV.length, expect:D.expect, renderMs:performance.now(), scriptMs:performance.now()-started};
  var out=document.getElementById('k8slint-selfcheck');
  out.textContent=JSON.stringify(check);
  document.documentElement.setAttribute('data-rendered','1');}
requestAnimationFrame(function(){setTimeout(done,0);});
})();"""
