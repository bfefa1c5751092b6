"""Training from a labelled CSV: validation errors name the row and column; writes are atomic."""

from __future__ import annotations

import codecs

import pytest

from newsclass import DataError, TopicClassifier, load_model
from newsclass._train import read_labelled_csv, train

ROWS = [
    ("Oil prices rose after the cartel cut crude output", "energy"),
    ("The gas pipeline to the coast opened on Monday", "energy"),
    ("Wind farms supply a third of the grid's power", "energy"),
    ("Coal plant closes as power prices fall", "energy"),
    ("Refinery strike cuts petrol supply", "energy"),
    ("The judge jailed the fraudster for six years", "justice"),
    ("The court ruled the police search unlawful", "justice"),
    ("Jury acquits the mayor of bribery charges", "justice"),
    ("Appeals court upholds the murder conviction", "justice"),
    ("Police arrest three over the bank robbery", "justice"),
    ("Refinery owner goes on trial over the spill", "energy|justice"),
    ("The striker scored twice in the cup final", ""),
    ("The band announced a farewell tour", ""),
]


def write_csv(path, rows=ROWS, header="text,labels", newline="\n", prefix=b""):
    lines = [header] + [f'"{text}",{labels}' for text, labels in rows]
    path.write_bytes(prefix + newline.join(lines).encode("utf-8") + newline.encode())
    return path


def test_reads_texts_and_label_sets(tmp_path):
    data = read_labelled_csv(write_csv(tmp_path / "data.csv"))
    assert len(data.texts) == len(ROWS)
    assert data.label_sets[10] == ("energy", "justice")
    assert data.label_sets[-1] == ()
    assert data.label_counts == {"energy": 6, "justice": 6}


@pytest.mark.parametrize(
    ("newline", "prefix"), [("\n", b""), ("\r\n", b""), ("\r\n", codecs.BOM_UTF8)], ids=["lf", "crlf", "crlf-bom"]
)
def test_line_endings_and_byte_order_mark(tmp_path, newline, prefix):
    data = read_labelled_csv(write_csv(tmp_path / "data.csv", newline=newline, prefix=prefix))
    assert data.texts[0] == ROWS[0][0]


