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


def test_get_user_reads_the_same_user_as_the_orm(reviewer, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    with django_assert_num_queries(1):
        user = ModelBackendOneQuery().get_user(reviewer.pk)
    expected = get_user_model().objects.get(pk=reviewer.pk)
    assert [getattr(user, f.attname) for f in user._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in expected._meta.concrete_fields
    ]
    assert user.date_joined.tzinfo is not None
    assert user.is_active is True
    assert not user._state.adding
    assert user._state.db == "default"


def test_get_user_refuses_missing_and_inactive_users(reviewer):
    assert ModelBackendOneQuery().get_user(reviewer.pk + 1000) is None
    reviewer.is_active = False
    reviewer.save()
    assert ModelBackendOneQuery().get_user(reviewer.pk) is None


def test_sessions_load_until_they_expire(reviewer_client, reviewer):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from articles.sessions import SessionStore

    key = reviewer_client.session.session_key
    assert SessionStore(key).load()["_auth_user_id"] == str(reviewer.pk)
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("no-such-key-at-all-0123456789").load() == {}
