"""Webhooks: registered by a Lead, signed deliveries to a real HTTP server on loopback, retried
with backoff from the job system, every attempt logged; no server-side request forgery."""

import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.urls import reverse

from articles.models import Label, Webhook, WebhookDelivery, WebhookEvent
from articles.models.signals import article_revised
from articles.webhooks import targets
from articles.webhooks.deliveries import emit
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db


class Receiver:
    """A threading HTTP server on 127.0.0.1 that records what it is sent; `answers` are the
    status codes it gives, in turn (then 204)."""

    def __init__(self, answers=()):
        self.received: list[tuple[dict, bytes]] = []
        self.answers = list(answers)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.answers.pop(0) if outer.answers else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = True
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for server in made:
        server.close()


def hook_for(url, *events, lead=None):
    return Webhook.objects.create(
        url=url, events=list(events), secret="s3cret" * 8, created_by=lead
    )


def verify(secret: str, headers: dict, body: bytes) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Newsreview-Signature"])


def test_a_reviewed_article_is_delivered_signed_to_a_loopback_receiver(
    receiver, reviewer_client, make_article, lead
):
    server = receiver()
    hook = hook_for(server.url, WebhookEvent.ARTICLE_REVIEWED, lead=lead)
    article = make_article(n=2, labels=[Label.VERIFIED, ""])
    reviewer_client.post(
        reverse("articles:label", args=[article.pk, 2]), {"label": Label.BOILERPLATE}
    )
    assert run_queued_jobs() == 1
    [(headers, body)] = server.received
    assert verify(hook.secret, headers, body)
    assert not verify("other" * 8, headers, body)
    payload = json.loads(body)
    assert payload["event"] == headers["X-Newsreview-Event"] == "article.reviewed"
    assert payload["data"]["article"]["external_id"] == article.external_id
    assert payload["data"]["by"] == "rita"
    delivery = WebhookDelivery.objects.get()
    assert (
        headers["X-Newsreview-Delivery"] == str(delivery.pk) == str(payload["delivery"])
    )
    assert (delivery.state, delivery.status_code, delivery.attempts) == (
        "delivered",
        204,
        1,
    )
    # A label changed on a reviewed article announces nothing new.
    reviewer_client.post(
        reverse("articles:label", args=[article.pk, 2]), {"label": Label.VERIFIED}
    )
    assert run_queued_jobs() == 0


def test_a_failed_delivery_is_retried_with_backoff_and_logged(receiver, settings):
    settings.NEWSREVIEW_WEBHOOK_MAX_ATTEMPTS = 3
    server = receiver(answers=[500, 503, 500])
    hook_for(server.url, WebhookEvent.IMPORT_FINISHED)
    emit(WebhookEvent.IMPORT_FINISHED, {"run": {"id": 1}})
    from django_tasks_db.models import DBTaskResult

    waits = []
    for _ in range(3):
        assert run_queued_jobs() == 1
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at:
            waits.append((delivery.next_attempt_at - delivery.last_attempt_at).seconds)
        # Time passes: the retry's job becomes due.
        DBTaskResult.objects.filter(status="READY").update(
            run_after=delivery.last_attempt_at
        )
    assert waits == [30, 60]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.status_code) == (
        "failed",
        3,
        500,
    )
    assert delivery.error == "the receiver answered 500"
    bodies = {body for _, body in server.received}
    assert len(server.received) == 3
    assert len(bodies) == 1  # the same signed body each time


