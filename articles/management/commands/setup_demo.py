import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from articles.imports.importers import import_paths
from articles.models import Article

SAMPLE_DATA = Path(settings.BASE_DIR) / "sample_data"


class Command(BaseCommand):
    help = "Import sample_data/ into an empty database and create the demo lead user."

    def handle(self, **options):
        done = []
        if not Article.objects.exists():
            result = import_paths([SAMPLE_DATA])
            done.append(
                f"Imported {result.created} sample articles ({result.paragraphs} paragraphs)."
            )
        if not User.objects.exists():
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user("demo", password=password)
            user.groups.add(Group.objects.get(name="Lead"))
            done.append(
                f"Demo reviewer: demo / {password}  (log in at http://127.0.0.1:8000/)"
            )
        self.stdout.write("\n".join(done) or "Demo data already set up; nothing to do.")
