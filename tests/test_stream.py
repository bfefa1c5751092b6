"""Streaming classification: any iterable, in order, in chunks, over worker processes; error records in the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from newsclass import InputTypeError, InputValueError, TopicClassifier, classify, classify_stream, save_model
from newsclass._stream import ItemError, predict_records
from newsclass.cli import main

from .test_model import LABELS, TEXTS


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    return save_model(model, tmp_path_factory.mktemp("model"))


def numbered_texts(count: int) -> list[str]:
    return [f"{TEXTS[number % len(TEXTS)]} number {number}" for number in range(count)]


@pytest.mark.parametrize("chunk_size", [1, 3, 1024], ids=["one", "three", "default"])
def test_stream_equals_classify_in_input_order(tiny_model, chunk_size):
    texts = numbered_texts(25)
    streamed = classify_stream((text for text in texts), model=tiny_model, chunk_size=chunk_size)
    assert not isinstance(streamed, list)  # lazy
    assert list(streamed) == classify(texts, model=tiny_model)


def test_stream_reads_its_input_lazily(tiny_model):
    consumed = []

    def endless():
        number = 0
        while True:
            consumed.append(number)
            yield f"oil output number {number}"
            number += 1

    stream = classify_stream(endless(), model=tiny_model, chunk_size=10)
    first = [next(stream) for _ in range(15)]
    assert len(first) == 15
    assert len(consumed) <= 20  # two chunks read, not the endless input


def test_stream_over_two_worker_processes_equals_classify(tiny_model):
    texts = numbered_texts(40)
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    assert list(classify_stream(texts, model=model, chunk_size=7, jobs=2)) == classify(texts, model=model)


@pytest.mark.parametrize(
    ("items", "options", "error", "message"),
    [
        ("one text", {}, InputTypeError, "items must be an iterable of str or StoryItem, not str"),
        ({"text": "x"}, {}, InputTypeError, r"not dict \(a mapping: pass its text"),
        (["fine", 3], {}, InputTypeError, "item at position 1 must be str or StoryItem, not int"),
        (["fine"], {"chunk_size": 0}, InputValueError, "chunk_size must be a positive integer, not 0"),
        (["fine"], {"jobs": 0}, InputValueError, "jobs must be a positive integer, not 0"),
        (["fine"], {"top_k": 0}, InputValueError, "top_k must be a positive integer, not 0"),
    ],
    ids=["string", "dict", "bad-item", "chunk-size", "jobs", "top-k"],
)
def test_bad_input_raises_with_a_clear_message(tiny_model, items, options, error, message):
    with pytest.raises(error, match=message):
        list(classify_stream(items, model=tiny_model, **options))


def test_records_pass_errors_through_in_order(tiny_model):
    records = [("a", "crude oil output"), ("b", ItemError("line 2: not UTF-8")), ("c", 42), ("d", "the jury acquits")]
    results = list(predict_records(records, model=tiny_model, chunk_size=2))
    assert [identifier for identifier, _, _ in results] == ["a", "b", "c", "d"]
    assert results[1][2] == ItemError("line 2: not UTF-8")
    assert isinstance(results[2][2], ItemError) and "must be str or StoryItem, not int" in results[2][2].message
    assert results[0][2].labels == ("energy",) and results[3][2].labels == ("justice",)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_csv_with_named_columns_streams_in_order(capsys, tmp_path, tiny_model):
    data = tmp_path / "items.csv"
    rows = [{"key": f"k{number}", "body": text} for number, text in enumerate(numbered_texts(30))]
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["key", "body"])
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = run_cli(
        capsys, "classify", "--items-csv", str(data), "--text-column", "body", "--id-column", "key",
        "--model", str(tiny_model), "--chunk-size", "4",
    )
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [record["id"] for record in records] == [row["key"] for row in rows]
    expected = classify([row["body"] for row in rows], model=tiny_model)
    assert [record["labels"] for record in records] == [list(prediction.labels) for prediction in expected]


def test_cli_undecodable_items_give_error_records_and_the_run_goes_on(capsys, tmp_path, tiny_model):
    data = tmp_path / "items.jsonl"
    data.write_bytes(
        b'{"id": "a", "text": "crude oil output was cut"}\n\xff\xfe not utf-8\nnot json\n{"id": "d"}\n"the jury acquits the mayor"\n'
    )
    code, out, err = run_cli(capsys, "classify", "--items-jsonl", str(data), "--model", str(tiny_model), "--jobs", "1")
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [record["id"] for record in records] == ["a", 1, 2, "d", 4]
    assert [("error" in record) for record in records] == [False, True, True, True, False]
    assert "line 2: not UTF-8" in records[1]["error"]
    assert "line 3: not valid JSON" in records[2]["error"]
    assert "line 4: expected a JSON string or an object with a 'text' or 'body' string" in records[3]["error"]
    assert records[4]["labels"] == ["justice"]
    assert "3 of 5 items could not be read" in err


def test_cli_csv_bad_bytes_row_is_an_error_record(capsys, tmp_path, tiny_model):
    data = tmp_path / "items.csv"
    data.write_bytes(b"id,text\n1,crude oil output was cut\n2,bad \xff byte\n3,the jury acquits the mayor\n")
    code, out, _ = run_cli(capsys, "classify", "--items-csv", str(data), "--model", str(tiny_model), "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["id"], row["labels"]) for row in rows] == [("1", "energy"), ("2", ""), ("3", "justice")]
    assert "row ending on line 3: not valid UTF-8" in rows[1]["error"]


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (b"id,body\n1,oil\n", [], "no column 'text'; the header has \\['id', 'body'\\]. Name it with --text-column"),
        (b"", [], "the file is empty; expected a header row"),
    ],
    ids=["missing-column", "empty"],
)
def test_cli_csv_unusable_input_is_a_failure_with_a_message(capsys, tmp_path, tiny_model, content, options, message):
    data = tmp_path / "items.csv"
    data.write_bytes(content)
    code, _, err = run_cli(capsys, "classify", "--items-csv", str(data), "--model", str(tiny_model), *options)
    assert code == 1
    assert re.search(message, err), err


def test_cli_progress_shows_items_per_second_and_eta(capsys, tmp_path, tiny_model):
    data = tmp_path / "items.jsonl"
    data.write_text("".join(json.dumps(text) + "\n" for text in numbered_texts(10)), encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", "--items-jsonl", str(data), "--model", str(tiny_model), "--progress")
    assert code == 0
    assert "10 items" in err and "items/s" in err and "ETA" in err


def test_cli_jobs_two_keeps_input_order(capsys, tmp_path, tiny_model):
    data = tmp_path / "items.jsonl"
    texts = numbered_texts(30)
    data.write_text("".join(json.dumps(text) + "\n" for text in texts), encoding="utf-8")
    code, out, _ = run_cli(capsys, "classify", "--items-jsonl", str(data), "--model", str(tiny_model), "--jobs", "2", "--chunk-size", "4")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [record["text"] for record in records] == texts
    assert [record["labels"] for record in records] == [list(p.labels) for p in classify(texts, model=tiny_model)]


def test_cli_jobs_two_gives_the_output_and_errors_of_one_job(capsys, tmp_path, tiny_model):
    # With --jobs 2 the workers parse and write the lines themselves: identifiers, line numbers in
    # error messages and the order of everything must stay those of one job.
    lines = [json.dumps(text) for text in numbered_texts(9)]
    lines[2] = ""
    lines[4] = "{not json"
    lines[5] = json.dumps({"id": "own-id", "text": "oil and gas", "title": "Energy"})
    lines[7] = json.dumps({"body": 7})
    data = tmp_path / "items.jsonl"
    data.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    one = run_cli(capsys, "classify", "--items-jsonl", str(data), "--model", str(tiny_model), "--jobs", "1")
    two = run_cli(capsys, "classify", "--items-jsonl", str(data), "--model", str(tiny_model), "--jobs", "2", "--chunk-size", "2")
    assert one == two
    assert one[0] == 1 and "line 5: not valid JSON" in one[2] and "line 8: expected" in one[2]


def test_dask_module_without_dask_names_the_extra_to_install(monkeypatch):
    import sys

    from newsclass import dask as newsclass_dask

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"install 'newsclass\[dask\]'"):
        newsclass_dask.classify_bag(None)


def test_workers_explain_with_the_callers_threshold_and_top_k(tiny_model):
    texts = numbered_texts(12)
    options = {"model": tiny_model, "threshold": 0.2, "top_k": 1, "explain": True}
    assert list(classify_stream(texts, chunk_size=5, jobs=2, **options)) == classify(texts, **options)


def test_progress_share_follows_the_items_written_not_the_bytes_read_ahead():
    from newsclass.cli._progress import Progress

    stream = io.StringIO()  # not a terminal: one plain line per update
    progress = Progress(total_bytes=100 * 10, enabled=True, stream=stream)
    for _ in progress.counting([b"123456789\n"] * 80):  # read far ahead of the writing
        pass
    progress.advance(25)
    assert ", 25%, ETA" in progress.status()
    progress.finish()
    assert stream.getvalue().endswith(", done\n") and "\033" not in stream.getvalue() and "\r" not in stream.getvalue()
