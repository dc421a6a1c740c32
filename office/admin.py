from django.contrib import admin

from office.models import ExportJob
from portal.admin import AutocompleteIdsMixin


@admin.register(ExportJob)
class ExportJobAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "requested_by", "community", "area", "start", "end", "status", "attempts", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["requested_by__username", "requested_by__full_name", "community__name", "filename"]
    autocomplete_fields = ["requested_by", "community", "area"]
    list_select_related = ["requested_by", "community", "area"]
    date_hierarchy = "created_at"
    readonly_fields = ["file", "filename", "error", "attempts", "created_at", "started_at", "finished_at"]
