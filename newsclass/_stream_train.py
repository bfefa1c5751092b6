"""Training out of core: from a labelled CSV larger than memory, in passes, with a hashing vectorizer.

The in-memory trainer (:func:`newsclass.train`) holds the whole TF-IDF matrix.
This one reads the CSV a chunk at a time, several times:

1. a first pass counts labels and each hashed term's document frequency (the
   idf), and keeps a small, bounded validation sample (one row in ten, at most
   ``validation_rows``);
2. each training pass hashes a chunk's uni- and bigrams into ``2**hash_bits``
   columns (``HashingVectorizer``, same tokens as the in-memory model),
   applies sublinear tf, the idf and l2 normalisation, and takes one
   ``SGDClassifier(loss="log_loss").partial_fit`` step per label, positives
   weighted by the negative/positive ratio (``class_weight="balanced"`` cannot
   be used with ``partial_fit``; this trainer does not offer ``"sqrt_balanced"``);
3. a last pass turns hashed columns back into the terms that fell into them
   (keeping the ``max_terms`` strongest columns), so that the result is an
   ordinary :class:`TopicClassifier` with a vocabulary: it is saved in the
   usual model file format, scored by the fast path, and calibrated (Platt
   scaling and F1-best thresholds) on the validation sample like any other.

Memory is bounded by the chunk size, the hashed space, the validation sample
and the kept terms, not by the number of rows.
"""

from __future__ import annotations

import hashlib
import logging
import platform
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import normalize

from ._model import (
    TopicClassifier,
    calibrate_label,
    check_lead_tokens,
    check_seed,
    check_threshold_beta,
    check_threshold_rule,
)
from ._stop_words import resolve_stop_words, stop_word_terms
from ._train import (
    CARD_FILENAME,
    check_label_counts,
    check_out_folder,
    iter_labelled_rows,
    rows_of_labels_in,
    write_model_folder,
)
from ._version import __version__

__all__ = ["train_streaming"]

logger = logging.getLogger(__name__)

# Passes of SGD over the file, and hashed columns whose terms are kept: chosen on the default
# training data by macro-F1 on the trainer's own validation rows (never on a test set): against
# 5 passes and 200,000 columns, 8 passes and 600,000 columns scored +0.009 (hash_bits 22: no gain,
# half the default alpha: -0.003). See docs/performance.md.
DEFAULT_PASSES = 8
DEFAULT_MAX_TERMS = 600_000


