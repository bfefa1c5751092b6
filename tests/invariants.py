"""What must hold for any segment() or classify() result, whatever the input; a small model.

Shared by the hardening tests, the Hypothesis properties and the atheris fuzz
target (fuzz/fuzz_segment.py), so that all three check the same promises.
"""

from __future__ import annotations

from functools import cache

from newsclass import PageSegmentation, StoryItem, TopicClassifier, TopicPrediction
from newsclass._text import split_lines

SMALL_LABELS = ["energy", "justice"]


@cache
def small_model() -> TopicClassifier:
    """A model of two labels trained in milliseconds, for tests that need a model but not its quality."""
    texts = [
        "Oil prices rose after the cartel cut crude output",
        "The gas pipeline to the coast opened on Monday",
        "The judge jailed the fraudster for six years",
        "The court ruled the search by police unlawful",
        "The striker scored twice in the cup final",
    ]
    labels = [["energy"], ["energy"], ["justice"], ["justice"], []]
    return TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(texts * 4, labels * 4)


def check_segmentation(result: PageSegmentation) -> None:
    """Raise AssertionError unless ``result`` is a consistent segmentation of its own ``text``."""
    text = result.text
    line_count = len(list(split_lines(text)))
    assert len(result.line_roles) == len(result.line_confidences) == line_count
    assert all(0.5 <= confidence <= 1.0 for confidence in result.line_confidences)
    assert len(result.boundary_confidences) == len(result)
    previous_end = -1
    for index, item in enumerate(result):
        assert isinstance(item, StoryItem) and item.index == index
        assert 0 <= item.start <= item.end <= len(text)
        assert 1 <= item.start_line <= item.end_line <= line_count
        assert item.start > previous_end, "items overlap"
        previous_end = item.end
        span = text[item.start : item.end]
        for line in item.body.split("\n"):
            assert line in span, (line, span)
        for part in (item.title, item.caption, item.credit):  # these may join a wrapped line with a space
            assert part is None or all(word in span for word in part.split()), (part, span)


def check_predictions(predictions: list[TopicPrediction], labels: list[str]) -> None:
    """Raise AssertionError unless each prediction scores every label in [0, 1], best labels first."""
    for prediction in predictions:
        assert isinstance(prediction, TopicPrediction)
        assert sorted(prediction.scores) == sorted(labels)
        assert all(0.0 <= score <= 1.0 for score in prediction.scores.values()), prediction.scores
        shown = [prediction.scores[label] for label in prediction.labels]
        assert shown == sorted(shown, reverse=True)
