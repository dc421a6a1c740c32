from django.contrib import admin

from .models import Building, CoBuildingUnit, Community, GridCell, PartyMember, Tag


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "town", "county"]
    list_filter = ["county", "town"]
    search_fields = ["name", "code", "town", "county"]


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(GridCell)
class GridCellAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "community", "leader", "households", "population"]
    list_filter = ["community"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community", "leader"]
    autocomplete_fields = ["leader", "workers"]
    inlines = [BuildingInline]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "grid_cell", "households"]
    list_filter = ["grid_cell__community"]
    search_fields = ["name", "grid_cell__name"]
    list_select_related = ["grid_cell"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind", "liaison_name", "agreement_signed_on", "reported_on", "is_active"]
    list_filter = ["community", "kind", "is_active"]
    search_fields = ["name", "party_organization", "liaison_name"]
    list_select_related = ["community"]
    date_hierarchy = "agreement_signed_on"
    filter_horizontal = ["resource_tags"]


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "phone", "employer_unit", "grid_cell", "registered_on", "reported_on", "is_active"]
    list_filter = ["community", "source", "is_active", ("reported_on", admin.EmptyFieldListFilter), "grid_cell"]
    search_fields = ["name", "phone", "employer_name", "employer_unit__name"]
    list_select_related = ["community", "employer_unit", "grid_cell"]
    autocomplete_fields = ["employer_unit", "grid_cell", "building", "user", "reported_confirmed_by"]
    filter_horizontal = ["skills"]
    date_hierarchy = "registered_on"
