"""The topic model: TF-IDF features and one calibrated logistic regression per label."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import MultiLabelBinarizer, normalize
from sklearn.utils.validation import check_is_fitted

from ._errors import InputTypeError, InputValueError
from ._fast import is_lead_length
from ._stop_words import is_stop_word_term, resolve_stop_words

__all__ = ["TopicClassifier"]

# Lower-case words of two or more letters or digits; apostrophes inside words kept.
TOKEN_PATTERN = r"(?u)\b\w[\w'’]*\w\b"


class TopicClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label topic classifier: TF-IDF + one-vs-rest logistic regression.

    Each label gets its own logistic regression, its probabilities calibrated
    (Platt scaling on a held-out split) and its own decision threshold (the one
    that maximises F1, or F-beta, on that split); the final weights are then refit on all
    data. It follows the scikit-learn estimator contract, so it can sit in a
    ``Pipeline`` or ``GridSearchCV``; :meth:`score` is the subset accuracy. Model
    selection needs ``y`` as a 0/1 indicator matrix (scikit-learn's splitters and
    scorers refuse lists of label lists): ``MultiLabelBinarizer().fit_transform(labels)``,
    whose ``classes_`` then name the model's columns.

    Parameters
    ----------
    ngram_range : tuple of int
        Word n-gram lengths used as features.
    min_df : int
        Ignore terms found in fewer documents.
    max_df : float
        Ignore terms found in more than this share of documents.
    stop_words : "english", None, or collection of str
        Words that carry no topic: a term made only of them ("said", "of the")
        is left out of the vocabulary. Unlike ``TfidfVectorizer``'s stop words
        they are not taken out of the text first, so "secretary of the air
        force" still gives "air force" and no made-up "secretary air".
        "english" is ``newsclass.ENGLISH_STOP_WORDS``, function words and
        reporting verbs (extend it with ``|``); it makes a model hold up better on
        sources whose register differs from its training data's.
    lead_tokens : int or None
        Also score each text's lead, its first ``lead_tokens`` tokens, and give
        each label the higher of the two scores. News puts an item's main
        subjects in its opening; over a whole article their terms are diluted
        by everything else it mentions, and a model that learnt from headlines
        and short items misses them. Calibration and thresholds are fitted on
        the same score. A text no longer than its lead is scored once; None
        scores whole texts only.
    max_terms : int or None
        After fitting, keep only the terms with the largest weights (for any
        label): it keeps the model file small at almost no cost in accuracy.
    C : float
        Inverse regularisation strength of the logistic regressions.
    class_weight : "sqrt_balanced", "balanced" or None
        How each label's rare positives are weighed against its many
        negatives. "balanced" (scikit-learn's) weighs each class inversely to
        its (weighted) count, so a label with one positive in fifty makes a
        positive count 50 times a negative, which pushes up the words of the
        training sources' positives. "sqrt_balanced" uses the square roots of
        those weights, half-way on a log scale between them and None (no
        weighting); it holds up better on unseen sources (``docs/benchmarks.md``).
    validation_fraction : float
        Share of the data held out to calibrate and tune thresholds; 0 keeps
        raw probabilities and a threshold of 0.5.
    validation_splits : int
        Random validation splits (of ``validation_fraction`` each, seeds
        ``random_state``, ``random_state + 1``, ...) whose held-out scores are
        pooled for calibration and thresholds: each split costs one extra fit,
        and the thresholds depend less on which items one split happened to
        hold out. 1 (the default) is the single split.
    validation_folds : int or None
        Calibrate and tune thresholds on out-of-fold scores instead: the data
        is cut into this many stratified folds, a model is fitted without each
        fold and scores it, so every item is scored once by a model that did
        not see it. Thresholds then rest on all items rather than a
        ``validation_fraction`` share, at the cost of that many extra fits.
        None (the default) uses ``validation_splits`` random splits; the two
        cannot be combined. Ignored when ``validation_fraction`` is 0.
    threshold_beta : float
        Each label's threshold maximises F-beta on the validation scores: 1
        weighs precision and recall alike (F1); above 1 favours recall, below 1
        precision. On sources unlike the training data a model finds fewer of
        the words it knows, so scores drop and recall falls further than
        precision; a beta above 1 can make up for part of that, at a cost on
        text like the training data's (measured in ``docs/benchmarks.md``).
    threshold_rule : "argmax" or "calibrated"
        How each label's threshold is read off its validation scores.
        "argmax" takes the threshold of the best validation F-beta. F1 is flat
        over a wide range of thresholds near its best, so that argmax can jump
        far when a few training rows change. "calibrated" takes the threshold
        that is F-beta-optimal for calibrated probabilities, the best validation
        F-beta divided by 1 + beta² (half the best F1; Lipton, Elkan and
        Naryanaswamy 2014): it moves little when the data changes.
    random_state : int
        Seed of the validation split (and of the next ones, with
        ``validation_splits``) and of the solvers: from 0 to 2**32 - 1.
    n_jobs : int or None
        Labels fitted at once, in threads (the solver releases the GIL, so
        threads share the features without copying them); None or 1 fits one
        at a time, -1 uses every core. The result does not depend on it.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the order of the columns of :meth:`predict_proba`.
    vectorizer_ : TfidfVectorizer
        The fitted feature extractor.
    coef_ : ndarray of shape (n_labels, n_terms)
    intercept_ : ndarray of shape (n_labels,)
    calibration_ : ndarray of shape (2, n_labels)
        Slope and offset mapping decision scores to calibrated log-odds.
    thresholds_ : ndarray of shape (n_labels,)
        Per-label probability thresholds used by :meth:`predict`.

    Examples
    --------
    >>> texts = ["oil prices rise", "gas pipeline opens", "court rules on case",
    ...          "judge jails fraudster", "oil output cut", "trial of the mayor"] * 3
    >>> labels = [["energy"], ["energy"], ["justice"], ["justice"], ["energy"], ["justice"]] * 3
    >>> model = TopicClassifier(min_df=1, validation_fraction=0).fit(texts, labels)
    >>> list(model.classes_)
    ['energy', 'justice']
    >>> model.predict_labels(["the oil pipeline"])
    [('energy',)]
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        max_df: float = 0.5,
        stop_words: str | Iterable[str] | None = "english",
        lead_tokens: int | None = 60,
        max_terms: int | None = None,
        C: float = 4.0,
        class_weight: str | None = "sqrt_balanced",
        validation_fraction: float = 0.15,
        validation_splits: int = 1,
        validation_folds: int | None = None,
        threshold_beta: float = 1.0,
        threshold_rule: str = "argmax",
        random_state: int = 0,
        n_jobs: int | None = None,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.stop_words = stop_words
        self.lead_tokens = lead_tokens
        self.max_terms = max_terms
        self.C = C
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.validation_splits = validation_splits
        self.validation_folds = validation_folds
        self.threshold_beta = threshold_beta
        self.threshold_rule = threshold_rule
        self.random_state = random_state
        self.n_jobs = n_jobs

    # --- fitting -------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Any, *, label_weight: Any = None, groups: Any = None) -> TopicClassifier:
        """Fit the model.

        Parameters
        ----------
        X : iterable of str
            The texts.
        y : sequence of label collections, or indicator matrix
            Each item's labels (an empty collection means no topic), or a 0/1
            matrix of shape (n_samples, n_labels).
        label_weight : array of shape (n_samples, n_labels), optional
            Per item and label training weight; 0 leaves the item out of that
            label's training (for labels whose absence is not known).
        groups : array of shape (n_samples,), optional
            Rows with the same group are held out together in every validation
            split or fold: give the rows that are one text in several forms (an
            article and its headline-and-lead view, a story printed by two
            outlets) one group, or the validation scores include texts the model
            was fitted on in another form, and calibration and thresholds are
            tuned on scores too confident for unseen text.

        Returns
        -------
        self
        """
        check_lead_tokens(self.lead_tokens)
        check_class_weight(self.class_weight)
        check_validation_folds(self.validation_folds)
        check_validation_splits(self.validation_splits, self.validation_folds)
        check_threshold_beta(self.threshold_beta)
        check_threshold_rule(self.threshold_rule)
        check_seed(self.random_state, self.validation_splits)
        texts = list(X)
        indicator = self._binarize(y, len(texts))
        weights = np.ones(indicator.shape, dtype=np.float64) if label_weight is None else np.asarray(label_weight, dtype=np.float64)
        if weights.shape != indicator.shape:
            raise InputValueError(f"label_weight must have shape {indicator.shape}, not {weights.shape}")
        if self.validation_fraction > 0:
            self._fit_calibration(texts, indicator, weights, _groups(groups, len(texts)))
        else:
            self.calibration_ = np.vstack([np.ones(len(self.classes_)), np.zeros(len(self.classes_))])
            self.thresholds_ = np.full(len(self.classes_), 0.5)
        self.vectorizer_, self.coef_, self.intercept_ = self._fit_linear(texts, indicator, weights)
        if self.max_terms is not None:
            self._prune_terms(self.max_terms)
        return self

    def _binarize(self, y: Any, n_samples: int) -> np.ndarray:
        if hasattr(y, "shape") and len(y.shape) == 2:
            indicator = np.asarray(y.toarray() if hasattr(y, "toarray") else y, dtype=np.int8)
            self.classes_ = np.arange(indicator.shape[1])
        else:
            label_sets = _label_sets(y)
            binarizer = MultiLabelBinarizer()
            indicator = binarizer.fit_transform(label_sets).astype(np.int8)
            self.classes_ = np.asarray(binarizer.classes_, dtype=object)
        if indicator.shape[0] != n_samples:
            raise InputValueError(f"X has {n_samples} texts but y has {indicator.shape[0]} label rows")
        if indicator.shape[1] == 0:
            raise InputValueError("y holds no label at all: a topic model needs at least one label")
        return indicator

    def _new_vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            lowercase=True,
            strip_accents="unicode",
            token_pattern=TOKEN_PATTERN,
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_df=self.max_df,
            sublinear_tf=True,
            dtype=np.float32,
        )

    def _fit_linear(
        self, texts: list[str], indicator: np.ndarray, weights: np.ndarray
    ) -> tuple[TfidfVectorizer, np.ndarray, np.ndarray]:
        vectorizer = self._new_vectorizer()
        features = vectorizer.fit_transform(texts)
        stop_words = resolve_stop_words(self.stop_words)
        if stop_words:
            terms = vectorizer.get_feature_names_out()
            keep = np.flatnonzero([not is_stop_word_term(term, stop_words) for term in terms])
            vectorizer = self._restricted_vectorizer(vectorizer, terms, keep)
            # What transform() gives with the smaller vocabulary: the norm counts the kept terms only.
            features = normalize(features[:, keep])
        coef = np.zeros((indicator.shape[1], features.shape[1]), dtype=np.float32)
        intercept = np.zeros(indicator.shape[1], dtype=np.float32)
        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(self._fit_label)(features, indicator[:, column], weights[:, column])
            for column in range(indicator.shape[1])
        )
        for column, (label_coef, label_intercept) in enumerate(fitted):
            if label_coef is not None:
                coef[column] = label_coef
            intercept[column] = label_intercept
        return vectorizer, coef, intercept

    def _fit_label(self, features: Any, target: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray | None, float]:
        """One label's weights and intercept, from the examples whose weight is above 0."""
        known = weight > 0
        target = target[known]
        if target.min() == target.max():
            # Every known example says the same: a constant score is all we can learn.
            return None, 10.0 if target[0] else -10.0
        regression = LogisticRegression(
            C=self.C,
            class_weight=_class_weights(self.class_weight, target, weight[known]),
            solver="liblinear",
            random_state=self.random_state,
        )
        regression.fit(features[known], target, sample_weight=weight[known])
        return regression.coef_[0], float(regression.intercept_[0])

    def _fit_calibration(self, texts: list[str], indicator: np.ndarray, weights: np.ndarray, groups: np.ndarray | None) -> None:
        if self.validation_folds:
            splits = _stratified_folds(indicator, self.validation_folds, self.random_state, groups)
        else:
            seeds = range(self.random_state, self.random_state + self.validation_splits)
            splits = _stratified_splits(indicator, self.validation_fraction, seeds, groups)
        held_out = np.concatenate([rows for _, rows in splits])
        scores = np.vstack([self._held_out_scores(texts, indicator, weights, train, rows) for train, rows in splits])
        targets, knowns = indicator[held_out], weights[held_out] > 0
        n_labels = indicator.shape[1]
        self.calibration_ = np.vstack([np.ones(n_labels), np.zeros(n_labels)])
        self.thresholds_ = np.full(n_labels, 0.5)
        self.validation_scores_ = {}
        for column in range(n_labels):
            known = knowns[:, column]
            target = targets[known, column]
            if target.min(initial=0) == target.max(initial=0):
                continue
            self.calibration_[:, column], self.thresholds_[column], self.validation_scores_[str(self.classes_[column])] = (
                calibrate_label(scores[known, column], target, self.threshold_beta, self.threshold_rule)
            )

    def _held_out_scores(
        self, texts: list[str], indicator: np.ndarray, weights: np.ndarray, train: np.ndarray, held_out: np.ndarray
    ) -> np.ndarray:
        """Decision scores of the ``held_out`` rows by a model fitted on the ``train`` rows."""
        vectorizer, coef, intercept = self._fit_linear([texts[i] for i in train], indicator[train], weights[train])
        return self._scores(vectorizer, coef, intercept, [texts[i] for i in held_out])

    def _scores(self, vectorizer: TfidfVectorizer, coef: np.ndarray, intercept: np.ndarray, texts: list[str]) -> np.ndarray:
        """Decision scores of ``texts``: with ``lead_tokens``, the higher of the whole text's and its lead's."""
        scores = _decision(vectorizer.transform(texts), coef, intercept)
        if self.lead_tokens:
            rows, leads = _leads(vectorizer, texts, self.lead_tokens)
            if rows:
                scores[rows] = self._combine(_decision(vectorizer.transform(leads), coef, intercept), scores[rows])
        return scores

    @staticmethod
    def _combine(lead: np.ndarray, whole: np.ndarray) -> np.ndarray:
        """A long text's score from its lead's and its whole text's (the fast path does the same)."""
        return np.maximum(lead, whole)

    def _prune_terms(self, max_terms: int) -> None:
        if self.coef_.shape[1] <= max_terms:
            return
        strength = np.abs(self.coef_).max(axis=0)
        keep = np.sort(np.argsort(-strength, kind="stable")[:max_terms])
        self.vectorizer_ = self._restricted_vectorizer(self.vectorizer_, self.vectorizer_.get_feature_names_out(), keep)
        self.coef_ = np.ascontiguousarray(self.coef_[:, keep])

    def _restricted_vectorizer(self, vectorizer: TfidfVectorizer, terms: np.ndarray, keep: np.ndarray) -> TfidfVectorizer:
        """A copy of a fitted ``vectorizer`` (whose terms are ``terms``) that knows only those at the sorted indices ``keep``."""
        restricted = self._new_vectorizer()
        restricted.vocabulary_ = {term: index for index, term in enumerate(terms[keep])}
        restricted.idf_ = vectorizer.idf_[keep]
        return restricted

    # --- predicting ----------------------------------------------------------

    def transform(self, X: Iterable[str]) -> Any:
        """Return the TF-IDF features of the texts."""
        check_is_fitted(self, "coef_")
        return self.vectorizer_.transform(list(X))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Return calibrated log-odds, shape (n_samples, n_labels)."""
        check_is_fitted(self, "coef_")
        return self._calibrated(self._scores(self.vectorizer_, self.coef_, self.intercept_, list(X)))

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Return each label's probability, shape (n_samples, n_labels)."""
        return _sigmoid(self.decision_function(X))

    def predict_proba_features(self, features: Any) -> np.ndarray:
        """Return probabilities from TF-IDF features already computed by :meth:`transform`.

        Features are those of whole texts, so a label found only in a long text's
        lead (see ``lead_tokens``) scores lower here than in :meth:`predict_proba`.
        """
        return _sigmoid(self._calibrated(_decision(features, self.coef_, self.intercept_)))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Return the 0/1 label indicator matrix, using the per-label thresholds."""
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)

    def score(self, X: Iterable[str], y: Any, sample_weight: Any = None) -> float:
        """Return the subset accuracy: the share of texts whose predicted label set is exactly ``y``'s.

        This is scikit-learn's classifier score for multi-label data, so that ``GridSearchCV``
        and ``Pipeline.score`` work with ``y`` given as in :meth:`fit` (label collections, or
        an indicator matrix over ``classes_``). A text with a label the model does not know
        counts as wrong.
        """
        predicted = self.predict(X)
        truth, known = self._truth_over_classes(y, predicted.shape[0])
        exact = (truth == predicted).all(axis=1) & known
        return float(np.average(exact, weights=sample_weight))

    def _truth_over_classes(self, y: Any, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
        """``y`` as an indicator over ``classes_``, and which rows hold only labels the model knows."""
        if hasattr(y, "shape") and len(y.shape) == 2:
            truth = np.asarray(y.toarray() if hasattr(y, "toarray") else y, dtype=np.int8)
            known = np.ones(truth.shape[0], dtype=bool)
        else:
            label_sets = _label_sets(y)
            column = {label: position for position, label in enumerate(self.classes_)}
            truth = np.zeros((len(label_sets), len(column)), dtype=np.int8)
            known = np.ones(len(label_sets), dtype=bool)
            for row, labels in enumerate(label_sets):
                for label in labels:
                    if label in column:
                        truth[row, column[label]] = 1
                    else:
                        known[row] = False
        if truth.shape != (n_samples, len(self.classes_)):
            raise InputValueError(f"y must give {n_samples} label rows over {len(self.classes_)} labels, not shape {truth.shape}")
        return truth, known

    def predict_labels(self, X: Iterable[str]) -> list[tuple[str, ...]]:
        """Return each text's labels, best first."""
        probabilities = self.predict_proba(X)
        return [
            tuple(self.classes_[column] for column in np.argsort(-row, kind="stable") if row[column] >= self.thresholds_[column])
            for row in probabilities
        ]

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        return scores * self.calibration_[0] + self.calibration_[1]

    def term_contributions(self, features: Any, column: int, top: int) -> list[tuple[str, float]]:
        """The terms of one TF-IDF row that pushed label ``column`` up the most."""
        terms = self._terms()
        contributions = features.data * self.coef_[column, features.indices]
        order = np.argsort(-contributions, kind="stable")[:top]
        return [(str(terms[features.indices[i]]), round(float(contributions[i]), 4)) for i in order if contributions[i] > 0]

    def _terms(self) -> np.ndarray:
        if getattr(self, "_terms_cache", None) is None:
            self._terms_cache = self.vectorizer_.get_feature_names_out()
        return self._terms_cache

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        return tags


