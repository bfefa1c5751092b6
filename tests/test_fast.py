"""The fast prediction path gives exactly scikit-learn's features, hence the same predictions."""

from __future__ import annotations

import copy
import csv
import functools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclass
from newsclass import TopicClassifier, classify
from newsclass import _classify as classify_module
from newsclass._fast import FastScorer, scorer_for, supports
from newsclass._persist import load_scorer

from .conftest import REPOSITORY
from .test_model import LABELS, TEXTS

QUALITY_SET = REPOSITORY / "tests" / "data" / "quality_set.csv"
TRICKY_TEXTS = [
    "",
    "a",
    "x a1 b2 42",
    "Ça coûte CHER l'été, naïve café",
    "rock'n'roll 'quoted' students' ’tis don’t’s ''ab'' it''s",
    "İstanbul ΣΟΦΟΣ ΟΔΟΣ.Α σοφοσ",
    "ﬁnance ½ Ⅻ x² ㈱ e\u0301te\u0301",
    "before\x00after NUL inside",
    "dashes—joined–words “quoted” ‘single’ and\u00a0no-break space",
    "under_score snake_case_word 3rd 1990s",
    "Tab\tnew\nline\r\nform\x0cfeed\x1cfile separator",
    "emoji 🙂 joined🙂words and 𝔣𝔯𝔞𝔨𝔱𝔲𝔯",
]


@pytest.fixture(scope="module")
def quality_texts() -> list[str]:
    with QUALITY_SET.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def assert_same_features(model: TopicClassifier, texts: list[str]) -> None:
    reference = model.transform(texts)
    fast = scorer_for(model).transform(texts)
    assert fast.shape == reference.shape
    assert fast.dtype == reference.dtype
    assert np.array_equal(fast.indptr, reference.indptr)
    assert np.array_equal(fast.indices, reference.indices)
    assert np.array_equal(fast.data, reference.data)  # bit for bit, not approximately


def test_default_model_features_are_bit_for_bit_scikit_learns(quality_texts):
    assert_same_features(newsclass.default_model(), quality_texts + TRICKY_TEXTS)


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=range(len(TRICKY_TEXTS)))
def test_tricky_texts_one_at_a_time(text):
    assert_same_features(newsclass.default_model(), [text])


def test_predictions_equal_the_scikit_learn_path(quality_texts, monkeypatch):
    texts = quality_texts + TRICKY_TEXTS
    fast = classify(texts, explain=True)
    monkeypatch.setattr(classify_module, "scorer_for", lambda model: None)
    reference = classify(texts, explain=True)
    assert fast == reference


def _vocabulary_words() -> list[str]:
    model = newsclass.default_model()
    words = sorted({word for term in model.vectorizer_.vocabulary_ for word in term.split(" ")})
    # Every non-ASCII word and a spread of the others.
    return [word for word in words if not word.isascii()][:300] + words[:: max(len(words) // 300, 1)]


PIECES = st.one_of(
    st.sampled_from(_vocabulary_words()),
    st.sampled_from([" ", " ", "\n", "'", "’", "-", ".", ",", "\x00", "\u0301", "Σ", "É", "ß", "İ", "—", "“", "\u00a0", "½"]),
    st.text(max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=6))
def test_random_texts_give_scikit_learns_features(texts):
    assert_same_features(newsclass.default_model(), texts)


def test_small_model_round_trip():
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    assert_same_features(model, TEXTS + TRICKY_TEXTS)
    assert np.array_equal(FastScorer.of_model(model).predict_proba(TEXTS), model.predict_proba(TEXTS))


@pytest.mark.parametrize("dictionary_only", [False, True], ids=["table", "dictionary"])
def test_words_of_nine_to_sixteen_bytes_are_found_by_both_halves(dictionary_only):
    # Such words are looked up in a table keyed by their two 8-byte halves, checked against both;
    # words sharing a first half, or one byte apart, must not be taken for each other.
    words = ["parliament", "parliamentary", "parliamentarian", "internationally", "international", "abcdefghi", "abcdefghij"]
    texts = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, stop_words=None).fit(
        [texts[0], texts[1], "parliament abcdefghi", "international abcdefghij"] * 3, [["a"], ["b"], ["a"], ["b"]] * 3
    )
    scorer = FastScorer.of_model(model)
    scorer._medium_in_dictionary_only = dictionary_only
    probes = texts + ["parliamentarians internationalist abcdefgh abcdefghijklmnopq", "PARLIAMENT Abcdefghij"]
    fast = scorer.transform(probes)
    reference = model.transform(probes)
    assert np.array_equal(fast.indices, reference.indices) and np.array_equal(fast.data, reference.data)


@pytest.mark.parametrize("lead_tokens", [1, 3, 6])
def test_leads_score_as_scikit_learn_scores_them(lead_tokens):
    # The scorer takes a text's lead from its own tokenisation; scikit-learn's path re-tokenises it.
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0, lead_tokens=lead_tokens).fit(TEXTS * 4, LABELS * 4)
    texts = TEXTS + TRICKY_TEXTS + ["", "oil", "oil oil oil oil oil oil oil the judge"]
    assert np.array_equal(FastScorer.of_model(model).predict_proba(texts), model.predict_proba(texts))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=6), st.integers(1, 8))
def test_random_texts_get_scikit_learns_scores_with_a_lead(texts, lead_tokens):
    model, scorer = _default_model_with_lead(lead_tokens)
    assert np.array_equal(scorer.predict_proba(texts), model.predict_proba(texts))


