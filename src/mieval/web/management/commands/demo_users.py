"""Create (or reset) the demo logins and print them. Passwords are random on every run."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or reset the demo logins and print them (a new random password each run)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("MIEVAL_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username="analyst")
        user.is_staff = True
        user.is_superuser = True
        user.email = "analyst@example.org"
        user.set_password(password)
        user.save()
        self.stdout.write(
            "\nDemo login 演示账号 — http://127.0.0.1:8000/admin/\n"
            f"  analyst (evaluation office 评估办公室): user 'analyst', password '{password}'\n"
        )
