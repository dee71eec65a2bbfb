"""Bulk actions from the queue: one selection form, one action chooser, actions registered here.

The queue's table has a checkbox per row (`ids`, tied to the form #queue-bulk by their form=
attribute); the form says what the selection is (`scope`: the ticked rows, or every article
matching the queue's filters, carried as the queue's query string in `query`) and which
`action` runs on it. An action is a BulkAction: its name, the permission it needs, the extra
fields it reads and the function that does it. Another action (say "send to second review")
adds one BulkAction to ACTIONS and its fields to the form's template block; the selection,
its limits and its checks are shared.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.auth import assignable_users
from articles.converters import MAX_ID
from articles.models import Article
from articles.queue import queries
from articles.queue.filters import filter_params, queue_filters

# A page of the queue is 50 rows; a selection of rows is never more than a few pages' worth.
MAX_SELECTED = 500


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: str  # shown in the action chooser
    permission: str
    # (request, the selected articles, the form's cleaned data) -> the message for the user
    run: Callable[[HttpRequest, QuerySet, dict], str]
    # Raises forms.ValidationError naming the field when the action's own fields are bad.
    clean: Callable[[dict], dict] = lambda data: data


def _clean_assignee(data: dict) -> dict:
    value = (data.get("assignee") or "").strip()
    if value in ("", "me"):
        return {**data, "assignee": value}
    hint = "assignee: choose an active member of the Reviewer or Lead group."
    try:
        pk = int(value)
    except ValueError:
        raise forms.ValidationError(hint) from None
    if not 1 <= pk <= MAX_ID or not assignable_users().filter(pk=pk).exists():
        raise forms.ValidationError(hint)
    return {**data, "assignee": pk}


def _assign(request: HttpRequest, articles: QuerySet, data: dict) -> str:
    choice = data["assignee"]
    if choice == "":
        assignee = None
    elif choice == "me":
        assignee = request.user
    else:
        assignee = assignable_users().get(pk=choice)
    # Assignment is not a label change: no LabelEvent (articles.review.labels.assign_articles).
    count = articles.assign_to(assignee)
    noun = f"{count} article{'s' * (count != 1)}"
    if assignee is None:
        return f"Unassigned {noun}."
    return f"Assigned {noun} to {assignee.get_username()}."


ACTIONS: dict[str, BulkAction] = {
    "assign": BulkAction(
        name="assign",
        label="Assign to…",
        permission="articles.assign_article",
        run=_assign,
        clean=_clean_assignee,
    ),
}


def actions_for(user) -> list[BulkAction]:
    """The bulk actions `user` may run: the queue shows the selection only if there are any."""
    return [action for action in ACTIONS.values() if user.has_perm(action.permission)]


class SelectionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    scope = forms.ChoiceField(
        choices=[("selected", "The ticked rows"), ("matching", "All matching")],
        error_messages={"invalid_choice": "choose the ticked rows or all matching."},
    )
    ids = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    # The queue's query string: what "all matching" means, and where to go back to.
    query = forms.CharField(required=False, max_length=2000)
    assignee = forms.CharField(required=False, max_length=20)

    def clean_ids(self) -> list[int]:
        values = self.cleaned_data["ids"] or []
        if len(values) > MAX_SELECTED:
            raise forms.ValidationError(
                f"tick at most {MAX_SELECTED} rows, or choose “all matching”."
            )
        ids = set()
        for value in values:
            try:
                pk = int(value)
            except (TypeError, ValueError):
                raise forms.ValidationError("each must be an article id.") from None
            if not 1 <= pk <= MAX_ID:
                raise forms.ValidationError("each must be an article id.")
            ids.add(pk)
        return sorted(ids)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["scope"] == "selected" and not data["ids"]:
            self.add_error("ids", "tick at least one row first.")
            return data
        try:
            return ACTIONS[data["action"]].clean(data)
        except forms.ValidationError as error:
            self.add_error(None, error)
            return data

    def filters(self) -> dict:
        return queue_filters(QueryDict(self.cleaned_data.get("query", "")))


def selected_articles(form: SelectionForm, user) -> QuerySet:
    data = form.cleaned_data
    if data["scope"] == "selected":
        return Article.objects.filter(pk__in=data["ids"])
    filters = form.filters()
    return queries.matching(Article.objects.all(), filters, user=user)


def _queue_url(form: SelectionForm) -> str:
    url = reverse("articles:queue")
    if not hasattr(form, "cleaned_data"):
        return url
    query = filter_params(form.filters()).urlencode()
    return f"{url}?{query}" if query else url


def _bad(form: SelectionForm) -> HttpResponseBadRequest:
    reasons = "; ".join(
        f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
        for name, errors in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"Nothing was changed. {reasons}", content_type="text/plain; charset=utf-8"
    )


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.POST)
    allowed = {action.name for action in actions_for(request.user)}
    if request.POST.get("action") in ACTIONS and request.POST["action"] not in allowed:
        return HttpResponse(
            "You may not do this to articles.", status=403, content_type="text/plain"
        )
    if not allowed:
        return HttpResponse(
            "You may not change articles in bulk.",
            status=403,
            content_type="text/plain",
        )
    if not form.is_valid():
        # Applying with no row ticked is a slip, not an attack: say so on the queue.
        if "ids" in form.errors and not form.data.getlist("ids"):
            messages.error(request, f"Nothing was changed: {form.errors['ids'][0]}")
            return redirect(_queue_url(form))
        return _bad(form)
    action = ACTIONS[form.cleaned_data["action"]]
    articles = selected_articles(form, request.user)
    messages.success(request, action.run(request, articles, form.cleaned_data))
    return redirect(_queue_url(form))
