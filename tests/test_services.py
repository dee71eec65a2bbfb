"""articles.services: labels, counts, status and the audit trail always agree."""

import pytest

from articles.models import Article
from articles.services import assign_articles


@pytest.mark.django_db
def test_assign_articles_assigns_and_unassigns_in_one_update(
    make_article, reviewer, lead, django_assert_num_queries
):
    first, second, untouched = make_article(), make_article(), make_article()
    chosen = Article.objects.filter(pk__in=[first.pk, second.pk])

    with django_assert_num_queries(1):
        assert assign_articles(articles=chosen, assignee=reviewer, by=lead) == 2

    assigned = dict(Article.objects.values_list("pk", "assigned_to"))
    assert assigned == {
        first.pk: reviewer.pk,
        second.pk: reviewer.pk,
        untouched.pk: None,
    }

    assert assign_articles(articles=chosen, assignee=None, by=lead) == 2
    assert not Article.objects.filter(assigned_to__isnull=False).exists()
