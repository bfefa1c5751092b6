"""segment() on feeds: RSS 2.0, RSS 1.0/RDF, Atom and JSON dumps of entries; their safety and the CLI."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.segmentation import synthetic_feed
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


def meta_lines_of(result) -> list[str]:
    return [line for line, role in zip(result.text.split("\n"), result.line_roles) if role == "meta"]


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
    meta_lines = meta_lines_of(result)
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
    assert "{auto,text,html,markdown,feed}" in capsys.readouterr().out


# --- Namespace prefixes ---------------------------------------------------------

PREFIXED_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<a:feed xmlns:a="http://www.w3.org/2005/Atom">
  <a:title>Dunmarra Herald</a:title>
  <a:entry>
    <a:title>Dunmarra ferry fares held for a year</a:title>
    <a:updated>2031-06-02T07:00:00Z</a:updated>
    <a:author><a:name>Ilse Marrow</a:name></a:author>
    <a:content type="html">&lt;p&gt;Fares on the Dunmarra ferry will not rise next year.&lt;/p&gt;</a:content>
  </a:entry>
</a:feed>"""


def test_atom_with_a_namespace_prefix_is_read_by_local_names():
    result = segment(PREFIXED_ATOM)
    assert result.format == "feed"
    assert [(item.title, item.body) for item in result] == [
        ("Dunmarra ferry fares held for a year", "Fares on the Dunmarra ferry will not rise next year.")
    ]
    meta_lines = meta_lines_of(result)
    assert meta_lines == ["2031-06-02T07:00:00Z", "Ilse Marrow"]
    assert [span.text for span in result.boilerplate] == ["Dunmarra Herald"]
    assert "<" not in result.text


def test_rss_1_items_with_a_prefix_and_media_under_another_prefix_are_read():
    page = (
        '<r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:n="http://purl.org/rss/1.0/" '
        'xmlns:pic="http://search.yahoo.com/mrss/"><n:channel><n:title>Osk Weekly</n:title></n:channel>'
        "<n:item><n:title>Osk mill sold</n:title><n:description>The Osk paper mill has a new owner.</n:description>"
        "<pic:credit>Tam Rook/Osk Weekly</pic:credit></n:item></r:RDF>"
    )
    (item,) = segment(page)
    assert (item.title, item.body, item.credit) == ("Osk mill sold", "The Osk paper mill has a new owner.", "Tam Rook/Osk Weekly")


def test_a_prefixed_feed_element_outside_the_atom_namespace_is_not_a_feed():
    assert segment('<x:feed xmlns:x="urn:example:stock"><p>Stock list.</p></x:feed>').format != "feed"


# --- Broken and wrapped JSON ------------------------------------------------------


def _json_lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_a_cut_off_json_line_costs_only_itself_with_a_warning(caplog):
    page = _json_lines(
        json.dumps({"title": "Pellow baths close", "body": "Pellow baths closed for repairs."}),
        '{"title": "Cut off", "body": "Wexham road reo',
        json.dumps({"title": "Marnie fair returns", "body": "Marnie fair returns in June."}),
    )
    with caplog.at_level(logging.WARNING, logger="newsclass"):
        result = segment(page)
    assert result.format == "feed"
    assert [item.title for item in result] == ["Pellow baths close", "Marnie fair returns"]
    assert re.search(r"line 2 of the JSON Lines dump is not valid JSON \(Unterminated string.*: column \d+\): it was skipped", caplog.text)


def test_json_nested_past_the_recursion_limit_is_invalid_json_not_a_crash(caplog):
    deep = "[" * 100_000  # json.loads raises RecursionError on it
    assert segment(deep).format == "text"
    page = _json_lines(
        json.dumps({"title": "Pellow baths close", "body": "Pellow baths closed for repairs."}),
        deep,
        json.dumps({"title": "Marnie fair returns", "body": "Marnie fair returns in June."}),
    )
    with caplog.at_level(logging.WARNING, logger="newsclass"):
        result = segment(page)
    assert [item.title for item in result] == ["Pellow baths close", "Marnie fair returns"]
    assert "line 2 of the JSON Lines dump is not valid JSON (nested too deeply): it was skipped" in caplog.text


