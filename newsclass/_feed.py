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
from html import escape, unescape
from html.parser import HTMLParser

from . import _lines as features
from ._errors import InputValueError
from ._html import parse_markup, render_html

__all__ = ["FeedRendering", "json_type", "read_feed"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

# The first element of the document, after an XML declaration, comments,
# processing instructions and a doctype (with its internal subset), is the feed's root.
_FEED_ROOT = re.compile(
    r"""\A\ufeff?\s*
    (?:<\?[^>]*>\s* | <!--.*?-->\s* | <!doctype[^>\[]*(?:\[.*?\])?\s*>\s*)*
    <(?:[\w.-]+:)?(?:rss|rdf|feed\b[^>]*\bhttps?://www\.w3\.org/2005/atom)\b""",
    re.I | re.S | re.X,
)
# Only the start of a page is read to detect its format.
_PROLOG_CHARS = 65_536
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.S)
# The namespaces whose elements the reader knows, by URI, and the prefix it knows them by ("" for
# none): a feed may bind any prefix to them (<atom:entry>, <rss:item>), so elements are matched by
# their local name in the namespace, not by the prefix a feed happens to write.
_KNOWN_NAMESPACES = {
    "http://www.w3.org/2005/atom": "",
    "http://purl.org/rss/1.0": "",
    "http://purl.org/rss/1.0/modules/content": "content",
    "http://search.yahoo.com/mrss": "media",
    "http://purl.org/dc/elements/1.1": "dc",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns": "rdf",
}
_ENTRY_TAGS = {"item", "entry"}
# Where a field's text comes from, per element (lower-cased, as the parser gives them).
_TITLE_TAGS = {"title"}
# The fuller text first: a feed that has both gives the whole story in content and a teaser in the
# summary; a podcast episode's iTunes summary or subtitle only when it has no other text.
_BODY_TAGS = ("content:encoded", "content", "description", "summary", "itunes:summary", "itunes:subtitle")
_META_TAGS = {"pubdate", "published", "updated", "dc:date", "author", "dc:creator"}
_CAPTION_TAGS = {"media:description"}
_CREDIT_TAGS = {"media:credit"}
_FIELD_TAGS = _TITLE_TAGS | set(_BODY_TAGS) | _META_TAGS | _CAPTION_TAGS | _CREDIT_TAGS
# An Atom author's e-mail address and web address: contact details, not a byline.
_UNSHOWN_TAGS = {"email", "uri"}
# Channel-level elements whose text is shown (as boilerplate); the rest (language, ttl, ids) is dropped.
_CHANNEL_TAGS = {"title", "subtitle", "description", "link", "lastbuilddate", "pubdate", "updated"}
# The fields of a JSON entry, fullest first for the body (JSON Feed's names among them).
_JSON_TITLE = ("title", "headline")
_JSON_BODY = ("content_html", "content_text", "content", "body", "text", "description", "summary")
_JSON_CAPTION = ("caption",)
_JSON_CREDIT = ("credit",)
_JSON_PICTURE = ("image", "media", "photo")
_JSON_DATE = ("date_published", "published", "pubDate", "date", "updated", "date_modified")
_JSON_AUTHOR = ("authors", "author", "byline", "creator")
# Where nested JSON keeps its text: {"paragraphs": [...]}, {"type": "paragraph", "text": ...},
# WordPress's {"rendered": "<p>...</p>"}, a person's {"name": ...}.
_JSON_TEXT_KEYS = ("text", "paragraphs", "content", "body", "html", "rendered", "value", "name")
_JSON_NESTING = 4  # levels of nested objects and lists searched for text
_JSON_TYPES = {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "an array", dict: "an object"}
_KEPT_BODY_ROLES = {"caption", "credit", "meta"}
_MARKUP = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*[\s/>]", re.I)
# A character reference left in text after parsing: the field was escaped twice ("&amp;#8217;").
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
# The links WordPress and other blog feeds put at the end of every entry's text.
_TRAILING_READ_MORE = re.compile(r"(?<=[.!?…”\"'])\s+((?:continue\ reading|read\ more)\b[^.!?]{0,80}?)$", re.I | re.X)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
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


