"""newsclass.dask: Dask collections give the same predictions as local classify().

Skipped when the optional extra is absent: install 'newsclass[dask]' to run them.
"""

from __future__ import annotations

import csv
import sys

import pytest

dask = pytest.importorskip("dask", reason="the optional extra is not installed: pip install 'newsclass[dask]'")
distributed = pytest.importorskip("distributed", reason="the optional extra is not installed: pip install 'newsclass[dask]'")
pd = pytest.importorskip("pandas", reason="the optional extra is not installed: pip install 'newsclass[dask]'")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from newsclass import InputTypeError, InputValueError, TopicClassifier, classify  # noqa: E402
from newsclass.dask import classify_bag, classify_dataframe  # noqa: E402

from .conftest import REPOSITORY  # noqa: E402
from .test_model import LABELS, TEXTS  # noqa: E402


@pytest.fixture(scope="module")
def quality_texts() -> list[str]:
    with (REPOSITORY / "tests" / "data" / "quality_set.csv").open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def assert_frame_equals_local(result, predictions) -> None:
    assert result["labels"].tolist() == ["|".join(prediction.labels) for prediction in predictions]
    assert result["top"].tolist() == [prediction.top for prediction in predictions]
    for label in predictions[0].scores:
        assert result[f"score_{label}"].tolist() == [prediction.scores[label] for prediction in predictions]


def test_dataframe_column_equals_local_classify(quality_texts):
    frame = dd.from_pandas(pd.DataFrame({"text": quality_texts, "n": range(len(quality_texts))}), npartitions=3)
    lazy = classify_dataframe(frame, "text")
    assert list(lazy.columns[:2]) == ["labels", "top"]  # meta is declared, nothing computed yet
    result = lazy.compute(scheduler="synchronous")
    assert result.index.tolist() == list(range(len(quality_texts)))
    assert_frame_equals_local(result, classify(quality_texts))


def test_a_missing_text_column_is_named_with_the_columns_found():
    frame = dd.from_pandas(pd.DataFrame({"body": ["Oil output cut"], "n": [1]}), npartitions=1)
    with pytest.raises(InputValueError, match=r"the frame has no column 'text'; its columns are \['body', 'n'\]"):
        classify_dataframe(frame)


def test_bag_with_an_in_memory_model_equals_local_classify():
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    bag = db.from_sequence(TEXTS * 3, npartitions=4)
    assert classify_bag(bag, model=model, top_k=1).compute(scheduler="synchronous") == classify(TEXTS * 3, model=model, top_k=1)


def test_a_non_text_value_raises_with_its_index():
    frame = dd.from_pandas(pd.DataFrame({"text": ["oil output", None]}, dtype=object), npartitions=1)
    with pytest.raises(InputTypeError, match=r"the text at index 1 is \w+, not str"):
        classify_dataframe(frame, "text").compute(scheduler="synchronous")


def test_local_cluster_of_two_worker_processes_equals_local_classify(quality_texts):
    texts = quality_texts * 4
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=6)
        result = classify_dataframe(frame, "text").compute()
        bag_result = classify_bag(db.from_sequence(texts, npartitions=5)).compute()
        # Workers score with the NumPy scorer: scikit-learn (about 450 MB of RSS) is never imported.
        imported = client.run(lambda: "sklearn" in sys.modules)
    assert len(imported) == 2 and not any(imported.values())
    local = classify(texts)
    assert_frame_equals_local(result, local)
    assert bag_result == local
