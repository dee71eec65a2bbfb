"""Where a webhook may send: http(s) URLs whose host resolves only to public addresses.

Server-side request forgery: a hook's URL is typed by a Lead, and the server makes the request.
Without this check a hook could reach the server's own loopback (an admin port, a database),
its private network, or a cloud's metadata service (169.254.169.254). The host is resolved and
EVERY address it resolves to is checked (a name with one public and one private address is
refused). Because DNS can answer differently a second later (rebinding), the check runs again
at every delivery, and the delivery connects to the very address that passed
(articles.webhooks.sending), never resolving the name a second time.

NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE lets hooks reach private and loopback addresses, for a receiver
on the same machine or private network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class Refused(ValueError):
    """A URL a webhook may not target; the message says why, for the Lead."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    addresses: tuple[str, ...]  # every address the host resolved to, each allowed


def _not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why `address` is not a public one ("" if it is)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for test, name in (
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_private", "a private"),
        ("is_multicast", "a multicast"),
        ("is_reserved", "a reserved"),
        ("is_unspecified", "an unspecified"),
    ):
        if getattr(address, test):
            return f"{name} address ({address})"
    if not address.is_global:
        return f"a non-public address ({address})"
    return ""


def check(url: str, *, resolve=socket.getaddrinfo) -> Target:
    """The target of `url` if a webhook may send to it; Refused with the reason otherwise."""
    if len(url) > 2000:
        raise Refused("the URL is longer than 2,000 characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused("only http:// and https:// URLs can receive webhooks")
    host = parts.hostname
    if not host:
        raise Refused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise Refused("the URL must not hold a user name or password")
    port = port or (443 if scheme == "https" else 80)
    try:
        found = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise Refused(f"the host {host} could not be resolved ({error})") from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Refused(f"the host {host} has no address")
    if not settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            why = _not_public(ipaddress.ip_address(address.split("%")[0]))
            if why:
                raise Refused(
                    f"{host} resolves to {why}; webhooks may only reach public addresses "
                    "(an administrator can allow private ones: NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE)"
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, path, addresses)
