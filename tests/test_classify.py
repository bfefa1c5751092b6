"""classify(): shapes, options and bad input, on the shipped default model and a tiny one."""

from __future__ import annotations

import threading

import pytest

import newsclass
from newsclass import InputTypeError, InputValueError, StoryItem, TopicPrediction, classify, segment
from newsclass._classify import default_model

from .conftest import SHARED_FIXTURE, needs_shared_fixture, read_gold


def test_one_string_gives_one_prediction():
    prediction = classify("The central bank raised interest rates to tame inflation.")
    assert isinstance(prediction, TopicPrediction)
    assert set(prediction.scores) == set(default_model().classes_)
    assert all(0.0 <= score <= 1.0 for score in prediction.scores.values())
    assert "economy" in prediction.labels


def test_labels_are_best_first_and_pass_their_thresholds():
    prediction = classify("Tariffs on steel imports hit growth as the economy slows and exports fall.")
    scores = [prediction.scores[label] for label in prediction.labels]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("make", [list, tuple, iter], ids=["list", "tuple", "generator"])
def test_iterables_give_a_list_of_the_same_length_and_order(make):
    texts = ["Wildfire forces thousands to flee", "Parliament passes the budget", "Striker signs for a new club"]
    predictions = classify(make(texts))
    assert isinstance(predictions, list) and len(predictions) == 3
    assert [p.to_dict() for p in predictions] == [classify(text).to_dict() for text in texts]


def test_empty_iterable_gives_an_empty_list():
    assert classify([]) == []


def test_story_items_are_read_through_title_body_and_caption():
    item = StoryItem(index=0, title="Reactor restarts", body="The plant will supply power to a million homes.")
    assert classify(item) == classify(item.text)


def test_threshold_and_top_k():
    text = "Floods destroyed homes and crops while the government promised aid and new dams."
    everything = classify(text, threshold=0.0)
    assert len(everything.labels) == len(everything.scores)
    assert classify(text, threshold=1.0).labels == ()
    assert len(classify(text, threshold=0.0, top_k=2).labels) == 2


def test_explain_gives_terms_that_pushed_each_label():
    prediction = classify("Oil and gas prices soared after the pipeline shut.", explain=True)
    assert prediction.explanation is not None
    assert set(prediction.explanation) == set(prediction.labels)
    for terms in prediction.explanation.values():
        assert terms and all(weight > 0 for _term, weight in terms)


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        (None, InputTypeError, "items must be a str, a StoryItem or an iterable of them, not NoneType"),
        (3.5, InputTypeError, "items must be a str, a StoryItem or an iterable of them, not float"),
        (b"bytes", InputTypeError, "items must be a str, a StoryItem or an iterable of them, not bytes"),
        ({"text": "x"}, InputTypeError, r"not dict \(a mapping: pass its text, e\.g\. record\['text'\], or a list of texts\)"),
        (["fine", 7], InputTypeError, "item at position 1 must be str or StoryItem, not int"),
        (["fine", None], InputTypeError, "item at position 1 must be str or StoryItem, not NoneType"),
    ],
    ids=["none", "number", "bytes", "dict", "list-with-int", "list-with-none"],
)
def test_bad_items_raise_with_a_clear_message(items, error, message):
    with pytest.raises(error, match=message):
        classify(items)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threshold": 1.5}, "threshold must be a number from 0 to 1, not 1.5"),
        ({"threshold": "high"}, "threshold must be a number from 0 to 1, not 'high'"),
        ({"top_k": 0}, "top_k must be a positive integer, not 0"),
        ({"model": 42}, "model must be a TopicClassifier, a path to a model file or None, not int"),
    ],
    ids=["threshold-range", "threshold-type", "top-k", "model-type"],
)
def test_bad_options_raise_with_a_clear_message(options, message):
    with pytest.raises((InputValueError, InputTypeError), match=message):
        classify("text", **options)


def test_item_without_letters_still_gets_scores():
    prediction = classify("12345 !!! ---")
    assert set(prediction.scores) == set(default_model().classes_)


def test_default_model_is_loaded_once_and_shared_between_threads():
    models = []
    threads = [threading.Thread(target=lambda: models.append(default_model())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(model) for model in models}) == 1


def test_model_can_be_given_as_a_path():
    text = "Voters head to the polls in a snap election."
    assert classify(text, model=newsclass.default_model_path()) == classify(text)


def test_example_page_items_get_their_gold_topics(example_page):
    # The example digest page is our own text; its gold lists each item's topics.
    from .conftest import EXAMPLES

    gold = read_gold(EXAMPLES / "digest.txt")
    predictions = classify(segment(example_page))
    exact = sum(set(p.labels) == set(g["labels"]) for p, g in zip(predictions, gold["items"]))
    assert exact >= 6, [(p.labels, g["labels"]) for p, g in zip(predictions, gold["items"])]


@needs_shared_fixture
def test_shared_fixture_deportation_and_energy_stories():
    items = segment(SHARED_FIXTURE.read_bytes())
    gold = read_gold(SHARED_FIXTURE)
    predictions = classify(items)
    by_gold = {tuple(g["labels"]): p for g, p in zip(gold["items"], predictions)}
    assert "immigration" in by_gold[("immigration", "justice")].labels
    assert "energy" in by_gold[("energy",)].labels
