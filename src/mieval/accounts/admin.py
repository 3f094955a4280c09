from django.contrib import admin

from mieval.accounts.models import AccountEvent, ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "base", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "base__code", "organisation__code"]
    raw_id_fields = ["user", "base"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        # Tokens are created where the key can be shown once: the user's own token page.
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The audit trail: read only."""

    list_display = ["at", "kind", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
