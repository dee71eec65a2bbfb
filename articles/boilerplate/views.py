"""The Boilerplate page: the most repeated paragraph texts per source, applied and undone in one step.

Reviewers see what repeats and how it is labeled; leads (articles.propagate_article) label every
unlabeled copy of a text in its source after a preview, and undo such an action as one step.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from articles.boilerplate import propagation as propagations
from articles.boilerplate.status import status as model_status
from articles.boilerplate.threshold import set_accept_threshold
from articles.models import Label, Paragraph, Propagation, RepeatedText

TEMPLATE = "articles/boilerplate.html"
PER_PAGE = 25
RECENT_ACTIONS = 10
_HASH = re.compile(r"^[0-9a-f]{32}$")


def _bad(reason: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


def _overview_url(source: str = "") -> str:
    url = reverse("articles:boilerplate")
    return f"{url}?{urlencode({'source': source})}" if source else url


def _label_mix(rows: list[RepeatedText]) -> None:
    """Set boilerplate/other/unlabeled on each row from ONE grouped query over their paragraphs."""
    if not rows:
        return
    mix: dict[tuple[str, str], dict[str, int]] = {}
    counts = (
        Paragraph.objects.filter(
            text_hash__in={row.text_hash for row in rows},
            article__source__in={row.source for row in rows},
        )
        .order_by()
        .values_list("article__source", "text_hash", "label")
        .annotate(n=Count("pk"))
    )
    for source, text_hash, label, n in counts:
        mix.setdefault((source, text_hash), {})[label] = n
    for row in rows:
        labels = mix.get((row.source, row.text_hash), {})
        row.labeled_boilerplate = labels.get(Label.BOILERPLATE, 0)
        row.labeled_other = labels.get(Label.VERIFIED, 0) + labels.get(
            Label.UNVERIFIED, 0
        )
        row.unlabeled = labels.get("", 0)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    sources = list(RepeatedText.objects.sources())
    known = {name for name, _ in sources}
    source = request.GET.get("source", "")
    if source and source not in known:
        source = ""
        messages.info(
            request, "No articles come from that source; showing every source."
        )
    page = Paginator(
        RepeatedText.objects.most_repeated(source=source), PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _label_mix(rows)
    source_articles = dict(sources)
    for row in rows:
        row.source_articles = source_articles.get(row.source, row.article_count)
    return render(
        request,
        TEMPLATE,
        {
            "sources": sources,
            "source": source,
            "page": page,
            "rows": rows,
            "recent": list(
                Propagation.objects.select_related("user", "undone_by")[:RECENT_ACTIONS]
            ),
            "can_propagate": request.user.has_perm("articles.propagate_article"),
            "learned": model_status(),
        },
    )


def _safe_next(request: HttpRequest, value: str, source: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return _overview_url(source)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("articles.propagate_article", raise_exception=True)
def apply(request: HttpRequest) -> HttpResponse:
    """GET: how many paragraphs and articles the action would label; POST: do it."""
    data = request.POST if request.method == "POST" else request.GET
    source = data.get("source", "").strip()
    text_hash = data.get("text_hash", "").strip().lower()
    if not source or len(source) > 253:
        return _bad("Not applied. source: give the site whose paragraphs to label.")
    if not _HASH.match(text_hash):
        return _bad(
            "Not applied. text_hash: give the 32-character hash of the paragraph text."
        )
    label = data.get("label", Label.BOILERPLATE)
    if label not in Label.values:
        return _bad(f"Not applied. label: use one of {', '.join(Label.values)}.")
    next_url = _safe_next(request, data.get("next", ""), source)
    if request.method != "POST":  # GET or HEAD: the preview, never the action
        preview = propagations.propagation_preview(source=source, text_hash=text_hash)
        return render(
            request,
            TEMPLATE,
            {
                "preview": preview,
                "label": label,
                "label_choices": Label.choices,
                "next": next_url,
                "back": _overview_url(source),
            },
        )
    propagation = propagations.apply_across_source(
        source=source, text_hash=text_hash, label=label, user=request.user
    )
    if propagation.paragraphs:
        messages.success(
            request,
            f"Labeled {propagation.paragraphs:,} paragraph"
            f"{'s' * (propagation.paragraphs != 1)} in {propagation.articles:,} "
            f"{source} article{'s' * (propagation.articles != 1)} as "
            f"{Label(label).label.lower()}. Undo it from the Boilerplate page.",
        )
    else:
        messages.info(
            request, "Nothing was labeled: every paragraph with this text has a label."
        )
    return redirect(next_url)


@require_POST
@permission_required("articles.propagate_article", raise_exception=True)
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    propagation = get_object_or_404(Propagation, pk=pk)
    if propagation.undone_at:
        messages.info(request, "That action was undone already.")
        return redirect(_overview_url(propagation.source))
    reverted = propagations.undo_propagation(propagation=propagation, user=request.user)
    kept = propagation.paragraphs - reverted
    note = f" {kept:,} that someone changed since kept their label." if kept > 0 else ""
    messages.success(
        request,
        f"Undone: {reverted:,} paragraph{'s' * (reverted != 1)} unlabeled again.{note}",
    )
    return redirect(_overview_url(propagation.source))


@require_POST
@permission_required("articles.propagate_article", raise_exception=True)
def threshold(request: HttpRequest) -> HttpResponse:
    """A Lead sets the confidence at or above which Shift+A accepts suggestions."""
    raw = request.POST.get("accept_threshold", "").strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) > 100:
        return _bad(
            "Not saved. accept_threshold: give a whole number of percent from 0 to 100."
        )
    value = int(raw)
    set_accept_threshold(value, user=request.user)
    messages.success(
        request,
        f"Saved: Shift+A now accepts suggestions with {value}% confidence or more.",
    )
    return redirect(_overview_url() + "#learned-model")
