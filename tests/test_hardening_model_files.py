"""Model files from elsewhere: damaged, foreign, forged or booby-trapped files are refused; nothing in them runs.

test_model.py covers a text file, a bare pickle named model.zip, one altered array, a file cut
in half, a newer format version, an object array and another scikit-learn version; these go
further: every truncation, random damage, forged files whose checksums were recomputed (the
checksums detect damage, not forgery), and pickles hidden where an unsafe loader would run them.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn

from newsclass import ModelFileError, ModelNotFoundError, ModelVersionWarning, TopicClassifier, load_model, save_model
from newsclass._persist import load_scorer, model_bytes

from .invariants import small_model

PROBE = ["crude oil output", "the judge and the court", "a concert"]


@pytest.fixture(scope="module")
def model() -> TopicClassifier:
    return small_model()


@pytest.fixture(scope="module")
def original(model) -> bytes:
    return model_bytes(model)


class FileCreatingPayload:
    """Unpickling this creates ``marker``: proof that a loader ran code from the file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def forge(original: bytes, changes: dict[str, bytes | Callable[[dict], dict]]) -> bytes:
    """A copy of a model file with members replaced and the checksums recomputed to match.

    A callable value edits the parsed ``model.json`` header instead.
    """
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(members["model.json"])
    for name, change in changes.items():
        if callable(change):
            header = change(header)
        else:
            members[name] = change
            if name != "model.json":
                header["checksums"][name] = hashlib.sha256(change).hexdigest()
    if "model.json" not in changes:
        members["model.json"] = json.dumps(header).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def npy(array: np.ndarray, *, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


@pytest.fixture(params=["load_model", "load_scorer"])
def load_bytes(request) -> Callable[..., object]:
    """Write a file and load it, with the whole model's loader or the scoring-only one: both make
    every check (they share the code), and what either loads predicts the same."""
    loader = {"load_model": load_model, "load_scorer": load_scorer}[request.param]

    def load(tmp_path: Path, data: bytes, name: str = "model.zip") -> object:
        path = tmp_path / name
        path.write_bytes(data)
        return loader(path)

    return load


# --- damage -----------------------------------------------------------------------------------


def test_every_truncation_is_refused(load_bytes, original, tmp_path):
    cuts = sorted({0, 1, 4, 22, len(original) - 22, len(original) - 1, *range(0, len(original), max(1, len(original) // 60))})
    for cut in cuts:
        with pytest.raises(ModelFileError, match="not a newsclass model file|damaged|is missing|truncated"):
            load_bytes(tmp_path, original[:cut])


def test_random_damage_is_refused_or_harmless(load_bytes, model, original, tmp_path):
    # A flipped byte lands in compressed data (caught by the ZIP CRC or our checksum) or in
    # bookkeeping the reader does not use (then the model must load unchanged).
    generator = random.Random(20310401)
    expected = model.predict_proba(PROBE)
    refused = 0
    for _ in range(150):
        damaged = bytearray(original)
        position = generator.randrange(len(damaged))
        damaged[position] ^= 1 << generator.randrange(8)
        try:
            loaded = load_bytes(tmp_path, bytes(damaged))
        except ModelFileError:
            refused += 1
        else:
            assert np.array_equal(loaded.predict_proba(PROBE), expected), position
    assert refused > 100


def test_unknown_zip_version_is_refused(load_bytes, original, tmp_path):
    # A flipped bit in a directory entry's "version needed to extract" makes zipfile raise
    # NotImplementedError; found by the random damage test above.
    damaged = bytearray(original)
    entry = damaged.index(b"PK\x01\x02")
    damaged[entry + 6] = 148  # version 14.8
    with pytest.raises(ModelFileError, match="not a newsclass model file.*zip file version 14.8"):
        load_bytes(tmp_path, bytes(damaged))


def test_altered_member_fails_its_checksum(load_bytes, original, tmp_path):
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["terms.txt"] = members["terms.txt"].replace(b"oil", b"gas")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match="checksum mismatch in member 'terms.txt': the file was altered or damaged"):
        load_bytes(tmp_path, buffer.getvalue())


# --- foreign and future files ---------------------------------------------------------------


def other_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda original: other_zip(), "member 'model.json' is missing: not a complete newsclass model file"),
        (lambda original: forge(original, {"model.json": b"[1, 2]"}), r"not a newsclass model file \(format 'list'"),
        (lambda original: forge(original, {"model.json": b"\xff\xfe{}"}), "model.json is not valid JSON"),
        (lambda original: forge(original, {"x": lambda h: {**h, "format": "sklearn-pickle"}}), r"format 'sklearn-pickle', expected 'newsclass-model'"),
        (lambda original: forge(original, {"x": lambda h: {**h, "format_version": "1"}}), "format_version must be a positive integer, found '1'"),
        (lambda original: forge(original, {"x": lambda h: {**h, "format_version": 0}}), "format_version must be a positive integer, found 0"),
        (lambda original: forge(original, {"x": lambda h: {**h, "format_version": 3, "newsclass_version": "9.0"}}),
         r"model format version 3 is newer than this newsclass .* upgrade newsclass \(the file was written by newsclass 9.0\)"),
        (lambda original: forge(original, {"x": lambda h: {**h, "checksums": {}}}), "member list is not that of a format 2 model"),
    ],
    ids=["other-zip", "header-not-an-object", "header-not-utf8", "other-format", "version-as-string", "version-zero", "newer-version", "members-missing"],
)
def test_foreign_and_future_files_are_refused(load_bytes, original, tmp_path, make, message):
    with pytest.raises(ModelFileError, match=message) as caught:
        load_bytes(tmp_path, make(original))
    assert caught.value.path == str(tmp_path / "model.zip")


def test_another_minor_scikit_learn_loads_with_a_warning_and_the_same_predictions(load_bytes, model, original, tmp_path):
    # The file holds plain arrays, no scikit-learn object: another version reads it exactly,
    # so a minor difference is a warning (tokenising might differ), not a refusal.
    major = int(sklearn.__version__.split(".")[0])
    other = forge(original, {"x": lambda h: {**h, "sklearn_version": f"{major}.999.0"}})
    with pytest.warns(ModelVersionWarning, match=rf"written by newsclass .* with scikit-learn {major}.999.0; this is newsclass .* with scikit-learn"):
        loaded = load_bytes(tmp_path, other)
    assert np.array_equal(loaded.predict_proba(PROBE), model.predict_proba(PROBE))


@pytest.mark.parametrize("version", ["0.24.2", "99.1.0", "unknown", None], ids=["older-major", "newer-major", "not-a-version", "missing"])
def test_another_major_scikit_learn_is_refused_unless_allowed(load_bytes, model, original, tmp_path, version):
    forged = forge(original, {"x": lambda h: {**h, "sklearn_version": version}})
    with pytest.raises(ModelFileError, match=rf"with scikit-learn {version}; .*another major version of scikit-learn.*allow_version_mismatch=True") as caught:
        load_bytes(tmp_path, forged)
    assert caught.value.path == str(tmp_path / "model.zip")
    with pytest.warns(ModelVersionWarning, match=f"with scikit-learn {version}"):
        loaded = load_model(tmp_path / "model.zip", allow_version_mismatch=True)
    assert np.array_equal(loaded.predict_proba(PROBE), model.predict_proba(PROBE))


# --- forged files: checksums recomputed, values hostile ---------------------------------------


def nested(depth: int) -> bytes:
    return b'{"format": "newsclass-model", "x": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model.json": nested(100_000)}, "model.json is not valid JSON: maximum recursion depth"),
        ({"model.json": b'{"format": "newsclass-model", "format_version": ' + b"9" * 5000 + b"}"}, "model.json is not valid JSON: Exceeds the limit"),
        ({"x": lambda h: {**h, "labels": ["energy", "energy"]}}, r"labels must be distinct, found \['energy', 'energy'\]"),
        ({"x": lambda h: {**h, "labels": ["energy", 7]}}, r"labels must be a non-empty list of strings, found \['energy', 7\]"),
        ({"terms.txt": b"oil\noil"}, "member 'terms.txt' lists a term twice"),
        ({"terms.txt": b"oil\n\xff\xfe"}, "member 'terms.txt' is not UTF-8 text"),
        ({"coef.npy": "nan"}, "array 'coef' holds NaN or infinite values"),
        ({"idf.npy": "inf"}, "array 'idf' holds NaN or infinite values"),
        ({"coef.npy": np.zeros((2, 3), dtype=np.float32)}, r"array 'coef' has shape \(2, 3\) and dtype float32, expected floats of shape \(2, \d+\)"),
        ({"intercept.npy": np.array(["a", "b"])}, r"array 'intercept' has shape \(2,\) and dtype <U1, expected floats"),
        ({"x": lambda h: {**h, "hyperparameters": [1, 2]}}, r"hyperparameters must be a JSON object, found \[1, 2\]"),
        ({"x": lambda h: {**h, "metadata": "text"}}, "metadata must be a JSON object, found 'text'"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "ngram_range": 5}}}, "ngram_range must be two integers 1 <= low <= high, found 5"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "ngram_range": [3, 1]}}}, r"found \[3, 1\]"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "ngram_range": [50_000, 100_000]}}},
         r"ngram_range \[50000, 100000\] does not fit the vocabulary, whose terms have at most 2 words"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "stop_words": 7}}},
         'stop_words must be "english", null or a list of words, found 7'),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "lead_tokens": 0}}},
         "lead_tokens must be a positive integer or null, found 0"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "lead_tokens": "40"}}},
         "lead_tokens must be a positive integer or null, found '40'"),
        ({"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "min_df": 1, "bogus": 1, "C": {"x": 1}}}}, None),
    ],
    ids=["deep-json", "huge-number", "duplicate-labels", "label-not-a-string", "duplicate-terms", "terms-not-utf8", "nan",
         "infinity", "wrong-shape", "strings-array", "hyperparameters-list", "metadata-string", "ngram-not-a-pair",
         "ngram-reversed", "ngram-beyond-vocabulary", "stop-words-a-number", "lead-zero", "lead-a-string",
         "unknown-hyperparameters-ignored"],
)
def test_forged_files_are_refused(load_bytes, model, original, tmp_path, changes, message):
    # Each of these raised a bare RecursionError, ValueError or UnicodeDecodeError, loaded
    # a model giving NaN scores, or (ngram_range) made classifying a long text take hours.
    resolved = {}
    for name, change in changes.items():
        if isinstance(change, str):  # fill the array with a bad value, keeping its shape
            with zipfile.ZipFile(io.BytesIO(original)) as archive:
                array = np.load(io.BytesIO(archive.read(name)))
            change = npy(np.full_like(array, float(change)))
        elif isinstance(change, np.ndarray):
            change = npy(change)
        resolved[name] = change
    forged = forge(original, resolved)
    if message is None:
        assert np.array_equal(load_bytes(tmp_path, forged).predict_proba(PROBE), model.predict_proba(PROBE))
        return
    with pytest.raises(ModelFileError, match=message):
        load_bytes(tmp_path, forged)


