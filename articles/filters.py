"""The queue's filters, parsed once and shared by the queue page and the CSV exports."""

from django import forms

from articles.models import ReviewStatus

SORTS = {
    "-imported": ("-imported_at", "-id"),
    "imported": ("imported_at", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "status": ("status", "-imported_at", "-id"),
    "progress": ("labeled_share", "-imported_at", "-id"),
    "-progress": ("-labeled_share", "-imported_at", "-id"),
    "-reviewed": ("-last_reviewed_at", "-id"),
    "source": ("source", "-imported_at", "-id"),
}


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
    imported_from = forms.DateField(required=False, label="Imported from")
    imported_to = forms.DateField(required=False, label="Imported to")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-imported", "Newest first"),
            ("imported", "Oldest first"),
            ("title", "Title A to Z"),
            ("-title", "Title Z to A"),
            ("status", "Status"),
            ("progress", "Least progress"),
            ("-progress", "Most progress"),
            ("-reviewed", "Recently reviewed"),
            ("source", "Source"),
        ],
        label="Sort",
    )

    def filters(self) -> dict:
        """The valid filters, with invalid or empty ones dropped (a bad date never errors)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value for name, value in cleaned.items() if value not in (None, "")
        }


def queue_filters(params) -> dict:
    """Filters from a QueryDict (request.GET) or a plain dict."""
    return QueueFilterForm(params).filters()
