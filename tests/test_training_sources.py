"""Tests of the training corpora readers and their label mapping (training/sources.py).

The mapping tests need no data. The tests marked ``needs_data`` read ``../shared/data`` and
are skipped when it is not beside the repository. No text of the corpora appears here: the
cleaning tests use made-up strings.
"""

from __future__ import annotations

import collections
import csv

import pytest

from training.sources import (
    ALLSIDES_TAG_MAPPING,
    CAP_MAJOR_TOPIC_MAPPING,
    CAP_SUBTOPIC_MAPPING,
    HUFFPOST_SECTION_MAPPING,
    MAXIMUM_TEXT_LENGTH,
    PROMOTABLE_LABELS,
    REUTERS_TOPIC_MAPPING,
    SOURCE_NAMES,
    TAXONOMY_LABELS,
    TOPIC_VOCABULARY,
    WEATHER_REVIEW,
    LabelledText,
    cap_mapping,
    clean_allsides_lead,
    clean_allsides_title,
    clean_reuters_body,
    clean_reuters_title,
    default_data_dir,
    format_summary,
    join_title_and_body,
    read_all,
    read_allsides,
    read_huffpost,
    read_nyt_cap,
    read_reuters,
    refine_with_vocabulary,
    repair_mojibake,
    reuters_mapping,
    sentence_case_if_shouting,
    summarise,
    truncate_text,
    vocabulary_score,
)

needs_data = pytest.mark.skipif(
    not default_data_dir().exists(), reason="../shared/data is not beside the repository"
)

# Every CAP major topic code of cap_major_topics.csv.
CAP_MAJOR_TOPIC_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 26, 27, 29, 30, 31, 99]

ALL_TABLES = {
    "cap major topic": CAP_MAJOR_TOPIC_MAPPING,
    "cap subtopic": CAP_SUBTOPIC_MAPPING,
    "allsides tag": ALLSIDES_TAG_MAPPING,
    "reuters topic": REUTERS_TOPIC_MAPPING,
    "huffpost section": HUFFPOST_SECTION_MAPPING,
}


def _table_entries() -> list:
    return [
        pytest.param(mapping, id=f"{table_name}:{source_label}")
        for table_name, table in ALL_TABLES.items()
        for source_label, mapping in table.items()
        if mapping is not None
    ]


# --------------------------------------------------------------------------------------------
# Mapping tables (no data needed)
# --------------------------------------------------------------------------------------------


def test_taxonomy_has_the_fourteen_labels():
    assert len(TAXONOMY_LABELS) == 14 and len(set(TAXONOMY_LABELS)) == 14


@pytest.mark.parametrize("mapping", _table_entries())
def test_mapped_labels_are_taxonomy_labels(mapping):
    positives, uncertain = mapping
    assert positives <= set(TAXONOMY_LABELS)
    assert uncertain <= set(TAXONOMY_LABELS)


@pytest.mark.parametrize("mapping", _table_entries())
def test_positives_and_uncertain_are_disjoint(mapping):
    positives, uncertain = mapping
    assert not positives & uncertain


@pytest.mark.parametrize("major_topic", CAP_MAJOR_TOPIC_CODES)
def test_every_cap_major_topic_has_a_mapping(major_topic):
    assert major_topic in CAP_MAJOR_TOPIC_MAPPING


def test_every_cap_subtopic_belongs_to_a_mapped_major_topic():
    for subtopic in CAP_SUBTOPIC_MAPPING:
        assert subtopic // 100 in CAP_MAJOR_TOPIC_MAPPING, subtopic


@pytest.mark.parametrize(
    ("major_topic", "subtopic", "expected_positive"),
    [
        (16, 1619, "conflict"),  # direct war-related issues
        (19, 1927, "conflict"),  # terrorism
        (20, 2012, "elections"),  # campaigns and elections
        (16, 1605, "defence"),  # arms control
        (16, 1605, "diplomacy"),
        (8, 800, "energy"),  # subtopic absent from the override table: major topic's mapping
        (18, 1807, "trade"),  # tariffs and import restrictions
        (26, 2600, "disaster"),
    ],
)
def test_cap_key_subtopics(major_topic, subtopic, expected_positive):
    assert expected_positive in cap_mapping(major_topic, subtopic)[0]


@pytest.mark.parametrize(
    ("major_topic", "subtopic"),
    [
        (4, 401),  # "agricultural trade": farm-market news of every kind in the NYT
        (18, 1800),  # general: Federal Trade Commission cases, protests at summits
        (18, 1808),  # exchange rates: macroeconomy
        (8, 803),  # oil and gas: imports make trade plausible
    ],
)
def test_cap_codes_whose_items_are_often_not_trade_leave_trade_uncertain(major_topic, subtopic):
    positives, uncertain = cap_mapping(major_topic, subtopic)
    assert "trade" not in positives
    assert "trade" in uncertain


