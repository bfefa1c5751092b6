"""Hypothesis properties of segment(), classify() and the CSV reader, over hostile inputs.

Each property runs twice: a few hundred examples in the default run, and 10,000 in a run
marked slow (``pytest -m slow tests/test_hardening_properties.py --hypothesis-show-statistics``).
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclass import DataError, InputTooLargeError, PageDecodeError, classify, segment
from newsclass import _train as train_module
from newsclass._train import read_labelled_csv

from .invariants import SMALL_LABELS, check_predictions, check_segmentation, small_model

DEFAULT_RUN_EXAMPLES = 100
SLOW_RUN_EXAMPLES = 10_000


def property_test(*strategies) -> Callable:
    """Return (default-run test, slow 10,000-example test) of one property body."""

    def make(body):
        fast = settings(max_examples=DEFAULT_RUN_EXAMPLES, deadline=None)(given(*strategies)(body))
        thorough = settings(
            max_examples=SLOW_RUN_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        )(given(*strategies)(body))
        return fast, pytest.mark.slow(thorough)

    return make


# --- pages ------------------------------------------------------------------------------------

LINES = st.sampled_from(
    [
        "", " ", "\t", "\u00a0", "Share", "More from us", "© 2031 Example", "ADVERTISEMENT", "16:42", "https://example.org/a",
        "Storm closes port", "A storm closed the port on Monday.", "AGENCY/Jo Bloggs", "Photo: Jo Bloggs",
        "LIMA, May 2 (APS) - Prices rose.", "(Reporting by Ann Lee)", "Unsubscribe", "ارتفعت أسعار النفط يوم الاثنين.",
        "油价上涨。", "🔥 Prices 🚀 rose.", "\x00\x01\x1b[31m", "\u202eevil\u202c", "a" * 300, "- - -", "###", "1.",
    ]
)
TAGS = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<article>", "</article>", "<h2>", "</h2>", "<nav>", "</nav>", "<footer>",
        "<figure><figcaption>", "</figcaption></figure>", "<span class='credit'>", "</span>", "<script>", "</script>",
        "<br>", "<br/>", "<!--", "-->", "<![CDATA[", "]]>", "<", ">", "</", "&amp;", "&#0;", "&#x110000;", "&", "<a href='",
        "<div class=ad>", "<time>", "</time>", "<header>", "</header>", "<table><tr><td>", "<?xml ?>", "<!DOCTYPE html>",
    ]
)
PAGE_TEXT = st.one_of(
    st.text(max_size=600),
    st.builds("\n".join, st.lists(LINES, max_size=50)),
    st.builds("".join, st.lists(st.one_of(TAGS, LINES), max_size=80)),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"]
PAGE_BYTES = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda text, codec: text.encode(codec, errors="replace"), PAGE_TEXT, st.sampled_from(ENCODINGS)),
    st.builds(lambda charset, text: f'<meta charset="{charset}">'.encode() + text.encode("utf-8", errors="replace"),
              st.sampled_from(["utf-8", "undefined", "unicode_escape", "koi8-r", "utf-16", "x" * 41]), PAGE_TEXT),
)


def _segment_any_text(page):
    result = segment(page)
    check_segmentation(result)
    if result.format == "text":
        assert result.text == page
    assert segment(page).to_dict() == result.to_dict()


test_segment_any_text, test_segment_any_text_10k = property_test(PAGE_TEXT)(_segment_any_text)


def _segment_any_bytes(page):
    try:
        result = segment(page, max_chars=len(page))  # every decoded text fits: a limit error would be a bug
    except PageDecodeError as error:
        assert error.position is None or 0 <= error.position <= len(page)
        return
    check_segmentation(result)


test_segment_any_bytes, test_segment_any_bytes_10k = property_test(PAGE_BYTES)(_segment_any_bytes)


def _size_limit_is_exact(page, slack):
    limit = max(0, len(page) + slack)
    if slack < 0:
        with pytest.raises(InputTooLargeError, match=f"more than max_chars={limit:,}"):
            segment(page, max_chars=limit)
    else:
        check_segmentation(segment(page, max_chars=limit))


test_size_limit_is_exact, test_size_limit_is_exact_10k = property_test(
    PAGE_TEXT.filter(bool), st.integers(min_value=-5, max_value=5)
)(_size_limit_is_exact)


# --- classify ---------------------------------------------------------------------------------

_MODEL = small_model()
ITEMS = st.lists(st.one_of(st.text(max_size=300), PAGE_TEXT, st.sampled_from(["oil court", "", " ", "\x00", "🔥"])), max_size=6)


def _classify_any_items(items):
    predictions = classify(items, model=_MODEL, explain=True)
    assert len(predictions) == len(items)
    check_predictions(predictions, SMALL_LABELS)
    for prediction in predictions:
        assert set(prediction.explanation) == set(prediction.labels)
    assert [p.to_dict() for p in classify(list(items), model=_MODEL, explain=True)] == [p.to_dict() for p in predictions]


test_classify_any_items, test_classify_any_items_10k = property_test(ITEMS)(_classify_any_items)


# --- the CSV reader ---------------------------------------------------------------------------


@contextmanager
def csv_file(content: bytes, chunk: int):
    """A CSV file holding ``content``, read with chunks of ``chunk`` bytes."""
    original = train_module._CHUNK_BYTES
    train_module._CHUNK_BYTES = chunk
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "data.csv"
            path.write_bytes(content)
            yield path
    finally:
        train_module._CHUNK_BYTES = original


CHUNKS = st.sampled_from([1, 2, 3, 7, 64, 1024 * 1024])
CSV_BYTES = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda body: ("text,labels\n" + body).encode("utf-8", errors="surrogatepass"),
        st.text(alphabet=st.sampled_from('ab ,"|\r\n\t\x00é€;_:-.'), max_size=200),
    ),
)


def _reader_gives_data_or_a_data_error(content, chunk):
    with csv_file(content, chunk) as path:
        try:
            data = read_labelled_csv(path)
        except DataError as error:
            assert str(error).startswith(str(path))
            assert error.row is None or error.row >= 1
            return
    assert len(data.texts) == len(data.label_sets) >= 1
    assert all(text.strip() for text in data.texts)


test_reader_gives_data_or_a_data_error, test_reader_gives_data_or_a_data_error_10k = property_test(
    CSV_BYTES, CHUNKS
)(_reader_gives_data_or_a_data_error)

CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(lambda text: text.strip())
LABEL_SETS = st.lists(st.sampled_from(["energy", "justice", "a.b", "x:y-z_1"]), max_size=3)
ROWS = st.lists(st.tuples(CELL_TEXT, LABEL_SETS), min_size=1, max_size=12)


def _written_rows_read_back(rows, line_end, byte_order_mark, chunk):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=line_end, quoting=csv.QUOTE_ALL)
    writer.writerow(["text", "labels"])
    writer.writerows((text, "|".join(labels)) for text, labels in rows)
    content = (codecs.BOM_UTF8 if byte_order_mark else b"") + buffer.getvalue().encode("utf-8")
    with csv_file(content, chunk) as path:
        data = read_labelled_csv(path)
    assert data.texts == tuple(text.strip() for text, _labels in rows)
    assert data.label_sets == tuple(tuple(sorted(set(labels))) for _text, labels in rows)


test_written_rows_read_back, test_written_rows_read_back_10k = property_test(
    ROWS, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), CHUNKS
)(_written_rows_read_back)
