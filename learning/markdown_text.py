"""User-written Markdown rendered to HTML that is safe to show: Markdown, then nh3.

Rendering is a pure function of the text, so results are kept per process by
text (a changed text is a new key, never a stale one), and each thread reuses
one Markdown converter (building one costs more than converting a short text).
"""
import threading
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


_local = threading.local()


def _converter():
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    return converter.reset()


def render_markdown(text):
    """Markdown source -> sanitised HTML (headings are demoted under the page's own)."""
    text = text or ""
    return _render(text) if len(text) <= 20000 else _render.__wrapped__(text)


@lru_cache(maxsize=4096)
def _render(text):
    html = _converter().convert(text)
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