def train_streaming(
    path: str | PathLike[str],
    out: str | PathLike[str],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    label_separator: str = "|",
    passes: int = DEFAULT_PASSES,
    chunk_size: int = 20_000,
    hash_bits: int = 21,
    max_terms: int = DEFAULT_MAX_TERMS,
    alpha: float | None = None,
    validation_rows: int = 20_000,
    stop_words: str | Collection[str] | None = "english",
    lead_tokens: int | None = 60,
    threshold_beta: float = 1.0,
    threshold_rule: str = "argmax",
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> TopicClassifier:
    """Train a model from a labelled CSV of any size, in passes over the file, and write it to ``out``.

    The CSV is the one :func:`newsclass.train` reads. Writes ``model.zip``
    (the usual format) and ``MODEL_CARD.md`` to the folder ``out``.

    Parameters
    ----------
    passes : int
        Training passes over the file (after the counting pass, before the terms pass).
    chunk_size : int
        Rows held in memory at once.
    hash_bits : int
        The hashed feature space has ``2**hash_bits`` columns.
    max_terms : int
        Hashed columns kept in the saved model, the strongest: with every term that fell into
        them (so the model may hold more terms than this).
    stop_words : "english", None, or collection of str
        As :class:`newsclass.TopicClassifier`'s: terms made only of them are dropped as the
        file is read, so they take no hashed column and no part in a row's norm.
    lead_tokens : int or None
        As :class:`newsclass.TopicClassifier`'s: a long text also scores its first
        ``lead_tokens`` tokens, and calibration uses the same score.
    threshold_beta : float
        As :class:`newsclass.TopicClassifier`'s: each label's threshold maximises F-beta on
        the validation sample; above 1 favours recall.
    threshold_rule : "argmax" or "calibrated"
        As :class:`newsclass.TopicClassifier`'s: how a threshold is read off the validation sample.
    alpha : float, optional
        SGD's regularisation strength; by default ``1.5 / training rows``, which
        was best on samples of the default training data (a few passes of SGD
        need more regularisation than the exact solver's ``C``).

    Raises
    ------
    DataError
        Naming the file and row: a missing column, a malformed label, too few examples of a label.
    """
    check_out_folder(out)
    say = progress or logger.info
    file = Path(path)
    check_lead_tokens(lead_tokens)
    check_threshold_beta(threshold_beta)
    check_threshold_rule(threshold_rule)
    check_seed(random_state)
    template = TopicClassifier(
        random_state=random_state, stop_words=stop_words, lead_tokens=lead_tokens, threshold_beta=threshold_beta,
        threshold_rule=threshold_rule,
    )
    hashing = _hashing_vectorizer(template, hash_bits)
    # Pass 1: labels, document frequencies, the validation sample.
    document_frequency = np.zeros(2**hash_bits, dtype=np.int64)
    label_counts: Counter[str] = Counter()
    rows = rows_without_label = 0
    validation: list[tuple[str, tuple[str, ...]]] = []
    digest = hashlib.sha256()
    for chunk in _chunks(file, text_column, labels_column, label_separator, chunk_size, digest):
        counts = hashing.transform([text for _, text, _ in chunk])
        document_frequency += np.bincount(counts.indices, minlength=2**hash_bits)
        for row_number, text, labels in chunk:
            rows += 1
            rows_without_label += not labels
            label_counts.update(labels)
            if _is_validation(row_number) and len(validation) < validation_rows:
                validation.append((text, labels))
        say(f"pass 1 (counting): {rows:,} rows")
    check_label_counts(
        label_counts, path=file, column=labels_column,
        rows_of=rows_of_labels_in(file, text_column=text_column, labels_column=labels_column, label_separator=label_separator),
    )
    classes = sorted(label_counts)
    idf = (np.log((1 + rows) / (1 + document_frequency)) + 1).astype(np.float64)
    # As the in-memory model's min_df and max_df: columns in too few or too many rows carry no weight.
    idf[(document_frequency < template.min_df) | (document_frequency > template.max_df * rows)] = 0.0
    positives = np.array([label_counts[label] for label in classes], dtype=np.float64)
    positive_weight = np.maximum((rows - positives) / np.maximum(positives, 1), 1.0)
    # Passes 2..: one partial_fit step per label and chunk.
    if alpha is None:
        alpha = 1.5 / max(rows - sum(map(_is_validation, range(2, rows + 2))), 1)
    classifiers = [
        SGDClassifier(loss="log_loss", alpha=alpha, random_state=random_state, average=True) for _ in classes
    ]
    rng = np.random.default_rng(random_state)
    for number in range(passes):
        seen = 0
        for chunk in _chunks(file, text_column, labels_column, label_separator, chunk_size):
            training = [(text, labels) for row_number, text, labels in chunk if not _is_validation(row_number)]
            if not training:
                continue
            order = rng.permutation(len(training))
            features = _tfidf(hashing.transform([training[i][0] for i in order]), idf)
            for column, (label, classifier) in enumerate(zip(classes, classifiers)):
                target = np.fromiter((label in training[i][1] for i in order), dtype=np.int8, count=len(order))
                weight = np.where(target == 1, positive_weight[column], 1.0)
                classifier.partial_fit(features, target, classes=np.array([0, 1]), sample_weight=weight)
            seen += len(training)
            say(f"pass {number + 2} of {passes + 2} (training): {seen:,} rows")
    coef = np.vstack([classifier.coef_[0] for classifier in classifiers]).astype(np.float32)
    intercept = np.array([classifier.intercept_[0] for classifier in classifiers], dtype=np.float32)
    # Last pass: the terms behind the strongest hashed columns.
    strength = np.abs(coef).max(axis=0)
    kept = np.argsort(-strength, kind="stable")[:max_terms]
    kept = kept[strength[kept] > 0]
    terms = _terms_of_columns(file, text_column, labels_column, label_separator, chunk_size, hashing, set(kept.tolist()), say)
    model = _vocabulary_model(template, classes, terms, idf, coef, intercept)
    _calibrate(model, validation)
    metadata = _metadata(model, file, digest.hexdigest(), rows, rows_without_label, label_counts, passes, hash_bits, alpha)
    saved = write_model_folder(model, out, metadata)
    say(f"wrote {saved} and {saved.parent / CARD_FILENAME}")
    return model


def _is_validation(row_number: int) -> bool:
    return row_number % 10 == 0


def _chunks(
    file: Path, text_column: str, labels_column: str, separator: str, size: int, digest: Any = None
) -> Iterator[list[tuple[int, str, tuple[str, ...]]]]:
    """The file's rows as (row number, text, labels), ``size`` at a time, validated as :func:`train` does."""
    rows = iter_labelled_rows(
        file, text_column=text_column, labels_column=labels_column, label_separator=separator, digest=digest
    )
    while chunk := list(islice(rows, size)):
        yield chunk


def _hashing_vectorizer(template: TopicClassifier, hash_bits: int) -> HashingVectorizer:
    """Raw counts of the template's terms in ``2**hash_bits`` columns, without its stop-word terms."""
    words = template._new_vectorizer().build_analyzer()  # the in-memory model's terms, exactly
    stop_words = resolve_stop_words(template.stop_words)
    analyzer = _WithoutTerms(words, stop_word_terms(stop_words, template.ngram_range[1])) if stop_words else words
    return HashingVectorizer(n_features=2**hash_bits, alternate_sign=False, norm=None, analyzer=analyzer, dtype=np.float32)


class _WithoutTerms:
    """An analyzer that drops the given terms from another's output."""

    def __init__(self, analyzer: Callable[[str], list[str]], dropped: frozenset[str]) -> None:
        self.analyzer, self.dropped = analyzer, dropped

    def __call__(self, text: str) -> list[str]:
        dropped = self.dropped
        return [term for term in self.analyzer(text) if term not in dropped]


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    counts = counts.tocsr()
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)


