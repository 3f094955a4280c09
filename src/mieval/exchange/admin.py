from django.contrib import admin

from mieval.exchange.models import ContactRequest, ExchangeContact, ExchangeEvent, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "base", "kind", "category", "title", "language", "expires", "status"]
    list_filter = ["kind", "category", "language", "status"]
    search_fields = ["title", "text", "base__code"]
    raw_id_fields = ["base", "created_by"]


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "need", "offer", "requesting_base", "responding_base", "status"]
    list_filter = ["status"]
    raw_id_fields = [
        "need",
        "offer",
        "requesting_base",
        "responding_base",
        "requested_by",
        "responded_by",
        "agreed_by",
        "done_by",
    ]


@admin.register(ExchangeContact)
class ExchangeContactAdmin(admin.ModelAdmin):
    list_display = ["base", "person", "email", "phone", "updated_at"]
    search_fields = ["base__code", "person", "email"]
    raw_id_fields = ["base"]


@admin.register(ExchangeEvent)
class ExchangeEventAdmin(admin.ModelAdmin):
    """The audit: read only."""

    list_display = ["at", "action", "base", "post", "request", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    search_fields = ["actor", "base__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