def test_an_ngram_range_beyond_the_vocabulary_is_cut_to_it(model, original, tmp_path):
    forged = forge(original, {"x": lambda h: {**h, "hyperparameters": {**h["hyperparameters"], "ngram_range": [1, 100_000]}}})
    (tmp_path / "model.zip").write_bytes(forged)
    loaded = load_model(tmp_path / "model.zip")
    assert loaded.ngram_range == (1, 2)
    assert np.array_equal(loaded.predict_proba(PROBE), model.predict_proba(PROBE))


def test_a_member_declaring_a_huge_size_is_refused_before_reading(load_bytes, original, tmp_path):
    data = bytearray(original)
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry: model.json
    struct.pack_into("<I", data, entry + 24, 3_000_000_000)  # its uncompressed size
    with pytest.raises(ModelFileError, match=r"member 'model.json' is 3,000,000,000 bytes, too large for a model"):
        load_bytes(tmp_path, bytes(data))


def test_an_archive_listing_a_million_members_is_refused_before_zipfile_reads_the_list(load_bytes, tmp_path):
    # zipfile would build a million objects (minutes, gigabytes) before any check of ours.
    end_record = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 65535, 65535, 46 * 1_000_000, 0, 0)
    with pytest.raises(ModelFileError, match="the archive lists 65,535 members in 46,000,000 bytes; a newsclass model has 7"):
        load_bytes(tmp_path, b"PK" + b"\x00" * 100 + end_record)
    locator = b"PK\x06\x07" + b"\x00" * 16
    with pytest.raises(ModelFileError, match="a ZIP64 archive, which newsclass never writes"):
        load_bytes(tmp_path, b"\x00" * 100 + locator + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 7, 7, 400, 0, 0))


