"""What the learned model sees of one paragraph: numbers a scraper's paragraph list gives.

`paragraph_features()` turns a paragraph (its text, the link share and cues read at import, its
position in the article and its text's repetition in the source) into a fixed-length tuple of
floats, in the order of NAMES. Training (articles.boilerplate.training) and scoring
(articles.boilerplate.model) both call it, so the two can never disagree.

It runs for every paragraph a page, an accept or an export scores, so it is written for speed:
one regular-expression pass for the words, C-speed counting for the rest (about 6 µs for a
typical 30-word paragraph; docs/boilerplate.md, "Measured").
"""

import math
import re
from functools import lru_cache

from stop_words import get_stop_words

from articles.boilerplate.signals import CALL_TO_ACTION, COPYRIGHT

# The languages of the desk's corpus (English, French, Polish, Spanish, German, Portuguese,
# Czech, Italian): a word counts as a stop word when it is one in any of them. A paragraph is
# one language, and the lists barely mistake each other's content words for stop words, so the
# union gives each paragraph its own language's share at the cost of one set lookup per word
# (the per-language maximum measured 11 µs against 5 µs for a 30-word paragraph).
STOP_WORD_LANGUAGES = (
    "english",
    "french",
    "polish",
    "spanish",
    "german",
    "portuguese",
    "czech",
    "italian",
)

# Counted with C-speed calls, never a Python loop over characters (a per-character sum() was a
# quarter of a paragraph's scoring): punctuation and symbols are what is neither a word
# character nor a space, digits what bytes.translate() deletes from the UTF-8 (ten
# str.count()s cost 4 times as much; str.translate() on a non-ASCII text 6 times more again),
# sentence ends str.count()s (an ASCII text cannot hold the CJK ones).
_MARK = re.compile(r"[^\w\s]")
_DIGITS = b"0123456789"
_SENTENCE_ENDS = (". ", "! ", "? ", "… ", "。", "！", "？")  # noqa: RUF001 - CJK sentence ends
_ASCII_SENTENCE_ENDS = _SENTENCE_ENDS[:3]
# Stop words are counted in the first WORD_WINDOW characters: a long paragraph's first few
# dozen words say as much as all of them, for a fraction of the time.
WORD_WINDOW = 400
_CLOSERS = frozenset(".!?…。！？\"'”’»)")  # noqa: RUF001 - the typographic quotes are the point


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(
        word for language in STOP_WORD_LANGUAGES for word in get_stop_words(language)
    )


@lru_cache(maxsize=1)
def cjk_stop_characters() -> re.Pattern:
    """The one-character entries of the package's Chinese and Japanese lists (的, 了, 是, の,
    は, を …) as one character class: where words are not separated by spaces, these are
    counted instead, in one regular-expression pass."""
    characters = {
        word
        for language in ("chinese", "japanese")
        for word in get_stop_words(language)
        if len(word) == 1
    }
    return re.compile("[" + re.escape("".join(sorted(characters))) + "]")


# The order of the model's coefficients. Changing it (or a feature's meaning) needs a new
# starting model (docs/boilerplate.md, "The starting model") and makes older trained models
# unusable: model.py refuses a model whose feature names differ.
NAMES = (
    "log_length",
    "short",
    "link_share",
    "all_link",
    "stop_word_share",
    "no_stop_words",
    "punctuation_share",
    "digit_share",
    "all_capitals",
    "ends_like_sentence",
    "log_sentences",
    "log_from_start",
    "log_from_end",
    "first",
    "last_three",
    "relative_position",
    "copyright",
    "call_to_action",
    "repeated_share",
    "log_repeated",
    # The paragraph's neighbours (article_features()): boilerplate comes in runs (menus, link
    # lists, footers) and article text in one long run.
    "inside_text_run",
    "log_distance_to_text",
    "text_nearby",
    "previous_log_length",
    "previous_link_share",
    "previous_stop_word_share",
    "next_log_length",
    "next_link_share",
    "next_stop_word_share",
    "before_text_run",
    "after_text_run",
    "article_text_share",
    "length_against_article",
    "previous_ends_like_sentence",
    "next_ends_like_sentence",
)
BASE = NAMES.index("inside_text_run")  # paragraph_features() gives the first BASE
_LOG_LENGTH, _LINK, _STOP, _ENDS = (
    NAMES.index("log_length"),
    NAMES.index("link_share"),
    NAMES.index("stop_word_share"),
    NAMES.index("ends_like_sentence"),
)
# A paragraph that reads like article text: at least 40 characters, a fifth of its words stop
# words, under half of it link text, ending like a sentence. (Measured on the real test pages,
# leave-one-site-out: 100 characters without the ending gave F1 0.80, 60 or 40 with it 0.82;
# 40 keeps a site that writes one short sentence per paragraph from looking like a menu.)
_TEXT_MIN_LOG_LENGTH = math.log1p(40)


# The numbers that depend on the text alone, kept per text: a source's boilerplate recurs in
# article after article, and these are most of a paragraph's scoring. Short texts only (the
# ones that recur), and at most TEXT_CACHE entries, emptied when full: a few MB at most.
TEXT_CACHE = 4096
TEXT_CACHE_MAX_CHARS = 500
_text_numbers: dict[str, tuple[float, ...]] = {}


def forget_texts() -> None:
    """Empty the per-text numbers (a benchmark's cold start)."""
    _text_numbers.clear()


