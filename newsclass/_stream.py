"""Classifying streams of any length: in chunks, in bounded memory, optionally over worker processes."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from ._classify import (
    MAPPING_HINT,
    ModelLike,
    Scoring,
    _check_options,
    _predict,
    _predictions,
    _resolve_scoring,
    _text_of,
    probabilities_of,
)
from ._errors import InputTooLargeError, InputTypeError, InputValueError
from ._items import StoryItem, TopicPrediction
from ._persist import save_model
from ._text import DEFAULT_MAX_CHARS

__all__ = ["ItemError", "classify_stream", "in_workers", "predict_records", "worker_scoring"]

T = TypeVar("T")
DEFAULT_CHUNK_SIZE = 1024
# Models loaded in this (worker) process, by path and modification time: loaded once, used for every chunk.
_worker_models: dict[tuple[str | None, int, bool], Scoring] = {}


@dataclass(frozen=True, slots=True)
class ItemError:
    """An input item that could not be read; it is passed through, in order, instead of a prediction."""

    message: str


def classify_stream(
    items: Iterable[str | StoryItem],
    *,
    model: ModelLike = None,
    threshold: float | None = None,
    top_k: int | None = None,
    explain: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
    max_chars: int | None = DEFAULT_MAX_CHARS,
) -> Iterator[TopicPrediction]:
    """Tag a stream of items with topics, lazily, in bounded memory.

    Items are read ``chunk_size`` at a time, so any iterable works, a generator
    over a file of millions of lines included; only a few chunks are held at
    once. Predictions come in input order and equal :func:`classify`'s.

    Parameters
    ----------
    items : iterable of str or StoryItem
        The items; a :class:`StoryItem` is read through its ``text``.
    model, threshold, top_k, explain, max_chars
        As for :func:`classify`.
    chunk_size : int
        Items featurised together: larger chunks are faster per item, up to a
        few thousand (see docs/performance.md).
    jobs : int
        Worker processes (joblib); 1 classifies in this process. Each worker
        loads the model once.

    Yields
    ------
    TopicPrediction
        One per item, in input order.

    Raises
    ------
    InputTypeError
        An item is neither ``str`` nor :class:`StoryItem` (its position is in the message).
    InputValueError
        An option is out of range.
    InputTooLargeError
        An item is longer than ``max_chars`` (its position is in the message).

    Examples
    --------
    >>> texts = (f"Oil prices rose {n} percent after the cartel cut crude output." for n in range(3))
    >>> [prediction.top for prediction in classify_stream(texts, chunk_size=2)]
    ['energy', 'energy', 'energy']
    """
    if isinstance(items, (str, bytes, bytearray, StoryItem, Mapping)) or not isinstance(items, Iterable):
        raise InputTypeError(
            f"items must be an iterable of str or StoryItem, not {type(items).__name__}" + MAPPING_HINT * isinstance(items, Mapping)
        )
    records = ((position, item) for position, item in enumerate(items))
    for _, _, result in predict_records(
        records, model=model, threshold=threshold, top_k=top_k, explain=explain, chunk_size=chunk_size, jobs=jobs,
        max_chars=max_chars, strict=True,
    ):
        yield result  # type: ignore[misc]  # strict: never an ItemError


def predict_records(
    records: Iterable[tuple[Any, str | StoryItem | ItemError]],
    *,
    model: ModelLike = None,
    threshold: float | None = None,
    top_k: int | None = None,
    explain: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    strict: bool = False,
) -> Iterator[tuple[Any, str | StoryItem | ItemError, TopicPrediction | ItemError]]:
    """Classify ``(identifier, item)`` records; yield ``(identifier, item, prediction or error)`` in order.

    An :class:`ItemError` item, or with ``strict=False`` an item of the wrong
    type or over ``max_chars``, gives an :class:`ItemError` result in its place
    and the run goes on.
    """
    _check_options(threshold, top_k, max_chars)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputValueError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InputValueError(f"jobs must be a positive integer, not {jobs!r}")
    resolved = _resolve_scoring(model, explain)
    prepared = (_prepare(chunk, strict, max_chars) for chunk in _chunks(iter(records), chunk_size))
    if jobs == 1:
        for chunk in prepared:
            yield from _merged(chunk, _predict(resolved, chunk.texts, threshold, top_k, explain))
        return
    with _ModelFile(model, resolved) as path:
        for chunk, scored in _scored_in_workers(prepared, path, jobs, (threshold, top_k, explain)):
            if explain:
                predictions = scored
            else:
                predictions = _predictions(resolved, scored, None, threshold, top_k) if len(chunk.texts) else []
            yield from _merged(chunk, predictions)


def _chunks(records: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(records, size)):
        yield chunk


@dataclass(slots=True)
class _Chunk:
    """A chunk of records: their texts to score, and the results known before scoring (errors)."""

    records: list[tuple[Any, Any]]
    texts: list[str]
    readable: list[int]
    results: list[Any]


def _prepare(chunk: list[tuple[Any, Any]], strict: bool, max_chars: int | None) -> _Chunk:
    texts: list[str] = []
    readable: list[int] = []
    results: list[Any] = [None] * len(chunk)
    for index, (identifier, item) in enumerate(chunk):
        if isinstance(item, ItemError):
            results[index] = item
            continue
        try:
            texts.append(_text_of(item, identifier if strict else None, max_chars))
        except (InputTypeError, InputTooLargeError) as error:
            if strict:
                raise
            results[index] = ItemError(str(error))
            continue
        readable.append(index)
    return _Chunk(chunk, texts, readable, results)


def _merged(prepared: _Chunk, predictions: list[TopicPrediction]) -> list[tuple[Any, Any, Any]]:
    for index, prediction in zip(prepared.readable, predictions):
        prepared.results[index] = prediction
    return [(identifier, item, result) for (identifier, item), result in zip(prepared.records, prepared.results)]


class _ModelFile:
    """The path a worker process loads the model from: a temporary copy for an in-memory model."""

    def __init__(self, model: ModelLike, resolved: Scoring) -> None:
        self._model = model
        self._resolved = resolved
        self._temporary: str | None = None

    def __enter__(self) -> str | None:
        model = self._model
        if model is None:
            return None
        if isinstance(model, (str, PathLike)):
            return str(model)
        descriptor, self._temporary = tempfile.mkstemp(prefix="newsclass-model-", suffix=".zip")
        os.close(descriptor)
        save_model(self._resolved, self._temporary)
        return self._temporary

    def __exit__(self, *exc_info: object) -> None:
        if self._temporary is not None:
            Path(self._temporary).unlink(missing_ok=True)


def _scored_in_workers(
    chunks: Iterator[_Chunk], path: str | None, jobs: int, options: tuple[float | None, int | None, bool]
) -> Iterator[tuple[_Chunk, Any]]:
    """Each chunk with its texts' probabilities (or, to explain, predictions) computed by a worker process."""
    return in_workers(_worker_score, chunks, lambda chunk: (path, chunk.texts, options), jobs)


