"""Create (or reset) one demo login per role and print them. The password is random each run
(or MIEVAL_DEMO_PASSWORD), never stored in the code."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.accounts.models import Profile, Role
from mieval.accounts.services import analysts_group, user_create
from mieval.panels.models import Organisation
from mieval.registry.models import Base, Province

DEMO_ORGANISATION = {
    "code": "DEMO-ORG-11",
    "name_zh": "演示机构：北京市科学技术协会",
    "name_en": "Demo organisation: Beijing Association for Science and Technology",
    "kind": Organisation.Kind.LOCAL_ASSOCIATION,
}


class Command(BaseCommand):
    help = "Create or reset one demo login per role and print them (random password)."

    @transaction.atomic
    def handle(self, *args, **options):
        bases = list(Base.objects.order_by("code")[:2])
        if len(bases) < 2:
            raise CommandError("Load the demo campaign first (bin/demo does).")
        organisation, _ = Organisation.objects.get_or_create(
            code=DEMO_ORGANISATION["code"],
            defaults={**DEMO_ORGANISATION, "province": Province.objects.get(code="11")},
        )
        password = os.environ.get("MIEVAL_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        logins = [
            ("admin", Role.ADMIN, {}, "administrator 系统管理员"),
            ("analyst", Role.ANALYST, {}, "analyst 评估办公室分析人员"),
            (
                "officer1",
                Role.BASE_OFFICER,
                {"base": bases[0]},
                f"base officer 基地填报员 {bases[0].code}",
            ),
            (
                "officer2",
                Role.BASE_OFFICER,
                {"base": bases[1]},
                f"base officer 基地填报员 {bases[1].code}",
            ),
            ("expert", Role.EXPERT, {}, "expert 专家"),
            (
                "organiser",
                Role.ORGANISER,
                {"organisation": organisation},
                f"organiser 组织单位 {organisation.code}",
            ),
            ("viewer", Role.VIEWER, {}, "viewer 浏览者"),
        ]
        User = get_user_model()
        self.stdout.write("\nDemo logins 演示账号 — http://127.0.0.1:8000/")
        for username, role, binding, label in logins:
            user = User.objects.filter(username=username).first()
            if user is None:
                user_create(
                    username=username,
                    password=password,
                    role=role,
                    email=f"{username}@example.org",
                    **binding,
                )
            else:
                user.set_password(password)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
                Profile.objects.update_or_create(
                    user=user,
                    defaults={"role": role, "base": None, "organisation": None, **binding},
                )
                if role == Role.ANALYST:
                    user.groups.add(analysts_group())
            self.stdout.write(f"  {username:<10} {label}")
        self.stdout.write(f"  password for every demo login 密码: {password}\n")