def read_feed(text: str, *, forced: bool = False) -> FeedRendering | None:
    """Render a feed to text lines, one run of lines per entry; None when ``text`` is not one.

    A feed is an RSS, RDF or Atom document, or a JSON dump of entries. ``forced``
    (``format="feed"``) reads any page as one, and raises when it has no entry.
    The page is read once: detecting a JSON dump is reading it.

    Raises
    ------
    InputValueError
        ``forced`` and ``text`` is neither a feed document nor a JSON dump of entries.

    Examples
    --------
    >>> feed = ("<rss><channel><title>Vale Courier</title>"
    ...         "<item><title>Ferry returns</title>"
    ...         "<description>&lt;p&gt;The ferry to Orrin Isle sails again.&lt;/p&gt;</description>"
    ...         "</item></channel></rss>")
    >>> rendering = read_feed(feed)
    >>> rendering.text
    'Vale Courier\\n\\nFerry returns\\n\\nThe ferry to Orrin Isle sails again.'
    >>> rendering.roles
    ('boilerplate', None, 'title', None, 'body')
    >>> read_feed("Prices {as listed} rose on Monday.") is None
    True
    """
    reading = _read_json(text)
    if reading is not None and (reading.is_dump or forced):
        if not reading.entries:
            raise InputValueError(
                f"format='feed' expects a JSON dump of entries (objects with a title or text field such as "
                f"'title', 'headline', 'body' or 'content'), but {reading.problems[0]}; pass format='auto' "
                "to read the page as text"
            )
        for problem in reading.problems:
            logger.warning("%s", problem)
        return _render([], reading.entries)
    has_feed_root = bool(_FEED_ROOT.match(text[:_PROLOG_CHARS]))
    if not (forced or has_feed_root):
        return None
    # CDATA sections become escaped text, which every Python version's parser reads
    # the same way (their handling of "<![CDATA[" differs between versions).
    reader = parse_markup(_FeedReader, _CDATA.sub(lambda match: escape(match.group(1), quote=False), text))
    reader.finish()
    if not reader.entries and not has_feed_root:
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
        self._prefixes: dict[str, str] = {}  # a prefix the feed binds to a known namespace -> the reader's prefix
        self._names: dict[str, str] = {}  # a tag as written -> the name the reader knows it by

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
        self._bind_prefixes(attrs)
        tag = self._name_of(tag)
        if tag in _ENTRY_TAGS:
            self._finish_entry()
            self._entry = _Entry(line=self.getpos()[0])
        elif self._in_field() and tag not in _FIELD_TAGS and not self._is_unshown(tag):
            # Inline XHTML (Atom's type="xhtml"): kept as markup, rendered with the field. In a date
            # or author, a space keeps the texts of child elements apart (<name>, <title>).
            separator = " " if self._field() in _META_TAGS else ""
            self._buffer.append(separator + (self.get_starttag_text() or ""))
        else:
            self._store_text()
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = self._name_of(tag)
        if tag in _ENTRY_TAGS:
            self._finish_entry()
        elif self._in_field() and tag not in _FIELD_TAGS and not (tag in _UNSHOWN_TAGS and tag in self._open):
            self._buffer.append(f"</{tag}>")
        elif tag in self._open:  # an end tag nothing opened is ignored
            self._store_text()
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)

    def _bind_prefixes(self, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("xmlns:") and value is not None:
                known = _KNOWN_NAMESPACES.get(value.strip().lower().rstrip("/#"))
                if known is not None:
                    self._prefixes[name[len("xmlns:") :]] = known
                    self._names.clear()

    def _name_of(self, tag: str) -> str:
        """``tag`` as the reader knows it: a known namespace's element by its usual prefix, or none."""
        name = self._names.get(tag)
        if name is None:
            prefix, colon, local = tag.partition(":")
            known = self._prefixes.get(prefix) if colon else None
            name = tag if known is None else f"{known}:{local}" if known else local
            self._names[tag] = name
        return name

    def _is_unshown(self, tag: str) -> bool:
        return tag in _UNSHOWN_TAGS and self._field() in _META_TAGS

    def _in_field(self) -> bool:
        return self._entry is not None and self._field() is not None

    def _field(self) -> str | None:
        """The innermost open element of the entry that gives one of its fields."""
        return next((tag for tag in reversed(self._open) if tag in _FIELD_TAGS), None)

    def _store_text(self) -> None:
        text, self._buffer = "".join(self._buffer).strip(), []
        if not text or not self._open or self._open[-1] in _UNSHOWN_TAGS:
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
        # A <media:group> holds one <media:content> per picture: the first picture's caption and
        # credit are the entry's (an item has one caption), not the last one read.
        elif tag in _CAPTION_TAGS and not self._entry.caption:
            self._entry.caption = text
        elif tag in _CREDIT_TAGS and not self._entry.credit:
            self._entry.credit = text

    def _finish_entry(self) -> None:
        self._store_text()
        if self._entry is not None:
            self.entries.append(self._entry)
        self._entry = None
        self._open = []


@dataclass
class _JsonReading:
    """The entries read from a JSON dump, and what was skipped or read only in part, to warn of."""

    entries: list[_Entry]
    problems: list[str]
    # Whether the page is clearly a dump of entries (not a text page that happens to hold some JSON).
    is_dump: bool


def _read_json(text: str) -> _JsonReading | None:
    """The entries of a JSON array, JSON Lines or JSON Feed dump, or None when ``text`` is not JSON-shaped."""
    stripped = text.strip()
    if not stripped.startswith(("[", "{")):
        return None
    try:
        document = _loads(stripped)
    except ValueError:
        first_line = text[: len(text) - len(text.lstrip())].count("\n") + 1
        return _read_json_lines(stripped, first_line)
    return _read_json_document(document)


def _loads(text: str) -> object:
    """``json.loads``, with JSON nested deeper than Python's recursion limit refused as invalid."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _read_json_lines(text: str, first_line: int) -> _JsonReading:
    """JSON Lines: one entry per line; a cut-off or malformed line costs only itself.

    It is a dump only when most of its lines are entries, so that a text page whose first line
    holds some JSON is still read as text.
    """
    entries: list[_Entry] = []
    problems: list[str] = []
    lines = 0
    for number, line in enumerate(text.splitlines(), first_line):
        if not line.strip():
            continue
        lines += 1
        try:
            record = _loads(line)
        except ValueError as error:
            reason = f"{error.msg}: column {error.colno}" if isinstance(error, json.JSONDecodeError) else str(error)
            problems.append(f"line {number} of the JSON Lines dump is not valid JSON ({reason}): it was skipped")
            continue
        entry = _json_entry(number, record, problems, f"line {number}")
        if entry is not None:
            entries.append(entry)
    return _JsonReading(entries, problems, is_dump=len(entries) * 2 > lines)


def _read_json_document(document: object) -> _JsonReading:
    records, where = _entry_records(document)
    problems: list[str] = []
    if records is None:
        return _JsonReading([], [where], is_dump=False)
    entries = []
    for number, record in enumerate(records, 1):
        entry = _json_entry(number, record, problems, f"element {number} of {where}")
        if entry is not None:
            entries.append(entry)
    if not entries:
        problems.insert(0, f"none of the {len(records)} elements of {where} is an entry")
    return _JsonReading(entries, problems, is_dump=bool(entries))


def _entry_records(document: object) -> tuple[list[object] | None, str]:
    """The list of entries in a JSON document and where it is, or None and why there is none.

    A JSON Feed keeps them under "items"; an API response wraps them a level or two down
    ({"data": {"articles": [...]}}); a single object with a text field is one entry.
    """
    if isinstance(document, list):
        return document, "the JSON array"
    if not isinstance(document, dict):
        return None, f"the JSON document is {json_type(document)}"
    if isinstance(document.get("items"), list):
        return document["items"], "the JSON Feed's \"items\""
    for path, value in _nested_values(document):
        if isinstance(value, list) and any(_is_entry(record) for record in value):
            return value, f"the JSON list at {path}"
    if _is_entry(document):
        return [document], "the JSON object"
    return None, (
        f"the JSON object (keys {sorted(document)[:8]}) has no title or text field and no list of "
        "such objects at its top level or one or two levels down"
    )


def _nested_values(document: dict[str, object]) -> list[tuple[str, object]]:
    """The values of ``document`` and of the objects it holds, one level down, with their paths."""
    values: list[tuple[str, object]] = [(f'"{key}"', value) for key, value in document.items()]
    for key, value in document.items():
        if isinstance(value, dict):
            values.extend((f'"{key}"."{inner}"', inner_value) for inner, inner_value in value.items())
    return values


def _is_entry(record: object) -> bool:
    return isinstance(record, dict) and any(record.get(name) for name in _JSON_TITLE + _JSON_BODY)


def json_type(value: object) -> str:
    """How JSON names the type of a decoded value: "a number", "null", "an object"."""
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def _json_entry(number: int, record: object, problems: list[str], where: str) -> _Entry | None:
    """One entry from a JSON object; what cannot be read is added to ``problems`` (to warn of), never dropped silently."""
    if not _is_entry(record):
        what = "an object with no title or text field" if isinstance(record, dict) else json_type(record)
        problems.append(f"{where} is {what}, not an entry: it was skipped")
        return None
    assert isinstance(record, dict)
    title = _first_text(record, _JSON_TITLE)
    body = ""
    for name in _JSON_BODY:
        value = record.get(name)
        body = _json_text(value)
        if body:
            break
        if value and not isinstance(value, str):
            problems.append(
                f"{where}: its {name!r} field is {json_type(value)} with no text in a form newsclass reads "
                "(a string, a list of strings, or objects with a 'text' or 'paragraphs' field): it was left out"
            )
    picture = next((value for name in _JSON_PICTURE if isinstance(value := _first_object(record.get(name)), dict)), {})
    meta = [text for text in (_first_text(record, _JSON_DATE), _json_names(record)) if text]
    return _Entry(
        line=number,
        title=title,
        meta=meta,
        bodies={"content": body} if body else {},
        caption=_first_text(record, _JSON_CAPTION) or _first_text(picture, _JSON_CAPTION),
        credit=_first_text(record, _JSON_CREDIT) or _first_text(picture, _JSON_CREDIT),
    )


def _json_text(value: object, depth: int = 0) -> str:
    """The text of a JSON value: a string, paragraphs in a list, or the text field of an object."""
    if isinstance(value, str):
        return value.strip()
    if depth >= _JSON_NESTING:
        return ""
    if isinstance(value, dict):
        return next((text for key in _JSON_TEXT_KEYS if (text := _json_text(value.get(key), depth + 1))), "")
    if isinstance(value, list):
        parts = [text for part in value if (text := _json_text(part, depth + 1))]
        if any(_MARKUP.search(part) for part in parts):
            return "".join(f"<div>{part}</div>" for part in parts)  # each part its own block
        return "\n\n".join(parts)
    return ""


def _json_names(record: dict[str, object]) -> str:
    """The entry's authors as one line: a name, an object with a name, or a list of them."""
    value = next((record[name] for name in _JSON_AUTHOR if record.get(name)), None)
    people = value if isinstance(value, list) else [value]
    return ", ".join(text for person in people if (text := _json_text(person, _JSON_NESTING - 1)))


def _first_object(value: object) -> object:
    return next((part for part in value if isinstance(part, dict)), None) if isinstance(value, list) else value


def _first_text(record: dict[str, object], names: tuple[str, ...]) -> str:
    return next((text for name in names if (text := _json_text(record.get(name), _JSON_NESTING - 1))), "")


def _render(channel: list[str], entries: list[_Entry]) -> FeedRendering:
    paragraphs: list[tuple[str, str, int | None]] = [(_as_one_line(text), "boilerplate", None) for text in channel]
    for number, entry in enumerate(entries):
        paragraphs.extend((text, role, number) for text, role in _entry_paragraphs(entry))
    lines: list[str] = []
    roles: list[str | None] = []
    owners: list[int | None] = []
    for text, role, owner in paragraphs:
        if not text.strip():  # markup alone ("<A" as a title) renders to nothing: no line for it
            continue
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
    if entry.title:
        paragraphs.append((_as_one_line(entry.title), "title"))
    paragraphs.extend((_as_one_line(text), "meta") for text in entry.meta)
    body = next((entry.bodies[tag] for tag in _BODY_TAGS if entry.bodies.get(tag)), "")
    text_lines, furniture = _body_lines(body)
    paragraphs.extend(text_lines)
    # A picture's caption and credit often come twice, in a <figcaption> in the text and in
    # <media:description>/<media:credit>: the text's own are kept, the media ones only fill a gap.
    has_caption = any(role == "caption" for _text, role in text_lines)
    has_credit = any(
        role == "credit" or (role == "caption" and features.split_trailing_credit(text)[1] is not None)
        for text, role in text_lines
    )
    if entry.caption and not has_caption:
        paragraphs.append((_as_one_line(entry.caption), "caption"))
    if entry.credit and not has_credit:
        paragraphs.append((_as_one_line(entry.credit), "credit"))
    return paragraphs + furniture


def _body_lines(body: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The lines of an entry's text with their roles, and the boilerplate lines found in it."""
    lines: list[tuple[str, str]] = []
    furniture: list[tuple[str, str]] = []
    for text, role in _paragraphs_of(body):
        if not _LETTER_OR_DIGIT.search(text):
            continue  # a lone arrow or ornament (WordPress's "→" after "Continue reading")
        read_more = _TRAILING_READ_MORE.search(text)
        link = read_more.group(1) if read_more else ""
        if link and features.is_boilerplate(link, features.count_words(link)):
            # "... on Tuesday. Continue reading": the link is not story text (a sentence that opens so is)
            text = text[: read_more.start()]
            furniture.append((link, "boilerplate"))
        words = features.count_words(text)
        # Share prompts, "Read more" links and blog footers that feeds append to an entry's text.
        if role == "boilerplate" or features.is_boilerplate(text, words):
            furniture.append((text, "boilerplate"))
        elif role == "caption" and features.looks_like_credit(text, words):
            lines.append((text, "credit"))  # a caption's credit on a line of its own ("<br>Photo: ..."), as on HTML pages
        else:
            # A <figcaption> or photo credit inside the text keeps its role; a subheading is text.
            lines.append((text, role if role in _KEPT_BODY_ROLES else "body"))
    return lines, furniture


def _paragraphs_of(text: str) -> list[tuple[str, str | None]]:
    """Paragraphs of a field's text and what its markup says of each: HTML is rendered, plain text split at blank lines.

    Whitespace (non-breaking spaces too) becomes single spaces within each paragraph. A
    character reference still in plain text after parsing was escaped twice, and is read as
    a browser reads an HTML field's text: resolved, once.
    """
    if _MARKUP.search(text):
        rendering = render_html(text)
        return [(_one_line(line), role) for line, role in zip(rendering.text.split("\n"), rendering.roles) if line.strip()]
    if "&" in text:
        text = _ENTITY.sub(lambda match: unescape(match.group()), text)
    return [(_one_line(paragraph), None) for paragraph in _PARAGRAPH_BREAK.split(text) if paragraph.strip()]


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _as_one_line(text: str) -> str:
    """A title, date, author, caption or credit as one line of text, without its markup."""
    return " ".join(paragraph for paragraph, _role in _paragraphs_of(text))
