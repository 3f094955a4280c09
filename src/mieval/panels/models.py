from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.registry.models import Province


class Organisation(models.Model):
    """An organisation that sends experts: a local science association, a national society or
    a third-party institution."""

    class Kind(models.TextChoices):
        LOCAL_ASSOCIATION = "local_association", _("local science association")
        NATIONAL_SOCIETY = "national_society", _("national society")
        THIRD_PARTY = "third_party", _("third-party institution")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"
