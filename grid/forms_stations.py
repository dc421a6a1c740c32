"""Forms and the list filter of stations and micro party schools."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import (
    ActiveFilter,
    CountedOnFilter,
    ScopedFilterSet,
    communities_in_reach,
)
from portal.forms import DATE_WIDGET
from portal.uploads import SafeImageField

from .filters import _cells
from .forms import CommunityBoundForm
from .models import Building, GridCell, Station, StationUpdate
from .selectors_work import filter_stale


class StationForm(CommunityBoundForm):
    class Meta:
        model = Station
        fields = [
            "community",
            "name",
            "kind",
            "grid_cell",
            "building",
            "location",
            "opening_hours",
            "contact_name",
            "contact_phone",
            "update_every_days",
            "active_since",
            "is_active",
            "inactive_since",
        ]
        widgets = {"kind": forms.RadioSelect, "active_since": DATE_WIDGET, "inactive_since": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Station.Kind.choices  # radio buttons, no blank one
        self.fields["grid_cell"].queryset = GridCell.objects.for_user(self.user).select_related("community")
        self.fields["building"].queryset = Building.objects.for_user(self.user).select_related("grid_cell")
        self.fields["building"].label_from_instance = lambda building: f"{building.grid_cell.name} · {building.name}"

    def clean(self):
        cleaned = super().clean()
        community_id = cleaned["community"].pk if cleaned.get("community") else self.instance.community_id
        cell, building = cleaned.get("grid_cell"), cleaned.get("building")
        if cell and community_id and cell.community_id != community_id:
            self.add_error("grid_cell", _("The grid cell must belong to this community."))
        if cell and building and building.grid_cell_id != cell.pk:
            self.add_error("building", _("The building is not in this grid cell."))
        return cleaned


class StationUpdateForm(forms.ModelForm):
    """New content put up at a station or school, often entered on a phone."""

    photo = SafeImageField(
        label=_("Photo"), required=False, widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )

    class Meta:
        model = StationUpdate
        fields = ["updated_on", "title", "kind", "photo", "note"]
        widgets = {"updated_on": DATE_WIDGET, "kind": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = StationUpdate.Kind.choices
        if not self.is_bound:
            self.initial.setdefault("updated_on", timezone.localdate())

    def clean_updated_on(self):
        day = self.cleaned_data["updated_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class StationFilter(ScopedFilterSet):
    STALE_CHOICES = [("yes", _("Needs new content")), ("no", _("Content up to date"))]

    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    kind = django_filters.ChoiceFilter(choices=Station.Kind.choices, label=_("Kind"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    stale = django_filters.ChoiceFilter(choices=STALE_CHOICES, label=_("Content"), method="filter_stale")
    is_active = ActiveFilter()
    counted_on = CountedOnFilter()
    search_fields = ("name", "location", "building__name", "contact_name")

    class Meta:
        model = Station
        fields = ["q", "community", "kind", "grid_cell", "stale", "is_active", "counted_on"]

    def filter_stale(self, queryset, name, value):
        if value in ("yes", "no"):
            return filter_stale(queryset, stale=(value == "yes"))
        return queryset
