"""Tagging story items with topics, and finding the shipped default model."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import numpy as np

from ._errors import InputTooLargeError, InputTypeError, InputValueError, ModelNotFoundError
from ._fast import FastScorer, scorer_for
from ._items import StoryItem, TaggedItem, TopicPrediction
from ._persist import MODEL_FILENAME, load_model, load_scorer
from ._text import DEFAULT_MAX_CHARS, check_max_chars

__all__ = ["classify", "classify_page", "default_model", "default_model_path"]

_EXPLANATION_TERMS = 8
# Texts featurised at once: enough for the batch work to pay, few enough for the batch's arrays
# to stay in the processor's caches (and memory bounded): at most so many texts or characters.
PREDICTION_CHUNK_TEXTS = 4096
PREDICTION_CHUNK_CHARACTERS = 600_000
if TYPE_CHECKING:
    from ._model import TopicClassifier

_default_model: TopicClassifier | None = None
_default_scorer: FastScorer | None = None
_default_model_lock = threading.Lock()

ModelLike: TypeAlias = "TopicClassifier | str | PathLike[str] | None"
# What predictions are made with: a whole model, or (for a model file) only its scorer.
Scoring: TypeAlias = "TopicClassifier | FastScorer"


# A dict is iterable (over its keys): a record passed whole would be classified by its field names.
MAPPING_HINT = " (a mapping: pass its text, e.g. record['text'], or a list of texts)"


def default_model_path() -> Path:
    """Return the path of the shipped default model file.

    In an installed wheel it is package data (``newsclass/models/default``); in
    a source checkout or editable install it is the repository's ``models/default``.

    Examples
    --------
    >>> default_model_path().name
    'model.zip'
    """
    packaged = resources.files("newsclass").joinpath("models", "default", MODEL_FILENAME)
    if packaged.is_file():
        return Path(str(packaged))
    in_repository = Path(__file__).resolve().parent.parent / "models" / "default" / MODEL_FILENAME
    if in_repository.is_file():
        return in_repository
    raise ModelNotFoundError(
        "the default model is missing from this installation (looked in the package's "
        f"models/default and in {in_repository.parent}); reinstall newsclass",
        path=in_repository,
    )


def default_model() -> TopicClassifier:
    """Return the shipped default model, loading it on first use (thread-safe)."""
    global _default_model
    if _default_model is None:
        with _default_model_lock:
            if _default_model is None:
                _default_model = load_model(default_model_path())
    return _default_model


@overload
def classify(
    items: str | StoryItem, *, model: ModelLike = ..., threshold: float | None = ..., top_k: int | None = ...,
    explain: bool = ..., max_chars: int | None = ...
) -> TopicPrediction: ...
@overload
def classify(
    items: Iterable[str | StoryItem], *, model: ModelLike = ..., threshold: float | None = ..., top_k: int | None = ...,
    explain: bool = ..., max_chars: int | None = ...
) -> list[TopicPrediction]: ...
def classify(items, *, model=None, threshold=None, top_k=None, explain=False, max_chars=DEFAULT_MAX_CHARS):  # type: ignore[no-untyped-def]
    """Tag story items with topics.

    Parameters
    ----------
    items : str, StoryItem, or iterable of them
        One item gives one prediction; any iterable gives a list of the same
        length and order. A :class:`StoryItem` is read through its ``text``
        (title, body and caption).
    model : TopicClassifier, path, or None
        The model, or the path of a model file; None uses the shipped default.
    threshold : float, optional
        One probability threshold for every label, instead of the model's
        per-label thresholds tuned on validation data.
    top_k : int, optional
        Keep at most this many labels per item.
    explain : bool
        Also return, for each assigned label, the terms that pushed it most.
    max_chars : int or None
        Refuse an item longer than this many characters (default 5,000,000,
        as for a page); None for no limit. Scoring time and memory grow with
        an item's length, so the limit bounds what one hostile item can cost.

    Returns
    -------
    TopicPrediction or list of TopicPrediction

    Raises
    ------
    InputTypeError
        An item is neither ``str`` nor :class:`StoryItem` (the message gives its position).
    InputValueError
        ``threshold`` is not in [0, 1] or ``top_k`` is not a positive integer.
    InputTooLargeError
        An item is longer than ``max_chars`` (the message gives its position).

    Examples
    --------
    >>> prediction = classify("Oil prices jumped after the cartel agreed to cut crude output.")
    >>> prediction.top
    'energy'
    >>> [p.top for p in classify(["Striker scores twice in the cup final", "Tariffs on steel imports double"])]
    [None, 'trade']
    """
    _check_options(threshold, top_k, max_chars)
    resolved = _resolve_scoring(model, explain)
    if isinstance(items, (str, StoryItem)):
        return _predict(resolved, [_text_of(items, None, max_chars)], threshold, top_k, explain)[0]
    if isinstance(items, (bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        raise InputTypeError(
            f"items must be a str, a StoryItem or an iterable of them, not {type(items).__name__}"
            + MAPPING_HINT * isinstance(items, Mapping)
        )
    texts = [_text_of(item, position, max_chars) for position, item in enumerate(items)]
    return _predict(resolved, texts, threshold, top_k, explain)


def classify_page(
    page: str | bytes,
    *,
    format: str = "auto",
    encoding: str | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    model: ModelLike = None,
    threshold: float | None = None,
    top_k: int | None = None,
    explain: bool = False,
) -> list[TaggedItem]:
    """Segment a page and tag each of its story items: :func:`segment` then :func:`classify`.

    Parameters are those of :func:`newsclass.segment` (``format``, ``encoding``,
    ``max_chars``) and :func:`classify` (``model``, ``threshold``, ``top_k``, ``explain``).

    Returns
    -------
    list of TaggedItem
        One per story item, in page order.

    Examples
    --------
    >>> page = "Reactor restarts\\n\\nThe nuclear power plant resumed supplying electricity to the grid.\\n"
    >>> [(tagged.item.title, tagged.prediction.top) for tagged in classify_page(page)]
    [('Reactor restarts', 'energy')]
    """
    from ._segment import segment  # not imported with the module: classifying items alone never needs it

    items = segment(page, format=format, encoding=encoding, max_chars=max_chars)
    predictions = classify(items.items, model=model, threshold=threshold, top_k=top_k, explain=explain, max_chars=None)
    return [TaggedItem(item, prediction) for item, prediction in zip(items, predictions)]


def _check_options(threshold: float | None, top_k: int | None, max_chars: int | None = None) -> None:
    check_max_chars(max_chars)
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1):
        raise InputValueError(f"threshold must be a number from 0 to 1, not {threshold!r}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise InputValueError(f"top_k must be a positive integer, not {top_k!r}")


def _resolve_model(model: ModelLike) -> TopicClassifier:
    if model is None:
        return default_model()
    if isinstance(model, (str, PathLike)):
        return load_model(model)
    from ._model import TopicClassifier

    if isinstance(model, TopicClassifier):
        return model
    raise InputTypeError(f"model must be a TopicClassifier, a path to a model file or None, not {type(model).__name__}")


def _resolve_scoring(model: ModelLike, explain: bool) -> Scoring:
    """What to predict with: for the default model or a model file, only its scorer, read
    without importing scikit-learn; the whole model to explain (explanations name its terms)."""
    if isinstance(model, FastScorer) and not explain:  # a worker's scorer, loaded already
        return model
    if explain or not (model is None or isinstance(model, (str, PathLike))):
        return _resolve_model(model)
    if model is not None:
        return load_scorer(model) or load_model(model)
    return _default_scoring()


def _default_scoring() -> Scoring:
    """The default model's scorer, loaded on first use (thread-safe); the model's own when it is loaded already."""
    global _default_scorer
    if _default_scorer is None and _default_model is not None:
        return scorer_for(_default_model) or _default_model
    if _default_scorer is None:
        with _default_model_lock:
            if _default_scorer is None:
                _default_scorer = load_scorer(default_model_path())
    # None only for a default model of n-grams the scorer does not read: never shipped, but safe.
    return _default_scorer or default_model()


def _text_of(item: object, position: int | None, max_chars: int | None) -> str:
    where = f" at position {position}" if position is not None else ""
    if isinstance(item, StoryItem):
        text = item.text
    elif isinstance(item, str):
        text = item
    else:
        raise InputTypeError(f"item{where} must be str or StoryItem, not {type(item).__name__}", position=position)
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(
            f"item{where} has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it, or pass a larger max_chars (None for no limit)",
            position=position,
        )
    return text


def _predict(
    model: Scoring, texts: list[str], threshold: float | None, top_k: int | None, explain: bool
) -> list[TopicPrediction]:
    predictions: list[TopicPrediction] = []
    for start, end in _chunk_bounds(texts):
        predictions.extend(_predict_chunk(model, texts[start:end], threshold, top_k, explain))
    return predictions


def _chunk_bounds(texts: list[str]) -> list[tuple[int, int]]:
    """Consecutive (start, end) slices of at most PREDICTION_CHUNK_TEXTS texts and, but for a
    single longer text, PREDICTION_CHUNK_CHARACTERS characters."""
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    bounds = []
    start = 0
    while start < len(texts):
        before = int(ends[start - 1]) if start else 0
        by_characters = int(np.searchsorted(ends, before + PREDICTION_CHUNK_CHARACTERS, side="right"))
        end = min(start + PREDICTION_CHUNK_TEXTS, max(by_characters, start + 1), len(texts))
        bounds.append((start, end))
        start = end
    return bounds


def _predict_chunk(
    model: Scoring, texts: list[str], threshold: float | None, top_k: int | None, explain: bool
) -> list[TopicPrediction]:
    if not texts:
        return []
    features, probabilities = _score(model, texts, explain)
    return _predictions(model, probabilities, features, threshold, top_k)


def probabilities_of(model: Scoring, texts: list[str]) -> np.ndarray:
    """Probabilities of any number of texts, scored in :func:`classify`'s chunks.

    For callers that pass a whole partition (Dask, a worker process): the scorer's
    arrays grow with the batch and are fastest while they stay in the caches.
    """
    return np.vstack([_score(model, texts[start:end])[1] for start, end in _chunk_bounds(texts)])


def _score(model: Scoring, texts: list[str], explain: bool = False) -> tuple[Any, np.ndarray]:
    """Probabilities of ``texts``, and to explain them their TF-IDF features (else None):
    the fast path when the model allows it."""
    scorer = model if isinstance(model, FastScorer) else scorer_for(model)
    scoring = model if scorer is None else scorer
    # Explanations name the whole text's terms; the probabilities also weigh its lead.
    return (scoring.transform(texts) if explain else None), scoring.predict_proba(texts)


def _predictions(
    model: Scoring, probabilities: np.ndarray, features: Any, threshold: float | None, top_k: int | None
) -> list[TopicPrediction]:
    """Predictions from probabilities; with ``features``, explained by their terms."""
    thresholds = model.thresholds_ if threshold is None else np.full(len(model.classes_), threshold)
    labels = [str(label) for label in model.classes_]
    passed = probabilities >= thresholds
    # Passing labels first, best first; a stable sort keeps argsort(-row)'s order among ties.
    order = np.argsort(np.where(passed, -probabilities, np.inf), axis=1, kind="stable").tolist()
    counts = passed.sum(axis=1)
    if top_k is not None:
        np.minimum(counts, top_k, out=counts)
    label_of = labels.__getitem__
    predictions = []
    for row_number, (row, row_order, count) in enumerate(zip(_rounded(probabilities).tolist(), order, counts.tolist())):
        assigned = row_order[:count]
        explanation = None
        if features is not None:
            row_features = features[row_number]
            explanation = {
                labels[column]: tuple(model.term_contributions(row_features, column, _EXPLANATION_TERMS))
                for column in assigned
            }
        predictions.append(
            TopicPrediction(labels=tuple(map(label_of, assigned)), scores=dict(zip(labels, row)), explanation=explanation)
        )
    return predictions


def _rounded(probabilities: np.ndarray) -> np.ndarray:
    """``round(p, 6)`` of every probability, as Python rounds, but vectorised.

    ``rint(p * 1e6) / 1e6`` is Python's correctly rounded result whenever
    ``p * 1e6`` (off by at most about 1e-10) is not near a half: the division of
    an exact integer by 1e6 is correctly rounded. The rare values near a half
    are rounded by Python itself.
    """
    scaled = probabilities * 1e6
    rounded = np.rint(scaled) / 1e6
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if near_half.any():
        rounded[near_half] = [round(value, 6) for value in probabilities[near_half].tolist()]
    return rounded
