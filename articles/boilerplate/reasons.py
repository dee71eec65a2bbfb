"""The learned model's suggestion in words: what pushed the score up, and how often it is right.

"looks like boilerplate: short, all link text, last 3 paragraphs of the page; 94% on 1,240 of
your labels". The features whose contribution (weight * (value - the training examples'
mean)) raised the paragraph's score the most are named, at most three distinct phrases; the
figure after the semicolon is the model's cross-validated precision at its cutoff and the
number of labeled paragraphs it learned from.
"""

from articles.boilerplate.features import NAMES
from articles.boilerplate.signals import call_to_action_phrase

MAX_PHRASES = 3
_ENDS = NAMES.index("ends_like_sentence")
_AFTER, _BEFORE, _INSIDE = (
    NAMES.index("after_text_run"),
    NAMES.index("before_text_run"),
    NAMES.index("inside_text_run"),
)


def _length(signals) -> str | None:
    length = len(signals.text)
    if length < 20:
        return "very short"
    return "short" if length < 100 else None


def _links(signals) -> str | None:
    if signals.link_share >= 90:
        return "all link text"
    return f"{signals.link_share}% link text" if signals.link_share >= 20 else None


def _position(signals, where: str) -> str:
    """ "last paragraph", "last 3 paragraphs of the page", "first 3 paragraphs of the page",
    else suggestions.where()'s words ("5th paragraph", "4th paragraph from the end")."""
    if 0 < signals.from_end < 3:
        return "last 3 paragraphs of the page"
    if 1 < signals.position <= 3 and signals.position - 1 < signals.from_end:
        return "first 3 paragraphs of the page"
    return where


def _repetition(signals) -> str | None:
    if signals.repeated_in < 2:
        return None
    source = f"{signals.source} " if signals.source else ""
    total = max(signals.source_articles, signals.repeated_in)
    return f"in {signals.repeated_in:,} of {total:,} {source}articles"


def _phrase(name: str, signals, where: str) -> str | None:
    """The words for one feature that raised the score, or None when it says nothing a
    reviewer could check by looking (a length that is not short, say)."""
    if name in ("log_length", "short"):
        return _length(signals)
    if name in ("link_share", "all_link"):
        return _links(signals)
    if name in ("stop_word_share", "no_stop_words"):
        return "few common words"
    if name == "punctuation_share":
        return "much punctuation"
    if name == "digit_share":
        return "many figures"
    if name == "all_capitals":
        return "in capitals"
    if name == "ends_like_sentence":
        return None if signals.features[_ENDS] else "not a sentence"
    if name == "log_sentences":
        return None  # fewer sentences than most paragraphs: "short" says it better
    if name in (
        "log_from_start",
        "log_from_end",
        "first",
        "last_three",
        "relative_position",
    ):
        return _position(signals, where)
    if name == "copyright":
        return "copyright line"
    if name == "call_to_action":
        return f"“{call_to_action_phrase(signals.text)}”"
    if name in ("repeated_share", "log_repeated"):
        return _repetition(signals)
    if name in (
        "inside_text_run",
        "log_distance_to_text",
        "text_nearby",
        "before_text_run",
        "after_text_run",
        "article_text_share",
    ):
        return _against_text(signals)
    return "among lines like it"  # the neighbours' length, links and words


def _against_text(signals) -> str | None:
    """Where the paragraph is against the article's run of text-like paragraphs."""
    features = signals.features
    if features[_AFTER]:
        return "after the article's text"
    if features[_BEFORE]:
        return "before the article's text"
    if not features[_INSIDE]:
        return "no article text on the page"
    return None


def _track_record(signals) -> str:
    model = signals.model
    if model.precision is None:
        return ""
    right = f"{round(model.precision * 100)}% on {model.examples:,}"
    if signals.from_labels:
        return f"; {right} of your labels"
    return f"; {right} labeled example paragraphs (starting model)"


def model_reason(signals, where: str) -> str:
    """The reason of a suggestion the model made (signals scored by suggestions.score_signals)."""
    phrases: list[str] = []
    for index in signals.model.pushes(signals.features):
        phrase = _phrase(NAMES[index], signals, where)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
            if len(phrases) == MAX_PHRASES:
                break
    what = ", ".join(phrases) if phrases else "paragraphs like it were boilerplate"
    return f"looks like boilerplate: {what}{_track_record(signals)}"
