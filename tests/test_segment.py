"""segment(): items, roles and spans on the project's pages, the shared fixture, and bad input."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclass import InputTooLargeError, InputTypeError, InputValueError, PageDecodeError, StoryItem, segment

from .conftest import EXAMPLES, SHARED_FIXTURE, needs_shared_fixture, read_gold

GOLD_FIELDS = ("start_line", "end_line", "title", "caption", "credit", "body")


def assert_matches_gold(result, gold):
    found = [{field: getattr(item, field) for field in GOLD_FIELDS} for item in result]
    expected = [{field: item[field] for field in GOLD_FIELDS} for item in gold["items"]]
    assert found == expected
    assert sorted({span.start_line for span in result.boilerplate}) == gold["boilerplate_lines"]


def test_example_digest_page_matches_its_gold(example_page):
    assert_matches_gold(segment(example_page), read_gold(EXAMPLES / "digest.txt"))


@needs_shared_fixture
def test_shared_fixture_page_matches_its_gold():
    result = segment(SHARED_FIXTURE.read_bytes())
    assert_matches_gold(result, read_gold(SHARED_FIXTURE))


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings_give_the_same_items(example_page, line_break):
    converted = example_page.replace("\n", line_break)
    expected = [(item.start_line, item.end_line, item.title, item.body) for item in segment(example_page)]
    result = segment(converted)
    assert [(item.start_line, item.end_line, item.title, item.body) for item in result] == expected
    for item in result:
        assert converted[item.start : item.end].startswith((item.title or item.caption or item.credit or item.body)[:20])


def test_offsets_point_into_the_page(example_page):
    for item in segment(example_page):
        span = example_page[item.start : item.end]
        for line in item.body.split("\n"):
            if line:
                assert line in span


def test_html_page_is_rendered_and_segmented():
    result = segment((EXAMPLES / "digest.html").read_text(encoding="utf-8"))
    assert result.format == "html"
    assert len(result) >= 5
    assert all(item.title and item.body for item in result)
    assert any("Unsubscribe" in span.text for span in result.boilerplate)
    assert all("Unsubscribe" not in item.body for item in result)
    for item in result:
        assert result.text[item.start : item.end].startswith(item.title)


@pytest.mark.parametrize("page", ["", "   \n\n\t\n", b""], ids=["empty", "blank", "empty-bytes"])
def test_empty_page_gives_no_items(page):
    assert list(segment(page)) == []


def test_boilerplate_only_page_gives_no_items():
    result = segment("More from us\n\nAdvertisement\n\nShare this story\n\n© 2031 Example Ltd. All rights reserved.\n")
    assert list(result) == []
    assert len(result.boilerplate) == 4


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (None, "page must be str or bytes, not NoneType"),
        (42, "page must be str or bytes, not int"),
        (["a page"], "page must be str or bytes, not list"),
    ],
    ids=["none", "number", "list"],
)
def test_wrong_page_type_raises_input_type_error(page, message):
    with pytest.raises(InputTypeError, match=message):
        segment(page)


def test_undecodable_bytes_raise_page_decode_error():
    with pytest.raises(PageDecodeError, match=r"not UTF-8 \(invalid byte 0x81 at byte 5\)") as caught:
        segment(b"Hello\x81\x8d\x8f\x90\x9d world")
    assert caught.value.position == 5


def test_bytes_that_fail_the_declared_encoding_name_it():
    with pytest.raises(PageDecodeError, match="cannot be decoded as 'utf-8'"):
        segment(b"Hello \xff world", encoding="utf-8")


@pytest.mark.parametrize(
    "encoded",
    [
        "Café prices rise\n\nThe café raised its prices.".encode("utf-8"),
        codecs.BOM_UTF8 + "Café prices rise\n\nThe café raised its prices.".encode("utf-8"),
        "Café prices rise\n\nThe café raised its prices.".encode("utf-16"),
        "Café prices rise\n\nThe café raised its prices.".encode("latin-1"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "latin-1"],
)
def test_common_encodings_decode(encoded):
    [item] = segment(encoded)
    assert item.title == "Café prices rise"
    assert item.body == "The café raised its prices."


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(InputValueError, match=r"format must be one of \['auto', 'text', 'html', 'markdown', 'feed'\], not 'pdf'"):
        segment("text", format="pdf")


def test_size_limit_is_configurable():
    with pytest.raises(InputTooLargeError, match="more than max_chars=10"):
        segment("x" * 11, max_chars=10)
    assert len(segment("A short paragraph of text.", max_chars=None)) == 1


def test_duplicated_caption_collapses_into_one():
    page = "Crowds gather in the square on May 1.\nCrowds gather in the square on May 1.\nAGENCY/Jo Bloggs\nThe march passed peacefully.\n"
    [item] = segment(page)
    assert item.caption == "Crowds gather in the square on May 1."
    assert item.credit == "AGENCY/Jo Bloggs"
    assert item.body == "The march passed peacefully."


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n\r/()©AZ:"), max_size=400) | st.text(max_size=200))
def test_properties_hold_for_any_string(page):
    result = segment(page)
    previous_end = -1
    for index, item in enumerate(result):
        assert isinstance(item, StoryItem) and item.index == index
        assert 0 <= item.start <= item.end <= len(page)
        assert 1 <= item.start_line <= item.end_line
        assert item.start > previous_end  # items never overlap
        previous_end = item.end
        span = page[item.start : item.end]
        for line in item.body.split("\n"):
            assert line in span
    assert [item.to_dict() for item in segment(page)] == [item.to_dict() for item in result]


def test_a_headline_with_sponsored_by_stays_a_headline():
    # "sponsored by" marks an advert only after what a publication sponsors ("This issue is ...").
    page = (
        "Bill sponsored by senator advances\n\n"
        "A bill sponsored by Senator Ray Ortiz to cap rent increases passed its first committee vote.\n\n"
        "THIS ISSUE IS BROUGHT TO YOU BY\n\nHalvard Bank\n"
    )
    result = segment(page)
    assert [item.title for item in result] == ["Bill sponsored by senator advances"]
    assert "THIS ISSUE IS BROUGHT TO YOU BY" in [span.text for span in result.boilerplate]


# A repeated line belongs to no item; the line it repeats keeps the role it would have alone.
PIER = "The harbour board of Velmora said on Tuesday it would close the old ferry pier until spring."
SAPLINGS = "Volunteers in Orsk said they had planted four hundred oak saplings along the river path."


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["contiguous", "blank-line"])
def test_a_repeated_paragraph_keeps_one_copy_as_the_story(gap):
    result = segment(f"{PIER}{gap}{PIER}\n")
    [item] = result
    assert (item.body, item.caption, item.end_line) == (PIER, None, 1)
    assert [(span.kind, span.start_line) for span in result.boilerplate] == [("duplicate", 1 + len(gap))]


def test_a_repeated_lead_under_a_headline_stays_the_lead():
    page = f"Ferry pier to close\n{PIER}\n{PIER}\nRepairs will cost about two million crowns.\n"
    result = segment(page)
    [item] = result
    assert item.title == "Ferry pier to close"
    assert item.caption is None
    assert item.body == f"{PIER}\nRepairs will cost about two million crowns."
    assert result.line_roles == ("title", "body", "duplicate", "body")


def test_a_repeated_headline_and_lead_alone_are_still_a_story():
    [item] = segment(f"Ferry pier to close\n\n{PIER}\n\n{PIER}\n")
    assert (item.title, item.body) == ("Ferry pier to close", PIER)


def test_a_repeated_story_is_not_the_caption_of_the_next_one():
    result = segment(f"{PIER}\n\n{PIER}\n\n{SAPLINGS}\n")
    assert [(item.body, item.caption) for item in result] == [(PIER, None), (SAPLINGS, None)]


def test_a_page_of_one_repeated_paragraph_gives_one_item():
    result = segment(f"{PIER}\n\n" * 2000, max_chars=None)
    assert [item.body for item in result] == [PIER]
    assert len(result.boilerplate) == 1999
    assert {span.kind for span in result.boilerplate} == {"duplicate"}


def test_a_caption_repeated_above_the_story_with_no_credit_stays_a_caption():
    caption = "Ferry passengers wait on the old pier at Velmora on Tuesday."
    [item] = segment(f"{caption}\n{caption}\n{PIER}\n")
    assert (item.caption, item.body) == (caption, PIER)


# Credits printed inside a caption: after a line break in <figcaption>, or at the caption's end.
HARBOUR_CAPTION = "Dock workers unload crates of salt cod at the Velmora quay on Tuesday."
HARBOUR_BODY = "Fish landings at Velmora rose by a fifth last year, the harbour board said on Wednesday."


def test_a_credit_after_a_line_break_in_a_figcaption_is_the_credit():
    page = (
        "<article><h2>Velmora fish landings rise</h2><figure><figcaption>"
        f"{HARBOUR_CAPTION}<br>Photo: Ines Varro/Quayside Press</figcaption></figure>"
        f"<p>{HARBOUR_BODY}</p></article>"
    )
    [item] = segment(page)
    assert item.title == "Velmora fish landings rise"
    assert item.caption == HARBOUR_CAPTION
    assert item.credit == "Photo: Ines Varro/Quayside Press"
    assert item.body == HARBOUR_BODY


@pytest.mark.parametrize(
    "credit",
    [
        "Photo: Ines Varro/Quayside Press",
        "(Photo: Ines Varro/Quayside Press)",
        "Photograph: Ines Varro for the Velmora Echo",
        "Credit: Quayside Press",
        "Ines Varro/Quayside Press via Getty Images",
        "© Ines Varro",
    ],
)
def test_a_credit_at_the_end_of_a_figcaption_is_split_off(credit):
    page = (
        f"<article><h2>Velmora fish landings rise</h2><figure><figcaption>{HARBOUR_CAPTION} {credit}</figcaption>"
        f"</figure><p>{HARBOUR_BODY}</p></article>"
    )
    [item] = segment(page)
    assert (item.caption, item.credit, item.body) == (HARBOUR_CAPTION, credit, HARBOUR_BODY)


@pytest.mark.parametrize("headline_first", [False, True], ids=["caption-first", "headline-first"])
def test_a_text_caption_ending_in_a_credit_joins_its_story(headline_first):
    caption = f"{HARBOUR_CAPTION} (Photo: Ines Varro/Quayside Press)"
    headline = "Velmora fish landings rise"
    page = f"{headline}\n\n{caption}\n\n{HARBOUR_BODY}\n" if headline_first else f"{caption}\n\n{headline}\n{HARBOUR_BODY}\n"
    [item] = segment(page)
    assert item.title == headline
    assert (item.caption, item.credit, item.body) == (HARBOUR_CAPTION, "(Photo: Ines Varro/Quayside Press)", HARBOUR_BODY)


def test_story_paragraphs_that_only_look_credit_like_stay_story_text():
    page = (
        "The council said the pier would reopen in May. Its engineer, Ana Ruiz, agreed. (Photo: Ines Varro)\n\n"
        "Ferry crews in Velmora said the new timetable would start on June 1.\n"
    )
    result = segment(page)
    assert [item.caption for item in result] == [None, None]
    assert result[0].body.endswith("(Photo: Ines Varro)")


# An ad label set apart by a blank line: the copy under it is the ad, a story under it stays a story.
AD_COPY = "Save 25% on Tidewell Mobile plans when you switch before July. Call 0800 555 0199 today."
FLOOD_STORY = "Floods swamp Port Ilsen\nHeavy rain flooded the lower town for the second time this month.\n"


@pytest.mark.parametrize(
    "page",
    [
        f"ADVERTISEMENT\n\n{AD_COPY}\n\n{FLOOD_STORY}",
        f"Advertisement\n\nTidewell Mobile\n\n{AD_COPY}\n\n{FLOOD_STORY}",
        f"<p>ADVERTISEMENT</p><p>{AD_COPY}</p><h2>Floods swamp Port Ilsen</h2>"
        "<p>Heavy rain flooded the lower town for the second time this month.</p>",
    ],
    ids=["text", "text-with-ad-headline", "html"],
)
def test_ad_copy_after_a_set_apart_ad_label_is_boilerplate(page):
    result = segment(page)
    assert [item.title for item in result] == ["Floods swamp Port Ilsen"]
    assert AD_COPY in [span.text for span in result.boilerplate]


@pytest.mark.parametrize(
    ("page", "bodies"),
    [
        (f"ADVERTISEMENT\n\n{FLOOD_STORY}", ["Heavy rain flooded the lower town for the second time this month."]),
        (
            "ADVERTISEMENT\n\nShop owners in Port Ilsen said sales rose 30% in May after the bridge reopened.\n",
            ["Shop owners in Port Ilsen said sales rose 30% in May after the bridge reopened."],
        ),
        (
            f"ADVERTISEMENT\n\n{FLOOD_STORY}\n{AD_COPY}\n",
            [f"Heavy rain flooded the lower town for the second time this month.\n\n{AD_COPY}"],
        ),
    ],
    ids=["headed-story", "reported-story", "story-above-unlabelled-copy"],
)
def test_a_story_after_a_set_apart_ad_label_stays_a_story(page, bodies):
    assert [item.body for item in segment(page)] == bodies


# Blog software's footers under a post: a "Continue reading" link and "The post ... appeared first on ...".
MILL_STORY = "Brenmoor mill reopens\n\nThe Brenmoor woollen mill reopened on Saturday after a two-year restoration.\n\n"


@pytest.mark.parametrize(
    "footer",
    [
        "Continue reading…",
        "Continue reading →",
        "Keep reading",
        "Continue reading \"Brenmoor mill reopens after a two-year restoration of its looms\" →",
        "The post Brenmoor mill reopens appeared first on Brenmoor Courier.",
        "The post Brenmoor mill reopens appeared first on brenmoorcourier.net",
    ],
)
def test_blog_footers_under_a_post_are_boilerplate(footer):
    result = segment(f"{MILL_STORY}{footer}\n")
    assert [(item.title, item.body) for item in result] == [
        ("Brenmoor mill reopens", "The Brenmoor woollen mill reopened on Saturday after a two-year restoration.")
    ]
    assert [span.text for span in result.boilerplate] == [footer]


# A masthead's row of links, one of them to the site's furniture, heads a page without being a story
# or a footer: it is not the title of the untitled intro under it (which was what it became).
MASTHEAD_ROWS = ["The Brenmoor Courier | Subscribe | Log in", "Home · Local · Sport · Newsletters", "News | Business | Search | Sign in"]
INTRO = "Good morning. The mill is back, and so is the ferry."


@pytest.mark.parametrize("row", MASTHEAD_ROWS)
def test_a_masthead_row_of_links_is_boilerplate(row):
    result = segment(f"{row}\n\n{INTRO}\n\n{MILL_STORY}")
    assert [(item.title, item.body) for item in result] == [
        (None, INTRO),
        ("Brenmoor mill reopens", "The Brenmoor woollen mill reopened on Saturday after a two-year restoration."),
    ]
    assert [span.text for span in result.boilerplate] == [row]


def test_a_masthead_row_of_links_in_html_is_boilerplate():
    links = " | ".join(f'<a href="/{number}">{name}</a>' for number, name in enumerate(["The Brenmoor Courier", "Subscribe", "Log in"]))
    page = (
        f'<html><body><div class="masthead">{links}</div><p>{INTRO}</p>'
        "<h2>Brenmoor mill reopens</h2><p>The Brenmoor woollen mill reopened on Saturday after a two-year restoration.</p></body></html>"
    )
    result = segment(page)
    assert [item.title for item in result] == [None, "Brenmoor mill reopens"]
    assert [span.text for span in result.boilerplate] == [MASTHEAD_ROWS[0]]


@pytest.mark.parametrize(
    "headline", ["Ferries | Buses | Trains: the county's timetable changes", "Mill, school | library: three votes tonight"]
)
def test_a_headline_with_bars_that_is_no_row_of_links_stays_a_title(headline):
    result = segment(f"{headline}\n\nThe county council publishes its new timetables for the winter on Monday.\n")
    assert [item.title for item in result] == [headline]


@pytest.mark.parametrize(
    "sentence",
    [
        "Continue reading, the librarian told the class.",
        "The post of harbour master went to Ida Fenn, who appeared first on the shortlist.",
        "Continue reading the report, the minister said, and you will see why the plan failed…",
        "Keep reading the small print: the fee doubles in May.",
        "The post of police commissioner appeared first on March 3.",
        "The post of mill manager appeared first on Tuesday.",
        "Continue reading at home over the holidays.",
        "The post about the closure appeared first on Instagram.",
    ],
)
def test_story_sentences_that_open_like_blog_footers_stay_story_text(sentence):
    result = segment(f"{MILL_STORY}{sentence}\n")
    assert sentence in result[-1].body
    assert result.boilerplate == ()


# A headline printed twice at the top of a page is a headline and its repeat, not a two-line masthead.
KILN_HEADLINE = "Ashby kiln workers end walkout"
KILN_PARAGRAPHS = (
    "Workers at the Ashby brick kiln returned on Thursday after a week-long walkout over night shifts.\n\n"
    "The owners said a new rota would start in April.\n"
)


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["contiguous", "blank-line"])
def test_a_headline_repeated_at_the_top_of_a_page_heads_one_item(gap):
    result = segment(f"{KILN_HEADLINE}{gap}{KILN_HEADLINE}\n\n{KILN_PARAGRAPHS}")
    [item] = result
    assert item.title == KILN_HEADLINE
    assert item.body == KILN_PARAGRAPHS.strip()
    assert result.line_roles[:1 + len(gap)] == ("title",) + ("blank",) * (len(gap) - 1) + ("duplicate",)


def test_a_two_line_masthead_above_story_text_is_still_boilerplate():
    result = segment(f"The Ashby Clarion\nThursday 6 March 2031\n\n{KILN_PARAGRAPHS}")
    assert [span.text for span in result.boilerplate] == ["The Ashby Clarion", "Thursday 6 March 2031"]
    assert [item.title for item in result] == [None, None]


# A photo set into a headed story (caption under its first paragraph, the story going on under it)
# belongs to the story; on digest pages a caption under a story's text opens the next item.
FERRY_HEADLINE = "Brenmoor ferry gets new engines"
FERRY_LEAD = "The Brenmoor ferry will get two electric engines next winter, the harbour trust said on Friday."
FERRY_CAPTION = "Passengers board the Brenmoor ferry at Cask Quay in 1978."
FERRY_CREDIT = "Photo: Brenmoor Museum"
FERRY_MORE = ("The ferry has crossed the estuary every half hour since 1954.", "Trust chair Ida Fenn said fares would not rise.")


@pytest.mark.parametrize(
    ("page", "under"),
    [
        (f"{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n\n{FERRY_CAPTION} {FERRY_CREDIT}\n\n{FERRY_MORE[0]}\n\n{FERRY_MORE[1]}\n", 2),
        (f"{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n\n{FERRY_CAPTION}\n{FERRY_CREDIT}\n\n{FERRY_MORE[0]}\n\n{FERRY_MORE[1]}\n", 2),
        (
            f"<h2>{FERRY_HEADLINE}</h2><p>{FERRY_LEAD}</p><figure><figcaption>{FERRY_CAPTION} {FERRY_CREDIT}</figcaption>"
            f"</figure><p>{FERRY_MORE[0]}</p><p>{FERRY_MORE[1]}</p>",
            2,
        ),
        (
            f"<article><h2>{FERRY_HEADLINE}</h2><p>{FERRY_LEAD}</p><figure><figcaption>{FERRY_CAPTION} {FERRY_CREDIT}"
            f"</figcaption></figure><p>{FERRY_MORE[0]}</p></article>",
            1,
        ),
    ],
    ids=["text-credit-in-caption", "text-credit-line", "html", "html-article-one-paragraph-under"],
)
def test_a_photo_inside_a_headed_story_is_its_caption(page, under):
    [item] = segment(page)
    assert (item.title, item.caption, item.credit) == (FERRY_HEADLINE, FERRY_CAPTION, FERRY_CREDIT)
    assert item.body == "\n\n".join([FERRY_LEAD, *FERRY_MORE[:under]])


def test_a_photo_at_the_end_of_its_article_is_the_articles_caption():
    # It was dropped as boilerplate: no story text of its article followed it.
    page = (
        f"<article><h2>{FERRY_HEADLINE}</h2><p>{FERRY_LEAD}</p><p>{FERRY_MORE[0]}</p><figure><figcaption>"
        f"{FERRY_CAPTION} {FERRY_CREDIT}</figcaption></figure></article>"
        "<article><h2>Orrin pier reopens</h2><p>The Orrin pier reopened on Monday.</p></article>"
    )
    result = segment(page)
    assert [(item.title, item.caption, item.credit) for item in result] == [
        (FERRY_HEADLINE, FERRY_CAPTION, FERRY_CREDIT),
        ("Orrin pier reopens", None, None),
    ]
    assert result.boilerplate == ()


@pytest.mark.parametrize("after", ["", "\nOrrin pier reopens\n\nThe Orrin pier reopened on Monday.\n"], ids=["page-end", "headline"])
def test_a_photo_above_one_paragraph_after_a_story_opens_a_digest_item(after):
    page = f"{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n\n{FERRY_CAPTION}\n{FERRY_CREDIT}\n{FERRY_MORE[0]}\n{after}"
    result = segment(page)
    assert [(item.title, item.caption, item.body) for item in result][:2] == [
        (FERRY_HEADLINE, None, FERRY_LEAD),
        (None, FERRY_CAPTION, FERRY_MORE[0]),
    ]
    assert len(result) == (3 if after else 2)


def test_a_second_photo_in_a_story_opens_an_item():
    page = (
        f"{FERRY_HEADLINE}\n\n{FERRY_CAPTION}\n{FERRY_CREDIT}\n{FERRY_LEAD}\n\n"
        f"Ida Fenn on the ferry's deck in May. Photo: Orrin Gazette\n\n{FERRY_MORE[0]}\n\n{FERRY_MORE[1]}\n"
    )
    result = segment(page)
    assert [item.caption for item in result][:2] == [FERRY_CAPTION, "Ida Fenn on the ferry's deck in May."]


# A caption printed again anywhere in its item (under its credit, as a paragraph) is a repeat.
KILN_CAPTION = "Brickmakers stack green bricks at the Ashby kiln in 1931."
KILN_LEAD = "Workers at the Ashby brick kiln returned on Thursday after a week-long walkout over night shifts."


@pytest.mark.parametrize(
    ("page", "repeat_line"),
    [
        (f"{KILN_CAPTION}\nPhoto: Ashby Museum\n{KILN_CAPTION}\n\n{KILN_LEAD}\n", 3),
        (f"{KILN_CAPTION}\n{KILN_CAPTION}\nPhoto: Ashby Museum\n\n{KILN_LEAD}\n", 2),
        (f"{KILN_HEADLINE}\n\n{KILN_CAPTION} Photo: Ashby Museum\n\n{KILN_CAPTION}\n\n{KILN_LEAD}\n", 5),
        (
            f"<article><h2>{KILN_HEADLINE}</h2><figure><figcaption>{KILN_CAPTION} Photo: Ashby Museum</figcaption>"
            f"</figure><p>{KILN_CAPTION}</p><p>{KILN_LEAD}</p></article>",
            5,
        ),
    ],
    ids=["under-the-credit", "above-the-credit", "as-a-paragraph", "html-paragraph"],
)
def test_a_caption_repeated_in_its_item_is_a_duplicate(page, repeat_line):
    result = segment(page)
    [item] = result
    assert (item.caption, item.credit, item.body) == (KILN_CAPTION, "Photo: Ashby Museum", KILN_LEAD)
    assert result.line_roles[repeat_line - 1] == "duplicate"


# A headed story whose only paragraph repeats its caption keeps that paragraph as its body.
@pytest.mark.parametrize(
    ("page", "body_line"),
    [
        (
            f"<article><h2>{KILN_HEADLINE}</h2><figure><img src='k.jpg'><figcaption>{KILN_CAPTION}</figcaption></figure>"
            f"<p>{KILN_CAPTION}</p></article><article><h2>{FERRY_HEADLINE}</h2><p>{FERRY_LEAD}</p></article>",
            5,
        ),
        (f"{KILN_HEADLINE}\n\n{KILN_CAPTION}\nPhoto: Ashby Museum\n\n{KILN_CAPTION}\n\n{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n", 6),
    ],
    ids=["html-articles", "text-with-credit"],
)
def test_a_story_whose_only_text_repeats_its_caption_keeps_it_as_body(page, body_line):
    result = segment(page)
    assert [(item.title, item.caption, item.body) for item in result] == [
        (KILN_HEADLINE, KILN_CAPTION, KILN_CAPTION),
        (FERRY_HEADLINE, None, FERRY_LEAD),
    ]
    assert result.line_roles[body_line - 1] == "body"
    assert result.boilerplate == ()


@pytest.mark.parametrize(
    "pitch",
    [
        "Switch to Fennick Broadband today and save £12 a month.",
        "Halvard Mortgages: rates from 4.1%. Apply online in minutes.",
        "Orrin Rail season tickets: fares from £9. Apply today.",
        "Save 30% on Kestrel Fitness memberships this spring. Sign up today!",
        "Claim your free Orrin Rail railcard now. T&Cs apply.",
        "Kestrel Fitness\n\nUnlimited classes, £12 a month.",
    ],
    ids=[
        "switch-and-save", "rates-from-apply-online", "fares-from", "save-and-sign-up", "claim-free-now",
        "headline-and-price-per-month",
    ],
)
def test_a_pitch_under_a_set_apart_ad_label_is_boilerplate(pitch):
    result = segment(f"{FLOOD_STORY}\nSponsored\n\n{pitch}\n\nDocks strike ends\n\nDock workers at Port Ilsen returned on Monday.\n")
    assert [item.title for item in result] == ["Floods swamp Port Ilsen", "Docks strike ends"]
    assert [span.text for span in result.boilerplate] == ["Sponsored", *pitch.split("\n\n")]


@pytest.mark.parametrize(
    "story",
    [
        "Halvard Bank said on Monday it would cut mortgage rates from 4.1% to 3.9% in June.",
        "Fares from £9 return on the Orrin line, the rail operator told passengers on Friday.",
        "Shop owners in Port Ilsen say they save £40 a month since the council cut stall fees.",
        # A call to action with no offer reads like a notice; a pitch with none is missed (docs: known limits).
        "Join the Brenmoor Ramblers on Sunday for a free guided walk along the cliffs.",
        "Apply online before Friday to claim the council tax rebate.",
        "Discover the new Tamsin estate car at your local dealer.",
    ],
    ids=["rates-from-reported", "fares-from-reported", "save-a-month-reported", "walk", "rebate", "pitch-without-an-offer"],
)
def test_a_reported_story_or_a_notice_under_a_set_apart_ad_label_stays_a_story(story):
    result = segment(f"{FLOOD_STORY}\nSponsored\n\n{story}\n")
    assert result[-1].body == story


def test_ad_copy_with_no_ad_label_above_it_is_not_dropped():
    pitch = "Halvard Mortgages: rates from 4.1%. Apply online in minutes."
    result = segment(f"Dock workers at Port Ilsen returned on Monday.\n\n{pitch}\n")
    assert [item.body for item in result] == ["Dock workers at Port Ilsen returned on Monday.", pitch]


# An ad slot's label often stands alone between stories: the headed story under it stays a
# story, whatever its headline opens with or whatever price its text quotes.
SELM_STORY = "Ferry strike called off in Selm\n\nCrews on the Selm ferries called off a planned strike on Monday.\n\n"
RAVIK_STORY = "Hospital wing opens in Ravik\n\nA new wing at Ravik hospital opened on Friday, adding 60 beds.\n"


@pytest.mark.parametrize(
    ("headline", "text"),
    [
        ("Lenders cut home loan costs", "Lenders in Brenna cut home loan costs this week, with fixed rates from 3.9% widely available."),
        ("Budget airline adds Orsk route", "Fares from £9 return on the new Halden to Orsk route went on sale on Monday."),
        ("Order restored in Halden", "Order returned to the streets of Halden on Sunday after two nights of unrest."),
        ("Call for calm in Orsk", "Councillors in Orsk appealed for calm on Tuesday after a week of protests."),
        ("Apply online for permits, council urges", "Residents of Halden can now apply online for parking permits."),
        ("Brenna rates fall", "Lenders cut rates this week. Apply online now for rates from 3.9%, brokers advised."),
    ],
    ids=["rates-from", "fares-from", "order-headline", "call-headline", "apply-online-headline", "report-then-pitch"],
)
def test_a_headed_story_under_a_lone_ad_label_stays_a_story(headline, text):
    result = segment(f"{SELM_STORY}Advertisement\n\n{headline}\n\n{text}\n\n{RAVIK_STORY}")
    assert [(item.title, item.body) for item in result][1] == (headline, text)
    assert len(result) == 3
    assert [span.text for span in result.boilerplate] == ["Advertisement"]


def test_articles_under_ad_slots_between_them_stay_stories():
    page = (
        "<article><h3>Ferry strike called off in Selm</h3><p>Crews on the Selm ferries called off a strike.</p></article>"
        "<div class='slot'>Advertisement</div>"
        "<article><h3>Lenders cut home loan costs</h3><p>Lenders in Brenna cut costs, with rates from 3.9% widely"
        " available.</p></article>"
        "<div class='slot'>Advertisement</div>"
        "<article><h3>Order restored in Halden</h3><p>Order returned to Halden after two nights of unrest.</p></article>"
    )
    result = segment(page)
    assert [item.title for item in result] == [
        "Ferry strike called off in Selm", "Lenders cut home loan costs", "Order restored in Halden",
    ]
    assert [span.text for span in result.boilerplate] == ["Advertisement", "Advertisement"]



# A story printed again further down the page (under two section headers) is one item.
def test_a_story_repeated_far_down_the_page_is_a_duplicate():
    kiln = f"{KILN_HEADLINE}\n\n{KILN_LEAD}\n\n"
    ferry = f"{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n\n"
    result = segment(f"TOP STORIES\n\n{kiln}{ferry}LATEST\n\n{kiln}Orrin pier reopens\n\nThe Orrin pier reopened on Monday.\n")
    assert [item.title for item in result] == [KILN_HEADLINE, FERRY_HEADLINE, "Orrin pier reopens"]
    assert [item.index for item in result] == [0, 1, 2]
    assert [(span.kind, span.start_line) for span in result.boilerplate if span.kind == "duplicate"] == [
        ("duplicate", 13),
        ("duplicate", 15),
    ]
    assert result.line_roles[12:15] == ("duplicate", "blank", "duplicate")


@pytest.mark.parametrize(
    "later",
    [
        f"{KILN_HEADLINE}\n\nThe owners said a new rota would start in April.\n",
        f"Ashby kiln walkout is over\n\n{KILN_LEAD}\n",
        f"{KILN_HEADLINE}\nUpdated 14:05\n{KILN_LEAD}\n",
    ],
    ids=["same-headline-new-text", "same-text-new-headline", "same-story-with-a-timestamp"],
)
def test_a_later_item_that_differs_from_an_earlier_one_stays_an_item(later):
    result = segment(f"{KILN_HEADLINE}\n\n{KILN_LEAD}\n\n{FERRY_HEADLINE}\n\n{FERRY_LEAD}\n\n{later}")
    assert len(result) == 3
    assert "duplicate" not in result.line_roles


# A sentence that opens like a credit ("Video: ...", "Pictures by ...") is story text; a © with a
# name alone is a photo credit, not a copyright footer that ends the page.


@pytest.mark.parametrize(
    "paragraph",
    [
        "Police closed the road at 3pm. Video: the moment the wall gave way.",
        "The show runs for a month. Pictures by local amateurs fill the first room.",
    ],
)
def test_a_sentence_that_opens_like_a_credit_stays_story_text(paragraph):
    page = f"Harbour wall collapses in Orlby\n\nPart of the harbour wall at Orlby fell in a storm on Monday night.\n\n{paragraph}\n"
    [item] = segment(page)
    assert item.body.endswith(paragraph) and (item.caption, item.credit) == (None, None)


def test_a_copyright_credit_under_a_caption_does_not_end_the_page():
    page = (
        "Museum reopens in Orlby\n\nThe Orlby museum reopened on Saturday after a two-year restoration, the trust said.\n\n"
        "Visitors queue at the door of the museum on Saturday.\n© Ivo Sarrow\n\n"
        "The trust raised £1.2 million for the work.\n\nBank to close Vell branch\n\n"
        "Greyloft Bank will close its Vell branch in June, the bank said.\n\n© 2031 The Orlby Ledger\n"
    )
    result = segment(page)
    text = "\n".join(f"{item.title} {item.body} {item.caption} {item.credit}" for item in result)
    for line in ("The trust raised £1.2 million for the work.", "Bank to close Vell branch", "Greyloft Bank will close"):
        assert line in text
    assert "© Ivo Sarrow" in [item.credit for item in result]
    assert [span.text for span in result.boilerplate] == ["© 2031 The Orlby Ledger"]


def test_a_notice_under_an_ad_label_that_reports_is_a_story():
    page = (
        "Library to close on Sundays\n\nThe library in Vell will close on Sundays from May, the council said.\n\n"
        "Advertisement\n\nBook now for the harvest fair, the organisers urged, as seats are limited.\n"
    )
    result = segment(page)
    assert result[-1].body == "Book now for the harvest fair, the organisers urged, as seats are limited."


# A headline with its byline is a story's head, not a masthead, with or without a blank line between.


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["same-block", "blank-line-between"])
def test_a_headline_keeps_its_byline_and_its_story(gap):
    page = f"Ferry crews vote to strike{gap}By Anna Branell\n\nCrews on the Brenna ferries voted to strike on Monday, the union said.\n"
    [item] = segment(page)
    assert (item.title, item.body) == ("Ferry crews vote to strike", "Crews on the Brenna ferries voted to strike on Monday, the union said.")


def test_a_bylined_headline_block_under_a_masthead_keeps_its_timestamp_and_story():
    page = (
        "THE VELLAND COURIER\n\nFerry crews vote to strike\nBy Anna Branell\nUpdated 14:05, 3 March 2031\n\n"
        "Crews on the Brenna ferries voted to strike on Monday, the union said.\n"
    )
    result = segment(page)
    assert [(item.title, item.body) for item in result] == [
        ("Ferry crews vote to strike", "Crews on the Brenna ferries voted to strike on Monday, the union said.")
    ]
    assert [span.text for span in result.boilerplate] == ["THE VELLAND COURIER"]


def test_a_masthead_with_a_date_is_still_a_masthead():
    result = segment("THE VELLAND COURIER\nTuesday 3 March 2031\n\nCrews on the Brenna ferries voted to strike on Monday, the union said.\n")
    assert [span.text for span in result.boilerplate] == ["THE VELLAND COURIER", "Tuesday 3 March 2031"]
