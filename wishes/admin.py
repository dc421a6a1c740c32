from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import AutocompleteIdsMixin, BoundedInlineFormSet

from .models import MicroWish, WishEvent


class WishEventInline(admin.TabularInline):
    model = WishEvent
    formset = BoundedInlineFormSet
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "by_resident", "note", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MicroWish)
class MicroWishAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["title", "code", "community", "status", "category", "grid_cell", "submitted_at", "fulfilled_at", "rating"]
    list_filter = ["status", "rating", "category", "community", ("entered_by", admin.EmptyFieldListFilter)]
    search_fields = ["title", "code", "wisher_name", "wisher_phone"]
    list_select_related = ["community", "grid_cell"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["community", "grid_cell", "building", "entered_by"]
    # The status changes through the services only, and the holder with it (a holder on a wish
    # that is not claimed broke the constraint wish_holder_matches_status: a 500 on saving).
    readonly_fields = [
        "code", "status", "submitted_at", "published_at", "claimed_at", "claimed_by_member", "claimed_by_unit",
        "delivered_at", "fulfilled_at", "rejected_at", "respond_by", "responded_at", "rating", "rating_comment", "rated_at",
        "rated_by", "rating_asked_at",
    ]
    inlines = [WishEventInline]

    def save_model(self, request, obj, form, change):
        if not change or "wisher_phone" in form.changed_data:
            obj.set_wisher_key()  # the figures count the resident by the phone's key
        super().save_model(request, obj, form, change)


@admin.register(WishEvent)
class WishEventAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["wish", "from_status", "to_status", "actor", "by_resident", "created_at"]
    list_filter = ["to_status", "by_resident"]
    search_fields = ["wish__title", "wish__code", "note"]
    list_select_related = ["wish", "actor"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["wish", "actor"]