def _decision(features: Any, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.asarray(features @ coef.T, dtype=np.float64) + intercept


def _label_sets(y: Iterable[Any]) -> list[Any]:
    """``y``'s label collections, with a lone string as one label and a missing set as none."""
    return [[labels] if isinstance(labels, str) and labels else labels or () for labels in y]


def check_lead_tokens(lead_tokens: object) -> None:
    """Refuse a ``lead_tokens`` that is neither None nor a positive integer."""
    if not is_lead_length(lead_tokens):
        raise InputValueError(f"lead_tokens must be a positive integer or None, not {lead_tokens!r}")


def _is_integer(value: object) -> bool:
    """An int or NumPy integer, but not a bool (which Python counts as an int)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_threshold_beta(threshold_beta: object) -> None:
    """Refuse a ``threshold_beta`` that is not a positive finite number."""
    if (
        isinstance(threshold_beta, bool)
        or not isinstance(threshold_beta, (int, float, np.integer, np.floating))
        or not 0 < threshold_beta < math.inf
    ):
        raise InputValueError(f"threshold_beta must be a positive number, not {threshold_beta!r}")


def check_threshold_rule(threshold_rule: object) -> None:
    """Refuse a ``threshold_rule`` that is not one of :data:`THRESHOLD_RULES`."""
    if not isinstance(threshold_rule, str) or threshold_rule not in THRESHOLD_RULES:
        raise InputValueError(f"threshold_rule must be one of {', '.join(map(repr, THRESHOLD_RULES))}, not {threshold_rule!r}")


def check_validation_splits(validation_splits: object, validation_folds: object = None) -> None:
    """Refuse a ``validation_splits`` that is no positive integer, or above 1 with ``validation_folds``."""
    if not _is_integer(validation_splits) or validation_splits < 1:
        raise InputValueError(f"validation_splits must be a positive integer, not {validation_splits!r}")
    if validation_splits > 1 and validation_folds is not None:
        raise InputValueError(
            f"validation_splits={validation_splits} and validation_folds={validation_folds} cannot be combined: "
            "choose random splits or folds"
        )


MAX_SEED = 2**32 - 1
"""The largest seed NumPy and scikit-learn take."""


def check_seed(random_state: object, validation_splits: object = 1) -> None:
    """Refuse a ``random_state`` that is no integer from 0 to :data:`MAX_SEED` (the last of the
    seeds ``validation_splits`` uses included)."""
    last = MAX_SEED - (validation_splits - 1 if _is_integer(validation_splits) and validation_splits > 1 else 0)
    if not _is_integer(random_state) or not 0 <= random_state <= last:
        raise InputValueError(f"random_state must be an integer from 0 to {last}, not {random_state!r}")


def check_validation_folds(validation_folds: object) -> None:
    """Refuse a ``validation_folds`` that is neither None nor an integer of at least 2."""
    if validation_folds is not None and (not _is_integer(validation_folds) or validation_folds < 2):
        raise InputValueError(f"validation_folds must be None or an integer of at least 2, not {validation_folds!r}")


CLASS_WEIGHTS = ("sqrt_balanced", "balanced", None)


def check_class_weight(class_weight: object) -> None:
    """Refuse a ``class_weight`` that is not one of :data:`CLASS_WEIGHTS`."""
    if class_weight not in CLASS_WEIGHTS:
        named = ", ".join(repr(value) for value in CLASS_WEIGHTS if value is not None)
        raise InputValueError(f"class_weight must be {named} or None, not {class_weight!r}")


def _class_weights(class_weight: str | None, target: np.ndarray, weight: np.ndarray) -> str | dict[int, float] | None:
    """The ``class_weight`` for one label's logistic regression (target 0/1, sample weights)."""
    if class_weight != "sqrt_balanced":
        return class_weight
    # scikit-learn's "balanced" on the weighted counts, total / (2 * class count), then its root;
    # computed here because compute_class_weight takes no sample weights in the older scikit-learn
    # versions newsclass supports.
    counts = np.bincount(target, weights=weight, minlength=2)
    return dict(enumerate(np.sqrt(counts.sum() / (2 * counts)).tolist()))


def _leads(vectorizer: TfidfVectorizer, texts: list[str], lead_tokens: int) -> tuple[list[int], list[str]]:
    """Which texts have more than ``lead_tokens`` tokens, and the first ``lead_tokens`` of each, as text.

    The tokens are the vectorizer's own (lower-cased, accents stripped), so joined by
    spaces they tokenise to themselves: the lead's features are those of the text's
    first tokens and the pairs among them.
    """
    preprocess, tokenize = vectorizer.build_preprocessor(), vectorizer.build_tokenizer()
    rows, leads = [], []
    for row, text in enumerate(texts):
        tokens = tokenize(preprocess(text))
        if len(tokens) > lead_tokens:
            rows.append(row)
            leads.append(" ".join(tokens[:lead_tokens]))
    return rows, leads


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -35, 35)))