@functools.cache
def _default_model_with_lead(lead_tokens: int) -> tuple[TopicClassifier, FastScorer]:
    model = copy.copy(newsclass.default_model()).set_params(lead_tokens=lead_tokens)
    return model, FastScorer.of_model(model)


def test_unsupported_vectorizer_falls_back_to_scikit_learn():
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    model.vectorizer_.token_pattern = r"(?u)\b\w+\b"
    assert not supports(model)
    assert scorer_for(model) is None
    assert classify(TEXTS, model=model) == [
        newsclass.TopicPrediction.from_dict(prediction.to_dict()) for prediction in classify(TEXTS, model=model)
    ]


def test_scorer_is_cached_and_rebuilt_after_refit():
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, LABELS * 4)
    first = scorer_for(model)
    assert scorer_for(model) is first
    model.fit(TEXTS[:6] * 4, LABELS[:6] * 4)
    assert scorer_for(model) is not first
    assert np.array_equal(scorer_for(model).predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_single_characters_between_words_are_no_tokens():
    # A lone non-ASCII character is no token (two characters or more), so the words around it
    # make a bigram; the fast path once took it for an unknown token, which broke the bigram.
    model = newsclass.default_model()
    first, second = next(term for term in model.vectorizer_.vocabulary_ if term.count(" ") == 1 and term.isascii()).split()
    assert_same_features(model, [f"{first} {middle} {second}" for middle in ["中", "ß", "'中'", "’ß’", "é"]])


@pytest.mark.parametrize("norm", ["l1", "l2", None])
def test_every_norm_and_a_single_label_give_scikit_learns_scores(norm):
    # The scorer sums each row's terms one by one, as scikit-learn and SciPy do: with one label
    # too, where NumPy would otherwise sum pairwise along the only axis.
    model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(TEXTS * 4, [["energy"] if "oil" in text.lower() else [] for text in TEXTS * 4])
    model.vectorizer_.norm = norm
    model.vectorizer_._tfidf.norm = norm  # the fitted vectorizer's inner transformer applies it
    assert len(model.classes_) == 1
    assert_same_features(model, TEXTS + TRICKY_TEXTS)
    assert np.array_equal(FastScorer.of_model(model).predict_proba(TEXTS + TRICKY_TEXTS), model.predict_proba(TEXTS + TRICKY_TEXTS))


def test_the_scorer_read_from_the_file_predicts_as_the_scikit_learn_path(quality_texts, monkeypatch):
    texts = quality_texts + TRICKY_TEXTS + [" ".join(quality_texts[i : i + 7]) for i in range(0, len(quality_texts), 7)]
    scorer = load_scorer(newsclass.default_model_path())
    model = newsclass.default_model()
    assert np.array_equal(scorer.predict_proba(texts), model.predict_proba(texts))
    assert np.array_equal(scorer.thresholds_, model.thresholds_) and list(scorer.classes_) == list(model.classes_)
    fast = classify(texts)  # the default model's scorer, read without scikit-learn
    monkeypatch.setattr(classify_module, "scorer_for", lambda model: None)
    assert fast == classify(texts, model=model)  # scikit-learn's TfidfVectorizer


def test_a_model_path_is_scored_without_loading_the_whole_model(monkeypatch):
    monkeypatch.setattr(classify_module, "load_model", lambda *args, **kwargs: pytest.fail("loaded the whole model"))
    assert classify(TEXTS, model=newsclass.default_model_path()) == classify(TEXTS, model=newsclass.default_model())


CLASSIFY_WITHOUT_SCIKIT_LEARN = """
import sys
import newsclass
from newsclass.cli.main import main

newsclass.classify("Oil prices jumped after the cartel agreed to cut crude output.")
newsclass.classify(["Striker scores twice", "Tariffs on steel double"], model=newsclass.default_model_path())
list(newsclass.classify_stream(["Court jails fraudster"] * 3, chunk_size=2))
newsclass.classify_page("Reactor restarts\\n\\nThe nuclear power plant resumed supplying electricity.\\n")
assert main(["classify", "--text", "Oil prices rose"]) == 0
assert main(["classify", sys.argv[1]]) == 0
print(sorted(name for name in ("sklearn", "scipy", "joblib") if name in sys.modules), file=sys.stderr)
"""


def test_classifying_imports_neither_scikit_learn_nor_scipy(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Reactor restarts\n\nThe nuclear power plant resumed supplying electricity.\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-c", CLASSIFY_WITHOUT_SCIKIT_LEARN, str(page)], capture_output=True, text=True, cwd=REPOSITORY
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.strip().splitlines()[-1] == "[]"  # no sklearn, no scipy, no joblib


def test_import_newsclass_imports_no_module_of_its_own_but_the_version():
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, newsclass; print(sorted(name for name in sys.modules if name.startswith(('newsclass.', 'numpy', 'sklearn', 'scipy'))))"],
        capture_output=True, text=True, cwd=REPOSITORY, check=True,
    )
    assert completed.stdout.strip() == "['newsclass._version']"


def test_scores_of_a_batch_larger_than_a_chunk_are_those_of_its_chunks(quality_texts, monkeypatch):
    # Dask partitions and stream workers score whole batches: they are cut into classify()'s chunks.
    monkeypatch.setattr(classify_module, "PREDICTION_CHUNK_TEXTS", 7)
    scorer = load_scorer(newsclass.default_model_path())
    assert np.array_equal(classify_module._score(scorer, quality_texts)[1], newsclass.default_model().predict_proba(quality_texts))
