"""Splitting a page into story items.

This is the first segmenter: it decides a role for every line (title, caption,
credit, body, boilerplate) from features of the line and its neighbours, then
groups lines into items with a small state machine. It is built behind one seam,
:func:`segment_text`, so that a stronger segmenter can replace it whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from ._html import looks_like_html, render_html
from ._items import StoryItem
from ._text import DEFAULT_MAX_CHARS, Line, decode_page, require_choice, split_lines

__all__ = ["PageSegmentation", "Span", "segment", "segment_text"]

FORMATS = ("auto", "text", "html")
TITLE, CAPTION, CREDIT, BODY, BOILERPLATE, DUPLICATE, BLANK = (
    "title", "caption", "credit", "body", "boilerplate", "duplicate", "blank",
)

# Lines that organise a page rather than tell a story: section headers, share
# prompts, ad labels, footers. Only short lines are tested against these.
_BOILERPLATE = re.compile(
    r"""^(?:
        more\ (?:from|in|on|stories|news|headlines)\b.*
      | related(?:\ (?:stories|articles|coverage|content|reading))?
      | read\ (?:more|next|this\ next|the\ full\ story)\b.*
      | (?:top|latest|trending|popular|recommended|featured|sponsored)\ (?:stories|news|headlines|content|reads|for\ you)
      | most\ (?:read|popular|viewed|shared|emailed)\b.*
      | latest(?:\ news)? | trending(?:\ now)? | recommended(?:\ for\ you)?
      | you\ (?:may|might)\ also\ (?:like|enjoy)\b.*
      | editor'?s\ picks? | don'?t\ miss\b.* | in\ other\ news | see\ also\b.* | also\ read\b.*
      | sponsored(?:\ content)? | paid\ (?:content|post) | advertisement | advertising | ad | promoted
      | share(?:\ (?:this|on|via)\b.*)? | (?:tweet|email|print|copy\ link|comments?)
      | follow\ (?:us|our)\b.* | subscribe\b.* | sign\ (?:up|in)\b.* | unsubscribe\b.* | log\ ?in
      | (?:©|\(c\)|copyright\b).* | all\ rights\ reserved\b.* | privacy\ (?:policy|notice)\b.*
      | terms\ (?:of\ (?:use|service)|and\ conditions)\b.* | cookie\b.* | skip\ to\b.* | back\ to\ top
      | (?:home|menu|search|newsletters?)
    )[\s.:!|>»›→-]*$""",
    re.I | re.X,
)
_AGENCY = re.compile(
    r"\b(?:reuters|afp|ap|getty(?:\ images)?|epa(?:-efe)?|anadolu|xinhua|shutterstock|alamy|bloomberg|"
    r"dpa|tass|efe|ansa|pa\ (?:media|images|wire)|associated\ press|pool|handout|file\ photo|courtesy|via)\b",
    re.I | re.X,
)
_CREDIT_LEAD = re.compile(r"^\(?\s*(?:photos?|photograph|image|picture|illustration|graphic|credit)s?\s*(?:by\b|:|/|©)", re.I)
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'’-]+){1,2}$")
# Words of photo captions: who stands where and does what in the picture, and
# the date or picture reference captions end with.
_CAPTION_CUE = re.compile(
    r"\((?:l|r|c|left|right|centre|center|front|back|top|bottom)\)|\b(?:pictured|poses?|posing|speaks|"
    r"looks\ on|gestures|waves|walks|arrives|attends|talk\ at|shakes\ hands|stands|sits)\b"
    r"|\bin\ (?:this|an|a)\ (?:file\ )?(?:picture|photo|photograph|image|handout|illustration)\b"
    r"|,\ (?:on\ )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\ \d{1,2})"
    r"(?:,\ \d{4})?\.?$",
    re.I | re.X,
)
# A slash between capitalised names is how agencies write credits: "AGENCY/Name Surname".
_SLASH_CREDIT = re.compile(r"^[(]?[A-Z][\w.'’&-]*(?:\ [\w.'’&-]+)*\ ?/\ ?[A-Z][\w.'’&-]*(?:[ /][\w.'’&-]+)*[)]?$", re.X)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]?\s+[A-Z“\"]")
_SENTENCE_END = re.compile(r"[.!?…:;,\"'”’)]\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the page that belongs to no item, and why."""

    start: int
    end: int
    start_line: int
    end_line: int
    kind: str  # "boilerplate" (headers, ads, footers) or "duplicate" (a repeated line)
    text: str

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class PageSegmentation(Sequence[StoryItem]):
    """The result of :func:`segment`: a sequence of story items, plus what is not in them.

    It behaves as a tuple of :class:`StoryItem` (``len``, indexing, iteration).

    Attributes
    ----------
    items : tuple of StoryItem
        The story items, in page order.
    boilerplate : tuple of Span
        Lines that belong to no item (section headers, ads, share prompts, footers).
    text : str
        The text that offsets and line numbers refer to: the page itself for
        plain text, its text rendering for HTML.
    format : str
        ``"text"`` or ``"html"``: how the page was read.
    """

    items: tuple[StoryItem, ...]
    boilerplate: tuple[Span, ...] = ()
    text: str = ""
    format: str = "text"
    line_roles: tuple[str, ...] = field(default=(), repr=False)

    @overload
    def __getitem__(self, index: int) -> StoryItem: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[StoryItem, ...]: ...
    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[StoryItem]:
        return iter(self.items)

    def to_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "items": [item.to_dict() for item in self.items],
            "boilerplate": [span.to_dict() for span in self.boilerplate],
        }


