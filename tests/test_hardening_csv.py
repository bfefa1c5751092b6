"""Training CSVs from elsewhere: every problem is named with its row (and column), nothing is written on failure.

test_train.py covers the basic cases (empty file, header only, missing columns, a ragged row,
an empty text or label, invalid UTF-8, labels outside a declared set, line endings, BOM,
quoted newlines, too few examples, a single class); these are the harder ones, the reader's
streaming, and what a failed run leaves behind.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import shutil
import subprocess
import sys
import time
import tracemalloc

import pytest

from newsclass import DataError, load_model
from newsclass import _train as train_module
from newsclass._train import read_labelled_csv, train
from newsclass.cli import main

from .test_train import ROWS, write_csv

MB = 1024 * 1024
GOOD = "".join(f'"{text}",{labels}\n' for text, labels in ROWS * 3)

# (file content, the error's message, its row, its column): each a file a colleague might send.
BAD_FILES = {
    "empty": (b"", "the file is empty; expected a header row", None, None),
    "only-a-bom": (codecs.BOM_UTF8, "the first row is blank; expected a header row", 1, None),
    "blank-first-line": (b"\ntext,labels\nfine,energy\n", "the first row is blank", 1, None),
    "header-only": (b"text,labels\r\n", "the file has a header but no data rows", None, None),
    "semicolons": (b"text;labels\nfine;energy\n", r"missing column\(s\) .* looks separated by semicolons: save it comma-separated", 1, None),
    "tabs": (b"text\tlabels\nfine\tenergy\n", "looks separated by tabs", 1, None),
    "column-twice": (b"text,labels,text\nfine,energy,x\n", "column 'text' appears 2 times in the header; rename the others", 1, "text"),
    "utf-16": ("text,labels\nfine,energy\n".encode("utf-16"), "the file is UTF-16 .*; save it as UTF-8", 1, None),
    "utf-16-without-bom": ("text,labels\nfine,energy\n".encode("utf-16-le"), "the file looks UTF-16; save it as UTF-8", 1, None),
    "invalid-utf8-in-header": (b"text,lab\xffels\n", r"invalid UTF-8 \(byte 0xff at byte offset 8, line 1\)", 1, None),
    # Row 4 is on line 5: the quoted text of row 2 spans two lines.
    "invalid-utf8-after-quoted-newline": (
        b'text,labels\n"two\nlines",energy\nfine,\ncaf\xe9,energy\n', r"invalid UTF-8 \(byte 0xe9 at byte offset 40, line 5\); save the file as UTF-8", 4, None,
    ),
    "invalid-utf8-on-last-line-without-newline": (b"text,labels\nfine,energy\nbad \xc3", r"byte 0xc3 at byte offset 28, line 3", 3, None),
    "too-few-cells": (b"text,labels,source\nfine,energy\n", "expected 3 cells as in the header, found 2", 2, None),
    "unclosed-quote": (b'text,labels\nfine,energy\n"never closed,energy\nmore,\n', r"the file ends inside a quoted cell \(a quote opened but not closed\?\)", 3, None),
    "text-after-quote": (b'text,labels\n"quoted"tail,energy\n', "malformed CSV: ',' expected after '\"'", 2, None),
    "cell-too-long": (b'text,labels\n"' + b"a" * 200_000 + b'",energy\n', "a cell is longer than 131,072 characters", 2, None),
    "labels-with-spaces": (b"text,labels\nfine,energy trade\n", "label 'energy trade' is malformed", 2, "labels"),
    "stray-separator": (b"text,labels\nfine,|energy\n", r"empty label in '\|energy'", 2, "labels"),
}


@pytest.mark.parametrize(("content", "message", "row", "column"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_files_name_the_problem_row_and_column(tmp_path, content, message, row, column):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as caught:
        read_labelled_csv(path)
    assert (caught.value.row, caught.value.column, caught.value.path) == (row, column, str(path))
    if row is not None:
        assert f"row {row}" in str(caught.value)


def test_a_line_over_the_limit_is_refused_without_reading_on(tmp_path, monkeypatch):
    monkeypatch.setattr(train_module, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(train_module, "_CHUNK_BYTES", 256)
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"text,labels\nfine,energy\n" + b"x" * 5000)
    with pytest.raises(DataError, match=r"row 3: line 3 is longer than 1,000 bytes; a CSV row cannot be that long"):
        read_labelled_csv(path)


def test_empty_label_cells_mean_no_topic(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b'text,labels\nfine,\n"also fine",   \nlabelled,energy\n')
    assert read_labelled_csv(path).label_sets == ((), (), ("energy",))


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_line_endings_and_quoted_line_breaks_survive_any_chunking(tmp_path, monkeypatch, newline):
    # Lines are split from the bytes in chunks: a "\r\n", a multi-byte character or a
    # quoted line break cut by a chunk boundary must read exactly as a whole file does.
    rows = [("Première ligne" + newline + "deuxième ligne ☀", "energy"), ("Ünïcödé text €", ""), ("plain", "energy|justice")]
    path = tmp_path / "data.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(["text", "labels"])
        writer.writerows(rows)
    expected = read_labelled_csv(path)
    assert expected.texts == tuple(text for text, _labels in rows)
    for chunk in (1, 2, 3, 5, 7):
        monkeypatch.setattr(train_module, "_CHUNK_BYTES", chunk)
        assert read_labelled_csv(path) == expected


def test_invalid_byte_position_is_exact_past_the_first_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(train_module, "_CHUNK_BYTES", 64)
    content = b"text,labels\n" + b"a fine row of text,energy\n" * 40 + b"bad \x80 row,energy\n"
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    offset = content.index(b"\x80")
    with pytest.raises(DataError, match=rf"row 42: invalid UTF-8 \(byte 0x80 at byte offset {offset}, line 42\)"):
        read_labelled_csv(path)


def test_the_recorded_hash_is_that_of_the_file(tmp_path):
    path = write_csv(tmp_path / "data.csv", prefix=codecs.BOM_UTF8, newline="\r\n")
    assert read_labelled_csv(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def write_large_csv(path, megabytes: int, *, unique: bool) -> int:
    text = " ".join(["Oil prices rose after the cartel cut output and the minister said more cuts may follow"] * 25)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("text,labels\n")
        row = 0
        while handle.tell() < megabytes * MB:
            handle.write(f'"{row if unique else 0} {text}",energy|economy\n')
            row += 1
    return path.stat().st_size


def traced_read(path):
    tracemalloc.start()
    try:
        data = read_labelled_csv(path)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return data, kept, peak


@pytest.mark.parametrize("megabytes", [16, pytest.param(256, marks=pytest.mark.slow)])
def test_a_large_file_is_streamed_not_loaded_whole(tmp_path, megabytes):
    # Reading the whole file would take at least its size (bytes) plus as much again
    # (decoded text). Streamed, a file of repeated rows costs the read buffers and a few
    # dozen bytes per row (the row's place in the lists, its number among the duplicates).
    size = write_large_csv(tmp_path / "large.csv", megabytes, unique=False)
    data, _kept, peak = traced_read(tmp_path / "large.csv")
    assert len(data.texts) > 1000 and len(data.duplicate_rows) == len(data.texts) - 1
    assert peak < 6 * MB + size / 40, f"peak {peak / MB:.1f} MB reading a {size / MB:.0f} MB file"


def test_a_large_file_of_distinct_rows_costs_its_texts_and_little_more(tmp_path):
    size = write_large_csv(tmp_path / "large.csv", 16, unique=True)
    data, kept, peak = traced_read(tmp_path / "large.csv")
    assert kept > size * 0.9  # the texts themselves: training needs them
    # Read whole, the file's bytes and their decoded copy would add 32 MB on top.
    assert peak - kept < 8 * MB, f"transient {(peak - kept) / MB:.1f} MB for a {size / MB:.0f} MB file"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the peak memory from /proc (Linux)")
def test_a_2_gb_file_is_streamed_in_bounded_memory(tmp_path):
    # The streaming reader (what `train --streaming` reads through) holds one row at a time:
    # a 2 GB file is validated and hashed while the process's peak memory barely moves.
    path = tmp_path / "huge.csv"
    size = write_large_csv(path, 2048, unique=True)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest itself).
    script = (
        "import hashlib, re, sys\n"
        "from newsclass._train import iter_labelled_rows\n"
        "def peak():\n"
        "    return int(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) * 1024\n"
        "before = peak()\n"
        "digest = hashlib.sha256()\n"
        "rows = sum(1 for _ in iter_labelled_rows(sys.argv[1], digest=digest))\n"
        "print(rows, digest.hexdigest(), before, peak())\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    rows, hexdigest, before, after = result.stdout.split()
    assert int(rows) > 900_000 and size >= 2048 * MB
    assert hexdigest == _file_sha256(path)
    growth = int(after) - int(before)
    assert growth < 32 * MB, f"peak memory grew by {growth / MB:.0f} MB streaming a {size / MB:.0f} MB file"


def _file_sha256(path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


# --- nothing is written on failure ----------------------------------------------------------

FAILING_TRAINING_FILES = {
    **{name: content for name, (content, *_rest) in BAD_FILES.items()},
    "label-outside-the-syntax": b"text,labels\nfine,en/ergy\n",
    "too-few-examples": ("text,labels\n" + "".join(f"text {n},energy\n" for n in range(3)) + "other,\n" * 5).encode(),
    "only-one-class": ("text,labels\n" + "".join(f"text {n},energy\n" for n in range(8))).encode(),
    "no-labels": ("text,labels\n" + "".join(f"text {n},\n" for n in range(8))).encode(),
}


@pytest.fixture(scope="module")
def previous_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("previous") / "model"
    data = tmp_path_factory.mktemp("data") / "good.csv"
    data.write_text("text,labels\n" + GOOD, encoding="utf-8")
    train(data, folder, min_df=1)
    return folder


@pytest.mark.parametrize("content", list(FAILING_TRAINING_FILES.values()), ids=list(FAILING_TRAINING_FILES))
def test_failed_training_writes_nothing(tmp_path, previous_model, content):
    data = tmp_path / "bad.csv"
    data.write_bytes(content)
    absent = tmp_path / "new" / "model"
    with pytest.raises(DataError):
        train(data, absent, min_df=1)
    assert not (tmp_path / "new").exists()
    existing = tmp_path / "existing"
    shutil.copytree(previous_model, existing)
    before = {path.name: path.read_bytes() for path in existing.iterdir()}
    with pytest.raises(DataError):
        train(data, existing, min_df=1)
    assert {path.name: path.read_bytes() for path in existing.iterdir()} == before


def test_failed_cli_training_writes_nothing(tmp_path, capsys):
    data = tmp_path / "bad.csv"
    data.write_bytes(b"text,labels\nfine,energy\ncaf\xe9,energy\n")
    assert main(["train", str(data), "--out", str(tmp_path / "model")]) == 1
    assert "row 3: invalid UTF-8 (byte 0xe9" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


def test_training_on_a_file_with_every_quirk_works(tmp_path):
    # BOM, Windows line endings, quoted newlines and commas, blank lines, empty label cells.
    content = codecs.BOM_UTF8 + ("text,labels\r\n" + GOOD.replace("\n", "\r\n") + '"Two lines,\r\nwith a comma",\r\n\r\n').encode()
    data = tmp_path / "quirks.csv"
    data.write_bytes(content)
    started = time.perf_counter()
    model = train(data, tmp_path / "model", min_df=1)
    assert list(model.classes_) == ["energy", "justice"]
    assert list(load_model(tmp_path / "model").classes_) == ["energy", "justice"]
    assert sorted(path.name for path in (tmp_path / "model").iterdir()) == ["MODEL_CARD.md", "model.zip"]
    assert time.perf_counter() - started < 10
