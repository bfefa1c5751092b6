"""Tests of the cross-source benchmark's parts that need no corpora (benchmarks/model_benchmark.py
and benchmarks/model_report.py)."""

from __future__ import annotations

import pytest

from benchmarks.model_benchmark import LABELS, parse_settings, tuned_plain_recipe, with_earlier_systems
from benchmarks.model_report import margin_table
from training.sources import LabelledText

_ENERGY = ["Oil prices climb as refiners cut output", "The gas pipeline opens to the coast", "Solar farms feed the grid"]
_JUSTICE = ["The judge jails the fraudster", "A jury acquits the mayor", "The court rules the search unlawful"]
_NEITHER = ["The striker scores twice in the final", "The band plays a farewell tour"]


def _records() -> list[LabelledText]:
    def record(text: str, labels: set[str]) -> LabelledText:
        return LabelledText(text, frozenset(labels), frozenset(), "own", "own")

    rows = [record(t, {"energy"}) for t in _ENERGY] + [record(t, {"justice"}) for t in _JUSTICE] + [record(t, set()) for t in _NEITHER]
    return rows * 8


# Twelve of the taxonomy's labels have no example here: scikit-learn says so for each.
@pytest.mark.filterwarnings("ignore:Label not .* is present in all training examples")
def test_the_tuned_peer_reports_the_c_its_validation_split_chose() -> None:
    trained = tuned_plain_recipe(_records(), quick=True)
    assert trained.chosen["C"] in (1.0, 4.0)  # the quick grid
    predicted = trained.predict(["Oil and gas output cut", "The jury acquits"])
    assert predicted.shape == (2, len(LABELS))
    assert predicted[0, LABELS.index("energy")] and predicted[1, LABELS.index("justice")]


def test_the_margin_table_names_the_best_peers_chosen_settings() -> None:
    splits = {
        "outlets held out": {
            "systems": {
                "tuned plain": {"macro_f1": 0.84, "chosen": {"C": 4.0}},
                "fastText": {"macro_f1": 0.59, "chosen": {"epochs": 25, "learning_rate": 0.5}},
                "newsclass": {"macro_f1": 0.888},
            }
        }
    }
    table = margin_table(splits)
    assert "| outlets held out | 0.8880 | tuned plain (C 4) | 0.8400 | +0.0480 |" in table


def test_settings_are_json_values_by_name() -> None:
    assert parse_settings(["threshold_rule=\"calibrated\"", "lead_tokens=null", "C=8"]) == {
        "threshold_rule": "calibrated", "lead_tokens": None, "C": 8,
    }
    with pytest.raises(SystemExit, match="--set takes NAME=VALUE"):
        parse_settings(["C"])


def test_peers_of_a_run_on_other_data_are_refused(tmp_path) -> None:
    split = {"train_items": 10, "test_items": 5, "systems": {"newsclass": {"macro_f1": 0.9}}}
    earlier = {"weather_review": False, "splits": {"a split": {**split, "systems": {"tuned plain": {"macro_f1": 0.8}}}}}
    reviewed = {"weather_review": True, "splits": {"a split": split}}
    with pytest.raises(SystemExit, match="without --weather-review"):
        with_earlier_systems(reviewed, earlier, tmp_path / "earlier.json")
    merged = with_earlier_systems({**reviewed, "weather_review": False}, earlier, tmp_path / "earlier.json")
    assert set(merged["splits"]["a split"]["systems"]) == {"tuned plain", "newsclass"}
