"""Splitting a page into story items.

The segmenter decides a role for every line (title, caption, credit, body,
metadata, boilerplate) from features of the line (:mod:`newsclass._lines`), its
neighbours and, for HTML, its markup; then it groups lines into items with a
small state machine. Where a page gives no blank lines between stories, item
boundaries inside runs of story lines come from lexical cohesion
(:mod:`newsclass._cohesion`). Every role and every item boundary carries a
confidence, so that callers can inspect doubtful cases.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from . import _lines as features
from ._cohesion import cohesion_gaps
from ._feed import FeedRendering, read_feed
from ._html import looks_like_html, render_html
from ._items import StoryItem
from ._markdown import looks_like_markdown, render_markdown
from ._text import DEFAULT_MAX_CHARS, Line, decode_page, require_choice, split_lines

__all__ = ["PageSegmentation", "Span", "segment", "segment_text"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

FORMATS = ("auto", "text", "html", "markdown", "feed")
TITLE, CAPTION, CREDIT, BODY, META, BOILERPLATE, DUPLICATE, BLANK = (
    "title", "caption", "credit", "body", "meta", "boilerplate", "duplicate", "blank",
)
# Runs of at least this many story lines with no blank line between them are
# split by lexical cohesion; shorter runs are one paragraph.
COHESION_MIN_RUN = 4
_LOOKAHEAD = 8
# An ad is a few lines: a label, a headline, a pitch, a call to action.
_AD_LINES = 4
# An ad's pitch is a sentence or two; a longer paragraph under an ad label is a story's.
_AD_WORDS = 40


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
        plain text, its text rendering for HTML and feeds.
    format : str
        ``"text"``, ``"html"``, ``"markdown"`` or ``"feed"``: how the page was read.
    line_roles : tuple of str
        The role of every line of ``text``: ``"title"``, ``"caption"``,
        ``"credit"``, ``"body"``, ``"meta"`` (a date, link or timestamp of an
        item), ``"boilerplate"``, ``"duplicate"`` or ``"blank"``.
    line_confidences : tuple of float
        For every line, how sure the segmenter is of its role (0.5 to 1).
    boundary_confidences : tuple of float
        For every item, how sure the segmenter is that the item starts where it
        does (0.5 to 1); low values mark boundaries found by lexical cohesion
        that were close to the threshold.
    """

    items: tuple[StoryItem, ...]
    boilerplate: tuple[Span, ...] = ()
    text: str = ""
    format: str = "text"
    line_roles: tuple[str, ...] = field(default=(), repr=False)
    line_confidences: tuple[float, ...] = field(default=(), repr=False)
    boundary_confidences: tuple[float, ...] = field(default=(), repr=False)

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
            "boundary_confidences": list(self.boundary_confidences),
        }

    def doubtful_lines(self, *, below: float = 0.7) -> list[tuple[int, str, float]]:
        """The (line number, role, confidence) of lines whose role is less sure than ``below``.

        Examples
        --------
        >>> result = segment("Storm closes port\\n\\nA storm closed the port on Monday.\\n")
        >>> result.doubtful_lines(below=0.5)
        []
        """
        return [
            (number, role, confidence)
            for number, (role, confidence) in enumerate(zip(self.line_roles, self.line_confidences), 1)
            if role != BLANK and confidence < below
        ]


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
        The page: plain text, HTML, Markdown, or a feed (RSS, RDF or Atom XML,
        or a JSON array or JSON Lines dump of entries). Bytes are decoded (see
        ``encoding``).
    format : {"auto", "text", "html", "markdown", "feed"}
        How to read the page; ``"auto"`` looks for a feed's root element or a
        JSON dump of entries with a title or text field, then for HTML markup,
        then for Markdown (``## headings``, ``[links](...)``, pictures, lines in
        italics). A feed gives one item per entry, even one with only a title.
        A Markdown page keeps its line numbers: its markup is removed line by line.
    encoding : str, optional
        Codec of ``page`` when it is bytes; by default it is detected from a
        byte-order mark, an XML declaration's ``encoding`` or a ``<meta charset>``,
        else UTF-8, else Windows-1252.
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
    InputTooLargeError
        ``page`` is longer than ``max_chars``.
    InputValueError
        ``format`` is not one of the valid values, or is ``"feed"`` for a page
        that is not a feed.

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
    # Before HTML: a feed's entries often hold HTML, which would pass for an HTML page.
    feed = read_feed(text, forced=format == "feed") if format in ("auto", "feed") else None
    if feed is not None:
        result = _segment_feed(feed)
    elif format == "html" or (format == "auto" and looks_like_html(text)):
        rendering = render_html(text)
        result = segment_text(rendering.text, markup_roles=rendering.roles, articles=rendering.articles, format="html")
    elif format == "markdown" or (format == "auto" and looks_like_markdown(text)):
        rendering = render_markdown(text)
        result = segment_text(rendering.text, markup_roles=rendering.roles, articles=rendering.articles, format="markdown")
    else:
        result = segment_text(text)
    logger.debug(
        "read the page as %s: %d lines, %d items, %d boilerplate or duplicate spans",
        result.format, len(result.line_roles), len(result), len(result.boilerplate),
    )
    return result