def test_cli_forcing_the_feed_format_names_a_bad_json_line(capsys, caplog, tmp_path):
    page = tmp_path / "dump.jsonl"
    page.write_text(_json_lines("", json.dumps({"title": "Avon lock mended"}), '{"title": "Half'), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsclass"):  # the CLI logs warnings to stderr
        assert main(["segment", str(page), "--page-format", "feed"]) == 0
    assert [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()] == ["Avon lock mended"]
    assert "line 3 of the JSON Lines dump is not valid JSON" in caplog.text


@pytest.mark.parametrize(
    "page",
    [
        _json_lines('{"note": "Quarry vote"} was pasted by mistake.', "", "Wenbury quarry vote delayed again."),
        _json_lines(json.dumps({"title": "Only this line parses"}), "{Updated} Rain stops play at Colby.", "{Later} Play resumes."),
    ],
    ids=["json-then-text", "one-entry-among-brace-lines"],
)
def test_text_whose_lines_are_mostly_not_json_entries_stays_text(page):
    assert segment(page).format == "text"


def test_forcing_the_feed_format_on_json_lines_without_entries_names_the_first_bad_line():
    with pytest.raises(InputValueError, match=r"expects a JSON dump of entries .* but line 1 of the JSON Lines dump "
                       r"is not valid JSON .*pass format='auto' to read the page as text"):
        segment("{Updated} Rain stops play at Colby.\n{Later} Play resumes.\n", format="feed")


def test_a_json_array_keeps_its_entries_and_warns_about_the_rest(caplog):
    page = json.dumps([{"title": "Rook bridge shut", "body": "Rook bridge shut for inspection."}, "stray", 7, {"id": 9}])
    with caplog.at_level(logging.WARNING, logger="newsclass"):
        result = segment(page)
    assert [item.title for item in result] == ["Rook bridge shut"]
    assert "element 2 of the JSON array is a string, not an entry: it was skipped" in caplog.text
    assert "element 3 of the JSON array is a number, not an entry" in caplog.text
    assert "element 4 of the JSON array is an object with no title or text field, not an entry" in caplog.text


@pytest.mark.parametrize(
    "document",
    [
        {"data": {"articles": [{"title": "Fenby fete", "description": "Fenby fete raised £700."}]}},
        {"status": "ok", "results": [{"title": "Fenby fete", "description": "Fenby fete raised £700."}]},
    ],
    ids=["two-levels-down", "one-level-down"],
)
def test_a_wrapped_list_of_entries_is_found(document):
    assert [(item.title, item.body) for item in segment(json.dumps(document))] == [("Fenby fete", "Fenby fete raised £700.")]


def test_forcing_the_feed_format_on_json_without_entries_says_where_it_looked():
    page = json.dumps({"data": {"stations": [{"id": 4, "level": 2.5}]}})
    assert segment(page).format == "text"
    with pytest.raises(InputValueError, match=r"but the JSON object \(keys \['data'\]\) has no title or text field and no "
                       r"list of such objects at its top level or one or two levels down"):
        segment(page, format="feed")


# --- Nested JSON fields -----------------------------------------------------------


def test_nested_json_bodies_pictures_dates_and_authors_are_read():
    records = [
        {
            "headline": "Tarrow marsh geese count doubles",
            "body": {"paragraphs": ["Counters found 9,000 geese on Tarrow marsh.", "<p>It is the <b>highest</b> count yet.</p>"]},
            "image": {"url": "g.jpg", "caption": "Geese over Tarrow marsh.", "credit": "Nils Orde/Marsh Post"},
            "published": "2031-04-02",
            "authors": [{"name": "Nils Orde"}, {"name": "Ama Vey"}],
        },
        {"title": "Holt depot to shut", "content": [{"type": "paragraph", "text": "Holt depot shuts in May."}, {"type": "image"}, {"text": "Staff move to Brenn."}]},
        {"title": {"rendered": "Quay works end"}, "content": {"rendered": "<p>Quay works ended on Friday.</p>"}, "author": "Pim Sade"},
    ]
    result = segment(json.dumps(records))
    geese, depot, quay = result
    assert geese.body == "Counters found 9,000 geese on Tarrow marsh.\n\nIt is the highest count yet."
    assert (geese.caption, geese.credit) == ("Geese over Tarrow marsh.", "Nils Orde/Marsh Post")
    assert depot.body == "Holt depot shuts in May.\n\nStaff move to Brenn."
    assert (quay.title, quay.body) == ("Quay works end", "Quay works ended on Friday.")
    meta_lines = meta_lines_of(result)
    assert meta_lines == ["2031-04-02", "Nils Orde, Ama Vey", "Pim Sade"]
    check_segmentation(result)


def test_a_json_feed_keeps_its_dates_and_authors_as_meta_lines():
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "title": "Brill lido reopens", "content_text": "The lido reopened.", "date_published": "2031-07-01T08:00:00Z",
         "authors": [{"name": "Cleo Varn", "url": "https://brill.example/cleo"}]},
    ]}
    result = segment(json.dumps(feed))
    meta_lines = meta_lines_of(result)
    assert meta_lines == ["2031-07-01T08:00:00Z", "Cleo Varn"]


