"""Rendering a news feed (RSS 2.0, RSS 1.0/RDF, Atom, or a JSON dump of entries) as text lines.

A feed says outright where each story starts and what its title, text, caption
and credit are, so nothing here is guessed: every ``<item>`` or ``<entry>`` (or
JSON object) becomes one run of lines with the roles its elements give, and
what stands outside the entries (the channel's title, link, build date) is
boilerplate. The rendering has the same shape as an HTML page's
(:class:`~newsclass._html.HtmlRendering`), so offsets and line numbers refer to
its text in the same way.

The XML is read with the standard library's HTML parser, not ``xml.etree`` or
``xml.sax``: that parser never reads a DTD, so it cannot expand entities
recursively ("billion laughs") or fetch external entities, and it reads
truncated or malformed feeds (a stray ``&``, an unclosed tag) as far as they go
instead of stopping at the first error.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from . import _lines as features
from ._errors import InputValueError
from ._html import parse_markup, render_html

__all__ = ["FeedRendering", "looks_like_feed", "render_feed"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

# The first element of the document, after an XML declaration, comments,
# processing instructions and a doctype (with its internal subset), is the feed's root.
_FEED_ROOT = re.compile(
    r"""\A\ufeff?\s*
    (?:<\?[^>]*>\s* | <!--.*?-->\s* | <!doctype[^>\[]*(?:\[.*?\])?\s*>\s*)*
    <(?:rss|rdf:rdf|feed\b[^>]*\bhttps?://www\.w3\.org/2005/atom)\b""",
    re.I | re.S | re.X,
)
# Only the start of a page is read to detect its format.
_PROLOG_CHARS = 65_536
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.S)
_ENTRY_TAGS = {"item", "entry"}
# Where a field's text comes from, per element (lower-cased, as the parser gives them).
_TITLE_TAGS = {"title"}
# The fuller text first: a feed that has both gives the whole story in content and a teaser in the summary.
_BODY_TAGS = ("content:encoded", "content", "description", "summary")
_META_TAGS = {"pubdate", "published", "updated", "dc:date", "author", "dc:creator"}
_CAPTION_TAGS = {"media:description"}
_CREDIT_TAGS = {"media:credit"}
_FIELD_TAGS = _TITLE_TAGS | set(_BODY_TAGS) | _META_TAGS | _CAPTION_TAGS | _CREDIT_TAGS
# Channel-level elements whose text is shown (as boilerplate); the rest (language, ttl, ids) is dropped.
_CHANNEL_TAGS = {"title", "subtitle", "description", "link", "lastbuilddate", "pubdate", "updated"}
# The fields of a JSON entry, fullest first for the body (JSON Feed's names among them).
_JSON_TITLE = ("title", "headline")
_JSON_BODY = ("content_html", "content_text", "content", "body", "text", "description", "summary")
_JSON_CAPTION = ("caption",)
_JSON_CREDIT = ("credit",)
_KEPT_BODY_ROLES = {"caption", "credit", "meta"}
_MARKUP = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*[\s/>]", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FeedRendering:
    """The text rendering of a feed, the role of each line and the entry it belongs to.

    ``roles[n]`` is the role of line ``n + 1``: ``"title"``, ``"meta"``, ``"body"``,
    ``"caption"``, ``"credit"``, ``"boilerplate"``, or ``None`` for a blank line.
    ``entries[n]`` is the 0-based entry of line ``n + 1``, None outside the entries.
    """

    text: str
    roles: tuple[str | None, ...]
    entries: tuple[int | None, ...]


@dataclass
class _Entry:
    """One entry's fields as read from the feed, before rendering."""

    line: int
    title: str = ""
    meta: list[str] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)
    caption: str = ""
    credit: str = ""


def looks_like_feed(text: str) -> bool:
    """Return True when ``text`` is an RSS, RDF or Atom document, or a JSON dump of entries.

    Examples
    --------
    >>> looks_like_feed('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    True
    >>> looks_like_feed("Prices {as listed} rose on Monday.")
    False
    """
    return bool(_FEED_ROOT.match(text[:_PROLOG_CHARS])) or _json_entries(text) is not None


