# ruff: noqa: E501  (templates and CSS: long lines of markup read better unwrapped)
"""HTML templates of the report and of the explanation pages (Jinja2, autoescape on).

Pages are self-contained: CSS and the one small script are inline, plots are inline SVG, nothing is fetched.
A Content-Security-Policy ``<meta>`` makes that a guarantee rather than a habit: no network source is allowed
at all, and the only script that may run is the sorting script, pinned by its SHA-256 hash, so even a markup
mistake in a template could not run text from an advert. Every value from the data goes through Jinja's
autoescaping; only the SVG made by :mod:`.plots` and the span markup built with ``markupsafe`` in
:mod:`.explain` are passed in as ``Markup``.

The templates are kept in this module (not as package data files) so the report needs nothing beyond the
Python package.
"""

from __future__ import annotations

import base64
import hashlib
import math
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

CSS = """
:root { --L: #0072B2; --M: #D55E00; --mixed: #CC79A7; --ins: #BBBBBB; --ink: #1d1d1f; --muted: #5f6368;
        --rule: #d9d9de; --bg-soft: #f5f6f8; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0; background: #fff; }
header.top { background: #17324d; color: #fff; padding: 18px 28px 12px; }
header.top h1 { margin: 0 0 4px; font-size: 1.5rem; }
header.top .sub { margin: 0; color: #d5dde6; font-size: .85rem; }
header.top a { color: #fff; }
nav.toc { margin-top: 10px; font-size: .85rem; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav.toc a { color: #cfe3f5; text-decoration: none; border-bottom: 1px dotted #cfe3f5; }
main { max-width: 1240px; margin: 0 auto; padding: 8px 28px 40px; }
section { margin: 28px 0; }
h2 { font-size: 1.2rem; border-bottom: 2px solid var(--rule); padding-bottom: 4px; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 18px 0 8px; }
p.note, .muted { color: var(--muted); font-size: .85rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 10px 0; }
.card { background: var(--bg-soft); border-radius: 8px; padding: 10px 14px; border-left: 5px solid #8aa1b8; }
.card .n { font-size: 1.7rem; font-weight: 700; line-height: 1.1; }
.card .what { font-size: .82rem; color: var(--muted); }
.card.lino { border-left-color: var(--M); }
.card.fail { border-left-color: #a33; }
.lead { font-size: 1.05rem; max-width: 60em; }
figure { margin: 12px 0 18px; }
figure svg.plot { width: 100%; height: auto; max-width: 760px; display: block; }
figcaption { font-size: .82rem; color: var(--muted); max-width: 760px; margin-top: 4px; }
.tablewrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; margin: 6px 0 10px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { max-width: 28em; overflow-wrap: break-word; }
td.title { min-width: 14em; }
.id { word-break: break-all; font-size: .72rem; color: var(--muted); }
table.posts td { white-space: normal; }
caption { text-align: left; caption-side: top; padding: 2px 0; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \\2195"; color: #9aa0a6; font-size: .8em; }
table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; color: var(--ink); }
table.sortable th[aria-sort=descending]::after { content: " \\25BC"; color: var(--ink); }
.pill { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: .78rem; font-weight: 600;
        color: #fff; background: #888; white-space: nowrap; }
.pill.leadership { background: var(--L); } .pill.management { background: var(--M); }
.pill.mixed { background: var(--mixed); } .pill.insufficient { background: var(--ins); color: #222; }
.pill.lino { background: #7a1f1f; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em;
              overflow-wrap: anywhere; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: .88rem; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.err { color: #8a1c1c; }
/* explanation pages */
.verdict { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 28px; background: var(--bg-soft);
           border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.verdict .big { font-size: 1.25rem; font-weight: 700; }
.ibar { position: relative; height: 18px; background: linear-gradient(90deg, #fbe3d6, #f3f3f3 50%, #d6e8f5);
        border-radius: 4px; margin: 8px 0 2px; border: 1px solid var(--rule); }
.ibar .band { position: absolute; top: 3px; bottom: 3px; background: rgba(40,40,40,.35); border-radius: 3px; }
.ibar .mark { position: absolute; top: -3px; bottom: -3px; width: 3px; background: #111; margin-left: -1px; }
.ibar .thr { position: absolute; top: 0; bottom: 0; border-left: 1px dashed #555; }
.iscale { display: flex; justify-content: space-between; font-size: .72rem; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: .78rem; margin: 6px 0 12px; }
.legend span.sw { display: inline-block; width: 12px; height: 4px; vertical-align: middle; margin-right: 3px; }
.advert { border-top: 1px solid var(--rule); margin-top: 10px; }
.row { display: grid; grid-template-columns: 9.5em 1fr; gap: 0 14px; }
.row.gap { margin-top: .9em; }
.row .margin { font-size: .72rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em;
               text-align: right; padding-top: .35em; border-right: 3px solid transparent; padding-right: 8px; }
.row .margin.sec-start { color: #17324d; font-weight: 700; }
.row .body { padding: 1px 0; line-height: 1.75; overflow-wrap: anywhere; }
.row.sec-off .body { color: #6b6b6b; }
.row .margin.sec-duties, .row .margin.sec-person_spec, .row .margin.sec-summary { border-right-color: #8aa1b8; }
.row .margin.sec-person_spec_desirable { border-right-color: #b8c6d4; }
.sp { font-size: .62rem; font-weight: 700; color: #fff; border-radius: 3px; padding: 0 3px; margin-right: 4px;
      vertical-align: 1px; }
.sp.L { background: var(--L); } .sp.M { background: var(--M); } .sp.ov { background: #5f5f5f; }
.tok { display: inline-block; position: relative; line-height: 1.4;
       padding-bottom: calc(var(--n) * 15px + 1px); }
.tok .bar { position: absolute; left: -1px; right: -1px; height: 3px; top: calc(1.4em + var(--t) * 15px);
            background: var(--c); }
.tok .bar.x { background: repeating-linear-gradient(90deg, var(--c) 0 4px, transparent 4px 7px); opacity: .8; }
.tok .lbl { position: absolute; left: -1px; top: calc(1.4em + var(--t) * 15px + 3px); font-size: .6rem;
            line-height: 1; font-weight: 700; color: #fff; background: var(--c); padding: 1px 3px 2px;
            border-radius: 0 0 3px 3px; white-space: nowrap; z-index: 2; }
.tok .lbl.x { background: #fff; color: var(--c); border: 1px dashed var(--c); border-top: 0; }
.tok.x > .w { text-decoration: line-through; text-decoration-thickness: 1.5px; color: #666; }
.tok.on > .w { font-weight: 600; }
a.back { font-size: .85rem; }
@media (max-width: 700px) { .row { grid-template-columns: 1fr; } .row .margin { text-align: left; }
  .verdict { grid-template-columns: 1fr; } main { padding: 8px 12px 30px; } }
@media print {
  header.top { background: none; color: #000; padding: 0 0 6px; border-bottom: 2px solid #000; }
  header.top .sub, header.top a { color: #333; }
  nav.toc, a.back { display: none; }
  main { max-width: none; padding: 0; }
  section { break-inside: auto; } figure, tr, .row, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .tablewrap { overflow: visible; } table { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
  table.sortable th::after { content: ""; }
  body { font-size: 11pt; }
}
"""

