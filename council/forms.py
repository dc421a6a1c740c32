"""Forms of the deliberation hall, the property companies and the proxy window.

Records belong to one community (the `CommunityBoundForm` pattern): staff never
choose it; area admins choose it once, when they create a record. Every choice of
a related record (grid cell, building, member, unit, company) is limited to that
community; for area admins, who cannot be narrowed before they pick the
community, `clean()` checks the choices against the community they picked.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.forms import CommunityBoundForm
from grid.models import Building, CoBuildingUnit, GridCell, PartyMember
from portal.dates import validate_day
from portal.forms import DATE_WIDGET
from portal.ids import parse_id
from portal.validators import mask_phone, normalize_phone

from .models import PropertyCompany, ProxyService, Session, Topic
from .services import DATE_FIELDS

OTHER_COMMUNITY = _("This choice belongs to another community.")


def building_label(building):
    return f"{building.grid_cell.name} · {building.name}"


def member_label(member):
    """Name and masked phone: enough to tell two people of the same name apart."""
    return f"{member.name} · {mask_phone(member.phone)}"


def _chosen_or(queryset, model_field, instance, active_only=True):
    """Active records, plus those the record already points to (kept even if retired)."""
    if not active_only:
        return queryset
    keep = Q(is_active=True)
    if instance.pk:
        current = getattr(instance, model_field)
        if hasattr(current, "all"):
            keep |= Q(pk__in=current.values("pk"))
        elif current is not None:
            keep |= Q(pk=current.pk)
    return queryset.filter(keep)


def _cells(form, community_id):
    cells = GridCell.objects.select_related("community")
    return cells if community_id is None else cells.filter(community_id=community_id)


def _buildings(form, community_id):
    buildings = Building.objects.select_related("grid_cell", "grid_cell__community").order_by(
        "grid_cell__community", "grid_cell__number", "name"
    )
    return buildings if community_id is None else buildings.filter(grid_cell__community_id=community_id)


def _units(form, community_id):
    units = CoBuildingUnit.objects.select_related("community")
    units = units if community_id is None else units.filter(community_id=community_id)
    return _chosen_or(units, form.unit_field, form.instance)


def _members(form, community_id):
    # Only what the labels show (the name, masked phone, community): hundreds of members
    # with every column converted were a third of a session form's time.
    members = PartyMember.objects.select_related("community").only("pk", "name", "phone", "community__name")
    members = members if community_id is None else members.filter(community_id=community_id)
    return _chosen_or(members, "members", form.instance)


def _companies(form, community_id):
    companies = PropertyCompany.objects.select_related("community")
    companies = companies if community_id is None else companies.filter(community_id=community_id)
    return _chosen_or(companies, form.company_field, form.instance)


class RelatedChoicesMixin:
    """Limit the choices of related records to one community (`self.community_id`)."""

    # form field name -> function(form, community_id or None) giving the queryset
    related_choices: dict = {}
    unit_field = "units"
    company_field = "property_company"

    def limit_related_choices(self):
        self.community_id = self.target_community_id()
        for name, choices in self.related_choices.items():
            if name in self.fields:
                self.fields[name].queryset = choices(self, self.community_id)
                if self.community_id is None:
                    label = self.fields[name].label_from_instance
                    self.fields[name].label_from_instance = self._with_community(label)

    @staticmethod
    def _with_community(label):
        """For area admins before they chose the community: say whose record it is."""

        def labelled(obj):
            community = obj.grid_cell.community if isinstance(obj, Building) else obj.community
            return f"{label(obj)} ({community})"

        return labelled


class CouncilRecordForm(RelatedChoicesMixin, CommunityBoundForm):
    """A record of one community whose related-record choices follow the community."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "community" in self.fields:
            del self.fields["community"]  # a record never moves to another community
        self.limit_related_choices()

    def target_community_id(self):
        if self.instance.community_id:
            return self.instance.community_id
        raw = self.data.get(self.add_prefix("community")) if self.is_bound else self.initial.get("community")
        return parse_id(getattr(raw, "pk", raw))

    def clean(self):
        cleaned = super().clean()
        community = cleaned.get("community")
        community_id = community.pk if community else self.instance.community_id
        if community_id is None or community_id == self.community_id:
            return cleaned  # the choices were limited to this community already
        for name, choices in self.related_choices.items():
            value = cleaned.get(name)
            chosen = list(value) if isinstance(value, (list, tuple, QuerySet)) else [value] if value else []
            if not chosen:
                continue
            allowed = choices(self, community_id).filter(pk__in=[obj.pk for obj in chosen]).count()
            if allowed != len(chosen):
                self.add_error(name, OTHER_COMMUNITY)
        return cleaned


# The deliberation hall ------------------------------------------------------------------