def test_the_weather_review_leaves_a_photograph_uncertain_and_a_named_disaster_positive(tmp_path):
    folder = tmp_path / "nyt-cap"
    folder.mkdir()
    rows = [
        ["1", "2001", "26", "Weather", "2600", "A Bright Afternoon", "PHOTO: record warmth in the park"],
        ["2", "2001", "26", "Weather", "2600", "Hurricane Lashes Coast", "storm kills 12 as floods spread"],
        ["3", "2001", "27", "Fires", "2700", "Warehouse Blaze Downtown", "a fire guts an empty building"],
    ]
    with (folder / "nyt_frontpage_cap_1996_2006.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "year", "majortopic", "majortopic_label", "subtopic", "title", "summary"])
        writer.writerows(rows)
    photograph, hurricane, fire = read_nyt_cap(tmp_path, needing_a_name=WEATHER_REVIEW)
    assert (photograph.positives, photograph.uncertain) == (frozenset(), {"disaster", "environment"})
    assert hurricane.positives == {"disaster"} and not hurricane.inferred
    # Only CAP 26 needs the name: a fire (27) stays a positive as the table says.
    assert fire.positives == {"disaster"}
    # The shipped mapping does not apply the review (docs/label_mapping.md says why).
    assert next(read_nyt_cap(tmp_path)).positives == {"disaster"}


def test_cap_relations_with_a_country_is_foreign_news_with_conflict_uncertain():
    positives, uncertain = cap_mapping(19, 1921)
    assert not positives
    assert {"conflict", "diplomacy"} <= uncertain


@pytest.mark.parametrize("major_topic", [23, 29, 30, 31, 99])
def test_culture_sport_obituaries_religion_and_other_get_no_topic(major_topic):
    assert cap_mapping(major_topic, major_topic * 100) == (frozenset(), frozenset())


def test_allsides_tags_are_all_listed():
    assert len(ALLSIDES_TAG_MAPPING) >= 100
    assert ALLSIDES_TAG_MAPPING["general_news"] is None
    assert ALLSIDES_TAG_MAPPING["sports"] == (frozenset(), frozenset())
    positives, uncertain = ALLSIDES_TAG_MAPPING["politics"]
    assert not positives and "government" in uncertain


def test_reuters_codes_combine():
    positives, uncertain = reuters_mapping(["crude", "trade"])
    assert positives == {"energy", "trade"}
    assert "conflict" in uncertain and not positives & uncertain
    assert reuters_mapping(["earn"]) == (frozenset(), frozenset())
    assert reuters_mapping(["money-fx"])[0] == {"economy"}


def test_unknown_source_labels_are_refused():
    with pytest.raises(KeyError):
        reuters_mapping(["not-a-code"])
    with pytest.raises(KeyError):
        cap_mapping(22, 2200)


@pytest.mark.parametrize("section", ["ENTERTAINMENT", "SPORTS", "STYLE & BEAUTY", "FOOD & DRINK", "COMEDY"])
def test_huffpost_lifestyle_sections_get_no_topic(section):
    assert HUFFPOST_SECTION_MAPPING[section] == (frozenset(), frozenset())


def test_vocabulary_covers_the_taxonomy_and_promotable_labels_have_one():
    assert set(TOPIC_VOCABULARY) == set(TAXONOMY_LABELS)
    assert PROMOTABLE_LABELS <= set(TOPIC_VOCABULARY)


# --------------------------------------------------------------------------------------------
# Vocabulary refinement (made-up strings)
# --------------------------------------------------------------------------------------------


def test_idioms_do_not_count_as_war():
    assert vocabulary_score("conflict", "A trade war and a price war over widgets") == 0
    assert vocabulary_score("energy", "Palm oil and soy oil prices") == vocabulary_score("energy", "prices")


def test_uncertain_label_is_promoted_by_a_clear_opening():
    positives, uncertain = refine_with_vocabulary(
        "Rebels shell the capital as insurgents advance\nFighting spread overnight.",
        frozenset(),
        frozenset({"conflict"}),
    )
    assert "conflict" in positives and "conflict" not in uncertain


def test_weak_words_alone_do_not_promote():
    positives, _ = refine_with_vocabulary(
        "Senate votes on the bill\nThe vote followed a debate and another vote.",
        frozenset(),
        frozenset({"elections"}),
    )
    assert "elections" not in positives


def test_negative_label_is_protected_not_promoted():
    positives, uncertain = refine_with_vocabulary(
        "Striker sentenced by court after trial\nThe judge spoke.", frozenset(), frozenset()
    )
    assert "justice" not in positives
    assert "justice" in uncertain


def test_passing_mention_far_into_the_text_is_ignored():
    text = "Local team wins the cup\n" + "The fans celebrated all night. " * 40 + "An election is due."
    assert refine_with_vocabulary(text, frozenset(), frozenset()) == (frozenset(), frozenset())


# --------------------------------------------------------------------------------------------
# Cleaning (made-up strings)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("next Image 1 of 2\nprev Image 2 of 2\nThe council met.", "The council met."),
        ("Enlarge this image toggle caption Jo Roe/AP Jo Roe/AP The council met.", "The council met."),
        ("The council met.\nAdvertisement\nIt voted.", "The council met. It voted."),
        ("SHARE THIS ARTICLE Share Tweet Post Email The council met.", "The council met."),
        ("Washington (CNN) The council met.", "The council met."),
        ("Story highlights The council met.", "The council met."),
        ("The council met (Jo Roe/Reuters) today.", "The council met today."),
        ("The mayor Jane Q. DoeDoe plans a budget Rivals clash over roads MORE said no.", "The mayor said no."),
        ("The council met.\nStory Continued Below\nIt voted.", "The council met. It voted."),
        ("A post — Donald J. Trump (@realDonaldTrump) May 1, 2019\nThe council met.", "The council met."),
    ],
)
def test_allsides_debris_is_removed(lead, expected):
    assert clean_allsides_lead(lead) == expected


