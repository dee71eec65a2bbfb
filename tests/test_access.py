"""The access walk: every URL pattern of the project, as every role, against the design's table.

The cases come from the URL resolver itself, so a new page cannot escape: a pattern without a
row in ACCESS fails with a message saying so. Every HTML answer must carry the strict CSP.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import (
    Article,
    ImportRun,
    Label,
    LabelEvent,
    Propagation,
    RepeatedText,
)

ANONYMOUS, NO_GROUP, REVIEWER, LEAD, STAFF = (
    "anonymous",
    "no group",
    "reviewer",
    "lead",
    "staff",
)
ROLES = [ANONYMOUS, NO_GROUP, REVIEWER, LEAD, STAFF]

# Outcomes besides a plain status code.
LOGIN = "redirect to the login page"
ADMIN_LOGIN = "redirect to the admin login page"
REDIRECT = "redirect elsewhere"


@dataclass
class Check:
    url: Callable[[dict], str]
    expected: dict[str, int | str]
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda ctx: {})


def everyone(outcome, *, anonymous=LOGIN, no_group=403) -> dict:
    """Reviewers, leads and staff alike; anonymous visitors go to the login page; a user in
    no group (access revoked) is refused every page of the product."""
    return {
        ANONYMOUS: anonymous,
        NO_GROUP: no_group,
        REVIEWER: outcome,
        LEAD: outcome,
        STAFF: outcome,
    }


def account(outcome, *, anonymous=LOGIN) -> dict:
    """The account pages: anyone logged in, with a role or without."""
    return everyone(outcome, anonymous=anonymous, no_group=outcome)


def leads(outcome) -> dict:
    """Leads (and staff, who are leads too); reviewers are refused."""
    return {
        ANONYMOUS: LOGIN,
        NO_GROUP: 403,
        REVIEWER: 403,
        LEAD: outcome,
        STAFF: outcome,
    }


def staff_only(outcome, *, anonymous=ADMIN_LOGIN) -> dict:
    """The admin: everyone but staff is sent to the admin's own login page."""
    return {
        ANONYMOUS: anonymous,
        NO_GROUP: ADMIN_LOGIN,
        REVIEWER: ADMIN_LOGIN,
        LEAD: ADMIN_LOGIN,
        STAFF: outcome,
    }


def admin_model(outcome) -> dict:
    """A ModelAdmin page: Django's LoginRequiredMiddleware sends anonymous visitors to our
    login page first (with next= back here); logged-in non-staff get the admin's login."""
    return staff_only(outcome, anonymous=LOGIN)


def url(name: str, *keys: str) -> Callable[[dict], str]:
    return lambda ctx: reverse(name, args=[ctx[key] for key in keys])


def get_and_post(name: str, *keys: str, post: dict, data=lambda ctx: {}) -> list[Check]:
    """A POST-only route: GET is refused with 405, the POST with real data is checked."""
    return [
        Check(url(name, *keys), everyone(405)),
        Check(url(name, *keys), post, method="post", data=data),
    ]


