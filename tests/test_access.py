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
from django.utils import timezone

from articles.api import tokens
from articles.jobs.tasks import run_import
from articles.models import (
    Article,
    ArticleRevision,
    ImportRun,
    Label,
    LabelEvent,
    Propagation,
    RepeatedText,
    SecondOpinion,
    SignOff,
    Webhook,
    WebhookDelivery,
)
from articles.quality import second
from articles.revisions.writer import revise_article

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


def blind(outcome) -> dict:
    """The blind second review: its assigned reviewer (rita, the reviewer here) only."""
    return {ANONYMOUS: LOGIN, NO_GROUP: 403, REVIEWER: outcome, LEAD: 403, STAFF: 403}


BLIND = blind(200)


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
    # The paragraph's own page: its forms, for labeling without JavaScript.
    "articles/<id:pk>/paragraphs/<id:position>/": [
        Check(url("articles:paragraph", "article", "position"), everyone(200))
    ],
    # Undo answers with a redirect to the article, whether there was something to undo or not.
    "articles/<id:pk>/undo/": get_and_post(
        "articles:undo", "article", post=everyone(REDIRECT)
    ),
    # Bulk actions from the queue: a lead's (assigning others is a lead's call).
    "queue/bulk/": [
        Check(url("articles:queue_bulk"), everyone(405)),
        Check(
            url("articles:queue_bulk"),
            leads(REDIRECT),
            method="post",
            data=lambda ctx: {
                "action": "assign",
                "scope": "selected",
                "ids": [str(ctx["article"])],
                "assignee": "me",
            },
        ),
    ],
    # Your own settings (single-key shortcuts): anyone with a role.
    "accounts/preferences/": [
        Check(url("articles:preferences"), everyone(200)),
        Check(
            url("articles:preferences"),
            everyone(REDIRECT),
            method="post",
            data=lambda ctx: {"single_key_shortcuts": ""},
        ),
    ],
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
    # Everyone who reviews has a dashboard (a reviewer's shows their own figures only).
    "dashboard/": [Check(url("articles:dashboard"), everyone(200))],
    "dashboard/<slug:chart>.csv": [
        Check(
            lambda ctx: reverse("articles:dashboard_csv", args=["throughput"]),
            everyone(200),
        ),
        # Another reviewer's figures: a Lead's only.
        Check(
            lambda ctx: (
                reverse("articles:dashboard_csv", args=["reviewers"])
                + f"?reviewer={ctx['other_reviewer']}"
            ),
            leads(200),
        ),
    ],
    "export/paragraphs.jsonl": [
        Check(url("articles:export_paragraphs_jsonl"), everyone(200))
    ],
    "import/": [Check(url("articles:import"), leads(200))],
    # --- quality control: Leads decide and measure; only the assigned second reviewer labels
    # blind (a Lead opening someone else's blind review is refused like anyone else) ---------
    "quality/": [Check(url("articles:quality"), everyone(200))],
    "quality/agreement/": [Check(url("articles:agreement"), leads(200))],
    "quality/agreement.csv": [Check(url("articles:agreement_csv"), leads(200))],
    "quality/disagreements/": [Check(url("articles:disagreements"), leads(200))],
    "quality/opinions/<id:pk>/settle/": get_and_post(
        "articles:settle",
        "opinion",
        post=leads(REDIRECT),
        data=lambda ctx: {"label": Label.BOILERPLATE, "version": ctx["version"]},
    ),
    "quality/second-review/": get_and_post(
        "articles:send_second_review",
        post=leads(REDIRECT),
        data=lambda ctx: {
            "reviewer": ctx["other_reviewer"],
            "mode": "chosen",
            "article": [ctx["reviewed"]],
        },
    ),
    "quality/second/<id:pk>/": [Check(url("articles:second_review", "blind"), BLIND)],
    "quality/second/<id:pk>/paragraphs/<id:position>/label/": get_and_post(
        "articles:second_label",
        "blind",
        "position",
        post=blind(REDIRECT),
        data=lambda ctx: {"label": Label.VERIFIED},
    ),
    "quality/second/<id:pk>/paragraphs/<id:position>/note/": get_and_post(
        "articles:second_note",
        "blind",
        "position",
        post=blind(REDIRECT),
        data=lambda ctx: {"note": "Looks like a footer."},
    ),
    "quality/second/<id:pk>/finish/": get_and_post(
        "articles:second_finish", "blind", post=blind(REDIRECT)
    ),
    "articles/<id:pk>/sign-off/": get_and_post(
        "articles:sign_off",
        "reviewed",
        post=leads(REDIRECT),
        data=lambda ctx: {"seen_reviewed_at": "", "seen_hash": ctx["hash"]},
    ),
    "articles/<id:pk>/return/": get_and_post(
        "articles:return",
        "reviewed",
        post=leads(REDIRECT),
        data=lambda ctx: {
            "seen_reviewed_at": "",
            "seen_hash": ctx["hash"],
            "reason": "Paragraph 2 is a quote.",
        },
    ),
    "import/<id:pk>/": [Check(url("articles:import_run", "import_run"), leads(200))],
    # Running a finished run again is refused with a message on its page.
    "import/<id:pk>/again/": get_and_post(
        "articles:import_run_again", "import_run", post=leads(REDIRECT)
    ),
    # --- webhooks: a lead's -----------------------------------------------------------------
    "webhooks/": [
        Check(url("articles:webhooks"), leads(200)),
        # A hook to a loopback address is refused (400, naming the URL) unless allowed.
        Check(
            url("articles:webhooks"),
            leads(400),
            method="post",
            data=lambda ctx: {
                "url": "http://127.0.0.1/x",
                "events": ["import.finished"],
            },
        ),
    ],
    "webhooks/<id:pk>/": [Check(url("articles:webhook", "webhook"), leads(200))],
    "webhooks/<id:pk>/delete/": get_and_post(
        "articles:webhook_delete", "webhook", post=leads(REDIRECT)
    ),
    # --- the HTTP API (tests/api/test_api_access.py checks each endpoint per token) -----------
    "api-tokens/": [
        Check(url("articles:api_tokens"), everyone(200)),
        Check(
            url("articles:api_tokens"),
            everyone(REDIRECT),
            method="post",
            data=lambda ctx: {"name": "scraper"},
        ),
    ],
    # Only its owner (the reviewer) can revoke a token; for anyone else it does not exist.
    "api-tokens/<id:pk>/revoke/": [
        Check(url("articles:api_token_revoke", "api_token"), everyone(405)),
        Check(
            url("articles:api_token_revoke", "api_token"),
            {
                ANONYMOUS: LOGIN,
                NO_GROUP: 403,
                REVIEWER: REDIRECT,
                LEAD: 404,
                STAFF: 404,
            },
            method="post",
        ),
    ],
    # The schema and its docs page are pages of the site (log in with a role) ...
    "api/v1/openapi.json": [Check(lambda ctx: "/api/v1/openapi.json", everyone(200))],
    "api/v1/docs": [Check(lambda ctx: "/api/v1/docs", everyone(200))],
    # ... the endpoints take a token only: a session, whoever's, gets 401.
    "api/v1/": [Check(lambda ctx: "/api/v1/", account(404, anonymous=404))],
    "api/v1/articles": [
        Check(lambda ctx: "/api/v1/articles", account(401, anonymous=401)),
        Check(
            lambda ctx: "/api/v1/articles",
            account(401, anonymous=401),
            method="post",
        ),
    ],
    "api/v1/articles/<article_id>": [
        Check(
            lambda ctx: f"/api/v1/articles/{ctx['article']}",
            account(401, anonymous=401),
        )
    ],
    "api/v1/events": [Check(lambda ctx: "/api/v1/events", account(401, anonymous=401))],
    "api/v1/imports/<run_id>": [
        Check(
            lambda ctx: f"/api/v1/imports/{ctx['import_run']}",
            account(401, anonymous=401),
        )
    ],
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
    # --- revisions (issue 14) ---------------------------------------------------------------
    "articles/<id:pk>/revisions/<id:number>/": [
        Check(url("articles:revision", "revised", "one"), everyone(200)),
        # The current revision is the review page.
        Check(url("articles:revision", "revised", "two"), everyone(REDIRECT)),
    ],
    "admin/^(?P<app_label>auth|axes|django_tasks_database|articles)/$": [
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
    "articles/articlerevision": VIEW_ONLY,
    "articles/paragraphsnapshot": VIEW_ONLY,
    "articles/signoff": VIEW_ONLY,
    "articles/secondreview": VIEW_ONLY,
    # Staff list and revoke (an action: "change") everyone's API tokens; nobody adds or
    # deletes one here.
    "articles/apitoken": VIEW_ONLY,
    # Hooks are added on the Webhooks page (the URL is checked there); the log is read-only.
    "articles/webhook": {
        **VIEW_ONLY,
        "delete": 200,
    },  # a lead may delete a hook here too
    "articles/webhookdelivery": VIEW_ONLY,
    "auth/user": {**NO_ACCESS, "password": 403},
    "auth/group": NO_ACCESS,
    "axes/accessattempt": NO_ACCESS,
    "axes/accesslog": NO_ACCESS,
    "axes/accessfailurelog": NO_ACCESS,
    # The job queue (django-tasks' database backend): superusers only.
    "django_tasks_database/dbtaskresult": NO_ACCESS,
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
    run = ImportRun.objects.create(
        state="finished", started_by=lead, files_seen=1, articles_created=2
    )
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
    # Quality control: an article oskar reviewed, one he reviewed that rita is second-reviewing
    # blind, and one she second-reviewed and submitted with a disagreement to settle.
    reviewed = make_article(labels=["verified"] * 3, labeled_by=other_reviewer)
    in_review = make_article(labels=["verified"] * 3, labeled_by=other_reviewer)
    settled = make_article(labels=["verified"] * 3, labeled_by=other_reviewer)
    second.send_to_second_review(
        article_ids=[in_review.pk, settled.pk], reviewer=reviewer, by=lead
    )
    for position in (1, 2, 3):
        second.set_second_label(
            article_id=settled.pk, position=position, label="boilerplate", user=reviewer
        )
    second.finish_second_review(article_id=settled.pk, user=reviewer)
    opinion = SecondOpinion.objects.get(article=settled, paragraph__position=1)
    sign_off = SignOff.objects.create(
        article=reviewed,
        decision=SignOff.Decision.RETURNED,
        by=lead,
        at=timezone.now(),
        content_hash=reviewed.content_hash,
        reason="Check the quotes.",
    )
    api_token, _ = tokens.create(user=reviewer, name="reviewer's token")
    webhook = Webhook.objects.create(
        url="https://example.com/hook", events=["import.finished"], secret="x" * 64
    )
    access = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "rita"}
    no_group = User.objects.create_user("nadia", password="pw-nadia")
    revised = make_article(paragraphs=["One.", "Two 2."], labels=["verified", ""])
    revise_article(
        external_id=revised.external_id,
        title="Revised",
        url="",
        content_hash="x",
        fingerprint="y",
        paragraphs=[("One.", "One.", "h1", 0, 0), ("Two 3.", "Two 3.", "h2", 0, 0)],
    )
    revision = ArticleRevision.objects.get(article=revised)
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
        "reviewed": reviewed.pk,
        "hash": reviewed.content_hash,
        "blind": in_review.pk,
        "opinion": opinion.pk,
        "version": str(opinion.paragraph.version),
        "articles/signoff": sign_off.pk,
        "articles/secondreview": settled.second_review.pk,
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
        "revised": revised.pk,
        "one": 1,
        "two": 2,
        "articles/articlerevision": revision.pk,
        "articles/paragraphsnapshot": revision.article.paragraph_snapshots.first().pk,
        "articles/apitoken": api_token.pk,
        "webhook": webhook.pk,
        "articles/webhook": webhook.pk,
        "articles/webhookdelivery": WebhookDelivery.objects.create(
            webhook=webhook, event="import.finished", payload={}
        ).pk,
        "django_tasks_database/dbtaskresult": run_import.enqueue(run.pk).id,
        "api_token": api_token.pk,
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
