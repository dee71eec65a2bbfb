"""The review page's filters, including the ONE place stored paragraph HTML is marked safe."""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

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


@register.filter
def paragraph_html(html: str) -> SafeString:
    """A paragraph's stored HTML, safe to render, with each link's domain shown after it.

    SECURITY: this is the only place paragraph HTML is rendered unescaped. The HTML was
    sanitised at import, but it is cleaned again here with the importer's own allowlist
    (articles.sanitize), so a row edited in the database or left by a future importer bug still
    cannot inject script, styles or attributes (our CSP would block inline script too; this keeps
    the markup itself harmless). Beautiful Soup then only adds text that it escapes itself.
    """
    cleaned = clean_html(html or "")
    if "<a" not in cleaned:
        return mark_safe(cleaned)  # noqa: S308  (cleaned by nh3 just above)
    soup = BeautifulSoup(cleaned, "html.parser")
    for link in soup.find_all("a"):
        link["target"] = "_blank"
        domain = link_domain(link.get("href", ""))
        if domain:
            note = soup.new_tag("span", attrs={"class": "link-domain"})
            note.string = f"({domain})"
            link.insert_after(note)
            link.insert_after(" ")
    return mark_safe(str(soup))  # noqa: S308  (nh3-cleaned; bs4 escapes what it adds)
