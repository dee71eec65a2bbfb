"""One delivery attempt: the signed POST to the address that passed the target check.

The body is JSON; the headers say what it is:
- `X-Newsreview-Event`: the event name (e.g. "article.reviewed"),
- `X-Newsreview-Delivery`: the delivery's id (the same on every retry: deduplicate on it),
- `X-Newsreview-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the
  hook's secret. A receiver recomputes it over the bytes it received and compares in constant
  time (hmac.compare_digest) before trusting anything in the body.
Redirects are not followed (a 3xx is a failed attempt): a redirect could lead anywhere.
"""

import hashlib
import hmac
import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from articles.webhooks.targets import Refused, Target, check

USER_AGENT = "newsreview-webhooks/1"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Outcome:
    delivered: bool
    status_code: int | None
    error: str


class _Pinned(http.client.HTTPConnection):
    """HTTP to `address`, whatever the host name resolves to now."""

    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    """HTTPS to `address`, with the certificate checked against the host name."""

    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def send(
    *, url: str, secret: str, event: str, delivery_id: int, body: bytes
) -> Outcome:
    """POST `body` to `url`, checked again now; delivered on a 2xx answer."""
    try:
        target = check(url)
    except Refused as refused:
        return Outcome(False, None, f"not sent: {refused}")
    connection_class = _PinnedTLS if target.scheme == "https" else _Pinned
    connection = connection_class(
        target, target.addresses[0], settings.NEWSREVIEW_WEBHOOK_TIMEOUT_SECONDS
    )
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Newsreview-Event": event,
        "X-Newsreview-Delivery": str(delivery_id),
        "X-Newsreview-Signature": signature(secret, body),
    }
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a little of the answer, never all of a huge one
    except (OSError, http.client.HTTPException) as error:
        return Outcome(False, None, f"{type(error).__name__}: {error}"[:500])
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(True, response.status, "")
    return Outcome(False, response.status, f"the receiver answered {response.status}")
