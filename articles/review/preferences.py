"""The reviewer's own settings page: single-letter shortcuts on or off (WCAG 2.1.4)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from articles.models import ReviewerPreferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = ReviewerPreferences
        fields = ["single_key_shortcuts"]
        labels = {"single_key_shortcuts": "Single-letter keyboard shortcuts"}
        help_texts = {
            "single_key_shortcuts": (
                "On the review page, v, u, b, x, a, e, z, j, k, n, p and ? act at once. "
                "Switch them off if you use speech input or your screen reader's own "
                "letter keys; the toolbar's buttons and the arrow keys still work."
            )
        }


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    instance = ReviewerPreferences.objects.filter(user=request.user).first()
    instance = instance or ReviewerPreferences(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        state = "on" if form.cleaned_data["single_key_shortcuts"] else "off"
        messages.success(request, f"Saved: single-letter shortcuts are {state}.")
        return redirect("articles:preferences")
    return render(request, "registration/preferences.html", {"form": form})
