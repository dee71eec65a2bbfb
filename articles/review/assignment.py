"""Assigning one article from its review page: a reviewer takes an unassigned article, a Lead
assigns it to anyone (the queue's bulk assignment is articles/queue/bulk.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.auth import assignable_users
from articles.links import detail_url
from articles.models import Article
from articles.responses import bad_request
from articles.review import labels
from articles.review.forms import AssignForm


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("assigned_to"), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return bad_request(form, "Not assigned.")
    choice = form.cleaned_data["assignee"]
    can_assign = request.user.has_perm("articles.assign_article")
    # Taking an unassigned article is part of reviewing; anything else is a Lead's call.
    taking = choice == "me" and article.assigned_to_id in (None, request.user.pk)
    if taking and request.user.has_perm("articles.label_article"):
        assignee = request.user
    elif not can_assign:
        raise PermissionDenied("Only leads can assign articles to others.")
    elif choice == "me":
        assignee = request.user
    elif choice == "":
        assignee = None
    else:
        assignee = assignable_users().filter(pk=choice).first()
        if assignee is None:
            return HttpResponseBadRequest(
                "Not assigned. assignee: choose an active member of the Reviewer or Lead group.",
                content_type="text/plain; charset=utf-8",
            )
    labels.assign_articles(
        articles=Article.objects.filter(pk=pk), assignee=assignee, by=request.user
    )
    if assignee is None:
        messages.success(request, "The article is now unassigned.")
    else:
        messages.success(request, f"Assigned to {assignee.get_username()}.")
    return redirect(detail_url(pk))
