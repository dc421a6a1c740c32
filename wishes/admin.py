from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MicroWish, WishEvent


class WishEventInline(admin.TabularInline):
    model = WishEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "by_resident", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MicroWish)
class MicroWishAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "community", "status", "category", "grid_cell", "submitted_at", "fulfilled_at"]
    list_filter = ["status", "category", "community", ("entered_by", admin.EmptyFieldListFilter)]
    search_fields = ["title", "code", "wisher_name", "wisher_phone"]
    list_select_related = ["community", "grid_cell"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["grid_cell", "building", "claimed_by_member", "claimed_by_unit", "entered_by"]
    readonly_fields = ["code", "status", "submitted_at", "published_at", "claimed_at", "delivered_at", "fulfilled_at", "rejected_at"]
    inlines = [WishEventInline]


@admin.register(WishEvent)
class WishEventAdmin(admin.ModelAdmin):
    list_display = ["wish", "from_status", "to_status", "actor", "by_resident", "created_at"]
    list_filter = ["to_status", "by_resident"]
    search_fields = ["wish__title", "wish__code", "note"]
    list_select_related = ["wish", "actor"]
    date_hierarchy = "created_at"
