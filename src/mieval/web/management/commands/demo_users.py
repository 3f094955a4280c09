"""Create (or reset) one demo login per role and print them. The password is random each run
(or MIEVAL_DEMO_PASSWORD), never stored in the code."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.accounts.models import Profile, Role
from mieval.accounts.services import analysts_group, user_create
from mieval.collection.models import Campaign
from mieval.exchange.models import ContactRequest
from mieval.panels.models import Expert, Organisation
from mieval.panels.selectors import demo_expert
from mieval.registry.models import Base, Province

DEMO_ORGANISATION = {
    "code": "DEMO-ORG-11",
    "name_zh": "演示机构：北京市科学技术协会",
    "name_en": "Demo organisation: Beijing Association for Science and Technology",
    "kind": Organisation.Kind.LOCAL_ASSOCIATION,
}


def _officer_bases() -> list[Base]:
    """The demo officers' bases: with the exchange's demo loaded, the two sides of its oldest
    contact request still waiting for an answer (``officer1`` can answer it, ``officer2``
    asked); else the first two bases."""
    waiting = (
        ContactRequest.objects.filter(status=ContactRequest.Status.PROPOSED)
        .select_related("responding_base", "requesting_base")
        .order_by("requested_at", "pk")
        .first()
    )
    if waiting is not None:
        return [waiting.responding_base, waiting.requesting_base]
    return list(Base.objects.order_by("code")[:2])


class Command(BaseCommand):
    help = "Create or reset one demo login per role and print them (random password)."

    @transaction.atomic
    def handle(self, *args, **options):
        bases = _officer_bases()
        if len(bases) < 2:
            raise CommandError("Load the demo campaign first (bin/demo does).")
        # With the demo panels loaded, the expert login is an expert of panel 1 and the
        # organiser keeps that expert's organisation; else a stand-in organisation.
        campaign = Campaign.objects.filter(code="demo").first()
        expert = demo_expert(campaign) if campaign else None
        if expert is not None:
            organisation = expert.organisation
        else:
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
                f"base officer 基地联络员 {bases[0].code}",
            ),
            (
                "officer2",
                Role.BASE_OFFICER,
                {"base": bases[1]},
                f"base officer 基地联络员 {bases[1].code}",
            ),
            ("expert", Role.EXPERT, {}, f"expert 专家 {expert.code if expert else ''}"),
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
            if username == "expert" and expert is not None:
                login = User.objects.get(username=username)
                Expert.objects.filter(user=login).exclude(pk=expert.pk).update(user=None)
                expert.user = login
                expert.save(update_fields=["user"])
            self.stdout.write(f"  {username:<10} {label}")
        self.stdout.write(f"  password for every demo login 密码: {password}\n")