def _platt(scores: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Fit a 1-D logistic map from decision scores to probabilities."""
    regression = LogisticRegression(C=1e4, solver="lbfgs")
    regression.fit(scores.reshape(-1, 1), target)
    return float(regression.coef_[0, 0]), float(regression.intercept_[0])


def calibrate_label(
    scores: np.ndarray, target: np.ndarray, beta: float = 1.0, rule: str = "argmax"
) -> tuple[tuple[float, float], float, dict[str, float]]:
    """One label's Platt slope and offset, threshold (by ``rule``), and validation scores at it."""
    slope, offset = _platt(scores, target)
    probabilities = _sigmoid(slope * scores + offset)
    threshold = THRESHOLD_RULES[rule](probabilities, target, beta)
    return (slope, offset), threshold, _binary_scores(probabilities >= threshold, target)


def f_beta_by_threshold(probabilities: np.ndarray, target: np.ndarray, beta: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """The candidate thresholds (0.05 to 0.95 by 0.01) and the F-beta of each on ``target``."""
    candidates = np.linspace(0.05, 0.95, 91)
    predicted = probabilities[:, None] >= candidates[None, :]
    true_positive = (predicted & (target[:, None] == 1)).sum(axis=0)
    # F-beta = (1 + b^2) TP / ((1 + b^2) TP + FP + b^2 FN) = (1 + b^2) TP / (predicted + b^2 actual)
    weight = beta * beta
    return candidates, (1 + weight) * true_positive / np.maximum(predicted.sum(axis=0) + weight * target.sum(), 1e-12)


def _best_threshold(probabilities: np.ndarray, target: np.ndarray, beta: float = 1.0) -> float:
    """The probability threshold that maximises F-beta (ties: the middle of the best run)."""
    candidates, f_beta = f_beta_by_threshold(probabilities, target, beta)
    best = np.flatnonzero(f_beta >= f_beta.max() - 1e-9)
    return float(round(candidates[best[len(best) // 2]], 2))


def _calibrated_threshold(probabilities: np.ndarray, target: np.ndarray, beta: float = 1.0) -> float:
    """The F-beta-optimal threshold of calibrated probabilities: the best F-beta / (1 + beta²)."""
    candidates, f_beta = f_beta_by_threshold(probabilities, target, beta)
    return float(round(max(f_beta.max() / (1 + beta * beta), candidates[0]), 2))


# How a label's threshold is read off its calibrated validation probabilities.
THRESHOLD_RULES = {"argmax": _best_threshold, "calibrated": _calibrated_threshold}


def _binary_scores(predicted: np.ndarray, target: np.ndarray) -> dict[str, float]:
    true_positive = int((predicted & (target == 1)).sum())
    precision = true_positive / max(int(predicted.sum()), 1)
    recall = true_positive / max(int(target.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": int(target.sum())}


def _strata(indicator: np.ndarray, smallest: int) -> np.ndarray:
    """Each row's rarest label; strata of fewer than ``smallest`` rows join the no-label stratum."""
    counts = indicator.sum(axis=0)
    rarity = np.where(indicator > 0, counts[None, :], np.iinfo(np.int64).max)
    strata = np.where(indicator.any(axis=1), rarity.argmin(axis=1), -1)
    values, sizes = np.unique(strata, return_counts=True)
    return np.where(np.isin(strata, values[sizes < smallest]), -1, strata)


def _groups(groups: Any, n_samples: int) -> np.ndarray | None:
    """``fit``'s ``groups`` as one integer per row, or None.

    Groups are numbered in the order they first occur, so the splits depend on
    which rows share a group, not on what the groups are called.
    """
    if groups is None:
        return None
    values = np.asarray(groups)
    if values.shape != (n_samples,):
        raise InputValueError(f"groups must have one value per text, shape ({n_samples},), not {values.shape}")
    try:
        _, first_rows, sorted_numbers = np.unique(values, return_index=True, return_inverse=True)
    except TypeError:  # values that cannot be ordered together, such as str and None
        raise InputTypeError(f"groups must be values of one kind (all str or all int), not a mix of {_kinds(values)}") from None
    number_by_first_row = np.empty(len(first_rows), dtype=np.intp)
    number_by_first_row[np.argsort(first_rows)] = np.arange(len(first_rows))
    return number_by_first_row[sorted_numbers.reshape(-1)]


def _kinds(values: np.ndarray) -> str:
    return ", ".join(sorted({type(value).__name__ for value in values.tolist()}))


def _stratified_folds(
    indicator: np.ndarray, folds: int, seed: int, groups: np.ndarray | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, held_out)`` rows of each of ``folds`` folds, keeping each label's share (and groups whole)."""
    rows = np.arange(indicator.shape[0])
    units = rows if groups is None else np.unique(groups)
    if folds > len(units):
        what = "training texts" if groups is None else "groups"
        raise InputValueError(f"validation_folds={folds} needs at least as many {what}, got {len(units)}")
    if groups is None:
        return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(rows, _strata(indicator, folds)))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(rows, _strata(indicator, folds), groups))


def _stratified_splits(
    indicator: np.ndarray, fraction: float, seeds: Iterable[int], groups: np.ndarray | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, held_out)`` rows of one split per seed, each keeping each label's share (and groups whole)."""
    strata = _strata(indicator, 2)
    if groups is None:
        return [_stratified_split(strata, fraction, seed) for seed in seeds]
    # Split the groups, each stratified by its first row: rows of one text share their labels.
    first_rows = np.unique(groups, return_index=True)[1]
    group_strata = _strata(indicator[first_rows], 2)
    splits = []
    for seed in seeds:
        held_out = np.isin(groups, _stratified_split(group_strata, fraction, seed)[1])
        splits.append((np.flatnonzero(~held_out), np.flatnonzero(held_out)))
    return splits


def _stratified_split(strata: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split rows keeping each stratum's share (each row's rarest label, see :func:`_strata`)."""
    rows = np.arange(len(strata))
    try:
        return tuple(train_test_split(rows, test_size=fraction, random_state=seed, stratify=strata))  # type: ignore[return-value]
    except ValueError:
        return tuple(train_test_split(rows, test_size=fraction, random_state=seed))  # type: ignore[return-value]