def test_a_body_field_of_an_unreadable_shape_is_warned_about(caplog):
    page = json.dumps([{"title": "Vell tide table", "body": {"rows": [[1, 2], [3, 4]]}}])
    with caplog.at_level(logging.WARNING, logger="newsclass"):
        (item,) = segment(page)
    assert (item.title, item.body) == ("Vell tide table", "")
    assert "element 1 of the JSON array: its 'body' field is an object with no text in a form newsclass reads" in caplog.text


# --- Blog feeds, figure credits, podcasts, media groups ---------------------------

BLOG_ITEM = """<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Oxley Courant</title>
<item><title>Oxley tram line reopens</title>
<media:content url="t.jpg"><media:description>A tram at Oxley Cross on Monday.</media:description>
<media:credit>Rhys Palk/Oxley Courant</media:credit></media:content>
<content:encoded><![CDATA[<figure><img src="t.jpg"><figcaption>A tram at Oxley Cross. Photo: Rhys Palk/Oxley Courant</figcaption></figure>
<p>The Oxley tram line reopened on Monday after&nbsp;a month of track repairs.</p>
<p><a href="https://oxley.example/tram#more">Continue reading<span class="screen-reader-text"> "Oxley tram line reopens after a month of repairs"</span></a></p>
<p>The post <a href="https://oxley.example/tram">Oxley tram line reopens</a> appeared first on <a href="https://oxley.example">Oxley Courant</a>.</p>]]></content:encoded>
</item>
<item><title>Library hours extended</title>
<description><![CDATA[Oxley library will open on Sundays from May. <a href="https://oxley.example/library">Continue reading <span class="meta-nav">&rarr;</span></a>]]></description>
</item></channel></rss>"""


def test_a_blog_feed_keeps_one_caption_and_credit_and_drops_its_footer_links():
    result = segment(BLOG_ITEM)
    tram, library = result
    assert (tram.caption, tram.credit) == ("A tram at Oxley Cross.", "Photo: Rhys Palk/Oxley Courant")
    assert tram.body == "The Oxley tram line reopened on Monday after a month of track repairs."
    assert library.body == "Oxley library will open on Sundays from May."
    boilerplate = [span.text for span in result.boilerplate]
    assert boilerplate[1:] == [
        'Continue reading "Oxley tram line reopens after a month of repairs"',
        "The post Oxley tram line reopens appeared first on Oxley Courant.",
        "Continue reading",
    ]
    assert "→" not in result.text
    check_segmentation(result)


