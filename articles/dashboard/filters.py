"""The dashboard's filters: a date range, a source and (for Leads) a reviewer, parsed once for
the page and the CSV downloads.

Who sees whom: a Lead (articles.view_team_dashboard) sees every reviewer's figures and may pick
one; anyone else sees their own only. A reviewer= naming someone else is never obeyed for
them: the page says it showed their own figures instead, a CSV answers 403.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone

TEAM_PERMISSION = "articles.view_team_dashboard"
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year and a day: every chart has at most this many columns


def may_see_team(user) -> bool:
    return user.has_perm(TEAM_PERMISSION)


def today() -> datetime.date:
    """Today in the desk's time zone (settings.TIME_ZONE), the roll-ups' calendar."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


class DashboardFilterForm(forms.Form):
    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="To")
    source = forms.CharField(required=False, max_length=253, label="Source")
    reviewer = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="Reviewer"
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        end = end or today()
        if start is None:
            if end < datetime.date.min + datetime.timedelta(days=DEFAULT_DAYS):
                self.add_error(
                    "end", f"{end:%Y-%m-%d} is too early for a 30-day range."
                )
                return cleaned
            start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            self.add_error(
                "end", f"{end:%Y-%m-%d} is before “From” ({start:%Y-%m-%d})."
            )
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "start",
                f"{start:%Y-%m-%d} to {end:%Y-%m-%d} is {(end - start).days + 1} days; "
                f"choose at most {MAX_DAYS}.",
            )
        else:
            cleaned["start"], cleaned["end"] = start, end
        return cleaned


@dataclass(frozen=True)
class Scope:
    """What the figures are for: days start..end (the desk's calendar days, both included),
    one source or all (None), one reviewer id or all (None), and whether the viewer may see
    everyone."""

    start: datetime.date
    end: datetime.date
    source: str | None
    reviewer: int | None
    team: bool

    @property
    def days(self) -> list[datetime.date]:
        return [
            self.start + datetime.timedelta(days=n)
            for n in range((self.end - self.start).days + 1)
        ]

    def params(self) -> dict[str, str]:
        """The querystring values that reproduce this scope (links, CSV downloads)."""
        values = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.source is not None:
            values["source"] = self.source
        if self.reviewer is not None and self.team:
            values["reviewer"] = str(self.reviewer)
        return values


class NotYours(Exception):
    """A reviewer asked for someone else's figures."""


def errors_of(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """(field label, reason) of every value the form refused."""
    return [
        (form.fields[name].label if name in form.fields else name, " ".join(errors))
        for name, errors in form.errors.items()
    ]


def scope_of(form: DashboardFilterForm, user) -> Scope:
    """The scope of the form's valid values for `user`; a refused value falls back to its
    default (the dates: the last DEFAULT_DAYS days; source and reviewer: all). Someone who may
    not see the team gets their own figures; NotYours if they asked for another reviewer's."""
    form.is_valid()
    data = form.cleaned_data
    team = may_see_team(user)
    reviewer = data.get("reviewer")
    if not team:
        if reviewer is not None and reviewer != user.pk:
            raise NotYours
        reviewer = user.pk
    start, end = data.get("start"), data.get("end")
    if start is None or end is None or {"start", "end"} & set(form.errors):
        end = today()
        start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    return Scope(
        start=start,
        end=end,
        source=data.get("source") or None,
        reviewer=reviewer,
        team=team,
    )