def segment_text(
    text: str,
    *,
    markup_roles: Sequence[str | None] = (),
    articles: Sequence[int | None] = (),
    format: str = "text",
) -> PageSegmentation:
    """Segment plain ``text``; ``markup_roles`` and ``articles`` are per-line hints from HTML markup."""
    page = _Page(list(split_lines(text)), markup_roles, articles)
    _decide_roles(page)
    cohesion_starts = _cohesion_starts(page)
    items, leftovers, boundary_confidences = _group_items(page, cohesion_starts)
    return PageSegmentation(
        items=tuple(items),
        boilerplate=tuple(leftovers),
        text=text,
        format=format,
        line_roles=tuple(page.roles),
        line_confidences=tuple(page.confidences),
        boundary_confidences=tuple(boundary_confidences),
    )


def _segment_feed(rendering: FeedRendering) -> PageSegmentation:
    """Items of a feed: its entries say where each starts and what each line is, so nothing is guessed.

    Unlike on other pages, an entry with only a title is an item: a headline-only
    feed is a list of stories, not of section headers. As on other pages, an entry
    whose lines repeat an earlier entry's exactly is a duplicate, not a second item.
    """
    lines = list(split_lines(rendering.text))
    items: list[StoryItem] = []
    leftovers: list[Span] = []
    drafts: dict[int, _Draft] = {}
    for index, (line, role, entry) in enumerate(zip(lines, rendering.roles, rendering.entries)):
        if role is None:
            continue
        if role == BOILERPLATE or entry is None:
            leftovers.append(_span(line, BOILERPLATE))
            continue
        draft = drafts.setdefault(entry, _Draft(confidence=1.0, article=entry))
        _add_line(draft, line, index, role, continues_paragraph=False)
    line_roles = [BLANK if role is None else role for role in rendering.roles]
    seen: set[tuple[str, ...]] = set()
    for draft in drafts.values():
        story = draft.has_body or draft.title is not None
        if story and not _repeats_an_earlier_item(draft, line_roles, seen):
            items.append(draft.finish(len(items)))
            continue
        # An entry posted twice is a repeat; one with only a date, caption or credit is not a story.
        kind = DUPLICATE if story else BOILERPLATE
        for index, line in zip(draft.indices, draft.lines):
            line_roles[index] = kind
            leftovers.append(_span(line, kind))
    return PageSegmentation(
        items=tuple(items),
        boilerplate=tuple(sorted(leftovers, key=lambda span: span.start)),
        text=rendering.text,
        format="feed",
        line_roles=tuple(line_roles),
        line_confidences=(1.0,) * len(lines),
        boundary_confidences=(1.0,) * len(items),
    )


# --- The page as lines with features ---------------------------------------


class _Page:
    """The lines of a page, their blocks (runs between blank lines), hints and roles."""

    def __init__(self, lines: list[Line], markup_roles: Sequence[str | None], articles: Sequence[int | None]) -> None:
        self.lines = lines
        count = len(lines)
        self.texts = [line.visible for line in lines]
        self.words = [features.count_words(text) for text in self.texts]
        self.markup: list[str | None] = list(markup_roles[:count]) + [None] * max(0, count - len(markup_roles))
        self.articles: list[int | None] = list(articles[:count]) + [None] * max(0, count - len(articles))
        self.uses_articles = any(article is not None for article in self.articles)
        self.from_markup = bool(markup_roles)
        self.content = [index for index, text in enumerate(self.texts) if text]
        self.block = [-1] * count
        self.previous = [-1] * count  # previous non-blank line, or -1
        self.next = [-1] * count
        block = -1
        last = -1
        for index in self.content:
            if last < 0 or last != index - 1:
                block += 1
            self.block[index] = block
            self.previous[index] = last
            if last >= 0:
                self.next[last] = index
            last = index
        self.roles = [BLANK] * count
        self.confidences = [1.0] * count
        self.closing = [False] * count
        self.dateline = [False] * count
        self.footer = [False] * count
        self.ad_label = [False] * count
        self.brief = [False] * count  # one of a list of one-line briefs, each led by its topic

    def set(self, index: int, role: str, confidence: float) -> None:
        self.roles[index] = role
        self.confidences[index] = confidence

    def same_block(self, first: int, second: int) -> bool:
        return first >= 0 and second >= 0 and self.block[first] == self.block[second]

    def alone(self, index: int) -> bool:
        return not self.same_block(index, self.previous[index]) and not self.same_block(index, self.next[index])

    def role_of(self, index: int) -> str | None:
        return self.roles[index] if index >= 0 else None

    def next_original(self, index: int) -> int:
        """The next non-blank line after ``index`` that is not a repeat, or -1.

        A repeated line says nothing about the role of the line it repeats, so
        context rules look past it (a caption repeated under its photo is still
        known as a caption by the credit under the repeat).
        """
        following = self.next[index]
        while following >= 0 and self.roles[following] == DUPLICATE:
            following = self.next[following]
        return following