SORT_JS = """(function () {
  "use strict";
  function key(cell) {
    var v = cell ? cell.getAttribute("data-sort") : "";
    return v === null ? cell.textContent.trim() : v;
  }
  function isNum(k) { return k === "" || (!isNaN(parseFloat(k)) && isFinite(Number(k))); }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var numeric = rows.every(function (r) { return isNum(key(r.cells[col])); });
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
      return asc ? c : -c;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, i, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, i, th); }
      });
    });
  });
}());"""


def _csp(script: str | None) -> str:
    parts = ["default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "base-uri 'none'",
             "form-action 'none'"]
    if script is not None:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        parts.append(f"script-src 'sha256-{digest}'")
    return "; ".join(parts)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is getattr(__import__("pandas"), "NA", None)


def pct(x: Any, digits: int = 0) -> str:
    """0.234 -> "23%"; missing -> "–"."""
    try:
        return "–" if _missing(x) else f"{float(x) * 100:.{digits}f}%"
    except (TypeError, ValueError):
        return "–"


def num(x: Any, digits: int = 2) -> str:
    """A number without trailing zeros; missing -> "–"."""
    if _missing(x):
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    try:
        return f"{float(x):,.{digits}f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(x)


def sortkey(x: Any) -> str:
    """The ``data-sort`` value of a numeric cell (empty for missing)."""
    if _missing(x):
        return ""
    try:
        return repr(float(x))
    except (TypeError, ValueError):
        return str(x)


def text(x: Any) -> str:
    """A cell as text (missing -> "")."""
    return "" if _missing(x) else str(x)