ACCESS: dict[str, list[Check]] = {
    # --- accounts -----------------------------------------------------------------------------
    "accounts/login/": [Check(url("login"), account(REDIRECT, anonymous=200))],
    # Logging out redirects to the login page, which is what LOGIN means here.
    "accounts/logout/": [
        Check(url("logout"), account(405)),
        Check(url("logout"), account(LOGIN), method="post"),
    ],
    "accounts/password/": [Check(url("password_change"), account(200))],
    "accounts/password/done/": [Check(url("password_change_done"), account(200))],
    # --- the review app -----------------------------------------------------------------------
    "": [Check(url("articles:queue"), everyone(200))],
    "articles/<id:pk>/": [Check(url("articles:detail", "article"), everyone(200))],
    "articles/<id:pk>/paragraphs/<id:position>/label/": get_and_post(
        "articles:label",
        "article",
        "position",
        post=everyone(REDIRECT),
        data=lambda ctx: {"label": Label.VERIFIED},
    ),
    "articles/<id:pk>/paragraphs/<id:position>/note/": get_and_post(
        "articles:note",
        "article",
        "position",
        post=everyone(REDIRECT),
        data=lambda ctx: {"note": "Checked with the agency."},
    ),
    "articles/<id:pk>/boilerplate-rest/": get_and_post(
        "articles:boilerplate_rest",
        "article",
        post=everyone(REDIRECT),
        data=lambda ctx: {"from_position": "2"},
    ),
    "articles/<id:pk>/assign/": [
        Check(url("articles:assign", "article"), everyone(405)),
        # Handing an article to someone else is a lead's call ...
        Check(
            url("articles:assign", "article"),
            leads(REDIRECT),
            method="post",
            data=lambda ctx: {"assignee": str(ctx["other_reviewer"])},
        ),
        # ... taking it for yourself is part of reviewing.
        Check(
            url("articles:assign", "article"),
            everyone(REDIRECT),
            method="post",
            data=lambda ctx: {"assignee": "me"},
        ),
    ],
    "articles/<id:pk>/reset/": get_and_post(
        "articles:reset", "article", post=leads(REDIRECT)
    ),
    "articles/<id:pk>/next/": [
        Check(url("articles:next", "article"), everyone(REDIRECT))
    ],
    "articles/<id:pk>/previous/": [
        Check(url("articles:previous", "article"), everyone(REDIRECT))
    ],
    "articles/<id:pk>/suggestions/accept/": get_and_post(
        "articles:accept_suggestions", "article", post=everyone(REDIRECT)
    ),
    # The Boilerplate page is for everyone who reviews; applying and undoing are a lead's.
    "boilerplate/": [Check(url("articles:boilerplate"), everyone(200))],
    "boilerplate/apply/": [
        Check(lambda ctx: ctx["apply_url"], leads(200)),
        Check(
            url("articles:boilerplate_apply"),
            leads(REDIRECT),
            method="post",
            data=lambda ctx: {"source": "example.com", "text_hash": ctx["text_hash"]},
        ),
    ],
    "boilerplate/undo/<id:pk>/": get_and_post(
        "articles:boilerplate_undo", "propagation", post=leads(REDIRECT)
    ),
    # The learned suggestions' threshold for Shift+A: a lead's setting (issue 19).
    "boilerplate/threshold/": get_and_post(
        "articles:boilerplate_threshold",
        post=leads(REDIRECT),
        data=lambda ctx: {"accept_threshold": "75"},
    ),
    "export/articles.csv": [Check(url("articles:export_articles"), everyone(200))],
    "export/paragraphs.csv": [Check(url("articles:export_paragraphs"), everyone(200))],
    "import/": [Check(url("articles:import"), leads(200))],
    "import/<id:pk>/": [Check(url("articles:import_run", "import_run"), leads(200))],
    # --- the admin: staff only ----------------------------------------------------------------
    "admin/": [Check(url("admin:index"), staff_only(200))],
    "admin/login/": [
        Check(
            url("admin:login"),
            # Logged-in non-staff see the form with "not authorized"; staff go to the index.
            {ANONYMOUS: 200, NO_GROUP: 200, REVIEWER: 200, LEAD: 200, STAFF: REDIRECT},
        )
    ],
    # The admin sends logged-in non-staff from its logout to its index (and so to its login);
    # staff log out by POST and land on our login page.
    "admin/logout/": [
        Check(
            url("admin:logout"),
            {
                ANONYMOUS: ADMIN_LOGIN,
                NO_GROUP: REDIRECT,
                REVIEWER: REDIRECT,
                LEAD: REDIRECT,
                STAFF: 405,
            },
        ),
        Check(
            url("admin:logout"),
            {
                ANONYMOUS: ADMIN_LOGIN,
                NO_GROUP: REDIRECT,
                REVIEWER: REDIRECT,
                LEAD: REDIRECT,
                STAFF: LOGIN,
            },
            method="post",
        ),
    ],
    "admin/password_change/": [Check(url("admin:password_change"), staff_only(200))],
    "admin/password_change/done/": [
        Check(url("admin:password_change_done"), staff_only(200))
    ],
    # Without its query parameters the autocomplete endpoint refuses the request.
    "admin/autocomplete/": [Check(url("admin:autocomplete"), staff_only(403))],
    "admin/jsi18n/": [Check(url("admin:jsi18n"), staff_only(200))],
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        Check(
            lambda ctx: reverse(
                "admin:view_on_site", args=[ctx["article_type"], ctx["article"]]
            ),
            staff_only(REDIRECT),
        )
    ],
    "admin/^(?P<app_label>auth|axes|articles)/$": [
        Check(lambda ctx: "/admin/articles/", staff_only(200)),
        # Staff without permissions on the users app do not learn that it exists.
        Check(lambda ctx: "/admin/auth/", staff_only(404)),
    ],
    "admin/(?P<url>.*)$": [Check(lambda ctx: "/admin/no-such-page/", staff_only(404))],
}

