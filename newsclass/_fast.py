"""The fast prediction path: TF-IDF features and scores computed a batch at a time.

scikit-learn's ``TfidfVectorizer.transform`` spends almost all of its time in
Python loops over tokens: running the token pattern, joining every bigram into
a string and looking it up in the vocabulary, and counting features in a dict,
one document at a time. :class:`FastScorer` gives bit-for-bit the same feature
matrix while keeping the per-character and per-token work in C:

1. the batch is joined into one string, with a boundary token between texts,
   and encoded to UTF-8; ASCII letters are lower-cased and ASCII characters
   other than word characters and apostrophes become spaces with one
   ``bytes.lower`` and one ``bytes.translate``, so ``bytes.split`` gives the
   maximal runs of word characters and apostrophes;
2. the few runs holding non-ASCII characters are finished one by one exactly as
   scikit-learn does it (lower-case, NFKD, drop combining marks, split again);
   common punctuation outside ASCII is turned into spaces first, so most news
   text never needs it;
3. every run becomes a word number with one C-level dictionary look-up
   (``map(dict.get, ...)``); the token pattern ``\\b\\w[\\w'’]*\\w\\b`` finds in a
   run exactly the run without its leading and trailing apostrophes, when two
   characters or more remain, which only runs not found need checking for;
4. unigram features come from a table indexed by word number, and bigram
   features from a NumPy hash table of ``first * n_words + second`` keys, so
   no bigram string is ever built;
5. counting, sublinear tf, idf weighting and l2 normalisation are vectorised
   over the whole batch with the same NumPy and scikit-learn operations the
   vectorizer uses, so the features and hence the scores are identical.

Models whose vectorizer is configured in a way this path does not reproduce
(another token pattern or analyzer, stop words, n-grams longer than two, ...)
are scored through scikit-learn, so :func:`scorer_for` never changes a result.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from ._model import TOKEN_PATTERN, TopicClassifier, _sigmoid

__all__ = ["FastScorer", "scorer_for", "supports"]

# Texts are joined with a boundary character between spaces: a token of its own, which no text holds.
_BOUNDARY = "\x00"
_JOINER = f" {_BOUNDARY} "
_BOUNDARY_NUMBER, _DROPPED = -2, -3
_CACHE_ATTRIBUTE = "_fast_scorer_cache"
_CACHE_LOCK = threading.Lock()
# The right single quote, an apostrophe of the token pattern, is common enough in news text
# to be handled among the ASCII characters, as the (otherwise unused) byte \x01.
_UTF8_RIGHT_QUOTE = "’".encode("utf-8")
_ASCII_APOSTROPHES = b"'\x01"
# Non-word punctuation common in news text, whose NFKD form is itself: spaces, as ASCII punctuation.
_UTF8_REPLACEMENTS = (
    (_UTF8_RIGHT_QUOTE, b"\x01"),
    *((mark.encode("utf-8"), b" ") for mark in "“”‘—–"),
)
# bytes.translate table for UTF-8: ASCII word characters (Python's \w), apostrophes and the
# boundary stay, other ASCII characters become spaces, and the bytes of non-ASCII characters
# stay for a second look.
_RUNS_TABLE = bytes(
    code if code >= 128 or code == ord(_BOUNDARY) or chr(code).isalnum() or chr(code) in "_'" else 32
    for code in range(256)
)
# Maximal runs of the characters the token pattern's tokens are made of.
_RUN = re.compile(r"[\w'’]+")


class FastScorer:
    """TF-IDF features and calibrated probabilities of a fitted :class:`TopicClassifier`.

    Built once per model from its fitted arrays; :meth:`transform` equals
    ``model.transform`` and :meth:`predict_proba` equals ``model.predict_proba``.

    Parameters
    ----------
    model : TopicClassifier
        A fitted model whose vectorizer this path supports (see :func:`supports`).

    Examples
    --------
    >>> texts = ["oil prices rise", "gas pipeline opens", "court rules on case", "judge jails fraudster"] * 3
    >>> labels = [["energy"], ["energy"], ["justice"], ["justice"]] * 3
    >>> model = TopicClassifier(min_df=1, validation_fraction=0).fit(texts, labels)
    >>> scorer = FastScorer(model)
    >>> bool(np.array_equal(scorer.predict_proba(["the oil pipeline"]), model.predict_proba(["the oil pipeline"])))
    True
    """

    def __init__(self, model: TopicClassifier) -> None:
        vectorizer = model.vectorizer_
        self._bigrams = tuple(vectorizer.ngram_range) == (1, 2)
        self._idf = vectorizer.idf_
        self._norm = vectorizer.norm
        self._sublinear_tf = vectorizer.sublinear_tf
        self._dtype = vectorizer.dtype
        self._intercept = model.intercept_
        self._calibration = model.calibration_
        # C order, so that `features @ coef` does not copy the matrix on every call.
        self._coef_by_term = np.ascontiguousarray(model.coef_.T)
        # Hundreds of thousands of small containers would set off the cyclic garbage collector
        # again and again, each time walking the whole model: it more than doubles the build time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build_tables(vectorizer.vocabulary_)
        finally:
            if collecting:
                gc.enable()

    def _build_tables(self, vocabulary: dict[str, int]) -> None:
        # All terms encoded at once, as the runs will look: UTF-8, ’ as \x01.
        terms = _word_key("\n".join(vocabulary)).split(b"\n") if vocabulary else []
        features = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        spaces = np.fromiter(map(bytes.count, terms, repeat(b" ")), dtype=np.int64, count=len(terms))
        # Terms of more words (or bigrams, for a unigram model) never match: the vectorizer cannot produce them.
        unigrams = np.flatnonzero(spaces == 0)
        bigrams = np.flatnonzero(spaces == 1) if self._bigrams else np.empty(0, dtype=np.int64)
        unigram_terms = [terms[index] for index in unigrams.tolist()]
        # Both words of every bigram from one split, without a list per bigram.
        bigram_words = b" ".join([terms[index] for index in bigrams.tolist()]).split(b" ") if len(bigrams) else []
        del terms
        first, second = bigram_words[0::2], bigram_words[1::2]
        # Token -> word number: unigrams first, then words only found inside bigrams; the boundary
        # between two texts is a token of its own.
        words = dict(zip(unigram_terms, range(len(unigram_terms))))
        for word in bigram_words:
            if word not in words:
                words[word] = len(words)
        n_words = len(words)
        words[_BOUNDARY.encode("ascii")] = _BOUNDARY_NUMBER
        self._words = words
        self._n_words = n_words
        self._n_features = len(vocabulary)
        # Two slots more than there are words: word numbers -1 (unknown) and -2 (boundary) read -1.
        self._unigram_feature = np.full(n_words + 2, -1, dtype=np.int32)
        self._unigram_feature[: len(unigram_terms)] = features[unigrams]
        first_numbers = np.fromiter(map(words.__getitem__, first), dtype=np.int64, count=len(bigrams))
        second_numbers = np.fromiter(map(words.__getitem__, second), dtype=np.int64, count=len(bigrams))
        self._bigram_table = _IntegerTable(first_numbers * n_words + second_numbers, features[bigrams])

    # --- features ------------------------------------------------------------

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """Return the TF-IDF features of ``texts``, equal to the model's vectorizer output."""
        counts = self.count(texts)
        data = counts.data
        if self._sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self._idf[counts.indices]
        return normalize(counts, norm=self._norm, copy=False) if self._norm is not None else counts

    def count(self, texts: list[str]) -> sp.csr_matrix:
        """Return the term counts of ``texts`` (sorted indices, the vectorizer's dtype)."""
        n_texts = len(texts)
        word_numbers = self._word_numbers(texts)
        # Keys (text, feature) as one integer, 32 bits wide when they fit: half the memory traffic.
        key_dtype = np.int32 if (n_texts + 1) * self._n_features < np.iinfo(np.int32).max else np.int64
        n_features = key_dtype(self._n_features)
        text_of_token = np.cumsum(word_numbers == _BOUNDARY_NUMBER, dtype=key_dtype)
        features = self._unigram_feature[word_numbers]
        found = features >= 0
        keys = text_of_token[found] * n_features + features[found]
        if self._bigrams and len(word_numbers) > 1 and len(self._bigram_table):
            text_of_bigram, bigram_features = self._bigram_features_of(word_numbers, text_of_token)
            keys = np.concatenate([keys, text_of_bigram * n_features + bigram_features])
        keys.sort()
        unique = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=unique[1:])
        starts_of_runs = np.flatnonzero(unique)
        values = np.diff(np.append(starts_of_runs, len(keys))).astype(self._dtype)
        rows, columns = np.divmod(keys[starts_of_runs], n_features)
        indptr = np.searchsorted(rows, np.arange(n_texts + 1, dtype=key_dtype))
        index_dtype = np.int32 if len(values) < np.iinfo(np.int32).max else np.int64
        matrix = sp.csr_matrix(
            (values, columns.astype(index_dtype), indptr.astype(index_dtype)), shape=(n_texts, self._n_features)
        )
        matrix.has_sorted_indices = True
        return matrix

    def _word_numbers(self, texts: list[str]) -> np.ndarray:
        """The word number of every token of the batch: -1 for a token that is no vocabulary
        word, -2 for the boundary between two texts."""
        runs, has_apostrophes = _runs(texts)
        words = self._words
        numbers = np.fromiter(map(words.get, runs, repeat(-1)), dtype=np.int32, count=len(runs))
        unknown = np.flatnonzero(numbers == -1)
        lengths = np.fromiter(map(len, map(runs.__getitem__, unknown.tolist())), dtype=np.int64, count=len(unknown))
        if has_apostrophes:
            # A run with apostrophes at its ends is a token without them, if two characters remain.
            for position in unknown[lengths >= 2].tolist():
                run = runs[position]
                token = run.strip(_ASCII_APOSTROPHES)
                if len(token) != len(run):
                    numbers[position] = words.get(token, -1) if len(token) >= 2 else _DROPPED
        numbers[unknown[lengths < 2]] = _DROPPED
        return numbers[numbers != _DROPPED]

    def _bigram_features_of(self, word_numbers: np.ndarray, text_of_token: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Boundaries are negative, so no pair spans two texts.
        first, second = word_numbers[:-1], word_numbers[1:]
        candidate = np.flatnonzero((first >= 0) & (second >= 0))
        bigram_features = self._bigram_table.get(first[candidate].astype(np.int64) * self._n_words + second[candidate])
        known = bigram_features >= 0
        return text_of_token[candidate[known]], bigram_features[known]

    # --- scores --------------------------------------------------------------

    def predict_proba_features(self, features: Any) -> np.ndarray:
        """Probabilities from features, equal to ``model.predict_proba_features``."""
        decision = np.asarray(features @ self._coef_by_term, dtype=np.float64) + self._intercept
        return _sigmoid(decision * self._calibration[0] + self._calibration[1])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities of ``texts``, equal to ``model.predict_proba``."""
        return self.predict_proba_features(self.transform(texts))


class _IntegerTable:
    """A read-only hash table from non-negative int64 keys to int32 values, looked up a whole array at a time.

    Open addressing with linear probing, at most half full, so most
    look-ups end at the first slot; faster than a binary search of sorted keys.
    """

    _EMPTY = -1
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key * 2**64 / golden ratio

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        self._size = len(keys)
        self._bits = max(int(np.ceil(np.log2(max(2 * len(keys), 2)))), 1)
        self._mask = (1 << self._bits) - 1
        self._keys = np.full(1 << self._bits, self._EMPTY, dtype=np.int64)
        self._values = np.full(1 << self._bits, -1, dtype=np.int32)
        pending = np.arange(len(keys))
        slots = self._slots(keys)
        while len(pending):
            free = self._keys[slots] == self._EMPTY
            claimed, first = np.unique(slots[free], return_index=True)
            winners = pending[free][first]
            self._keys[claimed] = keys[winners]
            self._values[claimed] = values[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            waiting = ~placed[pending]
            pending, slots = pending[waiting], (slots[waiting] + 1) & self._mask

    def __len__(self) -> int:
        return self._size

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * self._MULTIPLIER) >> np.uint64(64 - self._bits)).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 for a key not in the table."""
        result = np.full(len(keys), -1, dtype=np.int32)
        active = np.arange(len(keys))
        slots = self._slots(keys)
        while len(active):
            found = self._keys[slots]
            hit = found == keys[active]
            result[active[hit]] = self._values[slots[hit]]
            probing = (found != self._EMPTY) & ~hit
            active, slots = active[probing], (slots[probing] + 1) & self._mask
        return result


def _runs(texts: list[str]) -> tuple[list[bytes], bool]:
    """The batch's maximal runs of word characters and apostrophes, and a boundary run between texts.

    Runs are UTF-8 bytes, with ``’`` written as ``\\x01``. Most of the work is
    done on the batch's bytes at once: ASCII letters are lower-cased, other ASCII
    characters than word characters and apostrophes become spaces, and common
    punctuation marks outside ASCII too; the few runs still holding non-ASCII
    characters are then finished one by one (see :func:`_finish_non_ascii`).
    Whether any run holds an apostrophe is returned too.
    """
    joined = _JOINER.join(texts)
    if joined.count(_BOUNDARY) != len(texts) - 1:
        # The boundary character is no word character, so a space in its place tokenises the same.
        joined = _JOINER.join(text.replace(_BOUNDARY, " ") for text in texts)
    # str.lower is context-free but for the Greek final sigma: with a capital sigma in the
    # batch, the whole text is lower-cased at once (the joiner ends a sigma's context just as
    # the end of a text does); otherwise non-ASCII characters are lower-cased run by run.
    lowered = "Σ" in joined
    data = joined.lower().encode("utf-8") if lowered else joined.encode("utf-8").lower()
    data = data.translate(_RUNS_TABLE)
    for mark, replacement in _UTF8_REPLACEMENTS:
        if mark in data:
            data = data.replace(mark, replacement)
    runs = data.split()
    if not data.isascii():
        runs = _finish_non_ascii(runs, _runs_with_non_ascii(data), lowered)
    return runs, b"'" in data or b"\x01" in data


def _runs_with_non_ascii(data: bytes) -> list[int]:
    """The positions, among ``data.split()``, of the runs holding a non-ASCII byte."""
    characters = np.frombuffer(data, dtype=np.uint8)
    is_space = characters == 32
    run_starts = np.flatnonzero(~is_space[1:] & is_space[:-1]) + 1
    if len(characters) and not is_space[0]:
        run_starts = np.concatenate([[0], run_starts])
    non_ascii = np.flatnonzero(characters >= 128)
    return np.unique(np.searchsorted(run_starts, non_ascii, side="right") - 1).tolist()


def _finish_non_ascii(runs: list[bytes], positions: list[int], lowered: bool) -> list[bytes]:
    """Lower-case, strip accents from and split again the runs holding non-ASCII characters.

    scikit-learn strips accents (NFKD, then drops combining marks) from whole
    texts, and only from those that are not ASCII; but NFKD leaves ASCII
    unchanged and acts within a run (runs are bounded by ASCII characters, which
    are starters), so doing it run by run gives the same characters. A run may
    split into several, as on a non-ASCII punctuation mark or space.
    """
    result: list[bytes] = []
    previous = 0
    for position in positions:
        result.extend(runs[previous:position])
        text = runs[position].decode("utf-8").replace("\x01", "’")
        text = unicodedata.normalize("NFKD", text if lowered else text.lower())
        stripped = "".join(character for character in text if not unicodedata.combining(character))
        result.extend(run.encode("utf-8").replace(_UTF8_RIGHT_QUOTE, b"\x01") for run in _RUN.findall(stripped))
        previous = position + 1
    result.extend(runs[previous:])
    return result


def _word_key(word: str) -> bytes:
    """How a vocabulary word looks among the runs: UTF-8, with ``’`` written as ``\\x01``."""
    return word.encode("utf-8").replace(_UTF8_RIGHT_QUOTE, b"\x01")


def supports(model: TopicClassifier) -> bool:
    """Whether the fast path reproduces ``model``'s vectorizer exactly."""
    vectorizer = getattr(model, "vectorizer_", None)
    if vectorizer is None or not hasattr(vectorizer, "vocabulary_"):
        return False
    return (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and vectorizer.analyzer == "word"
        and vectorizer.input == "content"
        and vectorizer.lowercase
        and vectorizer.strip_accents == "unicode"
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.stop_words is None
        and vectorizer.token_pattern == TOKEN_PATTERN
        and tuple(vectorizer.ngram_range) in ((1, 1), (1, 2))
        and vectorizer.use_idf
        and vectorizer.norm in ("l1", "l2", None)
    )


def scorer_for(model: TopicClassifier) -> FastScorer | None:
    """Return the (cached) fast scorer of ``model``, or None when it needs scikit-learn's path.

    The scorer is cached on the model and rebuilt when the model is refit.
    """
    # The identity of the fitted arrays tells a refit model from the one the scorer was built for.
    fitted = (id(getattr(model, "vectorizer_", None)), id(getattr(model, "coef_", None)), id(getattr(model, "intercept_", None)))
    cached = getattr(model, _CACHE_ATTRIBUTE, None)
    if cached is not None and cached[0] == fitted:
        return cached[1]
    with _CACHE_LOCK:
        cached = getattr(model, _CACHE_ATTRIBUTE, None)
        if cached is not None and cached[0] == fitted:
            return cached[1]
        scorer = FastScorer(model) if supports(model) else None
        setattr(model, _CACHE_ATTRIBUTE, (fitted, scorer))
    return scorer
