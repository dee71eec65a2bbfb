"""What the learned model sees of known paragraphs (articles/boilerplate/features.py)."""

import math

import pytest

from articles.boilerplate.features import (
    BASE,
    NAMES,
    article_features,
    paragraph_features,
)
from articles.boilerplate.signals import CALL_TO_ACTION, COPYRIGHT


def named(vector) -> dict[str, float]:
    return dict(zip(NAMES, vector, strict=True))


def base(text, *, position=1, count=10, link_share=0, cues=0, **repetition):
    """paragraph_features() by name (the first BASE names; the neighbours come later)."""
    vector = paragraph_features(
        text,
        link_share=link_share,
        cues=cues,
        position=position,
        paragraph_count=count,
        **repetition,
    )
    assert len(vector) == BASE
    return dict(zip(NAMES[:BASE], vector, strict=True))


REPORTING = (
    "The council said on Tuesday that the bridge over the river would reopen by the end "
    "of the month."
)


def test_length_links_signs_and_sentences_of_a_reporting_sentence_and_a_footer():
    text = base(REPORTING, position=3)
    assert text["log_length"] == pytest.approx(math.log1p(len(REPORTING)))
    assert text["short"] == 0.0
    assert text["ends_like_sentence"] == 1.0
    assert text["log_sentences"] == pytest.approx(math.log1p(1))
    assert text["first"] == 0.0
    assert text["log_from_start"] == pytest.approx(math.log1p(2))
    assert text["log_from_end"] == pytest.approx(math.log1p(7))
    footer = base(
        "Related topics", position=10, link_share=100, cues=CALL_TO_ACTION | COPYRIGHT
    )
    assert footer["short"] == 1.0
    assert footer["link_share"] == 1.0
    assert footer["all_link"] == 1.0
    assert footer["ends_like_sentence"] == 0.0
    assert footer["last_three"] == 1.0
    assert footer["log_from_end"] == 0.0
    assert (footer["copyright"], footer["call_to_action"]) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("text", "least"),
    [
        (REPORTING, 0.4),
        (
            "Le conseil a déclaré mardi que le pont sur la rivière serait rouvert à la fin du mois.",
            0.4,
        ),
        (
            "Rada miasta poinformowała we wtorek, że most na rzece zostanie otwarty do końca miesiąca.",
            0.2,
        ),
        (
            "El ayuntamiento dijo el martes que el puente sobre el río se reabrirá a finales de mes.",
            0.4,
        ),
    ],
)
def test_stop_word_share_knows_the_corpus_languages(text, least):
    assert base(text)["stop_word_share"] >= least
    assert base(text)["no_stop_words"] == 0.0


def test_navigation_has_no_stop_words_and_figures_and_punctuation_are_counted():
    menu = base("Politics | Business | Technology | Science")
    assert menu["stop_word_share"] == 0.0
    assert menu["no_stop_words"] == 1.0
    assert menu["punctuation_share"] == pytest.approx(3 / 42)
    dates = base("12/03/2024 10:45")
    assert dates["digit_share"] == pytest.approx(12 / 16)


def test_repetition_counts_only_from_two_articles():
    once = base(REPORTING, repeated_in=1, source_articles=40)
    assert (once["repeated_share"], once["log_repeated"]) == (0.0, 0.0)
    footer = base(REPORTING, repeated_in=30, source_articles=40)
    assert footer["repeated_share"] == pytest.approx(0.75)
    assert footer["log_repeated"] == pytest.approx(math.log(30))


def test_the_neighbours_place_each_paragraph_against_the_articles_text():
    texts = ["Home | World", REPORTING, REPORTING, "Share this", "© Example"]
    rows = [
        paragraph_features(t, link_share=0, cues=0, position=i, paragraph_count=5)
        for i, t in enumerate(texts, 1)
    ]
    vectors = [named(v) for v in article_features(rows)]
    assert all(len(v) == len(NAMES) for v in vectors)
    assert [v["before_text_run"] for v in vectors] == [1, 0, 0, 0, 0]
    assert [v["inside_text_run"] for v in vectors] == [0, 1, 1, 0, 0]
    assert [v["after_text_run"] for v in vectors] == [0, 0, 0, 1, 1]
    assert [round(math.expm1(v["log_distance_to_text"])) for v in vectors] == [
        1,
        0,
        0,
        1,
        2,
    ]
    assert vectors[0]["article_text_share"] == pytest.approx(2 / 5)
    assert vectors[0]["previous_log_length"] == 0.0  # nothing before the first
    assert vectors[1]["previous_log_length"] == pytest.approx(math.log1p(12))
    assert vectors[4]["next_log_length"] == 0.0


def test_an_article_without_text_has_no_text_run_either_side():
    rows = [
        paragraph_features(t, link_share=0, cues=0, position=i, paragraph_count=2)
        for i, t in enumerate(["Menu", "Login"], 1)
    ]
    for vector in map(named, article_features(rows)):
        assert (
            vector["before_text_run"],
            vector["inside_text_run"],
            vector["after_text_run"],
        ) == (0, 0, 0)
