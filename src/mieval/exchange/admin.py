from django.contrib import admin

from mieval.exchange.models import (
    ContactRequest,
    ExchangeContact,
    ExchangeEvent,
    OutcomeReport,
    Post,
)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "base",
        "organisation",
        "kind",
        "category",
        "title",
        "language",
        "expires",
        "status",
    ]
    list_filter = ["kind", "category", "language", "status"]
    search_fields = ["title", "text", "base__code", "organisation__code"]
    raw_id_fields = ["base", "organisation", "created_by"]


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "need",
        "offer",
        "requesting_base",
        "requesting_organisation",
        "responding_base",
        "responding_organisation",
        "campaign",
        "status",
    ]
    list_filter = ["status", "campaign"]
    raw_id_fields = [
        "need",
        "offer",
        "requesting_base",
        "requesting_organisation",
        "responding_base",
        "responding_organisation",
        "requested_by",
        "responded_by",
        "agreed_by",
        "done_by",
    ]


@admin.register(ExchangeContact)
class ExchangeContactAdmin(admin.ModelAdmin):
    list_display = ["base", "organisation", "person", "email", "phone", "updated_at"]
    search_fields = ["base__code", "organisation__code", "person", "email"]
    raw_id_fields = ["base", "organisation"]


@admin.register(OutcomeReport)
class OutcomeReportAdmin(admin.ModelAdmin):
    """Each side's report; changed only through the exchange (the audit keeps every one)."""

    list_display = ["request", "side", "state", "reported_at", "reported_by"]
    list_filter = ["side", "state"]
    raw_id_fields = ["request", "reported_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExchangeEvent)
class ExchangeEventAdmin(admin.ModelAdmin):
    """The audit: read only."""

    list_display = [
        "at",
        "action",
        "base",
        "organisation",
        "post",
        "request",
        "from_status",
        "to_status",
        "actor",
    ]
    list_filter = ["action"]
    search_fields = ["actor", "base__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