def test_allsides_lead_repeating_the_title_loses_the_repetition():
    title = "Council approves the new budget"
    assert clean_allsides_lead(f"{title} The vote was close.", title) == "The vote was close."


def test_allsides_title_loses_opinion_label_and_video_marker():
    assert clean_allsides_title("OPINION: The plan is wrong (+video)") == "The plan is wrong"


def test_mojibake_is_repaired_once_or_twice():
    assert repair_mojibake("the mayorâ€™s plan") == "the mayor’s plan"
    assert repair_mojibake("the mayorÃ¢â‚¬â„¢s plan") == "the mayor’s plan"
    assert repair_mojibake("naïve café") == "naïve café"


def test_reuters_headline_in_capitals_becomes_sentence_case_without_tickers():
    assert clean_reuters_title("ACME <ACM> RAISES OIL OUTPUT") == "Acme raises oil output"
    assert sentence_case_if_shouting("Acme Raises Output") == "Acme Raises Output"


def test_reuters_body_loses_brackets_and_sign_off():
    assert clean_reuters_body("Acme Corp <ACM.N> and <Widget Holdings Ltd> agreed. REUTER") == (
        "Acme Corp and Widget Holdings Ltd agreed."
    )


def test_long_texts_are_truncated_at_a_word_boundary():
    text = join_title_and_body("Title", "word " * 1000)
    assert len(text) <= MAXIMUM_TEXT_LENGTH
    assert not text.endswith("wor")
    assert truncate_text("short") == "short"


def test_summary_counts_positives_uncertain_and_no_topic():
    items = [
        LabelledText("a", frozenset({"trade"}), frozenset({"economy"}), "reuters", "reuters"),
        LabelledText("b", frozenset(), frozenset(), "reuters", "reuters"),
    ]
    summary = summarise(items)
    assert summary["reuters"].items == 2
    assert summary["reuters"].no_topic_items == 1
    assert summary["all"].positives["trade"] == 1 and summary["all"].uncertain["economy"] == 1
    assert "trade" in format_summary(summary)


# --------------------------------------------------------------------------------------------
# The real corpora (skipped without ../shared/data)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_items() -> list[LabelledText]:
    return read_all()


@needs_data
@pytest.mark.parametrize("reader", [read_nyt_cap, read_allsides, read_reuters, read_huffpost], ids=lambda r: r.__name__)
def test_every_source_yields_items(reader):
    first_items = [item for _, item in zip(range(50), reader())]
    assert len(first_items) == 50


@needs_data
def test_every_source_is_in_read_all(all_items):
    counts = collections.Counter(item.source for item in all_items)
    assert set(counts) == set(SOURCE_NAMES)
    assert all(count > 1000 for count in counts.values())


@needs_data
def test_no_text_is_empty_or_too_long(all_items):
    assert all(item.text.strip() for item in all_items)
    assert max(len(item.text) for item in all_items) <= MAXIMUM_TEXT_LENGTH


@needs_data
def test_items_are_consistent(all_items):
    for item in all_items:
        assert not item.positives & item.uncertain
        assert item.positives | item.uncertain <= set(TAXONOMY_LABELS)
        assert item.group == item.source or item.group.startswith("allsides:")


