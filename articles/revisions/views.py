"""An earlier revision of an article, read-only: its paragraphs with the labels they had, and
what the next revision did to each (kept, links changed, edited with its diff, deleted)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.revisions.reads import revision_history, revision_rows


@require_safe
def revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    # The labels an earlier revision had are the first opinion too (articles.quality).
    if Article.objects.is_blind_to(pk, request.user):
        raise PermissionDenied("You are second-reviewing this article blind.")
    article = get_object_or_404(Article, pk=pk)
    if number == article.revision:
        return redirect(article)
    if not 1 <= number < article.revision:
        raise Http404(
            f"This article has revisions 1 to {article.revision}; there is no {number}."
        )
    history = revision_history(article)
    following = next(r for r in history if r.number == number + 1)
    created = next((r for r in history if r.number == number), None)
    context = {
        "article": article,
        "number": number,
        "following": following,
        "created": created,
        "history": history,
        "rows": revision_rows(article, number),
    }
    return render(request, "articles/revision.html", context)
