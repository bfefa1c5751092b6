"""The command line: every subcommand through main()/run(), and the installed console script."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsclass import TopicClassifier, load_model, save_model
from newsclass.cli import main
from newsclass.cli.main import version_text

from .conftest import EXAMPLES
from .test_model import LABELS, TEXTS


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    return save_model(model, tmp_path_factory.mktemp("model"))


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version_names_newsclass_scikit_learn_and_python(capsys):
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.strip() == version_text()
    assert "newsclass" in out and "scikit-learn" in out and "Python" in out


def test_no_command_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys)
    assert code == 2
    assert "required: COMMAND" in err


def test_segment_writes_json_lines(capsys):
    code, out, _ = run_cli(capsys, "segment", str(EXAMPLES / "digest.txt"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 8
    assert records[0]["title"] and records[0]["start_line"] == 1


def test_segment_reads_stdin(capsys, monkeypatch):
    page = "Storm closes port\n\nA storm closed the port on Monday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page.encode("utf-16"))))
    code, out, _ = run_cli(capsys, "segment", "-")
    assert code == 0
    assert json.loads(out)["title"] == "Storm closes port"


@pytest.mark.parametrize("command", ["segment", "classify"])
def test_a_page_over_max_chars_is_refused_before_it_is_read_whole(capsys, tmp_path, command):
    page = tmp_path / "big.txt"
    page.write_text("Storm closes port\n\n" + "A storm closed the port. " * 1000, encoding="utf-8")
    code, out, err = run_cli(capsys, command, str(page), "--max-chars", "1000")
    assert code == 1 and not out
    assert "more than 4,000 bytes" in err and "raise --max-chars (0 for no limit)" in err


def test_max_chars_zero_lifts_the_limit(capsys, tmp_path):
    page = tmp_path / "big.txt"
    page.write_text("Storm closes port\n\n" + "A storm closed the port. " * 1000, encoding="utf-8")
    code, out, _ = run_cli(capsys, "segment", str(page), "--max-chars", "0")
    assert code == 0 and json.loads(out)["title"] == "Storm closes port"


@pytest.mark.parametrize("output_format", ["csv", "table"])
def test_segment_other_formats(capsys, output_format):
    code, out, _ = run_cli(capsys, "segment", str(EXAMPLES / "digest.txt"), "--format", output_format)
    assert code == 0
    if output_format == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 8 and rows[0]["start_line"] == "1"
    else:
        assert out.splitlines()[0].split()[:2] == ["index", "lines"]
        assert len(out.splitlines()) == 2 + 8


def test_classify_page_with_a_model(capsys, tiny_model):
    code, out, _ = run_cli(capsys, "classify", str(EXAMPLES / "digest.txt"), "--model", str(tiny_model))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 8
    assert all(set(record["scores"]) == {"energy", "justice"} for record in records)


def test_classify_text(capsys, tiny_model):
    code, out, _ = run_cli(capsys, "classify", "--text", "crude oil output was cut", "--model", str(tiny_model), "--explain")
    assert code == 0
    record = json.loads(out)
    assert record["labels"] == ["energy"]
    assert record["explanation"]["energy"][0][0] in {"oil", "crude", "output", "cut"}


def test_classify_items_jsonl(capsys, tmp_path, tiny_model):
    items = tmp_path / "items.jsonl"
    items.write_text('{"id": "a", "text": "crude oil output was cut"}\n"the jury acquits the mayor"\n\n', encoding="utf-8")
    code, out, _ = run_cli(capsys, "classify", "--items-jsonl", str(items), "--model", str(tiny_model), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["id"], row["labels"]) for row in rows] == [("a", "energy"), ("1", "justice")]


@pytest.mark.parametrize(
    ("option", "data"),
    [("--items-jsonl", '{"id": "a", "text": "crude oil output was cut"}\n'), ("--items-csv", "id,text\na,crude oil output was cut\n")],
    ids=["jsonl", "csv"],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_classify_items_from_stdin(capsys, monkeypatch, tiny_model, option, data, jobs):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    code, out, err = run_cli(capsys, "classify", option, "-", "--model", str(tiny_model), "--jobs", jobs)
    assert code == 0, err
    assert [(record["id"], record["labels"]) for record in map(json.loads, out.splitlines())] == [("a", ["energy"])]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_classify_items_jsonl_names_the_type_of_a_text_that_is_not_a_string(capsys, tmp_path, tiny_model, jobs):
    items = tmp_path / "items.jsonl"
    items.write_text('{"id": "a", "text": 5}\n{"id": "b", "body": null}\n{"id": "c", "text": "oil output cut"}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "classify", "--items-jsonl", str(items), "--model", str(tiny_model), "--jobs", jobs)
    assert code == 1
    errors = [json.loads(line).get("error") for line in out.splitlines()]
    assert "line 1: expected a JSON string or an object with a 'text' or 'body' string, found 'text' is a number" in errors[0]
    assert errors[1].endswith("found 'body' is null") and errors[2] is None


def test_classify_items_jsonl_bad_line_names_it(capsys, tmp_path, tiny_model):
    items = tmp_path / "items.jsonl"
    items.write_text('"fine"\n{"id": 3}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", "--items-jsonl", str(items), "--model", str(tiny_model))
    assert code == 1
    assert "line 2: expected a JSON string or an object with a 'text' or 'body' string" in err


@pytest.mark.parametrize("command", ["segment", "classify"])
def test_a_page_without_stories_says_so_on_stderr(capsys, tmp_path, command):
    page = tmp_path / "empty.html"
    page.write_text("<nav>Home | World</nav><footer>© 2031 Example Ltd. All rights reserved.</footer>", encoding="utf-8")
    code, out, err = run_cli(capsys, command, str(page))
    assert code == 0 and out == ""
    assert f"no story items found in {page}" in err


def test_missing_page_is_a_failure_with_a_message(capsys, tmp_path):
    code, _, err = run_cli(capsys, "segment", str(tmp_path / "absent.txt"))
    assert code == 1
    assert "absent.txt: no such file" in err


def test_page_and_text_together_are_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "classify", "page.txt", "--text", "x")
    assert code == 2
    assert "not allowed with argument" in err


def test_train_then_classify_with_the_trained_model(capsys, tmp_path):
    data = tmp_path / "data.csv"
    rows = ["text,labels"] + [f'"{text}",{"|".join(labels)}' for text, labels in zip(TEXTS * 3, LABELS * 3)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"))
    assert code == 0, err
    assert "trained 2 labels: energy, justice" in err
    code, out, _ = run_cli(capsys, "classify", "--text", "oil pipeline", "--model", str(tmp_path / "model"))
    assert json.loads(out)["labels"] == ["energy"]


@pytest.mark.parametrize(("option", "expected"), [("english", "english"), ("none", None)])
def test_train_stop_words_option_reaches_the_model(capsys, tmp_path, option, expected):
    data = tmp_path / "data.csv"
    rows = ["text,labels"] + [f'"{text}",{"|".join(labels)}' for text, labels in zip(TEXTS * 3, LABELS * 3)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), "--stop-words", option)
    assert code == 0, err
    model = load_model(tmp_path / "model")
    assert model.stop_words == expected
    assert ("after the" in model.vectorizer_.vocabulary_) == (expected is None)


@pytest.mark.parametrize(("option", "expected"), [("40", 40), ("7", 7), ("none", None)])
@pytest.mark.parametrize("streaming", [False, True], ids=["in-memory", "streaming"])
def test_train_lead_tokens_option_reaches_the_model(capsys, tmp_path, option, expected, streaming):
    data = tmp_path / "data.csv"
    rows = ["text,labels"] + [f'"{text}",{"|".join(labels)}' for text, labels in zip(TEXTS * 3, LABELS * 3)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    options = ["--streaming", "--passes", "1"] if streaming else []
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), "--lead-tokens", option, *options)
    assert code == 0, err
    assert load_model(tmp_path / "model").lead_tokens == expected


@pytest.mark.parametrize(
    ("options", "parameter", "expected"),
    [
        ([], "class_weight", "sqrt_balanced"),
        (["--class-weight", "balanced"], "class_weight", "balanced"),
        (["--class-weight", "none"], "class_weight", None),
        ([], "validation_folds", None),
        (["--validation-folds", "3"], "validation_folds", 3),
        ([], "validation_splits", 1),
        (["--validation-splits", "2"], "validation_splits", 2),
        ([], "threshold_beta", 1.0),
        (["--threshold-beta", "1.5"], "threshold_beta", 1.5),
        (["--threshold-beta", "2", "--streaming", "--passes", "1"], "threshold_beta", 2.0),
        ([], "threshold_rule", "argmax"),
        (["--threshold-rule", "calibrated"], "threshold_rule", "calibrated"),
        (["--threshold-rule", "calibrated", "--streaming", "--passes", "1"], "threshold_rule", "calibrated"),
    ],
)
def test_train_options_reach_the_model(capsys, tmp_path, options, parameter, expected):
    data = tmp_path / "data.csv"
    rows = ["text,labels"] + [f'"{text}",{"|".join(labels)}' for text, labels in zip(TEXTS * 3, LABELS * 3)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), *options)
    assert code == 0, err
    assert getattr(load_model(tmp_path / "model"), parameter) == expected


@pytest.mark.parametrize(
    "option", [["--class-weight", "balanced"], ["--validation-folds", "3"], ["--validation-splits", "2"]]
)
def test_train_refuses_in_memory_options_with_streaming(capsys, tmp_path, option):
    code, _, err = run_cli(capsys, "train", "data.csv", "--out", str(tmp_path / "model"), "--streaming", *option)
    assert code == 2  # a usage error, found before the CSV is read
    assert f"newsclass train: error: {option[0]} is for in-memory training" in err
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("option", ["1", "0", "-3", "three", "2.5"])
def test_train_refuses_validation_folds_under_2(capsys, tmp_path, option):
    assert main(["train", "data.csv", "--out", str(tmp_path / "model"), f"--validation-folds={option}"]) == 2
    assert f"--validation-folds: must be an integer of at least 2, not '{option}'" in capsys.readouterr().err


def test_train_refuses_validation_splits_with_folds(capsys, tmp_path):
    code, _, err = run_cli(
        capsys, "train", "data.csv", "--out", str(tmp_path / "model"), "--validation-splits", "2", "--validation-folds", "3"
    )
    assert code == 2
    assert "newsclass train: error: --validation-splits and --validation-folds cannot be combined" in err
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("option", ["0", "-2", "two", "1.5"])
def test_train_refuses_validation_splits_under_1(capsys, tmp_path, option):
    assert main(["train", "data.csv", "--out", str(tmp_path / "model"), f"--validation-splits={option}"]) == 2
    assert f"--validation-splits: must be a positive integer, not '{option}'" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["0", "-1.5", "nan", "inf", "high"])
def test_train_refuses_a_threshold_beta_that_is_no_positive_number(capsys, tmp_path, option):
    assert main(["train", "data.csv", "--out", str(tmp_path / "model"), f"--threshold-beta={option}"]) == 2
    assert f"--threshold-beta: must be a positive number, not '{option}'" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["0", "-2", "forty", "2.5"])
def test_train_refuses_a_lead_that_is_no_positive_integer(capsys, tmp_path, option):
    assert main(["train", "data.csv", "--out", str(tmp_path / "model"), f"--lead-tokens={option}"]) == 2
    assert f"--lead-tokens: must be a positive integer or none, not '{option}'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [(["--jobs", "2", "--streaming"], "--jobs is for in-memory training")],
    ids=["jobs-with-streaming"],
)
def test_train_refuses_bad_jobs(capsys, tmp_path, options, message):
    data = tmp_path / "data.csv"
    data.write_text("text,labels\noil,energy\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), *options)
    assert code == 2 and message in err
    assert not (tmp_path / "model").exists()


def test_train_bad_csv_fails_naming_row_and_column(capsys, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("text,labels\n,energy\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"))
    assert code == 1
    assert "row 2, column 'text': the text is empty" in err
    assert not (tmp_path / "model").exists()


def installed_command() -> str:
    script = Path(sys.executable).with_name("newsclass")
    found = script if script.exists() else shutil.which("newsclass")
    assert found, "the newsclass console script is not installed: run pip install -e '.[test]' first"
    return str(found)


def test_installed_console_script_help():
    result = subprocess.run([installed_command(), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "usage: newsclass" in result.stdout
    for command in ("segment", "classify", "train"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--seed", "4294967296"], "argument --seed: must be an integer from 0 to 4294967295, not 4294967296"),
        (["--seed", "4294967295", "--validation-splits", "3"],
         "argument --seed: must be an integer from 0 to 4294967293, not 4294967295 (--validation-splits uses the next seeds too)"),
    ],
    ids=["past-numpy", "past-numpy-with-pooled-splits"],
)
def test_train_refuses_a_seed_numpy_cannot_take(capsys, tmp_path, options, message):
    code, _, err = run_cli(capsys, "train", "data.csv", "--out", str(tmp_path / "model"), *options)
    assert code == 2 and f"newsclass train: error: {message}" in err


def test_train_refuses_an_out_that_is_a_file_before_training(capsys, tmp_path):
    existing = tmp_path / "notes.md"
    existing.write_text("mine\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(EXAMPLES / "train_small.csv"), "--out", str(existing))
    assert code == 1
    assert f"newsclass: error: {existing}: exists and is not a folder; the model is written to a folder" in err
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_train_with_more_folds_than_rows_fails_with_a_message(capsys, tmp_path):
    code, _, err = run_cli(capsys, "train", str(EXAMPLES / "train_small.csv"), "--out", str(tmp_path / "m"), "--validation-folds", "500")
    assert code == 1
    assert "newsclass: error: validation_folds=500 needs at least as many training texts, got 240" in err
    assert not (tmp_path / "m").exists()


def test_train_help_gives_the_streaming_trainers_default_passes():
    from newsclass._stream_train import DEFAULT_PASSES
    from newsclass.cli.train import STREAMING_PASSES

    # Written out in the command so that building its parser imports no trainer.
    assert STREAMING_PASSES == DEFAULT_PASSES


def test_the_commands_largest_seed_is_the_models():
    from newsclass._model import MAX_SEED
    from newsclass.cli.train import _MAX_SEED

    assert _MAX_SEED == MAX_SEED


def test_the_commands_threshold_rules_are_the_models():
    from newsclass._model import THRESHOLD_RULES
    from newsclass.cli import train

    assert train.THRESHOLD_RULES == tuple(THRESHOLD_RULES)


# What a new user's bad input gets: every item read is kept, every problem named, usage errors exit 2.


def write_items(tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("option", "content", "error"),
    [
        ("--items-jsonl", '{"id": "a", "text": "crude oil output was cut"}\n{"id": "b", "text": \n', "line 2: not valid JSON"),
        ("--items-csv", "id,text\na,crude oil output was cut\nb\n", "expected 2 cells as in the header, found 1"),
    ],
    ids=["jsonl", "csv"],
)
def test_table_format_shows_error_records_and_the_good_rows(capsys, tmp_path, tiny_model, option, content, error):
    items = write_items(tmp_path, "items", content)
    code, out, err = run_cli(capsys, "classify", option, items, "--model", str(tiny_model), "--format", "table")
    assert code == 1
    rows = out.splitlines()[2:]
    assert rows[0].split()[0] == "a" and "energy" in rows[0]
    assert rows[1].split()[0] in {"1", "b"} and f"error: {items}: " in rows[1] and error in rows[1]
    assert "1 of 2 items could not be read" in err


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_csv_items_are_read_whatever_the_line_endings(capsys, tmp_path, tiny_model, ending):
    items = write_items(tmp_path, "items.csv", ending.join(["id,text", "a,crude oil output was cut", 'b,"the jury\racquits"', ""]))
    code, out, err = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(record["id"], record["labels"]) for record in records] == [("a", ["energy"]), ("b", ["justice"])]
    assert records[1]["text"] == "the jury\racquits"


def test_a_binary_file_given_as_csv_items_is_a_failure_naming_line_1(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "program", b"\x7fELF\x02\x01\x00\x00\rtext\x00\x03\n\x00\x01,\x02\n")
    code, out, err = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model))
    assert code == 1 and out == ""
    assert f"newsclass: error: {items}: line 1: malformed CSV (control characters in the header row" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_malformed_csv_keeps_every_item_read_before_it(capsys, tmp_path, tiny_model, jobs, output_format):
    items = write_items(tmp_path, "items.csv", 'id,text\na,crude oil output was cut\nb,the jury acquits the mayor\nc,"unterminated\n')
    code, out, err = run_cli(
        capsys, "classify", "--items-csv", items, "--model", str(tiny_model), "--jobs", jobs, "--format", output_format
    )
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()] if output_format == "jsonl" else list(csv.DictReader(io.StringIO(out)))
    # The file has ids: the unreadable rest has none (an item number could repeat one of them).
    no_id = None if output_format == "jsonl" else ""
    assert [(record["id"], bool(record.get("error"))) for record in records] == [("a", False), ("b", False), (no_id, True)]
    message = f"{items}: line 4: malformed CSV (unexpected end of data); the rest of the file cannot be read"
    assert records[2]["error"] == message and f"newsclass: error: {message}" in err


def test_malformed_csv_without_ids_numbers_its_error_record(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "items.csv", 'text\ncrude oil output was cut\n"unterminated\n')
    code, out, _ = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model))
    assert code == 1
    assert [(record["id"], bool(record.get("error"))) for record in map(json.loads, out.splitlines())] == [(0, False), (1, True)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_json_line_keeps_every_other_item(capsys, tmp_path, tiny_model, jobs):
    lines = ['"crude oil output was cut"', "{broken", '"the jury acquits the mayor"']
    items = write_items(tmp_path, "items.jsonl", "\n".join(lines * 3) + "\n")
    code, out, _ = run_cli(capsys, "classify", "--items-jsonl", items, "--model", str(tiny_model), "--jobs", jobs, "--chunk-size", "2")
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [record["id"] for record in records] == list(range(9))
    assert [bool(record.get("error")) for record in records] == [False, True, False] * 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["classify", "--text", "x", "--jobs", "0"], "argument --jobs: must be a positive integer, not '0'"),
        (["classify", "--text", "x", "--chunk-size", "0"], "argument --chunk-size: must be a positive integer, not '0'"),
        (["classify", "--text", "x", "--top-k", "0"], "argument --top-k: must be a positive integer, not '0'"),
        (["classify", "--text", "x", "--threshold", "2"], "argument --threshold: must be a number from 0 to 1, not '2'"),
        (["classify", "--text", "x", "--threshold", "nan"], "argument --threshold: must be a number from 0 to 1, not 'nan'"),
        (["classify", "--text", "x", "--max-chars", "-1"], "argument --max-chars: must be 0 or more (0 for no limit), not '-1'"),
        (["segment", "page.txt", "--max-chars", "-1"], "argument --max-chars: must be 0 or more (0 for no limit), not '-1'"),
        (["segment", "page.txt", "--max-chars", "many"], "argument --max-chars: must be 0 or more (0 for no limit), not 'many'"),
        (["train", "data.csv", "--out", "m", "--jobs", "0"], "argument --jobs: must be a positive integer or -1 (every core), not '0'"),
        (["train", "data.csv", "--out", "m", "--jobs", "-2"], "argument --jobs: must be a positive integer or -1 (every core), not '-2'"),
        (["train", "data.csv", "--out", "m", "--streaming", "--passes", "0"], "argument --passes: must be a positive integer, not '0'"),
        (["train", "data.csv", "--out", "m", "--seed", "-1"], "argument --seed: must be an integer of at least 0, not '-1'"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else None,
)
def test_bad_option_values_are_usage_errors_naming_the_option(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert f"newsclass {argv[0]}: error: {message}" in err


def test_a_text_over_max_chars_names_the_option(capsys):
    code, _, err = run_cli(capsys, "classify", "--text", "crude oil", "--max-chars", "4")
    assert code == 1
    assert "--text: item has 9 characters, more than --max-chars 4; split it, or raise --max-chars (0 for no limit)" in err
    assert "max_chars" not in err


@pytest.mark.parametrize("option", ["--items-jsonl", "--items-csv"])
def test_an_item_over_max_chars_is_an_error_record_naming_its_line(capsys, tmp_path, tiny_model, option):
    content = '"crude oil output was cut"\n"oil"\n' if option == "--items-jsonl" else "text\ncrude oil output was cut\noil\n"
    items = write_items(tmp_path, "items", content)
    code, out, _ = run_cli(capsys, "classify", option, items, "--model", str(tiny_model), "--max-chars", "10")
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    line = 1 if option == "--items-jsonl" else 2
    assert f"line {line}: the text has 24 characters, more than --max-chars 10; split it, or raise --max-chars" in records[0]["error"]
    assert "error" not in records[1]


def test_a_page_of_more_characters_than_max_chars_names_the_option(capsys, tmp_path):
    text = "Harbour reopens\n\nThe harbour at Veldmoor reopened after the storm.\n"
    page = write_items(tmp_path, "page.txt", text)
    code, _, err = run_cli(capsys, "segment", page, "--max-chars", "30")
    assert code == 1
    assert f"{page}: page has {len(text)} characters, more than --max-chars 30; split it, or raise --max-chars (0 for no limit)" in err


def test_an_id_column_missing_from_the_csv_header_is_a_failure(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "items.csv", "key,text\na,crude oil output was cut\n")
    code, out, err = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model), "--id-column", "ident")
    assert code == 1 and out == ""
    assert f"{items}: no column 'ident'; the header has ['key', 'text']. Name it with --id-column" in err


def test_an_id_field_missing_from_a_json_object_is_an_error_record(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "items.jsonl", '{"key": "a", "text": "crude oil output was cut"}\n{"ident": "b", "text": "oil"}\n')
    code, out, _ = run_cli(capsys, "classify", "--items-jsonl", items, "--model", str(tiny_model), "--id-column", "ident")
    assert code == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["error"] == f"{items}: line 1: no field 'ident' (--id-column); the object has ['key', 'text']"
    assert second["id"] == "b" and "error" not in second


def test_without_id_column_csv_items_are_numbered(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "items.csv", "key,text\na,crude oil output was cut\nb,the jury acquits the mayor\n")
    code, out, _ = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model))
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [0, 1]


def test_explain_adds_a_json_column_to_csv(capsys, tiny_model):
    code, out, _ = run_cli(capsys, "classify", "--text", "crude oil output was cut", "--model", str(tiny_model), "--explain", "--format", "csv")
    assert code == 0
    row = next(csv.DictReader(io.StringIO(out)))
    explanation = json.loads(row["explanation"])
    assert list(explanation) == ["energy"] and explanation["energy"][0][0] in {"oil", "crude", "output", "cut"}


def test_explain_adds_top_words_to_the_table(capsys, tiny_model):
    code, out, _ = run_cli(capsys, "classify", "--text", "crude oil output was cut", "--model", str(tiny_model), "--explain", "--format", "table")
    assert code == 0
    header, _, row = out.splitlines()
    assert header.split()[-2:] == ["top", "words"]
    top_words = row[header.index("top words"):]
    assert top_words.startswith("energy: ") and set(top_words.removeprefix("energy: ").split(", ")) <= {"oil", "crude", "output", "cut", "crude oil", "oil output", "output was", "was cut"}


def test_a_text_without_words_is_scored_with_a_warning(capsys, tiny_model):
    code, out, err = run_cli(capsys, "classify", "--text", " -- ", "--model", str(tiny_model))
    assert code == 0 and set(json.loads(out)["scores"]) == {"energy", "justice"}
    assert "newsclass: warning: --text: the text has no words; its scores are the model's baseline" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_items_without_words_are_scored_with_a_warning_naming_them(capsys, tmp_path, tiny_model, jobs):
    items = write_items(tmp_path, "items.jsonl", '{"id": "a", "text": "crude oil output was cut"}\n{"id": "b", "text": ""}\n')
    code, out, err = run_cli(capsys, "classify", "--items-jsonl", items, "--model", str(tiny_model), "--jobs", jobs)
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]
    assert "newsclass: warning: item b: the text has no words" in err and "item a:" not in err


def test_undecodable_page_names_the_file_and_the_encoding_option(capsys, tmp_path):
    page = write_items(tmp_path, "page.bin", b"Harbour news\n\x81\x8d\x8f\x90\x9d bytes\n")
    code, _, err = run_cli(capsys, "segment", page)
    assert code == 1
    assert f"newsclass: error: {page}: page bytes are not UTF-8 (invalid byte 0x81 at byte 13)" in err
    assert err.rstrip().endswith("name the file's codec with --encoding") and "encoding=" not in err


def test_a_wrong_encoding_option_is_named(capsys, tmp_path):
    page = write_items(tmp_path, "page.txt", "Caf\xe9 reopens\n\nThe caf\xe9 reopened.\n".encode("latin-1"))
    code, _, err = run_cli(capsys, "segment", page, "--encoding", "utf-8")
    assert code == 1
    assert f"{page}: page bytes cannot be decoded as 'utf-8' (from --encoding) at byte 3" in err


def test_a_missing_column_in_a_latin_1_header_is_shown_readably(capsys, tmp_path, tiny_model):
    items = write_items(tmp_path, "items.csv", "id,r\xe9sum\xe9\n1,Floods in Marrowby\n".encode("latin-1"))
    code, _, err = run_cli(capsys, "classify", "--items-csv", items, "--model", str(tiny_model))
    assert code == 1
    assert "the header has ['id', 'résumé'] (read as Windows-1252: the file is not UTF-8; save it as UTF-8)" in err
    assert "\\udc" not in err


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--items-csv", "id,text\n", "no items; expected rows after the header row"),
        ("--items-jsonl", "\n\n", "no items; expected one JSON object or string per line"),
    ],
    ids=["csv", "jsonl"],
)
def test_no_items_says_what_the_given_format_expects(capsys, tmp_path, tiny_model, option, content, message):
    items = write_items(tmp_path, "items", content)
    code, _, err = run_cli(capsys, "classify", option, items, "--model", str(tiny_model))
    assert code == 1
    assert f"newsclass: error: {items}: {message}" in err


def write_training_csv(path: Path, extra_rows: list[str] = (), header: str = "text,labels", cell: str = "") -> Path:
    rows = [header] + [f'"{text}",{"|".join(labels)}{cell}' for text, labels in zip(TEXTS * 3, LABELS * 3)]
    path.write_text("\n".join(rows + list(extra_rows)) + "\n", encoding="utf-8")
    return path


def test_train_names_the_rows_and_column_of_a_rare_label(capsys, tmp_path):
    data = write_training_csv(tmp_path / "data.csv", ["The ferry to Ostvik was cancelled,justcie", "A new bridge opens,justcie|energy"])
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"))
    assert code == 1
    assert (
        f"{data}, column 'labels': label(s) with fewer than 5 examples: {{'justcie': 2}} ('justcie' in rows 29, 30); "
        "add examples or drop those labels"
    ) in err


def test_train_notes_the_columns_it_ignores(capsys, tmp_path):
    data = write_training_csv(tmp_path / "data.csv", header="text,labels,desk", cell=",metro")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), "--streaming", "--passes", "1")
    assert code == 0, err
    assert f"newsclass: note: {data}: ignoring column(s) ['desk']; training reads only ['text', 'labels']" in err


def test_train_reads_every_column_without_a_note(capsys, tmp_path):
    data = write_training_csv(tmp_path / "data.csv")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), "--streaming", "--passes", "1")
    assert code == 0 and "ignoring" not in err


def test_train_group_column_holds_groups_out_together_and_says_so(capsys, tmp_path):
    # Each text three times: its copies are one group, named by the text's number.
    rows = ["text,labels,story"] + [
        f'"{text}",{"|".join(labels)},story {number % len(TEXTS)}' for number, (text, labels) in enumerate(zip(TEXTS * 3, LABELS * 3))
    ]
    data = tmp_path / "data.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), "--group-column", "story")
    assert code == 0 and "ignoring" not in err
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"on the held-out validation split, holding out the rows of each of {len(TEXTS)} groups together" in card


def test_train_refuses_group_column_with_streaming(capsys, tmp_path):
    code, _, err = run_cli(capsys, "train", "data.csv", "--out", str(tmp_path / "model"), "--streaming", "--group-column", "story")
    assert code == 2
    assert "newsclass train: error: --group-column is for in-memory training" in err



@pytest.mark.parametrize("argv", [["-vv", "segment", "PAGE"], ["segment", "PAGE", "-vv"], ["-v", "segment", "PAGE", "-v"]])
def test_verbose_before_or_after_the_command_logs_the_page_reading(argv):
    # A process of its own: in this one pytest has configured logging already.
    page = str(EXAMPLES / "digest.txt")
    command = [sys.executable, "-m", "newsclass", *[page if part == "PAGE" else part for part in argv]]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "newsclass: DEBUG: read the page as text: 48 lines, 8 items" in result.stderr


def test_verbose_names_the_model_read():
    command = [sys.executable, "-m", "newsclass", "classify", "--text", "Oil output cut", "-v"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "newsclass: INFO: read model " in result.stderr and "14 labels" in result.stderr


def test_evaluate_report_writes_the_table_and_three_plots(capsys, tmp_path):
    pytest.importorskip("matplotlib", reason="the optional extra is not installed: pip install 'newsclass[report]'")
    model = tmp_path / "model"
    assert main(["train", str(EXAMPLES / "train_small.csv"), "--out", str(model)]) == 0
    code, out, _ = run_cli(capsys, "evaluate", str(model), str(EXAMPLES / "evaluate_small.csv"), "--report", str(tmp_path / "report"))
    assert code == 0
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    macro_support = out.split("macro avg")[1].split()[3]  # the terminal table's macro row: precision recall F1 support
    assert f"| {macro_support} |" in report.split("**macro**")[1].splitlines()[0]
    for plot in ("f1_per_label.png", "confusions.png", "precision_recall_by_threshold.png"):
        assert (tmp_path / "report" / plot).read_bytes().startswith(b"\x89PNG")
