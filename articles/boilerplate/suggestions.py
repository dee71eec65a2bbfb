"""Boilerplate suggestions: what a paragraph's signals and its text's repetition suggest.

At import, articles.boilerplate.signals.static_signals() reads what one paragraph says about itself (share of link text,
copyright sign, call-to-action phrases); they are stored on the Paragraph. What depends on the
rest of the corpus (how many articles of the source contain the same text, what people labeled
it) lives in RepeatedText and is joined in when a page or export reads paragraphs, so an old
article's footer is suggested once enough articles with the same footer have arrived.

The learned model (articles.boilerplate.model) scores every paragraph from its features and its
neighbours' (articles.boilerplate.features); score_paragraphs() attaches the score to Signals.

suggest() turns the signals into a suggestion with its reason in words and a confidence. A
suggestion is never a label: a person accepts it (docs/boilerplate.md).
"""

from dataclasses import dataclass

from django.conf import settings

from articles.boilerplate.features import article_features, paragraph_features
from articles.boilerplate.model import Linear, Model, active_model
from articles.boilerplate.reasons import model_reason
from articles.boilerplate.signals import (
    CALL_TO_ACTION,
    COPYRIGHT,
    call_to_action_phrase,
)
from articles.models import Label, Paragraph, RepeatedText


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
    position: int = 0  # 1-based; 0 when unknown
    # The learned model's view (score_paragraphs()): its probability of boilerplate, the
    # paragraph's features and the model that scored them (for the reason in words).
    score: float | None = None
    features: tuple[float, ...] = ()
    model: Linear | None = None
    from_labels: bool = False


@dataclass(frozen=True)
class Suggestion:
    label: str
    reason: str
    # Confidence, 0 to 1: 1 when people labeled the text, else the model's probability.
    score: float = 1.0

    @property
    def percent(self) -> int:
        """The confidence in whole percent, rounded down: what the page shows and what the
        Lead's threshold is compared with (so 79.6% never passes for 80%)."""
        return int(self.score * 100)


BOILERPLATE = Label.BOILERPLATE.value


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def where(position: int, from_end: int) -> str:
    """Where a paragraph sits, counted from the nearer end of the article (`position` is 1-based;
    0 when unknown counts from the end)."""
    if from_end == 0:
        return "last paragraph"
    if from_end == 1:
        return "second to last paragraph"
    if position and position - 1 < from_end:
        return "first paragraph" if position == 1 else f"{_ordinal(position)} paragraph"
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
    """A boilerplate suggestion with its reason and confidence, or None. Strongest first:

    1. People labeled this text boilerplate elsewhere in the source (confidence 1).
    2. It appears in at least `min_articles` articles of the source and in `min_share` percent
       of them, or in `min_articles` and it also has a static sign (copyright, call to action,
       mostly link text) and at most `max_chars` characters.
    3. The learned model's probability is at or above its cutoff: the reason names what
       pushed the score up and the model's estimated precision.

    Rules 2 and 3 carry the model's probability as their confidence (1 without a model).
    The signs alone no longer suggest anything: on real pages they misfired on reporting that
    quotes a link (issue 19); they are features of the model now.
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
    score = 1.0 if signals.score is None else signals.score
    repeated = signals.repeated_in
    if repeated >= thresholds.min_articles:
        total = max(signals.source_articles, repeated)
        if repeated * 100 >= thresholds.min_share * total:
            return Suggestion(
                BOILERPLATE,
                f"appears in {repeated:,} of {_articles_of(signals, total)}",
                score,
            )
        facts = _static_facts(signals, thresholds)
        if facts and len(signals.text) <= thresholds.max_chars:
            return Suggestion(
                BOILERPLATE,
                f"appears in {_articles_of(signals, repeated)}; {', '.join(facts)}",
                score,
            )
    model = signals.model
    if (
        model is not None
        and signals.score is not None
        and signals.score >= model.cutoff
    ):
        return Suggestion(
            BOILERPLATE,
            model_reason(signals, where(signals.position, signals.from_end)),
            signals.score,
        )
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
    """Signals of a Paragraph with its repetition counts (attach_repetition()), unscored."""
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
        position=paragraph.position,
    )


def score_signals(
    signals: list[Signals],
    *,
    source: str,
    model: Model | None = None,
    context: list[tuple[int, str, int, int]] | None = None,
) -> list[Signals]:
    """Score `signals`, paragraphs of one article of `source`, with the model (the active one
    by default): each gets .score, .features, .model and .from_labels.

    The model looks at each paragraph's neighbours, so it needs the whole article: `signals`
    itself when it holds every paragraph in order, otherwise `context`, the article's
    (position, text, link_share, cues) in order (article_context() reads them).
    """
    if not signals:
        return signals
    model = model or active_model()
    linear = model.for_source(source)
    count = signals[0].from_end + signals[0].position
    if context is None:
        # The whole article, in order (a page, an export): no lookups by position.
        vectors = article_features(
            [
                paragraph_features(
                    item.text,
                    link_share=item.link_share,
                    cues=item.cues,
                    position=item.position,
                    paragraph_count=count,
                    repeated_in=item.repeated_in,
                    source_articles=item.source_articles,
                )
                for item in signals
            ]
        )
    else:
        # Each paragraph's own repetition counts matter to its own score only (the
        # neighbours' features are their length, links, words and ending).
        mine = {item.position: item for item in signals if item.repeated_in >= 2}
        base = {}
        for position, text, link_share, cues in context:
            item = mine.get(position)
            base[position] = paragraph_features(
                text,
                link_share=link_share,
                cues=cues,
                position=position,
                paragraph_count=count,
                repeated_in=item.repeated_in if item else 0,
                source_articles=item.source_articles if item else 0,
            )
        by_position = dict(
            zip(base, article_features(list(base.values())), strict=True)
        )
        vectors = [by_position[item.position] for item in signals]
    probability, from_labels = linear.probability, model.from_labels
    for item, vector in zip(signals, vectors, strict=True):
        item.features = vector
        item.score = probability(vector)
        item.model = linear
        item.from_labels = from_labels
    return signals


def article_context(article_id: int) -> list[tuple[int, str, int, int]]:
    """(position, text, link_share, cues) of every paragraph of the article, in order: one query."""
    return list(
        Paragraph.objects.filter(article_id=article_id)
        .order_by("position")
        .values_list("position", "text", "link_share", "cues")
    )


def attach_suggestions(paragraphs, *, article, thresholds: Thresholds | None = None):
    """Set `.suggestion` (Suggestion or None) on each unlabeled paragraph; labeled ones get None.

    `paragraphs` in reading order; when they are not the whole article (one label answer, the
    accept's unlabeled candidates) the article's other paragraphs are read in one query, for
    the model's view of the neighbours."""
    thresholds = thresholds or Thresholds.from_settings()
    for paragraph in paragraphs:
        paragraph.suggestion = None
    if not settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS:
        return paragraphs
    unlabeled = [paragraph for paragraph in paragraphs if not paragraph.label]
    if not unlabeled:
        return paragraphs
    signals = [
        paragraph_signals(
            paragraph, source=article.source, paragraph_count=article.paragraph_count
        )
        for paragraph in unlabeled
    ]
    whole = len(paragraphs) == article.paragraph_count
    score_signals(
        signals,
        source=article.source,
        context=(
            [(p.position, p.text, p.link_share, p.cues) for p in paragraphs]
            if whole
            else article_context(article.pk)
        ),
    )
    for paragraph, item in zip(unlabeled, signals, strict=True):
        paragraph.suggestion = suggest(item, thresholds)
    return paragraphs
