from django.contrib.auth.models import Permission

from articles.auth import ModelBackendOneQuery


def test_group_and_own_permissions_in_one_query(lead, django_assert_num_queries):
    lead.user_permissions.add(Permission.objects.get(codename="view_user"))
    with django_assert_num_queries(1):
        permissions = ModelBackendOneQuery().get_all_permissions(lead)
        assert lead.has_perm("articles.import_article")  # cached: no second query
    assert {
        "articles.import_article",
        "articles.label_article",
        "auth.view_user",
    } <= permissions


def test_reviewer_lacks_lead_permissions(reviewer):
    assert reviewer.has_perm("articles.label_article")
    assert not reviewer.has_perm("articles.import_article")


def test_superuser_has_all_and_inactive_none(superuser, reviewer):
    assert superuser.has_perm("articles.reset_article")
    reviewer.is_active = False
    assert ModelBackendOneQuery().get_all_permissions(reviewer) == set()
