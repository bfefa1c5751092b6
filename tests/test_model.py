"""TopicClassifier follows the scikit-learn contract; model files are safe, versioned and exact."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.class_weight import compute_class_weight

import newsclass
from newsclass import (
    InputTypeError,
    ModelFileError,
    ModelNotFoundError,
    ModelVersionWarning,
    TopicClassifier,
    load_model,
    save_model,
)
from newsclass._model import _best_threshold, _calibrated_threshold, _groups, _stratified_folds, _stratified_splits
from newsclass._persist import load_scorer, model_bytes
from newsclass._train import read_labelled_csv

from .conftest import EXAMPLES

FORMAT_FIXTURES = Path(__file__).parent / "data"

TEXTS = [
    "Oil prices rose after the cartel cut crude output",
    "The gas pipeline to the coast opened on Monday",
    "Wind farms and solar panels supply a third of power",
    "The judge jailed the fraudster for six years",
    "The court ruled the search by police unlawful",
    "Jury acquits the mayor of bribery charges",
    "The striker scored twice in the cup final",
    "The band announced a farewell tour",
    "Refinery fire sends petrol prices higher and the court hears the case",
]
LABELS = [["energy"], ["energy"], ["energy"], ["justice"], ["justice"], ["justice"], [], [], ["energy", "justice"]]


@pytest.fixture(scope="module")
def model() -> TopicClassifier:
    return TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)


def test_init_only_stores_parameters():
    estimator = TopicClassifier(C=2.0, min_df=3)
    assert estimator.get_params()["C"] == 2.0
    assert not [name for name in vars(estimator) if name.endswith("_")]
    assert clone(estimator).get_params() == estimator.get_params()


def test_fit_returns_self_and_sets_learned_attributes():
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0)
    assert estimator.fit(TEXTS, LABELS) is estimator
    assert list(estimator.classes_) == ["energy", "justice"]
    assert estimator.coef_.shape == (2, len(estimator.vectorizer_.vocabulary_))


def test_probability_columns_follow_classes(model):
    probabilities = model.predict_proba(["crude oil output", "the judge and the jury"])
    assert probabilities.shape == (2, 2)
    energy, justice = list(model.classes_).index("energy"), list(model.classes_).index("justice")
    assert probabilities[0, energy] > probabilities[0, justice]
    assert probabilities[1, justice] > probabilities[1, energy]
    assert model.predict(["crude oil output"]).tolist() == [[1, 0]]


def test_fit_accepts_an_indicator_matrix():
    indicator = np.array([[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 0], [0, 0], [1, 1]])
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS, indicator)
    assert estimator.classes_.tolist() == [0, 1]


def test_label_weight_zero_leaves_items_out_of_a_label():
    # Without the weight, the last item would be a justice negative; with it, it is ignored.
    weights = np.ones((len(TEXTS), 2))
    weights[-1, 1] = 0
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0)
    estimator.fit(TEXTS, LABELS, label_weight=weights)
    assert estimator.coef_.shape[0] == 2
    with pytest.raises(ValueError, match=r"label_weight must have shape \(9, 2\), not \(9, 3\)"):
        estimator.fit(TEXTS, LABELS, label_weight=np.ones((9, 3)))


def test_calibration_and_thresholds_are_tuned_on_a_held_out_split():
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0.3).fit(TEXTS * 6, LABELS * 6)
    assert estimator.thresholds_.shape == (2,)
    assert set(estimator.validation_scores_) == {"energy", "justice"}
    assert np.all((estimator.thresholds_ > 0) & (estimator.thresholds_ < 1))


@pytest.mark.parametrize("scoring", ["f1_micro", None], ids=["f1", "the-estimators-score"])
def test_works_in_a_pipeline_and_grid_search(scoring):
    pipeline = Pipeline([("topics", TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0))])
    search = GridSearchCV(pipeline, {"topics__C": [1.0, 4.0]}, cv=2, scoring=scoring)
    indicator = np.array([[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 0], [0, 0], [1, 1]] * 4)
    search.fit(TEXTS * 4, indicator)
    assert search.best_params_["topics__C"] in {1.0, 4.0}


def test_pruning_keeps_the_strongest_terms():
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, max_terms=10).fit(TEXTS, LABELS)
    assert estimator.coef_.shape == (2, 10)
    assert len(estimator.vectorizer_.vocabulary_) == 10


def test_stop_words_leave_out_terms_made_only_of_them():
    vocabulary = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS, LABELS).vectorizer_.vocabulary_
    assert {"the", "after the", "to the", "for", "by"}.isdisjoint(vocabulary)
    # A term with one topical word stays, and bigrams still span the stop words' places.
    assert {"the judge", "judge jailed", "solar panels", "cut crude"} <= set(vocabulary)
    without = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, stop_words=None).fit(TEXTS, LABELS)
    assert {"the", "after the"} <= set(without.vectorizer_.vocabulary_)
    custom = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, stop_words=["Judge", "the"]).fit(TEXTS, LABELS)
    assert {"judge", "the judge", "the"}.isdisjoint(custom.vectorizer_.vocabulary_)
    assert "judge jailed" in custom.vectorizer_.vocabulary_


def test_features_learnt_from_match_the_features_predicted_from():
    # Training drops the stop-word columns from already normalised rows and normalises again;
    # predicting must see the same numbers, so the fit on transform() is the fit itself.
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    features = estimator.transform(TEXTS * 4)
    assert np.allclose(np.sqrt(features.multiply(features).sum(axis=1)), 1.0)
    column = list(estimator.classes_).index("energy")
    coef, intercept = estimator._fit_label(features, np.array([["energy" in labels] for labels in LABELS * 4]).ravel(), np.ones(36))
    assert np.allclose(coef, estimator.coef_[column], atol=1e-5)
    assert intercept == pytest.approx(estimator.intercept_[column], abs=1e-5)


def test_stop_word_terms_lists_every_uni_and_bigram_of_the_words():
    from newsclass._stop_words import stop_word_terms

    assert stop_word_terms(frozenset({"of", "the"}), 2) == {"of", "the", "of of", "of the", "the of", "the the"}
    with pytest.raises(ValueError, match="uni- and bigrams only, not 3-grams"):
        stop_word_terms(frozenset({"of"}), 3)


def test_unknown_stop_word_list_is_refused():
    with pytest.raises(ValueError, match="stop_words must be 'english', None or a collection of words, not 'german'"):
        TopicClassifier(stop_words="german").fit(TEXTS, LABELS)


def test_stop_words_survive_saving(tmp_path):
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, stop_words={"the", "judge"}).fit(TEXTS, LABELS)
    assert load_model(save_model(estimator, tmp_path / "m")).stop_words == ["judge", "the"]
    assert load_model(save_model(TopicClassifier(min_df=1).fit(TEXTS * 2, LABELS * 2), tmp_path / "e")).stop_words == "english"


def test_a_long_text_scores_the_higher_of_its_whole_and_its_lead():
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, lead_tokens=3).fit(TEXTS * 4, LABELS * 4)
    whole_only = clone(estimator).set_params(lead_tokens=None)
    for name in ("classes_", "vectorizer_", "coef_", "intercept_", "calibration_", "thresholds_"):
        setattr(whole_only, name, getattr(estimator, name))
    long_text, lead = "Oil output cut: the judge jailed the fraudster", "oil output cut"
    expected = np.maximum(whole_only.decision_function([long_text]), whole_only.decision_function([lead]))
    assert np.array_equal(estimator.decision_function([long_text]), expected)
    # A text no longer than its lead is scored once, as a whole.
    assert np.array_equal(estimator.decision_function(["the jury acquits"]), whole_only.decision_function(["the jury acquits"]))


@pytest.mark.parametrize("lead_tokens", [0, -3, 2.5, True, "40"])
def test_a_lead_that_is_no_positive_integer_is_refused(lead_tokens):
    with pytest.raises(ValueError, match="lead_tokens must be a positive integer or None"):
        TopicClassifier(lead_tokens=lead_tokens).fit(TEXTS, LABELS)


def test_sqrt_balanced_weighs_each_class_by_the_root_of_scikit_learns_balanced_weight():
    estimator = TopicClassifier(min_df=1, max_df=1.0, stop_words=None, validation_fraction=0, C=2.0).fit(TEXTS * 4, LABELS * 4)
    features = estimator.vectorizer_.transform(TEXTS * 4)
    for column, label in enumerate(estimator.classes_):
        target = np.array([label in labels for labels in LABELS * 4], dtype=int)
        balanced = compute_class_weight("balanced", classes=np.array([0, 1]), y=target)
        expected = LogisticRegression(C=2.0, class_weight=dict(enumerate(np.sqrt(balanced))), solver="liblinear").fit(features, target)
        assert np.allclose(estimator.coef_[column], expected.coef_[0], atol=1e-6)
        assert estimator.intercept_[column] == pytest.approx(expected.intercept_[0], abs=1e-6)


@pytest.mark.parametrize("class_weight", ["sqrt-balanced", "Balanced", {0: 1, 1: 5}])
def test_an_unknown_class_weight_is_refused(class_weight):
    with pytest.raises(ValueError, match="class_weight must be 'sqrt_balanced', 'balanced' or None, not"):
        TopicClassifier(class_weight=class_weight).fit(TEXTS, LABELS)


def test_validation_folds_calibrate_on_every_item_scored_out_of_fold():
    texts, labels = TEXTS * 4, LABELS * 4
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_folds=3).fit(texts, labels)
    # Every item was held out once, so the validation figures count every positive.
    assert estimator.validation_scores_["energy"]["support"] == sum("energy" in item for item in labels)
    assert estimator.validation_scores_["justice"]["support"] == sum("justice" in item for item in labels)
    single_split = TopicClassifier(min_df=1, max_df=1.0).fit(texts, labels)
    assert single_split.validation_scores_["energy"]["support"] < estimator.validation_scores_["energy"]["support"]


def test_validation_folds_give_the_same_model_on_every_run():
    first = TopicClassifier(min_df=1, max_df=1.0, validation_folds=3).fit(TEXTS * 4, LABELS * 4)
    second = TopicClassifier(min_df=1, max_df=1.0, validation_folds=3).fit(TEXTS * 4, LABELS * 4)
    assert np.array_equal(first.thresholds_, second.thresholds_)
    assert np.array_equal(first.calibration_, second.calibration_)


@pytest.mark.parametrize("validation_folds", [0, 1, 2.5, True, "3"])
def test_a_validation_folds_that_is_not_an_integer_of_at_least_2_is_refused(validation_folds):
    with pytest.raises(ValueError, match="validation_folds must be None or an integer of at least 2, not"):
        TopicClassifier(validation_folds=validation_folds).fit(TEXTS, LABELS)


def test_more_validation_folds_than_texts_is_refused_with_both_numbers():
    with pytest.raises(ValueError, match="validation_folds=20 needs at least as many training texts, got 9"):
        TopicClassifier(min_df=1, max_df=1.0, validation_folds=20).fit(TEXTS, LABELS)


def test_validation_folds_survive_saving_and_older_files_load_without_them(tmp_path):
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_folds=3).fit(TEXTS * 4, LABELS * 4)
    assert load_model(save_model(estimator, tmp_path / "m")).validation_folds == 3
    for fixture in sorted(FORMAT_FIXTURES.glob("model_format_*.zip")):
        assert load_model(fixture).validation_folds is None


def test_validation_splits_pool_the_held_out_scores_of_each_split():
    texts, labels = TEXTS * 8, LABELS * 8
    singles = [
        TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0.25, random_state=seed).fit(texts, labels)
        for seed in (0, 1, 2)
    ]
    three = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0.25, validation_splits=3).fit(texts, labels)
    # The splits of seeds 0, 1 and 2 are pooled: their positives add up.
    for label in ("energy", "justice"):
        assert three.validation_scores_[label]["support"] == sum(one.validation_scores_[label]["support"] for one in singles)
    assert np.array_equal(singles[0].coef_, three.coef_)


def test_validation_splits_start_at_the_seed_of_random_state():
    texts, labels = TEXTS * 8, LABELS * 8
    options = {"min_df": 1, "max_df": 1.0, "validation_fraction": 0.25}
    singles = [TopicClassifier(random_state=seed, **options).fit(texts, labels) for seed in (2, 3)]
    pooled = TopicClassifier(random_state=2, validation_splits=2, **options).fit(texts, labels)
    # The pooled splits are those of seeds 2 and 3: their positives add up (justice 10 + 8; the
    # splits of seeds 0 and 1, or 3 and 4, hold out 8 + 8).
    for label in ("energy", "justice"):
        assert pooled.validation_scores_[label]["support"] == sum(one.validation_scores_[label]["support"] for one in singles)


@pytest.mark.parametrize("validation_splits", [0, -1, 1.5, True, "2"])
def test_a_validation_splits_that_is_not_a_positive_integer_is_refused(validation_splits):
    with pytest.raises(ValueError, match="validation_splits must be a positive integer, not"):
        TopicClassifier(validation_splits=validation_splits).fit(TEXTS, LABELS)


def test_validation_splits_and_folds_cannot_be_combined():
    with pytest.raises(ValueError, match="validation_splits=2 and validation_folds=3 cannot be combined"):
        TopicClassifier(validation_splits=2, validation_folds=3).fit(TEXTS, LABELS)


def test_validation_splits_survive_saving_and_older_files_load_with_one(tmp_path):
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_splits=2).fit(TEXTS * 4, LABELS * 4)
    assert load_model(save_model(estimator, tmp_path / "m")).validation_splits == 2
    for fixture in sorted(FORMAT_FIXTURES.glob("model_format_*.zip")):
        assert load_model(fixture).validation_splits == 1


def test_threshold_beta_1_is_the_f1_best_threshold():
    # Two positives score 0.9 and 0.4, two negatives 0.35 and 0.1: F1 is best (0.8) at 0.36 to 0.40,
    # and the threshold is the middle of that run.
    probabilities, target = np.array([0.9, 0.4, 0.35, 0.1]), np.array([1, 1, 0, 0])
    assert _best_threshold(probabilities, target) == 0.38


def test_a_larger_threshold_beta_lowers_the_threshold_to_recover_recall():
    # Positives at 0.9, 0.8 and 0.2; negatives at 0.5, 0.4, 0.3 and 0.1. Above 0.5: two of three
    # positives, no false one (F1 0.80, F2 0.71). Down to 0.2: all three and three false ones
    # (F1 0.67, F2 0.83). F1 keeps precision, F2 goes for the third positive.
    probabilities = np.array([0.9, 0.8, 0.2, 0.5, 0.4, 0.3, 0.1])
    target = np.array([1, 1, 1, 0, 0, 0, 0])
    assert 0.51 <= _best_threshold(probabilities, target, 1.0) <= 0.8
    assert 0.11 <= _best_threshold(probabilities, target, 2.0) <= 0.2
    assert 0.51 <= _best_threshold(probabilities, target, 0.5) <= 0.8


def test_threshold_beta_changes_the_thresholds_not_the_weights():
    texts, labels = TEXTS * 4, LABELS * 4
    f1 = TopicClassifier(min_df=1, max_df=1.0).fit(texts, labels)
    favour_recall = TopicClassifier(min_df=1, max_df=1.0, threshold_beta=3.0).fit(texts, labels)
    assert np.array_equal(f1.coef_, favour_recall.coef_)
    assert np.array_equal(f1.calibration_, favour_recall.calibration_)
    assert np.all(favour_recall.thresholds_ <= f1.thresholds_)


@pytest.mark.parametrize("threshold_beta", [0, -1.0, float("nan"), float("inf"), True, "2"])
def test_a_threshold_beta_that_is_not_a_positive_number_is_refused(threshold_beta):
    with pytest.raises(ValueError, match="threshold_beta must be a positive number, not"):
        TopicClassifier(threshold_beta=threshold_beta).fit(TEXTS, LABELS)


@pytest.mark.parametrize("folds", [None, 3])
def test_groups_are_held_out_whole_and_labels_keep_their_share(folds):
    # 60 texts, each also present as a second row (its short view): 120 rows, 60 groups.
    labels = np.array([[i % 3 == 0, i % 3 == 1] for i in range(60)] * 2, dtype=np.int8)
    groups = _groups([f"item {i}" for i in range(60)] * 2, 120)
    splits = _stratified_folds(labels, folds, 0, groups) if folds else _stratified_splits(labels, 0.2, [0, 1, 2], groups)
    for train, held_out in splits:
        assert not set(groups[train]) & set(groups[held_out])
        assert len(train) + len(held_out) == 120
        assert 0.25 <= labels[held_out, 0].mean() <= 0.42  # a third of the rows have the first label
    if folds:
        assert sorted(np.concatenate([rows for _, rows in splits])) == list(range(120))


def test_groups_change_the_validation_rows_not_the_final_weights():
    data = read_labelled_csv(EXAMPLES / "train_small.csv")
    texts = [*data.texts, *(text[:60] for text in data.texts)]  # each text and a view of it
    labels = list(data.label_sets) * 2
    groups = list(range(len(data.texts))) * 2
    plain = TopicClassifier().fit(texts, labels)
    grouped = TopicClassifier().fit(texts, labels, groups=groups)
    assert np.array_equal(plain.coef_, grouped.coef_)
    assert not np.array_equal(plain.calibration_, grouped.calibration_)


def test_groups_are_numbered_by_first_occurrence_so_names_do_not_matter():
    assert _groups(["z", "a", "z", "m", "a"], 5).tolist() == [0, 1, 0, 2, 1]
    data = read_labelled_csv(EXAMPLES / "train_small.csv")
    names = [f"story {index % 20}" for index in range(len(data.texts))]
    renamed = [f"{19 - index % 20:03d}" for index in range(len(data.texts))]  # the same partition, other names
    first = TopicClassifier().fit(data.texts, data.label_sets, groups=names)
    second = TopicClassifier().fit(data.texts, data.label_sets, groups=renamed)
    assert first.calibration_.tolist() == second.calibration_.tolist()
    assert first.thresholds_.tolist() == second.thresholds_.tolist()


@pytest.mark.parametrize("groups", [[0, 1], np.zeros((len(TEXTS), 2))])
def test_groups_of_the_wrong_shape_are_refused(groups):
    with pytest.raises(ValueError, match=rf"groups must have one value per text, shape \({len(TEXTS)},\)"):
        TopicClassifier(min_df=1).fit(TEXTS, LABELS, groups=groups)


def test_groups_of_mixed_kinds_are_refused_by_name():
    with pytest.raises(TypeError, match="groups must be values of one kind .* not a mix of NoneType, str"):
        TopicClassifier(min_df=1).fit(TEXTS, LABELS, groups=["a", None] * 4 + ["b"])


def test_folds_need_as_many_groups():
    with pytest.raises(ValueError, match="validation_folds=5 needs at least as many groups, got 3"):
        TopicClassifier(min_df=1, validation_folds=5).fit(TEXTS, LABELS, groups=[0, 1, 2] * 3)


def test_the_calibrated_rule_is_the_best_f_beta_over_one_plus_beta_squared():
    # Separable: the best F1 is 1, so the threshold is 0.5.
    assert _calibrated_threshold(np.array([0.9, 0.8, 0.2, 0.1]), np.array([1, 1, 0, 0])) == 0.5
    # One positive scored below a negative: the best F1 is 0.8 (the three top rows), threshold 0.4.
    assert _calibrated_threshold(np.array([0.9, 0.7, 0.6, 0.1]), np.array([1, 0, 1, 0])) == 0.4
    # F2 is best (5 * 2 / (3 + 4 * 2) = 0.91) at the same three rows: 0.91 / 5, rounded.
    assert _calibrated_threshold(np.array([0.9, 0.7, 0.6, 0.1]), np.array([1, 0, 1, 0]), 2.0) == 0.18
    # Never below the lowest threshold tried.
    assert _calibrated_threshold(np.array([0.01, 0.02]), np.array([1, 0])) == 0.05


def test_the_threshold_rule_changes_the_thresholds_not_the_weights_and_is_saved(tmp_path):
    # The toy texts are separable (every rule gives 0.5): the example CSV is not.
    data = read_labelled_csv(EXAMPLES / "train_small.csv")
    argmax = TopicClassifier().fit(data.texts, data.label_sets)
    calibrated = TopicClassifier(threshold_rule="calibrated").fit(data.texts, data.label_sets)
    assert np.array_equal(argmax.coef_, calibrated.coef_)
    assert np.array_equal(argmax.calibration_, calibrated.calibration_)
    assert not np.array_equal(argmax.thresholds_, calibrated.thresholds_)
    assert load_model(save_model(calibrated, tmp_path / "m")).threshold_rule == "calibrated"
    for fixture in sorted(FORMAT_FIXTURES.glob("model_format_*.zip")):
        assert load_model(fixture).threshold_rule == "argmax"


@pytest.mark.parametrize("threshold_rule", ["best", "", None, 1])
def test_an_unknown_threshold_rule_is_refused(threshold_rule):
    with pytest.raises(ValueError, match="threshold_rule must be one of 'argmax', 'calibrated', not"):
        TopicClassifier(threshold_rule=threshold_rule).fit(TEXTS, LABELS)


def test_threshold_beta_survives_saving_and_older_files_load_with_f1(tmp_path):
    estimator = TopicClassifier(min_df=1, max_df=1.0, threshold_beta=1.5).fit(TEXTS * 4, LABELS * 4)
    assert load_model(save_model(estimator, tmp_path / "m")).threshold_beta == 1.5
    for fixture in sorted(FORMAT_FIXTURES.glob("model_format_*.zip")):
        assert load_model(fixture).threshold_beta == 1.0


def test_the_lead_survives_saving(tmp_path):
    estimator = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, lead_tokens=5).fit(TEXTS, LABELS)
    assert load_model(save_model(estimator, tmp_path / "m")).lead_tokens == 5
    assert load_model(save_model(estimator.set_params(lead_tokens=None), tmp_path / "n")).lead_tokens is None


def test_save_and_load_give_identical_predictions(model, tmp_path):
    path = save_model(model, tmp_path / "topics")
    assert path == tmp_path / "topics" / "model.zip"
    loaded = load_model(tmp_path / "topics")
    texts = ["oil output cut by the cartel", "the jury acquits", "a concert"]
    assert np.array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert list(loaded.classes_) == list(model.classes_)


def test_same_model_gives_byte_identical_files(tmp_path):
    first = TopicClassifier(min_df=1, max_df=1.0).fit(TEXTS * 4, LABELS * 4)
    second = TopicClassifier(min_df=1, max_df=1.0).fit(TEXTS * 4, LABELS * 4)
    assert model_bytes(first) == model_bytes(second)


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no model file at"):
        load_model(tmp_path / "nothing")


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "model.zip"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(ModelFileError, match="not a newsclass model file"):
        load_model(path)


def test_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "payload-ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "model.zip"
    path.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ModelFileError, match="not a newsclass model file"):
        load_model(path)
    assert not marker.exists()


def _rewrite_member(source, target, name, transform):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as changed:
        for info in original.infolist():
            data = original.read(info.filename)
            changed.writestr(info, transform(data) if info.filename == name else data)


def test_altered_bytes_fail_the_checksum(model, tmp_path):
    path = save_model(model, tmp_path / "original")
    altered = tmp_path / "altered.zip"
    _rewrite_member(path, altered, "coef.npy", lambda data: data[:-4] + b"\x00\x00\x80\x3f")
    with pytest.raises(ModelFileError, match="checksum mismatch in member 'coef.npy'"):
        load_model(altered)


def test_truncated_file_is_refused(model, tmp_path):
    data = save_model(model, tmp_path / "original").read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match=r"its end is missing: truncated .*copy the model again or retrain"):
        load_model(truncated)


def test_newer_format_version_is_refused(model, tmp_path):
    path = save_model(model, tmp_path / "original")
    newer = tmp_path / "newer.zip"

    def bump(data: bytes) -> bytes:
        header = json.loads(data)
        header["format_version"] = 99
        return json.dumps(header).encode()

    _rewrite_member(path, newer, "model.json", bump)
    with pytest.raises(ModelFileError, match="model format version 99 is newer than this newsclass"):
        load_model(newer)


def test_object_array_member_is_refused_even_with_a_matching_checksum(model, tmp_path):
    path = save_model(model, tmp_path / "original")
    hostile = tmp_path / "hostile.zip"
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    payload = buffer.getvalue()

    def fix_checksum(data: bytes) -> bytes:
        header = json.loads(data)
        header["checksums"]["idf.npy"] = hashlib.sha256(payload).hexdigest()
        return json.dumps(header).encode()

    with zipfile.ZipFile(path) as original, zipfile.ZipFile(hostile, "w") as changed:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "idf.npy":
                data = payload
            elif info.filename == "model.json":
                data = fix_checksum(data)
            changed.writestr(info, data)
    with pytest.raises(ModelFileError, match="member 'idf.npy' is not a plain numeric array"):
        load_model(hostile)


def test_format_1_fixture_keeps_loading():
    # A tiny model saved with format version 1; every later newsclass must read it.
    model = load_model(FORMAT_FIXTURES / "model_format_1.zip")
    assert list(model.classes_) == ["energy", "justice"]
    assert model.predict_labels(["crude oil output", "the jury acquits"]) == [("energy",), ("justice",)]
    assert model.stop_words is None  # it was fitted before stop words existed
    assert model.lead_tokens is None  # and scores whole texts, as it did then


def test_format_2_fixture_keeps_loading():
    # A tiny model saved with format version 2, the first to score a text's lead (lead_tokens=3).
    path = FORMAT_FIXTURES / "model_format_2.zip"
    model = load_model(path)
    assert model.lead_tokens == 3
    texts = ["crude oil output falls as the jury hears the case", "the jury acquits a man of fraud over crude oil sales"]
    # The first text's lead ("crude oil output") gives it energy, which its whole text scores below 0.5.
    assert model.predict_labels(texts) == [("energy", "justice"), ("justice",)]
    assert np.array_equal(load_scorer(path).predict_proba(texts), model.predict_proba(texts))


def test_another_newsclass_version_loads_with_a_warning(model, tmp_path):
    path = save_model(model, tmp_path / "original")
    older = tmp_path / "older.zip"

    def downgrade(data: bytes) -> bytes:
        header = json.loads(data)
        header["newsclass_version"] = "0.0.1"
        return json.dumps(header).encode()

    _rewrite_member(path, older, "model.json", downgrade)
    with pytest.warns(ModelVersionWarning, match="written by newsclass 0.0.1"):
        loaded = load_model(older)
    assert list(loaded.classes_) == list(model.classes_)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, True, None])
def test_a_seed_numpy_cannot_take_is_refused_before_training(seed):
    with pytest.raises(ValueError, match=rf"random_state must be an integer from 0 to 4294967295, not {re.escape(repr(seed))}"):
        TopicClassifier(random_state=seed).fit(["oil price rises", "a court ruling"], [["energy"], ["justice"]])


def test_the_last_seed_of_pooled_validation_splits_must_exist_too():
    with pytest.raises(ValueError, match=r"random_state must be an integer from 0 to 4294967293, not 4294967294"):
        TopicClassifier(random_state=2**32 - 2, validation_splits=3).fit(["oil price rises", "a court ruling"], [["energy"], ["justice"]])


def test_score_is_subset_accuracy_over_label_lists_or_an_indicator():
    texts = ["oil output cut", "court ruling on oil", "a court ruling", "oil prices rise"] * 10
    labels = [["energy"], ["energy", "justice"], ["justice"], ["energy"]] * 10
    model = TopicClassifier(validation_fraction=0).fit(texts, labels)
    predicted = model.predict_labels(texts[:4])
    expected = sum(set(p) == set(t) for p, t in zip(predicted, labels[:4])) / 4
    assert model.score(texts[:4], labels[:4]) == expected
    indicator = np.array([[1, 0], [1, 1], [0, 1], [1, 0]])  # columns in classes_ order: energy, justice
    assert model.score(texts[:4], indicator) == expected
    # A label the model does not know makes its text wrong.
    assert model.score(texts[:1], [["energy", "sport"]]) == 0.0



def test_a_loaded_model_saved_again_keeps_its_metadata_byte_for_byte(tmp_path):
    folder = tmp_path / "trained"
    newsclass.train(EXAMPLES / "train_small.csv", folder)
    again = save_model(load_model(folder), tmp_path / "again")
    assert again.read_bytes() == (folder / "model.zip").read_bytes()
    assert load_model(again).metadata_["rows"] == load_model(folder).metadata_["rows"] > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda folder: save_model("not a model", folder), "save_model\\(\\) takes a fitted TopicClassifier, not str$"),
        (lambda folder: save_model(TopicClassifier(), folder), "not TopicClassifier that is not fitted"),
        (lambda folder: load_model(None), "a model path must be a str or path-like, not NoneType"),
    ],
    ids=["a-string", "unfitted", "no-path"],
)
def test_model_file_functions_refuse_wrong_types(tmp_path, call, message):
    with pytest.raises(InputTypeError, match=message):
        call(tmp_path)
