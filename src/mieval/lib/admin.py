"""Admin helpers shared by the apps."""


class ReadOnlyAdminMixin:
    """For records that are written only by services and never edited (audit trails)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