def _terms_of_columns(
    file: Path, text_column: str, labels_column: str, separator: str, size: int, hashing: HashingVectorizer,
    columns: set[int], say: Callable[[str], None],
) -> dict[str, int]:
    """Every term of the file that hashes into one of ``columns``, with its column."""
    analyzer = hashing.build_analyzer()
    # The same hash as the vectorizer's, of each whole term.
    exact = HashingVectorizer(n_features=hashing.n_features, alternate_sign=False, norm=None, analyzer=_itself)
    wanted = np.zeros(hashing.n_features, dtype=bool)
    wanted[list(columns)] = True
    found: dict[str, int] = {}
    rows = 0
    for chunk in _chunks(file, text_column, labels_column, separator, size):
        candidates = list({term for _, text, _ in chunk for term in analyzer(text)} - found.keys())
        if candidates:
            hashed = exact.transform(candidates).indices  # one column per term, in order
            for position in np.flatnonzero(wanted[hashed]).tolist():
                found[candidates[position]] = int(hashed[position])
        rows += len(chunk)
        say(f"last pass (terms): {rows:,} rows, {len(found):,} terms kept")
    return found


def _itself(term: str) -> list[str]:
    return [term]


def _vocabulary_model(
    template: TopicClassifier, classes: list[str], terms: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray
) -> TopicClassifier:
    model = template
    ordered = sorted(terms)
    columns = np.array([terms[term] for term in ordered], dtype=np.int64)
    model.classes_ = np.asarray(classes, dtype=object)
    model.vectorizer_ = model._new_vectorizer()
    model.vectorizer_.vocabulary_ = {term: index for index, term in enumerate(ordered)}
    model.vectorizer_.idf_ = idf[columns]
    model.coef_ = np.ascontiguousarray(coef[:, columns])
    model.intercept_ = intercept
    model.calibration_ = np.vstack([np.ones(len(classes)), np.zeros(len(classes))])
    model.thresholds_ = np.full(len(classes), 0.5)
    model._terms_cache = np.asarray(ordered, dtype=object)
    return model


def _calibrate(model: TopicClassifier, validation: list[tuple[str, tuple[str, ...]]]) -> None:
    """Platt scaling and F-beta-best thresholds per label on the validation sample."""
    model.validation_scores_ = {}
    if not validation:
        return
    scores = model._scores(model.vectorizer_, model.coef_, model.intercept_, [text for text, _ in validation])
    for column, label in enumerate(model.classes_):
        target = np.fromiter((label in labels for _, labels in validation), dtype=np.int8, count=len(validation))
        if target.min() == target.max():
            continue
        model.calibration_[:, column], model.thresholds_[column], model.validation_scores_[str(label)] = calibrate_label(
            scores[:, column], target, model.threshold_beta, model.threshold_rule
        )


def _metadata(
    model: TopicClassifier, file: Path, sha256: str, rows: int, rows_without_label: int, label_counts: Counter[str],
    passes: int, hash_bits: int, alpha: float,
) -> dict[str, Any]:
    return {
        "rows": rows,
        "rows_without_label": rows_without_label,
        "label_counts": dict(sorted(label_counts.items())),
        "training_files": [{"path": file.name, "sha256": sha256, "rows": rows}],
        "hyperparameters": {"trainer": "streaming", "passes": passes, "hash_bits": hash_bits, "alpha": alpha,
                            "loss": "log_loss", "ngram_range": list(model.ngram_range),
                            "threshold_beta": model.threshold_beta, "threshold_rule": model.threshold_rule},
        "validation": getattr(model, "validation_scores_", {}),
        "thresholds": {str(label): float(threshold) for label, threshold in zip(model.classes_, model.thresholds_)},
        "terms": int(model.coef_.shape[1]),
        "versions": {"newsclass": __version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__, "python": platform.python_version()},
    }