def test_members_adding_up_to_too_much_are_refused_before_reading(load_bytes, original, tmp_path):
    data = bytearray(original)
    entry = -1
    for _member in range(3):  # the first three members declare 900 MB each
        entry = data.index(b"PK\x01\x02", entry + 1)
        struct.pack_into("<I", data, entry + 24, 900_000_000)
    with pytest.raises(ModelFileError, match=r"the members add up to 2,\d{3},\d{3},\d{3} bytes, too large for a model"):
        load_bytes(tmp_path, bytes(data))


# --- pickles: never run -----------------------------------------------------------------------


@pytest.mark.parametrize("member", ["coef.npy", "idf.npy", "thresholds.npy"])
@pytest.mark.parametrize("kind", ["raw-pickle", "object-array"])
def test_a_pickle_inside_the_archive_is_refused_and_never_runs(load_bytes, original, tmp_path, member, kind):
    marker = tmp_path / "payload-ran"
    payload = FileCreatingPayload(marker)
    if kind == "raw-pickle":
        data = pickle.dumps(payload)
    else:
        data = npy(np.array([payload], dtype=object), allow_pickle=True)
    assert not marker.exists()
    with pytest.raises(ModelFileError, match=f"member '{member}' is not a plain numeric array"):
        load_bytes(tmp_path, forge(original, {member: data}))
    assert not marker.exists()
    pickle.loads(data if kind == "raw-pickle" else data[data.index(b"\x80"):])  # an unsafe loader would have run it
    assert marker.exists()


