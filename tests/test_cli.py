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
    assert code == 1
    assert f"{option[0]} is for in-memory training" in err
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("option", ["1", "0", "-3", "three", "2.5"])
def test_train_refuses_validation_folds_under_2(capsys, tmp_path, option):
    assert main(["train", "data.csv", "--out", str(tmp_path / "model"), f"--validation-folds={option}"]) == 2
    assert f"--validation-folds: must be an integer of at least 2, not '{option}'" in capsys.readouterr().err


def test_train_refuses_validation_splits_with_folds(capsys, tmp_path):
    code, _, err = run_cli(
        capsys, "train", "data.csv", "--out", str(tmp_path / "model"), "--validation-splits", "2", "--validation-folds", "3"
    )
    assert code == 1
    assert "--validation-splits and --validation-folds cannot be combined" in err
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
    [(["--jobs", "0"], "--jobs must be a positive integer or -1"), (["--jobs", "2", "--streaming"], "--jobs is for in-memory training")],
    ids=["zero-jobs", "jobs-with-streaming"],
)
def test_train_refuses_bad_jobs(capsys, tmp_path, options, message):
    data = tmp_path / "data.csv"
    data.write_text("text,labels\noil,energy\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "train", str(data), "--out", str(tmp_path / "model"), *options)
    assert code != 0 and message in err
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


def test_train_help_gives_the_streaming_trainers_default_passes():
    from newsclass._stream_train import DEFAULT_PASSES
    from newsclass.cli.train import STREAMING_PASSES

    # Written out in the command so that building its parser imports no trainer.
    assert STREAMING_PASSES == DEFAULT_PASSES