def render_feed(text: str) -> FeedRendering:
    """Render a feed to text lines, one run of lines per entry.

    Raises
    ------
    InputValueError
        ``text`` is neither a feed document nor a JSON dump of entries.

    Examples
    --------
    >>> feed = ("<rss><channel><title>Vale Courier</title>"
    ...         "<item><title>Ferry returns</title>"
    ...         "<description>&lt;p&gt;The ferry to Orrin Isle sails again.&lt;/p&gt;</description>"
    ...         "</item></channel></rss>")
    >>> rendering = render_feed(feed)
    >>> rendering.text
    'Vale Courier\\n\\nFerry returns\\n\\nThe ferry to Orrin Isle sails again.'
    >>> rendering.roles
    ('boilerplate', None, 'title', None, 'body')
    """
    entries = _json_entries(text)
    if entries is not None:
        return _render([], entries)
    # CDATA sections become escaped text, which every Python version's parser reads
    # the same way (their handling of "<![CDATA[" differs between versions).
    reader = parse_markup(_FeedReader, _CDATA.sub(lambda match: escape(match.group(1), quote=False), text))
    reader.finish()
    if not reader.entries and not _FEED_ROOT.match(text[:_PROLOG_CHARS]):
        start = _WHITESPACE.sub(" ", text[:40]).strip()
        raise InputValueError(
            f"format='feed' expects an RSS or Atom document (a root <rss>, <rdf:RDF> or <feed>, "
            f"or <item>/<entry> elements) or a JSON dump of entries, but the page starts with {start!r} "
            "and has none; pass format='auto' to have the format detected"
        )
    return _render(reader.channel, reader.entries)


class _FeedReader(HTMLParser):
    """Collects the channel's lines and each entry's fields from feed markup."""

    # A title or script element must not swallow the rest of a malformed feed as raw text
    # (newer Pythons read <title> that way, as HTML does).
    CDATA_CONTENT_ELEMENTS: tuple[str, ...] = ()
    RCDATA_CONTENT_ELEMENTS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.channel: list[str] = []
        self.entries: list[_Entry] = []
        self._entry: _Entry | None = None
        self._open: list[str] = []  # elements open inside the current entry, or in the channel
        self._buffer: list[str] = []

    def finish(self) -> None:
        """Keep the entry a truncated feed ends in, as far as it goes."""
        if self._entry is not None:
            logger.warning(
                "the feed ends inside the entry that starts on line %d (a truncated file?): "
                "it was read as far as it goes",
                self._entry.line,
            )
            self._finish_entry()

    # The parser calls these as it reads.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ENTRY_TAGS:
            self._finish_entry()
            self._entry = _Entry(line=self.getpos()[0])
        elif self._in_field() and tag not in _FIELD_TAGS:
            # Inline XHTML (Atom's type="xhtml"): kept as markup, rendered with the field.
            self._buffer.append(self.get_starttag_text() or "")
        else:
            self._store_text()
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _ENTRY_TAGS:
            self._finish_entry()
        elif self._in_field() and tag not in _FIELD_TAGS:
            self._buffer.append(f"</{tag}>")
        elif tag in self._open:  # an end tag nothing opened is ignored
            self._store_text()
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)

    def _in_field(self) -> bool:
        return self._entry is not None and self._field() is not None

    def _field(self) -> str | None:
        """The innermost open element of the entry that gives one of its fields."""
        return next((tag for tag in reversed(self._open) if tag in _FIELD_TAGS), None)

    def _store_text(self) -> None:
        text, self._buffer = "".join(self._buffer).strip(), []
        if not text or not self._open:
            return
        if self._entry is None:
            if self._open[-1] in _CHANNEL_TAGS:
                self.channel.append(text)
            return
        tag = self._field()
        if tag in _TITLE_TAGS and len(self._open) == 1:  # the entry's own title, not a nested source's
            self._entry.title = text
        elif tag in _BODY_TAGS:
            self._entry.bodies[tag] = text
        elif tag in _META_TAGS:
            self._entry.meta.append(text)
        elif tag in _CAPTION_TAGS:
            self._entry.caption = text
        elif tag in _CREDIT_TAGS:
            self._entry.credit = text

    def _finish_entry(self) -> None:
        self._store_text()
        if self._entry is not None:
            self.entries.append(self._entry)
        self._entry = None
        self._open = []