class TopicForm(CouncilRecordForm):
    related_choices = {"grid_cells": _cells}

    class Meta:
        model = Topic
        fields = ["community", "title", "description", "source", "proposed_on", "grid_cells", "outcome"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
            "grid_cells": forms.CheckboxSelectMultiple,
            "proposed_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid_cells"].label_from_instance = (
            self.fields["grid_cells"].label_from_instance if self.community_id is None else lambda cell: cell.name
        )
        if self.instance.pk:
            # The dates of a topic's steps count from it: it is set once.
            del self.fields["proposed_on"]
        else:
            # A new topic has no outcome yet; it is written when the topic moves on.
            del self.fields["outcome"]

    def clean_proposed_on(self):
        day = self.cleaned_data["proposed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class TopicMoveForm(forms.Form):
    """One step of a topic: the target comes from the button pressed."""

    to = forms.ChoiceField(choices=[(value, Topic.Status(value).label) for value in DATE_FIELDS])
    on = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET, validators=[validate_day])
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided and done; shown on the public page. Needed to mark the topic settled."),
    )

    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class SessionForm(RelatedChoicesMixin, forms.ModelForm):
    """A session's community is its topic's: the form is made with `topic=`."""

    related_choices = {"members": _members, "units": _units, "property_company": _companies}

    class Meta:
        model = Session
        fields = [
            "held_on",
            "form",
            "place",
            "residents_count",
            "representatives",
            "members",
            "units",
            "property_company",
            "minutes",
            "decision",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "form": forms.RadioSelect,
            "representatives": forms.Textarea(attrs={"rows": 2}),
            "members": forms.SelectMultiple(attrs={"size": 10}),
            "units": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, topic, **kwargs):
        self.topic = topic
        super().__init__(*args, **kwargs)
        self.limit_related_choices()
        self.fields["form"].choices = Session.Form.choices  # no empty radio button
        self.fields["members"].label_from_instance = member_label
        self.fields["units"].label_from_instance = lambda unit: unit.name
        self.fields["property_company"].label_from_instance = lambda company: company.name

    def target_community_id(self):
        return self.topic.community_id

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


# Property companies and the proxy window ----------------------------------------------------


class CompanyForm(CouncilRecordForm):
    related_choices = {"party_unit": _units, "compounds": _buildings}
    unit_field = "party_unit"

    class Meta:
        model = PropertyCompany
        fields = [
            "community",
            "name",
            "party_unit",
            "party_organization",
            "compounds",
            "window_place",
            "window_hours",
            "contact_name",
            "contact_phone",
            "is_active",
        ]
        widgets = {"compounds": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.community_id is not None:
            self.fields["compounds"].label_from_instance = building_label
            self.fields["party_unit"].label_from_instance = lambda unit: unit.name
        else:
            self.fields["compounds"].label_from_instance = self._with_community(building_label)

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data.get("contact_phone", ""))


class ProxyForm(CouncilRecordForm):
    related_choices = {"company": _companies, "building": _buildings}
    company_field = "company"

    class Meta:
        model = ProxyService
        fields = [
            "community",
            "company",
            "kind",
            "description",
            "resident_name",
            "resident_phone",
            "building",
            "handled_by_name",
            "received_on",
            "note",
        ]
        widgets = {"received_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].empty_label = _("Community staff (no company)")
        if self.community_id is not None:
            self.fields["building"].label_from_instance = building_label
            self.fields["company"].label_from_instance = lambda company: company.name
        else:
            self.fields["building"].label_from_instance = self._with_community(building_label)
        if not self.instance.pk:
            del self.fields["note"]  # notes come with the steps

    def clean_resident_phone(self):
        return normalize_phone(self.cleaned_data.get("resident_phone", ""))

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day and self.instance.done_on and day > self.instance.done_on:
            raise forms.ValidationError(_("It cannot be received after it was done (%(day)s).") % {"day": self.instance.done_on})
        return day


class ProxyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProxyService.Status.choices)
    on = forms.DateField(label=_("Done on"), required=False, widget=DATE_WIDGET, validators=[validate_day])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


# The public page ---------------------------------------------------------------------------------


class HallFilterForm(forms.Form):
    """Filters of the public hall. Each bad value is simply ignored."""

    IN_PROGRESS = "in_progress"
    STATUS_CHOICES = [
        ("", _("All")),
        (IN_PROGRESS, _("In progress")),
        (Topic.Status.SETTLED, _("Settled")),
        (Topic.Status.DROPPED, _("Dropped")),
    ]

    c = forms.ChoiceField(label=_("Community"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        if len(communities) > 1:
            self.fields["c"].choices = [("", _("All"))] + [(c.code, c.name) for c in communities]
        else:
            del self.fields["c"]
