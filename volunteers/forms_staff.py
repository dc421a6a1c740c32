"""Forms of the staff pages of volunteer service.

Records belong to one community (the `CommunityBoundForm` pattern): staff never
choose it; area admins do, once, when they create a record. Every choice of a
related record (kind, project, team, unit, grid cell, member, event, wish) is
limited to that community, and `clean()` checks it again for area admins, whose
choices cannot be narrowed before they pick the community.
"""

import datetime
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grid.forms import CommunityBoundForm
from grid.models import CoBuildingUnit, GridCell, PartyMember
from portal.dates import validate_moment
from portal.forms import DATE_WIDGET
from portal.ids import parse_id
from portal.permissions import Reach, reach, roles_for
from portal.uploads import SafeImageField
from portal.validators import mask_phone, normalize_phone
from wishes.models import MicroWish

from .models import (
    EventKind,
    PointsRule,
    ServiceProject,
    SpecialGroup,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
OTHER_COMMUNITY = _("This choice belongs to another community.")


def member_label(member):
    """Name, masked phone and home cell: enough to tell two people of the same name apart."""
    return f"{member.name} · {mask_phone(member.phone)}"


class VolunteerRecordForm(CommunityBoundForm):
    """A record of one community whose related-record choices follow the community."""

    # form field name -> function(form, community_id or None) giving the queryset
    related_choices: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "community" in self.fields:
            del self.fields["community"]  # a record never moves to another community
        self.community_id = self._target_community_id()
        for name, choices in self.related_choices.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.queryset = choices(self, self.community_id)
            if self.community_id is None:
                field.queryset = field.queryset.select_related("community")
                field.label_from_instance = self._label_with_community(field.label_from_instance)

    @staticmethod
    def _label_with_community(label):
        """For area admins before they chose the community: say whose record it is."""
        return lambda obj: f"{label(obj)} ({obj.community})" if obj.community_id else label(obj)

    def _target_community_id(self):
        if self.instance.community_id:
            return self.instance.community_id
        raw = self.data.get(self.add_prefix("community")) if self.is_bound else self.initial.get("community")
        return parse_id(getattr(raw, "pk", raw))

    def clean(self):
        cleaned = super().clean()
        community = cleaned.get("community")
        community_id = community.pk if community else self.instance.community_id
        if community_id is None:
            return cleaned
        for name in self.related_choices:
            value = cleaned.get(name)
            objects = value if isinstance(value, (list, tuple, QuerySet)) else [value]
            for obj in objects:
                if obj is not None and getattr(obj, "community_id", community_id) not in (community_id, None):
                    self.add_error(name, OTHER_COMMUNITY)
                    break
        return cleaned


def _by_community(queryset, community_id):
    return queryset if community_id is None else queryset.filter(community_id=community_id)


def _kinds(form, community_id):
    """Built-in kinds and the community's own (every community's for an area admin
    who has not chosen yet); an event keeps its kind even if it was retired."""
    kinds = EventKind.objects.all()
    if community_id is not None:
        kinds = kinds.filter(Q(community__isnull=True) | Q(community_id=community_id))
    return kinds.filter(Q(is_active=True) | Q(pk=form.instance.kind_id or 0))


def _projects(form, community_id):
    return _by_community(ServiceProject.objects.all(), community_id)


def _teams(form, community_id):
    return _by_community(VolunteerTeam.objects.all(), community_id)


def _units(form, community_id):
    return _by_community(CoBuildingUnit.objects.all(), community_id)


def _cells(form, community_id):
    return _by_community(GridCell.objects.all(), community_id)


def _members(form, community_id):
    # Only what the labels show: a community's hundreds of members, each with every
    # column converted, were a third of a team or case form's time.
    return _by_community(PartyMember.objects.only("pk", "name", "phone", "community"), community_id)


class EventForm(VolunteerRecordForm):
    special_groups = forms.MultipleChoiceField(
        label=_("Special groups served"),
        choices=SpecialGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    photo = SafeImageField(label=_("Photo"), required=False, widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Most volunteers who can sign up; empty for no limit."),
    )

    related_choices = {"kind": _kinds, "project": _projects, "team": _teams, "unit": _units, "grid_cell": _cells}

    class Meta:
        model = VolunteerEvent
        fields = [
            "community",
            "title",
            "kind",
            "project",
            "team",
            "unit",
            "starts_at",
            "ends_at",
            "place",
            "grid_cell",
            "capacity",
            "description",
            "special_groups",
            "photo",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.photo:
            del self.fields["remove_photo"]
        else:
            self.fields["photo"].label = _("Replace the photo")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The event must end after it starts: check the end date and time."))
        if cleaned.get("remove_photo") and not self.files.get(self.add_prefix("photo")):
            cleaned["photo"] = False
        return cleaned


class HeldForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("What was done, in a few sentences."),
    )
    residents_served = forms.IntegerField(label=_("Residents served"), min_value=0, max_value=100000)


class CopyForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("The new event starts at"),
        widget=DATETIME_WIDGET,
        validators=[validate_moment],
        help_text=_("It lasts as long as this one; you can change everything on the next page."),
    )


class KindForm(CommunityBoundForm):
    class Meta:
        model = EventKind
        fields = ["community", "name", "is_special_service"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            self.fields["community"].required = True  # built-in kinds come with the portal

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        community = cleaned.get("community")
        community_id = community.pk if community else self.instance.community_id
        if name and community_id:
            taken = EventKind.objects.filter(Q(community_id=community_id) | Q(community__isnull=True))
            wanted = name.casefold()
            if any(wanted in (kind.name.casefold(), str(kind).casefold()) for kind in taken):
                self.add_error("name", _("There is already a kind with this name."))
        return cleaned

    def save(self, commit=True):
        kind = super().save(commit=False)
        if not kind.code:
            kind.code = self._free_code(kind)
        if commit:
            kind.save()
        return kind

    @staticmethod
    def _free_code(kind):
        """A slug of the name (Chinese names have none: then a random fragment)."""
        base = slugify(kind.name)[:21]
        code = base or f"k-{uuid.uuid4().hex[:8]}"
        while EventKind.objects.filter(Q(community__isnull=True) | Q(community_id=kind.community_id), code=code).exists():
            code = f"{base or 'k'}-{uuid.uuid4().hex[:8]}"
        return code


class TeamForm(VolunteerRecordForm):
    related_choices = {"sponsor_unit": _units, "leader": _members, "members": _members}

    class Meta:
        model = VolunteerTeam
        fields = [
            "community", "name", "sponsor_unit", "sponsor_branch", "leader", "members", "resident_volunteers",
            "active_since", "is_active", "inactive_since",
        ]
        widgets = {
            "active_since": DATE_WIDGET,
            "inactive_since": DATE_WIDGET,
            "members": forms.SelectMultiple(attrs={"size": 12}),
            "resident_volunteers": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"members": _("Hold Ctrl (or ⌘ on a Mac) to choose several.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "members"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(Q(is_active=True) | Q(pk__in=self._current(name)))
            if self.community_id is not None:
                field.label_from_instance = member_label

    def _current(self, name):
        if not self.instance.pk:
            return []
        if name == "leader":
            return [self.instance.leader_id] if self.instance.leader_id else []
        return list(self.instance.members.values_list("pk", flat=True))


class ProjectForm(VolunteerRecordForm):
    related_choices = {"lead_team": _teams, "lead_unit": _units}

    class Meta:
        model = ServiceProject
        fields = ["community", "name", "description", "lead_team", "lead_unit", "start_date", "end_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return cleaned


def _case_cells(form, community_id):
    cells = GridCell.objects.for_user(form.user)  # grid workers: only their cells
    return _by_community(cells, community_id)


# A case links to an event or a wish of about its time: those of the last year (and
# events planned ahead), plus the one already linked. Every event and wish a
# community ever had made the case form grow with the years (515 options, 150 ms).
CASE_LINK_DAYS = 365


def _recent_or_linked(queryset, form, field, date_field):
    since = timezone.now() - datetime.timedelta(days=CASE_LINK_DAYS)
    linked = getattr(form.instance, f"{field}_id", None)
    return queryset.filter(Q(**{f"{date_field}__gte": since}) | Q(pk=linked or 0))


def _case_events(form, community_id):
    events = VolunteerEvent.objects.only("pk", "title", "starts_at", "community")  # what the labels show
    return _recent_or_linked(_by_community(events, community_id), form, "event", "starts_at")


def _case_wishes(form, community_id):
    wishes = MicroWish.objects.for_user(form.user).only("pk", "code", "title", "community")  # what the labels show
    return _recent_or_linked(_by_community(wishes, community_id), form, "wish", "submitted_at")


def _case_assignees(form, community_id):
    users = get_user_model().objects.filter(role__in=roles_for("volunteers.look_after_cases"), is_active=True).order_by("role", "full_name", "username")
    return _by_community(users, community_id)


class CaseForm(VolunteerRecordForm):
    related_choices = {
        "grid_cell": _case_cells,
        "taken_by_member": _members,
        "taken_by_unit": _units,
        "taken_by_team": _teams,
        "event": _case_events,
        "wish": _case_wishes,
        "assigned_to": _case_assignees,
    }

    class Meta:
        model = SpecialGroupCase
        fields = [
            "community",
            "group",
            "resident_name",
            "resident_phone",
            "grid_cell",
            "address_detail",
            "problem",
            "description",
            "taken_by_member",
            "taken_by_unit",
            "taken_by_team",
            "opened_on",
            "event",
            "wish",
            "assigned_to",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), "opened_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.can("volunteers.manage"):
            # Only the office gives a case to someone; a grid worker's own case is theirs.
            del self.fields["assigned_to"]
            if self.instance.pk is None:
                self.instance.assigned_to = self.user
        else:
            def label(user):
                return f"{user.display_name} ({user.get_role_display()})"

            field = self.fields["assigned_to"]
            field.label_from_instance = self._label_with_community(label) if self.community_id is None else label
        if reach(self.user) is Reach.CELLS:
            # A grid worker's case lies in one of their cells.
            self.fields["grid_cell"].required = True
        self.fields["event"].queryset = self.fields["event"].queryset.order_by("-starts_at")
        self.fields["event"].label_from_instance = lambda e: f"{timezone.localtime(e.starts_at):%Y-%m-%d} {e.title}"
        self.fields["wish"].label_from_instance = lambda w: f"{w.code_display} {w.title}"
        if self.community_id is not None:
            self.fields["taken_by_member"].label_from_instance = member_label

    def clean_resident_phone(self):
        return normalize_phone(self.cleaned_data.get("resident_phone", ""))

    def clean(self):
        cleaned = super().clean()
        opened_on = cleaned.get("opened_on")
        if opened_on and self.instance.solved_on and opened_on > self.instance.solved_on:
            self.add_error("opened_on", _("The case was solved on %(date)s; it cannot open later.") % {"date": self.instance.solved_on})
        if opened_on and opened_on > timezone.localdate():
            self.add_error("opened_on", _("The date cannot be in the future."))
        return cleaned


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SpecialGroupCase.Status.choices)
    action_taken = forms.CharField(
        label=pgettext_lazy("case", "What was done"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_("Required to close the case as solved."),
    )


class PointsRuleForm(forms.ModelForm):
    class Meta:
        model = PointsRule
        fields = ["points_per_hour", "points_per_wish"]


class PointsAdjustForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=PartyMember.objects.none())
    points = forms.DecimalField(
        label=_("Points"),
        max_digits=7,
        decimal_places=1,
        help_text=_("Negative to take points away, e.g. -10."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        members = PartyMember.objects.filter(community=community, is_active=True).only("pk", "name", "phone", "community")
        self.fields["member"].queryset = members.order_by("name", "pk")
        self.fields["member"].label_from_instance = member_label

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Enter a number of points other than 0."))
        return points

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give the reason for the adjustment."))
        return reason


# The roster's small forms ---------------------------------------------------------------


class TickForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=PartyMember.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = member_label


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), decimal_places=1)