# What staff (leads with admin access, not superusers) may do per registered model. Labels,
# the audit trail and import runs are view-only for everyone; users and lockouts are for
# superusers.
VIEW_ONLY = {
    "changelist": 200,
    "add": 403,
    "change": 200,
    "history": 200,
    "delete": 403,
}
NO_ACCESS = {
    "changelist": 403,
    "add": 403,
    "change": 403,
    "history": 403,
    "delete": 403,
}
ADMIN_MODELS = {
    "articles/article": VIEW_ONLY,
    "articles/paragraph": VIEW_ONLY,
    "articles/labelevent": VIEW_ONLY,
    "articles/importrun": VIEW_ONLY,
    "articles/repeatedtext": VIEW_ONLY,
    "articles/propagation": VIEW_ONLY,
    "auth/user": {**NO_ACCESS, "password": 403},
    "auth/group": NO_ACCESS,
    "axes/accessattempt": NO_ACCESS,
    "axes/accesslog": NO_ACCESS,
    "axes/accessfailurelog": NO_ACCESS,
}


def _admin_model_checks(model: str, staff: dict) -> dict[str, list[Check]]:
    app, name = model.split("/")

    def named(action: str, with_object: bool = True) -> Callable[[dict], str]:
        keys = [model] if with_object else []
        return url(f"admin:{app}_{name}_{action}", *keys)

    routes = {
        f"admin/{model}/": [
            Check(named("changelist", False), admin_model(staff["changelist"]))
        ],
        f"admin/{model}/add/": [Check(named("add", False), admin_model(staff["add"]))],
        # The bare object URL redirects to its change page before any permission check.
        f"admin/{model}/<path:object_id>/": [
            Check(lambda ctx: f"/admin/{model}/{ctx[model]}/", admin_model(REDIRECT))
        ],
    }
    for action in ["change", "history", "delete"]:
        routes[f"admin/{model}/<path:object_id>/{action}/"] = [
            Check(named(action), admin_model(staff[action]))
        ]
    if "password" in staff:
        routes[f"admin/{model}/<id>/password/"] = [
            Check(named("password_change"), admin_model(staff["password"]))
        ]
    return routes


for _model, _staff in ADMIN_MODELS.items():
    ACCESS.update(_admin_model_checks(_model, _staff))


def _routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route


ROUTES = list(dict.fromkeys(_routes()))


def test_the_table_has_no_stale_rows():
    assert set(ACCESS) - set(ROUTES) == set()


