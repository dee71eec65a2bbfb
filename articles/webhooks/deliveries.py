"""Events become deliveries: one row per subscribed hook, sent by a job (deliver) with retries.

emit() runs inside the transaction of whatever happened (a label, an import's end, a revision),
and the job system's queue is a table of the same database: the deliveries and their jobs
exist exactly when the event does. A delivery's attempts follow an exponential backoff (30 s,
1, 2, 4, 8 minutes) up to NEWSREVIEW_WEBHOOK_MAX_ATTEMPTS, each logged on its row.
"""

import datetime
import json

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from articles.models import Webhook, WebhookDelivery
from articles.webhooks.sending import send

FIRST_RETRY_SECONDS = 30


def subscribed(event: str) -> list[Webhook]:
    """The hooks that want `event` (one query; a desk has a handful of hooks)."""
    return [hook for hook in Webhook.objects.only("events") if event in hook.events]


def emit(event: str, data: dict, *, hooks: list[Webhook] | None = None) -> int:
    """Queue `event` with `data` for every hook subscribed to it; how many deliveries."""
    hooks = subscribed(event) if hooks is None else hooks
    now = timezone.now()
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(
            webhook=hook,
            event=event,
            payload={"event": event, "occurred_at": _iso(now), "data": data},
        )
        deliver.enqueue(delivery.pk)
    return len(hooks)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed) for `delivery`, the same on every attempt."""
    return json.dumps(
        {"delivery": delivery.pk, **delivery.payload},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


@task()
def deliver(delivery_id: int) -> dict:
    """One attempt at a delivery; on failure the next is queued after the backoff."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.state in (
        WebhookDelivery.State.DELIVERED,
        WebhookDelivery.State.FAILED,
    ):
        return {"delivery": delivery_id, "skipped": True}
    outcome = send(
        url=delivery.webhook.url,
        secret=delivery.webhook.secret,
        event=delivery.event,
        delivery_id=delivery.pk,
        body=body_of(delivery),
    )
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.status_code = outcome.status_code
    delivery.error = outcome.error
    delivery.next_attempt_at = None
    if outcome.delivered:
        delivery.state = WebhookDelivery.State.DELIVERED
    elif delivery.attempts >= settings.NEWSREVIEW_WEBHOOK_MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.FAILED
    else:
        delivery.state = WebhookDelivery.State.RETRYING
        wait = FIRST_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    delivery.save()
    return {"delivery": delivery_id, "state": delivery.state}


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