def test_an_api_import_announces_import_finished(receiver, lead_client, lead):
    from articles.api import tokens

    server = receiver()
    hook_for(server.url, WebhookEvent.IMPORT_FINISHED)
    hook_for(server.url, WebhookEvent.ARTICLE_REVIEWED)  # not this event
    token = tokens.create(user=lead, name="t")[1]
    lead_client.post(
        "/api/v1/articles",
        json.dumps({"id": "w-1", "paragraphs": ["<p>x</p>"]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    run_queued_jobs()
    [(_, body)] = server.received
    data = json.loads(body)["data"]["run"]
    assert (data["origin"], data["state"], data["created"]) == ("api", "finished", 1)


def test_a_revision_is_announced(receiver, make_article):
    from articles.models import Article

    server = receiver()
    hook_for(server.url, WebhookEvent.ARTICLE_REVISED)
    article = make_article()
    article_revised.send(sender=Article, article=article, revision=2)
    run_queued_jobs()
    payload = json.loads(server.received[0][1])
    assert (payload["event"], payload["data"]["revision"]) == ("article.revised", 2)


def test_a_sign_off_is_announced(receiver, make_article, reviewer, lead):
    from articles.quality.signoff import sign_off

    server = receiver()
    hook_for(server.url, WebhookEvent.ARTICLE_SIGNED_OFF)
    article = make_article(n=2, labels=["verified", "boilerplate"], labeled_by=reviewer)
    sign_off(
        article_id=article.pk,
        user=lead,
        seen_reviewed_at=article.last_reviewed_at,
        seen_hash=article.content_hash,
    )
    run_queued_jobs()
    headers, body = server.received[0][0], server.received[0][1]
    payload = json.loads(body)
    assert payload["event"] == "article.signed_off"
    assert payload["data"]["article"]["id"] == article.pk
    assert payload["data"]["article"]["status"] == "signed_off"
    assert payload["data"]["by"] == lead.get_username()
    assert verify("s3cret" * 8, headers, body)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost:8000/admin/",
        "http://2130706433/",
    ],
)
def test_private_and_loopback_targets_are_refused(settings, url):
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(
        targets.Refused, match=r"public addresses|could not be resolved"
    ):
        targets.check(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/x", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("http:///path", "no host"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http://example.com:99999/", "not a valid URL"),
        ("https://" + "a" * 2001, "longer than 2,000"),
    ],
)
def test_other_bad_urls_are_refused_with_the_reason(url, reason):
    with pytest.raises(targets.Refused, match=reason):
        targets.check(url)


def test_a_name_resolving_to_any_private_address_is_refused(settings):
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = False

    def resolver(host, port, type):  # one public and one private address
        return [
            (2, 1, 6, "", ("93.184.216.34", port)),
            (2, 1, 6, "", ("10.1.2.3", port)),
        ]

    with pytest.raises(targets.Refused, match=r"10\.1\.2\.3"):
        targets.check("https://rebind.example/", resolve=resolver)


def test_the_target_is_checked_again_at_delivery(receiver, settings):
    server = receiver()
    hook_for(server.url, WebhookEvent.IMPORT_FINISHED)
    emit(WebhookEvent.IMPORT_FINISHED, {})
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = (
        False  # as if its name now resolved inside
    )
    run_queued_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "retrying"
    assert delivery.error.startswith(
        "not sent: 127.0.0.1 resolves to a loopback address"
    )
    assert server.received == []


def test_a_lead_adds_a_webhook_and_reads_its_secret(lead_client, receiver):
    server = receiver()
    response = lead_client.post(
        reverse("articles:webhooks"),
        {"url": server.url, "events": ["article.reviewed", "import.finished"]},
    )
    hook = Webhook.objects.get()
    assert response["Location"] == reverse("articles:webhook", args=[hook.pk])
    assert hook.events == ["article.reviewed", "import.finished"]
    assert len(hook.secret) == 64
    page = lead_client.get(response["Location"]).content.decode()
    assert hook.secret in page
    lead_client.post(reverse("articles:webhook_delete", args=[hook.pk]))
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"url": "http://127.0.0.1:9/x", "events": ["import.finished"]},
            "URL: 127.0.0.1 resolves to a loopback",
        ),
        (
            {"url": "gopher://x.example/", "events": ["import.finished"]},
            "URL: only http",
        ),
        (
            {"url": "https://example.com/", "events": ["article.deleted"]},
            "Events: Select a valid choice",
        ),
        ({"url": "https://example.com/"}, "Events: This field is required"),
    ],
)
def test_a_bad_webhook_is_refused_naming_the_field(
    lead_client, settings, data, message
):
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = False
    response = lead_client.post(reverse("articles:webhooks"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def test_reviewers_cannot_manage_webhooks(reviewer_client):
    assert reviewer_client.get(reverse("articles:webhooks")).status_code == 403
    response = reviewer_client.post(
        reverse("articles:webhooks"),
        {"url": "https://example.com/", "events": ["import.finished"]},
    )
    assert response.status_code == 403
    assert not Webhook.objects.exists()
