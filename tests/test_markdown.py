"""Markdown pages: newsletters exported as Markdown are read line for line, without their markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclass import segment
from newsclass._markdown import looks_like_markdown, render_markdown
from newsclass._text import split_lines

from .invariants import check_segmentation

BRIEFING = """\
# The Friday Briefing

*Issue 212 · 12 June 2031*

Hello, and thanks for reading. Three stories this week.

## 1. Port strike enters second week

Dock workers in Velmora extended their walkout over pay, leaving 40 container ships waiting offshore.

[Read the full story](https://example.org/port)

## 2. Wildfire near Ostvik contained

![Smoke over the hills](smoke.jpg)
*Smoke rises over the hills north of Ostvik. Photo: J. Marten/Example Press*

Firefighters said the blaze that burned 800 hectares north of the town was under control on Thursday night.

## 3. Parliament approves **AI labelling** law

Lawmakers voted to require companies to label images made by [artificial intelligence](https://example.org/ai "AI").

---

*Forward this to a friend. [Unsubscribe](https://example.org/u)*
"""


def test_a_markdown_newsletter_gives_its_stories_without_markup():
    result = segment(BRIEFING)
    assert result.format == "markdown"
    assert [(item.title, item.caption, item.credit) for item in result] == [
        (None, None, None),
        ("1. Port strike enters second week", None, None),
        ("2. Wildfire near Ostvik contained", "Smoke rises over the hills north of Ostvik.", "Photo: J. Marten/Example Press"),
        ("3. Parliament approves AI labelling law", None, None),
    ]
    assert result[0].body == "Hello, and thanks for reading. Three stories this week."
    assert result[3].body == "Lawmakers voted to require companies to label images made by artificial intelligence."
    assert [span.text for span in result.boilerplate] == [
        "The Friday Briefing", "Read the full story", "---", "Forward this to a friend. Unsubscribe"
    ]


def test_line_numbers_are_the_markdown_pages_own():
    source = BRIEFING.splitlines()
    for item in segment(BRIEFING):
        if item.title:
            assert source[item.start_line - 1].lstrip("# ").replace("**", "") == item.title
        assert item.end_line <= len(source)


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_line_numbers_count_line_ends_as_text_pages_do(line_end):
    page = BRIEFING.replace("Dock workers", "Dock\u2028workers").replace("\n", line_end)
    result = segment(page)
    assert [item.start_line for item in result] == [3, 7, 13, 20]
    assert "Dock\u2028workers" in result[1].body


def test_headings_above_the_story_level_are_section_headers():
    page = (
        "## World\n\n### Ferry returns to Orrin\n\nThe Orrin ferry sailed again on Monday after a month of repairs.\n\n"
        "### Velmora bridge shut\n\nThe Velmora bridge closed for a week of works.\n\n"
        "## Business\n\n### Mill reopens\n\nThe Brenmoor mill reopened after a two-year restoration.\n"
    )
    result = segment(page)
    assert [item.title for item in result] == ["Ferry returns to Orrin", "Velmora bridge shut", "Mill reopens"]
    assert [span.text for span in result.boilerplate] == ["World", "Business"]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("**Bold** and __strong__, *italic* and _emphasis_", "Bold and strong, italic and emphasis"),
        ("snake_case_names and 2*3*4 stay", "snake_case_names and 2*3*4 stay"),
        ("a [link](https://example.org/a_(b)) and <https://example.org>", "a link and https://example.org"),
        ("an ![inline picture](p.png) in text", "an  in text"),
        ("`code` and \\*escaped\\* marks", "code and *escaped* marks"),
        ("> quoted words", "quoted words"),
    ],
)
def test_inline_markup_is_removed_and_what_only_looks_like_it_kept(markdown, text):
    assert render_markdown(markdown).text == text


def test_underlined_headings_are_headings_and_a_rule_after_a_blank_line_is_not():
    page = (
        "The Friday Briefing\n===================\n\nFerry returns to Orrin\n---------------------\n\n"
        "The Orrin ferry sailed again on Monday.\n\n---\n\nMill reopens\n------------\n\nThe Brenmoor mill reopened.\n"
    )
    rendering = render_markdown(page)
    assert [role for role in rendering.roles if role] == ["boilerplate", "title", "title"]  # "=" is the page's level 1
    result = segment(page, format="markdown")
    assert [(item.title, item.body) for item in result] == [
        ("Ferry returns to Orrin", "The Orrin ferry sailed again on Monday."),
        ("Mill reopens", "The Brenmoor mill reopened."),
    ]
    assert [span.text for span in result.boilerplate] == ["The Friday Briefing", "---"]


def test_code_blocks_are_kept_as_written_and_link_definitions_are_boilerplate():
    rendering = render_markdown("```\n**not bold** # here\n```\n[1]: https://example.org/one")
    assert rendering.text.splitlines() == ["", "**not bold** # here", "", "[1]: https://example.org/one"]
    assert rendering.roles == (None, None, None, "boilerplate")


def test_only_an_italic_line_right_under_a_picture_is_its_caption():
    rendering = render_markdown("![](a.jpg)\n\n*The quay at dawn.*\n*Not a caption.*\n\n![](b.jpg)\nPlain text.")
    assert rendering.roles == (None, None, "caption", None, None, None, None)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("## Dam opens\n\nWater flows.\n\n## Bridge shut\n\nFor repairs.", True),
        ("# Briefing\n\nSee [the report](https://example.org).", True),
        ("## Dam opens\n\nWater flows again.", True),
        ("*16:42*\nThe storm passed.\n\n*16:20*\nWinds eased.\n\n*16:02*\nRain stopped.", True),
        ("# Dam opens\n\nWater flows again.", False),
        ("Read [one](a), [two](b) and [three](c).", True),
        ("Dam opens\n\nWater flows again, [the council] said.", False),
        ("#climate is trending\n\nA hashtag is no heading.", False),
        ("Dam opens\n\nWater flows again.", False),
    ],
)
def test_markdown_is_told_from_plain_text(page, expected):
    assert looks_like_markdown(page) is expected


def test_plain_text_pages_are_not_read_as_markdown():
    assert segment("Dam opens\n\nWater flows again, [the council] said.\n").format == "text"


def test_markdown_can_be_asked_for():
    [item] = segment("Dam *opens*\n\nWater flows again.\n", format="markdown")
    assert (item.title, item.body) == ("Dam opens", "Water flows again.")


# Lines made of Markdown's marks in any order, open or closed, with text and line ends between them.
_PIECES = ["#", "## ", "### ", "*", "**", "_", "__", "`", "```", "[", "]", "(", ")", "![", "<", ">", "> ", "\\",
           "https://example.org/a", " ", "Ferry", "sails", ".", "Photo: A/B", "---", "\n", "\r\n", "\r", "\u2028"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_any_markdown_keeps_its_lines_and_segments_consistently(page):
    result = segment(page, format="markdown")
    check_segmentation(result)
    assert len(list(split_lines(result.text))) == len(list(split_lines(page)))
