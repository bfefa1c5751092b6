"""Rendering an HTML page as plain text lines, keeping what its markup says of each line.

The segmenter works on text lines. For HTML, this module renders the page the
way a reader sees it (one block element per paragraph, blank lines between) and
records, for each rendered line, the role its markup implies: a heading is a
title, a ``<figcaption>`` a caption, ``<nav>``/``<footer>``/ads boilerplate.
It uses the standard library's HTML parser, which copes with malformed markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TypeVar

__all__ = ["HtmlRendering", "looks_like_html", "parse_markup", "render_html"]

AnyParser = TypeVar("AnyParser", bound=HTMLParser)

_HTML_SIGNATURE = re.compile(r"<\s*(!doctype\s+html|html|body|article|div|p|h[1-6]|figure|section)\b", re.I)
_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button", "form", "select"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul", "br", "time",
}
_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed", "track"}
_BOILERPLATE_TAGS = {"nav", "footer", "aside", "header"}
# Class or id words that mark adverts, share bars and similar page furniture.
_BOILERPLATE_CLASS = re.compile(
    r"(^|[\s_-])(ad|ads|advert|advertisement|sponsor|promo|share|social|newsletter-signup|cookie|banner|menu|breadcrumbs?)($|[\s_-])",
    re.I,
)
_CREDIT_CLASS = re.compile(r"credit|byline-photo|photographer|copyright", re.I)
# Class words of an item's date, timestamp or byline line ("entry-meta", "post-date", "byline").
_META_CLASS = re.compile(r"(^|[\s_-])(meta|byline|timestamp|date|dateline|pubdate|posted-on)($|[\s_-])", re.I)
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
# Python's HTMLParser (3.11) raises AssertionError at a "<![" that does not open
# one of these marked sections; such a "<![" is text.
_BAD_MARKED_SECTION = re.compile(r"<!\[(?!(?:cdata|temp|ignore|include|rcdata|if|else|endif)(?![-_.a-z0-9]))", re.I)


@dataclass(frozen=True, slots=True)
class HtmlRendering:
    """The text rendering of an HTML page (or a Markdown page: :mod:`newsclass._markdown`) and the markup role of each line.

    ``roles[n]`` is the role of line ``n + 1``: one of ``"title"``, ``"caption"``,
    ``"credit"``, ``"meta"`` (a ``<time>`` or a date/byline class), ``"boilerplate"``,
    or ``None`` when the markup says nothing.
    ``blocks[n]`` numbers the element a line came from: lines of one ``<article>``
    share an item boundary hint.
    """

    text: str
    roles: tuple[str | None, ...]
    articles: tuple[int | None, ...]


def looks_like_html(text: str) -> bool:
    """Return True when ``text`` starts like, or is made of, HTML markup."""
    return bool(_HTML_SIGNATURE.search(text[:2048]))


def render_html(markup: str) -> HtmlRendering:
    """Render ``markup`` to text lines with their markup roles.

    Examples
    --------
    >>> rendering = render_html("<h2>Dam opens</h2><p>Water flows again.</p>")
    >>> rendering.text
    'Dam opens\\n\\nWater flows again.'
    >>> rendering.roles
    ('title', None, None)
    """
    return parse_markup(_Renderer, markup).rendering()


def parse_markup(make_parser: Callable[[], AnyParser], markup: str) -> AnyParser:
    """Feed ``markup`` to a new parser from ``make_parser``, whatever the markup, and return the parser."""
    markup = _BAD_MARKED_SECTION.sub("&lt;![", markup)
    # No tag can start after the last '>', so the rest is text. Feeding it as
    # escaped text keeps the parser linear: on such unterminated tails, Python's
    # HTMLParser (before 3.11.13/3.12.11/3.13.5) rescans the rest of the page
    # at every '<', which takes minutes on a few hundred kilobytes.
    last_close = markup.rfind(">") + 1
    parser = make_parser()
    try:
        parser.feed(markup[:last_close])
        parser.feed(markup[last_close:].replace("<", "&lt;"))
        parser.close()
    except AssertionError:
        # The standard library's way of giving up on malformed markup, in some
        # Python versions; the page is then read with its markup as text.
        parser = make_parser()
        parser.feed(markup.replace("<", "&lt;"))
        parser.close()
    return parser


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (tag, role it gives, role of text inside it): the last is computed on
        # opening, so text and end tags cost the same however deep the nesting.
        self._open: list[tuple[str, str | None, str | None]] = []
        self._open_counts: dict[str, int] = {}
        self._skip_depth = 0
        self._article_count = 0
        self._article_stack: list[int] = []
        self._paragraphs: list[tuple[str, str | None, int | None]] = []
        self._buffer: list[str] = []
        self._buffer_role: str | None = None

    # The parser calls these three as it reads.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth or tag in _SKIPPED:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in _VOID:
            return
        if tag == "article":
            self._article_count += 1
            self._article_stack.append(self._article_count)
        role = _role_of(tag, dict(attrs), inside_article=bool(self._article_stack))
        outer = self._open[-1][2] if self._open else None
        inner = "boilerplate" if "boilerplate" in (role, outer) else role or outer
        self._open.append((tag, role, inner))
        self._open_counts[tag] = self._open_counts.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag in _SKIPPED or tag not in _VOID:
                self._skip_depth -= 1
            return
        if tag in _BLOCKS:
            self._flush()
        if self._open_counts.get(tag):  # an end tag nothing opened is ignored without a scan
            depth = len(self._open) - 1
            while self._open[depth][0] != tag:
                depth -= 1
            for closed, _role, _inner in self._open[depth:]:
                self._open_counts[closed] -= 1
            del self._open[depth:]
        if tag == "article" and self._article_stack:
            self._article_stack.pop()

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        role = self._current_role()
        if self._buffer and role != self._buffer_role and data.strip():
            # A credit span inside a caption becomes a line of its own.
            self._flush()
        if data.strip() or self._buffer:
            self._buffer_role = role
            self._buffer.append(data)

    def _current_role(self) -> str | None:
        return self._open[-1][2] if self._open else None

    def _flush(self) -> None:
        text = _WHITESPACE.sub(" ", "".join(self._buffer)).strip()
        if text:
            article = self._article_stack[-1] if self._article_stack else None
            self._paragraphs.append((text, self._buffer_role, article))
        self._buffer = []
        self._buffer_role = None

    def rendering(self) -> HtmlRendering:
        self._flush()
        lines: list[str] = []
        roles: list[str | None] = []
        articles: list[int | None] = []
        for text, role, article in self._paragraphs:
            if lines:
                lines.append("")
                roles.append(None)
                articles.append(article)
            lines.append(text)
            roles.append(role)
            articles.append(article)
        return HtmlRendering("\n".join(lines), tuple(roles), tuple(articles))


def _role_of(tag: str, attributes: dict[str, str | None], *, inside_article: bool) -> str | None:
    classes = " ".join(filter(None, (attributes.get("class"), attributes.get("id"))))
    # An article's own <header> holds its headline; the page's <header> is the masthead.
    if tag in _BOILERPLATE_TAGS and not (tag == "header" and inside_article):
        return "boilerplate"
    if classes and _BOILERPLATE_CLASS.search(classes):
        return "boilerplate"
    if classes and _CREDIT_CLASS.search(classes):
        return "credit"
    if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return "title"
    if tag == "figcaption":
        return "caption"
    if tag == "time" or (classes and _META_CLASS.search(classes)):
        return "meta"
    return None
