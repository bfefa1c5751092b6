"""The fast prediction path: TF-IDF features and scores computed a batch at a time.

scikit-learn's ``TfidfVectorizer.transform`` spends almost all of its time in
Python loops over tokens: running the token pattern, joining every bigram into
a string and looking it up in the vocabulary, and counting features in a dict,
one document at a time. :class:`FastScorer` gives bit-for-bit the same feature
matrix while keeping the per-character and per-token work in C:

1. the batch is joined into one string, with a boundary token between texts,
   and encoded to UTF-8; ASCII letters are lower-cased and ASCII characters
   other than word characters and apostrophes become spaces with one
   ``bytes.lower`` and one ``bytes.translate``, so the maximal runs of
   non-spaces are the maximal runs of word characters and apostrophes; NumPy
   finds where each run starts and ends;
2. most runs are ASCII words of at most eight bytes: read as one little-endian
   integer, a run is its own key, and all of them get their word numbers from
   one NumPy hash table look-up; longer runs are looked up in a dictionary
   (``map(dict.get, ...)``), and only runs holding non-ASCII characters or
   apostrophes at their ends are handled one by one: the token pattern
   ``\\b\\w[\\w'’]*\\w\\b`` finds in a run exactly the run without its leading and
   trailing apostrophes, when two characters or more remain, and non-ASCII
   runs are finished exactly as scikit-learn does it (lower-case, NFKD, drop
   combining marks, split again); common punctuation outside ASCII is turned
   into spaces first, so most news text never needs it;
3. runs of one character are no tokens and are dropped, but for the boundary;
4. unigram features come from a table indexed by word number, and bigram
   features from a NumPy hash table of ``first * n_words + second`` keys (only
   for pairs of words that start and end some bigram), so no bigram string is
   ever built;
5. counting, sublinear tf and idf weighting are vectorised over the whole
   batch with the same NumPy operations the vectorizer uses; the l2 norms and
   the product with the weights add each text's terms one after the other in
   feature order, as scikit-learn's ``normalize`` and SciPy's sparse product
   do (:class:`SparseRows`), so the features and the scores are identical.

The scorer needs NumPy alone: built from a model file's arrays
(``_persist.load_scorer``) it classifies without importing scikit-learn or
SciPy, which take most of a second to import.

Models whose vectorizer is configured in a way this path does not reproduce
(another token pattern or analyzer, stop words, n-grams longer than two, ...)
are scored through scikit-learn, so :func:`scorer_for` never changes a result.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ._model import TopicClassifier

__all__ = ["FastScorer", "ScoringArrays", "is_lead_length", "scorer_for", "supports"]

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
_APOSTROPHES = "'’"
# Non-word punctuation common in news text, whose NFKD form is itself: spaces, as ASCII punctuation.
# All of them, and the right single quote, are written E2 80 xx in UTF-8: text without that
# prefix needs none of the replacements, and text with it is searched once for all of them.
_UTF8_PUNCTUATION_PREFIX = b"\xe2\x80"
_UTF8_PUNCTUATION = re.compile(b"|".join(re.escape(mark.encode("utf-8")) for mark in "“”‘—–"))
# bytes.translate table for UTF-8: ASCII word characters (Python's \w), apostrophes and the
# boundary stay, other ASCII characters become spaces, and the bytes of non-ASCII characters
# stay for a second look.
_RUNS_TABLE = bytes(
    code if code >= 128 or code == ord(_BOUNDARY) or chr(code).isalnum() or chr(code) in "_'" else 32
    for code in range(256)
)
# Masks keeping the first 0-8 bytes of a little-endian 64-bit integer.
_MASKS = np.array([(1 << (8 * length)) - 1 for length in range(9)], dtype=np.uint64)
# Words of 9-16 bytes are keyed by their two halves, mixed into one integer (odd multipliers).
_HALF_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
# Maximal runs of the characters the token pattern's tokens are made of.
_RUN = re.compile(r"[\w'’]+")


@dataclass(frozen=True, slots=True)
class ScoringArrays:
    """What scoring needs of a fitted model, as plain data.

    Taken from a fitted :class:`TopicClassifier` (:meth:`FastScorer.of_model`)
    or read straight from a model file (``_persist.load_scorer``), so that
    scoring never needs scikit-learn.
    """

    labels: tuple[str, ...]
    # The vocabulary as the runs look (UTF-8, ’ as \x01), one term a line, and each term's feature number.
    term_keys: bytes
    features: np.ndarray
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    calibration: np.ndarray
    thresholds: np.ndarray
    bigrams: bool
    norm: str | None = "l2"
    sublinear_tf: bool = True
    dtype: Any = np.float32
    lead_tokens: int | None = None


class FastScorer:
    """TF-IDF features and calibrated probabilities of a fitted model, without scikit-learn.

    Built once per model from its fitted arrays; :meth:`transform` equals the
    model's ``transform`` and :meth:`predict_proba` its ``predict_proba``, bit
    for bit. ``classes_`` and ``thresholds_`` are the model's, so a scorer can
    stand in for the model wherever predictions are made.

    Parameters
    ----------
    arrays : ScoringArrays
        The fitted arrays, with a vectorizer configuration this path supports
        (see :func:`supports`).

    Examples
    --------
    >>> from newsclass import TopicClassifier
    >>> texts = ["oil prices rise", "gas pipeline opens", "court rules on case", "judge jails fraudster"] * 3
    >>> labels = [["energy"], ["energy"], ["justice"], ["justice"]] * 3
    >>> model = TopicClassifier(min_df=1, validation_fraction=0).fit(texts, labels)
    >>> scorer = FastScorer.of_model(model)
    >>> bool(np.array_equal(scorer.predict_proba(["the oil pipeline"]), model.predict_proba(["the oil pipeline"])))
    True
    """

    def __init__(self, arrays: ScoringArrays) -> None:
        self.classes_ = np.asarray(arrays.labels, dtype=object)
        self.thresholds_ = arrays.thresholds
        self._bigrams = arrays.bigrams
        self._idf = arrays.idf
        self._norm = arrays.norm
        self._sublinear_tf = arrays.sublinear_tf
        self._dtype = arrays.dtype
        self._intercept = arrays.intercept
        self._calibration = arrays.calibration
        self._lead_tokens = arrays.lead_tokens
        self._n_labels = len(arrays.labels)
        # Terms by rows, in C order: a text's rows are gathered at once. At least two columns, so
        # that the sum over a text's terms is never along the fast axis, where NumPy sums pairwise.
        coef_by_term = arrays.coef.T
        if self._n_labels < 2:
            coef_by_term = np.hstack([coef_by_term, np.zeros((coef_by_term.shape[0], 1), dtype=coef_by_term.dtype)])
        self._coef_by_term = np.ascontiguousarray(coef_by_term)
        # Hundreds of thousands of small containers would set off the cyclic garbage collector
        # again and again, each time walking the whole model: it more than doubles the build time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build_tables(arrays.term_keys, arrays.features)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def of_model(cls, model: TopicClassifier) -> FastScorer:
        """The scorer of a fitted :class:`TopicClassifier` whose vectorizer :func:`supports` allows."""
        vectorizer = model.vectorizer_
        vocabulary = vectorizer.vocabulary_
        return cls(ScoringArrays(
            labels=tuple(str(label) for label in model.classes_),
            term_keys=_word_key("\n".join(vocabulary)),
            features=np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary)),
            idf=vectorizer.idf_,
            coef=model.coef_,
            intercept=model.intercept_,
            calibration=model.calibration_,
            thresholds=model.thresholds_,
            bigrams=tuple(vectorizer.ngram_range) == (1, 2),
            norm=vectorizer.norm,
            sublinear_tf=vectorizer.sublinear_tf,
            dtype=vectorizer.dtype,
            lead_tokens=getattr(model, "lead_tokens", None),
        ))

    def _build_tables(self, term_lines: bytes, features: np.ndarray) -> None:
        terms = term_lines.split(b"\n") if term_lines else []
        spaces = spaces_per_line(term_lines)
        # Terms of more words (or bigrams, for a unigram model) never match: the vectorizer cannot produce them.
        unigrams = np.flatnonzero(spaces == 0)
        bigrams = np.flatnonzero(spaces == 1) if self._bigrams else np.empty(0, dtype=np.int64)
        unigram_terms = [terms[index] for index in unigrams.tolist()]
        # Both words of every bigram from one split, without a list per bigram.
        bigram_words = b" ".join([terms[index] for index in bigrams.tolist()]).split(b" ") if len(bigrams) else []
        first, second = bigram_words[0::2], bigram_words[1::2]
        # Token -> word number: unigrams first, then words only found inside bigrams; the boundary
        # between two texts is a token of its own.
        words = dict(zip(unigram_terms, range(len(unigram_terms))))
        # Numbered in no particular order: the numbers only ever index this scorer's own tables.
        only_in_bigrams = dict.fromkeys(bigram_words).keys() - words.keys()
        words.update(zip(only_in_bigrams, range(len(words), len(words) + len(only_in_bigrams))))
        n_words = len(words)
        words[_BOUNDARY.encode("ascii")] = _BOUNDARY_NUMBER
        self._words = words
        self._n_words = n_words
        self._n_features = len(terms)
        # Two slots more than there are words: word numbers -1 (unknown) and -2 (boundary) read -1.
        self._unigram_feature = np.full(n_words + 2, -1, dtype=np.int32)
        self._unigram_feature[: len(unigram_terms)] = features[unigrams]
        first_numbers = np.fromiter(map(words.__getitem__, first), dtype=np.int64, count=len(bigrams))
        second_numbers = np.fromiter(map(words.__getitem__, second), dtype=np.int64, count=len(bigrams))
        # Which words start or end some bigram: most word pairs of a text need no table look-up.
        self._starts_bigram = np.zeros(n_words + 2, dtype=bool)
        self._starts_bigram[first_numbers] = True
        self._ends_bigram = np.zeros(n_words + 2, dtype=bool)
        self._ends_bigram[second_numbers] = True
        self._bigram_table = _IntegerTable(first_numbers * n_words + second_numbers, features[bigrams])
        # ASCII words of two to eight bytes by their bytes read as one little-endian integer.
        short = [(word, number) for word, number in words.items() if 2 <= len(word) <= 8 and word.isascii()]
        self._short_words = _IntegerTable(
            np.fromiter((int.from_bytes(word, "little") for word, _ in short), dtype=np.int64, count=len(short)),
            np.fromiter((number for _, number in short), dtype=np.int32, count=len(short)),
            load=0.25,
        )
        self._build_medium_words(words)

    def _build_medium_words(self, words: dict[bytes, int]) -> None:
        """A table of the ASCII words of 9 to 16 bytes, keyed by their two halves mixed into one
        integer; each hit is checked against both halves, so a mixed key shared by another run
        never gives a wrong word. Words whose mixed key is not unique stay in the dictionary only."""
        medium = [(word, number) for word, number in words.items() if 9 <= len(word) <= 16 and word.isascii()]
        low = np.fromiter((int.from_bytes(word[:8], "little") for word, _ in medium), dtype=np.uint64, count=len(medium))
        high = np.fromiter((int.from_bytes(word[8:], "little") for word, _ in medium), dtype=np.uint64, count=len(medium))
        keys = _mixed(low, high)
        values, counts = np.unique(keys, return_counts=True)
        unique = ~np.isin(keys, values[counts > 1]) & (keys != -1)  # -1 marks an empty slot of the table
        self._medium_low, self._medium_high = low[unique], high[unique]
        self._medium_numbers = np.fromiter((number for _, number in medium), dtype=np.int32, count=len(medium))[unique]
        self._medium_words = _IntegerTable(keys[unique], np.arange(int(unique.sum()), dtype=np.int32))
        self._medium_in_dictionary_only = not unique.all()

    # --- features ------------------------------------------------------------

    def transform(self, texts: list[str]) -> Any:
        """Return the TF-IDF features of ``texts`` as a SciPy CSR matrix, equal to the model's vectorizer output."""
        import scipy.sparse as sp

        rows = self.features(texts)
        matrix = sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(len(texts), self._n_features))
        matrix.has_sorted_indices = True
        return matrix

    def features(self, texts: list[str]) -> SparseRows:
        """The TF-IDF features of ``texts`` as plain arrays: the vectorizer's, bit for bit."""
        _, _, text_of_occurrence, features = self._occurrences(texts)
        return self._weighted(self._counts(text_of_occurrence, features, len(texts)))

    def _weighted(self, rows: SparseRows) -> SparseRows:
        """TF-IDF features from term counts, in place.

        Sublinear tf and idf weighting are the vectorizer's own NumPy operations;
        the row norms are summed in the order scikit-learn's ``normalize`` sums them.
        """
        data = rows.data
        if self._sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self._idf[rows.indices]
        if self._norm is not None:
            rows.normalize(self._norm)
        return rows

    def _occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The batch's word numbers, and where its tokens hold vocabulary terms: each occurrence's
        token position (a bigram's is that of its second word), text and feature, unigrams first."""
        word_numbers = self._word_numbers(texts)
        unigram_features = self._unigram_feature[word_numbers]
        positions = np.flatnonzero(unigram_features >= 0)
        features = unigram_features[positions]
        if self._bigrams and len(word_numbers) > 1 and len(self._bigram_table):
            # Boundaries and unknown words are negative and read False, so no pair spans two texts.
            first, second = word_numbers[:-1], word_numbers[1:]
            candidate = np.flatnonzero(self._starts_bigram[first] & self._ends_bigram[second])
            bigram_features = self._bigram_table.get(first[candidate].astype(np.int64) * self._n_words + second[candidate])
            known = bigram_features >= 0
            positions = np.concatenate([positions, candidate[known] + 1])
            features = np.concatenate([features, bigram_features[known]])
        return word_numbers, positions, _text_of_token(word_numbers)[positions], features

    def _counts(self, text_of_occurrence: np.ndarray, features: np.ndarray, n_texts: int) -> SparseRows:
        """The term counts of ``n_texts`` texts from their term occurrences (sorted indices, the vectorizer's dtype)."""
        # Keys (text, feature) as one integer, 32 bits wide when they fit: half the memory traffic.
        key_dtype = np.int32 if (n_texts + 1) * self._n_features < np.iinfo(np.int32).max else np.int64
        n_features = key_dtype(self._n_features)
        keys = text_of_occurrence.astype(key_dtype) * n_features + features
        # Sorted keys put each text's features together and in order, as the vectorizer's rows have them.
        keys.sort()
        unique = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=unique[1:])
        starts_of_runs = np.flatnonzero(unique)
        values = np.diff(np.append(starts_of_runs, len(keys))).astype(self._dtype)
        keys = keys[starts_of_runs]
        # A text's features start at the first key at or above text * n_features.
        indptr = np.searchsorted(keys, np.arange(n_texts + 1, dtype=np.int64) * int(n_features))
        index_dtype = np.int32 if len(values) < np.iinfo(np.int32).max else np.int64
        row_offsets = np.repeat(np.arange(n_texts, dtype=key_dtype) * n_features, np.diff(indptr))
        return SparseRows(indptr.astype(index_dtype), (keys - row_offsets).astype(index_dtype), values)

    def _word_numbers(self, texts: list[str]) -> np.ndarray:
        """The word number of every token of the batch: -1 for a token that is no vocabulary
        word, -2 for the boundary between two texts.

        Most runs are ASCII words of at most eight bytes, which are their own key: their bytes
        read as one little-endian integer, looked up a whole batch at a time in a NumPy table.
        Longer runs are looked up in the word dictionary, and the few holding non-ASCII
        characters or apostrophes at their ends are made into tokens one by one first.
        """
        data, lowered = _prepared(texts)
        characters = np.frombuffer(data, dtype=np.uint8)
        starts, ends = _run_bounds(characters)
        lengths = ends - starts
        # Every run's first eight bytes as one integer (unaligned reads of a zero-padded copy).
        padded = data + bytes(8)
        eight_bytes = np.ndarray(shape=(len(data),), dtype="<u8", buffer=padded, strides=(1,))
        numbers = self._short_words.get((eight_bytes[starts] & _MASKS[np.minimum(lengths, 8)]).view(np.int64))
        # Runs of one character are no tokens, but for the boundary between two texts.
        single = np.flatnonzero(lengths == 1)
        numbers[single] = np.where(characters[starts[single]] == ord(_BOUNDARY), _BOUNDARY_NUMBER, _DROPPED)
        first, last = characters[starts], characters[ends - 1]
        edges = (first == ord("'")) | (first == 1) | (last == ord("'")) | (last == 1)
        non_ascii = np.zeros(len(starts), dtype=bool)
        non_ascii[np.searchsorted(starts, np.flatnonzero(characters >= 128), side="right") - 1] = True
        plain = ~edges & ~non_ascii
        medium = np.flatnonzero((lengths > 8) & (lengths <= 16) & plain)
        if len(medium):
            numbers[medium] = self._medium_numbers_of(eight_bytes, starts[medium], lengths[medium])
        # Longer words, and medium ones the table cannot tell (only when the vocabulary has any),
        # are looked up in the dictionary.
        long = np.flatnonzero(((lengths > 16) | ((lengths > 8) & self._medium_in_dictionary_only)) & plain)
        if len(long):
            words = self._words
            runs = map(data.__getitem__, map(slice, starts[long].tolist(), ends[long].tolist()))
            numbers[long] = np.fromiter(map(words.get, runs, repeat(-1)), dtype=np.int32, count=len(long))
        special = np.flatnonzero((edges | non_ascii) & (lengths > 1))
        if len(special):
            numbers = self._special_runs(data, starts[special], ends[special], special, numbers, lowered)
        return numbers[numbers != _DROPPED]

    def _medium_numbers_of(self, eight_bytes: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Word numbers of ASCII runs of 9 to 16 bytes (-1 for a run that is no vocabulary word)."""
        low = eight_bytes[starts]
        high = eight_bytes[starts + 8] & _MASKS[lengths - 8]
        found = self._medium_words.get(_mixed(low, high))
        hit = np.flatnonzero(found >= 0)
        same = (self._medium_low[found[hit]] == low[hit]) & (self._medium_high[found[hit]] == high[hit])
        numbers = np.full(len(starts), -1, dtype=np.int32)
        numbers[hit[same]] = self._medium_numbers[found[hit[same]]]
        return numbers

    def _special_runs(
        self, data: bytes, starts: np.ndarray, ends: np.ndarray, positions: np.ndarray, numbers: np.ndarray, lowered: bool
    ) -> np.ndarray:
        """``numbers`` with the runs at ``positions`` (non-ASCII, or apostrophes at an end) made
        into their tokens, none or several each, and looked up."""
        words = self._words
        token_numbers: list[list[int]] = []
        for start, end in zip(starts.tolist(), ends.tolist()):
            run = data[start:end]
            tokens = _finish_run(run, lowered) if not run.isascii() else [run.strip(_ASCII_APOSTROPHES)]
            token_numbers.append([words.get(token, -1) if len(token) >= 2 else _DROPPED for token in tokens])
        counts = np.ones(len(numbers), dtype=np.int64)
        counts[positions] = [len(found) for found in token_numbers]
        result = np.repeat(numbers, counts)
        offsets = np.cumsum(counts) - counts
        flat = [number for found in token_numbers for number in found]
        result[np.repeat(offsets[positions], counts[positions]) + _ranks(counts[positions])] = flat
        return result

    # --- scores --------------------------------------------------------------

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities of ``texts``, equal to ``model.predict_proba``, computed with NumPy alone.

        With a lead (the model's ``lead_tokens``), each label scores the higher of
        the whole text's product and its lead's; the lead's tokens are the text's
        first ones, taken from the same tokenisation.
        """
        word_numbers, positions, text_of_occurrence, features = self._occurrences(texts)
        n_texts = len(texts)
        if not self._lead_tokens:
            return self._probabilities(self._product(text_of_occurrence, features, n_texts))
        # A long text's lead holds its occurrences before its first token + lead_tokens; the leads
        # are scored as more rows after the texts, in the same pass.
        first = _first_tokens(word_numbers)
        lengths = np.append(first[1:] - 1, len(word_numbers)) - first
        long = lengths > self._lead_tokens
        rows = np.flatnonzero(long)
        lead_end = np.where(long, first + self._lead_tokens, -1)
        in_lead = np.flatnonzero(positions < lead_end[text_of_occurrence])
        row_of_lead = n_texts + np.cumsum(long) - 1
        product = self._product(
            np.concatenate([text_of_occurrence, row_of_lead[text_of_occurrence[in_lead]]]),
            np.concatenate([features, features[in_lead]]),
            n_texts + len(rows),
        )
        whole = product[:n_texts]
        whole[rows] = np.maximum(whole[rows], product[n_texts:])
        return self._probabilities(whole)

    def _product(self, text_of_occurrence: np.ndarray, features: np.ndarray, n_texts: int) -> np.ndarray:
        """Each text's features times the weights, a column per label."""
        product = self._weighted(self._counts(text_of_occurrence, features, n_texts)).dot_rows(self._coef_by_term)
        return product[:, : self._n_labels]

    def _probabilities(self, product: np.ndarray) -> np.ndarray:
        decision = np.asarray(product, dtype=np.float64) + self._intercept
        return sigmoid(decision * self._calibration[0] + self._calibration[1])


@dataclass(slots=True)
class SparseRows:
    """A sparse matrix as CSR arrays, with the two operations scoring needs, in NumPy alone.

    Both sum each row's terms one after the other in index order, as
    scikit-learn's ``normalize`` and SciPy's sparse product do, so the results
    are theirs bit for bit (NumPy's own sums add pairwise, which rounds differently).
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    def normalize(self, norm: str) -> None:
        """Divide each row by its l1 or l2 norm in place, as ``sklearn.preprocessing.normalize`` does."""
        # Products and absolute values in the data's precision, summed in double precision; a
        # float32 divided by a double is rounded back to float32, just as in scikit-learn's loop.
        terms = self.data * self.data if norm == "l2" else np.abs(self.data)
        padded_terms = np.append(terms, 0).astype(np.float64)
        sums = np.zeros(len(self.indptr) - 1, dtype=np.float64)
        for rows, positions in self._row_groups():
            # accumulate, unlike reduce, adds one by one along any axis.
            sums[rows] = np.add.accumulate(padded_terms[positions], axis=0)[-1]
        norms = np.sqrt(sums) if norm == "l2" else sums
        norms[sums == 0.0] = 1.0  # empty rows are left alone
        self.data /= np.repeat(norms, np.diff(self.indptr))

    def dot_rows(self, weights: np.ndarray) -> np.ndarray:
        """The product with a dense matrix of at least two columns, as SciPy computes it."""
        product = np.zeros((len(self.indptr) - 1, weights.shape[1]), dtype=np.result_type(self.data, weights))
        data = np.append(self.data, np.zeros(1, dtype=self.data.dtype))  # a bare 0 would make it float64
        indices = np.append(self.indices, 0)
        for rows, positions in self._row_groups():
            terms = data[positions][:, :, None] * np.take(weights, indices[positions], axis=0)
            # Axis 0 is not the fast axis of this C-ordered array, so NumPy adds its terms one by one.
            product[rows] = np.add.reduce(terms, axis=0)
        return product

    def _row_groups(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Non-empty rows in groups of similar length (within a factor of two), each with its
        positions in ``data`` as a (longest row, rows) array; shorter rows point past the end."""
        lengths = np.diff(self.indptr)
        sizes = np.frexp(lengths.astype(np.float64))[1]  # 0 for empty rows, else floor(log2(length)) + 1
        for size in np.unique(sizes[sizes > 0]).tolist():
            rows = np.flatnonzero(sizes == size)
            row_lengths = lengths[rows]
            steps = np.arange(int(row_lengths.max()))[:, None]
            positions = self.indptr[rows][None, :] + steps
            positions[steps >= row_lengths[None, :]] = len(self.data)
            yield rows, positions


class _IntegerTable:
    """A read-only hash table from int64 keys (but -1) to int32 values, looked up a whole array at a time.

    Open addressing with linear probing, at most ``load`` full (a half by
    default), so most look-ups end at the first slot; faster than a binary
    search of sorted keys. Each round of probing is one NumPy operation over
    the keys still looking, so a fuller table costs rounds, not just slots.

    Built at once: with the keys in order of their home slots, linear probing
    puts the i-th at ``max(its slot, where the one before went + 1)``, which is
    ``i + running maximum of (slot - i)``. Probing runs on past the last home
    slot instead of wrapping round, into the few slots added for it, which end
    in an empty one.
    """

    _EMPTY = -1
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key * 2**64 / golden ratio

    def __init__(self, keys: np.ndarray, values: np.ndarray, *, load: float = 0.5) -> None:
        self._size = len(keys)
        self._bits = max(int(np.ceil(np.log2(max(len(keys) / load, 2)))), 1)
        slots = self._slots(keys)
        order = np.argsort(slots, kind="stable")
        ranks = np.arange(len(keys))
        positions = ranks + np.maximum.accumulate(slots[order] - ranks) if len(keys) else ranks
        length = max(1 << self._bits, int(positions[-1]) + 1 if len(keys) else 0) + 1
        self._keys = np.full(length, self._EMPTY, dtype=np.int64)
        self._values = np.full(length, -1, dtype=np.int32)
        self._keys[positions] = keys[order]
        self._values[positions] = values[order]

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
            active, slots = active[probing], slots[probing] + 1
        return result


def _prepared(texts: list[str]) -> tuple[bytes, bool]:
    """The batch as one run of bytes whose maximal runs of non-spaces are the runs of word
    characters and apostrophes, with a boundary run between texts; and whether it was lower-cased whole.

    The bytes are UTF-8, with ``’`` written as ``\\x01``: ASCII letters are
    lower-cased, other ASCII characters than word characters and apostrophes
    become spaces, and common punctuation marks outside ASCII too, all on the
    batch's bytes at once. Runs holding other non-ASCII characters are finished
    one by one later (see :func:`_finish_run`).
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
    if _UTF8_PUNCTUATION_PREFIX in data:
        data = _UTF8_PUNCTUATION.sub(b" ", data.replace(_UTF8_RIGHT_QUOTE, b"\x01"))
    return data, lowered


def _run_bounds(characters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every maximal run of non-space bytes, the runs ``bytes.split`` gives."""
    in_run = np.empty(len(characters) + 2, dtype=np.int8)
    in_run[0] = in_run[-1] = 0
    np.not_equal(characters, 32, out=in_run[1:-1], casting="unsafe")
    changes = np.flatnonzero(in_run[1:] != in_run[:-1])
    return changes[0::2], changes[1::2]


def is_lead_length(value: object) -> bool:
    """Whether ``value`` is a valid ``lead_tokens``: None (no lead) or a positive integer."""
    return value is None or (isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1)


def _text_of_token(word_numbers: np.ndarray) -> np.ndarray:
    """The text of every token of a batch (a boundary counts with the text after it)."""
    return np.cumsum(word_numbers == _BOUNDARY_NUMBER)


def _first_tokens(word_numbers: np.ndarray) -> np.ndarray:
    """The position of each text's first token in a batch."""
    return np.concatenate([[0], np.flatnonzero(word_numbers == _BOUNDARY_NUMBER) + 1])


def _mixed(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """One int64 key from the two 64-bit halves of a word (wrapping arithmetic)."""
    return (low * _HALF_MULTIPLIERS[0] + high * _HALF_MULTIPLIERS[1]).view(np.int64)


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., count - 1 for each count, one after the other."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _finish_run(run: bytes, lowered: bool) -> list[bytes]:
    """The tokens of a run holding non-ASCII characters: lower-cased, accents stripped, split again.

    scikit-learn strips accents (NFKD, then drops combining marks) from whole
    texts, and only from those that are not ASCII; but NFKD leaves ASCII
    unchanged and acts within a run (runs are bounded by ASCII characters, which
    are starters), so doing it run by run gives the same characters. A run may
    split into several, as on a non-ASCII punctuation mark or space; the token
    pattern finds in each the part without apostrophes at its ends, when two
    characters or more remain.
    """
    text = run.decode("utf-8").replace("\x01", "’")
    text = unicodedata.normalize("NFKD", text if lowered else text.lower())
    stripped = "".join(character for character in text if not unicodedata.combining(character))
    tokens = (part.strip(_APOSTROPHES) for part in _RUN.findall(stripped))
    return [token.encode("utf-8").replace(_UTF8_RIGHT_QUOTE, b"\x01") for token in tokens if len(token) >= 2]


def _word_key(word: str) -> bytes:
    """How a vocabulary word looks among the runs: UTF-8, with ``’`` written as ``\\x01``."""
    return word.encode("utf-8").replace(_UTF8_RIGHT_QUOTE, b"\x01")


def spaces_per_line(lines: bytes) -> np.ndarray:
    """How many spaces each line of ``lines`` holds (one word less than a term has), counted at once."""
    if not lines:
        return np.zeros(0, dtype=np.int64)
    characters = np.frombuffer(lines, dtype=np.uint8)
    line_ends = np.flatnonzero(characters == ord("\n"))
    return np.bincount(np.searchsorted(line_ends, np.flatnonzero(characters == ord(" "))), minlength=len(line_ends) + 1)


def sigmoid(values: np.ndarray) -> np.ndarray:
    """The logistic function, computed exactly as the model computes it (``_model._sigmoid``)."""
    return 1.0 / (1.0 + np.exp(-np.clip(values, -35, 35)))


def supports(model: TopicClassifier) -> bool:
    """Whether the fast path reproduces ``model``'s vectorizer exactly."""
    from ._model import TOKEN_PATTERN  # a model is at hand, so scikit-learn is imported already

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
        scorer = FastScorer.of_model(model) if supports(model) else None
        setattr(model, _CACHE_ATTRIBUTE, (fitted, scorer))
    return scorer