# --- Line roles -------------------------------------------------------------


def _decide_roles(page: _Page) -> None:
    for index in page.content:
        _role_from_line(page, index)
    _roles_from_context(page)
    _regions(page)
    _brief_lists(page)


def _brief_lists(page: _Page) -> None:
    """Runs of lines that each open with a different topic ("Parking: ...", "Football: ...") are one item a line.

    A headline-shaped line right above such a list heads the section, not the first brief.
    """
    for index in page.content:
        following = page.next[index]
        if following != index + 1 or page.roles[index] != BODY or page.roles[following] != BODY:
            continue
        topic, next_topic = features.lead_in(page.texts[index]), features.lead_in(page.texts[following])
        if topic and next_topic and topic != next_topic:
            page.brief[index] = page.brief[following] = True
    for index in page.content:
        previous = page.previous[index]
        heads_list = previous == index - 1 and page.roles[previous] == TITLE and page.markup[previous] is None
        if page.brief[index] and not page.brief[previous] and heads_list:
            page.set(previous, BOILERPLATE, 0.7)


def _story_continues(page: _Page) -> list[bool]:
    """For each line: whether the body paragraphs above it belong to a headed, timestamped or datelined story."""
    continues = [False] * len(page.lines)
    state = False
    for index in page.content:
        continues[index] = state
        role = page.roles[index]
        if role in (TITLE, META):
            state = True
        elif role == BODY:
            state = state or page.dateline[index]
        elif role != DUPLICATE:
            state = False
    return continues


def _role_from_line(page: _Page, index: int) -> None:
    text, words, markup = page.texts[index], page.words[index], page.markup[index]
    previous = page.previous[index]
    if previous >= 0 and text == page.texts[previous] and not features.is_boilerplate(text, words):
        page.set(index, DUPLICATE, 0.95)
    elif features.is_separator(text):
        page.set(index, BOILERPLATE, 0.95)
    elif features.is_ad_label(text, words):
        page.set(index, BOILERPLATE, 0.9)
        page.ad_label[index] = True
    elif features.is_boilerplate(text, words):
        page.set(index, BOILERPLATE, 0.9)
        page.footer[index] = features.is_footer_cue(text, words)
    elif features.is_closing_credit(text, words):
        page.set(index, CREDIT, 0.9)
        page.closing[index] = True
    elif markup == CAPTION and features.looks_like_credit(text, words):
        page.set(index, CREDIT, 0.9)  # a caption's credit on a line of its own ("<br>Photo: ...")
    elif markup in (BOILERPLATE, CAPTION, CREDIT, META):
        page.set(index, markup, 0.95)
    elif features.looks_like_credit(text, words):
        page.set(index, CREDIT, 0.85)
    elif features.looks_like_meta(text, words):
        page.set(index, META, 0.85)
    elif markup is None and _is_credited_caption(text):
        page.set(index, CAPTION, 0.85)
    elif markup == TITLE:
        # A heading outside the articles of a page made of articles heads a section.
        outside = page.uses_articles and page.articles[index] is None
        page.set(index, BOILERPLATE if outside else TITLE, 0.8 if outside else 0.9)
    elif features.looks_like_title(text, words):
        page.set(index, TITLE, 0.65)
    else:
        page.set(index, BODY, 0.8)
        page.dateline[index] = features.looks_like_dateline(text)


def _is_credited_caption(text: str) -> bool:
    """A one-sentence line that ends in a photo credit ("... on Monday. (Photo: A/B)")."""
    caption, credit = features.split_trailing_credit(text)
    return credit is not None and features.caption_score(caption, features.count_words(caption)) >= 0