@pytest.fixture
def ctx(reviewer, other_reviewer, lead, staff, make_article) -> dict:
    run = ImportRun.objects.create(started_by=lead, files_seen=1, articles_created=2)
    article = make_article(
        import_run=run, labels=["verified", "", ""], labeled_by=reviewer
    )
    make_article(import_run=run)  # something for next/previous to go to
    paragraph = article.paragraphs.get(position=1)
    event = LabelEvent.objects.create(
        paragraph=paragraph, article=article, user=reviewer, new_value=Label.VERIFIED
    )
    text_hash = article.paragraphs.get(position=2).text_hash
    propagation = Propagation.objects.create(
        batch=uuid.uuid4(),
        source="example.com",
        text_hash=text_hash,
        label="boilerplate",
    )
    access = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "rita"}
    no_group = User.objects.create_user("nadia", password="pw-nadia")
    users = {NO_GROUP: no_group, REVIEWER: reviewer, LEAD: lead, STAFF: staff}
    return {
        "users": users,
        "article": article.pk,
        "position": 2,
        "import_run": run.pk,
        "propagation": propagation.pk,
        "text_hash": text_hash,
        "apply_url": reverse("articles:boilerplate_apply")
        + f"?source=example.com&text_hash={text_hash}",
        "other_reviewer": other_reviewer.pk,
        "article_type": ContentType.objects.get_for_model(Article).pk,
        "articles/article": article.pk,
        "articles/paragraph": paragraph.pk,
        "articles/labelevent": event.pk,
        "articles/importrun": run.pk,
        "articles/repeatedtext": RepeatedText.objects.create(
            source="example.com",
            text_hash=text_hash,
            article_count=2,
            paragraph_count=2,
        ).pk,
        "articles/propagation": propagation.pk,
        "auth/user": reviewer.pk,
        "auth/group": Group.objects.get(name="Reviewer").pk,
        "axes/accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ).pk,
        "axes/accesslog": AccessLog.objects.create(**access).pk,
        "axes/accessfailurelog": AccessFailureLog.objects.create(**access).pk,
    }


def _outcome(response, path: str) -> int | str:
    if response.status_code not in (301, 302):
        return response.status_code
    location = urlsplit(response["Location"])
    for login, outcome in (("/accounts/login/", LOGIN), ("/admin/login/", ADMIN_LOGIN)):
        if location.path == login:
            # A login redirect brings the user back where they were going.
            next_url = parse_qs(location.query).get("next")
            return (
                outcome
                if next_url in (None, [path])
                else f"{outcome} (next={next_url})"
            )
    return REDIRECT


def _assert_csp(response) -> None:
    if response.get("Content-Type", "").startswith("text/html"):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_access(client, ctx, route, role):
    if route not in ACCESS:
        pytest.fail(f"URL pattern {route!r} has no row in tests/test_access.py ACCESS")
    if role != ANONYMOUS:
        client.force_login(ctx["users"][role])
    for check in ACCESS[route]:
        path = check.url(ctx)
        response = getattr(client, check.method)(path, check.data(ctx))
        _assert_csp(response)
        assert _outcome(response, path) == check.expected[role], (
            f"{check.method.upper()} {path} as {role}"
        )


# articles/imports/ is being split into modules by another change; its two pages still
# answer HEAD with 405 until their decorators become require_safe there.
@pytest.mark.parametrize("route", ROUTES)
def test_head_answers_wherever_get_does(client, ctx, route):
    """Uptime monitors send HEAD: every page a lead (or staff) can GET answers HEAD alike,
    with no body, and a HEAD never does what a POST would."""
    for check in ACCESS.get(route, []):
        for role in (LEAD, STAFF):
            if check.method != "get" or check.expected[role] != 200:
                continue
            client.force_login(ctx["users"][role])
            path = check.url(ctx)
            response = client.head(path)
            assert response.status_code == 200, f"HEAD {path} as {role}"
            streamed = response.streaming
            body = (
                b"".join(response.streaming_content) if streamed else response.content
            )
            assert body == b""
    assert not Propagation.objects.exclude(paragraphs=0).exists()
