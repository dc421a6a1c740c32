from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import AutocompleteIdsMixin, BoundedInlineFormSet

from .models import PropertyCompany, ProxyService, Session, Topic


class SessionInline(AutocompleteIdsMixin, admin.StackedInline):
    model = Session
    formset = BoundedInlineFormSet
    extra = 0
    autocomplete_fields = ["members", "units", "property_company"]


@admin.register(Topic)
class TopicAdmin(AutocompleteIdsMixin, SimpleHistoryAdmin):
    list_display = ["title", "community", "source", "status", "proposed_on", "settled_on"]
    list_filter = ["status", "source", "community"]
    search_fields = ["title", "description", "outcome"]
    list_select_related = ["community"]
    date_hierarchy = "proposed_on"
    autocomplete_fields = ["community", "created_by", "grid_cells"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["held_on", "form", "topic", "place", "residents_count"]
    list_filter = ["form"]
    search_fields = ["topic__title", "place", "decision"]
    list_select_related = ["topic"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["topic", "members", "units", "property_company"]


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "community", "party_unit", "contact_name", "is_active"]
    list_filter = ["is_active", "community"]
    search_fields = ["name", "party_organization", "contact_name"]
    list_select_related = ["community", "party_unit"]
    autocomplete_fields = ["community", "party_unit", "compounds"]


@admin.register(ProxyService)
class ProxyServiceAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["kind", "resident_name", "company", "status", "received_on", "done_on"]
    list_filter = ["status", "kind", "community"]
    search_fields = ["resident_name", "description", "handled_by_name"]
    list_select_related = ["company"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["community", "company", "building", "handled_by"]