@pytest.mark.parametrize("name", ["model.pkl", "model.joblib", "model.zip"])
@pytest.mark.parametrize("writer", ["pickle", "joblib"])
def test_a_bare_pickle_or_joblib_file_is_refused_and_never_runs(model, tmp_path, name, writer):
    marker = tmp_path / "payload-ran"
    path = tmp_path / name
    bundle = {"estimator": model, "payload": FileCreatingPayload(marker)}
    if writer == "pickle":
        path.write_bytes(pickle.dumps(bundle))
    else:
        joblib.dump(bundle, path)
    with pytest.raises(ModelFileError, match="not a newsclass model file"):
        load_model(path)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "model.zip").write_bytes(path.read_bytes())
    with pytest.raises(ModelFileError, match="not a newsclass model file"):
        load_model(folder)
    assert not marker.exists()


@pytest.mark.parametrize("path", ["/dev/null", "/dev/zero", "."], ids=["dev-null", "dev-zero", "folder-without-model"])
def test_paths_that_are_not_model_files(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelNotFoundError, match="no model file at"):
        load_model(path)


def test_a_saved_model_still_loads_exactly(model, tmp_path):
    # The checks above must not refuse what newsclass itself writes.
    loaded = load_model(save_model(model, tmp_path / "model"))
    assert np.array_equal(loaded.predict_proba(PROBE), model.predict_proba(PROBE))
