"""The Webhooks page: a Lead registers a URL for some events, reads its secret and its
deliveries, and deletes it."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from articles.models import Webhook, WebhookEvent
from articles.webhooks.targets import Refused, check

RECENT_DELIVERIES = 50


class WebhookForm(forms.Form):
    url = forms.CharField(label="URL", max_length=2000)
    events = forms.MultipleChoiceField(
        label="Events",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            check(url)
        except Refused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("articles.add_webhook", raise_exception=True)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = Webhook.objects.create(
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            secret=secrets.token_hex(32),
            created_by=request.user,
        )
        messages.success(request, "Webhook added. Give its secret to the receiver.")
        return redirect("articles:webhook", pk=hook.pk)
    hooks = Webhook.objects.select_related("created_by")
    status = 400 if form.errors else 200
    return render(
        request,
        "articles/webhooks.html",
        {"form": form, "hooks": hooks, "event_names": dict(WebhookEvent.choices)},
        status=status,
    )


@require_safe
@permission_required("articles.view_webhook", raise_exception=True)
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook.objects.select_related("created_by"), pk=pk)
    deliveries = hook.deliveries.all()[:RECENT_DELIVERIES]
    return render(
        request,
        "articles/webhook.html",
        {
            "hook": hook,
            "deliveries": deliveries,
            "event_names": [
                WebhookEvent(e).label for e in hook.events if e in WebhookEvent.values
            ],
        },
    )


@require_POST
@permission_required("articles.delete_webhook", raise_exception=True)
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    hook.delete()
    messages.success(
        request, f"Webhook to {hook.url} deleted; nothing more is sent to it."
    )
    return redirect("articles:webhooks")
