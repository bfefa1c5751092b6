"""Result types: frozen, and to_dict() round-trips through JSON."""

import dataclasses
import json

import pytest

from newsclass import StoryItem, TopicPrediction, segment


def test_story_item_round_trips_through_json():
    item = StoryItem(index=2, body="Body.\n\nMore.", title="T", caption="C", credit="K", start=5, end=19, start_line=3, end_line=6)
    assert StoryItem.from_dict(json.loads(json.dumps(item.to_dict()))) == item


def test_story_item_is_frozen_and_slotted():
    item = StoryItem(index=0, body="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.body = "y"  # type: ignore[misc]
    assert not hasattr(item, "__dict__")


def test_story_item_text_puts_title_body_caption_in_that_order():
    item = StoryItem(index=0, body="Body", title="Title", caption="Caption")
    assert item.text == "Title\n\nBody\n\nCaption"
    assert StoryItem(index=0, body="Body").text == "Body"


@pytest.mark.parametrize(
    "prediction",
    [
        TopicPrediction(labels=(), scores={"energy": 0.1}),
        TopicPrediction(labels=("energy", "trade"), scores={"energy": 0.9, "trade": 0.7}),
        TopicPrediction(labels=("energy",), scores={"energy": 0.9}, explanation={"energy": (("oil", 0.5), ("opec", 0.25))}),
    ],
    ids=["no-label", "two-labels", "explained"],
)
def test_topic_prediction_round_trips_through_json(prediction):
    assert TopicPrediction.from_dict(json.loads(json.dumps(prediction.to_dict()))) == prediction


def test_topic_prediction_top_is_the_best_label_or_none():
    assert TopicPrediction(labels=("a", "b")).top == "a"
    assert TopicPrediction(labels=()).top is None


def test_page_segmentation_to_dict_lists_items_and_boilerplate(example_page):
    result = segment(example_page)
    data = json.loads(json.dumps(result.to_dict()))
    assert [StoryItem.from_dict(item) for item in data["items"]] == list(result)
    assert [span["start_line"] for span in data["boilerplate"]] == [span.start_line for span in result.boilerplate]