def _roles_from_context(page: _Page) -> None:
    has_markup_captions = CAPTION in page.markup
    for index in page.content:
        text, words = page.texts[index], page.words[index]
        previous, following = page.previous[index], page.next[index]
        if page.roles[index] != TITLE or page.markup[index] == TITLE:
            continue
        previous_role = page.role_of(previous)
        if features.is_upper_label(text, words):
            # Capitals right under a picture's caption are its credit, elsewhere a label
            # (or, under a story's last line, the next story's headline).
            if (
                page.same_block(index, previous)
                and previous_role in (BODY, CAPTION, DUPLICATE)
                and page.words[previous] >= 5
                and (previous_role != BODY or features.caption_score(page.texts[previous], page.words[previous]) >= 1)
            ):
                page.set(index, CREDIT, 0.8)
        elif (
            features.looks_like_person_name(text)
            and page.role_of(following) == BODY
            and (page.alone(index) or (page.same_block(index, previous) and previous_role in (BODY, CAPTION, DUPLICATE)
                                        and features.caption_score(page.texts[previous], page.words[previous]) >= 1))
        ):
            page.set(index, CREDIT, 0.7)
        elif page.same_block(index, previous) and previous_role == BODY and not features.ends_sentence(page.texts[previous]):
            page.set(index, BODY, 0.6)  # the last line of a hard-wrapped paragraph
    for index in page.content:
        if page.roles[index] != BODY or page.words[index] < 5:
            continue
        following = page.next_original(index)
        if page.role_of(following) == CREDIT:
            # A name alone is a weak credit: it makes a caption only of the line right above it.
            weak = page.confidences[following] < 0.8 and not page.same_block(index, following)
            previous = page.previous[index]
            # Across a blank line, only a line standing alone is a caption: not the
            # paragraph under a headline, nor the second line of a paragraph.
            apart = not page.same_block(index, following)
            if (apart and not page.alone(index)) or has_markup_captions:
                continue
            if not page.closing[following] and not weak:
                page.set(index, CAPTION, 0.9)
    continues_story = _story_continues(page)
    for index in page.content:
        if page.roles[index] != BODY or page.markup[index] is not None:
            continue
        text, words = page.texts[index], page.words[index]
        previous, following = page.previous[index], page.next_original(index)
        previous_role, following_role = page.role_of(previous), page.role_of(following)
        starts_block = not page.same_block(index, previous)
        if (
            features.looks_like_short_title(text, words)
            and page.same_block(index, following)
            and following_role == BODY
            and (starts_block or previous_role in (CAPTION, CREDIT, META, DUPLICATE))
        ):
            page.set(index, TITLE, 0.6)
            continue
        would_start_item = (
            (starts_block or previous_role != BODY)
            and previous_role not in (TITLE, META, CAPTION, DUPLICATE)
            and not continues_story[index]
        )
        if previous_role == CREDIT and not page.closing[previous]:
            would_start_item = False
        if (
            would_start_item
            and not has_markup_captions
            and not page.dateline[index]
            and following_role in (BODY, TITLE)
            and not page.dateline[following]
        ):
            score = features.caption_score(text, words)
            next_score = features.caption_score(page.texts[following], page.words[following])
            if score >= 2 and score > next_score:
                page.set(index, CAPTION, min(0.9, 0.5 + 0.1 * score))


def _is_masthead(page: _Page, members: list[int], roles: set[str]) -> bool:
    """A page's first block of short labels (name, date, issue): a masthead or a channel header.

    Right above story text, any such block is one; above a headline, only a block
    that also holds a boilerplate line ("Last updated ...").
    """
    following = page.next[members[-1]]
    if following < 0 or CAPTION in roles:
        return False
    # A repeated line adds no label: a headline printed twice is still one headline.
    originals = [index for index in members if page.roles[index] != DUPLICATE]
    short = all(page.words[index] <= 8 and not page.texts[index].endswith((".", "!", "?")) for index in originals)
    if page.roles[following] != BODY:
        return short and len(originals) >= 2 and BOILERPLATE in roles
    if len(originals) >= 2:
        return short
    return short and features.is_upper_label(page.texts[originals[0]], 4) and page.words[originals[0]] <= 8


def _is_story_furniture(page: _Page, index: int) -> bool:
    """A line that belongs to a story, not an ad: a timestamp, caption, dateline or credit.

    A capitalised name alone is only a weak credit (confidence under 0.8): an ad's brand name reads the same.
    """
    role = page.roles[index]
    return role in (META, CAPTION) or (role == CREDIT and page.confidences[index] >= 0.8) or page.dateline[index]


