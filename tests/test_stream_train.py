"""Out-of-core training: 'newsclass train --streaming' reads a CSV in passes and writes an ordinary model file."""

from __future__ import annotations

import pytest

import newsclass
from newsclass import DataError, load_model
from newsclass._fast import scorer_for
from newsclass._stream_train import train_streaming
from newsclass.cli import main

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    out = tmp_path_factory.mktemp("streamed")
    model = train_streaming(EXAMPLES / "train_small.csv", out, chunk_size=50, passes=3, hash_bits=18)
    return model, out


def test_streaming_model_is_saved_in_the_usual_format_and_loads(streamed):
    model, out = streamed
    loaded = load_model(out)
    assert list(loaded.classes_) == ["business", "culture", "science", "sport"]
    assert (out / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("# Model card:")
    texts = ["The museum opens a new wing of paintings", "The striker scored twice in the final"]
    assert newsclass.classify(texts, model=loaded) == newsclass.classify(texts, model=model)
    assert scorer_for(loaded) is not None  # an ordinary vocabulary model: the fast path applies


def test_streaming_model_learns_the_small_example(streamed):
    model, _ = streamed
    evaluation = newsclass.evaluate(model, EXAMPLES / "evaluate_small.csv")
    assert evaluation.macro.f1 > 0.6
    # JSON-ready: plain Python numbers throughout, not NumPy's.
    scores = evaluation.to_dict()
    numbers = [value for part in (scores["micro"], scores["macro"], *scores["labels"].values()) for value in part.values()]
    assert {type(value) for value in numbers} <= {float, int}


@pytest.mark.parametrize(("stop_words", "kept"), [("english", False), (None, True)])
def test_streaming_stop_words_take_no_column(tmp_path, stop_words, kept):
    model = train_streaming(EXAMPLES / "train_small.csv", tmp_path, chunk_size=50, passes=1, hash_bits=18, stop_words=stop_words)
    vocabulary = model.vectorizer_.vocabulary_
    assert {"the", "of the", "said"}.isdisjoint(vocabulary) != kept
    assert load_model(tmp_path).stop_words == stop_words
    # Bigrams still form across the stop words' places.
    assert any(" the" in term or "the " in term for term in vocabulary)


def test_cli_train_streaming(tmp_path, capsys):
    code = main(["train", "--streaming", str(EXAMPLES / "train_small.csv"), "--out", str(tmp_path), "--passes", "2"])
    err = capsys.readouterr().err
    assert code == 0
    assert "pass 1 (counting)" in err and "trained 4 labels" in err
    assert (tmp_path / "model.zip").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("body,labels\noil,energy\n", r"missing column\(s\) \['text'\]"),
        ("text,labels\noil output,energy\n", r"column 'labels': label\(s\) with fewer than 5 examples: \{'energy': 1\} \('energy' in row 2\)"),
        ("text,labels\n,energy\n", "the text is empty"),
    ],
    ids=["missing-column", "rare-label", "empty-text"],
)
def test_unusable_csv_raises_naming_the_problem(tmp_path, content, message):
    data = tmp_path / "data.csv"
    data.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        train_streaming(data, tmp_path / "out")


def test_cli_rejects_title_column_with_streaming(tmp_path, capsys):
    code = main(["train", "--streaming", str(EXAMPLES / "train_small.csv"), "--out", str(tmp_path), "--title-column", "title"])
    assert code == 2
    assert "--title-column is not available with --streaming" in capsys.readouterr().err


def test_a_negative_seed_is_refused_before_reading(tmp_path):
    with pytest.raises(ValueError, match="random_state must be an integer from 0 to 4294967295, not -1"):
        train_streaming(tmp_path / "never-read.csv", tmp_path / "out", random_state=-1)


def test_an_out_that_is_a_file_is_refused_before_reading(tmp_path):
    existing = tmp_path / "model.txt"
    existing.write_text("mine\n", encoding="utf-8")
    with pytest.raises(ValueError, match="model.txt: exists and is not a folder"):
        train_streaming(tmp_path / "never-read.csv", existing)
    assert existing.read_text(encoding="utf-8") == "mine\n"
