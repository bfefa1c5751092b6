"""Scoring predicted label sets (newsclass._evaluate.score_label_sets); no model needed."""

from __future__ import annotations

from newsclass._evaluate import score_label_sets

LABELS = ["disaster", "energy", "trade"]


def test_the_macro_average_leaves_out_labels_neither_in_the_truth_nor_predicted() -> None:
    truth = [("disaster",), (), ("disaster",), ()]
    predicted = [("disaster",), (), ("disaster",), ("disaster",)]
    per_label, micro, macro = score_label_sets(truth, predicted, LABELS)
    assert per_label["disaster"].f1 == 0.8
    # energy and trade occur nowhere: the macro average is disaster's alone, not (0.8 + 0 + 0) / 3.
    assert macro.f1 == micro.f1 == 0.8


def test_a_label_predicted_without_support_counts_against_the_macro_average() -> None:
    truth = [("disaster",), ()]
    predicted = [("disaster",), ("energy",)]
    per_label, _, macro = score_label_sets(truth, predicted, LABELS)
    assert per_label["energy"].f1 == 0.0
    assert macro.f1 == 0.5
    assert macro.support == 1
