"""Boilerplate suggestions: what a paragraph's signals and its text's repetition suggest.

At import, articles.boilerplate.signals.static_signals() reads what one paragraph says about itself (share of link text,
copyright sign, call-to-action phrases); they are stored on the Paragraph. What depends on the
rest of the corpus (how many articles of the source contain the same text, what people labeled
it) lives in RepeatedText and is joined in when a page or export reads paragraphs, so an old
article's footer is suggested once enough articles with the same footer have arrived.

suggest() turns the signals into a suggestion with its reason in words. A suggestion is never a
label: a person accepts it (docs/boilerplate.md).
"""

from dataclasses import dataclass

from django.conf import settings

from articles.boilerplate.signals import (
    CALL_TO_ACTION,
    COPYRIGHT,
    call_to_action_phrase,
)
from articles.models import Label, RepeatedText


@dataclass(frozen=True)
class Thresholds:
    min_articles: int
    min_share: int
    link_share: int
    max_chars: int

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            min_articles=settings.NEWSREVIEW_BOILERPLATE_MIN_ARTICLES,
            min_share=settings.NEWSREVIEW_BOILERPLATE_MIN_SHARE,
            link_share=settings.NEWSREVIEW_BOILERPLATE_LINK_SHARE,
            max_chars=settings.NEWSREVIEW_BOILERPLATE_MAX_CHARS,
        )


# slots, not frozen: a frozen dataclass sets each field through object.__setattr__, which made
# building one cost 2.5 µs, a fifth of a paragraphs-CSV row (0.6 µs now). Nothing changes one.
@dataclass(slots=True)
class Signals:
    """Everything suggest() looks at for one paragraph."""

    text: str
    link_share: int = 0
    cues: int = 0
    from_end: int = 0  # 0 for the last paragraph
    source: str = ""
    repeated_in: int = 0  # articles of the source containing the same text
    source_articles: int = 0  # articles of the source
    people_boilerplate: int = 0  # paragraphs with this text people labeled boilerplate
    boilerplate_by: str = ""  # who labeled it boilerplate most recently


@dataclass(frozen=True)
class Suggestion:
    label: str
    reason: str


BOILERPLATE = Label.BOILERPLATE.value


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _where(from_end: int) -> str:
    if from_end == 0:
        return "last paragraph"
    if from_end == 1:
        return "second to last paragraph"
    return f"{_ordinal(from_end + 1)} paragraph from the end"


def _articles_of(signals: Signals, n: int) -> str:
    source = f"{signals.source} " if signals.source else ""
    return f"{n:,} {source}article{'s' * (n != 1)}"


def _static_facts(signals: Signals, thresholds: Thresholds) -> list[str]:
    """The static signals that point to boilerplate, in words; empty when none does."""
    facts = []
    if signals.cues & COPYRIGHT:
        facts.append("copyright line")
    if signals.cues & CALL_TO_ACTION:
        facts.append(f"“{call_to_action_phrase(signals.text)}”")
    if signals.link_share >= thresholds.link_share:
        facts.append(f"{signals.link_share}% link text")
    return facts


def suggest(signals: Signals, thresholds: Thresholds) -> Suggestion | None:
    """A boilerplate suggestion with its reason, or None. The rules, strongest first:

    1. People labeled this text boilerplate elsewhere in the source.
    2. It appears in at least `min_articles` articles of the source and in `min_share` percent
       of them, or in `min_articles` and it also has a static sign (copyright, call to action,
       mostly link text).
    3. A short paragraph (at most `max_chars`) with a static sign.
    """
    people = signals.people_boilerplate
    if people > 0:
        by = (
            f", most recently by {signals.boilerplate_by}"
            if signals.boilerplate_by
            else ""
        )
        return Suggestion(
            BOILERPLATE,
            f"labeled boilerplate in {_articles_of(signals, people)}{by}",
        )
    length = len(signals.text)
    facts = _static_facts(signals, thresholds)
    repeated = signals.repeated_in
    if repeated >= thresholds.min_articles:
        total = max(signals.source_articles, repeated)
        if repeated * 100 >= thresholds.min_share * total:
            return Suggestion(
                BOILERPLATE,
                f"appears in {repeated:,} of {_articles_of(signals, total)}",
            )
        if facts:
            return Suggestion(
                BOILERPLATE,
                f"appears in {_articles_of(signals, repeated)}; {', '.join(facts)}",
            )
    if facts and length <= thresholds.max_chars:
        words = [*facts, _plural(length, "character"), _where(signals.from_end)]
        return Suggestion(BOILERPLATE, ", ".join(words))
    return None


def attach_repetition(paragraphs, *, source: str) -> None:
    """Set on each paragraph its text's counts in `source` (repeated_in, people_boilerplate,
    boilerplate_by) and the source's article count (source_articles), from ONE query."""
    if not paragraphs:
        return
    counts = RepeatedText.objects.for_texts(
        source=source, text_hashes={paragraph.text_hash for paragraph in paragraphs}
    )
    source_articles = counts.get("", (0, 0, None))[0]
    for paragraph in paragraphs:
        (
            paragraph.repeated_in,
            paragraph.people_boilerplate,
            paragraph.boilerplate_by,
        ) = counts.get(paragraph.text_hash, (None, None, None))
        paragraph.source_articles = source_articles


def paragraph_signals(paragraph, *, source: str, paragraph_count: int) -> Signals:
    """Signals of a Paragraph with its repetition counts (attach_repetition())."""
    return Signals(
        text=paragraph.text,
        link_share=paragraph.link_share,
        cues=paragraph.cues,
        from_end=paragraph_count - paragraph.position,
        source=source,
        repeated_in=paragraph.repeated_in or 0,
        source_articles=paragraph.source_articles or 0,
        people_boilerplate=paragraph.people_boilerplate or 0,
        boilerplate_by=paragraph.boilerplate_by or "",
    )


def attach_suggestions(paragraphs, *, article, thresholds: Thresholds | None = None):
    """Set `.suggestion` (Suggestion or None) on each unlabeled paragraph; labeled ones get None."""
    thresholds = thresholds or Thresholds.from_settings()
    enabled = settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS
    for paragraph in paragraphs:
        paragraph.suggestion = (
            suggest(
                paragraph_signals(
                    paragraph,
                    source=article.source,
                    paragraph_count=article.paragraph_count,
                ),
                thresholds,
            )
            if enabled and not paragraph.label
            else None
        )
    return paragraphs
