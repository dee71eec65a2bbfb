"""The Lead's disagreement queue: each paragraph whose two opinions differ, both labels and
notes side by side, one key to take either or set a third (articles.quality.adjudication)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from articles.converters import parse_id
from articles.models import Article, Label, SecondOpinion
from articles.quality import adjudication
from articles.quality.forms import SettleForm
from articles.responses import bad_request

TEMPLATE = "articles/quality/disagreements.html"
PER_PAGE = 25


def _item_context(opinion: SecondOpinion, **extra) -> dict:
    return {"opinion": opinion, "labels": Label.choices, **extra}


@require_safe
@permission_required("articles.adjudicate_article", raise_exception=True)
def disagreements(request: HttpRequest) -> HttpResponse:
    """Every disagreement to settle, or one article's (?article=ID: where a refused sign-off
    sends the Lead)."""
    value = request.GET.get("article", "")
    article = None
    if value:
        article_id = parse_id(value)
        if article_id is None:
            return HttpResponseBadRequest(
                f"article: “{value[:40]}” is not an article id.",
                content_type="text/plain; charset=utf-8",
            )
        article = Article.objects.only("pk", "title").filter(pk=article_id).first()
        if article is None:
            raise Http404("No such article")
    opinions = adjudication.disagreements(article.pk if article else None)
    paginator = Paginator(opinions, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        TEMPLATE,
        {
            "page": page,
            "opinions": page.object_list,
            "labels": Label.choices,
            "article": article,
        },
    )


@require_POST
@permission_required("articles.adjudicate_article", raise_exception=True)
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    form = SettleForm(request.POST)
    if not form.is_valid():
        return bad_request(form, "Not settled.")
    try:
        opinion = adjudication.adjudicate(
            opinion_id=pk,
            label=form.cleaned_data["label"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except SecondOpinion.DoesNotExist:
        raise Http404("No such submitted second opinion") from None
    except adjudication.AlreadySettled as settled:
        done = settled.opinion
        conflict = (
            f"{done.adjudicated_by.get_username()} settled this paragraph as "
            f"{Label(done.adjudicated_label).label} meanwhile; your choice was not saved."
        )
        return _conflict(request, pk, conflict)
    except adjudication.StaleParagraph as stale:
        paragraph = stale.paragraph
        now = Label(paragraph.label).label if paragraph.label else "no label"
        conflict = (
            f"The paragraph's label changed to {now} while you were reading; "
            "your choice was not saved. Look again and choose."
        )
        return _conflict(request, pk, conflict)
    if not request.htmx:
        messages.success(
            request,
            f"Paragraph {opinion.paragraph.position} of “{opinion.article.title}” "
            f"is {Label(opinion.adjudicated_label).label} now.",
        )
        return redirect("articles:disagreements")
    return render(request, f"{TEMPLATE}#disagreement", _item_context(_read(pk)))


def _read(pk: int) -> SecondOpinion:
    return (
        SecondOpinion.objects.select_related(
            "paragraph",
            "article",
            "first_by",
            "review__reviewer",
            "paragraph__labeled_by",
            "adjudicated_by",
        )
        .filter(pk=pk)
        .get()
    )


def _conflict(request: HttpRequest, pk: int, conflict: str) -> HttpResponse:
    if not request.htmx:
        messages.error(request, conflict)
        return redirect(reverse("articles:disagreements"))
    context = _item_context(_read(pk), conflict=conflict)
    return render(request, f"{TEMPLATE}#disagreement", context, status=409)
