from django.contrib import admin

from .models import Notification, OptOut


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "masked_to", "status", "attempts", "sent_at", "community"]
    list_filter = ["status", "channel", "event", "community"]
    search_fields = ["event", "key", "text"]
    list_select_related = ["community"]
    date_hierarchy = "created_at"
    readonly_fields = ["key", "to", "user", "text", "params", "provider_ref", "sent_at", "read_at", "created_at"]
    raw_id_fields = ["community"]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at"]
    search_fields = ["phone"]
