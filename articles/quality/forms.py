"""The quality POSTs: a Lead's decision (with what they saw), a send to second review, a
second opinion, a settlement. Bad values are refused with a message naming the field."""

from django import forms
from django.contrib.auth import get_user_model

from articles.converters import MAX_ID, parse_id
from articles.models import Label
from articles.review.paragraphs import LABEL_CHOICES


class DecisionForm(forms.Form):
    """What the Lead saw: the article's last label change ("" for never) and content hash."""

    seen_reviewed_at = forms.DateTimeField(required=False)
    seen_hash = forms.CharField(max_length=64)
    reason = forms.CharField(required=False, max_length=2000, strip=True)
    # "Sign off anyway" over unsettled disagreements: why (recorded on the SignOff).
    override_reason = forms.CharField(required=False, max_length=2000, strip=True)


class SendForm(forms.Form):
    """A send to second review: chosen articles, or a share of each source's reviewed ones
    within the queue's filters (the filters come along as the queue's own parameters)."""

    reviewer = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    mode = forms.ChoiceField(choices=[("chosen", "Chosen"), ("share", "Share")])
    # Many values (one per ticked row): clean_article() reads them all.
    article = forms.CharField(required=False, label="Articles")
    percent = forms.IntegerField(min_value=1, max_value=100, required=False)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers

    def clean_article(self) -> list[int]:
        # Ids only (ASCII digits within a 64-bit id); which exist is the service's question.
        values = self.data.getlist("article") if hasattr(self.data, "getlist") else []
        ids = []
        for value in values:
            article_id = parse_id(value)
            if article_id is None:
                raise forms.ValidationError(f"“{value[:40]}” is not an article id.")
            ids.append(article_id)
        return ids

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        if mode == "chosen" and not cleaned.get("article"):
            self.add_error("article", "Tick at least one article.")
        if mode == "share" and cleaned.get("percent") is None:
            self.add_error("percent", "Say which share, from 1 to 100 percent.")
        return cleaned


class OpinionForm(forms.Form):
    label = forms.ChoiceField(choices=LABEL_CHOICES, required=False)
    note = forms.CharField(required=False, max_length=5000, strip=True)
    version = forms.IntegerField(min_value=0, required=False)


class SettleForm(forms.Form):
    label = forms.ChoiceField(choices=Label.choices)
    version = forms.IntegerField(min_value=0, max_value=MAX_ID)
