"""The review page's filters, including the ONE place stored paragraph HTML is marked safe."""

import html
import re
from urllib.parse import urlsplit

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from articles.html import format_html
from articles.sanitize import clean_html

register = template.Library()


@register.filter
def ago(moment) -> str:
    """ "just now" under a minute, else "2 minutes ago" (one unit, the largest that fits)."""
    if not moment:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def link_domain(url: str) -> str:
    """The host a link points at, without "www." ("icrc.org"); "email" for mailto links."""
    parts = urlsplit(url or "")
    if parts.scheme == "mailto":
        return "email"
    host = (parts.hostname or "").removeprefix("www.")
    return host


# nh3 (articles.sanitize) serialises its output canonically: links are never nested, attribute
# values are in double quotes with '"' escaped, and an <a> carries only href (first) and rel. So
# these patterns find every link and its href exactly, as Beautiful Soup did, in microseconds
# instead of a parse per paragraph.
_LINK = re.compile(r'<a\b([^>"]*(?:"[^"]*"[^>"]*)*)>(.*?)</a>', re.DOTALL)
_HREF = re.compile(r' href="([^"]*)"')


def _link_with_domain(match: re.Match) -> str:
    attributes, text = match.groups()
    href = _HREF.search(attributes)
    domain = link_domain(html.unescape(href.group(1))) if href else ""
    note = (
        format_html(' <span class="link-domain">({})</span>', domain) if domain else ""
    )
    return f'<a{attributes} target="_blank">{text}</a>{note}'


@register.filter
def paragraph_html(html_text: str) -> SafeString:
    """A paragraph's stored HTML, safe to render, with each link's domain shown after it.

    SECURITY: this is the only place paragraph HTML is rendered unescaped. The HTML was
    sanitised at import, but it is cleaned again here with the importer's own allowlist
    (articles.sanitize), so a row edited in the database or left by a future importer bug still
    cannot inject script, styles or attributes (our CSP would block inline script too; this keeps
    the markup itself harmless). What is added afterwards is a fixed attribute and the link's
    domain, escaped by format_html.
    """
    cleaned = clean_html(html_text or "")
    if "<a" in cleaned:
        cleaned = _LINK.sub(_link_with_domain, cleaned)
    return mark_safe(cleaned)  # noqa: S308  (cleaned by nh3 just above; additions escaped)
