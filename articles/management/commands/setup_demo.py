import os
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
            done.append(f"Demo lead: demo / {password}  (log in at {_site_url()})")
        elif User.objects.filter(username="demo").exists():
            done.append(
                f"Log in at {_site_url()} as demo (a Lead). Its password was printed when "
                "the demo was first set up; to choose a new one: "
                "python manage.py changepassword demo"
            )
        self.stdout.write("\n".join(done) or "Demo data already set up; nothing to do.")


def _site_url() -> str:
    """Where `make run` serves the site: its HOST and PORT (the Makefile exports them)."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    return f"http://{host}:{port}/"