def _is_story_furniture_not_ad(page: _Page, index: int) -> bool:
    """Story furniture, except a pitch read as a caption by its wording ("Switch ... today"):
    what it offers says it is the ad."""
    if page.roles[index] == CAPTION and features.looks_like_ad_copy(page.texts[index], page.words[index]):
        return False
    return _is_story_furniture(page, index)


def _ends_ad_stretch(page: _Page, label: int, index: int) -> bool:
    """Whether line ``index`` is past an ad under the set-apart ``label``: story furniture, a heading
    of the markup, or a line of another article (an ad slot between articles holds none of them)."""
    return (
        _is_story_furniture_not_ad(page, index)
        or page.markup[index] == TITLE
        or page.articles[index] != page.articles[label]
    )


def _is_ad_copy(page: _Page, index: int) -> bool:
    """Whether line ``index`` is an ad's pitch: it reads as one, and it is not a headline with
    its story paragraph under it ("Order restored in Halden")."""
    if not features.looks_like_ad_copy(page.texts[index], page.words[index]):
        return False
    return page.roles[index] != TITLE or page.role_of(page.next_original(index)) != BODY


def _ad_copy_below(page: _Page, label: int) -> None:
    """An ad label set apart by a blank line: the blocks under it are the ad up to the one that
    reads as an ad's pitch ("Save 30% ... Sign up today!"), if that comes within an ad's few lines;
    otherwise they are whatever they read as (an ad slot's label often stands alone between stories)."""
    stretch: list[int] = []
    following = page.next[label]
    while following >= 0 and len(stretch) < _AD_LINES and not _ends_ad_stretch(page, label, following):
        stretch.append(following)
        following = page.next[following]
    copy = next((member for member in stretch if _is_ad_copy(page, member)), None)
    if copy is None:
        return
    ad = stretch[: stretch.index(copy) + 1]
    ad += [member for member in stretch[len(ad) :] if page.same_block(member, copy)]
    # Above the copy, only an ad's short headline; and the ad ends with the short block of its
    # copy: a block running on past the ad's few lines, or as long as a story's paragraph, is a story.
    copy_block = [member for member in ad if page.same_block(member, copy)]
    if (
        any(page.words[member] > 8 for member in ad if member < copy)
        or page.same_block(ad[-1], page.next[ad[-1]])
        or sum(page.words[member] for member in copy_block) > _AD_WORDS
    ):
        return
    for member in ad:
        page.set(member, BOILERPLATE, 0.7)


def _regions(page: _Page) -> None:
    """Whole stretches of boilerplate: ad blocks, footers, mastheads."""
    blocks: dict[int, list[int]] = {}
    for index in page.content:
        blocks.setdefault(page.block[index], []).append(index)
    for block, members in blocks.items():
        roles = {page.roles[index] for index in members}
        # A first block of dates and labels with no story text is a masthead or a channel header;
        # one with a byline ("By Anna Branell") heads a story.
        bylined = any(features.is_byline(page.texts[index]) for index in members)
        if bylined:  # a story's head: its "Updated 14:05" line is the story's timestamp, not page furniture
            for index in members:
                if page.roles[index] == BOILERPLATE and features.looks_like_meta(page.texts[index], page.words[index]):
                    page.set(index, META, 0.7)
        if block == 0 and not bylined and (_is_masthead(page, members, roles) or (
            META in roles and not roles & {BODY, CAPTION} and roles & {TITLE, CREDIT, BOILERPLATE}
        )):
            for index in members:
                page.set(index, BOILERPLATE, 0.75)
        for position, index in enumerate(members):
            if page.ad_label[index]:
                # The lines printed right under an ad label are the ad.
                for member in members[position + 1 : position + 1 + _AD_LINES]:
                    if _is_story_furniture(page, member):
                        break
                    page.set(member, BOILERPLATE, 0.8)
                if index == members[-1]:
                    _ad_copy_below(page, index)
                break
    footer_start = next((index for index in page.content if page.footer[index] and not page.markup[index]), None)
    if footer_start is None:
        return
    members = blocks[page.block[footer_start]]
    if len(members) <= 6 and all(page.words[index] <= 20 for index in members):
        stretch = members
    else:
        # In a long block only the short lines from the cue on are footer.
        stretch = []
        for index in members[members.index(footer_start) :]:
            if page.words[index] > 20 or (page.roles[index] == TITLE and index != footer_start):
                break
            stretch.append(index)
    for index in stretch:
        page.set(index, BOILERPLATE, 0.85)
    if not stretch or stretch[-1] != members[-1]:
        return
    # What follows a footer is more footer, as long as it stays short.
    for block in range(page.block[footer_start] + 1, max(blocks) + 1):
        members = blocks[block]
        if len(members) > 4 or any(page.words[index] > 20 for index in members):
            break
        for index in members:
            page.set(index, BOILERPLATE, 0.75)