def _text_part(text: str) -> tuple[float, ...]:
    """(log length, short, stop-word share, none, punctuation share, digit share, all
    capitals, ends like a sentence, log sentences) of `text`."""
    length = len(text) or 1
    # Whitespace-separated tokens: a word with a comma or a quote attached is not looked up (a
    # regular expression for words cost half of the scoring; the share is as telling).
    window = text[:WORD_WINDOW]
    words = window.lower().split()
    if len(words) * 10 < len(window) and len(window.encode()) > 2 * len(window):
        # No spaces between words, and mostly characters of three bytes in UTF-8 (Chinese,
        # Japanese; a long link is neither): the share of the window's characters
        # that are function words of their own (的, 了, の, は …), counted as a share of words
        # of about two characters each.
        hits = len(cjk_stop_characters().findall(window))
        stop_share = min(1.0, 2 * hits / len(window))
    else:
        stop_share = sum(map(stop_words().__contains__, words)) / (len(words) or 1)
    punctuation = len(_MARK.findall(text)) / length
    # ASCII digits are single bytes in UTF-8, never part of another character's bytes.
    encoded = text.encode()
    digits = (len(encoded) - len(encoded.translate(None, _DIGITS))) / length
    stripped = text.rstrip()
    ends = bool(stripped) and stripped[-1] in _CLOSERS
    # Sentence ends inside the text, and the last one.
    ascii_only = text.isascii()
    sentences = (
        sum(map(text.count, _ASCII_SENTENCE_ENDS if ascii_only else _SENTENCE_ENDS))
        + ends
    )
    return (
        math.log1p(length),
        1.0 if length < 60 else 0.0,
        stop_share,
        1.0 if stop_share == 0 else 0.0,
        punctuation,
        digits,
        1.0 if text.isupper() else 0.0,  # every cased letter a capital
        1.0 if ends else 0.0,
        math.log1p(sentences),
    )


def paragraph_features(
    text: str,
    *,
    link_share: int,
    cues: int,
    position: int,
    paragraph_count: int,
    repeated_in: int = 0,
    source_articles: int = 0,
) -> tuple[float, ...]:
    """The features of one paragraph in NAMES order. `position` is 1-based; `repeated_in` is
    the number of the source's articles containing the same text (0 or 1: only this one)."""
    part = _text_numbers.get(text)
    if part is None:
        part = _text_part(text)
        if len(text) <= TEXT_CACHE_MAX_CHARS:
            if len(_text_numbers) >= TEXT_CACHE:
                _text_numbers.clear()
            _text_numbers[text] = part
    from_start = position - 1
    from_end = max(paragraph_count - position, 0)
    if repeated_in >= 2:
        articles = max(source_articles, repeated_in)
        repeated_share = repeated_in / articles
        log_repeated = math.log(repeated_in)
    else:
        repeated_share = log_repeated = 0.0
    (
        log_length,
        short,
        stop_share,
        no_stop,
        punctuation,
        digits,
        capitals,
        ends,
        sentences,
    ) = part
    return (
        log_length,
        short,
        link_share / 100,
        1.0 if link_share >= 90 else 0.0,
        stop_share,
        no_stop,
        punctuation,
        digits,
        capitals,
        ends,
        sentences,
        math.log1p(from_start),
        math.log1p(from_end),
        1.0 if from_start == 0 else 0.0,
        1.0 if from_end < 3 else 0.0,
        from_start / max(paragraph_count - 1, 1),
        1.0 if cues & COPYRIGHT else 0.0,
        1.0 if cues & CALL_TO_ACTION else 0.0,
        repeated_share,
        log_repeated,
    )


def _reads_like_text(base: tuple[float, ...]) -> bool:
    return (
        base[_LOG_LENGTH] >= _TEXT_MIN_LOG_LENGTH
        and base[_STOP] >= 0.2
        and base[_LINK] < 0.5
        and base[_ENDS] > 0
    )


def article_features(rows: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    """The full feature vectors (NAMES) of one article's paragraphs, in order, from their
    paragraph_features(): each with what its neighbours look like. Linear in the article's
    length."""
    count = len(rows)
    text = [_reads_like_text(row) for row in rows]
    # Distance to the nearest paragraph that reads like text, both ways in two passes.
    distance = [count] * count
    run = count
    for index in range(count):
        run = 0 if text[index] else run + 1
        distance[index] = run
    run = count
    for index in range(count - 1, -1, -1):
        run = 0 if text[index] else run + 1
        if run < distance[index]:
            distance[index] = run
    first = text.index(True) if True in text else count
    last = count - 1 - text[::-1].index(True) if True in text else -1
    empty = (0.0, 0.0, 0.0)
    text_share = sum(text) / count if count else 0.0
    lengths = sorted(row[_LOG_LENGTH] for row in rows)
    median = lengths[count // 2] if count else 0.0
    out = []
    for index, row in enumerate(rows):
        before = rows[index - 1] if index else None
        after = rows[index + 1] if index + 1 < count else None
        out.append(
            (
                *row,
                1.0 if first <= index <= last else 0.0,
                math.log1p(distance[index]),
                sum(text[max(0, index - 2) : index + 3]) / 5,
                *(
                    (before[_LOG_LENGTH], before[_LINK], before[_STOP])
                    if before
                    else empty
                ),
                *((after[_LOG_LENGTH], after[_LINK], after[_STOP]) if after else empty),
                1.0 if index < first and last >= 0 else 0.0,  # no text: neither
                1.0 if index > last >= 0 else 0.0,
                text_share,
                row[_LOG_LENGTH] - median,
                before[_ENDS] if before else 0.0,
                after[_ENDS] if after else 0.0,
            )
        )
    return out
