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
    with pytest.raises(InputValueError, match=r"format must be one of \['auto', 'text', 'html', 'feed'\], not 'pdf'"):
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