# --- Boundaries inside runs without blank lines --------------------------------


def _cohesion_starts(page: _Page) -> dict[int, float]:
    """Lines that start a new item inside long runs of story lines, with a confidence."""
    starts: dict[int, float] = {}
    run: list[int] = []
    for index in [*page.content, -1]:
        extends = (
            index >= 0
            and page.roles[index] == BODY
            and features.ends_sentence(page.texts[index])
            and (not run or (page.same_block(run[-1], index) and page.next[run[-1]] == index))
        )
        if extends:
            run.append(index)
            continue
        if len(run) >= COHESION_MIN_RUN:
            context = []
            before = page.previous[run[0]]
            while before >= 0 and page.same_block(before, run[0]) and page.roles[before] in (TITLE, CAPTION):
                context.append(page.texts[before])
                before = page.previous[before]
            gaps = cohesion_gaps([page.texts[member] for member in run], context=" ".join(context))
            for gap in gaps:
                if gap.boundary:
                    starts[run[gap.index + 1]] = gap.confidence
                else:
                    page.confidences[run[gap.index + 1]] = min(page.confidences[run[gap.index + 1]], gap.confidence)
        run = [index] if index >= 0 and page.roles[index] == BODY and features.ends_sentence(page.texts[index]) else []
    return starts


# --- Grouping lines into items ---------------------------------------------


@dataclass
class _Draft:
    """An item being built."""

    confidence: float
    article: int | None
    lines: list[Line] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)
    title: str | None = None
    caption: str | None = None
    credit: str | None = None
    has_meta: bool = False
    dateline: bool = False
    last_role: str | None = None
    paragraphs: list[list[str]] = field(default_factory=list)
    # Its caption lines, with and without their credit: a later copy of one is a repeat.
    caption_lines: set[str] = field(default_factory=set)

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


def _group_items(page: _Page, cohesion_starts: dict[int, float]) -> tuple[list[StoryItem], list[Span], list[float]]:
    items: list[StoryItem] = []
    confidences: list[float] = []
    leftovers: list[Span] = []
    draft: _Draft | None = None
    # Repeats after the draft's last line: inside the item if a line of it follows, else leftovers.
    repeats: list[int] = []
    # The lines of every item so far, so that a story printed again further down (under
    # "Top stories" and again under "Latest") is found by a hash lookup, not by comparing pairs.
    seen: set[tuple[str, ...]] = set()

    def close() -> None:
        nonlocal draft
        if draft is not None:
            _caption_repeat_as_body(page, draft, repeats)
        leftovers.extend(_span(page.lines[index], DUPLICATE) for index in repeats)
        repeats.clear()
        if draft is not None and draft.has_body:
            if _repeats_an_earlier_item(draft, page.roles, seen):
                _set_aside(page, draft, DUPLICATE, 0.9, leftovers)
            else:
                items.append(draft.finish(len(items)))
                confidences.append(draft.confidence)
        elif draft is not None:
            # Photo material or a headline with no story under it is not an item.
            _set_aside(page, draft, BOILERPLATE, 0.6, leftovers)
        draft = None

    for index in page.content:
        line, role = page.lines[index], page.roles[index]
        if role == BOILERPLATE:
            close()
            leftovers.append(_span(line, BOILERPLATE))
            continue
        if draft is not None and role in (BODY, CAPTION) and line.stripped in draft.caption_lines:
            page.set(index, DUPLICATE, 0.9)  # the item's caption again, further from it than the line below
            role = DUPLICATE
        if role == DUPLICATE:
            if draft is not None:
                repeats.append(index)
            else:
                leftovers.append(_span(line, DUPLICATE))
            continue
        contiguous = page.previous[index] == index - 1 and index > 0
        starts, confidence = _starts_new_item(page, draft, index, contiguous, cohesion_starts)
        if starts:
            close()
            draft = _Draft(confidence=confidence, article=page.articles[index])
        assert draft is not None
        for repeat in repeats:  # a caption repeated between the caption and its credit
            draft.lines.append(page.lines[repeat])
            draft.indices.append(repeat)
        repeats.clear()
        _add_line(draft, line, index, role, continues_paragraph=contiguous and draft.last_role == BODY)
        draft.dateline = draft.dateline or (page.dateline[index] and len(draft.paragraphs) == 1)
        if page.closing[index] and not _credit_runs_on(page, index):
            close()
    close()
    return items, sorted(leftovers, key=lambda span: span.start), confidences


