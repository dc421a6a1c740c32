"""Forms of grid work: visit logs and appeals (staff, grid workers, members, residents)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.consent import (
    PaperConsentMixin,
    SensitiveConsentMixin,
    paper_consent_field,
    sensitive_consent_field,
)
from portal.forms import DATE_WIDGET
from portal.permissions import roles_for
from portal.tracking import TrackingForm
from portal.uploads import SafeImageField
from portal.validators import mobile_validator, normalize_phone

from . import handlers
from .forms import cells_of_one_community, phone_field
from .models import Appeal, Building, CoBuildingUnit, GridCell, VisitLog


def _clean_mobile(value) -> str:
    phone = normalize_phone(value).replace("-", "")
    mobile_validator(phone)
    return phone


class PlaceMixin:
    """Grid cell and building choices from a queryset of cells; the building must lie in the cell."""

    user = None  # the signed-in user (None on residents' forms)
    community = None  # the community an area admin chose on the page

    def limit_places(self, cells):
        cells = cells.select_related("community")
        if self.user is not None and self.user.can("portal.all_communities"):
            cells = self._cells_of_one_community(cells)
            self.fields["grid_cell"].label_from_instance = lambda cell: f"{cell.community.name} · {cell}"
        self.fields["grid_cell"].queryset = cells
        self.fields["building"].queryset = Building.objects.filter(grid_cell__in=cells).select_related("grid_cell")
        self.fields["building"].label_from_instance = lambda b: f"{b.grid_cell.name} · {b.name}"

    def _cells_of_one_community(self, cells):
        """The community chosen on the page, else the record's; a submitted cell stays valid."""
        submitted = [self.data.get(self.add_prefix("grid_cell"))] if self.is_bound else []
        return cells_of_one_community(cells, self.picked_community_id, keep=submitted)

    @property
    def picked_community_id(self):
        return getattr(self.community, "pk", None) or self.instance.community_id

    @property
    def needs_community(self) -> bool:
        """An area admin has not chosen the community yet (the page asks first)."""
        return self.user is not None and self.user.can("portal.all_communities") and not (
            self.picked_community_id or (self.is_bound and self.data.get(self.add_prefix("grid_cell")))
        )

    def clean(self):
        cleaned = super().clean()
        cell, building = cleaned.get("grid_cell"), cleaned.get("building")
        if cell and building and building.grid_cell_id != cell.pk:
            self.add_error("building", _("This building is not in the chosen grid cell."))
        return cleaned


# Visits -------------------------------------------------------------------------


class VisitForm(PlaceMixin, forms.ModelForm):
    """A visit logged on a phone. The grid cells offered are those the user may
    see (`GridCell.objects.for_user`): a grid worker's own cells, the community's
    cells for staff and members, every cell for an area admin."""

    class Meta:
        model = VisitLog
        fields = ["visited_on", "grid_cell", "building", "household", "kind", "findings", "follow_up_needed"]
        widgets = {
            "visited_on": DATE_WIDGET,
            "kind": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, user, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.community = user, community
        self.limit_places(GridCell.objects.for_user(user))
        self.fields["building"].empty_label = _("Not listed / not sure")
        self.fields["kind"].choices = VisitLog.Kind.choices  # radio buttons, no blank one

    def clean(self):
        cleaned = super().clean()
        if self.instance.follow_up_done_on and not cleaned.get("follow_up_needed"):
            self.add_error("follow_up_needed", _("The follow-up is already done; it cannot be unticked."))
        return cleaned

    def save(self, commit=True):
        visit = super().save(commit=False)
        # The visit belongs to its grid cell's community (area admins belong to none).
        visit.community_id = visit.grid_cell.community_id
        if commit:
            if visit.pk:
                # Only the fields of this form: a link to an appeal or a case made
                # while the form was open must not be overwritten.
                visit.save(update_fields=[*self.Meta.fields, "community"])
            else:
                visit.save()
        return visit


class VisitCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=500, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500})
    )


class VisitToAppealForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Appeal.Category.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("The appeal, in a few words"), max_length=60)
    description = forms.CharField(
        label=_("Details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000})
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=30)
    resident_phone = phone_field(autocomplete="off")

    def __init__(self, *args, visit, **kwargs):
        kwargs.setdefault("initial", {"description": visit.findings[:1000]})
        super().__init__(*args, **kwargs)
        self.fields["resident_phone"].label = _("Resident's mobile phone")

    def clean_resident_phone(self):
        return _clean_mobile(self.cleaned_data.get("resident_phone", ""))


class VisitToCaseForm(forms.Form):
    # The groups are the volunteers app's (grid.handlers): asked for when the form is built.
    group = forms.ChoiceField(
        label=_("Special group"), choices=lambda: handlers.call("special_group_choices"), widget=forms.RadioSelect
    )
    problem = forms.CharField(label=_("Problem"), max_length=100, help_text=_("e.g. the water heater is broken"))
    resident_name = forms.CharField(label=_("Resident's name"), max_length=30)


# Appeals: the resident's form and the staff's --------------------------------------


class AppealForm(PlaceMixin, forms.ModelForm):
    """The appeal itself: who, where, what. The public form and staff recording share it."""

    resident_phone = phone_field(autocomplete="tel")
    photo = SafeImageField(label=_("Photo (optional)"), required=False)

    class Meta:
        model = Appeal
        fields = [
            "resident_name", "resident_phone", "sms_consent", "grid_cell", "building", "address_detail",
            "category", "title", "description", "photo",
        ]
        labels = {
            "resident_name": _("Your name"),
            "sms_consent": _("Tell me by text message how my request goes (each message says how to stop them)"),
            "title": _("Your appeal, in a few words"),
            "description": _("Tell us more (optional)"),
            "address_detail": _("Address detail (optional)"),
        }
        help_texts = {
            "sms_consent": "",  # the label says it all (the model's help is for staff and admin)
            "title": _("For example: the street lamp at gate 2 is broken; water leaks in the stairwell."),
            "address_detail": _("Only staff see it, e.g. unit and room number."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
            "category": forms.RadioSelect,
        }

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_places(cells)
        self.fields["grid_cell"].required = True
        self.fields["building"].empty_label = _("Not listed / not sure")
        self.fields["category"].choices = Appeal.Category.choices  # radio buttons, no blank one
        self.fields["resident_phone"].label = _("Your mobile phone")

    def clean_resident_phone(self):
        return normalize_phone(self.cleaned_data.get("resident_phone", "")).replace("-", "")

    def save(self, commit=True):
        appeal = super().save(commit=False)
        appeal.community_id = appeal.grid_cell.community_id
        if commit:
            appeal.save()
        return appeal


class PublicAppealForm(SensitiveConsentMixin, AppealForm):
    """A resident's own appeal: the appeal form, plus consent (general, and
    separate for sensitive information: portal/consent.py) and a honeypot."""

    HONEYPOT = "website"
    consent_matter = _("appeal")

    consent = forms.BooleanField(
        label=_(
            "I agree that the community office keeps my name, phone and address to handle this appeal. "
            "They are shown to no one else."
        ),
        error_messages={"required": _("Please tick this box so that the community can handle your appeal.")},
    )
    sensitive_consent = sensitive_consent_field()
    # Honeypot: hidden by the page (#div_id_website), filled in by form-filling robots.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, cells=GridCell.objects.filter(community=community), **kwargs)
        self.instance.community = community
        self.fields["photo"].help_text = _("A photo can help, for example of the broken lamp.")
        self.fields["grid_cell"].empty_label = _("Choose your grid cell")
        self.fields["grid_cell"].help_text = _("Not sure? Choose the one nearest to you; the staff will correct it.")
        self.fields["grid_cell"].label_from_instance = lambda cell: cell.name
        self.show_consent_notice(community)

    @classmethod
    def is_spam(cls, data) -> bool:
        return bool((data.get(cls.HONEYPOT) or "").strip())


class RecordAppealForm(PaperConsentMixin, AppealForm):
    """An appeal recorded by staff or a grid worker for a resident: the staff
    member attests that the resident agreed, instead of the public consent box,
    and whether they signed the paper notice (separate consent: portal/consent.py)."""

    resident_agreed = forms.BooleanField(
        label=_("The resident agreed to record their information"),
        help_text=_("Read the resident what is recorded and who sees it, and ask them."),
    )
    paper_consent = paper_consent_field()

    class Meta(AppealForm.Meta):
        fields = [*AppealForm.Meta.fields[:7], "urgency", *AppealForm.Meta.fields[7:]]
        labels = {
            **AppealForm.Meta.labels,
            "resident_name": _("Resident's name"),
            "sms_consent": _("The resident wants text messages about it"),
            "title": _("The appeal, in a few words"),
            "description": _("Details"),
        }

    def __init__(self, *args, user, community=None, **kwargs):
        self.user, self.community = user, community
        super().__init__(*args, cells=GridCell.objects.for_user(user), **kwargs)
        self.fields["resident_phone"].label = _("Resident's mobile phone")
        self.fields["urgency"].required = False  # left out: ordinary

    def clean_urgency(self):
        return self.cleaned_data.get("urgency") or Appeal.Urgency.ORDINARY


class AppealTrackForm(TrackingForm):
    code_help = _("The code you got when you sent the appeal, e.g. ABCDE-FGH23.")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not solved?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


# Appeals: staff actions ----------------------------------------------------------------


class ContactForm(forms.Form):
    note = forms.CharField(
        label=_("What you told the resident"),
        max_length=500,
        help_text=_("For example: called, the repair is booked for Thursday. Staff see it; the resident sees only that you got in touch."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Appeal.Urgency.choices)


class AssignForm(forms.Form):
    """Assign to one person (staff or grid worker) or one co-building unit of the appeal's community."""

    to_user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none(), required=False)
    to_unit = forms.ModelChoiceField(label=_("Or a co-building unit"), queryset=CoBuildingUnit.objects.none(), required=False)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = (
            get_user_model()
            .objects.filter(community_id=appeal.community_id, role__in=roles_for("grid.take_appeals"), is_active=True)
            .order_by("role", "full_name", "username")
        )
        self.fields["to_user"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"
        self.fields["to_unit"].queryset = CoBuildingUnit.objects.filter(community_id=appeal.community_id, is_active=True)

    def clean(self):
        cleaned = super().clean()
        if "to_user" in self.errors or "to_unit" in self.errors:
            return cleaned  # a choice that is not offered: that error says enough
        if bool(cleaned.get("to_user")) == bool(cleaned.get("to_unit")):
            raise forms.ValidationError(_("Assign the appeal to one person or one unit."))
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=2000,
        error_messages={"required": _("Please write the answer; the resident will read it.")},
        help_text=_("The resident reads it on the tracking page."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note (optional, for staff only)"), max_length=500, required=False)
