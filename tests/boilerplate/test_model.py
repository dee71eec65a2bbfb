"""The learned model as the web process uses it: the shipped starting model, scores, reasons."""

import json
import re

import pytest
from django.urls import reverse

from articles.boilerplate import model as learned
from articles.boilerplate.features import NAMES
from articles.boilerplate.model import Linear, Model, ModelError, starting_model
from articles.boilerplate.suggestions import (
    Signals,
    Thresholds,
    score_signals,
    suggest,
    where,
)
from articles.imports.importers import import_paths
from articles.models import Article, LearnedModel

RULES = Thresholds(min_articles=3, min_share=50, link_share=60, max_chars=200)
SUGGESTED = re.compile(
    r'<li id="p-(\d+)" class="paragraph paragraph-none paragraph-suggested"'
)


def test_the_starting_model_ships_with_the_package_and_describes_itself():
    shipped = json.loads(learned.STARTING_MODEL.read_text(encoding="utf-8"))
    assert shipped["features"] == list(NAMES)
    model = starting_model()
    assert model.version == "starting"
    assert not model.from_labels
    assert "Mozilla Readability test pages" in model.trained_on
    assert "generated articles" in model.trained_on
    general = model.general
    assert general.examples > 5_000
    assert 0 < general.positives < general.examples
    assert 0.5 < general.precision <= 1
    assert 0.2 <= general.cutoff <= 0.95
    assert model.sources == {}


def test_the_customers_sample_last_two_suggested_none_of_the_first_27(
    client, reviewer, seed_file
):
    """Issue 19: the 3rd paragraph ("Even war has rules", a reporting sentence with a link)
    was suggested from its link share alone; the model leaves it."""
    result = import_paths([seed_file])
    assert result.failed == 0
    article = Article.objects.get()
    assert article.paragraph_count == 29
    client.force_login(reviewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert [int(p) for p in SUGGESTED.findall(html)] == [28, 29]
    assert "Even war has rules" in html
    assert "27th paragraph from the end" not in html
    # The reasons in words, with the model's track record.
    assert re.search(
        r"— looks like boilerplate: [^<]*“subscribe”[^<]*last 3 paragraphs of the page"
        r"[^<]*; \d+% on [\d,]+ labeled example paragraphs \(starting model\)",
        html,
    )
    assert re.search(
        r"— looks like boilerplate: copyright line[^<]*last paragraph", html
    )
    assert re.search(r'<span class="suggestion-confidence">\d\d% sure</span>', html)


def test_a_paragraph_near_the_top_is_placed_from_the_top():
    assert where(3, 26) == "3rd paragraph"
    assert where(1, 28) == "first paragraph"
    assert where(27, 2) == "3rd paragraph from the end"
    assert where(28, 1) == "second to last paragraph"
    assert where(29, 0) == "last paragraph"
    assert where(0, 5) == "6th paragraph from the end"  # position unknown


def signals_of(texts: list[str], *, link_share=0, cues=0) -> list[Signals]:
    return [
        Signals(
            text=text,
            link_share=link_share,
            cues=cues,
            from_end=len(texts) - position,
            position=position,
            source="example.com",
        )
        for position, text in enumerate(texts, 1)
    ]


REPORTING = [
    "The council said on Tuesday that the bridge over the river would reopen by the end "
    f"of the month, according to documents seen by reporters ({n})."
    for n in range(6)
]


def test_scores_are_probabilities_and_a_model_suggestion_says_why():
    items = score_signals(
        signals_of([*REPORTING, "Share this story", "Follow us on Instagram"]),
        source="example.com",
        model=starting_model(),
    )
    assert all(0 <= item.score <= 1 for item in items)
    assert max(item.score for item in items[:6]) < starting_model().general.cutoff
    assert [suggest(item, RULES) for item in items[:6]] == [None] * 6
    last = suggest(items[-1], RULES)
    assert last.label == "boilerplate"
    assert last.score == items[-1].score
    assert last.percent == int(items[-1].score * 100)
    assert last.reason.startswith("looks like boilerplate: ")
    assert "last paragraph" in last.reason
    assert last.reason.endswith("labeled example paragraphs (starting model)")


def linear(
    weights: dict[str, float], *, bias=0.0, precision=0.94, examples=1240
) -> Linear:
    return Linear(
        weights=tuple(weights.get(name, 0.0) for name in NAMES),
        bias=bias,
        means=(0.0,) * len(NAMES),
        examples=examples,
        positives=300,
        precision=precision,
        recall=0.8,
        cutoff=0.5,
    )


def test_a_model_trained_on_the_desks_labels_says_so_in_its_reasons():
    model = Model(
        version="7",
        trained_on="1,240 labeled paragraphs",
        from_labels=True,
        general=linear({"short": 3.0, "all_link": 2.0, "last_three": 1.0}, bias=-2.5),
    )
    items = score_signals(
        signals_of(
            [*REPORTING[:3], "Next story: the vote in pictures", "More news"],
            link_share=100,
        ),
        source="example.com",
        model=model,
    )
    suggestion = suggest(items[-2], RULES)
    assert suggestion.reason == (
        "looks like boilerplate: short, all link text, last 3 paragraphs of the page; "
        "94% on 1,240 of your labels"
    )


def test_a_stored_model_round_trips_and_one_for_other_features_is_refused():
    model = starting_model()
    again = Model.from_json(json.loads(json.dumps(model.as_json())), version="3")
    assert again.general == model.general
    assert again.version == "3"
    other = model.as_json() | {"features": [*NAMES, "something_new"]}
    with pytest.raises(ModelError, match="other features"):
        Model.from_json(other)
    short = model.as_json()
    short["general"] = short["general"] | {"weights": [1.0, 2.0]}
    with pytest.raises(ModelError, match="weights"):
        Model.from_json(short)


@pytest.mark.django_db
def test_the_newest_trained_model_is_used_and_an_unusable_one_is_skipped():
    learned.remember(None)
    assert learned.active_model().version == "starting"
    data = starting_model().as_json() | {"from_labels": True}
    row = LearnedModel.objects.create(
        trigger="command", examples=100, boilerplate=30, seconds=0.1, coefficients=data
    )
    learned.remember(None)
    assert learned.active_model().version == str(row.pk)
    assert learned.active_model().from_labels
    LearnedModel.objects.create(
        trigger="command",
        examples=100,
        boilerplate=30,
        seconds=0.1,
        coefficients=data | {"features": ["old"]},
    )
    learned.remember(None)
    assert learned.active_model().version == "starting"


def test_the_boilerplate_page_shows_the_starting_model(client, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("articles:boilerplate")).content.decode()
    assert "The starting model shipped with newsreview, trained on" in html
    assert "Mozilla Readability test pages" in html
    precision = round(starting_model().general.precision * 100)
    assert f"<strong>{precision}%</strong> of its suggestions are boilerplate" in html
    assert "It learns from your labels once 20 of each exist." in html