def _repeats_an_earlier_item(draft: _Draft, roles: Sequence[str], seen: set[tuple[str, ...]]) -> bool:
    """Whether ``draft``'s lines (headline, picture, dates, text; its repeated lines aside) are exactly
    those of an earlier item in ``seen``; if not, they are added to it. A hash lookup, so that finding
    a story printed twice stays linear."""
    lines = tuple(line.stripped for line, index in zip(draft.lines, draft.indices) if roles[index] != DUPLICATE)
    if lines in seen:
        return True
    seen.add(lines)
    return False


def _caption_repeat_as_body(page: _Page, draft: _Draft, repeats: list[int]) -> None:
    """A headed story whose only text repeats its caption (a paragraph printed again as the
    figcaption) keeps the repeat as its body, so that the story is not lost for having its text
    twice. ``repeats`` are the repeats after the draft's last line; those taken join the draft."""
    if draft.has_body or draft.title is None:
        return
    inside = [index for index in draft.indices if page.roles[index] == DUPLICATE]
    repeat = next((index for index in [*inside, *repeats] if page.lines[index].stripped in draft.caption_lines), None)
    if repeat is None:
        return
    if repeat in repeats:
        taken = repeats[: repeats.index(repeat) + 1]
        del repeats[: len(taken)]
        draft.lines.extend(page.lines[index] for index in taken)
        draft.indices.extend(taken)
    page.set(repeat, BODY, 0.7)
    draft.paragraphs.append([page.lines[repeat].stripped])


def _set_aside(page: _Page, draft: _Draft, kind: str, confidence: float, leftovers: list[Span]) -> None:
    """Give every line of ``draft`` the role ``kind`` (at most ``confidence`` sure) and list it as a leftover."""
    for index, line in zip(draft.indices, draft.lines):
        page.set(index, kind, min(page.confidences[index], confidence))
        leftovers.append(_span(line, kind))


def _starts_new_item(
    page: _Page, draft: _Draft | None, index: int, contiguous: bool, cohesion_starts: dict[int, float]
) -> tuple[bool, float]:
    """Whether line ``index`` opens a new item, and how sure that is."""
    role = page.roles[index]
    if draft is None:
        return True, 0.9 if not contiguous else 0.8
    article = page.articles[index]
    if page.uses_articles and article is not None and article != draft.article:
        return True, 0.95
    if role == TITLE:
        return draft.has_body or draft.title is not None, page.confidences[index]
    if role in (CAPTION, CREDIT) and draft.title is not None and not draft.has_body and _headline_ahead(page, index):
        return True, page.confidences[index]  # picture material of the next headline, not this one
    if role == CAPTION:
        if _picture_inside_story(page, draft, index):
            return False, 0.0
        return draft.has_body or draft.caption is not None, page.confidences[index]
    if role == CREDIT:
        if page.closing[index]:
            return False, 0.0
        if draft.last_role == CAPTION and draft.credit is None and page.same_block(page.previous[index], index):
            return False, 0.0  # the credit of the caption just taken into the story
        return draft.has_body or draft.credit is not None, page.confidences[index]
    if role == META:
        # "Posted on ..." under an item's text ends that item, unless items on this page
        # open with such a line, as the current one did.
        first = draft.indices[0]
        leads = page.roles[first] == META and features.is_labelled_meta(page.texts[first])
        if draft.has_body and not leads and _closes_item(page, index):
            return False, 0.0
        # A timestamp after a blank line opens an update; in a feed entry it sits right under its title.
        # (HTML renders every block apart, so there its articles decide instead.)
        after_blank = not contiguous and not draft.has_meta and not page.from_markup
        if after_blank and draft.title is not None and not draft.has_body and features.is_byline(page.texts[index]):
            return False, 0.0  # a headline's byline, set apart by a blank line
        return draft.has_body or after_blank or (draft.has_meta and draft.last_role != META), page.confidences[index]
    # A body line.
    if not draft.has_body:
        return False, 0.0
    if page.dateline[index]:
        return True, 0.9
    if page.brief[index] and contiguous:
        return True, 0.8
    if index in cohesion_starts:
        return True, cohesion_starts[index]
    if contiguous:
        return False, 0.0
    if page.uses_articles and article is not None:
        return False, 0.0
    # After a blank line: a headed, timestamped or datelined story runs on over
    # several paragraphs, while untitled digest items are one paragraph each.
    if draft.title is not None or draft.has_meta or draft.dateline:
        return False, 0.0
    return True, 0.75


