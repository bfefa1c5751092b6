"""Words that say nothing about a story's topic, for ``TopicClassifier(stop_words="english")``.

Function words (articles, pronouns, auxiliaries, prepositions, conjunctions) and
the reporting verbs of news prose. They mark a source's register rather than its
subject: wire and web bodies are full of "she said that", headlines have none,
so a model trained on one learns them as evidence against the topics of the
other. Words with a topical sense are left in on purpose: "us" (the US), "may"
(the month), "will" (a testament), "bill", "fire", "interest", "state".
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import product

__all__ = ["ENGLISH_STOP_WORDS", "is_stop_word_term", "resolve_stop_words", "stop_word_terms"]

_FUNCTION_WORDS = """
a an the this that these those
i me my mine myself you your yours yourself yourselves he him his himself she her hers herself
it its itself we our ours ourselves they them their theirs themselves
who whom whose which what whatever whoever
am is are was were be been being have has had having do does did doing
would should could might must shall can cannot ought
and or but nor so yet if then than because as while although though unless whether
of in on at by for with about against between into through during before after above below
to from up down out off over under again further once upon within without among toward towards onto
there here when where why how all any both each few more most other some such no not only own same
too very just also even still ever every either neither much many
"""
_CONTRACTIONS = "it's that's there's he's she's don't doesn't didn't won't can't isn't aren't wasn't weren't"
_REPORTING_VERBS = "said says say told tells according"

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    [*_FUNCTION_WORDS.split(), *_REPORTING_VERBS.split()]
    + [form for word in _CONTRACTIONS.split() for form in (word, word.replace("'", "’"))]
)


def resolve_stop_words(stop_words: str | Collection[str] | None) -> frozenset[str]:
    """The set a ``stop_words`` parameter stands for: ``"english"``, None (none), or the words given."""
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ValueError(f"stop_words must be 'english', None or a collection of words, not {stop_words!r}")
        return ENGLISH_STOP_WORDS
    return frozenset(word.lower() for word in stop_words)


def is_stop_word_term(term: str, words: frozenset[str]) -> bool:
    """Whether a vectorizer term ("of the", "air force") is made only of ``words``: the rule."""
    return words.issuperset(term.split())


def stop_word_terms(words: frozenset[str], longest: int) -> frozenset[str]:
    """Every term of one to ``longest`` (at most 2) words for which :func:`is_stop_word_term` holds,
    as the analyzer joins them.

    A set look-up per term is what lets a streaming trainer drop them as it reads, where
    splitting each term would slow every pass.
    """
    if longest > 2:
        raise ValueError(f"stop word terms are listed for uni- and bigrams only, not {longest}-grams")
    return frozenset(" ".join(words_of_term) for n in range(1, longest + 1) for words_of_term in product(words, repeat=n))