def _json_entries(text: str) -> list[_Entry] | None:
    """The entries of a JSON array, JSON Lines or JSON Feed dump, or None when ``text`` is not one.

    Every object must have a text field, so that a JSON document of something
    else (or a text page that opens with a brace) is left to the other readers.
    """
    stripped = text.strip()
    if not stripped.startswith(("[", "{")):
        return None
    try:
        document = json.loads(stripped)
    except ValueError:
        try:
            document = [json.loads(line) for line in stripped.splitlines() if line.strip()]
        except ValueError:
            return None
    if isinstance(document, dict):
        document = document.get("items", [document])
    if not isinstance(document, list) or not document:
        return None
    entries = [_json_entry(line, record) for line, record in enumerate(document, 1)]
    return None if None in entries else entries  # type: ignore[return-value]


def _json_entry(line: int, record: object) -> _Entry | None:
    if not isinstance(record, dict):
        return None
    title = _first_string(record, _JSON_TITLE)
    body = _first_string(record, _JSON_BODY)
    if not title and not body:
        return None
    return _Entry(
        line=line,
        title=title,
        bodies={"content": body} if body else {},
        caption=_first_string(record, _JSON_CAPTION),
        credit=_first_string(record, _JSON_CREDIT),
    )


def _first_string(record: dict[str, object], names: tuple[str, ...]) -> str:
    return next((value.strip() for name in names if isinstance(value := record.get(name), str) and value.strip()), "")


def _render(channel: list[str], entries: list[_Entry]) -> FeedRendering:
    paragraphs: list[tuple[str, str, int | None]] = [(text, "boilerplate", None) for text in channel]
    for number, entry in enumerate(entries):
        paragraphs.extend((text, role, number) for text, role in _entry_paragraphs(entry))
    lines: list[str] = []
    roles: list[str | None] = []
    owners: list[int | None] = []
    for text, role, owner in paragraphs:
        if lines:
            lines.append("")
            roles.append(None)
            owners.append(owner if owners[-1] == owner else None)
        lines.append(text)
        roles.append(role)
        owners.append(owner)
    if not lines:  # an empty text is still one (blank) line
        return FeedRendering("", (None,), (None,))
    return FeedRendering("\n".join(lines), tuple(roles), tuple(owners))


def _entry_paragraphs(entry: _Entry) -> list[tuple[str, str]]:
    """The entry's lines with their roles: title, metadata, body paragraphs, caption, credit.

    Boilerplate in the text comes last, so that no item's span holds any.
    """
    paragraphs: list[tuple[str, str]] = []
    furniture: list[tuple[str, str]] = []
    if entry.title:
        paragraphs.append((_as_one_line(entry.title), "title"))
    paragraphs.extend((_as_one_line(text), "meta") for text in entry.meta)
    body = next((entry.bodies[tag] for tag in _BODY_TAGS if entry.bodies.get(tag)), "")
    for text, role in _paragraphs_of(body):
        words = features.count_words(text)
        # Share prompts and "Read more" links that feeds append to an entry's text.
        if role == "boilerplate" or features.is_boilerplate(text, words):
            furniture.append((text, "boilerplate"))
        else:
            # A <figcaption> or photo credit inside the text keeps its role; a subheading is text.
            paragraphs.append((text, role if role in _KEPT_BODY_ROLES else "body"))
    if entry.caption:
        paragraphs.append((_as_one_line(entry.caption), "caption"))
    if entry.credit:
        paragraphs.append((_as_one_line(entry.credit), "credit"))
    return paragraphs + furniture


def _paragraphs_of(text: str) -> list[tuple[str, str | None]]:
    """Paragraphs of a field's text and what its markup says of each: HTML is rendered, plain text split at blank lines."""
    if _MARKUP.search(text):
        rendering = render_html(text)
        return [(line, role) for line, role in zip(rendering.text.split("\n"), rendering.roles) if line]
    return [(_one_line(paragraph), None) for paragraph in _PARAGRAPH_BREAK.split(text) if paragraph.strip()]


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _as_one_line(text: str) -> str:
    """A title, date, author, caption or credit as one line of text, without its markup."""
    return " ".join(paragraph for paragraph, _role in _paragraphs_of(text))
