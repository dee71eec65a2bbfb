"""Agreement: our arithmetic against scikit-learn's and the krippendorff package's, then the
whole way from two reviewers' labels to the page and the CSV."""

import csv
import io
import random

import krippendorff
import numpy as np
import pytest
from django.test import override_settings
from django.urls import reverse
from sklearn.metrics import cohen_kappa_score

from articles.models import Label
from articles.quality import agreement
from articles.quality.second import finish_second_review, set_second_label
from tests.quality.conftest import client_for

LABELS = Label.values


def random_pairs(seed: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    # Mostly agreeing, as reviewers do, with a lean towards one label.
    pairs = []
    for _ in range(n):
        first = rng.choices(LABELS, weights=[5, 3, 2])[0]
        second = first if rng.random() < 0.7 else rng.choice(LABELS)
        pairs.append((first, second))
    return pairs


def cells_of(pairs) -> dict:
    cells: dict = {}
    for pair in pairs:
        cells[pair] = cells.get(pair, 0) + 1
    return cells


def package_alpha(pairs) -> float:
    codes = {label: i for i, label in enumerate(LABELS)}
    data = np.array([[codes[a] for a, _ in pairs], [codes[b] for _, b in pairs]], float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


@pytest.mark.parametrize("seed", range(12))
def test_kappa_and_alpha_equal_the_reference_implementations(seed):
    pairs = random_pairs(seed, n=random.Random(seed).randint(5, 400))
    cells = cells_of(pairs)
    first, second = zip(*pairs, strict=True)
    assert agreement.cohen_kappa(cells) == pytest.approx(
        cohen_kappa_score(first, second), abs=1e-12
    )
    assert agreement.krippendorff_alpha(cells) == pytest.approx(
        package_alpha(pairs), abs=1e-12
    )
    agreeing = sum(a == b for a, b in pairs)
    assert agreement.percent_agreement(cells) == pytest.approx(
        100 * agreeing / len(pairs)
    )


def test_alpha_with_many_coders_equals_the_package_with_missing_values():
    # The team: each paragraph labeled by two of five people, different pairs each time.
    rng = random.Random(7)
    pairs, matrix = [], np.full((5, 300), np.nan)
    for unit in range(300):
        a, b = rng.sample(range(5), 2)
        first, second = random_pairs(unit, 1)[0]
        pairs.append((first, second))
        matrix[a, unit], matrix[b, unit] = LABELS.index(first), LABELS.index(second)
    expected = krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="nominal"
    )
    assert agreement.krippendorff_alpha(cells_of(pairs)) == pytest.approx(
        expected, abs=1e-12
    )


def test_one_label_only_leaves_kappa_and_alpha_undefined():
    cells = {("boilerplate", "boilerplate"): 30}
    assert agreement.percent_agreement(cells) == 100
    assert agreement.cohen_kappa(cells) is None
    assert agreement.krippendorff_alpha(cells) is None
    assert agreement.cohen_kappa({}) is None


# A known pattern: rita and oskar on 4 articles of 10 paragraphs (40 compared): oskar calls
# every 4th verified paragraph unverified, and every 10th unverified one boilerplate.
def _pattern(i: int) -> tuple[str, str]:
    first = LABELS[i % 3]
    second = first
    if first == "verified" and i % 4 == 0:
        second = "unverified"
    if first == "unverified" and i % 10 == 1:
        second = "boilerplate"
    return first, second


@pytest.fixture
def two_reviewers(reviewed, reviewer, other_reviewer, send):
    pairs = []
    for a in range(4):
        wanted = [_pattern(a * 10 + i) for i in range(10)]
        article = reviewed(
            labels=[first for first, _ in wanted],
            source="bbc.co.uk" if a % 2 else "zeit.de",
        )
        send(article, to=other_reviewer)
        for position, (_, second_label) in enumerate(wanted, start=1):
            set_second_label(
                article_id=article.pk,
                position=position,
                label=second_label,
                user=other_reviewer,
            )
        finish_second_review(article_id=article.pk, user=other_reviewer)
        pairs += wanted
    return pairs


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_page_and_csv_equal_an_independent_computation_from_the_paragraphs_csv(
    two_reviewers, lead
):
    lead_client = client_for(lead)
    rows = read_csv(lead_client.get(reverse("articles:export_paragraphs")))
    first = [row["label"] for row in rows]
    second = [row["second_label"] for row in rows]
    assert {row["second_labeled_by"] for row in rows} == {"oskar"}
    kappa = cohen_kappa_score(first, second)
    alpha = package_alpha(list(zip(first, second, strict=True)))
    percent = 100 * sum(a == b for a, b in zip(first, second, strict=True)) / len(rows)
    assert len(rows) == 40

    figures = {
        row["kind"] + ":" + row["name"]: row
        for row in read_csv(lead_client.get(reverse("articles:agreement_csv")))
    }
    pair = figures["pair:oskar & rita"]
    assert pair["paragraphs_compared"] == "40"
    # oskar's labels are the rows (the pair's names in order), rita's the columns.
    assert float(pair["cohens_kappa"]) == pytest.approx(kappa, abs=5e-4)
    assert float(pair["krippendorffs_alpha"]) == pytest.approx(alpha, abs=5e-4)
    assert float(pair["percent_agreement"]) == pytest.approx(percent, abs=5e-4)
    team = figures["team:Team"]
    assert float(team["krippendorffs_alpha"]) == pytest.approx(alpha, abs=5e-4)
    assert team["verified_unverified"] == str(
        sum(1 for a, b in two_reviewers if (a, b) == ("verified", "unverified"))
    )
    assert set(figures) == {
        "team:Team",
        "pair:oskar & rita",
        "source:bbc.co.uk",
        "source:zeit.de",
    }

    page = lead_client.get(reverse("articles:agreement")).content.decode()
    assert f"{kappa:.3f}" in page
    assert f"{alpha:.3f}" in page
    assert f"{percent:.1f}%" in page
    # Each source rests on 20 paragraphs: exactly the default minimum.
    assert "Not enough data" not in page


@override_settings(NEWSREVIEW_AGREEMENT_MIN_PARAGRAPHS=25)
def test_below_the_minimum_the_page_says_not_enough_data(two_reviewers, lead):
    page = client_for(lead).get(reverse("articles:agreement")).content.decode()
    assert page.count("Not enough data (20 of the 25 paragraphs needed)") == 2
    rows = read_csv(client_for(lead).get(reverse("articles:agreement_csv")))
    assert {row["name"]: row["enough_data"] for row in rows} == {
        "Team": "yes",
        "oskar & rita": "yes",
        "bbc.co.uk": "no",
        "zeit.de": "no",
    }


def test_the_page_reads_the_tally_in_two_queries(
    two_reviewers, lead, reviewed, other_reviewer, send, django_assert_num_queries
):
    client = client_for(lead)
    client.get(reverse("articles:agreement"))
    # Session, user, permissions, the tally per source, the tally per pair.
    with django_assert_num_queries(5):
        small = client.get(reverse("articles:agreement"))
    # More submitted reviews in another source: the same queries.
    article = reviewed(labels=["verified"] * 5, source="lemonde.fr")
    send(article, to=other_reviewer)
    for position in range(1, 6):
        set_second_label(
            article_id=article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    finish_second_review(article_id=article.pk, user=other_reviewer)
    with django_assert_num_queries(5):
        large = client.get(reverse("articles:agreement"))
    assert "lemonde.fr" in large.content.decode()
    assert "lemonde.fr" not in small.content.decode()


def test_a_pair_or_source_opens_its_table(two_reviewers, lead):
    client = client_for(lead)
    page = client.get(reverse("articles:agreement")).content.decode()
    assert (
        'href="/quality/agreement/?show=pair:oskar%20%26%20rita#agreement-shown"'
        in page
    )
    assert page.count('class="confusion"') == 1  # the team's only
    shown = client.get(reverse("articles:agreement"), {"show": "pair:oskar & rita"})
    text = shown.content.decode()
    assert text.count('class="confusion"') == 2
    assert "Rows: oskar; columns: rita" in text
    missing = client.get(reverse("articles:agreement"), {"show": "pair:<b>nobody</b>"})
    assert (
        "No pair or source “pair:&lt;b&gt;nobody&lt;/b&gt;”" in missing.content.decode()
    )


def test_reviewers_see_no_agreement_and_no_second_opinions(two_reviewers, reviewer):
    client = client_for(reviewer)
    assert client.get(reverse("articles:agreement")).status_code == 403
    assert client.get(reverse("articles:agreement_csv")).status_code == 403
    rows = read_csv(client.get(reverse("articles:export_paragraphs")))
    assert {row["second_label"] for row in rows} == {""}
    assert {row["second_labeled_by"] for row in rows} == {""}


def test_negative_agreement_stays_a_number_and_names_are_defused(
    reviewed, django_user_model, other_reviewer, send, lead
):
    # Every second label differs from the first: kappa and alpha below zero.
    sneaky = django_user_model.objects.create_user("=cmd|calc")
    article = reviewed(labels=["verified", "unverified"] * 15, by=sneaky)
    send(article, to=other_reviewer)
    for position in range(1, 31):
        set_second_label(
            article_id=article.pk,
            position=position,
            label="unverified" if position % 2 else "verified",
            user=other_reviewer,
        )
    finish_second_review(article_id=article.pk, user=other_reviewer)
    rows = read_csv(client_for(lead).get(reverse("articles:agreement_csv")))
    pair = next(row for row in rows if row["kind"] == "pair")
    assert pair["name"] == "'=cmd|calc & oskar"
    assert float(pair["cohens_kappa"]) == pytest.approx(-1.0)
    assert float(pair["krippendorffs_alpha"]) < 0
    assert pair["percent_agreement"] == "0.000000"
