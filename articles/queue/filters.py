"""The queue's filters, parsed once and shared by the queue page and the CSV exports."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F
from django.db.models.functions import Lower
from django.http import QueryDict

from articles.models import ReviewStatus

DEFAULT_SORT = "-imported"
# The Source filter's value for articles imported without a source: "" means "any source", and
# a source is a domain name, which never has parentheses.
NO_SOURCE = "(none)"

# key -> (label, ordering). `labeled_share` and `status_rank` are aliases that
# ArticleQuerySet.in_order() adds; every ordering ends on the primary key so pages are stable.
SORTS = {
    "-imported": ("Newest first", (F("imported_at").desc(), F("id").desc())),
    "imported": ("Oldest first", (F("imported_at").asc(), F("id").asc())),
    # Lower(): the same case-insensitive order on SQLite (binary collation) and PostgreSQL.
    "title": ("Title A to Z", (Lower("title").asc(), F("id").asc())),
    "-title": ("Title Z to A", (Lower("title").desc(), F("id").desc())),
    "status": (
        "Status",
        (F("status_rank").asc(), F("imported_at").desc(), F("id").desc()),
    ),
    "progress": (
        "Least progress",
        (F("labeled_share").asc(), F("imported_at").desc(), F("id").desc()),
    ),
    "-progress": (
        "Most progress",
        (F("labeled_share").desc(), F("imported_at").desc(), F("id").desc()),
    ),
    # PostgreSQL puts NULLs first in a descending sort; never-reviewed articles belong at the end.
    "-reviewed": (
        "Recently reviewed",
        (F("last_reviewed_at").desc(nulls_last=True), F("id").desc()),
    ),
    "source": ("Source", (F("source").asc(), F("imported_at").desc(), F("id").desc())),
}


# A day filter becomes the span from its midnight to the next one, in the site's time zone:
# the calendar's first and last days have no such span (date + 1 day overflows).
DATE_RANGE = [
    MinValueValidator(datetime.date.min + datetime.timedelta(days=1)),
    MaxValueValidator(datetime.date.max - datetime.timedelta(days=1)),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *ReviewStatus.choices],
        label="Status",
    )
    source = forms.CharField(required=False, max_length=253, label="Source")
    assigned = forms.ChoiceField(
        required=False,
        choices=[("", "Anyone"), ("me", "Assigned to me"), ("none", "Unassigned")],
        label="Assigned",
    )
    # articles.revisions: re-imported articles whose changes wait for a label
    changed = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("changed", "Changed since review")],
        label="Revisions",
    )
    # Quality control (articles.quality): what a Lead returned, what is in a second review.
    quality = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("returned", "Returned by a Lead"),
            ("second_review", "In a second review"),
        ],
        label="Quality",
    )
    imported_from = forms.DateField(
        required=False, label="Imported from", validators=DATE_RANGE
    )
    imported_to = forms.DateField(
        required=False, label="Imported to", validators=DATE_RANGE
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        label="Sort",
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("imported_from"), cleaned.get("imported_to")
        if start and end and end < start:
            self.add_error(
                "imported_to",
                f"{end:%Y-%m-%d} is before “Imported from” ({start:%Y-%m-%d}).",
            )
        return cleaned

    def filters(self) -> dict:
        """The valid filters, with invalid or empty ones dropped (a bad date never errors)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value for name, value in cleaned.items() if value not in (None, "")
        }

    def ignored(self) -> list[tuple[str, str]]:
        """(field label, reason) for every value filters() dropped, to show the user."""
        self.is_valid()
        return [
            (self.fields[name].label, " ".join(errors))
            for name, errors in self.errors.items()
            if name in self.fields
        ]


def queue_filters(params) -> dict:
    """Filters from a QueryDict (request.GET) or a plain dict."""
    return QueueFilterForm(params).filters()


def filter_params(filters: dict) -> QueryDict:
    """The querystring that reproduces `filters`: links and exports carry only valid values."""
    params = QueryDict(mutable=True)
    for name, value in filters.items():
        params[name] = (
            value.isoformat() if isinstance(value, datetime.date) else str(value)
        )
    return params
