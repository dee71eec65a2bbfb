"""The review page's POSTs: a label (or clear) and a note, each with the version the reviewer saw."""

from django import forms

from articles.models import LabelEvent
from articles.review.paragraphs import LABEL_CHOICES


class LabelForm(forms.Form):
    label = forms.ChoiceField(choices=LABEL_CHOICES, required=False)
    version = forms.IntegerField(min_value=0, required=False)
    method = forms.ChoiceField(
        choices=[
            (LabelEvent.Method.CLICK, "click"),
            (LabelEvent.Method.KEYBOARD, "keyboard"),
        ],
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000, strip=True)
    version = forms.IntegerField(min_value=0, required=False)