def in_workers(
    function: Callable[..., Any], chunks: Iterable[T], arguments: Callable[[T], tuple[Any, ...]], jobs: int
) -> Iterator[tuple[T, Any]]:
    """Each chunk with ``function(*arguments(chunk))`` computed by a worker process (joblib), in input order.

    Only a few chunks are read ahead of the output, so memory stays bounded.
    """
    from joblib import Parallel, delayed

    # Results come back in task order, so the chunks waiting for them form a queue.
    waiting: deque[T] = deque()

    def tasks() -> Iterator[Any]:
        for chunk in chunks:
            waiting.append(chunk)
            yield delayed(function)(*arguments(chunk))

    # A generator keeps input order; pre-dispatch bounds the chunks read ahead of the output.
    for result in Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")(tasks()):
        yield waiting.popleft(), result


def _worker_score(path: str | None, texts: list[str], options: tuple[float | None, int | None, bool]) -> Any:
    # Probabilities travel back far cheaper than prediction objects; explanations need the features here.
    threshold, top_k, explain = options
    model = worker_scoring(path, explain)
    if explain:
        return _predict(model, texts, threshold, top_k, True)
    return probabilities_of(model, texts) if texts else None


def worker_scoring(path: str | None, explain: bool) -> Scoring:
    """The model (or scorer) of ``path`` (None: the default), loaded once per worker process."""
    key = (path, os.stat(path).st_mtime_ns if path is not None and os.path.isfile(path) else 0, explain)
    if key not in _worker_models:
        _worker_models.clear()  # one model at a time per worker
        _worker_models[key] = _resolve_scoring(path, explain)
    return _worker_models[key]
