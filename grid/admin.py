from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import AutocompleteIdsMixin, BoundedInlineFormSet

from .models import (
    Appeal,
    AppealEvent,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    StationUpdate,
    Tag,
    VisitComment,
    VisitLog,
)


class BuildingInline(admin.TabularInline):
    model = Building
    formset = BoundedInlineFormSet
    extra = 0


@admin.register(GridCell)
class GridCellAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["number", "name", "community", "leader", "households", "population"]
    list_filter = ["community"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community", "leader"]
    autocomplete_fields = ["community", "leader", "workers"]
    inlines = [BuildingInline]


@admin.register(Building)
class BuildingAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "grid_cell", "households"]
    list_filter = ["grid_cell__community"]
    search_fields = ["name", "grid_cell__name"]
    list_select_related = ["grid_cell"]
    autocomplete_fields = ["grid_cell"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["name", "community", "kind", "liaison_name", "agreement_signed_on", "reported_on", "is_active"]
    list_filter = ["community", "kind", "is_active"]
    search_fields = ["name", "party_organization", "liaison_name"]
    list_select_related = ["community"]
    date_hierarchy = "agreement_signed_on"
    autocomplete_fields = ["community", "resource_tags"]


@admin.register(PartyMember)
class PartyMemberAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["name", "community", "phone", "employer_unit", "grid_cell", "registered_on", "reported_on", "is_active"]
    # No filter by grid cell: its list would name every cell of every community.
    list_filter = ["community", "source", "is_active", ("reported_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "phone", "employer_name", "employer_unit__name"]
    list_select_related = ["community", "employer_unit", "grid_cell"]
    autocomplete_fields = ["community", "employer_unit", "grid_cell", "building", "user", "reported_confirmed_by", "skills"]
    date_hierarchy = "registered_on"


class VisitCommentInline(AutocompleteIdsMixin, admin.TabularInline):
    model = VisitComment
    formset = BoundedInlineFormSet
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(VisitLog)
class VisitLogAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["visited_on", "household", "grid_cell", "kind", "visitor", "follow_up_needed", "follow_up_done_on"]
    list_filter = ["kind", "follow_up_needed", "community"]
    search_fields = ["household", "findings", "visitor__username", "visitor__full_name"]
    list_select_related = ["grid_cell", "visitor"]
    date_hierarchy = "visited_on"
    autocomplete_fields = ["community", "grid_cell", "building", "visitor", "appeal", "special_case"]
    inlines = [VisitCommentInline]


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    formset = BoundedInlineFormSet
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "is_contact", "actor", "by_resident", "note", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["title", "code", "community", "status", "urgency", "category", "grid_cell", "received_at", "answered_at", "rating"]
    list_filter = ["status", "urgency", "rating", "category", "source", "community"]
    search_fields = ["title", "code", "resident_name", "resident_phone"]
    list_select_related = ["community", "grid_cell"]
    date_hierarchy = "received_at"
    autocomplete_fields = [
        "community", "grid_cell", "building", "entered_by", "assigned_to_user", "assigned_to_unit", "topic"
    ]
    # The urgency moves the response deadline: changed on the appeal's page (services_work.appeal_set_urgency).
    readonly_fields = [
        "code", "status", "urgency", "received_at", "waiting_since", "respond_by", "responded_at", "answered_at", "closed_at",
        "reopened_count", "rating", "rating_comment", "rated_at", "rated_by", "rating_asked_at",
    ]
    inlines = [AppealEventInline]


class StationUpdateInline(AutocompleteIdsMixin, admin.TabularInline):
    model = StationUpdate
    formset = BoundedInlineFormSet
    extra = 0
    autocomplete_fields = ["created_by"]


@admin.register(Station)
class StationAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "community", "grid_cell", "contact_name", "update_every_days", "is_active"]
    list_filter = ["kind", "is_active", "community"]
    search_fields = ["name", "location", "contact_name"]
    list_select_related = ["community", "grid_cell"]
    autocomplete_fields = ["community", "grid_cell", "building"]
    inlines = [StationUpdateInline]


@admin.register(StationUpdate)
class StationUpdateAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["title", "station", "kind", "updated_on"]
    list_filter = ["kind"]
    search_fields = ["title", "station__name", "note"]
    list_select_related = ["station"]
    date_hierarchy = "updated_on"
    autocomplete_fields = ["station", "created_by"]


@admin.register(VisitComment)
class VisitCommentAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["visit", "author", "text", "created_at"]
    search_fields = ["text", "visit__household"]
    list_select_related = ["visit", "author"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["visit", "author"]


@admin.register(AppealEvent)
class AppealEventAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["appeal", "from_status", "to_status", "actor", "by_resident", "created_at"]
    list_filter = ["to_status", "by_resident"]
    search_fields = ["appeal__title", "appeal__code", "note"]
    list_select_related = ["appeal", "actor"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["appeal", "actor"]
