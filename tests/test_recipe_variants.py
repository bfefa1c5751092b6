"""Tests of the recipe experiments' data option (benchmarks/recipe_variants.py); no corpora needed."""

from __future__ import annotations

import argparse

import pytest

from benchmarks.recipe_variants import demote_unnamed, main, parse_labels, with_lead_combination
from training.sources import TAXONOMY_LABELS, LabelledText


def _war_story(text: str) -> LabelledText:
    return LabelledText(text, frozenset({"conflict"}), frozenset({"defence", "diplomacy", "justice"}), "nyt-cap", "nyt-cap")


def test_an_uncertain_label_the_opening_does_not_name_becomes_a_negative() -> None:
    (story,) = demote_unnamed([_war_story("Rebels shell the city as fighting spreads to the north")], frozenset({"defence", "diplomacy"}))
    assert story.positives == {"conflict"}
    # Only the labels asked for are demoted: justice stays uncertain.
    assert story.uncertain == {"justice"}


def test_an_uncertain_label_the_opening_names_stays_uncertain() -> None:
    (story,) = demote_unnamed([_war_story("The army shells the city; the ambassador is recalled")], frozenset({"defence", "diplomacy"}))
    assert story.uncertain == {"defence", "diplomacy", "justice"}


def test_no_labels_leaves_the_records_as_they_are() -> None:
    records = [_war_story("Rebels shell the city")]
    assert demote_unnamed(records, frozenset()) == records


def test_parse_labels_takes_all_or_taxonomy_labels_and_names_the_unknown() -> None:
    assert parse_labels("all") == frozenset(TAXONOMY_LABELS)
    assert parse_labels("defence,diplomacy") == {"defence", "diplomacy"}
    with pytest.raises(argparse.ArgumentTypeError, match="defense"):
        parse_labels("defense,diplomacy")


def test_demote_where_changes_only_items_with_one_of_those_positives() -> None:
    peace_story = LabelledText("Leaders sign an accord", frozenset({"diplomacy"}), frozenset({"defence"}), "nyt-cap", "nyt-cap")
    war_story = _war_story("Rebels shell the city")
    demoted = demote_unnamed([peace_story, war_story], frozenset({"defence"}), where=frozenset({"conflict"}))
    assert demoted[0] == peace_story
    assert demoted[1].uncertain == {"diplomacy", "justice"}


def test_a_lead_only_model_scores_a_long_text_by_its_lead() -> None:
    from newsclass import TopicClassifier

    texts = ["oil output cut again", "court ruling on bail", "oil prices rise fast", "a court hears the case"] * 5
    labels = [["energy"], ["justice"], ["energy"], ["justice"]] * 5
    recipe = TopicClassifier(min_df=1, max_df=1.0, lead_tokens=2, validation_fraction=0)
    lead_only = with_lead_combination(recipe, "lead").fit(texts, labels)
    # Past its lead ("oil prices") a text's words no longer count; the recipe's maximum takes them.
    assert lead_only.decision_function(["oil prices court ruling court case"]).tolist() == lead_only.decision_function(["oil prices"]).tolist()
    recipe.fit(texts, labels)
    assert recipe.decision_function(["oil prices court ruling court case"])[0, 1] > recipe.decision_function(["oil prices"])[0, 1]
    assert with_lead_combination(recipe, "max") is recipe


def test_defence_outside_fighting_reviews_corpus_war_stories_only() -> None:
    from benchmarks.recipe_variants import defence_outside_fighting

    fighting = LabelledText("Troops and the Pentagon: airstrikes hit the rebels", frozenset({"conflict", "defence"}), frozenset(), "allsides", "allsides:x")
    unnamed = _war_story("Rebels shell the city as fighting spreads to the north")
    budget = LabelledText("The Pentagon budget grows", frozenset({"defence"}), frozenset({"conflict"}), "nyt-cap", "nyt-cap")
    own = LabelledText("Rebels shell the city", frozenset({"conflict", "defence"}), frozenset(), "own", "own")
    reviewed = defence_outside_fighting([fighting, unnamed, budget, own])
    # A named defence in a war story becomes uncertain; an unnamed one a negative.
    assert (reviewed[0].positives, reviewed[0].uncertain) == ({"conflict"}, {"defence"})
    assert reviewed[1].uncertain == {"diplomacy", "justice"}
    # Stories without fighting and hand-labelled items keep their labels.
    assert reviewed[2:] == [budget, own]


def test_the_summary_gives_every_label_or_only_those_under_the_target() -> None:
    import numpy as np

    from benchmarks.recipe_variants import LABELS, summary

    energy, trade = LABELS.index("energy"), LABELS.index("trade")
    truth = np.zeros((40, len(LABELS)), dtype=bool)
    truth[:30, energy] = True  # 30 positives, of which the model finds 10: F1 0.5
    truth[30:, trade] = True  # 10 positives, all found
    predicted = truth.copy()
    predicted[:20, energy] = False
    known = np.ones_like(truth)
    energy_figures = {"f1": 0.5, "precision": 1.0, "recall": 0.333}
    assert summary(truth, known, predicted)["below_target"] == {"energy": energy_figures}
    every = summary(truth, known, predicted, every_label=True)
    assert every["labels"] == {"energy": energy_figures, "trade": {"f1": 1.0, "precision": 1.0, "recall": 1.0}}


def test_without_weather_items_needs_the_weather_review(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--split", "1", "--without-weather-items"])
    assert stop.value.code == 2  # refused before any corpus is read
    assert "--without-weather-items goes with --weather-review" in capsys.readouterr().err
