"""Sanitised Markdown: the same text always gives the same safe HTML, whatever was rendered before."""
from learning.markdown_text import render_markdown


def test_each_text_renders_alone_with_a_reused_converter():
    first = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n## Heading")
    assert "<table>" in first and "<h4>Heading</h4>" in first
    second = render_markdown("Plain *words*")
    assert second == "<p>Plain <em>words</em></p>" and "table" not in second
    assert render_markdown("Plain *words*") is second  # kept per text


def test_unsafe_html_is_removed_also_from_long_texts():
    for text in ("<script>alert(1)</script>[x](javascript:alert(1))", "word " * 5000 + "<img src=x onerror=alert(1)>"):
        html = render_markdown(text)
        assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert render_markdown(None) == render_markdown("") == ""