def test_quoted_newlines_stay_in_the_text(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('text,labels\r\n"First line\r\nsecond line",energy\r\n', encoding="utf-8", newline="")
    assert read_labelled_csv(path).texts == ("First line\r\nsecond line",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; expected a header row"),
        (b"text,labels\n", "the file has a header but no data rows"),
        (b"body,topic\nx,energy\n", r"row 1: missing column\(s\) \['text', 'labels'\]; the header has \['body', 'topic'\]"),
        (b"text,labels\nfine,energy\ntoo,many,cells\n", "row 3: expected 2 cells as in the header, found 3"),
        (b"text;labels\nfine;energy\n", r"missing column\(s\)"),
        (b"text,labels\n,energy\n", "row 2, column 'text': the text is empty"),
        (b"text,labels\nfine,energy||trade\n", "row 2, column 'labels': empty label in 'energy||trade'"),
        (b"text,labels\nfine,en ergy\n", "row 2, column 'labels': label 'en ergy' is malformed"),
        (b"text,labels\nfine,energy\ncaf\xe9,energy\n", r"row 3: invalid UTF-8 \(byte 0xe9"),
    ],
    ids=["empty", "header-only", "missing-columns", "ragged-row", "wrong-delimiter", "empty-text",
         "empty-label", "malformed-label", "invalid-utf8"],
)
def test_bad_files_name_the_problem_and_place(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_labelled_csv(path)


def test_labels_outside_a_declared_set(tmp_path):
    path = write_csv(tmp_path / "data.csv", rows=[("Oil output cut", "enrgy")])
    with pytest.raises(DataError, match=r"row 2, column 'labels': label 'enrgy' is not one of \['energy', 'justice'\]") as caught:
        read_labelled_csv(path, allowed_labels=["energy", "justice"])
    assert (caught.value.row, caught.value.column) == (2, "labels")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_labelled_csv(tmp_path / "absent.csv")


def test_duplicates_are_reported_not_fatal(tmp_path):
    data = read_labelled_csv(write_csv(tmp_path / "data.csv", rows=ROWS + ROWS[:2]))
    assert data.duplicate_rows == (len(ROWS) + 2, len(ROWS) + 3)


def test_train_writes_model_and_card(tmp_path):
    model = train(write_csv(tmp_path / "data.csv", rows=ROWS * 3), tmp_path / "model", min_df=1)
    assert list(model.classes_) == ["energy", "justice"]
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "| energy | 18 |" in card and "sha256" in card
    assert list(load_model(tmp_path / "model").classes_) == ["energy", "justice"]


@pytest.mark.parametrize(
    ("options", "source"),
    [
        ({}, "on the held-out validation split,"),
        ({"validation_splits": 2}, "on the pooled held-out scores of 2 random validation splits"),
        ({"validation_folds": 3}, "on out-of-fold scores of 3 folds"),
    ],
)
def test_the_card_says_where_its_validation_scores_come_from(tmp_path, options, source):
    train(write_csv(tmp_path / "data.csv", rows=ROWS * 3), tmp_path / "model", min_df=1, **options)
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"Precision, recall and F1 of each label {source}" in card


def write_grouped_csv(path, groups):
    lines = ["text,labels,story"] + [f'"{text}",{labels},{group}' for (text, labels), group in zip(ROWS * 3, groups)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_group_column_gives_equal_cells_one_group_and_empty_cells_their_own(tmp_path):
    groups = ["a", "b", "", "a", "", "b"] + ["c"] * (len(ROWS) * 3 - 6)
    data = read_labelled_csv(write_grouped_csv(tmp_path / "data.csv", groups), group_column="story")
    assert data.groups[0] == data.groups[3] != data.groups[1] == data.groups[5]
    assert data.groups[2] != data.groups[4]  # two empty cells: two groups of one row
    assert len(set(data.groups)) == 5
    assert read_labelled_csv(tmp_path / "data.csv").groups is None


def test_group_column_must_exist(tmp_path):
    with pytest.raises(DataError, match=r"missing column\(s\) \['desk'\]; the header has \['text', 'labels', 'story'\]"):
        read_labelled_csv(write_grouped_csv(tmp_path / "data.csv", ["a"] * len(ROWS) * 3), group_column="desk")


def test_train_with_a_group_column_fits_as_fit_with_those_groups(tmp_path):
    # Each text's three copies share a group, so no copy is validated on while another is fitted.
    groups = [f"story {number % len(ROWS)}" for number in range(len(ROWS) * 3)]
    model = train(write_grouped_csv(tmp_path / "data.csv", groups), tmp_path / "model", min_df=1, group_column="story")
    texts = [text for text, _ in ROWS * 3]
    label_sets = [labels.split("|") if labels else [] for _, labels in ROWS * 3]
    expected = TopicClassifier(min_df=1).fit(texts, label_sets, groups=groups)
    ungrouped = TopicClassifier(min_df=1).fit(texts, label_sets)
    assert model.calibration_.tolist() == expected.calibration_.tolist() != ungrouped.calibration_.tolist()
    # Held out without their copies, the validation texts are unseen: no longer a perfect score.
    assert model.validation_scores_ == expected.validation_scores_ != ungrouped.validation_scores_
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"holding out the rows of each of {len(ROWS)} groups together" in card


def test_same_data_and_seed_give_byte_identical_files(tmp_path):
    data = write_csv(tmp_path / "data.csv", rows=ROWS * 3)
    train(data, tmp_path / "first", min_df=1, random_state=3)
    train(data, tmp_path / "second", min_df=1, random_state=3)
    assert (tmp_path / "first" / "model.zip").read_bytes() == (tmp_path / "second" / "model.zip").read_bytes()


def test_labels_fitted_in_threads_give_the_same_file(tmp_path):
    data = write_csv(tmp_path / "data.csv", rows=ROWS * 3)
    train(data, tmp_path / "serial", min_df=1, n_jobs=1)
    train(data, tmp_path / "threads", min_df=1, n_jobs=2)
    assert (tmp_path / "serial" / "model.zip").read_bytes() == (tmp_path / "threads" / "model.zip").read_bytes()
    assert "n_jobs" not in (tmp_path / "threads" / "MODEL_CARD.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a text", "energy")] * 3 + [("other", "")] * 3, r"fewer than 5 examples: \{'energy': 3\}"),
        ([("a text", "energy")] * 8, "every row has the single label 'energy'"),
        ([("a text", "")] * 8, "no row has a label"),
    ],
    ids=["too-few-examples", "single-class", "no-labels"],
)
def test_failed_training_leaves_the_existing_model_intact(tmp_path, rows, message):
    out = tmp_path / "model"
    train(write_csv(tmp_path / "good.csv", rows=ROWS * 3), out, min_df=1)
    before = (out / "model.zip").read_bytes()
    with pytest.raises(DataError, match=message):
        train(write_csv(tmp_path / "bad.csv", rows=rows), out, min_df=1)
    assert (out / "model.zip").read_bytes() == before
    assert sorted(path.name for path in out.iterdir()) == ["MODEL_CARD.md", "model.zip"]
