"""The review page's POSTs: a label (or clear) and a note, each with the version the reviewer
saw; the paragraph a bulk action starts from or applies to; whom an article is assigned to.

Numbers go through forms.IntegerField (int() of ASCII digits, never str.isdigit(), which takes
"²") and stay within a 64-bit id, so no value reaches the database that it cannot compare.
"""

from django import forms

from articles.converters import MAX_ID
from articles.models import LabelEvent
from articles.review.paragraphs import LABEL_CHOICES


class LabelForm(forms.Form):
    label = forms.ChoiceField(choices=LABEL_CHOICES, required=False)
    version = forms.IntegerField(min_value=0, required=False)
    method = forms.ChoiceField(
        choices=[
            (LabelEvent.Method.CLICK, "click"),
            (LabelEvent.Method.KEYBOARD, "keyboard"),
            # articles.revisions: an edited paragraph's previous label, confirmed
            (LabelEvent.Method.PREVIOUS, "previous"),
        ],
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000, strip=True)
    version = forms.IntegerField(min_value=0, required=False)


def _position(*, required: bool, hint: str) -> forms.IntegerField:
    messages = dict.fromkeys(("required", "invalid", "min_value", "max_value"), hint)
    return forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=required, error_messages=messages
    )


class RestForm(forms.Form):
    """Boilerplate from this paragraph on."""

    from_position = _position(
        required=True, hint="give the paragraph number to start from."
    )


class PositionsField(forms.Field):
    """Paragraph numbers, one value each (checkboxes named alike); at most MAX_POSITIONS."""

    MAX_POSITIONS = (
        900  # below DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which refuses first
    )
    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > self.MAX_POSITIONS:
            raise forms.ValidationError(
                f"give at most {self.MAX_POSITIONS} paragraph numbers."
            )
        one = _position(required=True, hint="each must be a paragraph number.")
        return sorted({one.clean(item) for item in value})


class AcceptForm(forms.Form):
    """Accept one paragraph's suggestion (`position`), those the preview left ticked
    (`positions`), or (neither) every suggestion."""

    position = _position(
        required=False,
        hint="give the paragraph number, or none for every suggestion.",
    )
    positions = PositionsField(required=False)
    # The preview was sent (a checkbox list): no ticked paragraph means accept nothing.
    previewed = forms.BooleanField(required=False)

    def chosen(self) -> list[int] | None:
        """The paragraphs to accept, or None for every suggestion."""
        data = self.cleaned_data
        if data["position"] is not None:
            return [data["position"], *data["positions"]]
        if data["positions"] or data["previewed"]:
            return data["positions"]
        return None


class AssignForm(forms.Form):
    """ "me", "" (nobody) or a user's id."""

    assignee = forms.CharField(required=False, strip=True)

    def clean_assignee(self) -> str | int:
        value = self.cleaned_data["assignee"]
        if value in ("", "me"):
            return value
        hint = "choose an active member of the Reviewer or Lead group."
        return _position(required=True, hint=hint).clean(value)