def test_a_sentence_that_opens_like_a_read_on_link_stays_in_the_entry():
    sentence = "Continue reading the report, the minister said, and you will see why the plan failed…"
    page = BLOG_ITEM.replace("Oxley library will open on Sundays from May.", f"Oxley library will open on Sundays from May. {sentence}")
    _tram, library = segment(page)
    assert library.body == f"Oxley library will open on Sundays from May. {sentence}"


def test_media_caption_and_credit_fill_in_when_the_text_has_none():
    page = BLOG_ITEM.replace("<figure><img src=\"t.jpg\"><figcaption>A tram at Oxley Cross. Photo: Rhys Palk/Oxley Courant</figcaption></figure>", "")
    tram, _library = segment(page)
    assert (tram.caption, tram.credit) == ("A tram at Oxley Cross on Monday.", "Rhys Palk/Oxley Courant")


@pytest.mark.parametrize(
    "figure, caption, credit",
    [
        ("<figcaption>Walkers on Brede pier.<br>Photo: Lisl Hume/Brede Echo</figcaption>", "Walkers on Brede pier.", "Photo: Lisl Hume/Brede Echo"),
        ("<figcaption>The new lifeboat at Brede.<br>Aron Tell/Brede Echo</figcaption>", "The new lifeboat at Brede.", "Aron Tell/Brede Echo"),
    ],
    ids=["credit-lead", "slash-credit"],
)
def test_a_figcaption_credit_after_a_line_break_is_the_credit(figure, caption, credit):
    page = (f"<rss><channel><item><title>Brede news</title><description><![CDATA[<figure><img src='b.jpg'>{figure}"
            "</figure><p>Brede pier reopened on Sunday.</p>]]></description></item></channel></rss>")
    (item,) = segment(page)
    assert (item.caption, item.credit, item.body) == (caption, credit, "Brede pier reopened on Sunday.")


def test_a_podcast_episode_without_a_description_takes_its_itunes_summary():
    page = (
        '<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Fallow Hour</title>'
        "<itunes:summary>The show about Fallow.</itunes:summary>"
        "<item><title>Ep 4: The Fallow bypass</title><itunes:subtitle>The bypass vote.</itunes:subtitle>"
        "<itunes:summary>Fallow votes on the bypass on Friday.</itunes:summary></item>"
        "<item><title>Ep 3: Flood defences</title><itunes:subtitle>Fallow's new flood wall.</itunes:subtitle></item>"
        "<item><title>Ep 2: Market day</title><description>Stalls return to Fallow square.</description>"
        "<itunes:summary>Not this one.</itunes:summary></item></channel></rss>"
    )
    assert [item.body for item in segment(page)] == [
        "Fallow votes on the bypass on Friday.", "Fallow's new flood wall.", "Stalls return to Fallow square."
    ]


def test_a_media_group_gives_the_first_pictures_caption_and_credit():
    page = (
        '<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>Kelby carnival</title>'
        "<media:group><media:content url='1.jpg'><media:description>Dancers on Kelby Street.</media:description>"
        "<media:credit>Ona Pike/Kelby Daily</media:credit></media:content>"
        "<media:content url='2.jpg'><media:description>Drummers in the square.</media:description>"
        "<media:credit>Sol Tarn/Kelby Daily</media:credit></media:content></media:group>"
        "<description>Thousands watched the Kelby carnival.</description></item></channel></rss>"
    )
    (item,) = segment(page)
    assert (item.caption, item.credit) == ("Dancers on Kelby Street.", "Ona Pike/Kelby Daily")


# --- Text of fields ---------------------------------------------------------------


def test_an_atom_author_is_its_name_without_the_email():
    page = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Gorse fire out</title>'
        "<author><name>Bea Lorn</name><email>bea@heath.example</email><uri>https://heath.example/bea</uri></author>"
        "<contributor><name>Ned Isk</name></contributor><summary>The Orme heath fire is out.</summary></entry></feed>"
    )
    result = segment(page)
    meta_lines = meta_lines_of(result)
    assert meta_lines == ["Bea Lorn"]
    assert "bea@" not in result.text


