"""The quality gate: the shipped model on the project's own labelled set, against pinned floors.

The floors, and the hashes of the data and the model they were measured on, live in
tests/data/quality_floors.json; `python -m training.quality_floors --update` re-pins them after
a retrain, and lowering a floor is an explicit change in review.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from newsclass import default_model_path
from newsclass._evaluate import evaluate
from training.quality_floors import fixture_label_sets

from .conftest import REPOSITORY, needs_shared_fixture

DATA = REPOSITORY / "tests" / "data"
PINNED = json.loads((DATA / "quality_floors.json").read_text(encoding="utf-8"))
TAXONOMY = ["conflict", "defence", "diplomacy", "disaster", "economy", "elections", "energy",
            "environment", "government", "health", "immigration", "justice", "technology", "trade"]


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(None, DATA / "quality_set.csv")


def test_floors_were_measured_on_this_data_and_this_model():
    assert PINNED["quality_set_sha256"] == hashlib.sha256((DATA / "quality_set.csv").read_bytes()).hexdigest()
    assert PINNED["model_sha256"] == hashlib.sha256(default_model_path().read_bytes()).hexdigest(), (
        "the default model changed: run `python -m training.quality_floors --update` and review the floors"
    )


def test_every_taxonomy_label_has_a_floor():
    assert sorted(set(PINNED["floors"]) - {"macro"}) == TAXONOMY


@pytest.mark.parametrize("label", TAXONOMY + ["macro"])
def test_label_meets_its_floor(evaluation, label):
    scores = evaluation.macro if label == "macro" else evaluation.labels[label]
    assert scores.f1 >= PINNED["floors"][label], f"{label}: F1 {scores.f1:.3f} below the floor {PINNED['floors'][label]}"


def test_routine_forecasts_stay_untagged_and_weather_disasters_tagged():
    # The weather set: 36 routine forecasts (no label) and 24 weather disasters, written blind to
    # the training items. Its disaster F1 is pinned like the floors above; the shipped model still
    # tags many forecasts (docs/benchmarks.md, "Weather forecasts"), so a fix raises this floor.
    pinned = PINNED["weather_set"]
    assert pinned["sha256"] == hashlib.sha256((DATA / "weather_set.csv").read_bytes()).hexdigest()
    f1 = evaluate(None, DATA / "weather_set.csv").labels["disaster"].f1
    assert f1 >= pinned["floor"], f"weather set: disaster F1 {f1:.3f} below the floor {pinned['floor']}"


# The target of the model issue: at least 7 of the fixture page's 8 items get exactly their gold set.
FIXTURE_TARGET = 7


@pytest.fixture(scope="module")
def fixture_outcome():
    pairs = fixture_label_sets()
    return sum(predicted == expected for predicted, expected in pairs), pairs


@needs_shared_fixture
def test_shared_fixture_page_does_not_regress(fixture_outcome):
    exact, pairs = fixture_outcome
    assert exact >= PINNED["fixture_exact_items"], pairs


@needs_shared_fixture
@pytest.mark.xfail(
    PINNED["fixture_exact_items"] < FIXTURE_TARGET,
    reason=f"open target: {PINNED['fixture_exact_items']} of 8 fixture items exact today, {FIXTURE_TARGET} wanted",
    strict=True,
)
def test_shared_fixture_reaches_the_target(fixture_outcome):
    exact, pairs = fixture_outcome
    assert exact >= FIXTURE_TARGET, pairs
