"""The district's texts: headings, lists and links only; whatever else is typed is shown as text."""

from welfare.lib.plain_text import plain_summary, render_plain_text


def test_headings_lists_and_links_and_nothing_else():
    html = render_plain_text(
        "# Chi chiamare\n\n- il [112](tel:112)\n- [il sito](https://example.org) o <https://a.example.org>\n\n"
        "Vedi [i servizi](/servizi/). <script>alert(1)</script> <b>grassetto</b> **no**"
    )
    assert "<h2>Chi chiamare</h2>" in html
    assert '<li>il <a href="tel:112">112</a></li>' in html
    assert '<a href="https://example.org">il sito</a>' in html
    assert '<a href="/servizi/">i servizi</a>' in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html
    assert "<strong>" not in html


def test_links_to_anything_else_stay_text():
    for target in ("javascript:alert(1)", "data:text/html,x", "//evil.example.org/", "vbscript:x", "file:///etc"):
        html = render_plain_text(f"[clic]({target})")
        assert "<a " not in html, target


def test_the_summary_is_the_first_paragraph_without_marks():
    assert plain_summary("# Titolo\n\nIl [voucher](/servizi/) è un *contributo*.\n\nAltro.") == (
        "Il voucher è un contributo."
    )