def _credit_runs_on(page: _Page, index: int) -> bool:
    """Whether a closing credit goes on over the next line ("(Reporting by A;" / "Editing by B)")."""
    following = page.next[index]
    return (
        following >= 0
        and (following == index + 1 or page.from_markup)  # HTML renders every block apart
        and features.continues_on_next_line(page.texts[index])
        and page.roles[following] in (CREDIT, BODY, TITLE)
        and page.words[following] <= 12
    )


def _closes_item(page: _Page, index: int) -> bool:
    """Whether the metadata line ``index``, under an item's text, ends that item.

    "Posted on ...", "Posted by ...", a permalink or a sign-off under a story belongs
    to it when no story text of its own follows: the next line is a headline,
    boilerplate, a bare timestamp opening the next update, or the end of the page.
    """
    if not features.is_labelled_meta(page.texts[index]):
        return False
    following = page.next[index]
    for _ in range(_LOOKAHEAD):  # past more such lines ("Posted by ...", then "Permalink: ...")
        if following < 0 or page.roles[following] in (TITLE, BOILERPLATE):
            return True
        if page.roles[following] != META:
            return False
        if not features.is_labelled_meta(page.texts[following]):
            return True  # a bare timestamp: the next update
        following = page.next[following]
    return False


def _past_picture(page: _Page, index: int, *, furniture: tuple[str, ...]) -> int:
    """The first line after ``index`` whose role is not in ``furniture``, or -1."""
    following = page.next[index]
    for _ in range(_LOOKAHEAD):  # bounded, so that long runs of credits stay linear
        if following < 0 or page.roles[following] not in furniture:
            break
        following = page.next[following]
    return following


def _headline_ahead(page: _Page, index: int) -> bool:
    """Whether a headline comes before any story text, past the picture lines from ``index`` on.

    On a page of articles, only a headline of the picture's own article: a picture above the
    end of its article is not the next article's.
    """
    following = _past_picture(page, index, furniture=(CAPTION, CREDIT, DUPLICATE, META))
    if following < 0 or page.roles[following] != TITLE:
        return False
    return not page.uses_articles or page.articles[following] == page.articles[index]


def _picture_inside_story(page: _Page, draft: _Draft, index: int) -> bool:
    """Whether the caption ``index`` is a photo set into a headed story rather than the opening of the next item.

    Digest items open with their photo above one paragraph, so a caption under a story's
    text opens a new item unless the story goes on for two more paragraphs under it (an
    untitled item is one paragraph), or, on a page of articles, it is in the story's article
    (under its text or at its end). A story has one picture caption; a second opens an item.
    """
    if draft.title is None or not draft.has_body or draft.caption is not None or draft.credit is not None:
        return False
    if page.uses_articles:  # the markup says which story the picture belongs to, wherever it stands in it
        return draft.article is not None and page.articles[index] == draft.article
    first = _past_picture(page, index, furniture=(CAPTION, CREDIT, DUPLICATE))
    if first < 0 or page.roles[first] != BODY or page.dateline[first]:
        return False
    second = page.next[first]
    for _ in range(_LOOKAHEAD):  # past the rest of the paragraph under the picture
        if not page.same_block(first, second):
            break
        second = page.next[second]
    return second >= 0 and not page.same_block(first, second) and page.roles[second] == BODY and not page.dateline[second]


def _add_line(draft: _Draft, line: Line, index: int, role: str, *, continues_paragraph: bool) -> None:
    draft.lines.append(line)
    draft.indices.append(index)
    text = line.stripped
    if role == TITLE:
        draft.title = _joined(draft.title, text)
    elif role == CAPTION:
        caption, credit = features.split_trailing_credit(text)
        draft.caption = _joined(draft.caption, caption)
        draft.caption_lines.update((text, caption))
        if credit is not None:
            draft.credit = _joined(draft.credit, credit)
    elif role == CREDIT:
        draft.credit = _joined(draft.credit, text)
    elif role == META:
        draft.has_meta = True
    elif continues_paragraph and draft.paragraphs:
        draft.paragraphs[-1].append(text)
    else:
        draft.paragraphs.append([text])
    draft.last_role = role


def _joined(field: str | None, text: str) -> str:
    return text if field is None else f"{field} {text}"


def _span(line: Line, kind: str) -> Span:
    return Span(line.start, line.end, line.number, line.number, kind, line.stripped)
