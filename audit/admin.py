from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Read-only: an entry of the security log is written by the portal and never
    changed or removed here (nor anywhere else: see SecurityEvent)."""

    list_display = ["at", "actor_username", "event_type", "object_type", "object_id", "description", "result", "client_address"]
    list_filter = ["event_type", "result", "at", "object_type"]
    search_fields = ["actor_username", "description", "object_id", "client_address"]
    list_select_related = ["object_type"]
    date_hierarchy = "at"
