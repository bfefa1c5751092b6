"""Reading a Markdown page as plain text lines, keeping what its markup says of each line.

Newsletters and digests exported from blogging and email tools often arrive as
Markdown. This module renders such a page line for line (line ``n`` of the
rendering is line ``n`` of the page, so line numbers refer to the source) with
the markers removed: ``## Title`` becomes ``Title`` with the role of a title,
``[text](url)`` becomes ``text``, emphasis loses its asterisks, an image line
becomes blank and an italic line right under it is its caption. A line underlined
with ``===`` or ``---`` is a heading too (its underline becomes blank). The headings
of the level that heads most stories are titles; headings above that level name
the page or a section (boilerplate). Headings do not delimit stories: a picture
above a headline is that story's, as on a plain text page, so where items start
is left to the segmenter.
"""

from __future__ import annotations

import re
from collections import Counter

from ._html import HtmlRendering
from ._text import split_lines

__all__ = ["looks_like_markdown", "render_markdown"]

# Every pattern stops at the next mark of its kind (a bracket, a space in a link's address), so that
# a line of unclosed marks costs linear time, not quadratic; a mark after a backslash is text.
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
# A line of "=" or "-" right under a paragraph's line makes it a heading of level 1 or 2 (setext).
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:={2,}|-{2,})[ \t]*$")
_UNESCAPED = r"(?<!\\)"
_DESTINATION = r"\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)"  # (url "title"), one level of parentheses
_IMAGE = re.compile(_UNESCAPED + r"!\[[^\[\]\n]*" + _UNESCAPED + r"\]" + _DESTINATION)
_LINK = re.compile(_UNESCAPED + r"\[([^\[\]\n]+)" + _UNESCAPED + r"\]" + _DESTINATION)
_AUTOLINK = re.compile(_UNESCAPED + r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(
    _UNESCAPED + r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=[^\s\\])\*\*|" + _UNESCAPED + r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=[^\s\\])__"
)
# One asterisk or underscore on each side, not inside a word ("snake_case", "2*3*4" stay as they are).
_EMPHASIS = re.compile(
    r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=[^\s\\])\*(?![\w*])|(?<![\w_\\])_(?=\S)([^_\n]+?)(?<=[^\s\\])_(?![\w_])"
)
_CODE_SPAN = re.compile(_UNESCAPED + r"`([^`\n]+)`")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before any ASCII punctuation (CommonMark)
# How much of a page is looked at to tell Markdown from plain text.
_SNIFF_CHARS = 20_000


def looks_like_markdown(text: str) -> bool:
    """Return True when ``text`` reads as Markdown: a heading of level 2 or deeper (``## Title``),
    two headings, three links, images or lines wholly in italics (``*16:42*``), or a heading and one
    of those. Plain text rarely has any of them.

    Examples
    --------
    >>> looks_like_markdown("## Dam opens\\n\\nWater flows again.\\n\\n## Bridge shut\\n\\nFor repairs.")
    True
    >>> looks_like_markdown("Dam opens\\n\\nWater flows again, [the council] said.")
    False
    """
    lines = [line.text for line in split_lines(text[:_SNIFF_CHARS])]
    levels = [len(heading.group(1)) for line in lines if (heading := _HEADING.match(line)) and _heading_text(heading)]
    marks = sum(len(_LINK.findall(line)) + len(_IMAGE.findall(line)) + _is_emphasised(line.strip()) for line in lines)
    return len(levels) >= 2 or max(levels, default=0) >= 2 or marks >= 3 or (len(levels) == 1 and marks >= 1)


def render_markdown(text: str) -> HtmlRendering:
    """Render Markdown ``text`` line for line, with each line's markup role.

    Examples
    --------
    >>> rendering = render_markdown("## Dam **opens**\\n\\n[Water](https://example.org) flows again.")
    >>> rendering.text
    'Dam opens\\n\\nWater flows again.'
    >>> rendering.roles
    ('title', None, None)
    """
    lines = [line.text for line in split_lines(text)]  # numbered as text pages are
    rendered: list[str] = []
    roles: list[str | None] = []
    levels: list[int] = []
    in_code = under_image = in_paragraph = False
    for source in lines:
        line, role, image = source, None, False
        if in_paragraph and _SETEXT_UNDERLINE.match(source):
            roles[-1], line = "title", ""
            levels.append(1 if "=" in source else 2)
        elif _FENCE.match(source):
            in_code, line = not in_code, ""
        elif in_code:
            pass  # code is shown as it is written
        elif heading := _HEADING.match(source):
            line = _inline(_heading_text(heading))
            role = "title" if line else None
            if line:
                levels.append(len(heading.group(1)))  # one level per title, in order
        elif _REFERENCE_DEFINITION.match(source):
            role = "boilerplate"
        elif _IMAGE.fullmatch(source.strip()):
            line, image = "", True
        else:
            plain = _QUOTE.sub("", source).strip()
            if under_image and _is_emphasised(plain):
                role = "caption"
            line = _inline(plain)
        # The first line with text under an image may be its caption.
        under_image = image or (under_image and not line)
        in_paragraph = role is None and bool(line) and not in_code and not under_image
        rendered.append(line)
        roles.append(role)
    text = "\n".join(rendered)
    if len(rendered) > 1 and not rendered[-1]:
        text += "\n"  # an empty last line is a line of its own only with a line end after it
    return HtmlRendering(text, tuple(_headings_above_stories(roles, levels)), (None,) * len(rendered))


def _headings_above_stories(roles: list[str | None], levels: list[int]) -> list[str | None]:
    """``roles`` with the headings above the story level as boilerplate: the level of most headings
    (the deepest of equals) when it has two or more, so that "# The Briefing" over "## story"
    headings, or "## World" over "### story" headings, is no story's title."""
    counts = Counter(levels)
    if not counts or max(counts.values()) < 2:
        return roles
    story_level = max(counts, key=lambda level: (counts[level], level))
    heading_levels = iter(levels)
    return [
        "boilerplate" if role == "title" and next(heading_levels) < story_level else role
        for role in roles
    ]


def _heading_text(heading: re.Match[str]) -> str:
    """A heading's text without its closing hashes ("## Title ##")."""
    text = (heading.group(2) or "").strip()
    unclosed = text.rstrip("#")
    return unclosed.rstrip() if not unclosed or unclosed[-1] in " \t" else text


def _inline(text: str) -> str:
    """``text`` without inline markup: images, links, emphasis, code spans, and the backslashes of escapes."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda link: link.group(1), text)
    text = _AUTOLINK.sub(lambda link: link.group(1), text)
    text = _STRONG.sub(lambda strong: strong.group(1) or strong.group(2), text)
    text = _EMPHASIS.sub(lambda emphasis: emphasis.group(1) or emphasis.group(2), text)
    text = _CODE_SPAN.sub(lambda code: code.group(1), text)
    return _ESCAPE.sub(lambda escape: escape.group(1), text).strip()


def _is_emphasised(text: str) -> bool:
    """A line that is wholly in italics: how Markdown writers set a caption under a picture."""
    return len(text) > 2 and text[0] == text[-1] and text[0] in "*_" and text[1] not in "*_ "