def test_a_date_field_with_child_elements_keeps_their_texts_apart():
    page = "<rss><channel><item><title>Tide turns</title><dc:creator><first>Ula</first><last>Brenn</last></dc:creator></item></channel></rss>"
    result = segment(page)
    assert "Ula Brenn" in result.text.split("\n")


def test_double_escaped_references_are_resolved_once_in_titles_bodies_and_the_channel():
    page = (
        "<rss><channel><title>Orme &amp;amp; District News</title>"
        "<item><title>Orme&amp;#8217;s harbour &amp;amp; quay</title>"
        "<description>Orme&amp;#8217;s quay reopens; the sign says &amp;amp;amp;.</description></item></channel></rss>"
    )
    result = segment(page)
    (item,) = result
    assert item.title == "Orme’s harbour & quay"
    assert item.body == "Orme’s quay reopens; the sign says &amp;."  # resolved once, not repeatedly
    assert result.boilerplate[0].text == "Orme & District News"


def test_non_breaking_spaces_are_normalised_in_bodies_keeping_paragraphs():
    page = ("<rss><channel><item><title>Bell\u00a0tower</title><description><![CDATA[<p>The bell tower in Ashmoor\u00a0reopened.</p>"
            "<p>Ringers\u00a0\u00a0returned.</p>]]></description></item></channel></rss>")
    (item,) = segment(page)
    assert (item.title, item.body) == ("Bell tower", "The bell tower in Ashmoor reopened.\n\nRingers returned.")


def test_every_entry_of_a_10000_entry_feed_is_an_item():
    # Its speed is measured by the benchmark (python benchmarks/segmentation.py --timing), not here.
    result = segment(synthetic_feed(10_000))
    assert len(result) == 10_000
    assert (result[9_999].title, result[9_999].body) == ("Story 9999 from Carrow", "Carrow council met for the 9999th time on Monday.\n\nIt agreed a budget.")


# --- Repeated entries ---------------------------------------------------------

MILL = {"title": "Corran mill reopens", "summary": "The Corran wool mill reopened with forty jobs."}
PASS = {"title": "Snow closes the Brack pass", "summary": "The Brack pass closed on Sunday night."}


@pytest.mark.parametrize(
    "page",
    [
        "\n".join(json.dumps(record) for record in (MILL, PASS, MILL)),
        "<rss><channel>" + "".join(
            f"<item><title>{record['title']}</title><description>{record['summary']}</description></item>"
            for record in (MILL, PASS, MILL)
        ) + "</channel></rss>",
    ],
    ids=["json-lines", "rss"],
)
def test_an_entry_posted_again_is_a_duplicate_not_a_second_item(page):
    result = segment(page)
    assert [(item.title, item.body) for item in result] == [
        (MILL["title"], MILL["summary"]), (PASS["title"], PASS["summary"]),
    ]
    assert [(span.kind, span.text) for span in result.boilerplate] == [
        ("duplicate", MILL["title"]), ("duplicate", MILL["summary"]),
    ]
    assert result.line_roles.count("duplicate") == 2


@pytest.mark.parametrize(
    "later",
    [
        {"title": MILL["title"], "summary": "Forty weavers started work at the Corran mill on Monday."},
        {"title": "Corran mill hires forty", "summary": MILL["summary"]},
        {**MILL, "date_published": "2031-05-02"},
    ],
    ids=["same-title-new-text", "same-text-new-title", "same-entry-with-a-date"],
)
def test_an_entry_that_differs_from_an_earlier_one_stays_an_item(later):
    result = segment("\n".join(json.dumps(record) for record in (MILL, later)))
    assert len(result) == 2
    assert "duplicate" not in result.line_roles


def test_an_entry_field_of_markup_alone_adds_no_line():
    # Found by the property test above: a title "<A" rendered to an empty line past the text's end.
    page = "<rss><channel><title>Wren Post</title><item><title><A</title><description></description></item>"
    result = segment(page, format="feed")
    check_segmentation(result)
    assert result.text == "Wren Post" and not result.items