BASE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="leadlens {{ version }}">
<title>{% block title %}{% endblock %}</title>
<style>{{ css }}</style>
</head>
<body>
{% block body %}{% endblock %}
{% if script %}<script>{{ script }}</script>{% endif %}
</body>
</html>
"""

MACROS = """
{% macro verdict_pill(v) -%}
{% if v %}<span class="pill {{ v }}">{{ v }}</span>{% endif %}
{%- endmacro %}
{% macro figure(p) -%}
<figure id="fig-{{ p.key }}">{{ p.svg }}<figcaption><strong>{{ p.title }}.</strong> {{ p.caption }}</figcaption></figure>
{%- endmacro %}
{% macro frame(df, numeric=(), pct_cols=(), sortable=False, caption=None) -%}
<div class="tablewrap"><table{% if sortable %} class="sortable"{% endif %}>
{% if caption %}<caption class="muted">{{ caption }}</caption>{% endif %}
<thead><tr>{% for c in df.columns %}<th scope="col"{% if c in numeric or c in pct_cols %} class="num"{% endif %}>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in df.itertuples(index=False) %}<tr>{% for c in df.columns %}{% set v = row[loop.index0] %}
{% if c in pct_cols %}<td class="num" data-sort="{{ v|sortkey }}">{{ v|pct }}</td>{% elif c in numeric %}<td class="num" data-sort="{{ v|sortkey }}">{{ v|num }}</td>{% else %}<td class="wrap">{{ v|text }}</td>{% endif %}
{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{%- endmacro %}
{% macro posts_table(rows, cols, kind=True, level="80%") -%}
<div class="tablewrap"><table class="sortable posts">
<thead><tr><th scope="col">title (doc id)</th>{% if kind %}<th scope="col">title kind</th>{% endif %}
<th scope="col">verdict</th><th scope="col" class="num">share</th><th scope="col" class="num">{{ level }} interval</th>
<th scope="col" class="num">L</th><th scope="col" class="num">M</th><th scope="col" class="num">words</th>
<th scope="col">main management themes</th>{% for c in cols %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in rows %}<tr>
<td class="wrap title" data-sort="{{ r.title }}">{% if r.href %}<a href="{{ r.href }}">{{ r.title or "(no title)" }}</a>
{%- else %}{{ r.title or "(no title)" }}{% endif %}<div class="id mono">{{ r.doc_id }}</div></td>
{% if kind %}<td>{{ r.title_kind }}</td>{% endif %}
<td data-sort="{{ r.verdict }}">{{ verdict_pill(r.verdict) }}
{%- if r.lino %} <span class="pill lino" title="leader in name only">LINO</span>{% endif %}</td>
<td class="num" data-sort="{{ r.share|sortkey }}">{{ r.share|pct }}</td>
<td class="num" data-sort="{{ r.low|sortkey }}">{{ r.interval }}</td>
<td class="num" data-sort="{{ r.L|sortkey }}">{{ r.L|num }}</td>
<td class="num" data-sort="{{ r.M|sortkey }}">{{ r.M|num }}</td>
<td class="num" data-sort="{{ r.words|sortkey }}">{{ r.words|num }}</td><td class="wrap">{{ r.themes }}</td>
{% for c in cols %}<td class="wrap">{{ r.extra[c]|text }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{%- endmacro %}
"""

REPORT = """{% extends "base.html" %}{% import "macros.html" as m %}
{% block title %}leadlens report: {{ h.posts }} posts{% endblock %}
{% block body %}
<header class="top">
<h1>Leadership or management? A leadlens report</h1>
<p class="sub">{{ h.posts }} postings from <span class="mono">{{ folder }}</span> &middot; leadlens {{ version }}
&middot; report written {{ generated }}</p>
<nav class="toc" aria-label="Contents">
<a href="#headline">Headline</a><a href="#share">Share by title kind</a><a href="#axes">Nine axes</a>
<a href="#lino">Leaders in name only</a>{% if posts is not none %}<a href="#posts">All posts</a>{% endif %}
{% if breakdowns %}<a href="#breakdowns">Breakdowns</a>{% endif %}<a href="#themes">Themes</a>
<a href="#failed">Failed files</a><a href="#methods">Methods</a>
</nav>
</header>
<main>
<section id="headline">
<h2>Headline</h2>
<div class="cards">
<div class="card"><div class="n">{{ h.posts|num }}</div><div class="what">postings read</div></div>
<div class="card"><div class="n">{{ h.scored|num }}</div><div class="what">scored</div></div>
<div class="card"><div class="n">{{ h.leader_titled|num }}</div><div class="what">leader-titled (lead, head of, director, chief…)</div></div>
<div class="card lino"><div class="n">{{ h.leader_in_name_only|num }}</div><div class="what">leaders in name only{% if h.lino_pct is not none %} ({{ '%.0f'|format(h.lino_pct) }}% of leader-titled){% endif %}</div></div>
<div class="card fail"><div class="n">{{ h.failed|num }}</div><div class="what">files that could not be read</div></div>
</div>
<p class="lead">Of {{ h.scored|num }} scored posts, {{ h.leader_titled|num }} have a leader's title.
{% if h.leader_titled %}<strong>{{ h.leader_in_name_only|num }}</strong> of them
({{ '%.0f'|format(h.lino_pct) }}%) are <strong>leaders in name only</strong>: their duties read mostly as
management. {{ h.leader_judged|num }} of the leader-titled posts had enough evidence for a verdict.{% endif %}
Verdicts over all scored posts: {% for v, n in h.verdicts.items() %}{{ m.verdict_pill(v) }} {{ n|num }}{% if not loop.last %}, {% endif %}{% endfor %}.
{% if h.spans == 0 %}<br><strong>No lexicon span was found in any post</strong>: is the lexicon empty or the input not adverts?{% endif %}</p>
{{ m.figure(plots.verdicts) }}
{{ m.frame(verdict_table, numeric=verdict_table.columns[1:]) }}
</section>

<section id="share">
<h2>Leadership share by title kind</h2>
{{ m.figure(plots.share) }}
{{ m.frame(share_table, numeric=("posts", "with evidence", "leaders in name only"),
           pct_cols=("lower quartile", "median", "upper quartile"),
           caption="Quartiles of the leadership share over posts with evidence.") }}
</section>

<section id="axes">
<h2>The nine-axis profile</h2>
{{ m.figure(plots.axes) }}
{{ m.frame(axis_table, numeric=("L evidence", "L mean/post", "L posts", "M evidence", "M mean/post", "M posts")) }}
<h3>What happened to the spans found</h3>
<p class="note">Every lexicon span is kept for explanation; only counted spans add evidence.</p>
{{ m.frame(status_table, numeric=("spans",)) }}
</section>

<section id="lino">
<h2>Leaders in name only</h2>
<p>Leader-titled posts whose verdict is management, most management-heavy first. Click a column to sort; click a
title to see the advert with its evidence highlighted.{% if lino_more %} <strong>Showing {{ lino_shown|num }} of
{{ lino_total|num }}</strong>; the full list is in documents.csv and summary.xlsx.{% endif %}</p>
{% if lino_rows %}{{ m.posts_table(lino_rows, lino_cols, kind=False, level=level) }}{% else %}<p class="muted">None found.</p>{% endif %}
</section>

{% if posts is not none %}
<section id="posts">
<h2>All posts</h2>
<p class="note">Every scored post of this run (small runs only; large runs list the leaders in name only).</p>
{{ m.posts_table(posts, lino_cols, level=level) }}
</section>
{% endif %}

{% if breakdowns %}
<section id="breakdowns">
<h2>Breakdowns by input columns</h2>
<p class="note">Columns carried over from the input with few distinct values.</p>
{% for b in breakdowns %}
<h3>By {{ b.column }}</h3>
{{ m.figure(b.plot) }}
{{ m.frame(b.table, numeric=b.numeric, pct_cols=("median share",), sortable=True) }}
{% endfor %}
</section>
{% endif %}

<section id="themes">
<h2>Most frequent themes per pole</h2>
{{ m.figure(plots.themes) }}
<h3>Leadership pole</h3>
{% if themes_L|length %}{{ m.frame(themes_L, numeric=("spans", "weight", "posts"), sortable=True) }}{% else %}<p class="muted">No leadership spans counted.</p>{% endif %}
<h3>Management pole</h3>
{% if themes_M|length %}{{ m.frame(themes_M, numeric=("spans", "weight", "posts"), sortable=True) }}{% else %}<p class="muted">No management spans counted.</p>{% endif %}
</section>

<section id="failed">
<h2>Files that could not be read</h2>
{% if failed|length %}{% if failed_more %}<p class="note">Showing {{ failed|length }} of {{ h.failed|num }}.</p>{% endif %}
{{ m.frame(failed, sortable=True) }}{% else %}<p class="muted">None: every input was read.</p>{% endif %}
</section>

<section id="methods">
<h2>Methods</h2>
<h3>How the posts were read</h3>
<p>Each advert was split into sentences and bullets, every sentence given a section (duties, person
specification, about us, benefits…), and phrases from the leadlens lexicon were tagged with one of the nine
axes and a pole (leadership, L, or management, M). Context rules then asked of every span: is it negated, only
a possibility, said of the organisation rather than the post holder, in a heading, a job title, boilerplate, or
a clinical sense of the word? Such spans count for nothing and are shown struck through in the explanations.
Counted spans weigh their rule's weight times their section's weight.</p>
<h3>How to read a verdict</h3>
<p>A post's <strong>leadership share</strong> is L / (L + M) over its weighted evidence, with a {{ level }}
interval from a Beta posterior (prior {{ prior }}). The verdict is {{ m.verdict_pill("leadership") }} when the
share is at least {{ thr_L|pct }}, {{ m.verdict_pill("management") }} when it is at most {{ thr_M|pct }},
{{ m.verdict_pill("mixed") }} in between, and {{ m.verdict_pill("insufficient") }} when the evidence is below
{{ min_ev|num }}.{% if verdict_rule == "classifier" %} In this run the verdicts were decided by the <strong>verdict
classifier</strong> fitted with the sentence model on the gold posts: it reads the post's evidence and share and how
many of its sentences are leadership and management (annotators weigh the number of separate duties as well as
their weight), so a verdict can differ from the bands above; a post with no evidence is always insufficient.{% endif %}
A wide interval means few spans: read such a verdict as tentative. A
<strong>leader in name only</strong> is a post whose title names a leader (lead, leader, head of, director,
chief) and whose verdict is management.</p>
<h3>Run</h3>
<dl class="kv">
{% for k, v in run_facts %}<dt>{{ k }}</dt><dd>{{ v }}</dd>
{% endfor %}</dl>
<h3>Evaluation</h3>
{% if evaluation %}{% for e in evaluation %}
<p><strong>{{ e.name }}</strong>{% if e.data %}: {{ e.data }}{% endif %}. {% for k, v in e.figures %}{{ k }} {{ v }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>
{% if e.per_class is not none %}{{ m.frame(e.per_class, numeric=("precision", "recall", "F1", "support")) }}{% endif %}
{% if e.confusion is not none %}{{ m.frame(e.confusion, numeric=e.confusion.columns[1:], caption="Confusion table: rows gold, columns predicted.") }}{% endif %}
{% endfor %}{% else %}<p class="muted">No evaluation was given with this report. <code>leadlens evaluate</code>
measures agreement with the gold labels of <code>corpora/gold</code>.</p>{% endif %}
<h3>Caveats</h3>
<ul>
<li>leadlens counts phrases from a hand-written lexicon; a duty worded in a way the lexicon does not know is
not seen, and a post with few matching phrases gets a wide interval or no verdict.</li>
<li>The verdict settings were fitted on the gold posts of the train split (<code>corpora/gold</code>); annotators
themselves agree on post verdicts less than on sentences, so read a single post's verdict with its interval and
its explanation.</li>
<li>Sections are recognised from headings; an advert without headings is read as one undivided text, so its
boilerplate may count.</li>
<li>Title kind comes from the title alone (ANNOTATION.md); a missing or unusual title makes a post "other".</li>
<li>The explanations rebuild each advert from its sentences; spacing between sentences is approximate.</li>
</ul>
</section>
</main>
{% endblock %}
"""

EXPLAIN = """{% extends "base.html" %}{% import "macros.html" as m %}
{% block title %}{{ d.title or d.doc_id }}: leadlens explanation{% endblock %}
{% block body %}
<header class="top">
<h1>{{ d.title or "(no title)" }}</h1>
<p class="sub">post <span class="mono">{{ d.doc_id }}</span>{% if d.source %} &middot; from <span class="mono">{{ d.source }}</span>{% endif %}
&middot; title kind: {{ d.title_kind or "–" }} &middot; {{ d.words|num }} words</p>
<p class="sub"><a class="back" href="../report.html">&larr; back to the report</a></p>
</header>
<main>
<section class="verdict" aria-label="Verdict">
<div>
<div class="big">{{ m.verdict_pill(d.verdict) }}{% if d.lino %} <span class="pill lino">leader in name only</span>{% endif %}</div>
{% if d.confidence == d.confidence and d.L + d.M > 0 %}<p class="muted">The verdict classifier gives this verdict a
probability of {{ d.confidence|pct(1) }}.</p>{% endif %}
<p>Leadership share <strong>{{ d.share|pct }}</strong>{% if d.has_share %}
({{ level }} interval {{ d.interval }}){% endif %}. Evidence: leadership
<strong>{{ d.L|num }}</strong>, management <strong>{{ d.M|num }}</strong>.</p>
{% if d.has_share %}
<div class="ibar" role="img" aria-label="leadership share {{ d.share|pct }}, interval {{ d.low|pct }} to {{ d.high|pct }}">
<div class="thr" style="left: {{ '%.2f'|format(thr_M * 100) }}%"></div><div class="thr" style="left: {{ '%.2f'|format(thr_L * 100) }}%"></div>
<div class="band" style="left: {{ '%.2f'|format(d.low * 100) }}%; width: {{ '%.2f'|format((d.high - d.low) * 100) }}%"></div>
<div class="mark" style="left: {{ '%.2f'|format(d.share * 100) }}%"></div></div>
<div class="iscale"><span>0% all management</span><span>50%</span><span>100% all leadership</span></div>
{% else %}<p class="muted">No counted evidence: no share can be given.</p>{% endif %}
<p class="note">Verdict: leadership at {{ thr_L|pct }} or more, management at {{ thr_M|pct }} or less, mixed in
between; insufficient below {{ min_ev|num }} evidence. Dashed lines mark the thresholds.{% if verdict_rule ==
"classifier" %} This run's verdicts came from the verdict classifier fitted with the sentence model (it also
counts the post's leadership and management sentences), so the verdict can differ from the bands.{% endif %}</p>
</div>
<div>
{% if axis_rows %}<table><thead><tr><th>axis</th><th class="num">L</th><th class="num">M</th></tr></thead><tbody>
{% for a in axis_rows %}<tr><td>{{ a.axis }} <span class="muted">({{ a.label_L }} / {{ a.label_M }})</span></td>
<td class="num">{{ a.L|num }}</td><td class="num">{{ a.M|num }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="muted">No axis has counted evidence.</p>{% endif %}
{% if status_rows %}<p class="note">Spans: {% for s, n in status_rows %}{{ s }} {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>{% endif %}
{% if d.error %}<p class="err">{{ d.error }}</p>{% endif %}
</div>
</section>
<section aria-label="How to read">
<p class="note">Each tagged phrase is underlined in its pole's colour (blue leadership, orange management) with
its axis. <s>Struck-through</s> phrases with a dashed line were found but excluded; hover to see why. The
section of each line is in the margin; greyed lines are sections that do not count (about us, benefits…).
The L / M badge before a sentence is its pole.</p>
<div class="legend">{% for a in legend %}<span><span class="sw" style="background: {{ a.cL }}"></span>{{ a.axis }} L: {{ a.label_L }}</span>
<span><span class="sw" style="background: {{ a.cM }}"></span>{{ a.axis }} M: {{ a.label_M }}</span>{% endfor %}</div>
</section>
<section class="advert" aria-label="Advert text">
{% if rows %}{% for r in rows %}<div class="row{% if r.gap %} gap{% endif %}{% if r.off %} sec-off{% endif %}">
<div class="margin sec-{{ r.section }}{% if r.first %} sec-start{% endif %}">{% if r.first %}{{ r.section_label }}{% endif %}</div>
<div class="body">{{ r.html }}</div></div>
{% endfor %}{% else %}<p class="muted">No sentences were recorded for this post.</p>{% endif %}
</section>
</main>
{% endblock %}
"""

_ENV: Environment | None = None


def env() -> Environment:
    """The Jinja environment (autoescape on, undefined names are errors)."""
    global _ENV
    if _ENV is None:
        e = Environment(loader=DictLoader({"base.html": BASE, "macros.html": MACROS, "report.html": REPORT,
                                           "explain.html": EXPLAIN}),
                        autoescape=True, undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
        e.filters.update(pct=pct, num=num, sortkey=sortkey, text=text)
        _ENV = e
    return _ENV


def render_report(context: dict[str, Any]) -> str:
    """The report page (the sorting script allowed by hash in its CSP)."""
    return env().get_template("report.html").render(csp=_csp(SORT_JS), css=Markup(CSS), script=Markup(SORT_JS),
                                                    **context)


def render_explanation(context: dict[str, Any]) -> str:
    """One explanation page (no script at all)."""
    return env().get_template("explain.html").render(csp=_csp(None), css=Markup(CSS), script=None, **context)