@needs_data
def test_label_counts_are_sane(all_items):
    summary = summarise(all_items)["all"]
    assert summary.positives["energy"] > 1000
    assert summary.positives["conflict"] > 500
    for label in TAXONOMY_LABELS:
        assert summary.positives[label] >= 100, label
    # The "none" examples: sport, culture, lifestyle, company news.
    assert summary.no_topic_items > 10_000


@needs_data
def test_texts_carry_no_known_page_debris(all_items):
    debris = ("toggle caption", "Story Continued Below", "SHARE THIS ARTICLE", "next Image 1 of")
    allsides = [item.text for item in all_items if item.source == "allsides"]
    for marker in debris:
        assert sum(marker in text for text in allsides) == 0, marker


@needs_data
def test_inferred_positives_are_a_subset_of_positives(all_items):
    assert all(item.inferred <= item.positives for item in all_items)
    assert sum(bool(item.inferred) for item in all_items) > 1000


# --------------------------------------------------------------------------------------------
# The project's own fully labelled items (no data needed: they live in training/data)
# --------------------------------------------------------------------------------------------


def test_own_items_cover_every_label_and_the_no_topic_case():
    from training.sources import read_own_labelled

    items = read_own_labelled()
    counts = collections.Counter(label for item in items for label in item.positives)
    assert sorted(counts) == sorted(TAXONOMY_LABELS)
    assert min(counts.values()) >= 15, counts
    assert sum(not item.positives for item in items) >= 30
    assert sum(len(item.positives) > 1 for item in items) >= 100


def test_own_items_are_kept_apart_from_the_quality_set():
    from newsclass._train import read_labelled_csv
    from training.sources import read_own_labelled

    from .conftest import REPOSITORY

    quality = read_labelled_csv(REPOSITORY / "tests" / "data" / "quality_set.csv")
    normalised = {" ".join(text.lower().split()) for text in quality.texts}
    assert not [item.text for item in read_own_labelled() if " ".join(item.text.lower().split()) in normalised]


def test_own_items_weigh_more_and_have_no_uncertain_label():
    from training.train_default import OWN_ITEM_WEIGHT, training_arrays

    corpus_item = LabelledText("Rebels shell the city", frozenset({"conflict"}), frozenset({"diplomacy"}), "nyt-cap", "nyt-cap")
    own_item = LabelledText("Rebels shell the town", frozenset({"conflict"}), frozenset(), "own", "own")
    weights = training_arrays([corpus_item, own_item]).weights
    diplomacy = sorted(TAXONOMY_LABELS).index("diplomacy")
    assert weights[0, diplomacy] == 0 and weights[0].max() == 1
    assert (weights[1] == OWN_ITEM_WEIGHT).all()


def test_long_items_of_long_text_sources_also_train_as_their_short_view():
    from training.train_default import SHORT_VIEW_WORDS, training_arrays

    body = "Hundreds are feared dead after the quake, Mr. Vance said. " + "Rescuers dig through the night. " * 20
    long_item = LabelledText("Quake hits city\n" + body, frozenset({"disaster"}), frozenset({"health"}), "allsides", "allsides:x")
    short_item = LabelledText("Quake hits city\nHundreds are feared dead.", frozenset({"disaster"}), frozenset(), "allsides", "allsides:x")
    headline = LabelledText("Quake hits city\n" + body, frozenset({"disaster"}), frozenset(), "nyt-cap", "nyt-cap")
    texts, labels, weights, groups = training_arrays([long_item, short_item, headline])
    assert texts[3:] == ["Quake hits city Hundreds are feared dead after the quake, Mr. Vance said."]
    assert labels[3] == ("disaster",) and (weights[3] == weights[0]).all()  # the item's labels and weights
    assert list(groups) == [0, 1, 2, 0]  # and its group: validation holds them out together
    assert len(texts[3].split()) <= SHORT_VIEW_WORDS
    assert len(training_arrays([long_item], short_views=False)[0]) == 1


def test_the_model_card_fingerprints_the_files_trained_on_and_not_the_candidates(tmp_path):
    from training.train_default import file_fingerprints

    corpora, own = tmp_path / "data", tmp_path / "own"
    (corpora / "nyt-cap").mkdir(parents=True)
    (own / "candidates").mkdir(parents=True)
    (corpora / "nyt-cap" / "items.csv").write_text("id,title\n1,a\n", encoding="utf-8")
    (own / "own_items.csv").write_text("id,text,labels\n1,a,\n2,b,\n", encoding="utf-8")
    (own / "candidates" / "own_candidate.csv").write_text("id,text,labels\n1,c,\n", encoding="utf-8")
    fingerprints = file_fingerprints(corpora, own)
    assert [(entry["path"], entry["rows"]) for entry in fingerprints] == [("nyt-cap/items.csv", 1), ("own_items.csv", 2)]
