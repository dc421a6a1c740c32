from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import AutocompleteIdsMixin, BoundedInlineFormSet, ReadOnlyAdmin

from .models import (
    EventKind,
    EventTally,
    Participation,
    PointsEntry,
    PointsRule,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)


@admin.register(EventKind)
class EventKindAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["__str__", "code", "community", "is_special_service", "is_active"]
    list_filter = ["is_special_service", "is_active", "community"]
    search_fields = ["name", "code"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "community", "sponsor_unit", "sponsor_branch", "leader", "is_active"]
    list_filter = ["community", "is_active"]
    search_fields = ["name", "sponsor_branch", "sponsor_unit__name"]
    list_select_related = ["community", "sponsor_unit", "leader"]
    autocomplete_fields = ["community", "sponsor_unit", "leader", "members"]


@admin.register(ServiceProject)
class ServiceProjectAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "community", "lead_team", "lead_unit", "start_date", "end_date"]
    list_filter = ["community"]
    search_fields = ["name", "description"]
    list_select_related = ["community", "lead_team", "lead_unit"]
    autocomplete_fields = ["community", "lead_team", "lead_unit"]


class ParticipationInline(AutocompleteIdsMixin, admin.TabularInline):
    model = Participation
    formset = BoundedInlineFormSet
    extra = 0
    autocomplete_fields = ["member"]
    readonly_fields = ["hours_approved_at", "hours_approved_by"]

    def get_queryset(self, request):
        # Each row shows its participation ("member @ event") and its approver.
        return super().get_queryset(request).select_related("member", "event", "hours_approved_by")


@admin.register(VolunteerEvent)
class VolunteerEventAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["title", "community", "kind", "starts_at", "status", "team", "project", "residents_served"]
    # No filter by project or team: their lists would name every one of every community.
    list_filter = ["status", "kind", "community"]
    search_fields = ["title", "place", "description"]
    list_select_related = ["community", "kind", "team", "project"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["community", "project", "team", "unit", "grid_cell", "created_by"]
    readonly_fields = ["checkin_code"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["member", "event", "signed_up_at", "withdrawn_at", "checked_in_at", "hours", "hours_approved_at"]
    list_filter = [("checked_in_at", admin.EmptyFieldListFilter), ("hours_approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["member__name", "event__title"]
    list_select_related = ["member", "event"]
    autocomplete_fields = ["member", "event", "hours_approved_by"]


@admin.register(EventTally)
class EventTallyAdmin(ReadOnlyAdmin):
    """Read only: each tally is recounted from the event's participations (volunteers.tallies)."""

    list_display = ["event", "starts_at", "community", "attendances", "approved_hours"]
    list_filter = ["event__status", "event__community"]
    search_fields = ["event__title"]
    list_select_related = ["event", "event__community"]

    @admin.display(description=_("starts at"), ordering="event__starts_at")
    def starts_at(self, tally):
        return tally.event.starts_at

    @admin.display(description=_("community"), ordering="event__community__name")
    def community(self, tally):
        return tally.event.community


@admin.register(PointsRule)
class PointsRuleAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["community", "points_per_hour", "points_per_wish"]
    search_fields = ["community__name"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]


@admin.register(PointsEntry)
class PointsEntryAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["member", "community", "kind", "points", "reason", "created_at"]
    list_filter = ["kind", "community"]
    search_fields = ["member__name", "reason"]
    list_select_related = ["member", "community"]
    autocomplete_fields = ["community", "member", "participation", "wish", "created_by"]
    date_hierarchy = "created_at"


@admin.register(SpecialGroupCase)
class SpecialGroupCaseAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["problem", "community", "group", "status", "opened_on", "solved_on"]
    list_filter = ["status", "group", "community"]
    search_fields = ["problem", "resident_name", "description", "action_taken"]
    list_select_related = ["community"]
    date_hierarchy = "opened_on"
    autocomplete_fields = [
        "community", "grid_cell", "taken_by_member", "taken_by_unit", "taken_by_team", "event", "wish", "assigned_to"
    ]
