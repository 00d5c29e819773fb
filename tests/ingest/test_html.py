"""Saved web pages: main content only (leadlens.ingest.html)."""

from __future__ import annotations

import pytest

from leadlens.errors import InputError
from leadlens.ingest.html import decode_html, html_to_text, read_html

NHS_JOBS_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Ward Sister | NHS Jobs</title>
<script>var tracking = "SCRIPT-TEXT";</script><style>.x { color: red }</style></head>
<body><a class="nhsuk-skip-link" href="#main-content">Skip to main content</a>
<header class="nhsuk-header"><nav><ul><li>Home</li><li>Search jobs</li></ul></nav></header>
<div class="nhsuk-cookie-banner">We use cookies</div>
<nav class="nhsuk-breadcrumb"><ol><li>Results</li></ol></nav>
<main id="main-content"><h1 id="heading">Ward <b>Sister</b></h1>
<span class="nhsuk-u-visually-hidden">Employer name</span>
<h2>Job summary</h2><p>We are looking for a   Ward Sister to lead the ward&nbsp;team.</p>
<h2>Main duties of the job</h2>
<ul><li>Manage the rota</li><li><p>Set the vision</p><ul><li>Coach staff</li></ul></li></ul>
<dl><dt>Band</dt><dd>Band 7</dd><dt>Salary</dt><dd>£43,742 to £50,056 a year</dd></dl>
<table><tr><th>Contract</th><td>Permanent</td></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>
<div hidden>HIDDEN-ONE</div><div style="display: none">HIDDEN-TWO</div><p aria-hidden="true">HIDDEN-THREE</p>
<form><label>Email</label><input value="x"><button>Apply now</button></form>
<pre>line one
line   two</pre><!-- a comment -->
</main><footer class="nhsuk-footer">Footer text</footer><script>SCRIPT-TWO</script></body></html>"""


def test_main_content_only():
    text, title = html_to_text(NHS_JOBS_PAGE)
    assert title == "Ward Sister"
    assert text.split("\n") == [
        "Ward Sister", "Job summary", "We are looking for a Ward Sister to lead the ward team.",
        "Main duties of the job", "• Manage the rota", "• Set the vision", "• Coach staff",
        "Band: Band 7", "Salary: £43,742 to £50,056 a year", "Contract: Permanent", "a", "b", "c",
        "line one", "line two",
    ]
    for dropped in ("SCRIPT", "cookies", "Skip to", "Search jobs", "Results", "HIDDEN", "Apply now",
                    "Footer", "Employer name", "comment", "color"):
        assert dropped not in text


def test_without_main_the_body_minus_site_furniture():
    page = ("<html><body><header>Site name</header><nav>Menu</nav><h2>Role overview</h2><p>Lead the team.</p>"
            "<footer>Contact us</footer></body></html>")
    text, title = html_to_text(page)
    assert text == "Role overview\nLead the team." and title == "Role overview"


def test_largest_article_and_page_title_fallback():
    page = ("<html><head><title>Head of Estates - Acme Trust</title></head><body><article>short</article>"
            "<article><p>Job purpose</p><p>Plan the estate strategy.</p></article></body></html>")
    text, title = html_to_text(page)
    assert text == "Job purpose\nPlan the estate strategy." and title == "Head of Estates - Acme Trust"


def test_job_title_line_wins():
    text, title = html_to_text("<main><h1>Vacancy</h1><p>Job title: Matron</p></main>")
    assert title == "Matron"


def test_markup_in_text_stays_text():
    text, title = html_to_text("<main><h1>&lt;script&gt;alert(1)&lt;/script&gt; Lead</h1>"
                               "<p>=cmd|' /C calc'!A0</p></main>")
    assert title == "<script>alert(1)</script> Lead" and "=cmd|' /C calc'!A0" in text


def test_entities_in_an_internal_dtd_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("XXE-SECRET-HTML", encoding="utf-8")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
            '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<html><body><main><h1>Lead</h1><p>x &xxe; &b; y</p></main></body></html>')
    f = tmp_path / "xxe.html"
    f.write_text(page, encoding="utf-8")
    text, title = read_html(f)
    assert "XXE-SECRET" not in text and "lollol" not in text and title == "Lead" and "]>" not in text


@pytest.mark.parametrize("data, expected", [
    ('<meta charset="windows-1252"><p>Team’s – £5</p>'.encode("cp1252"), "Team’s – £5"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>caf\xe9 \x96</p>'.encode("latin-1"),
     "café –"),                           # ISO-8859-1 read as Windows-1252, as browsers do
    ('<meta charset="utf-8"><p>café</p>'.encode(), "café"),
    ('<meta charset="no-such-codec"><p>café</p>'.encode(), "café"),
])
def test_declared_charset(data, expected):
    assert expected in decode_html(data, "x.html")


def test_empty_page_is_e014(tmp_path):
    f = tmp_path / "blank.html"
    f.write_text("<html><body><nav>Only navigation</nav><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_html(f)
    assert err.value.code == "E014"


def test_deeply_nested_page_does_not_recurse():
    page = "<div>" * 5000 + "Deep text" + "</div>" * 5000
    assert "Deep text" in html_to_text(page)[0]
