"""Classifying Dask collections: train once, score everywhere.

An optional extra: ``pip install 'newsclass[dask]'``. The functions build lazy
Dask collections with ``map_partitions``; each worker process loads the model
once (from the packaged default, a model file every worker can read, or the
bytes of an in-memory model shipped once per worker) and scores partition by
partition with the fast prediction path: a worker reads only the scorer's
arrays and never imports scikit-learn.

Example (tested in tests/test_dask.py, not as a doctest: it needs the extra)::

    import pandas as pd, dask.dataframe as dd
    from newsclass.dask import classify_dataframe

    frame = dd.from_pandas(pd.DataFrame({"text": ["Crude output cut", "Court jails mayor"]}), npartitions=2)
    classify_dataframe(frame, "text").compute()["top"].tolist()   # ['energy', 'justice']
"""

from __future__ import annotations

import hashlib
import threading
from os import PathLike
from typing import Any

import numpy as np

from ._classify import (
    ModelLike,
    Scoring,
    _check_options,
    _predictions,
    _resolve_scoring,
    _rounded,
    probabilities_of,
)
from ._errors import InputTypeError, InputValueError
from ._items import TopicPrediction
from ._persist import model_bytes

__all__ = ["classify_bag", "classify_dataframe"]

_EXTRA_MESSAGE = "newsclass.dask needs Dask: install 'newsclass[dask]' (dask[dataframe] and distributed)"


def _import_dask() -> Any:
    try:
        import dask
        import dask.dataframe  # noqa: F401
    except ImportError as error:
        raise ImportError(_EXTRA_MESSAGE) from error
    return dask


class ModelReference:
    """What a task carries to find the model: a path, the default model, or an in-memory model's bytes.

    It is small to send for a path or the default; for an in-memory model it
    holds the model file's bytes, which :func:`dask.delayed` sends once per
    worker. Each worker process loads it once and keeps it.
    """

    _loaded: dict[str, Scoring] = {}
    _lock = threading.Lock()

    def __init__(self, model: ModelLike) -> None:
        self.path: str | None = None
        self.payload: bytes | None = None
        if isinstance(model, (str, PathLike)):
            self.path = str(model)
        elif model is not None:
            # Here only, on the client, with a model in hand: workers never import scikit-learn.
            from ._model import TopicClassifier

            if not isinstance(model, TopicClassifier):
                raise InputTypeError(
                    f"model must be a TopicClassifier, a path to a model file or None, not {type(model).__name__}"
                )
            self.payload = model_bytes(model)
        self.key = hashlib.sha256(self.payload).hexdigest() if self.payload is not None else f"path:{self.path}"

    def load(self) -> Scoring:
        if self.path is None and self.payload is None:
            return _resolve_scoring(None, explain=False)
        with self._lock:
            if self.key not in self._loaded:
                self._loaded.clear()  # one model per worker process at a time
                self._loaded[self.key] = self._read()
            return self._loaded[self.key]

    def _read(self) -> Scoring:
        if self.path is not None:
            return _resolve_scoring(self.path, explain=False)
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            file = Path(folder) / "model.zip"
            file.write_bytes(self.payload or b"")
            return _resolve_scoring(file, explain=False)


def classify_bag(bag: Any, *, model: ModelLike = None, threshold: float | None = None, top_k: int | None = None) -> Any:
    """Tag a Dask bag of texts with topics: a bag of :class:`~newsclass.TopicPrediction`, in the same order.

    Parameters
    ----------
    bag : dask.bag.Bag of str
    model : TopicClassifier, path, or None
        None uses the shipped default on each worker; a path must be readable
        by every worker; an in-memory model is sent to each worker once.
    threshold, top_k
        As for :func:`newsclass.classify`.

    Returns
    -------
    dask.bag.Bag of TopicPrediction
    """
    dask = _import_dask()
    _check_options(threshold, top_k)
    reference = dask.delayed(ModelReference(model), pure=True)
    return bag.map_partitions(_bag_partition, reference, threshold, top_k)


def classify_dataframe(
    frame: Any,
    column: str = "text",
    *,
    model: ModelLike = None,
    threshold: float | None = None,
    top_k: int | None = None,
) -> Any:
    """Tag the texts of a Dask DataFrame column (or a Dask Series) with topics.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame or Series
    column : str
        The column of texts (ignored for a Series).
    model, threshold, top_k
        As for :func:`classify_bag`.

    Returns
    -------
    dask.dataframe.DataFrame
        With the input's index and partitions, and columns ``labels`` (the
        assigned labels joined by ``|``, best first), ``top`` (the best label,
        or None) and ``score_<label>`` for every label of the model.
    """
    dask = _import_dask()
    import pandas as pd

    _check_options(threshold, top_k)
    labels = [str(label) for label in _resolve_scoring(model, explain=False).classes_]
    meta = pd.DataFrame(
        {
            "labels": pd.Series(dtype=object),
            "top": pd.Series(dtype=object),
            **{f"score_{label}": pd.Series(dtype="float64") for label in labels},
        }
    )
    if getattr(frame, "ndim", 2) != 1 and column not in frame.columns:
        raise InputValueError(f"the frame has no column {column!r}; its columns are {list(frame.columns)}")
    texts = frame if getattr(frame, "ndim", 2) == 1 else frame[column]
    reference = dask.delayed(ModelReference(model), pure=True)
    return texts.map_partitions(_frame_partition, reference, threshold, top_k, meta=meta)


def _bag_partition(texts: Any, reference: ModelReference, threshold: float | None, top_k: int | None) -> list[TopicPrediction]:
    model = reference.load()
    texts = list(texts)
    if not texts:
        return []
    return _predictions(model, probabilities_of(model, texts), None, threshold, top_k)


def _frame_partition(texts: Any, reference: ModelReference, threshold: float | None, top_k: int | None) -> Any:
    import pandas as pd

    model = reference.load()
    labels = [str(label) for label in model.classes_]
    values = texts.tolist()
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise InputTypeError(f"the text at index {texts.index[position]!r} is {type(value).__name__}, not str", position=position)
    probabilities = probabilities_of(model, values) if values else np.zeros((0, len(labels)))
    predictions = _predictions(model, probabilities, None, threshold, top_k)
    assigned = [prediction.labels for prediction in predictions]
    columns: dict[str, Any] = {
        "labels": pd.Series(["|".join(names) for names in assigned], index=texts.index, dtype=object),
        "top": pd.Series([names[0] if names else None for names in assigned], index=texts.index, dtype=object),
    }
    scores = _rounded(probabilities)  # as in TopicPrediction.scores
    for position, label in enumerate(labels):
        columns[f"score_{label}"] = pd.Series(scores[:, position], index=texts.index, dtype="float64")
    return pd.DataFrame(columns, index=texts.index)

