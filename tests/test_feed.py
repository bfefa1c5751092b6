"""segment() on feeds: RSS 2.0, RSS 1.0/RDF, Atom and JSON dumps of entries; their safety and the CLI."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclass import InputValueError, classify, segment
from newsclass.cli import main

from .conftest import EXAMPLES
from .invariants import check_segmentation

FEEDS = EXAMPLES / "feeds"
RSS = FEEDS / "harbour-ledger.rss.xml"
ATOM = FEEDS / "marsh-gazette.atom.xml"
RDF = FEEDS / "tollbridge-bulletin.rdf"
HEADLINES = FEEDS / "headlines-only.rss.xml"
ENTRY_TAG = re.compile(r"<(?:item|entry)[\s>]")


def read(path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [RSS, ATOM, RDF, HEADLINES], ids=lambda path: path.name)
def test_every_entry_of_an_example_feed_is_one_item(path):
    result = segment(read(path))
    assert result.format == "feed"
    assert len(result) == len(ENTRY_TAG.findall(read(path)))
    assert all(item.title for item in result)
    assert not any("<" in item.body or "&lt;" in item.body for item in result)
    check_segmentation(result)
    for item in result:  # offsets refer to the rendering, as for HTML pages
        span = result.text[item.start : item.end]
        assert span.startswith(item.title) and item.body.split("\n")[0] in span


def test_forcing_the_feed_format_reads_a_feed_as_auto_does():
    assert segment(read(RSS), format="feed") == segment(read(RSS))


def test_rss_items_take_cdata_html_text_media_caption_and_credit():
    court, wind = segment(read(RSS))
    assert court.title == "Velland court jails former harbour treasurer for fraud"
    # content:encoded (the whole story) wins over the description (its teaser); paragraphs stay apart.
    assert court.body.startswith("A judge at Velland Crown Court jailed Osric Denholm")
    assert court.body.count("\n\n") == 1 and "£1.2 million" in court.body
    assert court.caption == "Osric Denholm arrives at Velland Crown Court for sentencing."
    assert court.credit == "Petra Lund/Harbour Ledger"
    assert wind.body.split("\n\n")[1].startswith("When all 48 turbines turn")
    assert (wind.caption, wind.credit) == (None, None)


def test_channel_metadata_and_share_prompts_are_boilerplate():
    result = segment(read(RSS))
    boilerplate = [span.text for span in result.boilerplate]
    assert boilerplate[:4] == [
        "Harbour Ledger - Latest stories",
        "https://harbourledger.example/",
        "News from Port Velland and the Orrin coast",
        "Tue, 04 Mar 2031 08:00:00 +0000",
    ]
    assert "Share this story" in boilerplate
    for span in result.boilerplate:  # no item holds a boilerplate line
        assert all(not item.start <= span.start < item.end for item in result)
    assert "en-gb" not in result.text  # settings such as the language are not page text


def test_atom_entries_render_html_and_xhtml_content():
    floods, clinic = segment(read(ATOM))
    assert floods.title == "Floods force hundreds from homes in Lower Fennick"
    assert floods.caption == "A rescue boat on Mill Lane in Lower Fennick."
    assert floods.body.split("\n\n") == [
        "Rescue crews evacuated more than three hundred residents of Lower Fennick overnight after the river burst "
        "its banks following two days of torrential rain.",
        "Emergency shelters opened in the village hall, and the county declared a flood emergency.",
    ]
    assert clinic.body.startswith("The new health clinic in Marsh End saw its first patients on Thursday, with four doctors")
    assert clinic.body.count("\n\n") == 1


def test_atom_dates_and_authors_are_item_metadata():
    result = segment(read(ATOM))
    meta_lines = [line for line, role in zip(result.text.split("\n"), result.line_roles) if role == "meta"]
    assert meta_lines == ["2031-05-02T08:00:00Z", "Odile Fenwick", "2031-05-01T12:00:00Z"]
    assert "2031-05-02T09:00:00Z" in [span.text for span in result.boilerplate]  # the feed's own date


def test_rdf_items_are_read_beside_the_channel():
    result = segment(read(RDF))
    assert [item.title for item in result] == [
        "Tollbridge votes for a new mayor on Thursday",
        "Town council sets budget and raises parking charges",
    ]
    assert result[1].body.startswith("Tollbridge town council approved its budget")
    assert "The week in Tollbridge" in [span.text for span in result.boilerplate]


def test_a_headline_only_feed_gives_one_title_only_item_per_entry():
    result = segment(read(HEADLINES))
    assert [(item.title, item.body) for item in result] == [
        ("Quillmoor hospital opens new cancer ward", ""),
        ("Striking dockers return as pay deal is agreed", ""),
        ("Police arrest two men after jewellery shop robbery", ""),
    ]


def test_classify_tags_the_stories_of_a_feed():
    court, wind = classify(segment(read(RSS)))
    assert "justice" in court.labels
    assert "energy" in wind.labels
    hospital, _dockers, robbery = classify(segment(read(HEADLINES)))
    assert "health" in hospital.labels and "justice" in robbery.labels


def test_an_entry_with_only_a_date_is_boilerplate_not_an_item():
    page = "<rss><channel><item><pubDate>Mon, 03 Mar 2031</pubDate></item><item><title>Pier reopens</title></item></channel></rss>"
    result = segment(page)
    assert [item.title for item in result] == ["Pier reopens"]
    assert [span.text for span in result.boilerplate] == ["Mon, 03 Mar 2031"]
    check_segmentation(result)


# --- Detection ---------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0"?>\n<!-- built nightly -->\n<rss version="2.0"><channel></channel></rss>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>',
        '<feed xml:lang="en" xmlns="http://www.w3.org/2005/Atom"><title>Drum</title></feed>',
    ],
    ids=["rss-after-comment", "rdf", "atom"],
)
def test_auto_detects_a_feed_root(page):
    assert segment(page).format == "feed"


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Mill fire out.</p></body></html>',
        "Subscribers to our <rss> reader: the Glenmoor fete moved to Sunday.\n",
        '<feed id="local"><p>Not Atom: no Atom namespace.</p></feed>',
    ],
    ids=["xhtml", "rss-in-text", "feed-without-atom-namespace"],
)
def test_auto_does_not_take_other_pages_for_feeds(page):
    assert segment(page).format != "feed"


def test_forcing_the_feed_format_on_a_page_that_is_no_feed_names_the_fix():
    with pytest.raises(InputValueError, match=r"format='feed' expects an RSS or Atom document .* starts with "
                       r"'Harvest fair.*pass format='auto'"):
        segment("Harvest fair draws crowds\n\nThousands came to Ellery Green.\n", format="feed")


# --- Safety and malformed feeds -------------------------------------------------


def test_entities_are_never_expanded_recursively():
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    page = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{chr(10).join(levels)}\n]>\n'
        "<rss><channel><item><title>Laughs &lol9;</title><description>Body &lol9; here.</description></item></channel></rss>"
    )
    started = time.perf_counter()
    result = segment(page)
    assert time.perf_counter() - started < 2
    assert [(item.title, item.body) for item in result] == [("Laughs &lol9;", "Body &lol9; here.")]
    assert "lollol" not in result.text


def test_external_entities_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Kestrel-passphrase-5521", encoding="utf-8")
    page = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        "<rss><channel><item><title>Notice</title><description>Text: &leak;</description></item></channel></rss>"
    )
    result = segment(page)
    assert "Kestrel" not in result.text
    assert result[0].body == "Text: &leak;"


def test_a_malformed_feed_keeps_every_readable_entry(caplog):
    page = (
        '<?xml version="1.0"?>\n<rss><channel><title>Fenn & Daughters Weekly</title>\n'
        "<item><title>Bakery & cafe open</title><description>A stray & sign stays.</description></item>\n"
        "<item><title>Unclosed headline\n<description>Its text follows anyway.</description></item>\n"
        "<item><title>Cut off</title><description>The file stops in the mid"
    )
    with caplog.at_level(logging.WARNING, logger="newsclass"):
        result = segment(page)
    assert [(item.title, item.body) for item in result] == [
        ("Bakery & cafe open", "A stray & sign stays."),
        ("Unclosed headline", "Its text follows anyway."),
        ("Cut off", "The file stops in the mid"),
    ]
    assert "ends inside the entry that starts on line 6" in caplog.text
    check_segmentation(result)


def test_an_unterminated_cdata_section_runs_to_the_end_of_the_feed():
    page = "<rss><channel><item><title>Dam</title><description><![CDATA[<p>Water rose at Tarn Weir."
    assert [(item.title, item.body) for item in segment(page)] == [("Dam", "Water rose at Tarn Weir.")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=120)), max_size=5), st.integers(0, 400))
def test_any_feed_even_cut_anywhere_gives_a_consistent_segmentation(entries, cut):
    page = "<rss><channel><title>Wren Post</title>" + "".join(
        f"<item><title>{title}</title><description>{body}</description></item>" for title, body in entries
    )
    for text in (page, page[:cut]):
        check_segmentation(segment(text, format="feed") if text.startswith("<rss>") else segment(text))


# --- JSON dumps of entries ----------------------------------------------------


def test_json_lines_of_entries_are_a_feed():
    records = [
        {"title": "Corran mill reopens", "summary": "The Corran wool mill reopened with forty jobs."},
        {"title": "Snow closes the Brack pass"},
    ]
    result = segment("\n".join(json.dumps(record) for record in records))
    assert result.format == "feed"
    assert [(item.title, item.body) for item in result] == [
        ("Corran mill reopens", "The Corran wool mill reopened with forty jobs."),
        ("Snow closes the Brack pass", ""),
    ]


def test_a_json_array_and_a_json_feed_are_feeds():
    array = json.dumps([{"headline": "Vote count ends", "body": "<p>Counting ended.</p><p>Turnout was low.</p>"}])
    assert [(item.title, item.body) for item in segment(array)] == [("Vote count ends", "Counting ended.\n\nTurnout was low.")]
    json_feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "7", "content_text": "One.\n\nTwo."}]})
    assert [(item.title, item.body) for item in segment(json_feed)] == [(None, "One.\n\nTwo.")]


@pytest.mark.parametrize(
    "page",
    ["{Updated} The council met on Monday.\n\nIt agreed the budget.\n", json.dumps([{"id": 1, "votes": 20}]), "[1, 2]"],
    ids=["brace-in-text", "objects-without-text", "numbers"],
)
def test_json_without_entries_and_text_with_braces_are_not_feeds(page):
    assert segment(page).format == "text"


# --- CLI ------------------------------------------------------------------------


def test_cli_segment_reads_a_feed(capsys):
    assert main(["segment", str(ATOM), "--page-format", "feed"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["title"] for record in records] == [item.title for item in segment(read(ATOM))]


def test_cli_classify_tags_a_feed(capsys):
    assert main(["classify", str(RDF)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "elections" in records[0]["labels"]


def test_cli_feed_format_on_a_text_page_fails_with_the_reason(capsys, tmp_path):
    page = tmp_path / "plain.txt"
    page.write_text("Harvest fair draws crowds\n\nThousands came to Ellery Green.\n", encoding="utf-8")
    assert main(["segment", str(page), "--page-format", "feed"]) == 1
    error = capsys.readouterr().err
    assert f"{page}: --page-format feed expects an RSS or Atom document" in error
    assert "pass --page-format auto to have the format detected" in error and "format='" not in error


@pytest.mark.parametrize("command", ["segment", "classify"])
def test_cli_page_format_offers_feed(capsys, command):
    assert main([command, "--help"]) == 0
    assert "{auto,text,html,feed}" in capsys.readouterr().out
