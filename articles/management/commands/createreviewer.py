"""manage.py createreviewer USERNAME [--lead] [--staff] [--password-stdin]"""

import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a user in the Reviewer group (or Lead with --lead) and print a random password, "
        "or read the password from standard input with --password-stdin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--lead", action="store_true", help="Lead role: also import, assign, reset."
        )
        parser.add_argument(
            "--staff", action="store_true", help="Also give access to the admin."
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input "
            "(keeps it out of the shell history and the process list).",
        )

    def handle(self, *args, username: str, lead: bool, staff: bool, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username must not be empty.")
        # The user model's own validators (letters, digits and @/./+/-/_ only; max length),
        # exactly what the admin's and createsuperuser's forms apply.
        try:
            User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
        except ValidationError as error:
            raise CommandError(
                f"Username {username!r} refused: " + " ".join(error.messages)
            ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        group_name = "Lead" if lead else "Reviewer"
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            raise CommandError(
                f"The {group_name} group is missing: run `manage.py migrate` first."
            )

        generated = not options["password_stdin"]
        if generated:
            password = secrets.token_urlsafe(18)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        user = User(username=username, is_staff=staff)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                "Password refused: " + " ".join(error.messages)
            ) from None

        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)

        role = group_name + (" with admin access" if staff else "")
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({role})."))
        if generated:
            self.stdout.write(f"Password: {password}")
            self.stdout.write(
                "Hand it over privately; they can change it after logging in."
            )