def segment(
    page: str | bytes,
    *,
    format: str = "auto",
    encoding: str | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
) -> PageSegmentation:
    """Split a news page into its story items.

    Parameters
    ----------
    page : str or bytes
        The page: plain text or HTML. Bytes are decoded (see ``encoding``).
    format : {"auto", "text", "html"}
        How to read the page; ``"auto"`` looks for HTML markup.
    encoding : str, optional
        Codec of ``page`` when it is bytes; by default it is detected from a
        byte-order mark or ``<meta charset>``, else UTF-8, else Windows-1252.
    max_chars : int or None
        Refuse pages longer than this many characters (None: no limit).

    Returns
    -------
    PageSegmentation
        A sequence of :class:`StoryItem` in page order, which also lists the
        boilerplate lines and the text that offsets refer to.

    Raises
    ------
    InputTypeError
        ``page`` is not ``str`` or bytes.
    PageDecodeError
        ``page`` is bytes that cannot be decoded.
    InputValueError
        ``format`` is not one of the valid values.

    Examples
    --------
    >>> page = "Storm closes port\\n\\nA storm closed the port on Monday.\\n\\nMore from us\\n"
    >>> items = segment(page)
    >>> [(item.title, item.body) for item in items]
    [('Storm closes port', 'A storm closed the port on Monday.')]
    >>> items.boilerplate[0].text
    'More from us'
    """
    require_choice(format, name="format", choices=FORMATS)
    text = decode_page(page, encoding=encoding, max_chars=max_chars)
    if format == "html" or (format == "auto" and looks_like_html(text)):
        rendering = render_html(text)
        return segment_text(rendering.text, markup_roles=rendering.roles, format="html")
    return segment_text(text)


def segment_text(
    text: str, *, markup_roles: Sequence[str | None] = (), format: str = "text"
) -> PageSegmentation:
    """Segment plain ``text``; ``markup_roles`` are per-line hints from HTML markup."""
    lines = list(split_lines(text))
    roles = _line_roles(lines, markup_roles)
    items, leftovers = _group_items(lines, roles)
    return PageSegmentation(
        items=tuple(items),
        boilerplate=tuple(leftovers),
        text=text,
        format=format,
        line_roles=tuple(roles),
    )


# --- Line roles -------------------------------------------------------------


def _line_roles(lines: list[Line], markup_roles: Sequence[str | None]) -> list[str]:
    roles = [BLANK if line.is_blank else "" for line in lines]
    for number, role in enumerate(markup_roles[: len(lines)]):
        if role and roles[number] != BLANK:
            roles[number] = role
    previous_text = None
    for number, line in enumerate(lines):
        if roles[number] == BLANK:
            continue
        text = line.stripped
        if text == previous_text:
            roles[number] = DUPLICATE
        elif not roles[number]:
            roles[number] = _role_from_text(text)
        previous_text = text
    for number, line in enumerate(lines):
        if roles[number] == BODY and not markup_roles:
            roles[number] = _role_from_context(lines, roles, number)
    return roles


def _role_from_text(text: str) -> str:
    words = text.split()
    if len(words) <= 8 and _BOILERPLATE.match(text):
        return BOILERPLATE
    if _looks_like_credit(text, words):
        return CREDIT
    return BODY


def _looks_like_credit(text: str, words: list[str]) -> bool:
    if len(words) > 12 or len(text) > 120:
        return False
    if _CREDIT_LEAD.match(text):
        return True
    ends_sentence = text.endswith(".") and not text.endswith("Photo.")
    if ends_sentence:
        return False
    if _AGENCY.search(text) and ("/" in text or len(words) <= 4 or text.isupper()):
        return True
    if len(words) <= 8 and _SLASH_CREDIT.match(text):
        return True
    letters = [character for character in text if character.isalpha()]
    return bool(letters) and len(words) <= 3 and text.isupper()


