"""Composite indices in the database: frameworks (immutable, versioned) and their runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexFramework(models.Model):
    """One version of a composite index's framework TOML (see ``core/index/framework.py``)
    for the bases of one category. Never edited: a change is a new version."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    category = models.ForeignKey(
        "registry.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category scored"),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    text = models.TextField(_("framework TOML"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="index_framework_version")
        ]
        verbose_name = _("index framework")
        verbose_name_plural = _("index frameworks")

    def __str__(self):
        return f"{self.code} v{self.version}"

    def parsed(self):
        from mieval.core.index import framework_parse

        return framework_parse(self.text, file=f"{self}")


class IndexRun(models.Model):
    """A composite index computed on a campaign's values for one year, with its uncertainty.

    ``params``: ``runs, noise, seed, sensitivity, alt_aggregation``. ``inputs``: the raw values
    of the result year by base and indicator; ``normalised`` likewise after the pipeline;
    ``input_hash``: SHA-256 of every value the pipeline read (all years), for traceability.
    ``sensitivity``: rows ``input, S1, S1_conf, ST, ST_conf`` (empty when not requested).
    ``audit``: the statistical audit (``core.index.audit.audit_document``: correlations,
    Cronbach's alpha, PCA, main effects, removal impacts, flags; every year of the data up to
    ``year``); empty for runs stored before the audit existed.
    """

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="index_runs",
        verbose_name=_("campaign"),
    )
    framework = models.ForeignKey(
        IndexFramework, on_delete=models.PROTECT, related_name="runs", verbose_name=_("framework")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    params = models.JSONField(_("parameters"), default=dict)
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )
    input_hash = models.CharField(_("input hash"), max_length=64)
    inputs = models.JSONField(_("input values"), default=dict)
    normalised = models.JSONField(_("normalised values"), default=dict)
    dimensions = models.JSONField(_("aggregates"), default=list)
    weights = models.JSONField(_("weights"), default=dict)
    sensitivity = models.JSONField(_("sensitivity indices"), default=list)
    audit = models.JSONField(_("statistical audit"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("index run")
        verbose_name_plural = _("index runs")

    def __str__(self):
        return f"{self.framework} {self.year} #{self.pk}"


class IndexScore(models.Model):
    """A base's score on one aggregate of a run, its ranks, and (top aggregate only) the Monte
    Carlo median rank and 5-95% interval."""

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="scores")
    base = models.ForeignKey("registry.Base", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("aggregate"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"))
    score = models.FloatField(_("score"), null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    group_rank = models.PositiveIntegerField(_("rank in subcategory"), null=True)
    group_size = models.PositiveIntegerField(_("bases in subcategory"), null=True)
    median_rank = models.FloatField(_("median rank"), null=True)
    # xgettext:no-python-format
    q05 = models.FloatField(_("5% rank"), null=True)
    # xgettext:no-python-format
    q95 = models.FloatField(_("95% rank"), null=True)

    class Meta:
        ordering = ["run", "-level", "code", "rank", "base__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "base", "code"], name="index_score_unique")
        ]
        verbose_name = _("index score")
        verbose_name_plural = _("index scores")

    def __str__(self):
        return f"{self.run_id} {self.base_id} {self.code}"
