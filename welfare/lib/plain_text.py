"""Text the district writes (guides, news) shown as HTML: plain text with headings, lists and links only.

markdown-it-py with nothing enabled but paragraphs, headings ("## Title"), bullet lists ("- item") and links
("[text](https://…)" or "<https://…>"); HTML typed in the text is shown as text, never run. Links go only to web
addresses, email addresses, phone numbers and the portal's own pages. Headings start one level below the page's
title (a "#" is an h2).
"""

import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_LINK = re.compile(r"^(https?://|mailto:|tel:|/(?!/))", re.IGNORECASE)

_parser = MarkdownIt("zero").enable(["heading", "list", "link", "autolink"])
_parser.validateLink = lambda url: bool(ALLOWED_LINK.match(url.strip()))  # type: ignore[method-assign]


def render_plain_text(text: str) -> SafeString:
    tokens = _parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
    html: str = _parser.renderer.render(tokens, _parser.options, {})
    return mark_safe(html)  # noqa: S308 (markdown-it escapes every character typed: its html option is off)


def plain_summary(text: str, length: int = 200) -> str:
    """The first paragraph without its marks, for lists and search results."""
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.lstrip().startswith("#"):
            words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
            words = re.sub(r"[<>#*_`]|^\s*-\s", "", words, flags=re.MULTILINE)
            words = " ".join(words.split())
            return words if len(words) <= length else words[: length - 1].rsplit(" ", 1)[0] + "…"
    return ""
