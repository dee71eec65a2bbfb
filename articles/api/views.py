"""The API tokens page: a user's own tokens, made (shown once) and revoked."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from articles.api import tokens
from articles.models import ApiToken

MAX_TOKENS = 50  # active tokens a user may hold
NEW_TOKEN = "newsreview_new_api_token"  # noqa: S105 (a session key)


@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        row_pk, token = request.session.pop(NEW_TOKEN, (None, ""))
        new_row = request.user.api_tokens.filter(pk=row_pk).first() if row_pk else None
        return _page(request, new_token=token if new_row else "", new_row=new_row)
    name = " ".join(request.POST.get("name", "").split())
    if not name:
        return _page(request, error="Name: say what the token is for, e.g. “scraper”.")
    if len(name) > 100:
        return _page(request, error="Name: at most 100 characters.", name=name[:100])
    if request.user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_TOKENS:
        return _page(
            request,
            error=f"You have {MAX_TOKENS} active tokens; revoke one you no longer use first.",
        )
    row, token = tokens.create(user=request.user, name=name)
    # Post/redirect/get, so that a reload cannot make a second token: the token waits in the
    # (server-side) session for the one page that shows it, which removes it.
    request.session[NEW_TOKEN] = [row.pk, token]
    return redirect("articles:api_tokens")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if tokens.revoke(ApiToken.objects.filter(pk=row.pk)):
        messages.success(request, f"Token “{row.name}” revoked; it no longer works.")
    return redirect("articles:api_tokens")


def _page(
    request: HttpRequest,
    *,
    error: str = "",
    name: str = "",
    new_token: str = "",
    new_row: ApiToken | None = None,
) -> HttpResponse:
    context = {
        "tokens": request.user.api_tokens.all()[:200],
        "error": error,
        "name": name,
        "new_token": new_token,
        "new_row": new_row,
        "can_import": request.user.has_perm("articles.import_article"),
    }
    return render(
        request, "articles/api_tokens.html", context, status=400 if error else 200
    )
