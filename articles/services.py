"""Writes that touch several rows or models: labels with their counts and audit trail, assignment.

Every function runs in one transaction, so an article's counts, its status and its LabelEvents
change together or not at all (DESIGN.md invariants 1-3).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet


# No @transaction.atomic here: a single UPDATE statement is atomic on its own.
def assign_articles(
    *, articles: QuerySet, assignee: AbstractBaseUser | None, by: AbstractBaseUser
) -> int:
    """Assign the articles to `assignee` (None unassigns) in one UPDATE; returns how many.

    `by` is the user who asked; assignment is not a label change, so it writes no LabelEvent.
    """
    return articles.update(assigned_to=assignee)