def _role_from_context(lines: list[Line], roles: list[str], number: int) -> str:
    """Refine a body line by its neighbours: titles, captions and name-only credits."""
    text = lines[number].stripped
    next_role, next_number = _next_content(roles, number)
    previous_role, _ = _previous_content(roles, number)
    alone = _blank_or_edge(roles, number - 1) and _blank_or_edge(roles, number + 1)
    if next_role in {CREDIT, DUPLICATE} and len(text.split()) >= 5:
        return CAPTION
    if alone and _PERSON_NAME.match(text) and next_role == BODY:
        return CREDIT
    if alone and _looks_like_title(text) and next_role in {BODY, CAPTION, CREDIT, DUPLICATE}:
        return TITLE
    if (
        alone
        and not _SENTENCE_BREAK.search(text)
        and _CAPTION_CUE.search(text)
        and next_role == BODY
        and next_number is not None
        and not _CAPTION_CUE.search(lines[next_number].stripped)
    ):
        return CAPTION
    return BODY


def _looks_like_title(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 16 and len(text) <= 120 and not _SENTENCE_END.search(text)


def _next_content(roles: list[str], number: int) -> tuple[str | None, int | None]:
    for following in range(number + 1, len(roles)):
        if roles[following] != BLANK:
            return roles[following], following
    return None, None


def _previous_content(roles: list[str], number: int) -> tuple[str | None, int | None]:
    for preceding in range(number - 1, -1, -1):
        if roles[preceding] != BLANK:
            return roles[preceding], preceding
    return None, None


def _blank_or_edge(roles: list[str], number: int) -> bool:
    return number < 0 or number >= len(roles) or roles[number] == BLANK


# --- Grouping lines into items ---------------------------------------------


@dataclass
class _Draft:
    """An item being built."""

    lines: list[Line] = field(default_factory=list)
    title: str | None = None
    caption: str | None = None
    credit: str | None = None
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return bool(self.paragraphs)

    def finish(self, index: int) -> StoryItem:
        first, last = self.lines[0], self.lines[-1]
        return StoryItem(
            index=index,
            body="\n\n".join("\n".join(paragraph) for paragraph in self.paragraphs),
            title=self.title,
            caption=self.caption,
            credit=self.credit,
            start=first.start,
            end=last.end,
            start_line=first.number,
            end_line=last.number,
        )


def _group_items(lines: list[Line], roles: list[str]) -> tuple[list[StoryItem], list[Span]]:
    items: list[StoryItem] = []
    leftovers: list[Span] = []
    draft: _Draft | None = None
    previous_role = BLANK

    def close() -> None:
        nonlocal draft
        if draft is not None and draft.has_body:
            items.append(draft.finish(len(items)))
        elif draft is not None:
            # Photo material or a headline with no story under it is not an item.
            leftovers.extend(_span(line, "boilerplate") for line in draft.lines)
        draft = None

    for line, role in zip(lines, roles):
        if role == BLANK:
            previous_role = BLANK
            continue
        if role == BOILERPLATE:
            close()
            leftovers.append(_span(line, BOILERPLATE))
        elif role == DUPLICATE:
            if draft is not None:
                draft.lines.append(line)
            else:
                leftovers.append(_span(line, DUPLICATE))
        else:
            if draft is None or _starts_new_item(draft, role, previous_role):
                close()
                draft = _Draft()
            _add_line(draft, line, role, continues_paragraph=previous_role == BODY)
        previous_role = role
    close()
    return items, sorted(leftovers, key=lambda span: span.start)


def _starts_new_item(draft: _Draft, role: str, previous_role: str) -> bool:
    if role == TITLE:
        return bool(draft.lines)
    if role == CAPTION:
        return draft.has_body or draft.caption is not None
    if role == CREDIT:
        return draft.has_body or draft.credit is not None
    # A body paragraph: untitled digest items are one paragraph each, while a
    # titled story runs on over several paragraphs.
    return draft.has_body and previous_role != BODY and draft.title is None


def _add_line(draft: _Draft, line: Line, role: str, *, continues_paragraph: bool) -> None:
    draft.lines.append(line)
    text = line.stripped
    if role == TITLE:
        draft.title = text
    elif role == CAPTION:
        draft.caption = text if draft.caption is None else f"{draft.caption} {text}"
    elif role == CREDIT:
        draft.credit = text if draft.credit is None else f"{draft.credit} {text}"
    elif continues_paragraph and draft.paragraphs:
        draft.paragraphs[-1].append(text)
    else:
        draft.paragraphs.append([text])


def _span(line: Line, kind: str) -> Span:
    return Span(line.start, line.end, line.number, line.number, kind, line.stripped)
